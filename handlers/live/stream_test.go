package live

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/internal/streamtest"
	"github.com/pokerd/pokerd/handlers/web"
)

// A browser that subscribes is first sent the room's shared parts, to swap in place;
// then each change reaches it. A browser without a seat gets no stream.
func TestTheStreamSendsTheRoom(t *testing.T) {
	srv, _, rooms := streamServer(t)
	room, err := rooms.Create("Sprint 7", game.DefaultDeckID, game.GameSettings{})
	if err != nil {
		t.Fatal(err)
	}
	annBrowser, bobBrowser := uuid.New(), uuid.New()
	ann, bob := web.SeatID(annBrowser, room.Code()), web.SeatID(bobBrowser, room.Code())
	for _, p := range []game.Player{{ID: ann, Username: "Ann"}, {ID: bob, Username: "Bob"}} {
		if err := room.Join(p); err != nil {
			t.Fatal(err)
		}
	}
	events := srv.URL + "/room/" + room.Code() + "/events"

	t.Run("a seated browser is sent the round and the players first", func(t *testing.T) {
		updates := streamtest.Updates(t, events, annBrowser.String())
		first := streamtest.Next(t, updates)
		for _, want := range []string{`data-testid="round-state"`, `data-testid="player-name"`, "hx-swap-oob", ">Ann<", ">Bob<"} {
			if !strings.Contains(first, want) {
				t.Errorf("the first message lacks %s:\n%s", want, first)
			}
		}
		if err := room.StartRound(ann, nil); err != nil {
			t.Fatal(err)
		}
		if err := room.Vote(bob, 5); err != nil {
			t.Fatal(err)
		}
		for d := streamtest.Next(t, updates); !strings.Contains(d, `data-voted="true"`); d = streamtest.Next(t, updates) {
		}
	})

	t.Run("a browser without a seat is refused", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, events, nil)
		req.AddCookie(&http.Cookie{Name: web.BrowserCookie, Value: uuid.New().String()})
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "Join the room first") {
			t.Fatalf("answered %d %s", res.StatusCode, body)
		}
	})

	t.Run("a room that does not exist has no stream", func(t *testing.T) {
		res, err := http.Get(srv.URL + "/room/zz99zz99/events")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Fatalf("answered %d", res.StatusCode)
		}
	})
}
