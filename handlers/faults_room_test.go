package handlers

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pokerd/pokerd/game"
)

// panicOnClose is a room subscriber with a bug met when its room closes.
type panicOnClose struct{}

func (panicOnClose) Deliver(ev *game.Event) {
	if ev.Kind == game.RoomClosed {
		panic("a bug met in a room's timer")
	}
}

// TestRoomPanicIsCountedAndLogged wires the registry to the server as main does: a panic
// in a room's timer (here, the deletion of an unused room) is logged with its stack and
// counted under where="room", and the process carries on.
func TestRoomPanicIsCountedAndLogged(t *testing.T) {
	decks, err := game.NewMemoryDeckDB(nil)
	must(t, err)
	var logs syncBuffer
	var server *Server
	// The room's timers wait for the test to be ready: on a busy machine the room's 1 ms
	// could otherwise run out before the test subscribes to it.
	clock := gatedClock{ready: make(chan struct{})}
	rooms := game.NewRegistry(game.RegistryConfig{
		Decks:         decks,
		Clock:         clock,
		UnusedRoomTTL: time.Millisecond,
		OnPanic:       func(v any, stack []byte) { server.RoomPanicked(v, stack) },
	})
	server = New(Config{Rooms: rooms, Decks: decks, BodyLimit: 1 << 16, WS: DefaultWSConfig,
		Log: slog.New(slog.NewTextHandler(&logs, nil))})
	room, err := rooms.Create("", game.DefaultDeckID, game.GameSettings{})
	must(t, err)
	_, err = room.Subscribe(panicOnClose{})
	must(t, err)
	close(clock.ready)

	want := `pokerd_panics_recovered_total{where="room"} 1`
	deadline := time.Now().Add(10 * time.Second)
	for {
		rec := httptest.NewRecorder()
		server.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		if strings.Contains(rec.Body.String(), want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/metrics never showed %s", want)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if l := logs.String(); !strings.Contains(l, "a bug met in a room") || !strings.Contains(l, "panicOnClose") {
		t.Fatalf("the log does not show the panic with its stack:\n%s", l)
	}
	if rooms.Len() != 0 {
		t.Fatalf("%d rooms: the room whose closing panicked is still held", rooms.Len())
	}
}

// gatedClock is the wall clock whose timers fire only once ready is closed.
type gatedClock struct {
	game.SystemClock
	ready chan struct{}
}

func (c gatedClock) AfterFunc(d time.Duration, f func()) game.Timer {
	return time.AfterFunc(d, func() {
		<-c.ready
		f()
	})
}

// syncBuffer is a log destination safe for the timer's goroutine and the test's.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
