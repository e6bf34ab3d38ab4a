package views

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"
	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
)

func renderString(t testing.TB, c templ.Component) string {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func fixedState(round game.RoundState, players int) *game.State {
	start := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	timer := game.RoundTimerSettings{Maximum: 5, Warning: 4}
	st := &game.State{
		Game:  game.GameInfo{Code: "ab12", Name: "Sprint <42>", Deck: game.FibonacciDeck(), Settings: game.GameSettings{RoundTimer: &timer}},
		Round: round,
	}
	if round != game.RoundInit {
		st.RoundStart = &start
	}
	for i := range players {
		// The room draws a seat's alias from its id; any other UUID stands for it here.
		p := game.Player{ID: uuid.NewSHA1(uuid.Nil, []byte{byte(i)}), Alias: uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(i)}), Username: fmt.Sprintf("Player %d", i)}
		st.Players = append(st.Players, game.PlayerState{Player: p, Connected: i%3 != 2, Admin: i == 0, Voted: i%2 == 0, Observing: i == 5})
		if round == game.RoundRevealed {
			v := game.Vote{PlayerID: p.ID, Alias: p.Alias}
			if i%2 == 0 {
				x := 5.0
				v.Value = &x
			}
			st.Votes = append(st.Votes, v)
		}
	}
	return st
}

func TestPlayersShowEveryStateInWords(t *testing.T) {
	st := fixedState(game.RoundVoting, 6)
	st.Players[1].Player.Username = `<img src=x onerror=alert(1)>`
	html := renderString(t, Players(st, false))
	for _, want := range []string{"facilitator", "online", "offline", "observing", `<span class="visually-hidden">has voted</span>`, `<span class="visually-hidden">not voted yet</span>`, "&lt;img src=x onerror=alert(1)&gt;"} {
		if !strings.Contains(html, want) {
			t.Errorf("players lack %q", want)
		}
	}
	if strings.Contains(html, "<img") {
		t.Error("a name became markup")
	}
	if strings.Contains(html, "hx-swap-oob") {
		t.Error("the page's own copy must not be an out-of-band swap")
	}
	if got := strings.Count(html, `data-testid="player-name"`); got != 6 {
		t.Errorf("%d players, want 6", got)
	}
}

func TestRoundPanel(t *testing.T) {
	t.Run("voting shows the count, the ticket and the timer", func(t *testing.T) {
		st := fixedState(game.RoundVoting, 4)
		ticket := "https://tracker.example.com/PP-7?x=1&y=2"
		st.TicketURL = &ticket
		html := renderString(t, RoundPanel(st, true))
		for _, want := range []string{
			`hx-swap-oob="true"`, `data-testid="round-state">Voting`, "2 of 4 voted",
			`href="https://tracker.example.com/PP-7?x=1&amp;y=2"`, `data-start="2026-05-01T12:00:00Z"`, `data-max="5"`, `data-warn="4"`,
		} {
			if !strings.Contains(html, want) {
				t.Errorf("round panel lacks %q:\n%s", want, html)
			}
		}
	})
	t.Run("revealed shows the average of the votes and no timer", func(t *testing.T) {
		st := fixedState(game.RoundRevealed, 4)
		html := renderString(t, RoundPanel(st, false))
		if !strings.Contains(html, `data-testid="average">5 <span>average`) || strings.Contains(html, `data-testid="timer"`) {
			t.Errorf("got %s", html)
		}
	})
	t.Run("an average is rounded to two places", func(t *testing.T) {
		st := fixedState(game.RoundRevealed, 3)
		one, two := 1.0, 1.0
		three := 2.0
		st.Votes[0].Value, st.Votes[1].Value, st.Votes[2].Value = &one, &two, &three
		if avg, _ := roundAverage(st); avg != "1.33" {
			t.Errorf("average %s, want 1.33", avg)
		}
	})
}

func TestHandFollowsTheRoundAndTheViewer(t *testing.T) {
	st := fixedState(game.RoundInit, 2)
	me := game.Seat{PlayerState: st.Players[1]}
	html := renderString(t, Hand(RoomData{State: st, Me: me, Page: Page{CSRF: "tok"}}))
	if strings.Count(html, "disabled") != len(st.Game.Deck.Cards) || strings.Contains(html, `data-testid="facilitator"`) {
		t.Errorf("before the first round the cards are closed and only the facilitator has controls:\n%s", html)
	}
	st = fixedState(game.RoundVoting, 2)
	five := 5.0
	admin := game.Seat{PlayerState: st.Players[0], Vote: &five}
	html = renderString(t, Hand(RoomData{State: st, Me: admin, Page: Page{CSRF: "tok"}}))
	for _, want := range []string{`aria-pressed="true" data-testid="card-5"`, `data-testid="facilitator"`, `data-testid="reveal"`, `value="tok"`, "Restart round"} {
		if !strings.Contains(html, want) {
			t.Errorf("hand lacks %q", want)
		}
	}
	if strings.Contains(html, "disabled") {
		t.Error("cards are disabled during a round")
	}
}

func TestLiveAsksForHandsOnlyWhenTold(t *testing.T) {
	st := fixedState(game.RoundVoting, 3)
	if html := renderString(t, Live(st, false, false, WholeRecord)); strings.Contains(html, "-sync") || strings.Count(html, `hx-swap-oob="true"`) != 4 {
		t.Errorf("got %s", html)
	}
	if html := renderString(t, Live(st, true, false, WholeRecord)); !strings.Contains(html, `id="hand-sync" hx-swap-oob="true"`) || !strings.Contains(html, `hx-get="/room/ab12/hand"`) || strings.Contains(html, "people-sync") {
		t.Errorf("got %s", html)
	}
	if html := renderString(t, Live(st, false, true, WholeRecord)); !strings.Contains(html, `id="people-sync" hx-swap-oob="true"`) || !strings.Contains(html, `hx-get="/room/ab12/people"`) || strings.Contains(html, "hand-sync") {
		t.Errorf("got %s", html)
	}
}

func TestHandKeyChangesWithTheRound(t *testing.T) {
	voting, revealed := fixedState(game.RoundVoting, 1), fixedState(game.RoundRevealed, 1)
	next := fixedState(game.RoundVoting, 1)
	later := next.RoundStart.Add(time.Minute)
	next.RoundStart = &later
	if HandKey(voting) == HandKey(revealed) || HandKey(voting) == HandKey(next) || HandKey(voting) != HandKey(fixedState(game.RoundVoting, 1)) {
		t.Error("the hand key must change with the round state and start, and only then")
	}
	// A join must not redraw hands (someone may be typing a ticket link): the
	// facilitator's list of players has a key of its own. (Both rooms wait for votes: a
	// join that makes the room wait again does change the hand, its Reveal button.)
	if HandKey(fixedState(game.RoundVoting, 3)) != HandKey(fixedState(game.RoundVoting, 4)) {
		t.Error("the hand key changed with the players at the table")
	}
	if PeopleKey(voting) == PeopleKey(fixedState(game.RoundVoting, 4)) {
		t.Error("the people key must change with the players at the table")
	}
}

// BenchmarkRenderLive50 renders the shared parts of a 50-player room: the work done once
// per change, whatever the number of browsers.
func BenchmarkRenderLive50(b *testing.B) {
	st := fixedState(game.RoundRevealed, 50)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Live(st, true, true, WholeRecord).Render(context.Background(), &buf); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
