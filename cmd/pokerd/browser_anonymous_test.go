package main

// Real-browser test of "Hide names" (issue 14): in a room that hides names, nothing a
// browser or a WebSocket client receives, and nothing downloaded from the room, links a
// player's name to a card.
//
// "Links" is defined in browser_stories_helpers_test.go (jsNameCardLinks): an item of a
// page or of a stream message (a row, a line, a paragraph, a button, a bar) that names a
// player (name in its text, alias or id in an attribute) and shows a card voted; a JSON
// object that holds a card and a name, alias or id; a CSV row that holds a card and a
// name, alias or id; a REVEALGAME map entry under a player's id or alias other than the
// recipient's own.

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestBrowserHideNames(t *testing.T) {
	st := seatStoryTable(t, "Anonymous")
	ann, bob := st.ann, st.bob

	// The pages keep every message of their stream from here on: they are loaded again
	// with the catcher in place.
	for _, tab := range st.browsers() {
		captureStream(t, tab)
		tab.do(t, "load the room again", chromedp.Reload())
		tab.waitLive(t)
		tab.waitFor(t, "the stream caught", "Array.isArray(window.__ppSSE)")
	}

	scenarioStep(t, "Ann ticks Hide names", func(t *testing.T) {
		box := "#hand [data-testid=option-hide-names]"
		ann.waitFor(t, "the options form, htmx settled", jsAll(jsPresent(box), "window.__ppTest.idle()"))
		if !tabEval[bool](t, ann, `document.querySelector(`+jsString(box)+`).checked`) {
			ann.click(t, box)
		}
		annLoads := ann.handLoads(t)
		ann.click(t, "#hand [data-testid=options-save]")
		st.carolWS.await(t, "STATE", nil)
		ann.waitHandReplaced(t, annLoads)
		ann.waitFor(t, "Hide names saved", `document.querySelector(`+jsString(box)+`)?.checked === true`)
	})

	watch := anonymityWatch{
		who: []string{"Ann", "Bob", "Carol", st.annID, st.bobID, st.carolID, st.annAlias, st.bobAlias, st.carolAlias},
	}
	// Each viewer's own names: their own card by their own name is theirs to see.
	own := map[*browserTab][]string{ann: {"Ann", st.annAlias}, bob: {"Bob", st.bobAlias}}
	// Everything the pages may have shown: checked after every step below.
	checkPages := func(t *testing.T, when string) {
		t.Helper()
		for _, tab := range st.browsers() {
			if bad := watch.pageLinks(t, tab, own[tab]); len(bad) > 0 {
				t.Errorf("%s's page %s links names to cards:\n  %s", tab.name, when, strings.Join(bad, "\n  "))
			}
			bad, n := watch.streamLinks(t, tab)
			if n == 0 {
				t.Errorf("%s's page caught no message of its stream", tab.name)
			}
			if len(bad) > 0 {
				t.Errorf("%s's stream %s linked names to cards:\n  %s", tab.name, when, strings.Join(bad, "\n  "))
			}
		}
	}
	// checkRevealed checks what the players list and the revealed cards show: who voted,
	// no card by a name; the cards in a row of their own.
	checkRevealed := func(t *testing.T, cards []string) {
		t.Helper()
		sorted := slices.Clone(cards)
		slices.Sort(sorted)
		for _, tab := range st.browsers() {
			tab.waitFor(t, "the revealed cards, without names", jsAll(
				jsTextIs("#round [data-testid=round-state]", "Revealed"),
				jsCount("[data-testid=revealed-cards] [data-testid=anonymous-card]")+fmt.Sprintf(" === %d", len(cards)),
				`JSON.stringify(Array.from(document.querySelectorAll("[data-testid=revealed-cards] [data-testid=anonymous-card]"), e => e.textContent.trim()).sort()) === `+jsString(jsonText(sorted))))
			for _, alias := range []string{st.annAlias, st.bobAlias, st.carolAlias} {
				row := playerSel(alias)
				if got := tabEval[string](t, tab, `document.querySelector(`+jsString(row)+`)?.getAttribute("data-voted") ?? "(no row)"`); got != "true" {
					t.Errorf("%s's list: %s data-voted %s, want true", tab.name, alias, got)
				}
				if n := tabEval[int](t, tab, jsCount(row+" .slot.shown")); n != 0 {
					t.Errorf("%s's list shows a card in %s's row", tab.name, alias)
				}
			}
		}
	}

	scenarioStep(t, "a round: Ann 3, Bob 5, Carol 8; reveal: cards without names everywhere", func(t *testing.T) {
		typeInto(t, ann, "[data-testid=ticket-input]", "PP-7 Anonymous story")
		st.startWith(t, "[data-testid=start]")
		st.vote(t, ann, st.annID, "3")
		st.vote(t, bob, st.bobID, "5")
		st.carolVotes(t, 8)
		st.reveal(t)
		watch.cards = []string{"3", "5", "8"}
		checkRevealed(t, watch.cards)
		checkPages(t, "after the reveal")
	})

	scenarioStep(t, "Carol votes 13 after the reveal: still no name by a card", func(t *testing.T) {
		st.carolWS.send(t, "SUBMITVOTE", 13)
		st.carolWS.await(t, "PLAYERVOTED", frameAbout(st.carolID))
		st.carolWS.await(t, "REVEALGAME", nil)
		watch.cards = []string{"3", "5", "8", "13"}
		checkRevealed(t, []string{"3", "5", "13"})
		checkPages(t, "after Carol's vote after the reveal")
	})

	scenarioStep(t, "a page loaded now shows no name by a card either", func(t *testing.T) {
		bob.do(t, "load the room again", chromedp.Reload())
		bob.waitLive(t)
		checkRevealed(t, []string{"3", "5", "13"})
		if bad := watch.pageLinks(t, bob, own[bob]); len(bad) > 0 {
			t.Errorf("Bob's page, loaded after the reveal, links names to cards:\n  %s", strings.Join(bad, "\n  "))
		}
	})

	scenarioStep(t, "Carol's frames: her REVEALGAME maps only her own id to a card, the others' cards under keys of nobody", func(t *testing.T) {
		players := map[string]bool{}
		reveals := 0
		for _, f := range st.carolWS.all() {
			if f.Type == "STATE" {
				var gs gameState
				if err := json.Unmarshal(f.Payload, &gs); err != nil {
					t.Fatalf("STATE: %v", err)
				}
				for id := range gs.PlayerStates {
					players[id] = true
				}
			}
		}
		for _, id := range []string{st.annID, st.bobID, st.annAlias, st.bobAlias, st.carolAlias} {
			players[id] = true
		}
		var last map[string]*float64
		for _, f := range st.carolWS.all() {
			if f.Type != "REVEALGAME" {
				continue
			}
			reveals++
			votes := revealedVotes(t, f)
			for key, v := range votes {
				if key != st.carolID && players[key] && v != nil {
					t.Errorf("Carol's REVEALGAME gives %s's card %v: %s", key, *v, f.Raw)
				}
			}
			last = votes
		}
		if reveals < 2 {
			t.Fatalf("Carol got %d REVEALGAME, want one for the reveal and one for her vote after it", reveals)
		}
		if v := last[st.carolID]; v == nil || *v != 13 {
			t.Errorf("Carol's last REVEALGAME does not give her own vote 13: %s", fmtVotes(last))
		}
		var values []float64
		for _, v := range last {
			if v != nil {
				values = append(values, *v)
			}
		}
		slices.Sort(values)
		if fmt.Sprint(values) != "[3 5 13]" {
			t.Errorf("Carol's last REVEALGAME holds the cards %v, want [3 5 13] (the figures come from them)", values)
		}
	})

	scenarioStep(t, "the downloads: the record (JSON and CSV) and the stories CSV link no name to a card", func(t *testing.T) {
		code := st.code
		rec := fetchInPage(t, ann, "/room/"+code+"/record.json")
		if rec.Status != 200 {
			t.Fatalf("the JSON record: %d %s", rec.Status, rec.Body)
		}
		if bad := watch.jsonLinks(t, rec.Body); len(bad) > 0 {
			t.Errorf("the JSON record links names to cards:\n  %s", strings.Join(bad, "\n  "))
		}
		for _, want := range []string{`"label":"3"`, `"label":"5"`, `"label":"13"`} {
			if !strings.Contains(rec.Body, want) {
				t.Errorf("the JSON record lacks the card %s: %s", want, lastChars(rec.Body, 400))
			}
		}
		for _, path := range []string{"/room/" + code + "/record.csv", "/room/" + code + "/stories.csv"} {
			got := fetchInPage(t, ann, path)
			if got.Status != 200 {
				t.Fatalf("%s: %d %s", path, got.Status, got.Body)
			}
			rows, err := csv.NewReader(strings.NewReader(got.Body)).ReadAll()
			if err != nil || len(rows) < 2 {
				t.Fatalf("%s: %v\n%s", path, err, got.Body)
			}
			for i, row := range rows[1:] {
				who := watch.identityIn(toAny(row))
				if who == "" {
					continue
				}
				if path == "/room/"+code+"/stories.csv" {
					t.Errorf("%s row %d names %s: %q", path, i+2, who, row)
					continue
				}
				for _, cell := range row {
					if slices.Contains(watch.cards, cell) {
						t.Errorf("%s row %d links %s to the card %s: %q", path, i+2, who, cell, row)
					}
				}
			}
		}
	})

	checkPages(t, "at the end")

	scenarioStep(t, "screenshots of the hidden round, as Bob sees it", func(t *testing.T) {
		shootScene(t, bob, screenshotDir(t), "hidden-names", "", jsPresent("[data-testid=revealed-cards] [data-testid=anonymous-card]"))
	})
}

// toAny turns a CSV row into what identityIn reads.
func toAny(row []string) any {
	out := make([]any, len(row))
	for i, c := range row {
		out[i] = c
	}
	return out
}
