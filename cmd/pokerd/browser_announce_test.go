package main

// Browser tests of the room's announcer: a screen reader hears what changed, in words
// ("Bob voted", "Everyone has voted", "Revealed: average 5.33"), once, and nothing is
// re-read whole; the round says whom it still waits for.
//
//	go test -race -count=1 -timeout 300s -run TestBrowserAnnouncer ./cmd/pokerd/

import (
	"encoding/json"
	"slices"
	"strconv"
	"testing"
)

// jsRecordNews starts keeping everything the page's announcer says, in order.
const jsRecordNews = `(function () {
  var el = document.getElementById("announcer");
  if (!el) return false;
  window.__news = [];
  new MutationObserver(function () {
    if (el.textContent) window.__news.push(el.textContent);
  }).observe(el, {childList: true, characterData: true, subtree: true});
  return true;
})()`

// recordNews has the page keep what its announcer says from now on.
func (b *browserTab) recordNews(t *testing.T) {
	t.Helper()
	if !tabEval[bool](t, b, jsRecordNews) {
		t.Fatalf("%s: the page has no announcer%s", b.name, b.diagnose())
	}
}

// checkNews waits until the announcer has said as many things as want, and then for
// htmx to settle, and fails unless it said exactly want; it forgets what it checked,
// so that a stray announcement shows in the next check.
func (b *browserTab) checkNews(t *testing.T, want ...string) {
	t.Helper()
	if len(want) > 0 {
		b.waitFor(t, "the announcer to say "+want[0], jsAll(
			"window.__news.length >= "+strconv.Itoa(len(want)), "window.__ppTest.idle()"))
	} else {
		b.waitFor(t, "htmx settled", "window.__ppTest.idle()")
	}
	var got []string
	if err := json.Unmarshal([]byte(tabEval[string](t, b, `JSON.stringify(window.__news.splice(0))`)), &got); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s's announcer said %q, want %q", b.name, got, want)
	}
}

// jsWaitingFor is the round panel's text alternative of who has not voted yet.
const jsWaitingFor = `(document.querySelector("#round [data-testid=waiting-for]")?.textContent ?? "")`

// jsNoLiveRegionSwapped holds when no part the stream replaces is a live region.
const jsNoLiveRegionSwapped = `document.querySelectorAll('#live-sink [aria-live]:not([aria-live=off]), #players[aria-live], #players [aria-live]:not([aria-live=off]), #round[aria-live], #round [aria-live]:not([aria-live=off]), #round [role=status], #players [role=status], #results [role=status]').length === 0`

func TestBrowserAnnouncer(t *testing.T) {
	tb := seatTable(t, "Announced", roomChoices{})
	ann, bob := tb.ann, tb.bob
	axe := axeSource(t)
	ann.setScreen(t, laptopSize, "light")
	// The pages are live, but the announcer says its news a moment after the message
	// that brought it: the last of the seating ("Carol joined", or "Bob and Carol
	// joined" when the two came together) is said before the record starts, not into it.
	for _, tab := range tb.browsers() {
		tab.waitFor(t, "the announcer done with the seating", `/Carol joined$/.test(`+jsText("#announcer")+`)`)
	}
	ann.recordNews(t)
	bob.recordNews(t)

	scenarioStep(t, "the announcer is a polite status outside the swapped parts, which are no live regions", func(t *testing.T) {
		for _, tab := range tb.browsers() {
			tab.waitFor(t, "the announcer and no live region swapped", jsAll(
				jsAttrIs("#announcer", "role", "status"),
				`!document.getElementById("announcer").closest("[sse-connect], #players, #round, #hand")`,
				jsNoLiveRegionSwapped))
		}
	})

	scenarioStep(t, "a new round is announced, and waits for everyone", func(t *testing.T) {
		tb.startRound(t, "")
		bob.checkNews(t, "New round started")
		ann.checkNews(t, "New round started")
		for _, tab := range tb.browsers() {
			if got, want := tabEval[string](t, tab, jsWaitingFor), "Waiting for Ann, Bob and Carol"; got != want {
				t.Errorf("%s: %q, want %q", tab.name, got, want)
			}
		}
	})

	scenarioStep(t, "Bob votes: Ann hears that and only that, and the round waits for Ann and Carol", func(t *testing.T) {
		tb.pick(t, bob, tb.bobID, "3")
		ann.waitFor(t, "Bob's tick", jsAttrIs(playerSel(tb.bobAlias), "data-voted", "true"))
		ann.checkNews(t, "Bob voted")
		if got, want := tabEval[string](t, ann, jsWaitingFor), "Waiting for Ann and Carol"; got != want {
			t.Errorf("%q, want %q", got, want)
		}
	})

	scenarioStep(t, "Ann votes: Bob hears it (and never heard of his own vote)", func(t *testing.T) {
		tb.pick(t, ann, tb.annID, "5")
		bob.waitFor(t, "Ann's tick", jsAttrIs(playerSel(tb.annAlias), "data-voted", "true"))
		bob.checkNews(t, "Ann voted")
		ann.checkNews(t)
		bob.waitFor(t, "the round waits for Carol", jsWaitingFor+` === "Waiting for Carol"`)
		ann.checkAxeLightAndDark(t, axe, "room, one vote missing, with the waiting list")
	})

	scenarioStep(t, "Carol votes over the API: everyone has voted", func(t *testing.T) {
		tb.carolVotes(t, 8)
		for _, tab := range tb.browsers() {
			tab.waitFor(t, "everyone voted", jsPresent("#round [data-testid=everyone-voted]"))
			tab.checkNews(t, "Carol voted. Everyone has voted")
			if got := tabEval[string](t, tab, jsWaitingFor); got != "" {
				t.Errorf("%s: still %q", tab.name, got)
			}
		}
	})

	scenarioStep(t, "the reveal is announced with the average", func(t *testing.T) {
		tb.reveal(t)
		for _, tab := range tb.browsers() {
			tab.checkNews(t, "Revealed: average 5.33")
			tab.waitFor(t, "no live region swapped after the reveal", jsNoLiveRegionSwapped)
		}
		ann.checkAxeLightAndDark(t, axe, "room revealed, announcer used")
	})

	scenarioStep(t, "Ann hands the role to Bob: Bob is told", func(t *testing.T) {
		ann.waitFor(t, "the hand-off button of Bob", jsPresent(`[data-testid="handoff-`+tb.bobAlias+`"]`))
		tb.handOff(t, ann, tb.bobAlias, ann, bob)
		bob.checkNews(t, "You are the facilitator now")
		ann.checkNews(t, "Bob is the facilitator now")
	})

	scenarioStep(t, "Carol leaves and comes back", func(t *testing.T) {
		tb.carol.close()
		ann.waitFor(t, "Carol offline", jsAttrIs(playerSel(tb.carolAlias), "data-connected", "false"))
		ann.checkNews(t, "Carol left")
		tb.carol = tb.s.connect(t, tb.carolID, tb.code)
		ann.waitFor(t, "Carol online", jsAttrIs(playerSel(tb.carolAlias), "data-connected", "true"))
		ann.checkNews(t, "Carol is back")
		bob.checkNews(t, "Carol left", "Carol is back")
	})
}
