package views

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pokerd/pokerd/game"
)

// revealedWith makes a revealed round in which the players of fixedState voted the given
// card labels ("" for no vote), with its record and results as the room computes them.
func revealedWith(t *testing.T, labels ...string) *game.State {
	t.Helper()
	st := fixedState(game.RoundRevealed, len(labels))
	deck := st.Game.Deck
	rec := &game.RoundRecord{Number: 1, StartedAt: *st.RoundStart, RevealedAt: st.RoundStart.Add(95 * time.Second)}
	var ballots []game.Ballot
	st.Votes = nil
	for i, label := range labels {
		p := st.Players[i]
		p.Observing = false
		vote := game.Vote{PlayerID: p.Player.ID, Alias: p.Player.Alias}
		rv := game.RecordedVote{Player: p.Player}
		if label != "" {
			c := cardOf(t, deck, label)
			v := c.Value
			vote.Value, rv.Card = &v, &c
			ballots = append(ballots, game.Ballot{Player: p.Player, Card: c})
		}
		st.Votes = append(st.Votes, vote)
		rec.Votes = append(rec.Votes, rv)
	}
	rec.Results = game.ComputeResults(deck, ballots)
	st.RoundNumber = 1
	st.Records = []*game.RoundRecord{rec}
	return st
}

func cardOf(t *testing.T, deck game.Deck, label string) game.Card {
	t.Helper()
	for _, c := range deck.Cards {
		if c.Label == label {
			return c
		}
	}
	t.Fatalf("no card %q", label)
	return game.Card{}
}

// testIDText returns the text inside the element with the given data-testid, tags
// removed.
func testIDText(t *testing.T, html, id string) string {
	t.Helper()
	m := regexp.MustCompile(`data-testid="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</(dd|p|td|span)>`).FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("no %s in %s", id, html)
	}
	return strings.TrimSpace(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], ""))
}

func TestResultsPanel(t *testing.T) {
	t.Run("figures, extremes with names, the mode and the suggestion", func(t *testing.T) {
		html := renderString(t, ResultsPanel(revealedWith(t, "3", "5", "8", "5"), false))
		for id, want := range map[string]string{
			"result-average":    "5.25",
			"result-median":     "5",
			"result-mode":       "5 (2 votes)",
			"result-lowest":     "3 (Player 0)",
			"result-highest":    "8 (Player 2)",
			"result-votes":      "4",
			"result-consensus":  "2 of 4 chose 5",
			"result-suggestion": "5",
		} {
			if got := testIDText(t, html, id); got != want {
				t.Errorf("%s: %q, want %q", id, got, want)
			}
		}
		if strings.Contains(html, "result-uncounted") || strings.Contains(html, `data-consensus="true"`) {
			t.Error("no special card was played and the votes differ")
		}
	})
	t.Run("names are left out when the room hides them", func(t *testing.T) {
		st := revealedWith(t, "3", "5", "8")
		st.Game.Settings.Options.HideNames = true
		html := renderString(t, ResultsPanel(st, false))
		if strings.Contains(html, "Player ") {
			t.Errorf("a name is shown: %s", html)
		}
		if got := testIDText(t, html, "result-lowest"); got != "3" {
			t.Errorf("lowest: %q", got)
		}
	})
	t.Run("everyone on one card is a consensus", func(t *testing.T) {
		html := renderString(t, ResultsPanel(revealedWith(t, "5", "5", "5"), false))
		if got := testIDText(t, html, "result-consensus"); got != "Consensus: everyone chose 5" {
			t.Errorf("consensus: %q", got)
		}
		if !strings.Contains(html, `data-consensus="true"`) {
			t.Error("the consensus is not marked")
		}
	})
	t.Run("special cards are shown but not counted", func(t *testing.T) {
		html := renderString(t, ResultsPanel(revealedWith(t, "1/2", "?", "2", ""), false))
		if got := testIDText(t, html, "result-uncounted"); !strings.Contains(got, "? ×1") {
			t.Errorf("uncounted: %q", got)
		}
		if got := testIDText(t, html, "result-average"); got != "1.25" {
			t.Errorf("average %q: the ? card (100) must not count", got)
		}
		if got := testIDText(t, html, "result-votes"); got != "3" {
			t.Errorf("votes %q", got)
		}
	})
	t.Run("only special cards: no figures, a dash", func(t *testing.T) {
		html := renderString(t, ResultsPanel(revealedWith(t, "?", "?"), false))
		if got := testIDText(t, html, "result-average"); got != "–" {
			t.Errorf("average %q", got)
		}
		if got := testIDText(t, html, "result-suggestion"); got != "–" {
			t.Errorf("suggestion %q", got)
		}
	})
	t.Run("nothing is shown before a reveal, and the wrapper stays for the stream", func(t *testing.T) {
		html := renderString(t, ResultsPanel(fixedState(game.RoundVoting, 3), true))
		if html != `<div id="results" hx-swap-oob="true"></div>` {
			t.Errorf("got %s", html)
		}
	})
}

var chartBarRE = regexp.MustCompile(`<g class="[^"]*" data-testid="chart-bar" data-card="([^"]*)" data-count="(\d+)"><title>([^<]*)</title><rect [^>]*height="(\d+)"`)

func TestResultsChart(t *testing.T) {
	html := renderString(t, ResultsPanel(revealedWith(t, "3", "5", "5", "?", "5"), false))
	if !strings.Contains(html, `<svg class="chart" data-testid="chart" role="img" aria-label="Votes per card. 3: 1 vote; 5: 3 votes; ?: 1 vote"`) {
		t.Fatalf("the chart is not an accessible image: %s", html)
	}
	bars := chartBarRE.FindAllStringSubmatch(html, -1)
	if len(bars) != 3 {
		t.Fatalf("%d bars, want one per card played: %s", len(bars), html)
	}
	want := [][2]string{{"3", "1"}, {"5", "3"}, {"?", "1"}}
	for i, b := range bars {
		if b[1] != want[i][0] || b[2] != want[i][1] {
			t.Errorf("bar %d: card %s count %s, want %v", i, b[1], b[2], want[i])
		}
	}
	if bars[1][4] != itoa(chartBarMax) || bars[0][4] != itoa(chartBarMax/3) {
		t.Errorf("heights %s and %s: the most common card fills the chart", bars[1][4], bars[0][4])
	}
	if !strings.Contains(bars[2][3], "not counted") || !strings.Contains(bars[1][3], "Player 1, Player 2, Player 4") {
		t.Errorf("titles: %q, %q", bars[2][3], bars[1][3])
	}
	// Each bar writes its card and its count as text.
	if !strings.Contains(html, `text-anchor="middle">?</text>`) || !strings.Contains(html, `text-anchor="middle">3</text>`) {
		t.Error("bars lack their text labels")
	}
}

func TestRecordPanel(t *testing.T) {
	st := revealedWith(t, "5", "8", "")
	ticket := "https://tracker.example.com/PP-9"
	rec := *st.Records[0]
	rec.TicketURL, rec.Estimate = &ticket, "8"
	first := rec
	first.Number = 1
	second := rec
	second.Number, second.Estimate = 2, ""
	st.Records = []*game.RoundRecord{&first, &second}
	html := renderString(t, RecordPanel(st, true))
	rows := regexp.MustCompile(`data-testid="record-round" data-round="(\d+)"`).FindAllStringSubmatch(html, -1)
	if len(rows) != 2 || rows[0][1] != "2" || rows[1][1] != "1" {
		t.Fatalf("rows %v, want rounds 2 then 1", rows)
	}
	for _, want := range []string{`hx-swap-oob="true"`, `data-testid="record-estimate">8</span>`, `href="https://tracker.example.com/PP-9"`, "1m 35s", "Player 0 5, Player 1 8, Player 2 –"} {
		if !strings.Contains(html, want) {
			t.Errorf("record lacks %q", want)
		}
	}
	if empty := renderString(t, RecordPanel(fixedState(game.RoundInit, 1), false)); empty != `<div id="record"></div>` {
		t.Errorf("an empty session: %s", empty)
	}
}

func TestQRCodeSVG(t *testing.T) {
	svg, err := QRCodeSVG("https://pokerd.example.com/join/ab12")
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	if !strings.HasPrefix(s, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `) || !strings.Contains(s, `shape-rendering="crispEdges"`) || strings.Count(s, "<path") != 1 {
		t.Fatalf("got %s", s)
	}
	// The top-left finder pattern starts after the quiet zone with a run of 7 modules.
	if !strings.Contains(s, `d="M4 4h7v1h-7z`) {
		t.Errorf("no finder pattern inside the quiet zone: %.200s", s)
	}
}

func TestConsensusText(t *testing.T) {
	for _, tc := range []struct {
		votes []string
		want  string
	}{
		{[]string{"5"}, "One vote: 5"},
		{[]string{"5", "5"}, "Consensus: everyone chose 5"},
		{[]string{"3", "8", "?"}, "No agreement: every vote is on a different card"},
		{[]string{"3", "8", "8"}, "2 of 3 chose 8"},
		{[]string{"3", "3", "8", "8", "?"}, "Split: 2 of 5 chose 3, 2 chose 8"},
	} {
		html := renderString(t, ResultsPanel(revealedWith(t, tc.votes...), false))
		if got := testIDText(t, html, "result-consensus"); got != tc.want {
			t.Errorf("votes %v: consensus %q, want %q", tc.votes, got, tc.want)
		}
	}
	html := renderString(t, ResultsPanel(revealedWith(t, "3", "8", "?"), false))
	if got := testIDText(t, html, "result-mode"); got != "3, 8, ? (1 vote each)" {
		t.Errorf("mode: %q", got)
	}
}
