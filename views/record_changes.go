package views

import (
	"slices"
	"strconv"

	"github.com/pokerd/pokerd/game"
)

// RecordChanges is what one message of the room's stream changes in the session record.
// A browser already showing the record gets only the rounds that are new or changed, and
// loses those the room no longer keeps, so that a message never grows with the session;
// a browser that just came gets it whole (Whole).
type RecordChanges struct {
	Whole   bool                // replace the whole panel
	Added   []*game.RoundRecord // rounds new since the last message, oldest first
	Changed []*game.RoundRecord // rounds drawn before that differ now (a re-reveal, an estimate)
	Removed []int               // numbers of rounds no longer shown, or no longer kept
}

// WholeRecord sends the record whole.
var WholeRecord = RecordChanges{Whole: true}

// None tells whether the message leaves the record as it is.
func (c RecordChanges) None() bool {
	return !c.Whole && len(c.Added) == 0 && len(c.Changed) == 0 && len(c.Removed) == 0
}

// RecordShown is how many of the newest rounds of the session record a browser shows
// live, on the room page and through its stream. The record may keep hundreds of rounds
// of a hundred votes each (megabytes of HTML): drawn whole, every page load and every
// new stream would cost as much, and a browser that never reads would hold it all. The
// downloads (CSV and JSON) keep every round.
const RecordShown = 20

// ShownRecord is the part of the record a browser shows: its newest RecordShown rounds,
// oldest first as in the record.
func ShownRecord(records []*game.RoundRecord) []*game.RoundRecord {
	return records[max(0, len(records)-RecordShown):]
}

// DiffRecord is what turns the record drawn from before into the one drawn from after;
// of each, only the rounds a browser shows (ShownRecord) count, so a round that falls
// out of view is removed from the page like one the record no longer keeps.
// Records are never changed once made (a later reveal or an estimate replaces the
// round's record), so a round whose pointer is the same is drawn the same. The panel
// itself comes and goes with the first round, so a record that was or becomes empty is
// sent whole, as is one whose new rounds would not go on top (rounds only ever come in
// order of their numbers, but the rows must never end up out of order if that changed).
func DiffRecord(before, after []*game.RoundRecord) RecordChanges {
	before, after = ShownRecord(before), ShownRecord(after)
	if len(before) == 0 && len(after) == 0 {
		return RecordChanges{}
	}
	if len(before) == 0 || len(after) == 0 {
		return WholeRecord
	}
	drawn := make(map[int]*game.RoundRecord, len(before))
	newest := 0
	for _, rec := range before {
		drawn[rec.Number] = rec
		newest = max(newest, rec.Number)
	}
	var c RecordChanges
	kept := make(map[int]bool, len(after))
	for _, rec := range after {
		kept[rec.Number] = true
		old, ok := drawn[rec.Number]
		switch {
		case !ok && rec.Number < newest:
			return WholeRecord
		case !ok:
			c.Added = append(c.Added, rec)
		case old != rec:
			c.Changed = append(c.Changed, rec)
		}
	}
	if !slices.IsSortedFunc(c.Added, func(a, b *game.RoundRecord) int { return a.Number - b.Number }) {
		return WholeRecord
	}
	for _, rec := range before {
		if !kept[rec.Number] {
			c.Removed = append(c.Removed, rec.Number)
		}
	}
	return c
}

// recordRowID is the id of a round's row, by which a stream message replaces or removes
// it.
func recordRowID(number int) string { return "record-round-" + strconv.Itoa(number) }
