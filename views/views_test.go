package views

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
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
	for _, want := range []string{`aria-pressed="true" data-testid="card-5"`, `data-testid="facilitator"`, `data-testid="reveal"`, `value="tok"`, "Next round", `data-testid="vote-again"`} {
		if !strings.Contains(html, want) {
			t.Errorf("hand lacks %q", want)
		}
	}
	if strings.Contains(html, "disabled") {
		t.Error("cards are disabled during a round")
	}
}

func TestLiveRoomSwapsEachSharedPartByID(t *testing.T) {
	st := fixedState(game.RoundVoting, 3)
	html := renderString(t, LiveRoom(st, WholeRecord))
	if strings.Contains(html, "-sync") || strings.Count(html, `hx-swap-oob="true"`) != 4 {
		t.Errorf("got %s", html)
	}
}

// A vote sends the voter's row and the tally, swapped in by id, and nothing else.
func TestLivePlayerIsTheRowAndTheTally(t *testing.T) {
	st := fixedState(game.RoundVoting, 30)
	st.Players[7].Voted = true
	html := renderString(t, LivePlayer(st, st.Players[7]))
	row := `id="row-` + st.Players[7].Player.Alias.String() + `"`
	tally := st.Tally()
	for _, want := range []string{row, `data-voted="true"`, `id="tally"`, strconv.Itoa(tally.Voted) + " of " + strconv.Itoa(tally.Voters) + " voted"} {
		if !strings.Contains(html, want) {
			t.Errorf("the vote's message lacks %s: %s", want, html)
		}
	}
	if n := strings.Count(html, "<li"); n != 1 {
		t.Errorf("the vote's message has %d rows, want 1", n)
	}
	if len(html) > 1024 {
		t.Errorf("the vote's message is %d bytes", len(html))
	}
}

// A join adds the newcomer's row at the end of the list and counts them.
func TestLiveJoinedAppendsTheRow(t *testing.T) {
	st := fixedState(game.RoundVoting, 4)
	html := renderString(t, LiveJoined(st, st.Players[3]))
	for _, want := range []string{`hx-swap-oob="beforeend:#player-list"`, `id="row-` + st.Players[3].Player.Alias.String() + `"`, `id="player-count" class="hint" hx-swap-oob="true"> (4)`} {
		if !strings.Contains(html, want) {
			t.Errorf("the join's message lacks %s: %s", want, html)
		}
	}
}

// The hand key changes with what a hand shows of the room (the round, the viewer's role,
// the rules), and never with a vote or a join.
func TestHandKeyChangesWithTheRoundTheRoleAndTheRules(t *testing.T) {
	voting := fixedState(game.RoundVoting, 3)
	admin, player := voting.Players[0], voting.Players[1]
	if HandKey(voting, player) == HandKey(fixedState(game.RoundRevealed, 3), player) {
		t.Error("the key did not change with the reveal")
	}
	next := fixedState(game.RoundVoting, 3)
	next.RoundNumber++
	if HandKey(voting, player) == HandKey(next, player) {
		t.Error("the key did not change with a new round")
	}
	if HandKey(voting, admin) == HandKey(voting, player) {
		t.Error("the facilitator's key is a player's")
	}
	free := fixedState(game.RoundVoting, 3)
	free.Game.Settings.Options.FacilitatorFree = true
	if HandKey(voting, player) == HandKey(free, player) {
		t.Error("the key did not change with the rules")
	}
	if HandKey(voting, player) != HandKey(fixedState(game.RoundVoting, 4), player) || HandKey(voting, player) != HandKey(withEveryoneVoted(voting), player) {
		t.Error("a join or a vote changed the key")
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
		if err := LiveRoom(st, WholeRecord).Render(context.Background(), &buf); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

// BenchmarkRenderVote50 renders what the room's stream publishes for one vote in a
// 50-player room: the voter's row and the tally, once for every browser of the room.
func BenchmarkRenderVote50(b *testing.B) {
	st := fixedState(game.RoundVoting, 50)
	st.Players[7].Voted = true
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := LivePlayer(st, st.Players[7]).Render(context.Background(), &buf); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
