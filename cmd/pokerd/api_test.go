package main

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestDecks(t *testing.T) {
	s := startServer(t, nil)

	t.Run("deck 1 is the reference's Fibonacci deck, whole numbers written as floats", func(t *testing.T) {
		res := s.do(t, "GET", "/api/decks/1", "", nil)
		want := `{"id":1,"name":"Fibonacci","cards":[{"label":"1/2","value":0.5},{"label":"1","value":1.0},{"label":"2","value":2.0},{"label":"3","value":3.0},{"label":"5","value":5.0},{"label":"8","value":8.0},{"label":"13","value":13.0},{"label":"21","value":21.0},{"label":"?","value":100.0}]}`
		if res.status != 200 || string(res.body) != want {
			t.Fatalf("got %d %s", res.status, res.body)
		}
	})
	t.Run("the list starts with deck 1 and every deck has cards", func(t *testing.T) {
		res := s.do(t, "GET", "/api/decks", "", nil)
		if res.status != 200 || !strings.HasPrefix(string(res.body), `[{"id":1,"name":"Fibonacci","cards":[`) {
			t.Fatalf("got %d %s", res.status, res.body)
		}
	})
	for _, tc := range []struct {
		path   string
		status int
		detail string
	}{
		{"/api/decks/999", 404, "No deck exists with ID 999"},
		{"/api/decks/0", 422, ""},
		{"/api/decks/-1", 422, ""},
		{"/api/decks/abc", 422, ""},
		{"/api/decks/1.5", 422, ""},
	} {
		t.Run(tc.path+" answers "+http.StatusText(tc.status), func(t *testing.T) {
			res := s.do(t, "GET", tc.path, "", nil)
			if res.status != tc.status {
				t.Fatalf("got %d %s", res.status, res.body)
			}
			if tc.detail != "" && res.json(t)["detail"] != tc.detail {
				t.Fatalf("detail %s", res.body)
			}
		})
	}
}

// codeShape is a new room's code at the default length (--code-length 8).
var codeShape = regexp.MustCompile(`^[a-z0-9]{8}$`)

func TestCreateGame(t *testing.T) {
	// Its subtests open some 60 rooms from one client in a moment, which the per-client
	// limits would refuse: they are tested in attack_limits_test.go.
	s := startServer(t, nil, "--rooms-per-minute", "0", "--unused-rooms-per-address", "0")

	t.Run("a game without timer echoes its fields in order with a new code", func(t *testing.T) {
		res := s.post(t, "/api/game", `{"name":"Sprint <42> & co","deck_id":1,"game_settings":{},"extra":true}`)
		if res.status != 200 {
			t.Fatalf("got %d %s", res.status, res.body)
		}
		code := res.json(t)["code"].(string)
		if !codeShape.MatchString(code) {
			t.Fatalf("code %q", code)
		}
		want := `{"name":"Sprint <42> & co","deck_id":1,"game_settings":{},"code":"` + code + `"}`
		if string(res.body) != want {
			t.Fatalf("got  %s\nwant %s", res.body, want)
		}
	})
	t.Run("a null timer comes back without the key", func(t *testing.T) {
		res := s.post(t, "/api/game", `{"name":"","deck_id":1,"game_settings":{"round_timer_settings":null}}`)
		if res.status != 200 || !strings.Contains(string(res.body), `"game_settings":{}`) {
			t.Fatalf("got %d %s", res.status, res.body)
		}
	})
	t.Run("a timer without values gets the defaults", func(t *testing.T) {
		res := s.post(t, "/api/game", `{"name":"t","deck_id":1,"game_settings":{"round_timer_settings":{}}}`)
		if res.status != 200 || !strings.Contains(string(res.body), `"game_settings":{"round_timer_settings":{"maximum":5,"warning":4}}`) {
			t.Fatalf("got %d %s", res.status, res.body)
		}
	})
	t.Run("a timer is stored as given", func(t *testing.T) {
		res := s.post(t, "/api/game", `{"name":"t","deck_id":2,"game_settings":{"round_timer_settings":{"maximum":10,"warning":8}}}`)
		if res.status != 200 || !strings.Contains(string(res.body), `"deck_id":2,"game_settings":{"round_timer_settings":{"maximum":10,"warning":8}}`) {
			t.Fatalf("got %d %s", res.status, res.body)
		}
	})
	t.Run("codes are unique", func(t *testing.T) {
		seen := map[string]bool{}
		for range 50 {
			code := s.createGame(t, "g")
			if seen[code] {
				t.Fatalf("code %s given twice", code)
			}
			seen[code] = true
		}
	})
	for _, id := range []string{"999", "0", "-1"} {
		t.Run("unknown deck "+id+" is a 404 naming it", func(t *testing.T) {
			res := s.post(t, "/api/game", `{"name":"x","deck_id":`+id+`,"game_settings":{}}`)
			if res.status != 404 || res.json(t)["detail"] != "No deck exists with ID "+id {
				t.Fatalf("got %d %s", res.status, res.body)
			}
		})
	}

	long := strings.Repeat("é", 101)
	for _, tc := range []struct{ name, body string }{
		{"empty body", ``},
		{"not JSON", `{"name":`},
		{"a list", `[1,2]`},
		{"a string", `"game"`},
		{"name missing", `{"deck_id":1,"game_settings":{}}`},
		{"name not a string", `{"name":5,"deck_id":1,"game_settings":{}}`},
		{"name of 101 characters", `{"name":"` + long + `","deck_id":1,"game_settings":{}}`},
		{"deck_id missing", `{"name":"x","game_settings":{}}`},
		{"deck_id null", `{"name":"x","deck_id":null,"game_settings":{}}`},
		{"deck_id not a number", `{"name":"x","deck_id":"one","game_settings":{}}`},
		{"deck_id a fraction", `{"name":"x","deck_id":1.5,"game_settings":{}}`},
		{"game_settings missing", `{"name":"x","deck_id":1}`},
		{"game_settings null", `{"name":"x","deck_id":1,"game_settings":null}`},
		{"game_settings a list", `{"name":"x","deck_id":1,"game_settings":[]}`},
		{"timer a number", `{"name":"x","deck_id":1,"game_settings":{"round_timer_settings":3}}`},
		{"timer maximum below 2", `{"name":"x","deck_id":1,"game_settings":{"round_timer_settings":{"maximum":1,"warning":1}}}`},
		{"timer warning below 1", `{"name":"x","deck_id":1,"game_settings":{"round_timer_settings":{"maximum":5,"warning":0}}}`},
		{"timer warning not before maximum", `{"name":"x","deck_id":1,"game_settings":{"round_timer_settings":{"maximum":5,"warning":5}}}`},
		{"timer warning above the default maximum", `{"name":"x","deck_id":1,"game_settings":{"round_timer_settings":{"warning":6}}}`},
		{"timer maximum not a number", `{"name":"x","deck_id":1,"game_settings":{"round_timer_settings":{"maximum":"long"}}}`},
		{"invalid body with an unknown deck", `{"name":5,"deck_id":999,"game_settings":{}}`},
	} {
		t.Run(tc.name+" is a 422", func(t *testing.T) {
			res := s.post(t, "/api/game", tc.body)
			if res.status != 422 {
				t.Fatalf("got %d %s", res.status, res.body)
			}
			detail, ok := res.json(t)["detail"].([]any)
			if !ok || len(detail) == 0 {
				t.Fatalf("detail is not a list of problems: %s", res.body)
			}
			first := detail[0].(map[string]any)
			for _, k := range []string{"type", "loc", "msg"} {
				if _, ok := first[k]; !ok {
					t.Fatalf("problem without %q: %s", k, res.body)
				}
			}
		})
	}
	t.Run("a name of 100 characters is fine", func(t *testing.T) {
		res := s.post(t, "/api/game", `{"name":"`+strings.Repeat("é", 100)+`","deck_id":1,"game_settings":{}}`)
		if res.status != 200 {
			t.Fatalf("got %d %s", res.status, res.body)
		}
	})
}

func TestJoinGame(t *testing.T) {
	s := startServer(t, nil)
	code := s.createGame(t, "join")

	t.Run("a player without id gets a fresh UUID v4", func(t *testing.T) {
		res := s.post(t, "/api/join/"+code, `{"username":"Ann"}`)
		if res.status != 200 {
			t.Fatalf("got %d %s", res.status, res.body)
		}
		p := res.json(t)
		id, err := uuid.Parse(p["id"].(string))
		if err != nil || id.Version() != 4 || id.String() != p["id"] || p["username"] != "Ann" {
			t.Fatalf("got %s", res.body)
		}
		if keys := objectKeys(t, res.body); !slices.Equal(keys, []string{"id", "username"}) {
			t.Fatalf("keys %v", keys)
		}
	})
	canonical := "6f9619ff-8b86-d011-b42d-00c04fc964ff"
	for _, form := range []string{
		canonical,
		strings.ToUpper(canonical),
		strings.ReplaceAll(canonical, "-", ""),
		"{" + canonical + "}",
		"urn:uuid:" + canonical,
	} {
		t.Run("the id "+form+" is echoed canonical", func(t *testing.T) {
			res := s.post(t, "/api/join/"+code, `{"username":"Bob","id":"`+form+`"}`)
			if res.status != 200 || res.json(t)["id"] != canonical {
				t.Fatalf("got %d %s", res.status, res.body)
			}
		})
	}
	t.Run("joining again echoes the new name and changes nothing", func(t *testing.T) {
		res := s.post(t, "/api/join/"+code, `{"username":"Robert","id":"`+canonical+`"}`)
		if string(res.body) != `{"id":"`+canonical+`","username":"Robert"}` {
			t.Fatalf("got %d %s", res.status, res.body)
		}
		c := s.connect(t, canonical, code)
		st := c.sync()
		if got := st.PlayerStates[canonical].Player.Username; got != "Bob" {
			t.Fatalf("stored name %q, want the first one, Bob", got)
		}
		if len(st.PlayerStates) != 2 {
			t.Fatalf("%d players, want 2", len(st.PlayerStates))
		}
	})
	t.Run("an id that is another player's alias is a 409 with a reason, and seats nobody", func(t *testing.T) {
		cleoID := s.join(t, code, "Cleo")
		c := s.connect(t, canonical, code)
		alias := c.nameOf(cleoID) // as Bob sees Cleo
		if alias == "" || alias == cleoID {
			t.Fatalf("Bob sees Cleo as %q", alias)
		}
		for _, form := range []string{alias, strings.ToUpper(alias)} {
			res := s.post(t, "/api/join/"+code, `{"username":"Mallory","id":"`+form+`"}`)
			if res.status != 409 || res.json(t)["detail"] != "That id belongs to another player in game '"+code+"': join with your own id" {
				t.Fatalf("join as %s: %d %s", form, res.status, res.body)
			}
		}
		if st := c.sync(); len(st.PlayerStates) != 3 {
			t.Fatalf("%d players after joins under an alias, want 3: %+v", len(st.PlayerStates), st.PlayerStates)
		}
	})
	t.Run("hostile and empty names are kept as text", func(t *testing.T) {
		res := s.post(t, "/api/join/"+code, `{"username":"<script>alert(1)</script>"}`)
		if res.status != 200 || !strings.Contains(string(res.body), `"username":"<script>alert(1)</script>"`) {
			t.Fatalf("got %d %s", res.status, res.body)
		}
		if res := s.post(t, "/api/join/"+code, `{"username":""}`); res.status != 200 {
			t.Fatalf("empty name: %d %s", res.status, res.body)
		}
	})
	t.Run("an unknown game is a 404 naming the code", func(t *testing.T) {
		res := s.post(t, "/api/join/zzzz9", `{"username":"x"}`)
		if res.status != 404 || res.json(t)["detail"] != "No existing game found with code 'zzzz9'" {
			t.Fatalf("got %d %s", res.status, res.body)
		}
	})
	for _, tc := range []struct{ name, code, body string }{
		{"a code in capitals", "ABCD", `{"username":"x"}`},
		{"a code too short", "abc", `{"username":"x"}`},
		{"a code too long", "abcdefghijk", `{"username":"x"}`},
		{"username missing", code, `{}`},
		{"username not a string", code, `{"username":1}`},
		{"id null", code, `{"username":"x","id":null}`},
		{"id not a UUID", code, `{"username":"x","id":"123"}`},
		{"id a number", code, `{"username":"x","id":123}`},
		{"not JSON", code, `username=x`},
		{"an invalid body for an unknown game", "zzzz", `{}`},
	} {
		t.Run(tc.name+" is a 422", func(t *testing.T) {
			res := s.post(t, "/api/join/"+tc.code, tc.body)
			if res.status != 422 {
				t.Fatalf("got %d %s", res.status, res.body)
			}
		})
	}
}

func TestHTTPErrors(t *testing.T) {
	s := startServer(t, nil, "--max-body", "1024")
	t.Run("an unknown route is a JSON 404", func(t *testing.T) {
		res := s.do(t, "GET", "/api/nothing", "", nil)
		if res.status != 404 || string(res.body) != `{"detail":"Not Found"}` {
			t.Fatalf("got %d %s", res.status, res.body)
		}
	})
	t.Run("a wrong method is a JSON 405", func(t *testing.T) {
		res := s.do(t, "DELETE", "/api/decks", "", nil)
		if res.status != 405 || string(res.body) != `{"detail":"Method Not Allowed"}` {
			t.Fatalf("got %d %s", res.status, res.body)
		}
	})
	t.Run("an oversized body is a 413 and the server goes on", func(t *testing.T) {
		res := s.post(t, "/api/game", `{"name":"`+strings.Repeat("a", 4096)+`","deck_id":1,"game_settings":{}}`)
		if res.status != 413 || res.json(t)["detail"] != "Request body too large" {
			t.Fatalf("got %d %s", res.status, res.body)
		}
		s.createGame(t, "still fine")
	})
	t.Run("health answers 200", func(t *testing.T) {
		if res := s.do(t, "GET", "/healthz", "", nil); res.status != 200 {
			t.Fatalf("got %d", res.status)
		}
	})
}

func TestCaps(t *testing.T) {
	s := startServer(t, nil, "--max-rooms", "1", "--max-players", "2")
	code := s.createGame(t, "only")
	t.Run("a game beyond the server's cap is a 503 with a reason", func(t *testing.T) {
		res := s.post(t, "/api/game", `{"name":"two","deck_id":1,"game_settings":{}}`)
		if res.status != 503 || !strings.Contains(res.json(t)["detail"].(string), "limit of 1 games") {
			t.Fatalf("got %d %s", res.status, res.body)
		}
	})
	t.Run("a player beyond the game's cap is a 409 with a reason", func(t *testing.T) {
		a := s.join(t, code, "a")
		s.join(t, code, "b")
		res := s.post(t, "/api/join/"+code, `{"username":"c"}`)
		if res.status != 409 || !strings.Contains(res.json(t)["detail"].(string), "room for 2 players") {
			t.Fatalf("got %d %s", res.status, res.body)
		}
		// A seated player coming back is not a new seat.
		if res := s.post(t, "/api/join/"+code, `{"username":"a","id":"`+a+`"}`); res.status != 200 {
			t.Fatalf("rejoin: %d %s", res.status, res.body)
		}
	})
}

func TestHomePage(t *testing.T) {
	s := startServer(t, nil)
	res := s.do(t, "GET", "/", "", nil)
	if res.status != 200 || !strings.Contains(string(res.body), "Fibonacci") || !strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
		t.Fatalf("got %d %s", res.status, res.body)
	}
	css := regexp.MustCompile(`href="(/static/[0-9a-f]+/pokerd\.css)"`).FindStringSubmatch(string(res.body))
	if css == nil {
		t.Fatalf("no stylesheet link in %s", res.body)
	}
	sheet := s.do(t, "GET", css[1], "", nil)
	if sheet.status != 200 || !strings.HasPrefix(sheet.header.Get("Content-Type"), "text/css") || !strings.Contains(sheet.header.Get("Cache-Control"), "immutable") {
		t.Fatalf("stylesheet: %d %v", sheet.status, sheet.header)
	}
	stale := s.do(t, "GET", "/static/000000000000/pokerd.css", "", nil)
	if stale.status != 200 || strings.Contains(stale.header.Get("Cache-Control"), "immutable") {
		t.Fatalf("a stale hash: %d %v", stale.status, stale.header)
	}
	if res := s.do(t, "GET", "/static/000000000000/nothing.css", "", nil); res.status != 404 {
		t.Fatalf("an unknown asset: %d", res.status)
	}
}
