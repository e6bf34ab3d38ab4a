package views

import (
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
	html := renderString(t, Live(st, false, false, DiffRecord(before, st.Records)))
	for _, want := range []string{
		`<template><tr id="record-round-1" hx-swap-oob="delete"></tr>`,
		`<tr id="record-round-2" data-testid="record-round" data-round="2" hx-swap-oob="true">`,
		`>13</td>`,
		`<template><tbody hx-swap-oob="afterbegin:#record-rows"><tr id="record-round-4" data-testid="record-round" data-round="4">`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the update lacks %s:\n%s", want, html)
		}
	}
	if strings.Contains(html, `data-round="3"`) || strings.Contains(html, `id="record"`) {
		t.Errorf("the update carries an unchanged round or the whole record:\n%s", html)
	}
	if html := renderString(t, Live(st, false, false, RecordChanges{})); strings.Contains(html, "record-round") {
		t.Errorf("an update without record changes carries rounds:\n%s", html)
	}
	whole := renderString(t, Live(st, false, false, WholeRecord))
	if !strings.Contains(whole, `<div id="record" hx-swap-oob="true">`) || !strings.Contains(whole, `<tbody id="record-rows">`) || strings.Count(whole, `data-testid="record-round"`) != 3 {
		t.Errorf("the whole record is not in:\n%s", whole)
	}
}
