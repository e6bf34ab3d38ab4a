// Package api is the JSON API, wire-compatible with the reference backend
// (tristeng/planning-poker) so that its Vue frontend works unchanged: games, joins,
// decks, the session record as JSON and CSV, and the API's own description (the OpenAPI
// document and /docs). Its WebSocket is package ws.
package api

import (
	"log/slog"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
)

// Handlers answers the JSON API's routes.
type Handlers struct {
	rooms *game.Registry
	decks game.DeckDB
	gate  *web.Gate
	log   *slog.Logger
	docs  apiDocs
}

// Deps is what the JSON API needs from the server.
type Deps struct {
	Rooms *game.Registry
	Decks game.DeckDB
	Gate  *web.Gate // the client's limits and room look-ups, shared with every surface
	Log   *slog.Logger
}

// New builds the JSON API's handlers.
func New(d Deps) *Handlers {
	return &Handlers{rooms: d.Rooms, decks: d.Decks, gate: d.Gate, log: d.Log, docs: newAPIDocs()}
}
