package views

import (
	"slices"
	"strings"
	"testing"

	"github.com/pokerd/pokerd/game"
)

func TestFacilitatorHand(t *testing.T) {
	st := withEveryoneVoted(fixedState(game.RoundVoting, 4)) // player 2 is offline
	me := game.Seat{PlayerState: st.Players[0]}
	html := renderString(t, Hand(RoomData{State: st, Me: me}))
	for _, want := range []string{
		`data-testid="facilitator"`, `data-testid="options-form"`, `data-testid="option-auto-reveal"`,
		`data-testid="option-reveal-on-timer"`, `data-testid="option-facilitator-free"`, `data-testid="option-hide-names"`,
		`data-testid="options-save"`, `class="btn btn-primary btn-ready"`, "all votes are in",
		`data-shortcut="r"`, `data-shortcut="1"`, `data-testid="shortcuts-help"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the facilitator's hand lacks %s", want)
		}
	}
	if strings.Contains(html, `data-shortcut="n"`) {
		t.Error("the facilitator's hand restarts a round under way by key")
	}

	t.Run("the facilitator's list of players hands the role to those online and removes anyone", func(t *testing.T) {
		html := renderString(t, People(RoomData{State: st, Me: me}))
		for _, want := range []string{
			`data-testid="handoff-` + st.Players[1].Player.Alias.String() + `"`,
			`data-testid="remove-` + st.Players[2].Player.Alias.String() + `"`,
		} {
			if !strings.Contains(html, want) {
				t.Errorf("the list lacks %s", want)
			}
		}
		for _, unwanted := range []string{
			`data-testid="handoff-` + st.Players[0].Player.Alias.String() + `"`, // themself
			`data-testid="remove-` + st.Players[0].Player.Alias.String() + `"`,
			`data-testid="handoff-` + st.Players[2].Player.Alias.String() + `"`, // offline
		} {
			if strings.Contains(html, unwanted) {
				t.Errorf("the list has %s", unwanted)
			}
		}
		if other := renderString(t, People(RoomData{State: st, Me: game.Seat{PlayerState: st.Players[1]}})); strings.Contains(other, "remove-") || !strings.Contains(other, `id="people" hidden`) {
			t.Errorf("a player gets the facilitator's list: %s", other)
		}
	})

	t.Run("reveal on timer is offered only with a timer", func(t *testing.T) {
		st := fixedState(game.RoundInit, 1)
		st.Game.Settings.RoundTimer = nil
		html := renderString(t, Hand(RoomData{State: st, Me: game.Seat{PlayerState: st.Players[0]}}))
		if strings.Contains(html, "option-reveal-on-timer") || !strings.Contains(html, `data-shortcut="n"`) {
			t.Errorf("got %s", html)
		}
	})
	t.Run("in a facilitator-free room every player runs rounds, but the rules stay the facilitator's", func(t *testing.T) {
		st := fixedState(game.RoundVoting, 2)
		st.Game.Settings.Options.FacilitatorFree = true
		html := renderString(t, Hand(RoomData{State: st, Me: game.Seat{PlayerState: st.Players[1]}}))
		for _, want := range []string{`data-testid="round-controls"`, `data-testid="start"`, `data-testid="reveal"`, "<kbd>r</kbd> reveals"} {
			if !strings.Contains(html, want) {
				t.Errorf("lacks %s", want)
			}
		}
		if strings.Contains(html, "options-form") || strings.Contains(html, `data-testid="facilitator"`) || strings.Contains(html, "remove-") {
			t.Error("a player has the facilitator's tools")
		}
	})
	t.Run("a player of a plain room has cards only", func(t *testing.T) {
		st := fixedState(game.RoundRevealed, 2)
		html := renderString(t, Hand(RoomData{State: st, Me: game.Seat{PlayerState: st.Players[1]}}))
		if strings.Contains(html, `data-testid="start"`) || strings.Contains(html, "<kbd>r</kbd>") || strings.Contains(html, "estimate-form") {
			t.Errorf("got %s", html)
		}
	})
	t.Run("after a reveal the estimate form offers the suggestion, and the record can be taken away", func(t *testing.T) {
		st := revealedWith(t, "3", "5", "8")
		html := renderString(t, Hand(RoomData{State: st, Me: game.Seat{PlayerState: st.Players[0]}}))
		for _, want := range []string{`data-testid="estimate-form"`, `name="round" value="1"`, `value="5" hx-preserve="true" data-testid="estimate-input"`, `href="/room/ab12/record.csv"`, `data-testid="record-download-json"`} {
			if !strings.Contains(html, want) {
				t.Errorf("lacks %s", want)
			}
		}
	})
}

func TestRoundPanelSaysEveryoneVotedAndWhenTimeIsUp(t *testing.T) {
	st := fixedState(game.RoundVoting, 2)
	deadline := st.RoundStart.Add(5 * 60e9)
	st.RoundDeadline = &deadline
	st = withEveryoneVoted(st)
	st.Game.Settings.Options.RevealOnTimer = true
	html := renderString(t, RoundPanel(st, false))
	for _, want := range []string{`data-testid="everyone-voted">Everyone has voted</span>`, `data-deadline="2026-05-01T12:05:00Z"`, `data-testid="timer-reveal"`, "cards are revealed when time is up"} {
		if !strings.Contains(html, want) {
			t.Errorf("round panel lacks %s", want)
		}
	}
	st.Players[1].Voted = false
	if strings.Contains(renderString(t, RoundPanel(st, false)), "everyone-voted") {
		t.Error("everyone-voted shown before everyone voted")
	}
	if !strings.Contains(renderString(t, roundTally(withEveryoneVoted(st), false)), `data-everyone-voted="true"`) {
		t.Error("the tally does not say everyone has voted (the Reveal button lights up from it)")
	}
}

// withEveryoneVoted is a copy of st where every player has voted.
func withEveryoneVoted(st *game.State) *game.State {
	c := *st
	c.Players = slices.Clone(st.Players)
	for i := range c.Players {
		c.Players[i].Voted = true
	}
	return &c
}
