package ws

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
)

// faultServer serves the WebSocket API (and the metrics) over HTTP, as the server wires
// it, with the sockets of player victim panicking at place.
func faultServer(t *testing.T, place string, victim uuid.UUID, cfg Config) (*httptest.Server, *game.Room) {
	t.Helper()
	decks, err := game.NewMemoryDeckDB(nil)
	if err != nil {
		t.Fatal(err)
	}
	rooms := game.NewRegistry(game.RegistryConfig{Decks: decks, EmptyRoomGrace: time.Hour})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var h *Handler
	metrics := web.NewMetrics("test", rooms, func() int { return h.OpenSockets() }, ClientMessageTypes)
	faults := web.NewFaults(log, metrics.Registry)
	gate := web.NewGate(web.GateConfig{Rooms: rooms, Limits: web.DefaultLimits, CodeLookups: web.DefaultCodeLookupLimits, Faults: faults, Log: log})
	h = New(Deps{Gate: gate, Origins: web.NewOriginPolicy(web.NewCORSPolicy(nil), ""), Config: cfg, Log: log, Metrics: metrics, Faults: faults})
	h.testFault = func(at string, player uuid.UUID) {
		if at == place && player == victim {
			panic("injected fault in the " + at)
		}
	}
	e := echo.New()
	e.HTTPErrorHandler = web.ErrorHandler(log)
	e.GET("/api/ws/:player_id/:code", h.ServeWebSocket, web.LongLived)
	e.GET("/metrics", metrics.Handler())
	srv := httptest.NewServer(e)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		h.CloseAll(ctx)
		srv.Close()
	})
	room, err := rooms.Create("faults", game.DefaultDeckID, game.GameSettings{})
	if err != nil {
		t.Fatal(err)
	}
	return srv, room
}

func dialPlayer(t *testing.T, srv *httptest.Server, code string, id uuid.UUID) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/api/ws/"+id.String()+"/"+code, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.CloseNow() })
	return conn
}

// readType reads until a message of type typ; it fails on a close or after 5 s.
func readType(t *testing.T, conn *websocket.Conn, typ string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		_, data, err := conn.Read(ctx)
		if err != nil {
			t.Fatalf("waiting for %s: %v", typ, err)
		}
		var m struct{ Type string }
		_ = json.Unmarshal(data, &m)
		if m.Type == typ {
			return
		}
	}
}

// closedWith reads until the server closes the socket and returns its code.
func closedWith(t *testing.T, conn *websocket.Conn) websocket.StatusCode {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		_, _, err := conn.Read(ctx)
		if err == nil {
			continue
		}
		var ce websocket.CloseError
		if !errors.As(err, &ce) {
			t.Fatalf("the socket ended without a close frame: %v", err)
		}
		return ce.Code
	}
}

// A panic in a socket's reader, writer or pinger closes that socket alone with 1011:
// its player leaves the room (the others are told), the room and the other sockets go
// on, and the panic is counted.
func TestAPanicInASocketClosesOnlyThatSocket(t *testing.T) {
	victim, other := uuid.New(), uuid.New()
	for _, place := range []string{"reader", "writer", "pinger"} {
		t.Run(place, func(t *testing.T) {
			ws := DefaultConfig
			if place == "pinger" {
				ws.PingInterval = 20 * time.Millisecond
			}
			srv, room := faultServer(t, place, victim, ws)
			for _, id := range []uuid.UUID{other, victim} {
				if err := room.Join(game.Player{ID: id, Username: id.String()[:4]}); err != nil {
					t.Fatal(err)
				}
			}
			witness := dialPlayer(t, srv, room.Code(), other)
			readType(t, witness, "CONNECTED")
			conn := dialPlayer(t, srv, room.Code(), victim)
			if place == "reader" {
				if err := conn.Write(context.Background(), websocket.MessageText, []byte(`{"type":"SYNC","payload":null}`)); err != nil {
					t.Fatal(err)
				}
			}
			if code := closedWith(t, conn); code != websocket.StatusInternalError {
				t.Fatalf("closed with %d, want 1011", code)
			}
			readType(t, witness, "DISCONNECTED")
			// The witness's socket and the room still work.
			if err := witness.Write(context.Background(), websocket.MessageText, []byte(`{"type":"SUBMITVOTE","payload":3}`)); err != nil {
				t.Fatal(err)
			}
			readType(t, witness, "PLAYERVOTED")
			res, err := http.Get(srv.URL + "/metrics")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if !strings.Contains(string(body), `pokerd_panics_recovered_total{where="websocket"} 1`) {
				t.Fatalf("the panic was not counted:\n%s", body)
			}
		})
	}
}
