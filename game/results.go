package game

import (
	"math"
	"slices"

	"github.com/google/uuid"
)

// Results sum up a revealed round for the conversation that follows it.
type Results struct {
	Votes   int // cards played, special cards included
	Counted int // votes that are numbers in meaning: the ones the figures below use

	Average *float64 // nil when no vote counted
	Median  *float64
	Lowest  *Extreme
	Highest *Extreme

	// Modes are the most common cards, special ones included (more than one on a tie),
	// each played ModeCount times.
	Modes     []Card
	ModeCount int
	// Consensus: at least two votes, all on one card.
	Consensus bool
	// Suggestion is the deck's numbered card nearest to the average (the higher one
	// when two are as near), the estimate a team most often settles on.
	Suggestion *Card

	Distribution []Bar // the cards played, in deck order

	// Unsure is how many of the votes were marked unsure (rooms that ask for it).
	Unsure int `json:",omitempty"`
}

// Extreme is the lowest or highest counted card and who played it.
type Extreme struct {
	Card    Card
	Players []Player
}

// Bar is one card's share of the votes.
type Bar struct {
	Card    Card
	Count   int
	Players []Player
}

// Ballot is one player's revealed card.
type Ballot struct {
	Player Player
	Card   Card
	Unsure bool // the voter marked the vote unsure
}

// ComputeResults sums up the ballots of a round played with deck.
func ComputeResults(deck Deck, ballots []Ballot) Results {
	r := Results{Votes: len(ballots)}
	if len(ballots) == 0 {
		return r
	}
	counts := make([]int, len(deck.Cards))
	voters := make([][]Player, len(deck.Cards))
	var numbers []float64
	for _, b := range ballots {
		i := slices.IndexFunc(deck.Cards, func(c Card) bool { return c.Value == b.Card.Value })
		if i < 0 {
			continue // not a card of this deck: votes are checked, so this is a bug elsewhere
		}
		counts[i]++
		voters[i] = append(voters[i], b.Player)
		if b.Unsure {
			r.Unsure++
		}
		if !deck.Cards[i].Special {
			numbers = append(numbers, deck.Cards[i].Value)
		}
	}

	for i, n := range counts {
		if n == 0 {
			continue
		}
		r.Distribution = append(r.Distribution, Bar{Card: deck.Cards[i], Count: n, Players: voters[i]})
		switch {
		case n > r.ModeCount:
			r.ModeCount, r.Modes = n, []Card{deck.Cards[i]}
		case n == r.ModeCount:
			r.Modes = append(r.Modes, deck.Cards[i])
		}
	}
	r.Consensus = r.Votes >= 2 && len(r.Distribution) == 1

	r.Counted = len(numbers)
	if r.Counted == 0 {
		return r
	}
	slices.Sort(numbers)
	sum := 0.0
	for _, v := range numbers {
		sum += v
	}
	avg := sum / float64(len(numbers))
	median := numbers[len(numbers)/2]
	if len(numbers)%2 == 0 {
		median = (numbers[len(numbers)/2-1] + median) / 2
	}
	r.Average, r.Median = &avg, &median
	r.Lowest = extreme(deck, counts, voters, numbers[0])
	r.Highest = extreme(deck, counts, voters, numbers[len(numbers)-1])
	r.Suggestion = nearestCard(deck, avg)
	return r
}

func extreme(deck Deck, counts []int, voters [][]Player, v float64) *Extreme {
	for i, c := range deck.Cards {
		if c.Value == v && !c.Special && counts[i] > 0 {
			return &Extreme{Card: c, Players: voters[i]}
		}
	}
	return nil
}

// nearestCard is the numbered card closest to v; on a tie, the higher one.
func nearestCard(deck Deck, v float64) *Card {
	var best *Card
	bestDist := math.Inf(1)
	for i := range deck.Cards {
		c := &deck.Cards[i]
		if c.Special {
			continue
		}
		d := math.Abs(c.Value - v)
		if d < bestDist || (d == bestDist && c.Value > best.Value) {
			cc := *c
			best, bestDist = &cc, d
		}
	}
	return best
}

// WithoutNames is r with every player left out: the figures and the chart stay, who
// played which card goes. The players' lists are new, so r itself is left as it was.
func (r Results) WithoutNames() Results {
	anonymous := func(e *Extreme) *Extreme {
		if e == nil {
			return nil
		}
		return &Extreme{Card: e.Card}
	}
	r.Lowest, r.Highest = anonymous(r.Lowest), anonymous(r.Highest)
	bars := make([]Bar, len(r.Distribution))
	for i, b := range r.Distribution {
		bars[i] = Bar{Card: b.Card, Count: b.Count}
	}
	if r.Distribution != nil {
		r.Distribution = bars
	}
	return r
}

// ResultsShown is r as these rules let anyone see it: without names when the room hides
// them. Every surface that shows results (pages, the session record) shows these.
func (o RoomOptions) ResultsShown(r Results) Results {
	if o.HideNames {
		return r.WithoutNames()
	}
	return r
}

// RoundResults are the results of the round on show, as the room's rules let anyone see
// them, once it is revealed. A reveal before the first round has no record: its
// results are summed up from the revealed votes alike.
func (st *State) RoundResults() (Results, bool) {
	if st.Round != RoundRevealed {
		return Results{}, false
	}
	if rec := st.Current(); rec != nil {
		return st.Game.Settings.Options.ResultsShown(rec.Results), true
	}
	var ballots []Ballot
	for _, v := range st.Votes {
		if v.Value == nil {
			continue
		}
		if card, ok := st.Game.Deck.CardByValue(*v.Value); ok {
			ballots = append(ballots, Ballot{Player: st.playerByAlias(v.Alias), Card: card, Unsure: v.Unsure})
		}
	}
	return st.Game.Settings.Options.ResultsShown(ComputeResults(st.Game.Deck, ballots)), true
}

// playerByAlias is the player with that alias, or a player known by the alias alone.
func (st *State) playerByAlias(alias uuid.UUID) Player {
	for _, p := range st.Players {
		if p.Player.Alias == alias {
			return p.Player
		}
	}
	return Player{Alias: alias}
}
