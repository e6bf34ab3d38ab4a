package live

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
)

// streamServer serves the rooms' event streams and the metrics over HTTP, as the server
// wires them, until the test ends.
func streamServer(t *testing.T) (*httptest.Server, *Handler, *game.Registry) {
	t.Helper()
	decks, err := game.NewMemoryDeckDB(nil)
	if err != nil {
		t.Fatal(err)
	}
	rooms := game.NewRegistry(game.RegistryConfig{Decks: decks, EmptyRoomGrace: time.Hour})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	metrics := web.NewMetrics("test", rooms, func() int { return 0 }, nil)
	faults := web.NewFaults(log, metrics.Registry)
	gate := web.NewGate(web.GateConfig{Rooms: rooms, Limits: web.DefaultLimits, CodeLookups: web.DefaultCodeLookupLimits, Faults: faults, Log: log})
	h := New(Deps{Gate: gate, Log: log, WriteTimeout: 5 * time.Second, Metrics: metrics, Faults: faults})
	e := echo.New()
	e.HTTPErrorHandler = web.ErrorHandler(log)
	e.GET("/room/:code/events", h.RoomEvents, web.LongLived)
	e.GET("/metrics", metrics.Handler())
	srv := httptest.NewServer(e)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		h.CloseAll(ctx)
		srv.Close()
	})
	return srv, h, rooms
}
