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
	Removed []int               // numbers of rounds the record no longer keeps
}

// WholeRecord sends the record whole.
var WholeRecord = RecordChanges{Whole: true}

// None tells whether the message leaves the record as it is.
func (c RecordChanges) None() bool {
	return !c.Whole && len(c.Added) == 0 && len(c.Changed) == 0 && len(c.Removed) == 0
}

// DiffRecord is what turns the record drawn from before into the one drawn from after.
// Records are never changed once made (a later reveal or an estimate replaces the
// round's record), so a round whose pointer is the same is drawn the same. The panel
// itself comes and goes with the first round, so a record that was or becomes empty is
// sent whole, as is one whose new rounds would not go on top (rounds only ever come in
// order of their numbers, but the rows must never end up out of order if that changed).
func DiffRecord(before, after []*game.RoundRecord) RecordChanges {
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
