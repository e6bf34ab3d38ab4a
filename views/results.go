package views

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/pokerd/pokerd/game"
)

// number writes a figure the way the average has always been shown: at most two decimals.
func number(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// optionalNumber writes a figure, or a dash when there is none (no vote counted).
func optionalNumber(v *float64) string {
	if v == nil {
		return "–"
	}
	return number(*v)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func cardLabels(cards []game.Card) []string {
	labels := make([]string, len(cards))
	for i, c := range cards {
		labels[i] = c.Label
	}
	return labels
}

// modeText is the most common card(s) with how often each was played.
func modeText(r game.Results) string {
	if len(r.Modes) == 0 {
		return "–"
	}
	each := ""
	if len(r.Modes) > 1 {
		each = " each"
	}
	return strings.Join(cardLabels(r.Modes), ", ") + " (" + plural(r.ModeCount, "vote", "votes") + each + ")"
}

// consensusText says how far the team agrees: "Consensus: everyone chose 5",
// "3 of 5 chose 8", "Split: 2 of 4 chose 3, 2 chose 5", or "No agreement: every vote
// is on a different card".
func consensusText(r game.Results) string {
	switch {
	case r.Votes == 0:
		return "Nobody voted"
	case r.Votes == 1:
		return "One vote: " + r.Modes[0].Label
	case r.Consensus:
		return "Consensus: everyone chose " + r.Modes[0].Label
	case r.ModeCount == 1:
		return "No agreement: every vote is on a different card"
	case len(r.Modes) == 1:
		return strconv.Itoa(r.ModeCount) + " of " + strconv.Itoa(r.Votes) + " chose " + r.Modes[0].Label
	default:
		return "Split: " + strconv.Itoa(r.ModeCount) + " of " + strconv.Itoa(r.Votes) + " chose " +
			strings.Join(cardLabels(r.Modes), ", "+strconv.Itoa(r.ModeCount)+" chose ")
	}
}

// extremeText is the lowest or highest card, with who played it when the results name
// them (a room that hides names gets results without players: see game.ResultsShown).
func extremeText(e *game.Extreme) string {
	if e == nil {
		return "–"
	}
	if len(e.Players) == 0 {
		return e.Card.Label
	}
	return e.Card.Label + " (" + playerNames(e.Players) + ")"
}

func playerNames(players []game.Player) string {
	names := make([]string, len(players))
	for i, p := range players {
		names[i] = displayName(p)
	}
	return strings.Join(names, ", ")
}

// uncountedText lists the special cards played, which the figures leave out.
func uncountedText(r game.Results) string {
	var parts []string
	for _, b := range r.Distribution {
		if b.Card.Special {
			parts = append(parts, b.Card.Label+" ×"+strconv.Itoa(b.Count))
		}
	}
	return strings.Join(parts, ", ")
}

// Chart geometry, in the SVG's own units: one column per card played.
const (
	chartColumn    = 56 // width of a card's column
	chartBarWidth  = 36
	chartBarMax    = 120 // height of the tallest bar
	chartTop       = 24  // room for the count above a bar
	chartBottom    = 28  // room for the card's label below
	chartMinHeight = 3   // a bar is never invisible
)

// chartBar is one card's bar, laid out.
type chartBar struct {
	game.Bar
	X, Y, Height int // the bar's rectangle (its width is chartBarWidth)
	Centre       int // the column's middle, where the labels go
}

func chartBars(r game.Results) []chartBar {
	bars := make([]chartBar, len(r.Distribution))
	for i, b := range r.Distribution {
		h := chartMinHeight
		if r.ModeCount > 0 {
			h = max(chartMinHeight, b.Count*chartBarMax/r.ModeCount)
		}
		left := i * chartColumn
		bars[i] = chartBar{
			Bar:    b,
			X:      left + (chartColumn-chartBarWidth)/2,
			Y:      chartTop + chartBarMax - h,
			Height: h,
			Centre: left + chartColumn/2,
		}
	}
	return bars
}

func chartWidth(r game.Results) int { return max(1, len(r.Distribution)) * chartColumn }

const chartHeight = chartTop + chartBarMax + chartBottom

// chartSummary is the chart in words, for screen readers.
func chartSummary(r game.Results) string {
	parts := make([]string, len(r.Distribution))
	for i, b := range r.Distribution {
		parts[i] = b.Card.Label + ": " + plural(b.Count, "vote", "votes")
	}
	return "Votes per card. " + strings.Join(parts, "; ")
}

// barTitle is a bar's tooltip: how many chose the card and, when the results name them, who.
func barTitle(b game.Bar) string {
	s := b.Card.Label + ": " + plural(b.Count, "vote", "votes")
	if b.Card.Special {
		s += " (not counted)"
	}
	if len(b.Players) > 0 {
		s += " — " + playerNames(b.Players)
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

func boolText(b bool) string { return strconv.FormatBool(b) }

// shownResults are the round's results as the page may show them: without names when
// the room hides them now or hid them at the reveal (the record of such a round names
// nobody anyway).
func shownResults(st *game.State, rec *game.RoundRecord) game.Results {
	r := st.Game.Settings.Options.ResultsShown(rec.Results)
	if st.NamesHidden() {
		r = r.WithoutNames()
	}
	return r
}

// anonymousCards are the revealed round's cards, without their players, in deck order.
func anonymousCards(st *game.State) []game.Card {
	deck := st.Game.Deck
	var cards []game.Card
	for _, v := range st.Votes {
		if v.Value == nil {
			continue
		}
		cards = append(cards, deckCard(deck, *v.Value))
	}
	slices.SortStableFunc(cards, func(a, b game.Card) int { return deckIndex(deck, a) - deckIndex(deck, b) })
	return cards
}

// deckCard is the deck's card of a value; a value the deck does not hold (a deck changed
// since) stands as a card of its own.
func deckCard(deck game.Deck, v float64) game.Card {
	for _, c := range deck.Cards {
		if c.Value == v {
			return c
		}
	}
	return game.Card{Label: cardValue(v), Value: v}
}

func deckIndex(deck game.Deck, c game.Card) int {
	for i, d := range deck.Cards {
		if d.Value == c.Value {
			return i
		}
	}
	return len(deck.Cards)
}
