package views

import (
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/pokerd/pokerd/game"
)

// runControlsTestID keeps "facilitator" for the facilitator's panel; a player running
// rounds in a facilitator-free room gets the same controls under another name.
func runControlsTestID(d RoomData) string {
	if d.Me.Admin {
		return "facilitator"
	}
	return "round-controls"
}

// startShortcut: "n" starts the first or the next round, never restarts one under way.
func startShortcut(st *game.State) string {
	if st.Round == game.RoundVoting {
		return ""
	}
	return "n"
}

func revealShortcut(st *game.State) string {
	if st.Round != game.RoundVoting {
		return ""
	}
	return "r"
}

// estimateInputID differs per round and per value the field is filled in with, so that
// a typed estimate survives hand refreshes (hx-preserve) but not into the next round,
// nor past a vote after the reveal that moves the suggestion (or an estimate saved from
// another page): the field then offers the new value, and moving on records it.
func estimateInputID(rec *game.RoundRecord) string {
	return "estimate-" + strconv.Itoa(rec.Number) + "-" + estimateSeed(rec)
}

// estimateSeed stands for the value the estimate field is filled in with, in a form fit
// for an id and a hand's key.
func estimateSeed(rec *game.RoundRecord) string {
	h := fnv.New32a()
	h.Write([]byte(estimateValue(rec)))
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

// estimateValue is the agreed estimate, or the suggestion until there is one.
func estimateValue(rec *game.RoundRecord) string {
	if rec.Estimate != "" || rec.Results.Suggestion == nil {
		return rec.Estimate
	}
	return rec.Results.Suggestion.Label
}

// otherPlayers are the players but the viewer, whom the server tells apart by their
// seat's id: the id is compared here, never written into the page.
func otherPlayers(d RoomData) []game.PlayerState {
	var others []game.PlayerState
	for _, p := range d.State.Players {
		if p.Player.ID != d.Me.Player.ID {
			others = append(others, p)
		}
	}
	return others
}

// rulesSummary writes the room's rules that differ from a plain room, for everyone.
func rulesSummary(s game.GameSettings) string {
	var rules []string
	for _, r := range s.RulesInForce() {
		rules = append(rules, r.Summary)
	}
	if s.MaxPlayers > 0 {
		rules = append(rules, "room for "+strconv.Itoa(s.MaxPlayers)+" players")
	}
	if len(rules) == 0 {
		return ""
	}
	return "Rules: " + strings.Join(rules, "; ")
}

func roundDeadline(st *game.State) string {
	if st.RoundDeadline == nil {
		return ""
	}
	return st.RoundDeadline.UTC().Format(time.RFC3339Nano)
}

// roundAverage is the revealed round's average of the counted cards, as game sums it up.
func roundAverage(st *game.State) (string, bool) {
	res, ok := st.RoundResults()
	if !ok || res.Average == nil {
		return "", false
	}
	return number(*res.Average), true
}

func newestFirst(records []*game.RoundRecord) []*game.RoundRecord {
	out := slices.Clone(records)
	slices.Reverse(out)
	return out
}

// recordResult is a round's outcome in a few words, with how many were unsure.
func recordResult(r game.Results) string {
	s := recordOutcome(r)
	if r.Unsure > 0 {
		s += "; " + itoa(r.Unsure) + " unsure"
	}
	return s
}

func recordOutcome(r game.Results) string {
	switch {
	case r.Votes == 0:
		return "no votes"
	case r.Consensus:
		return "consensus on " + r.Modes[0].Label
	case r.Average != nil:
		return "average " + number(*r.Average) + ", " + consensusText(r)
	default:
		return consensusText(r)
	}
}

// duration writes how long a round took: "42s", "3m 05s", "1h 02m".
func duration(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + "m " + twoDigits(int(d.Seconds())%60) + "s"
	default:
		return strconv.Itoa(int(d.Hours())) + "h " + twoDigits(int(d.Minutes())%60) + "m"
	}
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// recordStoryLabel names a round's story in the record: "PP-12 Login page", or its link.
func recordStoryLabel(rec *game.RoundRecord) string {
	s := game.Story{Key: rec.Key, Title: rec.Title, Link: rec.TicketURL}
	return s.Label()
}

// recordVotes is each seated player's card in a round ("Ann 5, Bob –"); a round revealed
// while names were hidden has its cards alone ("5, 5, 8"), as its record keeps them.
func recordVotes(rec *game.RoundRecord) string {
	parts := make([]string, 0, len(rec.Votes))
	if rec.Anonymous {
		for _, v := range rec.Votes {
			if v.Card != nil {
				parts = append(parts, v.Card.Label)
			}
		}
		return strings.Join(parts, ", ")
	}
	for _, v := range rec.Votes {
		card := "–"
		switch {
		case v.Card != nil:
			card = v.Card.Label
		case v.Observing:
			card = "observing"
		}
		if v.Unsure {
			card += " (unsure)"
		}
		parts = append(parts, displayName(v.Player)+" "+card)
	}
	return strings.Join(parts, ", ")
}

// shortcutAttrs marks a button as the one a key presses (see pokerd.js).
func shortcutAttrs(key string) templ.Attributes {
	if key == "" {
		return nil
	}
	return templ.Attributes{"data-shortcut": key, "aria-keyshortcuts": key}
}

// voteAgainAttrs ask before clearing votes: pokerd.js keeps the question in step with
// the round's tally (data-votes), which changes without a new hand; the attribute is
// for the page as drawn. Without scripts nothing asks.
func voteAgainAttrs(st *game.State) templ.Attributes {
	a := templ.Attributes{"data-confirm-votes": voteAgainQuestion}
	if votesCast(st) > 0 {
		a["hx-confirm"] = voteAgainQuestion
	}
	return a
}

const voteAgainQuestion = "Votes are in. Start this story again and clear them?"
