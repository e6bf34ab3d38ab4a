package handlers

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pokerd/pokerd/game"
)

func newOriginTestServer(t *testing.T, publicURL string) *Server {
	t.Helper()
	decks, err := game.NewMemoryDeckDB(nil)
	must(t, err)
	return New(Config{
		Rooms:       game.NewRegistry(game.RegistryConfig{Decks: decks}),
		Decks:       decks,
		CORSOrigins: DefaultCORSOrigins,
		BodyLimit:   64 << 10,
		WS:          DefaultWSConfig,
		PublicURL:   publicURL,
		Log:         slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
}

// Every state-changing API route is walked, as the router knows them, so that a route
// added later without the guard fails here: none acts for another site's page.
func TestEveryAPIWriteRefusesOtherSitesPages(t *testing.T) {
	s := newOriginTestServer(t, "")
	room, err := s.rooms.Create("Sprint", 1, game.GameSettings{})
	must(t, err)
	code := room.Code()
	body := `{"name":"Hijacked","deck_id":1,"game_settings":{},"username":"Mallory"}`

	walked := 0
	for _, r := range s.echo.Routes() {
		if !strings.HasPrefix(r.Path, "/api/") || r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions {
			continue
		}
		walked++
		path := strings.ReplaceAll(r.Path, ":code", code)
		for _, from := range []map[string]string{
			{"Origin": "http://evil.example"},
			{"Origin": "https://127.0.0.1:5173"},
			{"Origin": "null"},
			{"Sec-Fetch-Site": "cross-site"},
			{"Sec-Fetch-Site": "same-site"},
		} {
			for _, contentType := range []string{"", "text/plain", "application/json"} {
				req := httptest.NewRequest(r.Method, path, strings.NewReader(body))
				if contentType != "" {
					req.Header.Set("Content-Type", contentType)
				}
				for k, v := range from {
					req.Header.Set(k, v)
				}
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), `"detail":"Requests from this page's origin are refused`) {
					t.Errorf("%s %s from %v as %q answered %d %s, want 403", r.Method, r.Path, from, contentType, rec.Code, rec.Body)
				}
			}
		}
	}
	if walked < 2 {
		t.Fatalf("walked %d API writes; the API has at least 2 (create, join)", walked)
	}
	if n := len(room.State().Players); n != 0 {
		t.Errorf("another site's page seated %d players", n)
	}
	if n := s.rooms.Len(); n != 1 {
		t.Errorf("%d rooms open, want only the test's: another site's page created one", n)
	}
}

// The CORS list names the API's frontends; it does not open the pages' forms to them.
func TestFormsTrustOnlyTheServersOwnOrigin(t *testing.T) {
	s := newOriginTestServer(t, "")
	for _, tc := range []struct {
		origin string
		status int
	}{
		{"http://127.0.0.1:5173", http.StatusForbidden}, // a CORS origin: the API's, not the pages'
		{"https://example.com", http.StatusForbidden},   // the right host, another scheme
		{"http://example.com:8080", http.StatusForbidden},
		{"http://example.com", http.StatusSeeOther}, // the request's own scheme and Host
	} {
		req := formPost("/rooms", "room_name=Team&your_name=Ann&deck_id=1", "the-token-of-this-browser")
		req.Header.Set("Origin", tc.origin)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Errorf("a form post from %s answered %d %s, want %d", tc.origin, rec.Code, rec.Body, tc.status)
		}
	}
	if n := s.rooms.Len(); n != 1 {
		t.Errorf("%d rooms open, want the one posted from the server's own origin", n)
	}

	t.Run("with a public URL, its origin is the server's own", func(t *testing.T) {
		s := newOriginTestServer(t, "https://Poker.Example.org:443/team/")
		for _, tc := range []struct {
			origin string
			status int
		}{
			{"http://example.com", http.StatusForbidden}, // the Host a proxy passed on
			{"http://poker.example.org", http.StatusForbidden},
			{"https://poker.example.org", http.StatusSeeOther},
		} {
			req := formPost("/rooms", "room_name=Team&your_name=Ann&deck_id=1", "")
			req.AddCookie(&http.Cookie{Name: "__Host-pokerd_csrf", Value: "the-token-of-this-browser"})
			req.Header.Set("X-CSRF-Token", "the-token-of-this-browser")
			req.Header.Set("Origin", tc.origin)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Errorf("a form post from %s answered %d %s, want %d", tc.origin, rec.Code, rec.Body, tc.status)
			}
		}
	})
}
