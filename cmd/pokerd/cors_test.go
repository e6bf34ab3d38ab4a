package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestCORS(t *testing.T) {
	s := startServer(t, map[string]string{"PP_CORS_URLS": " https://poker.example.com , http://localhost:3000"})
	preflight := func(path, origin string) response {
		return s.do(t, http.MethodOptions, path, "", map[string]string{
			"Origin":                         origin,
			"Access-Control-Request-Method":  "POST",
			"Access-Control-Request-Headers": "content-type,x-custom",
		})
	}
	allowed := []string{"http://127.0.0.1", "http://127.0.0.1:5173", "https://poker.example.com", "http://localhost:3000"}
	for _, origin := range allowed {
		t.Run("a preflight from "+origin+" is allowed", func(t *testing.T) {
			res := preflight("/api/game", origin)
			h := res.header
			if res.status != 200 ||
				h.Get("Access-Control-Allow-Origin") != origin ||
				h.Get("Access-Control-Allow-Credentials") != "true" ||
				h.Get("Access-Control-Allow-Methods") != "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT" ||
				h.Get("Access-Control-Allow-Headers") != "content-type,x-custom" ||
				h.Get("Access-Control-Max-Age") != "600" ||
				!strings.Contains(h.Get("Vary"), "Origin") {
				t.Fatalf("got %d %v", res.status, h)
			}
		})
	}
	t.Run("a preflight on an unknown path is answered too", func(t *testing.T) {
		if res := preflight("/api/nowhere", "http://127.0.0.1:5173"); res.status != 200 {
			t.Fatalf("got %d", res.status)
		}
	})
	for _, origin := range []string{"http://evil.example", "http://127.0.0.1:5174", "https://127.0.0.1:5173", "http://localhost:5173"} {
		t.Run("a preflight from "+origin+" is refused", func(t *testing.T) {
			res := preflight("/api/game", origin)
			if res.status != 400 || string(res.body) != "Disallowed CORS origin" || res.header.Get("Access-Control-Allow-Origin") != "" {
				t.Fatalf("got %d %v %s", res.status, res.header, res.body)
			}
		})
	}
	t.Run("answers to an allowed origin carry the headers, errors included", func(t *testing.T) {
		origin := map[string]string{"Origin": "http://127.0.0.1:5173"}
		for _, req := range []struct{ method, path, body string }{
			{"GET", "/api/decks", ""},
			{"GET", "/api/decks/999", ""},
			{"POST", "/api/game", "{}"},
			{"DELETE", "/api/decks", ""},
			{"GET", "/nowhere", ""},
		} {
			res := s.do(t, req.method, req.path, req.body, origin)
			h := res.header
			if h.Get("Access-Control-Allow-Origin") != "http://127.0.0.1:5173" || h.Get("Access-Control-Allow-Credentials") != "true" || !strings.Contains(h.Get("Vary"), "Origin") {
				t.Fatalf("%s %s (%d): headers %v", req.method, req.path, res.status, h)
			}
		}
	})
	t.Run("answers to another origin do not", func(t *testing.T) {
		res := s.do(t, "GET", "/api/decks", "", map[string]string{"Origin": "http://evil.example"})
		if res.status != 200 || res.header.Get("Access-Control-Allow-Origin") != "" {
			t.Fatalf("got %d %v", res.status, res.header)
		}
	})
}

// "*" opens the API and the WebSocket to every origin (what README says it gives up),
// but not the pages' forms, which only the server's own pages post.
func TestCORSAllowAll(t *testing.T) {
	s := startServer(t, map[string]string{"PP_CORS_URLS": "*"})
	anywhere := map[string]string{"Origin": "http://anywhere.example", "Sec-Fetch-Site": "cross-site"}
	res := s.do(t, "GET", "/api/decks", "", anywhere)
	if res.header.Get("Access-Control-Allow-Origin") != "http://anywhere.example" {
		t.Fatalf("got %v", res.header)
	}
	res = s.do(t, "POST", "/api/game", `{"name":"x","deck_id":1,"game_settings":{}}`, anywhere)
	if res.status != 200 {
		t.Fatalf("a game created from anywhere: %d %s", res.status, res.body)
	}
	code := res.json(t)["code"].(string)
	id := s.join(t, code, "Ann")
	conn, err := s.tryDial(id, code, http.Header{"Origin": {"http://anywhere.example"}})
	if err != nil {
		t.Fatalf("a socket from anywhere: %v", err)
	}
	conn.CloseNow()
	b := s.newFormClient(t)
	b.get("/")
	req, _ := http.NewRequest("POST", s.base+"/rooms", strings.NewReader(url.Values{"room_name": {"x"}, "your_name": {"Ann"}, "deck_id": {"1"}, "_csrf": {b.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://anywhere.example")
	if res := b.do(req); res.status != http.StatusForbidden {
		t.Fatalf("a page form posted from anywhere: %d %s", res.status, res.body)
	}
}

func TestFlagWinsOverEnvironment(t *testing.T) {
	cfg, err := parseConfig([]string{"--max-rooms", "7"}, func(k string) string {
		return map[string]string{"PP_MAX_ROOMS": "3", "PP_MAX_PLAYERS": "9", "PP_EMPTY_ROOM_GRACE": "0", "PP_UNUSED_ROOM_TTL": "10m"}[k]
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.maxRooms != 7 || cfg.maxPlayers != 9 || cfg.emptyRoomGrace != 0 || cfg.unusedRoomTTL != 10*time.Minute {
		t.Fatalf("got rooms %d players %d grace %v", cfg.maxRooms, cfg.maxPlayers, cfg.emptyRoomGrace)
	}
	if _, err := parseConfig(nil, func(k string) string {
		if k == "PP_EMPTY_ROOM_GRACE" {
			return "soon"
		}
		return ""
	}, nil); err == nil || !strings.Contains(err.Error(), "PP_EMPTY_ROOM_GRACE") {
		t.Fatalf("a bad variable must be named in the error, got %v", err)
	}
}
