package views

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/pokerd/pokerd/game"
)

// What the room's announcer (static/pokerd.js) and a screen reader need in words: who
// the round still waits for, and what the reveal came to. Who counts as a voter is the
// domain's rule (game.PlayerState.IsVoter); this only writes it out.

// waitingFor names the voters who have not voted yet, "Waiting for Bob and Carol", or ""
// when the round is not open or waits for nobody.
func waitingFor(st *game.State) string {
	if st.Round != game.RoundVoting {
		return ""
	}
	var names []string
	for _, p := range st.Players {
		if p.IsVoter() && !p.Voted {
			names = append(names, displayName(p.Player))
		}
	}
	if len(names) == 0 {
		return ""
	}
	if len(names) > waitingNamed {
		// Nobody listens to forty names, and the panel goes to every browser with
		// every vote: the first few, and how many more.
		more := len(names) - waitingNamed
		names = append(names[:waitingNamed], strconv.Itoa(more)+" more")
	}
	return "Waiting for " + andList(names)
}

// waitingNamed is how many of those the round waits for are named.
const waitingNamed = 8

// andList writes names as a sentence does: "Ann", "Ann and Bob", "Ann, Bob and Carol".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// revealSummary is what a revealed round came to, in a few words for the announcer: the
// average, or on a deck of words the most common card, or that there was none.
func revealSummary(st *game.State) string {
	res, ok := st.RoundResults()
	switch {
	case !ok || res.Votes == 0:
		return "no votes"
	case res.Average != nil:
		return "average " + number(*res.Average)
	case len(res.Modes) == 1:
		return "most common card " + res.Modes[0].Label
	default:
		return "no agreement"
	}
}

// revealedAttrs gives a revealed round's panel its summary, which the announcer reads
// out once at the reveal ("Revealed: average 5").
func revealedAttrs(st *game.State) templ.Attributes {
	if st.Round != game.RoundRevealed {
		return nil
	}
	return templ.Attributes{"data-revealed": revealSummary(st)}
}
