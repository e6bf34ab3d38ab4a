package handlers

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/internal/allocs"
	"github.com/pokerd/pokerd/handlers/web"
)

// The decoders of outside input on the HTTP surface, fuzzed through the real handlers
// (Echo, middleware, error handler) for the property that nothing a visitor sends makes
// the server fail (a 500 or a panic) or work or answer out of proportion to what was
// sent. Their seed corpora hold the inputs of known attacks and run with every go test.

const fuzzBodyLimit = 64 << 10

// fuzzServer is the server for one input, with rooms of its own so that inputs do not
// pile rooms up. The server itself is built once: building one per input (its routes,
// its metrics) cost most of each run.
func fuzzServer() *Server {
	fuzzShared.once.Do(func() {
		decks, err := game.NewMemoryDeckDB(nil)
		if err != nil {
			panic(err)
		}
		fuzzShared.decks = decks
		fuzzShared.server = New(Config{
			Rooms: newFuzzRooms(decks), Decks: decks, BodyLimit: fuzzBodyLimit, WS: DefaultWSConfig,
			Log: slog.New(slog.DiscardHandler), ListenAddr: "127.0.0.1:8000",
		})
	})
	fuzzShared.server.rooms = newFuzzRooms(fuzzShared.decks)
	return fuzzShared.server
}

var fuzzShared struct {
	once   sync.Once
	decks  game.DeckDB
	server *Server
}

func newFuzzRooms(decks game.DeckDB) *game.Registry {
	return game.NewRegistry(game.RegistryConfig{Decks: decks, MaxRooms: 20, MaxPlayersPerRoom: 20})
}

// serve runs one request through the whole server.
func serve(s *Server, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

// checkAnswer fails t on a status the route never answers and on an answer larger than
// a small multiple of the input plus a constant.
func checkAnswer(t *testing.T, rec *httptest.ResponseRecorder, inputLen, base int, statuses ...int) {
	t.Helper()
	ok := false
	for _, s := range statuses {
		ok = ok || rec.Code == s
	}
	if !ok {
		t.Fatalf("answered %d: %.300s", rec.Code, rec.Body.Bytes())
	}
	if limit := base + 4*inputLen; rec.Body.Len() > limit {
		t.Fatalf("answered %d bytes to %d bytes (at most %d): %.300s", rec.Body.Len(), inputLen, limit, rec.Body.Bytes())
	}
}

// attackBodies are the JSON bodies of known attacks and edge cases; the game and join
// fuzzers both start from them.
var attackBodies = []string{
	`{"name":"x","deck_id":1e100000000,"game_settings":{}}`,
	`{"name":"x","deck_id":1e10000000,"game_settings":{}}`,
	`{"name":"x","deck_id":"1e100000000","game_settings":{}}`,
	`{"name":"x","deck_id":-1e100000000,"game_settings":{}}`,
	`{"name":"x","deck_id":` + strings.Repeat("9", 300) + `,"game_settings":{}}`,
	`{"name":"x","deck_id":99999999999999999999,"game_settings":{}}`,
	`{"name":"x","deck_id":9223372036854775807,"game_settings":{}}`,
	`{"name":"x","deck_id":1.5,"game_settings":{}}`,
	`{"name":"x","deck_id":1,"game_settings":{"max_players":1e100000000}}`,
	`{"name":"x","deck_id":1,"game_settings":{"round_timer_settings":{"maximum":153722868,"warning":1}}}`,
	`{"name":"x","deck_id":1,"game_settings":{"round_timer_settings":{"maximum":1e309}}}`,
	`{"name":"x","deck_id":1,"game_settings":{"round_timer_settings":{"maximum":"9999999999"}}}`,
	`{"name":"x","deck_id":1,"game_settings":{"round_timer_settings":{"maximum":1440,"warning":1439},"reveal_on_timer":"yes"}}`,
	`{"name":"x","cards":"XS, S, M, L, x=1e100000000","game_settings":{}}`,
	`{"name":"x","cards":[{"label":"a","value":1e100000000},{"label":"b","value":"1e309"}],"game_settings":{}}`,
	`{"name":"x","cards":[{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}],"game_settings":{}}`,
	`{"name":"\u202eevil\u200b","deck_id":1,"game_settings":{}}`,
	`{"name":"` + strings.Repeat("é", 101) + `","deck_id":1,"game_settings":{}}`,
	`{"username":"` + strings.Repeat("n", 300) + `"}`,
	`{"username":"\u2066Ann\u2069\u0000","id":"3f2504e0-4f89-11d3-9a0c-0305e82c3301"}`,
	`{"username":"` + strings.Repeat("<", 200) + `","id":5}`,
	`{"username":""}`, `{}`, ``, `[]`, `null`, `"x"`, `{"name":`, strings.Repeat("[", 500),
}

func FuzzCreateGameBody(f *testing.F) {
	for _, b := range attackBodies {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		s := fuzzServer()
		var rec *httptest.ResponseRecorder
		allocs.Bounded(t, len(body), 1<<20, 256, func() {
			req := httptest.NewRequest(http.MethodPost, "/api/game", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec = serve(s, req)
		})
		checkAnswer(t, rec, len(body), 16<<10, 200, 404, 413, 422, 503)
	})
}

func FuzzJoinGameBody(f *testing.F) {
	for _, b := range attackBodies {
		f.Add("ab12", []byte(b))
	}
	f.Add("AB12", []byte(`{"username":"Ann"}`))
	f.Add(strings.Repeat("a", 300), []byte(`{"username":"Ann"}`))
	f.Fuzz(func(t *testing.T, code string, body []byte) {
		s := fuzzServer()
		room, err := s.rooms.Create("Team", game.DefaultDeckID, game.GameSettings{})
		if err != nil {
			t.Fatal(err)
		}
		if code == "ab12" {
			code = room.Code()
		}
		var rec *httptest.ResponseRecorder
		inputLen := len(code) + len(body)
		allocs.Bounded(t, inputLen, 1<<20, 256, func() {
			req := httptest.NewRequest(http.MethodPost, "/api/join/"+url.PathEscape(code), bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec = serve(s, req)
		})
		checkAnswer(t, rec, 3*inputLen, 16<<10, 200, 404, 409, 413, 422)
		if rec.Code == http.StatusOK {
			for _, p := range room.State().Players {
				if n := utf8.RuneCountInString(p.Player.Username); n > game.MaxUsernameLength || game.CleanName(p.Player.Username) != p.Player.Username {
					t.Fatalf("seated a name of %d characters: %.200q", n, p.Player.Username)
				}
			}
		}
	})
}

func FuzzGetDeck(f *testing.F) {
	for _, id := range []string{"1", "0", "-1", "999", "1000000", "1e3", "1.0", "+1", " 1", strings.Repeat("9", 300), "99999999999999999999", "9223372036854775807", "x"} {
		f.Add(id)
	}
	f.Fuzz(func(t *testing.T, id string) {
		s := fuzzServer()
		var rec *httptest.ResponseRecorder
		allocs.Bounded(t, len(id), 1<<20, 256, func() {
			rec = serve(s, httptest.NewRequest(http.MethodGet, "/api/decks/"+url.PathEscape(id), nil))
		})
		checkAnswer(t, rec, 3*len(id), 8<<10, 200, 404, 422)
	})
}

// pageRoutes are the browser's form posts (and the join page), which FuzzPageForm picks
// from.
var pageRoutes = []string{"/rooms", "/join/%s", "/room/%s/vote", "/room/%s/start", "/room/%s/estimate",
	"/room/%s/options", "/room/%s/handoff", "/room/%s/remove", "/room/%s/observe", "/room/%s/reveal"}

func FuzzPageForm(f *testing.F) {
	for _, seed := range []struct {
		route int
		form  string
	}{
		{0, "room_name=Team&your_name=Ann&deck_id=1"},
		{0, "room_name=Team&your_name=Ann&deck_id=1&timer=on&timer_max=153722868&timer_warn=1"},
		{0, "room_name=Team&your_name=Ann&deck_id=1&timer=on&timer_max=9999999999&timer_warn=1"},
		{0, "room_name=Team&your_name=Ann&deck_id=1&timer=on&timer_max=1e309&timer_warn=1"},
		{0, "room_name=Team&your_name=Ann&deck_id=custom&custom_cards=XS,S,M,x%3D1e100000000"},
		{0, "room_name=Team&your_name=Ann&deck_id=1&max_players=1e100000000"},
		{0, "room_name=%E2%80%AEevil&your_name=%E2%81%A6Ann%E2%81%A9&deck_id=1"},
		{0, "your_name=" + strings.Repeat("n", 300)},
		{1, "your_name=%E2%80%8B"},
		{1, "your_name=Bob"},
		{2, "value=1e100000000"},
		{2, "value=5"},
		{3, "ticket=https://tracker.example/" + strings.Repeat("x", 300)},
		{3, "ticket=javascript:alert(1)"},
		{4, "round=1&estimate=8"},
		{4, "round=99999999999999999999&estimate=" + strings.Repeat("8", 100)},
		{5, "auto_reveal=on&reveal_on_timer=on"},
		{6, "player=not-a-uuid"},
		{7, "player=3f2504e0-4f89-11d3-9a0c-0305e82c3301"},
		{8, ""}, {9, ""},
		{0x80 | 3, "ticket=https://x.y/1"},
		{0, "%%%%&&&==="},
	} {
		f.Add(seed.route, seed.form)
	}
	browser := uuid.MustParse("5b1e7c2a-1111-4222-8333-444455556666")
	f.Fuzz(func(t *testing.T, route int, form string) {
		s := fuzzServer()
		room, err := s.rooms.Create("Team", game.DefaultDeckID, game.GameSettings{})
		if err != nil {
			t.Fatal(err)
		}
		if err := room.Join(game.Player{ID: web.SeatID(browser, room.Code()), Username: "Me"}); err != nil {
			t.Fatal(err)
		}
		htmx := route&0x80 != 0
		path := pageRoutes[(route&0x7f)%len(pageRoutes)]
		path = strings.ReplaceAll(path, "%s", room.Code())
		var rec *httptest.ResponseRecorder
		allocs.Bounded(t, len(form), 2<<20, 512, func() {
			req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-CSRF-Token", "fuzztoken")
			req.AddCookie(&http.Cookie{Name: "pokerd_csrf", Value: "fuzztoken"})
			req.AddCookie(&http.Cookie{Name: web.BrowserCookie, Value: browser.String()})
			if htmx {
				req.Header.Set("HX-Request", "true")
			}
			rec = serve(s, req)
		})
		checkAnswer(t, rec, len(form), 128<<10, 200, 303, 400, 403, 404, 409, 413, 422, 503)
		for _, p := range room.State().Players {
			if game.CleanName(p.Player.Username) != p.Player.Username || utf8.RuneCountInString(p.Player.Username) > game.MaxUsernameLength {
				t.Fatalf("seated the name %.200q", p.Player.Username)
			}
		}
	})
}
