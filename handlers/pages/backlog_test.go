package pages

import (
	"bytes"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
)

// newBacklogSite is the pages' handlers with the backlog's routes, behind the guards the
// server puts in front of them: the form guard, and the upload guard for the import.
func newBacklogSite(t *testing.T) *pageSite {
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
	origins := web.NewOriginPolicy(web.NewCORSPolicy(nil), "")
	guard := web.GuardForm(web.DefaultFormLimit, origins, csrf)
	e.GET("/room/:code", p.RoomPage, csrf)
	e.GET("/room/:code/hand", p.Hand, csrf)
	e.POST("/room/:code/backlog/add", p.AddStory, guard)
	e.POST("/room/:code/backlog/paste", p.PasteStories, guard)
	e.POST("/room/:code/backlog/import", p.ImportStories, web.GuardUpload(game.MaxImportBytes, origins, csrf))
	e.POST("/room/:code/backlog/story", p.StoryAction, guard)
	e.POST("/room/:code/backlog/edit", p.EditStory, guard)
	return &pageSite{e: e, rooms: rooms}
}

// upload posts a file as the backlog's import form does, by htmx or not.
func (s *pageSite) upload(t *testing.T, path string, browser uuid.UUID, name string, file []byte, htmx bool) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(file)
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("X-CSRF-Token", testToken)
	req.AddCookie(&http.Cookie{Name: web.BrowserCookie, Value: browser.String()})
	req.AddCookie(&http.Cookie{Name: "pokerd_csrf", Value: testToken})
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	rec := httptest.NewRecorder()
	s.e.ServeHTTP(rec, req)
	return rec
}

// storyLines are the backlog's stories in a page or a panel, as (id, state, text) in the
// order shown.
type shownStory struct{ id, state, text string }

var storyLineRE = regexp.MustCompile(`(?s)<li id="story-\d+" class="[^"]*" data-testid="backlog-story" data-story-id="(\d+)" data-state="(\w+)">(.*?)</li>`)

func shownStories(body string) []shownStory {
	var out []shownStory
	for _, m := range storyLineRE.FindAllStringSubmatch(body, -1) {
		text := m[3]
		if i := strings.Index(text, `<div class="story-actions`); i >= 0 {
			text = text[:i]
		}
		text = strings.Join(strings.Fields(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(text, " ")), " ")
		out = append(out, shownStory{m[1], m[2], text})
	}
	return out
}

func storyTitles(st *game.State) []string {
	var out []string
	for _, b := range st.Backlog {
		out = append(out, b.Label())
	}
	return out
}

func TestBacklogAdd(t *testing.T) {
	s := newBacklogSite(t)
	browser := uuid.New()
	room, _ := s.seat(t, browser)
	base := "/room/" + room.Code() + "/backlog/"

	t.Run("an empty backlog tells the runner how to fill it", func(t *testing.T) {
		body := s.do(http.MethodGet, "/room/"+room.Code(), browser, nil, false).Body.String()
		hasTestIDs(t, "the room page", body, "backlog", "backlog-empty", "backlog-add-input", "backlog-add", "backlog-paste", "backlog-paste-add", "backlog-import-file", "backlog-import", "backlog-report")
		if !strings.Contains(body, "Paste your stories, one per line, or import a CSV from Jira") {
			t.Errorf("no hint for the facilitator:\n%s", body)
		}
		if !strings.Contains(body, `data-testid="live" data-room-name="Sprint 7"`) || !regexp.MustCompile(`class="room-live"[^>]*data-can-run="true"`).MatchString(body) {
			t.Errorf("the room's live part does not say its facilitator may run the round")
		}
	})

	t.Run("one story typed as in the ticket field", func(t *testing.T) {
		rec := s.do(http.MethodPost, base+"add", browser, url.Values{"text": {"PP-12 Login page https://tracker.example.com/PP-12"}}, true)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.HasPrefix(strings.TrimSpace(body), `<section id="backlog"`) {
			t.Fatalf("answered %d, want the backlog panel:\n%s", rec.Code, body)
		}
		if got := shownStories(body); len(got) != 1 || got[0].state != "pending" || got[0].text != "PP-12 Login page" {
			t.Fatalf("the panel shows %+v", got)
		}
		if !strings.Contains(body, `<a class="story-title" href="https://tracker.example.com/PP-12" target="_blank" rel="noopener noreferrer">Login page</a>`) {
			t.Errorf("the title does not link to the tracker in a new tab:\n%s", body)
		}
		if !strings.Contains(body, "Added 1 story.") || !strings.Contains(body, "· 0 of 1 estimated") {
			t.Errorf("the panel does not say what was added, or miscounts:\n%s", body)
		}
		b := room.State().Backlog
		if len(b) != 1 || b[0].Key != "PP-12" || b[0].Title != "Login page" || b[0].Link == nil {
			t.Fatalf("the backlog holds %+v", b)
		}
	})

	t.Run("a hostile title is shown as text", func(t *testing.T) {
		rec := s.do(http.MethodPost, base+"add", browser, url.Values{"text": {`<script>alert("x")</script>`}}, true)
		body := rec.Body.String()
		if strings.Contains(body, "<script>") || !strings.Contains(body, "&lt;script&gt;") {
			t.Fatalf("the title is not escaped:\n%s", body)
		}
	})

	t.Run("a javascript: link is refused and what was typed stays in the field", func(t *testing.T) {
		before := len(room.State().Backlog)
		rec := s.do(http.MethodPost, base+"add", browser, url.Values{"text": {"Evil javascript:alert(1)"}}, true)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, `data-testid="backlog-error"`) {
			t.Fatalf("answered %d, want the refusal in the panel:\n%s", rec.Code, body)
		}
		if !strings.Contains(body, `value="Evil javascript:alert(1)"`) {
			t.Errorf("what was typed is lost:\n%s", body)
		}
		if strings.Contains(body, `href="javascript:`) || len(room.State().Backlog) != before {
			t.Errorf("the story was added")
		}
		// Without scripts, the room page says why, with the domain's status.
		rec = s.do(http.MethodPost, base+"add", browser, url.Values{"text": {"Evil javascript:alert(1)"}}, false)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `data-testid="backlog-error"`) || !strings.Contains(rec.Body.String(), `data-testid="room-name"`) {
			t.Fatalf("without scripts: answered %d:\n%s", rec.Code, rec.Body)
		}
	})

	t.Run("without scripts, an add goes back to the room", func(t *testing.T) {
		rec := s.do(http.MethodPost, base+"add", browser, url.Values{"text": {"Password reset"}}, false)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/room/"+room.Code() {
			t.Fatalf("answered %d to %q", rec.Code, rec.Header().Get("Location"))
		}
	})
}

func TestBacklogPaste(t *testing.T) {
	s := newBacklogSite(t)
	browser := uuid.New()
	room, _ := s.seat(t, browser)
	paste := "/room/" + room.Code() + "/backlog/paste"
	long := strings.Repeat("x", game.MaxStoryTitleLength+1)
	lines := "PP-1 Sign up\n\nPP-2 Sign in https://tracker.example.com/PP-2\nBad one javascript:alert(1)\n" + long + "\nPP-3 Sign out\n"

	rec := s.do(http.MethodPost, paste, browser, url.Values{"lines": {lines}}, true)
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("answered %d:\n%s", rec.Code, body)
	}
	if got := storyTitles(room.State()); strings.Join(got, "|") != "PP-1 Sign up|PP-2 Sign in|PP-3 Sign out" {
		t.Fatalf("the backlog holds %q", got)
	}
	if !strings.Contains(body, "Added 3 stories.") || !strings.Contains(body, "These 2 lines were not added:") {
		t.Errorf("the report does not count:\n%s", body)
	}
	for _, line := range []string{"Line 4: ", "Line 5: "} {
		if !strings.Contains(body, `<li data-testid="backlog-rejected">`+line) {
			t.Errorf("the report does not name %q:\n%s", line, body)
		}
	}
	// The lines not added come back in the field, to be fixed; the others do not.
	field := regexp.MustCompile(`(?s)<textarea[^>]*data-testid="backlog-paste"[^>]*>(.*?)</textarea>`).FindStringSubmatch(body)
	if field == nil || field[1] != "Bad one javascript:alert(1)\n"+long {
		t.Errorf("the paste field holds %q, want the two rejected lines", field)
	}
	if got := shownStories(body); len(got) != 3 {
		t.Errorf("the panel shows %d stories, want 3", len(got))
	}

	t.Run("nothing to paste is said", func(t *testing.T) {
		rec := s.do(http.MethodPost, paste, browser, url.Values{"lines": {"\n  \n"}}, true)
		if !strings.Contains(rec.Body.String(), "Paste at least one story") {
			t.Fatalf("answered %d:\n%s", rec.Code, rec.Body)
		}
	})
}

func TestBacklogImport(t *testing.T) {
	s := newBacklogSite(t)
	browser := uuid.New()
	room, _ := s.seat(t, browser)
	path := "/room/" + room.Code() + "/backlog/import"

	t.Run("a Jira export, with rows that cannot be read", func(t *testing.T) {
		csv := "Summary,Issue key,Issue id,Issue Type,Status,Custom field (Story Points)\r\n" +
			"Login page redesign,PP-12,10012,Story,To Do,\r\n" +
			",PP-13,10013,Story,To Do,\r\n" +
			"Password reset,PP-14,10014,Story,To Do,3\r\n" +
			strings.Repeat("y", game.MaxStoryTitleLength+1) + ",PP-15,10015,Story,To Do,\r\n"
		rec := s.upload(t, path, browser, "Jira.csv", []byte(csv), true)
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			t.Fatalf("answered %d:\n%s", rec.Code, body)
		}
		got := storyTitles(room.State())
		if len(got) < 2 || got[0] != "PP-12 Login page redesign" || got[len(got)-1] != "PP-14 Password reset" {
			t.Fatalf("the backlog holds %q", got)
		}
		if !strings.Contains(body, `<li data-testid="backlog-rejected">Line 5: `) {
			t.Errorf("the report does not name the row with the long title:\n%s", body)
		}
		if !regexp.MustCompile(`Added \d stories\.`).MatchString(body) {
			t.Errorf("the report does not count:\n%s", body)
		}
	})

	t.Run("a file of 1 MiB is read", func(t *testing.T) {
		before := len(room.State().Backlog)
		csv := []byte("Title,Link\nBig file story,https://tracker.example.com/1\n")
		csv = append(csv, bytes.Repeat([]byte(" "), game.MaxImportBytes-len(csv))...)
		rec := s.upload(t, path, browser, "big.csv", csv, true)
		if rec.Code != http.StatusOK || len(room.State().Backlog) != before+1 {
			t.Fatalf("answered %d, %d stories added:\n%s", rec.Code, len(room.State().Backlog)-before, rec.Body)
		}
	})

	t.Run("a file of 1 MiB and a byte is refused, clearly", func(t *testing.T) {
		before := len(room.State().Backlog)
		csv := []byte("Title,Link\nToo big,https://tracker.example.com/1\n")
		csv = append(csv, bytes.Repeat([]byte(" "), game.MaxImportBytes+1-len(csv))...)
		rec := s.upload(t, path, browser, "big.csv", csv, true)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, `data-testid="backlog-error"`) || !strings.Contains(body, "larger than 1 MiB") {
			t.Fatalf("answered %d:\n%s", rec.Code, body)
		}
		if len(room.State().Backlog) != before {
			t.Errorf("stories were added from a file too large")
		}
	})

	t.Run("a body far too large is refused before it is read", func(t *testing.T) {
		rec := s.upload(t, path, browser, "huge.csv", bytes.Repeat([]byte("a,b\n"), game.MaxImportBytes), true)
		if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "at most 1 MiB") {
			t.Fatalf("answered %d: %s", rec.Code, rec.Body)
		}
	})

	t.Run("no file chosen", func(t *testing.T) {
		rec := s.do(http.MethodPost, path, browser, url.Values{}, true)
		if !strings.Contains(rec.Body.String(), "Choose a CSV file to import") {
			t.Fatalf("answered %d:\n%s", rec.Code, rec.Body)
		}
	})
}

// stories fills the room's backlog, as its facilitator me.
func addStories(t *testing.T, room *game.Room, me uuid.UUID, titles ...string) {
	t.Helper()
	var stories []game.Story
	for _, title := range titles {
		stories = append(stories, game.Story{Title: title})
	}
	if err := room.AddStories(me, stories); err != nil {
		t.Fatal(err)
	}
}

func TestBacklogStoryActions(t *testing.T) {
	s := newBacklogSite(t)
	browser := uuid.New()
	room, me := s.seat(t, browser)
	addStories(t, room, me, "One", "Two", "Three")
	story := "/room/" + room.Code() + "/backlog/story"
	id := func(title string) string {
		for _, b := range room.State().Backlog {
			if b.Title == title {
				return strconv.Itoa(b.ID)
			}
		}
		t.Fatalf("no story %q", title)
		return ""
	}
	order := func() string { return strings.Join(storyTitles(room.State()), ",") }

	t.Run("move down and up", func(t *testing.T) {
		rec := s.do(http.MethodPost, story, browser, url.Values{"down": {id("One")}}, true)
		if rec.Code != http.StatusOK || order() != "Two,One,Three" {
			t.Fatalf("answered %d, order %s", rec.Code, order())
		}
		if got := shownStories(rec.Body.String()); len(got) != 3 || got[1].text != "One" {
			t.Errorf("the panel shows %+v", got)
		}
		s.do(http.MethodPost, story, browser, url.Values{"up": {id("Three")}}, true)
		if order() != "Two,Three,One" {
			t.Fatalf("order %s", order())
		}
		// The first story's "up" stays where it is.
		s.do(http.MethodPost, story, browser, url.Values{"up": {id("Two")}}, true)
		if order() != "Two,Three,One" {
			t.Fatalf("order %s", order())
		}
	})

	t.Run("skip and unskip", func(t *testing.T) {
		rec := s.do(http.MethodPost, story, browser, url.Values{"skip": {id("Three")}}, true)
		got := shownStories(rec.Body.String())
		if len(got) != 3 || got[1].state != "skipped" || !room.State().Backlog[1].Skipped {
			t.Fatalf("answered %d, shows %+v", rec.Code, got)
		}
		if !regexp.MustCompile(`name="unskip" value="` + id("Three") + `"[^>]*>Unskip</button>`).MatchString(rec.Body.String()) {
			t.Errorf("a skipped story offers no Unskip:\n%s", rec.Body)
		}
		s.do(http.MethodPost, story, browser, url.Values{"unskip": {id("Three")}}, true)
		if room.State().Backlog[1].Skipped {
			t.Fatal("still skipped")
		}
	})

	t.Run("edit, with the story's text offered", func(t *testing.T) {
		page := s.do(http.MethodGet, "/room/"+room.Code(), browser, nil, false).Body.String()
		if !regexp.MustCompile(`value="One"[^>]*data-testid="story-edit-input"`).MatchString(page) {
			t.Errorf("the edit field does not hold the story's text")
		}
		rec := s.do(http.MethodPost, "/room/"+room.Code()+"/backlog/edit", browser, url.Values{"story": {id("One")}, "text": {"PP-9 One, renamed https://tracker.example.com/PP-9"}}, true)
		b := room.State().Backlog[2]
		if rec.Code != http.StatusOK || b.Key != "PP-9" || b.Title != "One, renamed" || b.Link == nil {
			t.Fatalf("answered %d, story %+v", rec.Code, b)
		}
		if !strings.Contains(rec.Body.String(), `value="PP-9 One, renamed https://tracker.example.com/PP-9"`) {
			t.Errorf("the edit field does not follow the story")
		}
		rec = s.do(http.MethodPost, "/room/"+room.Code()+"/backlog/edit", browser, url.Values{"story": {strconv.Itoa(b.ID)}, "text": {"  "}}, true)
		if !strings.Contains(rec.Body.String(), `data-testid="backlog-error"`) || room.State().Backlog[2].Title != "One, renamed" {
			t.Fatalf("an empty edit was not refused:\n%s", rec.Body)
		}
	})

	t.Run("vote on this starts a round on the story and answers the hand", func(t *testing.T) {
		rec := s.do(http.MethodPost, story, browser, url.Values{"start": {id("Three")}}, true)
		st := room.State()
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `id="hand"`) {
			t.Fatalf("answered %d, want the hand:\n%s", rec.Code, rec.Body)
		}
		if st.Round != game.RoundVoting || st.Story == nil || st.Story.Title != "Three" {
			t.Fatalf("round %v on %+v", st.Round, st.Story)
		}
		page := s.do(http.MethodGet, "/room/"+room.Code(), browser, nil, false).Body.String()
		for _, line := range shownStories(page) {
			if line.state == "current" && line.text != "Three voting now" {
				t.Errorf("the current story reads %q, want it marked in words", line.text)
			}
			if want := map[bool]string{true: "current", false: "pending"}[strings.HasPrefix(line.text, "Three")]; line.state != want {
				t.Errorf("story %q is %s, want %s", line.text, line.state, want)
			}
		}
	})

	t.Run("the estimate typed is recorded on moving on", func(t *testing.T) {
		if err := room.Vote(me, 5); err != nil {
			t.Fatal(err)
		}
		if err := room.Reveal(me); err != nil {
			t.Fatal(err)
		}
		rec := s.do(http.MethodPost, story, browser, url.Values{"start": {id("Two")}, "estimate": {"5"}}, true)
		if rec.Code != http.StatusOK {
			t.Fatalf("answered %d", rec.Code)
		}
		page := s.do(http.MethodGet, "/room/"+room.Code(), browser, nil, false).Body.String()
		if !strings.Contains(page, `data-state="estimated"`) || !strings.Contains(page, `<strong data-testid="story-estimate">5</strong>`) || !strings.Contains(page, "· 1 of 3 estimated") {
			t.Errorf("the estimated story is not marked:\n%s", page)
		}
	})

	t.Run("delete", func(t *testing.T) {
		body := s.do(http.MethodGet, "/room/"+room.Code(), browser, nil, false).Body.String()
		if !strings.Contains(body, `hx-confirm="Delete One, renamed from the backlog?"`) && !strings.Contains(body, `hx-confirm="Delete PP-9 One, renamed from the backlog?"`) {
			t.Errorf("delete asks no confirmation")
		}
		rec := s.do(http.MethodPost, story, browser, url.Values{"delete": {id("One, renamed")}}, true)
		if rec.Code != http.StatusOK || order() != "Two,Three" {
			t.Fatalf("answered %d, order %s", rec.Code, order())
		}
		if got := shownStories(rec.Body.String()); len(got) != 2 {
			t.Errorf("the panel shows %+v", got)
		}
	})

	t.Run("a story that is not there is refused", func(t *testing.T) {
		rec := s.do(http.MethodPost, story, browser, url.Values{"skip": {"999"}}, true)
		if !strings.Contains(rec.Body.String(), `data-testid="backlog-error"`) {
			t.Fatalf("answered %d:\n%s", rec.Code, rec.Body)
		}
		rec = s.do(http.MethodPost, story, browser, url.Values{"skip": {"x"}}, true)
		if !strings.Contains(rec.Body.String(), "Pick one of the stories") {
			t.Fatalf("answered %d:\n%s", rec.Code, rec.Body)
		}
	})
}

func TestBacklogRefusedToAPlayerWhoCannotRunTheRound(t *testing.T) {
	s := newBacklogSite(t)
	ann := uuid.New()
	room, me := s.seat(t, ann)
	addStories(t, room, me, "One", "Two")
	bob := uuid.New()
	if err := room.Join(game.Player{ID: web.SeatID(bob, room.Code()), Username: "Bob"}); err != nil {
		t.Fatal(err)
	}
	base := "/room/" + room.Code() + "/backlog/"
	first := strconv.Itoa(room.State().Backlog[0].ID)
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{"add", url.Values{"text": {"Sneaky"}}},
		{"paste", url.Values{"lines": {"Sneaky\nSneakier"}}},
		{"story", url.Values{"delete": {first}}},
		{"story", url.Values{"skip": {first}}},
		{"story", url.Values{"down": {first}}},
		{"edit", url.Values{"story": {first}, "text": {"Renamed"}}},
	} {
		rec := s.do(http.MethodPost, base+tc.path, bob, tc.form, true)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `data-testid="backlog-error"`) {
			t.Errorf("%s %v: answered %d:\n%s", tc.path, tc.form, rec.Code, rec.Body)
		}
	}
	if rec := s.upload(t, base+"import", bob, "s.csv", []byte("Title\nSneaky\n"), true); !strings.Contains(rec.Body.String(), `data-testid="backlog-error"`) {
		t.Errorf("import: answered %d:\n%s", rec.Code, rec.Body)
	}
	if rec := s.do(http.MethodPost, base+"story", bob, url.Values{"start": {first}}, true); !strings.Contains(rec.Body.String(), `data-testid="hand-error"`) {
		t.Errorf("vote on this: answered %d:\n%s", rec.Code, rec.Body)
	}
	st := room.State()
	if got := strings.Join(storyTitles(st), ","); got != "One,Two" || st.Backlog[0].Skipped || st.Round != game.RoundInit {
		t.Errorf("Bob changed the backlog: %s, round %v", got, st.Round)
	}
	// Bob sees the list, and the page says he may not run the round, so that the
	// stylesheet hides the controls drawn for everyone.
	page := s.do(http.MethodGet, "/room/"+room.Code(), bob, nil, false).Body.String()
	if len(shownStories(page)) != 2 || !regexp.MustCompile(`class="room-live"[^>]*data-can-run="false"`).MatchString(page) || !regexp.MustCompile(`id="hand"[^>]*data-can-run="false"`).MatchString(page) {
		t.Errorf("Bob's page:\n%s", page)
	}
	if !strings.Contains(page, `class="story-actions runner-only"`) || !strings.Contains(page, `class="backlog-tools runner-only"`) {
		t.Errorf("the runner's controls are not marked runner-only")
	}
}
