package pages

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
)

// A round as the facilitator's page runs it: the runbar's buttons, the story field, the
// estimate carried on, the locked cards, hidden names, unsure votes, the record, Leave.

// join seats another browser's player in the room.
func join(t *testing.T, room *game.Room, name string) (browser, id uuid.UUID) {
	t.Helper()
	browser = uuid.New()
	id = web.SeatID(browser, room.Code())
	if err := room.Join(game.Player{ID: id, Username: name}); err != nil {
		t.Fatal(err)
	}
	return browser, id
}

// testIDTag is the opening tag of the element with the given data-testid.
func testIDTag(t *testing.T, body, id string) string {
	t.Helper()
	tag := regexp.MustCompile(`<[a-z]+[^>]*data-testid="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(body)
	if tag == "" {
		t.Fatalf("no %s in:\n%s", id, body)
	}
	return tag
}

// section is the HTML from the element with the given id to the end of that element
// (elements of the same name inside it counted).
func section(t *testing.T, body, id string) string {
	t.Helper()
	open := regexp.MustCompile(`<([a-z]+)[^>]*\bid="` + regexp.QuoteMeta(id) + `"`).FindStringSubmatchIndex(body)
	if open == nil {
		t.Fatalf("no #%s in:\n%s", id, body)
	}
	name := body[open[2]:open[3]]
	depth := 0
	tags := regexp.MustCompile(`<(/?)` + name + `\b[^>]*>`)
	for _, m := range tags.FindAllStringSubmatchIndex(body[open[0]:], -1) {
		if m[3] > m[2] {
			depth--
		} else {
			depth++
		}
		if depth == 0 {
			return body[open[0] : open[0]+m[1]]
		}
	}
	t.Fatalf("#%s is not closed", id)
	return ""
}

func (s *pageSite) hand(t *testing.T, room *game.Room, browser uuid.UUID) string {
	t.Helper()
	rec := s.do(http.MethodGet, "/room/"+room.Code()+"/hand", browser, nil, true)
	if rec.Code != http.StatusOK {
		t.Fatalf("hand: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

func (s *pageSite) page(t *testing.T, room *game.Room, browser uuid.UUID) string {
	t.Helper()
	rec := s.do(http.MethodGet, "/room/"+room.Code(), browser, nil, false)
	if rec.Code != http.StatusOK {
		t.Fatalf("room page: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

// post sends an htmx action and fails t unless the hand comes back without an error.
func (s *pageSite) post(t *testing.T, room *game.Room, browser uuid.UUID, action string, form url.Values) string {
	t.Helper()
	rec := s.do(http.MethodPost, "/room/"+room.Code()+"/"+action, browser, form, true)
	body := rec.Body.String()
	if rec.Code != http.StatusOK || strings.Contains(body, `data-testid="hand-error"`) {
		t.Fatalf("%s %v: answered %d:\n%s", action, form, rec.Code, body)
	}
	return body
}

func TestRunbarButtonsFollowTheRound(t *testing.T) {
	s := newPageSite(t)
	ann := uuid.New()
	room, me := s.seat(t, ann)
	bobBrowser, _ := join(t, room, "Bob")

	t.Run("before the first round: Start round only, a text story field", func(t *testing.T) {
		hand := s.hand(t, room, ann)
		if tag := testIDTag(t, hand, "ticket-input"); !strings.Contains(tag, `type="text"`) || !strings.Contains(tag, `placeholder="PP-12 Login page, or a link"`) {
			t.Errorf("the story field: %s", tag)
		}
		if !strings.Contains(hand, `>Start round</button>`) {
			t.Errorf("no Start round:\n%s", hand)
		}
		for _, id := range []string{"vote-again", "reveal", "estimate-input"} {
			if strings.Contains(hand, `data-testid="`+id+`"`) {
				t.Errorf("%s before any round", id)
			}
		}
		if tag := testIDTag(t, hand, "next-story"); !strings.Contains(tag, " hidden") {
			t.Errorf("Next story shown with an empty backlog: %s", tag)
		}
	})

	t.Run("a backlog with a story left offers Next story", func(t *testing.T) {
		if err := room.AddStories(me, []game.Story{{Key: "PP-1", Title: "Sign up"}, {Title: "Log in"}}); err != nil {
			t.Fatal(err)
		}
		hand := s.hand(t, room, ann)
		if tag := testIDTag(t, hand, "next-story"); strings.Contains(tag, " hidden") || !strings.Contains(tag, `name="do" value="next"`) || !strings.Contains(tag, "btn-next-story") {
			t.Errorf("Next story: %s", tag)
		}
		// Shown, and made the main button, by the backlog's list as the stream keeps it
		// (a change of the backlog sends no new hand).
		page := s.page(t, room, ann)
		if !strings.Contains(page, `data-testid="backlog-story" data-story-id="1" data-state="pending"`) {
			t.Errorf("the backlog's list does not say its story is pending:\n%s", page)
		}
	})

	t.Run("a round on: Next round, Vote again (asking only once a vote is cast), Reveal", func(t *testing.T) {
		s.post(t, room, ann, "start", url.Values{"do": {"next"}})
		hand := s.hand(t, room, ann)
		hasTestIDs(t, "the hand of a round", hand, "start", "vote-again", "reveal", "next-story")
		if !strings.Contains(hand, ">Next round</button>") {
			t.Errorf("the start button is not Next round")
		}
		if strings.Contains(testIDTag(t, hand, "vote-again"), "hx-confirm") {
			t.Errorf("Vote again asks with no vote cast")
		}
		s.post(t, room, bobBrowser, "vote", url.Values{"value": {"5"}})
		if tag := testIDTag(t, s.hand(t, room, ann), "vote-again"); !strings.Contains(tag, `hx-confirm="Votes are in. Start this story again and clear them?"`) {
			t.Errorf("Vote again does not ask once a vote is in: %s", tag)
		}
	})

	t.Run("the story is shown to everyone: key, title", func(t *testing.T) {
		page := s.page(t, room, bobBrowser)
		story := section(t, page, "round")
		if !strings.Contains(story, `data-testid="story-key">PP-1<`) || !strings.Contains(story, `data-testid="story-title">Sign up<`) {
			t.Errorf("the round does not show its story:\n%s", story)
		}
		if strings.Contains(story, `data-testid="story-link"`) {
			t.Errorf("a link for a story without one")
		}
	})
}

func TestStoryField(t *testing.T) {
	s := newPageSite(t)
	ann := uuid.New()
	room, _ := s.seat(t, ann)
	bob, _ := join(t, room, "Bob")

	t.Run("a key and a title start a round on that story, and the field is emptied", func(t *testing.T) {
		hand := s.post(t, room, ann, "start", url.Values{"ticket": {"PP-12 Login page redesign"}})
		st := room.State()
		if st.Story == nil || st.Story.Key != "PP-12" || st.Story.Title != "Login page redesign" || st.Story.Link != nil {
			t.Fatalf("the round's story: %+v", st.Story)
		}
		// The next field has the next round's id: the typed text is not kept in it.
		if tag := testIDTag(t, hand, "ticket-input"); strings.Contains(tag, "value=") || !strings.Contains(tag, `id="ticket-2"`) {
			t.Errorf("the field after the start: %s", tag)
		}
	})

	t.Run("a link is the story's link, shown to everyone in a new tab", func(t *testing.T) {
		s.post(t, room, ann, "start", url.Values{"ticket": {"https://tracker.example.com/browse/PP-13"}})
		link := testIDTag(t, s.page(t, room, bob), "story-link")
		for _, want := range []string{`href="https://tracker.example.com/browse/PP-13"`, `target="_blank"`, `rel="noopener noreferrer"`} {
			if !strings.Contains(link, want) {
				t.Errorf("the link lacks %s: %s", want, link)
			}
		}
	})

	t.Run("what cannot be a story is said in the hand, and the round stays", func(t *testing.T) {
		before := room.State().RoundNumber
		for _, bad := range []string{"javascript:alert(1)", strings.Repeat("x", game.MaxStoryTitleLength+1)} {
			rec := s.do(http.MethodPost, "/room/"+room.Code()+"/start", ann, url.Values{"ticket": {bad}}, true)
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `data-testid="hand-error"`) {
				t.Errorf("%.20q: answered %d:\n%s", bad, rec.Code, rec.Body)
			}
		}
		if st := room.State(); st.RoundNumber != before {
			t.Errorf("a refused story started round %d", st.RoundNumber)
		}
	})

	t.Run("a hostile title is text", func(t *testing.T) {
		s.post(t, room, ann, "start", url.Values{"ticket": {`<script>alert(1)</script>`}})
		page := s.page(t, room, bob)
		if strings.Contains(page, "<script>alert(1)") || !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("the title is not escaped:\n%s", section(t, page, "round"))
		}
	})
}

func TestMovingOnKeepsTheEstimate(t *testing.T) {
	s := newPageSite(t)
	ann := uuid.New()
	room, me := s.seat(t, ann)
	bob, _ := join(t, room, "Bob")
	if err := room.AddStories(me, []game.Story{{Key: "PP-1", Title: "Sign up"}, {Key: "PP-2", Title: "Log in"}, {Key: "PP-3", Title: "Log out"}}); err != nil {
		t.Fatal(err)
	}
	vote := func(browser uuid.UUID, v string) { s.post(t, room, browser, "vote", url.Values{"value": {v}}) }

	s.post(t, room, ann, "start", url.Values{"do": {"next"}})
	vote(ann, "5")
	vote(bob, "8")
	hand := s.post(t, room, ann, "reveal", nil)
	if tag := testIDTag(t, hand, "estimate-input"); !strings.Contains(tag, `value="8"`) && !strings.Contains(tag, `value="5"`) {
		t.Fatalf("the estimate field is not filled with the suggestion: %s", tag)
	}

	t.Run("Vote again keeps the story and sends no estimate", func(t *testing.T) {
		s.post(t, room, ann, "start", url.Values{"do": {"again"}, "round": {"1"}, "estimate": {"13"}})
		st := room.State()
		if st.Story == nil || st.Story.Key != "PP-1" || st.Story.Title != "Sign up" || st.Round != game.RoundVoting || st.RoundNumber != 2 {
			t.Fatalf("after Vote again: round %d %v, story %+v", st.RoundNumber, st.Round, st.Story)
		}
		if est := st.Records[0].Estimate; est != "" {
			t.Errorf("Vote again recorded the estimate %q", est)
		}
		if st.Players[0].Voted || st.Players[1].Voted {
			t.Errorf("the votes were kept")
		}
	})

	t.Run("Next story records the estimate field's value", func(t *testing.T) {
		vote(ann, "5")
		vote(bob, "5")
		s.post(t, room, ann, "reveal", nil)
		s.post(t, room, ann, "start", url.Values{"do": {"next"}, "round": {"2"}, "estimate": {"3"}})
		st := room.State()
		if est := st.Records[1].Estimate; est != "3" {
			t.Errorf("round 2's estimate %q, want the field's 3", est)
		}
		if st.Backlog[0].Estimate != "3" || st.Story == nil || st.Story.Key != "PP-2" {
			t.Errorf("story 1 estimate %q, now on %+v", st.Backlog[0].Estimate, st.Story)
		}
		page := s.page(t, room, bob)
		if !strings.Contains(section(t, page, "record"), `data-testid="record-estimate">3<`) {
			t.Errorf("the record does not show the estimate:\n%s", section(t, page, "record"))
		}
	})

	t.Run("a field emptied by the facilitator records no estimate", func(t *testing.T) {
		vote(ann, "2")
		s.post(t, room, ann, "reveal", nil)
		s.post(t, room, ann, "start", url.Values{"do": {"next"}, "round": {"3"}, "estimate": {""}})
		if est := room.State().Records[2].Estimate; est != "" {
			t.Errorf("round 3's estimate %q, want none", est)
		}
	})

	t.Run("a form of a round no longer on show does not give it its estimate", func(t *testing.T) {
		vote(ann, "2")
		s.post(t, room, ann, "reveal", nil)
		s.post(t, room, ann, "start", url.Values{"ticket": {"Extra"}, "round": {"3"}, "estimate": {"40"}})
		if est := room.State().Records[3].Estimate; est != "" {
			t.Errorf("round 4 took the estimate of an old form: %q", est)
		}
	})

	t.Run("a past estimate is edited from the record", func(t *testing.T) {
		page := s.page(t, room, ann)
		row := section(t, page, "record-round-2")
		for _, id := range []string{"record-story", "record-estimate-input", "record-estimate-save"} {
			if !strings.Contains(row, `data-testid="`+id+`"`) {
				t.Errorf("round 2's row lacks %s:\n%s", id, row)
			}
		}
		if !strings.Contains(row, `class="record-estimate runner-only"`) || !strings.Contains(row, `name="_csrf" value="`+testToken+`"`) {
			t.Errorf("the row's form is not for runners only, or has no token:\n%s", row)
		}
		if !strings.Contains(row, "PP-1 Sign up") {
			t.Errorf("round 2's row does not name its story:\n%s", row)
		}
		s.post(t, room, ann, "estimate", url.Values{"round": {"2"}, "estimate": {"5"}})
		st := room.State()
		if st.Records[1].Estimate != "5" || st.Backlog[0].Estimate != "5" {
			t.Errorf("after the edit: record %q, story %q", st.Records[1].Estimate, st.Backlog[0].Estimate)
		}
		// Bob is no runner: the room refuses him.
		rec := s.do(http.MethodPost, "/room/"+room.Code()+"/estimate", bob, url.Values{"round": {"2"}, "estimate": {"100"}}, true)
		if !strings.Contains(rec.Body.String(), `data-testid="hand-error"`) || room.State().Records[1].Estimate != "5" {
			t.Errorf("a player changed an estimate: %d %s", rec.Code, rec.Body)
		}
	})
}

func TestCardsLockedAfterTheReveal(t *testing.T) {
	s := newPageSite(t)
	ann := uuid.New()
	room, me := s.seat(t, ann)
	s.post(t, room, ann, "start", nil)
	s.post(t, room, ann, "vote", url.Values{"value": {"5"}})
	hand := s.post(t, room, ann, "reveal", nil)
	for _, label := range []string{"3", "5", "8"} {
		if !strings.Contains(card(t, hand, label), " disabled") {
			t.Errorf("card %s open after the reveal", label)
		}
	}
	rec := s.do(http.MethodPost, "/room/"+room.Code()+"/vote", ann, url.Values{"value": {"8"}}, true)
	if !strings.Contains(rec.Body.String(), "The cards are revealed: wait for the next round") {
		t.Fatalf("a vote after the reveal: %d %s", rec.Code, rec.Body)
	}
	if seat, _ := room.Seat(me); seat.Vote == nil || *seat.Vote != 5 {
		t.Errorf("the vote changed after the reveal: %v", seat.Vote)
	}
	if rec := room.State().Records[0]; rec.Results.Votes != 1 || rec.Votes[0].Card.Label != "5" {
		t.Errorf("the record changed: %+v", rec.Votes)
	}
	// Without scripts: the room page with the reason, as a conflict.
	rec = s.do(http.MethodPost, "/room/"+room.Code()+"/vote", ann, url.Values{"value": {"8"}}, false)
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "The cards are revealed") {
		t.Errorf("without scripts: %d", rec.Code)
	}
}

func TestHiddenNamesShowNoNameBesideACard(t *testing.T) {
	s := newPageSite(t)
	ann := uuid.New()
	room, me := s.seat(t, ann)
	bob, _ := join(t, room, "Bob")
	carol, _ := join(t, room, "Carol")
	if err := room.SetOptions(me, game.RoomOptions{HideNames: true}); err != nil {
		t.Fatal(err)
	}
	s.post(t, room, ann, "start", url.Values{"ticket": {"PP-7 Search"}})
	s.post(t, room, ann, "vote", url.Values{"value": {"13"}})
	s.post(t, room, bob, "vote", url.Values{"value": {"3"}})
	s.post(t, room, carol, "vote", url.Values{"value": {"8"}})
	s.post(t, room, ann, "reveal", nil)
	for _, viewer := range []uuid.UUID{ann, bob} {
		page := s.page(t, room, viewer)
		players := section(t, page, "players")
		if strings.Contains(players, "slot shown") || regexp.MustCompile(`data-testid="vote">(3|8|13)<`).MatchString(players) {
			t.Errorf("a card beside a name in the players:\n%s", players)
		}
		if got := regexp.MustCompile(`data-testid="vote"><span aria-hidden="true">✓</span>`).FindAllString(players, -1); len(got) != 3 {
			t.Errorf("the list does not say who voted (%d ticks):\n%s", len(got), players)
		}
		results := section(t, page, "results")
		cards := regexp.MustCompile(`data-testid="anonymous-card">([^<]*)<`).FindAllStringSubmatch(results, -1)
		var labels []string
		for _, c := range cards {
			labels = append(labels, c[1])
		}
		if strings.Join(labels, ",") != "3,8,13" {
			t.Errorf("the revealed cards %v, want 3,8,13 in deck order", labels)
		}
		record := section(t, page, "record")
		for _, part := range []string{results, record, section(t, page, "round")} {
			for _, name := range []string{"Ann", "Bob", "Carol"} {
				if strings.Contains(part, name) {
					t.Errorf("%s named beside the cards:\n%s", name, part)
				}
			}
		}
		if !strings.Contains(record, `class="record-votes">3, 8, 13<`) {
			t.Errorf("the record's votes are not the cards alone:\n%s", record)
		}
	}
}

func TestUnsureVotes(t *testing.T) {
	s := newPageSite(t)
	ann := uuid.New()
	room, me := s.seat(t, ann)
	bob, bobID := join(t, room, "Bob")

	t.Run("a room that does not ask has no toggle", func(t *testing.T) {
		s.post(t, room, ann, "start", nil)
		if strings.Contains(s.hand(t, room, bob), "unsure-toggle") {
			t.Errorf("a Not sure box in a room that does not ask")
		}
	})
	if err := room.SetOptions(me, game.RoomOptions{AskConfidence: true}); err != nil {
		t.Fatal(err)
	}
	s.post(t, room, ann, "start", nil)

	t.Run("the toggle goes with the vote, and sends it again when changed", func(t *testing.T) {
		hand := s.hand(t, room, bob)
		if tag := testIDTag(t, hand, "unsure-toggle"); !strings.Contains(tag, `name="unsure"`) || strings.Contains(tag, "hx-post") {
			t.Errorf("the toggle before a vote: %s", tag)
		}
		hand = s.post(t, room, bob, "vote", url.Values{"value": {"8"}, "unsure": {"on"}})
		tag := testIDTag(t, hand, "unsure-toggle")
		if !strings.Contains(tag, " checked") || !strings.Contains(tag, `hx-vals="{&#34;value&#34;:&#34;8&#34;}"`) {
			t.Errorf("the toggle after an unsure vote: %s", tag)
		}
		if seat, _ := room.Seat(bobID); !seat.Unsure {
			t.Errorf("the vote is not marked unsure")
		}
	})

	t.Run("the results and the record count the unsure", func(t *testing.T) {
		s.post(t, room, ann, "vote", url.Values{"value": {"5"}})
		s.post(t, room, ann, "reveal", nil)
		page := s.page(t, room, ann)
		if !strings.Contains(section(t, page, "results"), `data-testid="results-unsure">1 unsure<`) {
			t.Errorf("the results do not count the unsure:\n%s", section(t, page, "results"))
		}
		if record := section(t, page, "record"); !strings.Contains(record, "1 unsure") || !strings.Contains(record, "Bob 8 (unsure)") {
			t.Errorf("the record does not say who was unsure:\n%s", record)
		}
	})
}

type quietSubscriber struct{}

func (quietSubscriber) Deliver(*game.Event) {}

func TestLeave(t *testing.T) {
	s := newPageSite(t)
	ann := uuid.New()
	room, annID := s.seat(t, ann)
	// Ann's page is open (a room nobody is connected to closes when the last one leaves).
	if err := room.Connect(annID, quietSubscriber{}); err != nil {
		t.Fatal(err)
	}
	bob, bobID := join(t, room, "Bob")
	s.post(t, room, ann, "start", nil)
	s.post(t, room, bob, "vote", url.Values{"value": {"5"}})

	t.Run("a reload keeps the seat and the vote", func(t *testing.T) {
		s.page(t, room, bob)
		if seat, err := room.Seat(bobID); err != nil || seat.Vote == nil || *seat.Vote != 5 {
			t.Errorf("after a reload: %v %v", seat.Vote, err)
		}
	})

	t.Run("Leave frees the seat and says so, with the way back", func(t *testing.T) {
		rec := s.do(http.MethodPost, "/room/"+room.Code()+"/leave", bob, nil, false)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/room/"+room.Code()+"/left" {
			t.Fatalf("answered %d to %q", rec.Code, rec.Header().Get("Location"))
		}
		if _, err := room.Seat(bobID); game.CodeOf(err) != game.ENotSeated {
			t.Errorf("Bob is still seated: %v", err)
		}
		st := room.State()
		if len(st.Players) != 1 || st.Tally().Voted != 0 {
			t.Errorf("the room still counts Bob: %d players, %d voted", len(st.Players), st.Tally().Voted)
		}
		rec = s.do(http.MethodGet, rec.Header().Get("Location"), bob, nil, false)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, "You left Sprint 7") || !strings.Contains(testIDTag(t, body, "rejoin"), `href="/join/`+room.Code()+`"`) {
			t.Fatalf("the page after leaving: %d\n%s", rec.Code, body)
		}
		// Back in the room's address: the join page.
		if rec := s.do(http.MethodGet, "/room/"+room.Code(), bob, nil, false); rec.Header().Get("Location") != "/join/"+room.Code() {
			t.Errorf("the room page after leaving: %d %q", rec.Code, rec.Header().Get("Location"))
		}
	})

	t.Run("with htmx, the page is sent there", func(t *testing.T) {
		carol, _ := join(t, room, "Carol")
		rec := s.do(http.MethodPost, "/room/"+room.Code()+"/leave", carol, nil, true)
		if rec.Header().Get("HX-Redirect") != "/room/"+room.Code()+"/left" {
			t.Errorf("answered %d, HX-Redirect %q", rec.Code, rec.Header().Get("HX-Redirect"))
		}
	})

	t.Run("an unknown room answers the page without a name", func(t *testing.T) {
		rec := s.do(http.MethodPost, "/room/zz99zz99/leave", bob, nil, false)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("answered %d", rec.Code)
		}
		rec = s.do(http.MethodGet, "/room/zz99zz99/left", bob, nil, false)
		if body := rec.Body.String(); rec.Code != http.StatusOK || !strings.Contains(body, "You left the room") || !strings.Contains(body, `href="/join/zz99zz99"`) {
			t.Errorf("answered %d:\n%s", rec.Code, body)
		}
	})
}
