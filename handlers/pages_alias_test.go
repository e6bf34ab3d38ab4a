package handlers

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/internal/streamtest"
	"github.com/pokerd/pokerd/handlers/web"
)

// Nothing a browser receives holds a player's id: not the room page, its hand and
// people fragments, its event stream, nor the session record downloaded from it. A
// browser player's id is the key to their seat, and an API player's id is theirs to
// connect with; every page names everyone, the viewer included, by alias.
func TestBrowserBytesNamePlayersByAliasOnly(t *testing.T) {
	decks, err := game.NewMemoryDeckDB(nil)
	if err != nil {
		t.Fatal(err)
	}
	rooms := game.NewRegistry(game.RegistryConfig{Decks: decks})
	s := New(Config{Rooms: rooms, Decks: decks, BodyLimit: 1 << 16, WS: DefaultWSConfig, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv := serveUntilTestEnds(t, s)

	room, err := rooms.Create("Aliases", game.DefaultDeckID, game.GameSettings{})
	if err != nil {
		t.Fatal(err)
	}
	code := room.Code()
	// Ann (the facilitator) and Bob sit in browsers; Carol joins over the API.
	annBrowser, bobBrowser := uuid.New(), uuid.New()
	ann, bob := web.SeatID(annBrowser, code), web.SeatID(bobBrowser, code)
	for _, p := range []game.Player{{ID: ann, Username: "Ann"}, {ID: bob, Username: "Bob"}} {
		if err := room.Join(p); err != nil {
			t.Fatal(err)
		}
	}
	carol := uuid.New()
	res, err := http.Post(srv.URL+"/api/join/"+code, "application/json", strings.NewReader(`{"username":"Carol","id":"`+carol.String()+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("Carol's join: %d", res.StatusCode)
	}
	for _, id := range []uuid.UUID{ann, bob, carol} {
		if err := room.Connect(id, nil); err != nil {
			t.Fatal(err)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// A revealed round, so that votes, results and the record are all on show.
	must(room.StartRound(ann, nil))
	must(room.Vote(ann, 3))
	must(room.Vote(bob, 5))
	must(room.Vote(carol, 8))
	must(room.Reveal(ann))

	st := room.State()
	ids := map[string]string{}     // id → name
	aliases := map[string]string{} // alias → name
	for _, p := range st.Players {
		ids[p.Player.ID.String()] = p.Player.Username
		aliases[p.Player.Alias.String()] = p.Player.Username
	}
	if len(aliases) != 3 {
		t.Fatalf("players: %+v", st.Players)
	}

	get := func(browser uuid.UUID, path string) string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.AddCookie(&http.Cookie{Name: web.BrowserCookie, Value: browser.String()})
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, res.StatusCode, body)
		}
		return string(body)
	}
	seen := map[string]string{} // what → bytes
	for who, browser := range map[string]uuid.UUID{"Ann": annBrowser, "Bob": bobBrowser} {
		for _, path := range []string{"", "/hand", "/people"} {
			seen[who+"'s GET /room/{code}"+path] = get(browser, "/room/"+code+path)
		}
		updates := streamtest.Updates(t, srv.URL+"/room/"+code+"/events", browser.String())
		seen[who+"'s first stream message"] = streamtest.Next(t, updates)
	}
	for _, format := range []string{"csv", "json"} {
		seen["Ann's record."+format] = get(annBrowser, "/room/"+code+"/record."+format)
	}
	// A change after the streams opened: a new round, a vote and a reveal.
	stream := streamtest.Updates(t, srv.URL+"/room/"+code+"/events", bobBrowser.String())
	first := streamtest.Next(t, stream)
	must(room.StartRound(ann, nil))
	must(room.Vote(carol, 13))
	must(room.Reveal(ann))
	var later bytes.Buffer
	for !strings.Contains(later.String(), `data-testid="vote">13<`) {
		later.WriteString(streamtest.Next(t, stream))
	}
	seen["Bob's stream after a change"] = first + later.String()

	for what, body := range seen {
		for id, name := range ids {
			if strings.Contains(body, id) {
				t.Errorf("%s holds %s's id", what, name)
			}
		}
	}
	// The aliases stand where the ids stood.
	mustName := func(what string, names ...string) {
		t.Helper()
		for alias, name := range aliases {
			for _, n := range names {
				if n == name && !strings.Contains(seen[what], alias) {
					t.Errorf("%s lacks %s's alias", what, name)
				}
			}
		}
	}
	for _, what := range []string{"Ann's GET /room/{code}", "Bob's GET /room/{code}", "Ann's first stream message", "Bob's first stream message", "Bob's stream after a change", "Ann's record.csv", "Ann's record.json"} {
		mustName(what, "Ann", "Bob", "Carol")
	}
	mustName("Ann's GET /room/{code}/people", "Bob", "Carol")
}
