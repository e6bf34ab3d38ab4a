package pages

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
)

// pageSite is the pages' handlers behind the middleware the server puts in front of
// them (the CSRF check, the form guard, the one error handler), in process.
type pageSite struct {
	e     *echo.Echo
	rooms *game.Registry
}

func newPageSite(t *testing.T) *pageSite {
	t.Helper()
	decks, err := game.NewMemoryDeckDB(nil)
	if err != nil {
		t.Fatal(err)
	}
	rooms := game.NewRegistry(game.RegistryConfig{Decks: decks})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	metrics := web.NewMetrics("test", rooms, func() int { return 0 }, nil)
	faults := web.NewFaults(log, metrics.Registry)
	cookies := web.NewCookiePolicy("")
	gate := web.NewGate(web.GateConfig{Rooms: rooms, Limits: web.DefaultLimits, CodeLookups: web.DefaultCodeLookupLimits, Cookies: cookies, Faults: faults, Log: log})
	p := New(Deps{Rooms: rooms, Decks: decks, Gate: gate, Log: log, ListenAddr: "127.0.0.1:8000"})

	e := echo.New()
	e.HTTPErrorHandler = web.ErrorHandler(log)
	csrf := web.NewCSRF(cookies)
	guard := web.GuardForm(web.DefaultFormLimit, web.NewOriginPolicy(web.NewCORSPolicy(nil), ""), csrf)
	e.GET("/join/:code", p.JoinPage, csrf)
	e.GET("/room/:code", p.RoomPage, csrf)
	e.GET("/room/:code/hand", p.Hand, csrf)
	e.POST("/room/:code/vote", p.Vote, guard)
	e.POST("/room/:code/start", p.StartRound, guard)
	e.POST("/room/:code/reveal", p.Reveal, guard)
	e.POST("/room/:code/estimate", p.SetEstimate, guard)
	e.POST("/room/:code/leave", p.Leave, guard)
	e.GET("/room/:code/left", p.LeftPage)
	return &pageSite{e: e, rooms: rooms}
}

const testToken = "a-token-of-this-browser"

// do sends a request as the browser with the given identity, with its CSRF token; a
// post's form is url-encoded, and htmx's requests say so.
func (s *pageSite) do(method, path string, browser uuid.UUID, form url.Values, htmx bool) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
	req.AddCookie(&http.Cookie{Name: web.BrowserCookie, Value: browser.String()})
	req.AddCookie(&http.Cookie{Name: "pokerd_csrf", Value: testToken})
	if method == http.MethodPost {
		req.Header.Set("Content-Type", web.FormMIME)
		req.Header.Set("X-CSRF-Token", testToken)
	}
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	rec := httptest.NewRecorder()
	s.e.ServeHTTP(rec, req)
	return rec
}

// seat opens a room and seats the browser's player in it, as its facilitator.
func (s *pageSite) seat(t *testing.T, browser uuid.UUID) (*game.Room, uuid.UUID) {
	t.Helper()
	room, err := s.rooms.Create("Sprint 7", game.DefaultDeckID, game.GameSettings{})
	if err != nil {
		t.Fatal(err)
	}
	me := web.SeatID(browser, room.Code())
	if err := room.Join(game.Player{ID: me, Username: "Ann"}); err != nil {
		t.Fatal(err)
	}
	return room, me
}

// hasTestIDs fails t for each data-testid that body lacks.
func hasTestIDs(t *testing.T, what, body string, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if !strings.Contains(body, `data-testid="`+id+`"`) {
			t.Errorf("%s lacks data-testid=%q", what, id)
		}
	}
}

// card is the button of the card with the given label.
func card(t *testing.T, body, label string) string {
	t.Helper()
	b := regexp.MustCompile(`<button[^>]*data-testid="card-` + regexp.QuoteMeta(label) + `"[^>]*>`).FindString(body)
	if b == "" {
		t.Fatalf("no card %s in:\n%s", label, body)
	}
	return b
}

func TestRoomPage(t *testing.T) {
	s := newPageSite(t)
	browser := uuid.New()
	room, _ := s.seat(t, browser)
	code := room.Code()

	t.Run("a seated viewer sees the room, its players, their cards and the stream", func(t *testing.T) {
		rec := s.do(http.MethodGet, "/room/"+code, browser, nil, false)
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			t.Fatalf("answered %d: %s", rec.Code, body)
		}
		hasTestIDs(t, "the room page", body, "room-name", "room-code", "share-link", "live", "round-state", "cards", "card-5", "you", "action-status")
		if !strings.Contains(body, ">Sprint 7<") || !strings.Contains(body, code) {
			t.Errorf("the page does not name its room:\n%s", body)
		}
		if rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control %q: the page would stay in the back/forward cache with its stream", rec.Header().Get("Cache-Control"))
		}
	})

	t.Run("an unseated browser is sent to the join page", func(t *testing.T) {
		rec := s.do(http.MethodGet, "/room/"+code, uuid.New(), nil, false)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/join/"+code {
			t.Fatalf("answered %d to %q", rec.Code, rec.Header().Get("Location"))
		}
	})

	t.Run("a room that does not exist is a 404 page", func(t *testing.T) {
		rec := s.do(http.MethodGet, "/room/zz99zz99", browser, nil, false)
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "No such room") {
			t.Fatalf("answered %d: %s", rec.Code, rec.Body)
		}
	})
}

func TestActions(t *testing.T) {
	s := newPageSite(t)
	browser := uuid.New()
	room, me := s.seat(t, browser)
	vote := "/room/" + room.Code() + "/vote"

	t.Run("a refused action shows its reason in the hand", func(t *testing.T) {
		// Bob is no facilitator: the room refuses him the reveal.
		bob := uuid.New()
		if err := room.Join(game.Player{ID: web.SeatID(bob, room.Code()), Username: "Bob"}); err != nil {
			t.Fatal(err)
		}
		refusal := room.Reveal(web.SeatID(bob, room.Code()))
		if game.CodeOf(refusal) != game.EForbidden {
			t.Fatalf("Bob's reveal: %v", refusal)
		}
		rec := s.do(http.MethodPost, "/room/"+room.Code()+"/reveal", bob, nil, true)
		body := rec.Body.String()
		// htmx swaps only 2xx answers: the reason comes in the part it swaps.
		if rec.Code != http.StatusOK || !strings.Contains(body, `data-testid="hand-error"`) || !strings.Contains(body, refusal.(*game.Error).Message) {
			t.Fatalf("answered %d, want the hand with %q:\n%s", rec.Code, refusal, body)
		}
		// Without scripts, the whole room page says it, with the domain's status.
		rec = s.do(http.MethodPost, "/room/"+room.Code()+"/reveal", bob, nil, false)
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), refusal.(*game.Error).Message) || !strings.Contains(rec.Body.String(), `data-testid="room-name"`) {
			t.Fatalf("without scripts: answered %d:\n%s", rec.Code, rec.Body)
		}
		if st := room.State(); st.Round != game.RoundInit {
			t.Errorf("the refused reveal changed the round: %v", st.Round)
		}
	})

	t.Run("a vote by htmx answers the hand with the card pressed", func(t *testing.T) {
		if rec := s.do(http.MethodPost, "/room/"+room.Code()+"/start", browser, nil, true); rec.Code != http.StatusOK {
			t.Fatalf("start: %d %s", rec.Code, rec.Body)
		}
		rec := s.do(http.MethodPost, vote, browser, url.Values{"value": {"5"}}, true)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, `id="hand"`) || strings.Contains(body, "<html") {
			t.Fatalf("answered %d, want the hand alone:\n%s", rec.Code, body)
		}
		if b := card(t, body, "5"); !strings.Contains(b, `aria-pressed="true"`) {
			t.Errorf("the card voted is not pressed: %s", b)
		}
		if b := card(t, body, "8"); !strings.Contains(b, `aria-pressed="false"`) {
			t.Errorf("another card is pressed: %s", b)
		}
		if st := room.State(); !st.Players[0].Voted {
			t.Errorf("the room did not take the vote")
		}
	})

	t.Run("a vote posted without scripts goes back to the room", func(t *testing.T) {
		rec := s.do(http.MethodPost, vote, browser, url.Values{"value": {"8"}}, false)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/room/"+room.Code() {
			t.Fatalf("answered %d to %q", rec.Code, rec.Header().Get("Location"))
		}
	})

	t.Run("a card that is not the deck's is refused in the hand, and the vote stays", func(t *testing.T) {
		rec := s.do(http.MethodPost, vote, browser, url.Values{"value": {"4"}}, true)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, `data-testid="hand-error"`) || !strings.Contains(card(t, body, "8"), `aria-pressed="true"`) {
			t.Fatalf("answered %d:\n%s", rec.Code, body)
		}
	})

	t.Run("a post without its token is refused before it acts", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, vote, strings.NewReader("value=13"))
		req.Header.Set("Content-Type", web.FormMIME)
		req.Header.Set("HX-Request", "true")
		req.AddCookie(&http.Cookie{Name: web.BrowserCookie, Value: browser.String()})
		rec := httptest.NewRecorder()
		s.e.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "reload the page") {
			t.Fatalf("answered %d %s", rec.Code, rec.Body)
		}
		if seat, err := room.Seat(me); err != nil || seat.Vote == nil || *seat.Vote != 8 {
			t.Errorf("the vote changed without a token: %v %v", seat.Vote, err)
		}
	})
}
