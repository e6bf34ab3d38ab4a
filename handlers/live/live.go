// Package live is the browsers' event stream: GET /room/{code}/events, one
// server-sent-event stream per browser, fed by one renderer per room that turns the
// room's changes into HTML fragments (package views) for every browser at once.
package live

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pokerd/pokerd/handlers/web"
)

// DefaultOutbox is how many messages may wait for one browser's event stream before
// the browser is dropped as too slow.
const DefaultOutbox = 32

// Handler serves the rooms' event streams and holds them, so that shutdown can end them.
type Handler struct {
	gate    *web.Gate
	metrics *streamMetrics
	faults  streamFaults
	streams *roomStreams
}

// Deps is what the event streams need from the server.
type Deps struct {
	Gate         *web.Gate // the client's limits, room look-ups and the browser's identity
	Log          *slog.Logger
	WriteTimeout time.Duration // longest a single write to a stream may take
	Outbox       int           // messages waiting for one browser (DefaultOutbox when 0)
	Metrics      *web.Metrics
	Faults       *web.Faults
}

// New builds the event streams' handler.
func New(d Deps) *Handler {
	if d.Outbox <= 0 {
		d.Outbox = DefaultOutbox
	}
	m := &streamMetrics{
		sseStreams:   d.Metrics.SSEStreams,
		ssePublished: d.Metrics.SSEPublished,
		sseDropSlow:  d.Metrics.SSEDropSlow,
		sseDropWrite: d.Metrics.SSEDropWrite,
	}
	f := streamFaults{d.Faults}
	return &Handler{gate: d.Gate, metrics: m, faults: f, streams: newRoomStreams(d.Log, d.WriteTimeout, d.Outbox, m, f)}
}

// CloseAll ends every stream, for shutdown, waiting until ctx ends at most.
func (s *Handler) CloseAll(ctx context.Context) { s.streams.closeAll(ctx) }

// streamMetrics are the server's metrics of the event streams.
type streamMetrics struct {
	sseStreams   prometheus.Gauge   // browsers reading a room's event stream
	ssePublished prometheus.Counter // events published to rooms' streams
	sseDropSlow  prometheus.Counter // streams dropped because their buffer was full
	sseDropWrite prometheus.Counter // streams dropped because a write failed or timed out
}

// streamFaults counts and logs the panics the streams recover.
type streamFaults struct{ faults *web.Faults }

// panicStream is where a stream's panics are counted: the streams and their renderers.
const panicStream = web.PanicStream

func (f streamFaults) panicked(where string, v any, attrs ...any) {
	f.faults.Panicked(where, v, attrs...)
}
