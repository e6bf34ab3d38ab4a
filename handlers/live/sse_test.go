package handlers

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/a-h/templ"
	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/views"
)

// streamUpdates reads a room's event stream and hands over each update's data.
func streamUpdates(t *testing.T, url, browser string) <-chan string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	req.AddCookie(&http.Cookie{Name: browserCookie, Value: browser})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("events: %d", res.StatusCode)
	}
	updates := make(chan string, 64)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(updates)
		lines := bufio.NewReader(res.Body)
		var event, data string
		for {
			line, err := lines.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimSuffix(line, "\n")
			switch {
			case line == "" && event == "update":
				updates <- data
				event, data = "", ""
			case line == "":
				event, data = "", ""
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				data += strings.TrimPrefix(line, "data: ") + "\n"
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		res.Body.Close()
		for range updates { // let the reader finish
		}
		<-done
	})
	return updates
}

func nextUpdate(t *testing.T, updates <-chan string) string {
	t.Helper()
	select {
	case d, ok := <-updates:
		if !ok {
			t.Fatal("the stream ended")
		}
		return d
	case <-time.After(5 * time.Second):
		t.Fatal("no update within 5s")
	}
	return ""
}

// A render that panics is logged and counted; the room's renderer carries on, the
// stream stays open, and the next change brings the browser everything it missed.
func TestRoomRendererSurvivesAPanickingRender(t *testing.T) {
	decks, err := game.NewMemoryDeckDB(nil)
	if err != nil {
		t.Fatal(err)
	}
	rooms := game.NewRegistry(game.RegistryConfig{Decks: decks})
	s := New(Config{Rooms: rooms, Decks: decks, BodyLimit: 1 << 16, WS: DefaultWSConfig, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	var failing atomic.Bool
	s.streams.render = func(st *game.State, hands, people bool, record views.RecordChanges) templ.Component {
		if failing.Load() {
			panic("a render that fails")
		}
		return views.Live(st, hands, people, record)
	}
	srv := serveUntilTestEnds(t, s)

	room, err := rooms.Create("Panics", game.DefaultDeckID, game.GameSettings{})
	if err != nil {
		t.Fatal(err)
	}
	browser := uuid.New()
	me := seatID(browser, room.Code())
	if err := room.Join(game.Player{ID: me, Username: "Ann"}); err != nil {
		t.Fatal(err)
	}
	updates := streamUpdates(t, srv.URL+"/room/"+room.Code()+"/events", browser.String())
	if first := nextUpdate(t, updates); !strings.Contains(first, `id="players"`) {
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
	d := nextUpdate(t, updates)
	for !strings.Contains(d, `data-testid="round-state">Voting`) {
		d = nextUpdate(t, updates)
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
