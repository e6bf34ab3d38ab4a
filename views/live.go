package views

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/pokerd/pokerd/game"
)

// HandGone is the hand key of a viewer who no longer has a seat: their page fetches its
// hand, and is sent to the join page.
const HandGone = "gone"

// HandKey names what a viewer's own hand shows of the room: it differs exactly when the
// hand must be drawn again for a reason that is not the viewer's own action (which
// answers with the new hand): a new round or a reveal, the viewer's role (running the
// round, the facilitator's tools) and the room's rules.
func HandKey(st *game.State, viewer game.PlayerState) string {
	var b strings.Builder
	b.WriteString(string(st.Round))
	b.WriteByte('.')
	b.WriteString(strconv.Itoa(st.RoundNumber))
	b.WriteByte('.')
	switch {
	case viewer.Admin:
		b.WriteString("facilitator")
	case st.CanRun(viewer):
		b.WriteString("runner")
	default:
		b.WriteString("player")
	}
	b.WriteByte('.')
	// Whoever runs the round has the estimate field, filled in from the round on show:
	// a hand of theirs drawn before its value changed is out of date.
	if rec := st.Current(); rec != nil && st.CanRun(viewer) {
		b.WriteString(estimateSeed(rec))
		b.WriteByte('.')
	}
	for _, r := range game.RoomRules {
		if r.On(st.Game.Settings.Options) {
			b.WriteByte('1')
		} else {
			b.WriteByte('0')
		}
	}
	return b.String()
}

// playerRowID is the id of a player's row, by which the stream replaces it.
func playerRowID(p game.Player) string { return "row-" + p.Alias.String() }

// everyoneVotedAttrs marks the tally once every voter has voted.
func everyoneVotedAttrs(st *game.State) templ.Attributes {
	if !st.EveryoneVoted() {
		return nil
	}
	return templ.Attributes{"data-everyone-voted": "true"}
}

// canRun says whether the viewer may run the round, "true" or "false". The room's live
// part carries it (and the hand, which is fetched again when the role changes, brings
// it up to date: pokerd.js copies it over), so that the controls drawn once for every
// viewer, marked runner-only, show for those who may use them (see pokerd.css). The
// actions behind them are refused on the server to the others all the same.
func canRun(d RoomData) string {
	return strconv.FormatBool(d.State.CanRun(d.Me.PlayerState))
}
