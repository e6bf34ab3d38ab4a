// Package ws is the WebSocket API of the reference backend's protocol (see protocol.md):
// one session per socket, subscribed to its room, that decodes the client's frames into
// the room's commands and encodes the room's events into frames, naming every player but
// the recipient by alias. Its JSON encodings are package wire's.
package ws

import (
	"context"
	"log/slog"

	"github.com/pokerd/pokerd/handlers/web"
)

// Handler serves GET /api/ws/{player_id}/{code} and holds every open socket, so that
// shutdown can close them.
type Handler struct {
	gate      *web.Gate
	origins   web.OriginPolicy
	cfg       Config
	log       *slog.Logger
	metrics   *web.Metrics
	faults    *web.Faults
	sockets   sockets
	testFault wsFaultHook // tests only: called in a socket's goroutines, to make them panic
}

// Deps is what the WebSocket API needs from the server.
type Deps struct {
	Gate    *web.Gate        // the client's limits and room look-ups
	Origins web.OriginPolicy // which pages may open a socket
	Config  Config
	Log     *slog.Logger
	Metrics *web.Metrics
	Faults  *web.Faults
}

// New builds the WebSocket API's handler.
func New(d Deps) *Handler {
	return &Handler{gate: d.Gate, origins: d.Origins, cfg: d.Config, log: d.Log, metrics: d.Metrics, faults: d.Faults}
}

// OpenSockets is the number of sockets open now.
func (s *Handler) OpenSockets() int { return s.sockets.count() }

// CloseAll closes every open socket with 1001 (going away) and waits, until ctx ends,
// for them to finish: http.Server.Shutdown does not know hijacked connections.
func (s *Handler) CloseAll(ctx context.Context) { s.sockets.closeAll(ctx) }

// ClientMessageTypes are the types of the messages a client may send, the labels of
// the server's count of received messages.
var ClientMessageTypes = []string{
	msgSubmitVote, msgObserve, msgSync, msgReset, msgReveal,
	msgOptions, msgHandOff, msgRemove, msgEstimate,
}
