package handlers

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
)

func newTestServer(t *testing.T) *Server {
	t.Helper()
	decks, err := game.NewMemoryDeckDB(nil)
	must(t, err)
	return New(Config{
		Rooms:     game.NewRegistry(game.RegistryConfig{Decks: decks}),
		Decks:     decks,
		BodyLimit: 64 << 10,
		WS:        DefaultWSConfig,
		Log:       slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
}

// formPost is a browser's form post that carries the CSRF cookie and, when token is not
// empty, the token in the header htmx sends.
func formPost(path, body, token string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", web.FormMIME)
	req.AddCookie(&http.Cookie{Name: "pokerd_csrf", Value: "the-token-of-this-browser"})
	if token != "" {
		req.Header.Set("X-CSRF-Token", token)
	}
	return req
}

// Every state-changing route of the browser UI is walked, as the router knows them, so
// that a route added later without the check fails here: none acts without the token.
func TestEveryBrowserActionNeedsItsCSRFToken(t *testing.T) {
	s := newTestServer(t)
	room, err := s.rooms.Create("Sprint", 1, game.GameSettings{})
	must(t, err)
	code := room.Code()
	body := "room_name=Hijacked&your_name=Mallory&deck_id=1&vote=5&player=x&estimate=8&round=1"

	walked := 0
	for _, r := range s.echo.Routes() {
		if r.Method != http.MethodPost || strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		walked++
		path := strings.ReplaceAll(r.Path, ":code", code)
		for _, token := range []string{"", "a-token-of-another-browser"} {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, formPost(path, body, token))
			if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "The form has expired") {
				t.Errorf("POST %s with token %q answered %d %s, want 403 (form expired)", r.Path, token, rec.Code, rec.Body)
			}
		}
	}
	if walked < 11 {
		t.Fatalf("walked %d browser actions; the pages have at least 11", walked)
	}
	if n := len(room.State().Players); n != 0 {
		t.Errorf("a post without a token seated %d players", n)
	}
	if n := s.rooms.Len(); n != 1 {
		t.Errorf("%d rooms open, want only the test's: a post without a token created one", n)
	}

	t.Run("the same post with the browser's token acts", func(t *testing.T) {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, formPost("/join/"+code, "your_name=Alice", "the-token-of-this-browser"))
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("join with the token answered %d %s, want 303", rec.Code, rec.Body)
		}
		if n := len(room.State().Players); n != 1 {
			t.Fatalf("%d players seated, want 1", n)
		}
	})
}

// A form post is judged before its body is read: by its declared size, its type and
// where it comes from.
func TestFormPostsRefusedBeforeTheBodyIsRead(t *testing.T) {
	s := newTestServer(t)
	token := "the-token-of-this-browser"
	for _, tc := range []struct {
		name   string
		req    func() *http.Request
		status int
	}{
		{"too large", func() *http.Request {
			return formPost("/rooms", "room_name="+strings.Repeat("x", DefaultFormLimit), token)
		}, http.StatusRequestEntityTooLarge},
		{"too large without a declared length", func() *http.Request {
			r := formPost("/rooms", "", token)
			r.Body = io.NopCloser(strings.NewReader("room_name=" + strings.Repeat("x", DefaultFormLimit)))
			r.ContentLength = -1
			return r
		}, http.StatusRequestEntityTooLarge},
		{"multipart", func() *http.Request {
			r := formPost("/rooms", "--b\r\nContent-Disposition: form-data; name=\"room_name\"\r\n\r\nx\r\n--b--\r\n", token)
			r.Header.Set("Content-Type", "multipart/form-data; boundary=b")
			return r
		}, http.StatusUnsupportedMediaType},
		{"plain text", func() *http.Request {
			r := formPost("/rooms", "room_name=x", token)
			r.Header.Set("Content-Type", "text/plain")
			return r
		}, http.StatusUnsupportedMediaType},
		{"from another site", func() *http.Request {
			r := formPost("/rooms", "room_name=x", token)
			r.Header.Set("Sec-Fetch-Site", "cross-site")
			return r
		}, http.StatusForbidden},
		{"from another origin", func() *http.Request {
			r := formPost("/rooms", "room_name=x", token)
			r.Header.Set("Origin", "https://evil.example")
			return r
		}, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, tc.req())
			if rec.Code != tc.status {
				t.Fatalf("answered %d %s, want %d", rec.Code, rec.Body, tc.status)
			}
			if s.rooms.Len() != 0 {
				t.Fatal("a refused post created a room")
			}
		})
	}
}

// A handler that panics costs its own request a 500 and nothing else: the panic is
// logged with its stack, counted, and the server goes on answering.
func TestAPanickingRequestIsRecovered(t *testing.T) {
	s := newTestServer(t)
	s.echo.GET("/test/panic", func(echo.Context) error { panic("a bug in a handler") })
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/test/panic", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "Internal Server Error") {
		t.Fatalf("answered %d %s, want 500", rec.Code, rec.Body)
	}
	if got := counterValue(t, s, "pokerd_panics_recovered_total", "where", web.PanicRequest); got != 1 {
		t.Fatalf("pokerd_panics_recovered_total{where=request} = %v, want 1", got)
	}
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("/healthz answered %d after the panic", rec.Code)
	}
}

// counterValue reads a counter with one label from the server's own registry.
func counterValue(t *testing.T, s *Server, name, label, value string) float64 {
	t.Helper()
	families, err := s.metrics.Registry.Gather()
	must(t, err)
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	t.Fatalf("no %s{%s=%q}", name, label, value)
	return 0
}
