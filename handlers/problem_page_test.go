package handlers

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pokerd/pokerd/game"
)

// A form post the browser sends itself (no script) and the server refuses comes back as
// a page that says why and leads back to the room, where a JSON body would have left the
// person in front of raw text; htmx and the API keep the JSON detail.
func TestRefusedFormPostsAreReadablePages(t *testing.T) {
	s := newTestServer(t)
	room, err := s.rooms.Create("Sprint", 1, game.GameSettings{})
	must(t, err)
	code := room.Code()

	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, formPost("/room/"+code+"/vote", "value=5", ""))
	body := rec.Body.String()
	if rec.Code != http.StatusForbidden || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") ||
		!strings.Contains(body, `data-testid="problem"`) || !strings.Contains(body, "The form has expired: reload the page and try again") ||
		!strings.Contains(body, `href="/room/`+code+`"`) {
		t.Fatalf("an expired form from the page answered %d %s:\n%s", rec.Code, rec.Header().Get("Content-Type"), body)
	}

	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, formPost("/rooms", "room_name=x", ""))
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), `href="/"`) {
		t.Fatalf("an expired home form answered %d:\n%s", rec.Code, rec.Body)
	}

	htmx := formPost("/room/"+code+"/vote", "value=5", "")
	htmx.Header.Set("HX-Request", "true")
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, htmx)
	if rec.Code != http.StatusForbidden || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("an expired form from htmx answered %d %s, want the JSON detail", rec.Code, rec.Header().Get("Content-Type"))
	}
}
