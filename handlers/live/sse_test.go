package live

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/a-h/templ"
	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/internal/streamtest"
	"github.com/pokerd/pokerd/handlers/web"
	"github.com/pokerd/pokerd/views"
)

// A render that panics is logged and counted; the room's renderer carries on, the
// stream stays open, and the next change brings the browser everything it missed.
func TestRoomRendererSurvivesAPanickingRender(t *testing.T) {
	srv, s, rooms := streamServer(t)
	var failing atomic.Bool
	s.streams.drawing.room = func(st *game.State, record views.RecordChanges) templ.Component {
		if failing.Load() {
			panic("a render that fails")
		}
		return views.LiveRoom(st, record)
	}

	room, err := rooms.Create("Panics", game.DefaultDeckID, game.GameSettings{})
	if err != nil {
		t.Fatal(err)
	}
	browser := uuid.New()
	me := web.SeatID(browser, room.Code())
	if err := room.Join(game.Player{ID: me, Username: "Ann"}); err != nil {
		t.Fatal(err)
	}
	updates := streamtest.Updates(t, srv.URL+"/room/"+room.Code()+"/events", browser.String())
	if first := streamtest.Next(t, updates); !strings.Contains(first, `id="players"`) {
		t.Fatalf("first update: %s", first)
	}

	failing.Store(true)
	if err := room.StartRound(me, nil); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for streamPanics(t, srv.URL) < 1 {
		if time.Now().After(deadline) {
			t.Fatal("the render's panic was not counted")
		}
		time.Sleep(5 * time.Millisecond)
	}

	failing.Store(false)
	if err := room.Vote(me, 5); err != nil {
		t.Fatalf("the room no longer works: %v", err)
	}
	// An update rendered before the failing began (the stream's own connection makes
	// one) may still be on its way: the first that shows the round is the one after.
	d := streamtest.Next(t, updates)
	for !strings.Contains(d, `data-testid="round-state">Voting`) {
		d = streamtest.Next(t, updates)
	}
	for _, want := range []string{`data-voted="true"`, `id="hand-sync"`, `id="record"`} {
		if !strings.Contains(d, want) {
			t.Errorf("the update after the panic lacks %s: %s", want, d)
		}
	}
	if n := streamPanics(t, srv.URL); n != 1 {
		t.Errorf("%v panics counted, want 1", n)
	}
}

// streamPanics is pokerd_panics_recovered_total{where="sse_stream"} as /metrics shows it.
func streamPanics(t *testing.T, base string) float64 {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	const series = `pokerd_panics_recovered_total{where="sse_stream"} `
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, series); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no %s in /metrics", series)
	return 0
}
