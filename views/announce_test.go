package views

import (
	"strings"
	"testing"

	"github.com/pokerd/pokerd/game"
)

// TestWaitingForNamesExactlyTheVotersLeft: the round panel says, for a screen reader,
// who has not voted yet: neither an observer nor someone who left without voting (the
// room does not wait for them), and nothing once everyone has voted or the round is over.
func TestWaitingForNamesExactlyTheVotersLeft(t *testing.T) {
	// fixedState(…, 6): players 0, 2 and 4 voted; 2 and 5 are offline; 5 observes.
	st := fixedState(game.RoundVoting, 6)
	st.Players[3].Player.Username = "Carol <3"
	html := renderString(t, RoundPanel(st, true))
	if want := `<span class="visually-hidden" data-testid="waiting-for">Waiting for Player 1 and Carol &lt;3</span>`; !strings.Contains(html, want) {
		t.Errorf("the round panel lacks %s:\n%s", want, html)
	}

	st.Players[0].Voted = false
	if got, want := waitingFor(st), "Waiting for Player 0, Player 1 and Carol <3"; got != want {
		t.Errorf("three left: %q, want %q", got, want)
	}

	big := fixedState(game.RoundVoting, 40)
	for i := range big.Players {
		big.Players[i].Connected, big.Players[i].Observing, big.Players[i].Voted = true, false, false
	}
	if got, want := waitingFor(big), "Waiting for Player 0, Player 1, Player 2, Player 3, Player 4, Player 5, Player 6, Player 7 and 32 more"; got != want {
		t.Errorf("forty left: %q, want %q", got, want)
	}

	for i := range st.Players {
		st.Players[i].Voted = true
	}
	html = renderString(t, RoundPanel(st, true))
	if strings.Contains(html, "waiting-for") || !strings.Contains(html, `data-testid="everyone-voted"`) {
		t.Errorf("everyone voted, yet:\n%s", html)
	}

	revealed := fixedState(game.RoundRevealed, 6)
	if html := renderString(t, RoundPanel(revealed, true)); strings.Contains(html, "Waiting for") {
		t.Errorf("a revealed round waits for nobody:\n%s", html)
	}
}

// TestRevealSummaryIsWhatTheRoundCameTo: the words the announcer reads at a reveal.
func TestRevealSummaryIsWhatTheRoundCameTo(t *testing.T) {
	st := fixedState(game.RoundRevealed, 4) // two votes of 5
	if html := renderString(t, RoundPanel(st, true)); !strings.Contains(html, `data-revealed="average 5"`) {
		t.Errorf("the revealed panel lacks its summary:\n%s", html)
	}
	if html := renderString(t, RoundPanel(fixedState(game.RoundVoting, 4), true)); strings.Contains(html, "data-revealed") {
		t.Errorf("a round still voting has a summary:\n%s", html)
	}

	words := game.Deck{Name: "Sizes", Cards: []game.Card{{Label: "S", Value: 1, Special: true}, {Label: "M", Value: 2, Special: true}, {Label: "L", Value: 3, Special: true}}}
	st.Game.Deck = words
	s, m := 1.0, 2.0
	st.Votes[0].Value, st.Votes[2].Value = &m, &m
	if got := revealSummary(st); got != "most common card M" {
		t.Errorf("two votes of M: %q", got)
	}
	st.Votes[2].Value = &s
	if got := revealSummary(st); got != "no agreement" {
		t.Errorf("M and S: %q", got)
	}
	for i := range st.Votes {
		st.Votes[i].Value = nil
	}
	if got := revealSummary(st); got != "no votes" {
		t.Errorf("no votes: %q", got)
	}
}

// TestSwappedPartsAreNoLiveRegions: the parts the stream replaces would be read out
// whole at every change if they were live regions; the room's news goes through the
// announcer alone.
func TestSwappedPartsAreNoLiveRegions(t *testing.T) {
	st := fixedState(game.RoundVoting, 6)
	for _, part := range []string{renderString(t, Players(st, true)), renderString(t, RoundPanel(st, true))} {
		if strings.Contains(part, `aria-live="polite"`) || strings.Contains(part, `aria-live="assertive"`) || strings.Contains(part, `role="status"`) || strings.Contains(part, `role="alert"`) {
			t.Errorf("a swapped part is a live region:\n%s", part)
		}
	}
}
