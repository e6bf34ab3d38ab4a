package views

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pokerd/pokerd/game"
)

func rounds(numbers ...int) []*game.RoundRecord {
	start := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	recs := make([]*game.RoundRecord, len(numbers))
	for i, n := range numbers {
		recs[i] = &game.RoundRecord{Number: n, StartedAt: start, RevealedAt: start.Add(time.Minute)}
	}
	return recs
}

func numbers(recs []*game.RoundRecord) []int {
	var ns []int
	for _, r := range recs {
		ns = append(ns, r.Number)
	}
	return ns
}

func TestDiffRecordSendsOnlyWhatChanged(t *testing.T) {
	before := rounds(1, 2, 3)
	t.Run("the same record changes nothing", func(t *testing.T) {
		if c := DiffRecord(before, slices.Clone(before)); !c.None() {
			t.Fatalf("got %+v", c)
		}
	})
	t.Run("a new round is added alone", func(t *testing.T) {
		after := append(slices.Clone(before), rounds(4, 5)...)
		c := DiffRecord(before, after)
		if c.Whole || !slices.Equal(numbers(c.Added), []int{4, 5}) || len(c.Changed) != 0 || len(c.Removed) != 0 {
			t.Fatalf("got %+v", c)
		}
	})
	t.Run("a replaced round is changed alone", func(t *testing.T) {
		after := slices.Clone(before)
		changed := *after[1]
		changed.Estimate = "8"
		after[1] = &changed
		c := DiffRecord(before, after)
		if c.Whole || len(c.Added) != 0 || !slices.Equal(numbers(c.Changed), []int{2}) || len(c.Removed) != 0 {
			t.Fatalf("got %+v", c)
		}
	})
	t.Run("rounds the record no longer keeps are removed", func(t *testing.T) {
		after := append(slices.Clone(before[2:]), rounds(4)...)
		c := DiffRecord(before, after)
		if c.Whole || !slices.Equal(c.Removed, []int{1, 2}) || !slices.Equal(numbers(c.Added), []int{4}) {
			t.Fatalf("got %+v", c)
		}
	})
	t.Run("the first round and an emptied record come whole", func(t *testing.T) {
		if c := DiffRecord(nil, rounds(1)); !c.Whole {
			t.Fatalf("got %+v", c)
		}
		if c := DiffRecord(before, nil); !c.Whole {
			t.Fatalf("got %+v", c)
		}
		if c := DiffRecord(nil, nil); !c.None() {
			t.Fatalf("got %+v", c)
		}
	})
	t.Run("a new round below the newest drawn one comes whole", func(t *testing.T) {
		if c := DiffRecord(rounds(1, 3), rounds(1, 2, 3)); !c.Whole {
			t.Fatalf("got %+v", c)
		}
	})
}

// A message of the stream carries the rows that changed, swapped by their ids, never the
// rows the browser has already.
func TestLiveCarriesTheRecordRoundByRound(t *testing.T) {
	st := fixedState(game.RoundRevealed, 2)
	before := rounds(1, 2, 3)
	st.Records = append(slices.Clone(before[1:]), rounds(4)...)
	changed := *st.Records[0]
	changed.Estimate = "13"
	st.Records[0] = &changed
	html := renderString(t, LiveRoom(st, DiffRecord(before, st.Records)))
	for _, want := range []string{
		`<template><tr id="record-round-1" hx-swap-oob="delete"></tr>`,
		`<tr id="record-round-2" data-testid="record-round" data-round="2" hx-swap-oob="true">`,
		`>13</span>`,
		`<template><tbody hx-swap-oob="afterbegin:#record-rows"><tr id="record-round-4" data-testid="record-round" data-round="4">`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the update lacks %s:\n%s", want, html)
		}
	}
	if strings.Contains(html, `data-round="3"`) || strings.Contains(html, `id="record"`) {
		t.Errorf("the update carries an unchanged round or the whole record:\n%s", html)
	}
	if html := renderString(t, LiveRoom(st, RecordChanges{})); strings.Contains(html, "record-round") {
		t.Errorf("an update without record changes carries rounds:\n%s", html)
	}
	whole := renderString(t, LiveRoom(st, WholeRecord))
	if !strings.Contains(whole, `<div id="record" hx-swap-oob="true">`) || !strings.Contains(whole, `<tbody id="record-rows">`) || strings.Count(whole, `data-testid="record-round"`) != 3 {
		t.Errorf("the whole record is not in:\n%s", whole)
	}
}

// oneTo is rounds 1 to n.
func oneTo(n int) []*game.RoundRecord {
	ns := make([]int, n)
	for i := range ns {
		ns[i] = i + 1
	}
	return rounds(ns...)
}

// Only the rounds a browser shows count: the oldest shown leaves the page as a new one
// comes on top, and a change to a round out of view sends nothing.
func TestDiffRecordKeepsToTheShownRounds(t *testing.T) {
	before := oneTo(RecordShown)
	after := append(slices.Clone(before), rounds(RecordShown+1)...)
	c := DiffRecord(before, after)
	if c.Whole || !slices.Equal(c.Removed, []int{1}) || !slices.Equal(numbers(c.Added), []int{RecordShown + 1}) || len(c.Changed) != 0 {
		t.Fatalf("a round past the shown ones: got %+v", c)
	}
	long := oneTo(3 * RecordShown)
	changed := slices.Clone(long)
	old := *changed[0]
	old.Estimate = "8"
	changed[0] = &old
	if c := DiffRecord(long, changed); !c.None() {
		t.Fatalf("a change to a round out of view: got %+v", c)
	}
}

// A long record shows its newest rounds, and says how many there are and where the
// others are, honestly for whoever reads it: only the facilitator may download them,
// unless the room is facilitator-free.
func TestRecordPanelShowsTheNewestRounds(t *testing.T) {
	st := fixedState(game.RoundRevealed, 2)
	st.Records = oneTo(RecordShown + 123)
	html := renderString(t, RecordPanel(st, false))
	rows := regexp.MustCompile(`data-testid="record-round" data-round="(\d+)"`).FindAllStringSubmatch(html, -1)
	if len(rows) != RecordShown || rows[0][1] != "143" || rows[len(rows)-1][1] != "124" {
		t.Fatalf("rows %v, want rounds 143 down to 124", rows)
	}
	note := `<p id="record-note" class="note" data-testid="record-note">Showing the last 20 of 143 rounds — the facilitator can download all of them as CSV or JSON.</p>`
	if !strings.Contains(html, note) {
		t.Errorf("the note is not %s:\n%s", note, html)
	}

	st.Game.Settings.Options.FacilitatorFree = true
	html = renderString(t, RecordPanel(st, false))
	for _, want := range []string{"Showing the last 20 of 143 rounds — download all of them as", `<a href="/room/ab12/record.csv" download>CSV</a>`, `<a href="/room/ab12/record.json" download>JSON</a>`} {
		if !strings.Contains(html, want) {
			t.Errorf("in a facilitator-free room the note lacks %s:\n%s", want, html)
		}
	}

	st.Records = oneTo(RecordShown)
	html = renderString(t, RecordPanel(st, false))
	if strings.Count(html, `data-testid="record-round"`) != RecordShown || !strings.Contains(html, `<p id="record-note" class="note" data-testid="record-note" hidden></p>`) {
		t.Errorf("a record shown whole has rows missing or a note:\n%s", html)
	}
}

// The note's count changes with every round while the rows shown may not: each message
// that does not carry the whole record carries the note.
func TestLiveCarriesTheRecordNote(t *testing.T) {
	st := fixedState(game.RoundRevealed, 2)
	before := oneTo(RecordShown + 5)
	st.Records = append(slices.Clone(before), rounds(RecordShown+6)...)
	html := renderString(t, LiveRoom(st, DiffRecord(before, st.Records)))
	if !strings.Contains(html, `<p id="record-note" class="note" data-testid="record-note" hx-swap-oob="true">Showing the last 20 of 26 rounds`) ||
		!strings.Contains(html, `<tr id="record-round-6" hx-swap-oob="delete"></tr>`) || strings.Count(html, `data-testid="record-round"`) != 1 {
		t.Errorf("the update lacks the note, the round that left the view or the new one:\n%s", html)
	}
	st.Records = nil
	if html := renderString(t, LiveRoom(st, RecordChanges{})); strings.Contains(html, "record-note") {
		t.Errorf("an update of a room without a record carries the note:\n%s", html)
	}
}
