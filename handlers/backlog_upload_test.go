package handlers

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
)

// The backlog's import takes a CSV file of up to 1 MiB through the server's routes,
// whose body limit (64 KiB here) every other route keeps.
func TestTheBacklogImportAloneTakesAFileOf1MiB(t *testing.T) {
	s := newTestServer(t)
	room, err := s.rooms.Create("Sprint", game.DefaultDeckID, game.GameSettings{})
	must(t, err)
	browser := uuid.New()
	must(t, room.Join(game.Player{ID: web.SeatID(browser, room.Code()), Username: "Ann"}))

	csv := []byte("Title,Link\nA story from a big file,https://tracker.example.com/1\n")
	csv = append(csv, bytes.Repeat([]byte(" "), game.MaxImportBytes-len(csv))...)
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, err := w.CreateFormFile("file", "stories.csv")
	must(t, err)
	part.Write(csv)
	must(t, w.Close())
	req := httptest.NewRequest(http.MethodPost, "/room/"+room.Code()+"/backlog/import", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", "the-token-of-this-browser")
	req.AddCookie(&http.Cookie{Name: "pokerd_csrf", Value: "the-token-of-this-browser"})
	req.AddCookie(&http.Cookie{Name: web.BrowserCookie, Value: browser.String()})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || len(room.State().Backlog) != 1 {
		t.Fatalf("the import answered %d with %d stories added:\n%.500s", rec.Code, len(room.State().Backlog), rec.Body)
	}

	t.Run("another form keeps the forms' limit", func(t *testing.T) {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, formPost("/room/"+room.Code()+"/backlog/paste", "lines="+strings.Repeat("x", 100<<10), "the-token-of-this-browser"))
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("a 100 KiB paste answered %d", rec.Code)
		}
	})

	t.Run("another route keeps the server's body limit", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/api/game", bytes.NewReader(bytes.Repeat([]byte(" "), 100<<10)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("a 100 KiB API body answered %d", rec.Code)
		}
	})
}
