package game

import (
	"reflect"
	"testing"
)

func TestComputeResults(t *testing.T) {
	fib := FibonacciDeck()
	card := func(label string) Card {
		for _, c := range fib.Cards {
			if c.Label == label {
				return c
			}
		}
		t.Fatalf("no card %q", label)
		return Card{}
	}
	players := []Player{alice, bob, carol, stranger}
	ballots := func(labels ...string) []Ballot {
		out := make([]Ballot, len(labels))
		for i, l := range labels {
			out[i] = Ballot{Player: players[i], Card: card(l)}
		}
		return out
	}
	type want struct {
		votes, counted     int
		average, median    *float64
		modes              []string
		modeCount          int
		consensus          bool
		lowest, highest    string // card label, "" for none
		lowestBy           []Player
		suggestion         string
		distributionCounts map[string]int
	}
	for _, tc := range []struct {
		name    string
		ballots []Ballot
		want    want
	}{
		{"an empty round has no figures", nil, want{}},
		{"one voter: figures but no consensus", ballots("5"), want{
			votes: 1, counted: 1, average: ptr(5.0), median: ptr(5.0), modes: []string{"5"}, modeCount: 1,
			lowest: "5", highest: "5", lowestBy: []Player{alice}, suggestion: "5",
			distributionCounts: map[string]int{"5": 1},
		}},
		{"everyone on one card is a consensus", ballots("8", "8", "8"), want{
			votes: 3, counted: 3, average: ptr(8.0), median: ptr(8.0), modes: []string{"8"}, modeCount: 3,
			consensus: true, lowest: "8", highest: "8", lowestBy: []Player{alice, bob, carol}, suggestion: "8",
			distributionCounts: map[string]int{"8": 3},
		}},
		{"a tie for the most common card names both, in deck order", ballots("5", "3", "5", "3"), want{
			votes: 4, counted: 4, average: ptr(4.0), median: ptr(4.0), modes: []string{"3", "5"}, modeCount: 2,
			lowest: "3", highest: "5", lowestBy: []Player{bob, stranger}, suggestion: "5", // 4 is as near to 3 as to 5: the higher
			distributionCounts: map[string]int{"3": 2, "5": 2},
		}},
		{"the special card is shown but not counted", ballots("3", "?", "5"), want{
			votes: 3, counted: 2, average: ptr(4.0), median: ptr(4.0), modes: []string{"3", "5", "?"}, modeCount: 1,
			lowest: "3", highest: "5", lowestBy: []Player{alice}, suggestion: "5",
			distributionCounts: map[string]int{"3": 1, "5": 1, "?": 1},
		}},
		{"only special cards: no figures, but a consensus", ballots("?", "?"), want{
			votes: 2, counted: 0, modes: []string{"?"}, modeCount: 2, consensus: true,
			distributionCounts: map[string]int{"?": 2},
		}},
		{"halves count as numbers", ballots("1/2", "1/2", "1"), want{
			votes: 3, counted: 3, average: ptr(2.0 / 3), median: ptr(0.5), modes: []string{"1/2"}, modeCount: 2,
			lowest: "1/2", highest: "1", lowestBy: []Player{alice, bob}, suggestion: "1/2",
			distributionCounts: map[string]int{"1/2": 2, "1": 1},
		}},
		{"an even number of votes takes the middle two for the median", ballots("1", "2", "8", "13"), want{
			votes: 4, counted: 4, average: ptr(6.0), median: ptr(5.0), modes: []string{"1", "2", "8", "13"}, modeCount: 1,
			lowest: "1", highest: "13", lowestBy: []Player{alice}, suggestion: "5",
			distributionCounts: map[string]int{"1": 1, "2": 1, "8": 1, "13": 1},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ComputeResults(fib, tc.ballots)
			w := tc.want
			if r.Votes != w.votes || r.Counted != w.counted || r.ModeCount != w.modeCount || r.Consensus != w.consensus {
				t.Errorf("votes %d counted %d modeCount %d consensus %v, want %d %d %d %v",
					r.Votes, r.Counted, r.ModeCount, r.Consensus, w.votes, w.counted, w.modeCount, w.consensus)
			}
			if !reflect.DeepEqual(r.Average, w.average) || !reflect.DeepEqual(r.Median, w.median) {
				t.Errorf("average %v median %v, want %v %v", deref(r.Average), deref(r.Median), deref(w.average), deref(w.median))
			}
			if got := labels(r.Modes); !reflect.DeepEqual(got, w.modes) {
				t.Errorf("modes %v, want %v", got, w.modes)
			}
			if got := extremeLabel(r.Lowest); got != w.lowest {
				t.Errorf("lowest %q, want %q", got, w.lowest)
			}
			if got := extremeLabel(r.Highest); got != w.highest {
				t.Errorf("highest %q, want %q", got, w.highest)
			}
			if r.Lowest != nil && !reflect.DeepEqual(r.Lowest.Players, w.lowestBy) {
				t.Errorf("lowest voted by %v, want %v", r.Lowest.Players, w.lowestBy)
			}
			if got := cardLabelOf(r.Suggestion); got != w.suggestion {
				t.Errorf("suggestion %q, want %q", got, w.suggestion)
			}
			counts := map[string]int{}
			for _, b := range r.Distribution {
				counts[b.Card.Label] = b.Count
			}
			if len(counts) == 0 {
				counts = nil
			}
			if !reflect.DeepEqual(counts, w.distributionCounts) {
				t.Errorf("distribution %v, want %v", counts, w.distributionCounts)
			}
		})
	}
}

func TestSuggestionSkipsSpecialCards(t *testing.T) {
	deck := Deck{ID: 9, Name: "d", Cards: []Card{{Label: "1", Value: 1}, {Label: "coffee", Value: 4, Special: true}, {Label: "8", Value: 8}}}
	r := ComputeResults(deck, []Ballot{{alice, deck.Cards[0], false}, {bob, deck.Cards[2], false}, {carol, deck.Cards[2], false}})
	// The average is 17/3 ≈ 5.67: coffee's value 4 is nearer, but it is not an estimate.
	if got := cardLabelOf(r.Suggestion); got != "8" {
		t.Fatalf("suggestion %q, want 8", got)
	}
}

func labels(cards []Card) []string {
	var out []string
	for _, c := range cards {
		out = append(out, c.Label)
	}
	return out
}

func extremeLabel(e *Extreme) string {
	if e == nil {
		return ""
	}
	return e.Card.Label
}

func cardLabelOf(c *Card) string {
	if c == nil {
		return ""
	}
	return c.Label
}

func deref(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}
