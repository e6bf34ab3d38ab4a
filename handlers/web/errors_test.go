package web

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
)

// Every domain error code has its status, and one the handlers do not know yet is a 500:
// never the status 0 that an unmapped code used to write on the pages.
func TestStatusOfDomainCodes(t *testing.T) {
	for code, want := range map[game.ErrorCode]int{
		game.ENotFound: 404, game.ENotSeated: 404, game.EInvalid: 422,
		game.EForbidden: 403, game.EConflict: 409, game.EExhausted: 503,
		game.ErrorCode("a code from tomorrow"): http.StatusInternalServerError,
	} {
		if got := StatusOf(code); got != want {
			t.Errorf("%q: %d, want %d", code, got, want)
		}
	}
}

// answer runs a request whose handler fails with err through the error handler, as the
// server wires it: the CSRF middleware on the page, which refuses a post without its
// token.
func answer(t *testing.T, method, path string, htmx bool, err error) *httptest.ResponseRecorder {
	t.Helper()
	e := echo.New()
	e.HTTPErrorHandler = ErrorHandler(slog.New(slog.NewTextHandler(io.Discard, nil)))
	fail := func(echo.Context) error { return err }
	csrf := NewCSRF(NewCookiePolicy(""))
	e.Add(method, "/api/game", fail)
	e.Add(method, "/room/:code/vote", fail)
	e.Add(method, "/room/:code/token", fail, csrf) // err is nil here: the token is missing
	req := httptest.NewRequest(method, path, strings.NewReader("value=5"))
	req.Header.Set("Content-Type", FormMIME)
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// detailOf is the "detail" of a JSON answer; it fails the test when the answer is not
// JSON.
func detailOf(t *testing.T, rec *httptest.ResponseRecorder) any {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("answered %d %s, want JSON: %s", rec.Code, ct, rec.Body)
	}
	var body struct{ Detail any }
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	return body.Detail
}

// One mapping from an error to its answer, whichever surface it comes from: the JSON
// API answers JSON, a page's own form post a page a person can read, and htmx the JSON
// detail with its status, which the page's script shows in place.
func TestOneErrorMappingForEverySurface(t *testing.T) {
	noRound := game.Errorf(game.EConflict, "No round is open")

	t.Run("the JSON API answers {detail} with the domain's status", func(t *testing.T) {
		rec := answer(t, http.MethodPost, "/api/game", false, noRound)
		if rec.Code != http.StatusConflict || rec.Body.String() != `{"detail":"No round is open"}` {
			t.Fatalf("answered %d %s", rec.Code, rec.Body)
		}
	})

	t.Run("the JSON API answers a list of problems as a list", func(t *testing.T) {
		rec := answer(t, http.MethodPost, "/api/game", false, &Error{Status: 422, Detail: []map[string]string{{"msg": "Field required"}}})
		if rec.Code != 422 || rec.Body.String() != `{"detail":[{"msg":"Field required"}]}` {
			t.Fatalf("answered %d %s", rec.Code, rec.Body)
		}
	})

	t.Run("a form post without scripts gets a page that says why and leads back", func(t *testing.T) {
		rec := answer(t, http.MethodPost, "/room/ab12cd/vote", false, noRound)
		body := rec.Body.String()
		if rec.Code != http.StatusConflict || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") ||
			!strings.Contains(body, `data-testid="problem"`) || !strings.Contains(body, "No round is open") ||
			!strings.Contains(body, `href="/room/ab12cd"`) {
			t.Fatalf("answered %d %s:\n%s", rec.Code, rec.Header().Get("Content-Type"), body)
		}
	})

	t.Run("htmx gets the status and the detail, for the page to show in place", func(t *testing.T) {
		rec := answer(t, http.MethodPost, "/room/ab12cd/vote", true, noRound)
		if d := detailOf(t, rec); rec.Code != http.StatusConflict || d != "No round is open" {
			t.Fatalf("answered %d %v", rec.Code, d)
		}
	})

	t.Run("an expired form says to reload the page, to htmx and without scripts", func(t *testing.T) {
		rec := answer(t, http.MethodPost, "/room/ab12cd/token", true, nil)
		if d, _ := detailOf(t, rec).(string); rec.Code != http.StatusForbidden || !strings.Contains(d, "reload the page") {
			t.Fatalf("htmx: answered %d %q", rec.Code, d)
		}
		rec = answer(t, http.MethodPost, "/room/ab12cd/token", false, nil)
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "reload the page") || !strings.Contains(rec.Body.String(), `data-testid="problem"`) {
			t.Fatalf("without scripts: answered %d %s", rec.Code, rec.Body)
		}
	})

	t.Run("what was not written for clients is a plain 500", func(t *testing.T) {
		for _, err := range []error{errors.New("disk on fire"), game.Errorf("a code from tomorrow", "secret detail")} {
			rec := answer(t, http.MethodPost, "/api/game", false, err)
			if d := detailOf(t, rec); rec.Code != 500 || d != "Internal Server Error" {
				t.Fatalf("%v: answered %d %v", err, rec.Code, d)
			}
		}
	})

	t.Run("HEAD gets the status alone", func(t *testing.T) {
		rec := answer(t, http.MethodHead, "/api/game", false, noRound)
		if rec.Code != http.StatusConflict || rec.Body.Len() != 0 {
			t.Fatalf("answered %d %q", rec.Code, rec.Body)
		}
	})
}
