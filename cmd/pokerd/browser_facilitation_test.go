package main

// Real-browser tests of what a facilitator gets (issue 5): the results after a reveal,
// "everyone has voted" and auto-reveal, the session record and its CSV, handing the
// role on in both front ends, removing a player, keyboard shortcuts and the QR code.
//
// They reuse the harness of browser_test.go: one Chromium per test, a browser context
// per person, a WebSocket API player where the Vue frontend matters, and no sleeps.
//
//	go test -race -count=1 -timeout 300s -run Browser ./cmd/pokerd/

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coder/websocket"

	"github.com/pokerd/pokerd/views"
)

// table is a room with two people in browsers and one player of the WebSocket API:
// Ann opened the room from the home page (she is the facilitator), Bob took a seat
// through the share link, Carol joined over the API.
type table struct {
	s        *testServer
	code     string
	ann, bob *browserTab
	carol    *wsClient
	// The players as Carol's socket names them (Carol by her own id).
	annID, bobID, carolID string
	// The players as the pages name them: by alias, the same on every screen.
	annAlias, bobAlias, carolAlias string
}

// roomChoices are what Ann ticks on the create form besides the name and the deck.
type roomChoices struct {
	autoReveal bool
}

// seatTable starts the server and a browser, and seats Ann, Bob and Carol.
func seatTable(t *testing.T, roomName string, choices roomChoices) *table {
	t.Helper()
	s := startServer(t, nil)
	br := startChromium(t)
	tb := &table{s: s}
	people := br.openPeople(t, "Ann", "Bob")
	tb.ann, tb.bob = people[0], people[1]

	tb.code = openRoomFromHome(t, s, tb.ann, roomName, "Ann", choices)
	tb.ann.waitLive(t)
	takeSeat(t, s, tb.bob, tb.code, "Bob")
	tb.bob.waitLive(t)
	tb.carolID = s.join(t, tb.code, "Carol")
	tb.carol = s.connect(t, tb.carolID, tb.code)
	st := wsState(t, tb.carol)
	tb.annID = playerIDByName(t, st, "Ann")
	tb.bobID = playerIDByName(t, st, "Bob")
	if !st.PlayerStates[tb.annID].IsAdmin {
		t.Fatalf("Ann opened the room but is not its facilitator: %+v", st.PlayerStates)
	}
	tb.annAlias, tb.bobAlias, tb.carolAlias = aliasOnScreen(t, tb.ann, "Ann"), aliasOnScreen(t, tb.ann, "Bob"), aliasOnScreen(t, tb.ann, "Carol")
	// Carol coming online is the last change: once both pages show everyone online, the
	// stream has told them all of it, Ann's list of players included (it comes in the
	// same message), and nothing will replace a part under a later click.
	for _, tab := range tb.browsers() {
		tab.waitFor(t, "Ann, Bob and Carol online", jsAll(
			jsAttrIs(playerSel(tb.annAlias), "data-connected", "true"),
			jsAttrIs(playerSel(tb.bobAlias), "data-connected", "true"),
			jsAttrIs(playerSel(tb.carolAlias), "data-connected", "true")))
		tab.waitLive(t)
	}
	tb.ann.waitFor(t, "Ann's list of players, pushed by the stream, with Bob and Carol", jsAll(
		jsPresent(`#people [data-testid="handoff-`+tb.bobAlias+`"]`),
		jsPresent(`#people [data-testid="handoff-`+tb.carolAlias+`"]`)))
	// Loading the room and the others' coming fetch nothing: the page was drawn whole,
	// and the stream pushes what changed.
	for _, tab := range tb.browsers() {
		tab.checkNoHandFetch(t, 0, "loading the room and the others' joining")
		if n := tabEval[int](t, tab, "window.__ppTest.peopleFetches"); n != 0 {
			t.Errorf("%s's page fetched the list of players %d times; the stream pushes it", tab.name, n)
		}
	}
	return tb
}

// peopleLoads is how often this page's list of players (#people) has been replaced since
// it loaded: by the stream, which pushes it to the facilitator's browsers when someone
// comes, goes, is removed or takes the role, or by the answer to the facilitator's own
// hand-off or removal.
func (b *browserTab) peopleLoads(t *testing.T) int {
	t.Helper()
	return tabEval[int](t, b, "window.__ppTest.peopleLoads")
}

// waitPeopleReplaced waits until the page's list of players has been replaced (more
// than since times in all) and the page is live again.
func (b *browserTab) waitPeopleReplaced(t *testing.T, since int) {
	t.Helper()
	b.waitFor(t, fmt.Sprintf("the list of players replaced (after %d times) and the page live", since),
		fmt.Sprintf("window.__ppTest?.peopleLoads > %d && window.__ppTest.live()", since))
}

// lastVote runs act, which casts the round's last vote, and waits until both browsers
// say that everyone has voted and Ann's reveal button is ready. The stream's tally says
// so: no page fetches its hand for it.
func (tb *table) lastVote(t *testing.T, act func()) {
	t.Helper()
	annFetches, bobFetches := tb.ann.handFetches(t), tb.bob.handFetches(t)
	act()
	for _, tab := range tb.browsers() {
		tab.waitFor(t, "everyone has voted, in the tally", jsPresent(`#tally[data-everyone-voted="true"] [data-testid=everyone-voted]`))
		tab.waitLive(t)
	}
	tb.ann.waitFor(t, "the reveal button ready", `document.querySelector("#hand [data-testid=reveal]")?.classList.contains("btn-ready") === true`)
	tb.ann.checkNoHandFetch(t, annFetches, "the last vote")
	tb.bob.checkNoHandFetch(t, bobFetches, "the last vote")
}

// handOff has the browser `from` press the hand-off button of the player of alias `to`,
// and waits until both browsers show the new facilitator. The pages in changed are those
// whose hand changes with the role (the old and the new facilitator's): they get a new
// one; the other's stays as it was.
func (tb *table) handOff(t *testing.T, from *browserTab, to string, changed ...*browserTab) {
	t.Helper()
	from.waitFor(t, "the hand-off button of "+to, jsPresent(`[data-testid="handoff-`+to+`"]`))
	loads := map[*browserTab]int{}
	for _, tab := range tb.browsers() {
		loads[tab] = tab.handLoads(t)
	}
	from.click(t, `[data-testid="handoff-`+to+`"]`)
	for _, tab := range tb.browsers() {
		tab.waitFor(t, "the new facilitator tagged", jsPresent(playerSel(to)+" .tag-admin"))
	}
	for _, tab := range changed {
		tab.waitHandReplaced(t, loads[tab])
	}
	for _, tab := range tb.browsers() {
		tab.waitLive(t)
		if !slices.Contains(changed, tab) {
			if n := tab.handLoads(t); n != loads[tab] {
				t.Errorf("%s's hand was replaced %d times by a hand-off that does not change it", tab.name, n-loads[tab])
			}
		}
	}
}

func (tb *table) browsers() []*browserTab { return []*browserTab{tb.ann, tb.bob} }

// openRoomFromHome fills in the home page's create form (Fibonacci deck) and returns
// the code of the room the browser lands in.
func openRoomFromHome(t *testing.T, s *testServer, tab *browserTab, roomName, you string, choices roomChoices) string {
	t.Helper()
	if status := tab.navigate(t, s.base+"/"); status != 200 {
		t.Fatalf("home page: %d", status)
	}
	fibonacci := `//label[contains(@class, "deck-choice")][.//strong[normalize-space()="Fibonacci"]]//input[@name="deck_id"]`
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.SendKeys(chromedp.ID("room-name"), roomName),
		chromedp.SendKeys(chromedp.ID("your-name"), you),
		chromedp.Click(chromedp.Search(fibonacci)),
	}
	if choices.autoReveal {
		steps = append(steps, chromedp.Click(chromedp.CSS(`[data-testid=create-auto-reveal]`)))
	}
	tab.do(t, "fill in the create form", steps...)
	if choices.autoReveal && !tabEval[bool](t, tab, `document.querySelector("[data-testid=create-auto-reveal]").checked`) {
		t.Fatal("the auto-reveal box is not ticked after clicking it")
	}
	path := tab.submit(t, "open the room", `[data-testid=create-form] button[type=submit]`)
	m := roomURLPath.FindStringSubmatch(path)
	if m == nil {
		t.Fatalf("after opening the room the browser is at %q, want /room/{code}", path)
	}
	return m[1]
}

// takeSeat opens the share link and takes a seat under name.
func takeSeat(t *testing.T, s *testServer, tab *browserTab, code, name string) {
	t.Helper()
	if status := tab.navigate(t, s.base+"/join/"+code); status != 200 {
		t.Fatalf("share link: %d", status)
	}
	tab.do(t, "type the name", chromedp.SendKeys(chromedp.ID("join-name"), name))
	if path := tab.submit(t, "take a seat", `[data-testid=join-form] button[type=submit]`); path != "/room/"+code {
		t.Fatalf("after taking a seat %s is at %q, want /room/%s", name, path, code)
	}
}

// startRound has Ann start a round (with a ticket link unless it is empty) and waits
// until every browser shows it, with a new hand (the answer to Ann's click, a fetch
// for Bob) and its cards open.
func (tb *table) startRound(t *testing.T, ticket string) {
	t.Helper()
	annLoads, bobLoads := tb.ann.handLoads(t), tb.bob.handLoads(t)
	// The field keeps what was typed for the last round: empty it first.
	emptyField(t, tb.ann, "[data-testid=ticket-input]")
	if ticket != "" {
		tb.ann.do(t, "type the ticket link", chromedp.SendKeys(chromedp.CSS("[data-testid=ticket-input]"), ticket))
	}
	tb.ann.click(t, "[data-testid=start]")
	tb.waitRoundStarted(t, annLoads, bobLoads)
}

// waitRoundStarted waits until a new round shows everywhere: both browsers voting with
// their hands replaced, Carol told by RESETGAME.
func (tb *table) waitRoundStarted(t *testing.T, annLoads, bobLoads int) {
	t.Helper()
	for _, tab := range tb.browsers() {
		tab.waitFor(t, "a round voting, nobody voted", jsAll(
			jsTextIs("#round [data-testid=round-state]", "Voting"),
			jsCount(`#players li[data-voted="true"]`)+" === 0"))
	}
	wsAwait(t, tb.carol, "RESETGAME", nil)
	tb.ann.waitHandReplaced(t, annLoads)
	tb.bob.waitHandReplaced(t, bobLoads)
	for _, tab := range tb.browsers() {
		tab.waitFor(t, "no card pressed", jsAll(
			jsPresent("#hand button.card"),
			jsCount(`#hand button.card[aria-pressed="true"]`)+" === 0"))
	}
}

// emptyField empties a text field, as selecting its text and deleting it does.
// (chromedp's Clear empties the value attribute only, not what was typed.)
func emptyField(t *testing.T, tab *browserTab, sel string) {
	t.Helper()
	if !tabEval[bool](t, tab, fmt.Sprintf(`(function () { var f = document.querySelector(%s); if (!f) return false; f.value = ""; return true; })()`, jsString(sel))) {
		t.Fatalf("%s: no field %s to empty%s", tab.name, sel, tab.diagnose())
	}
}

// cardSel selects a card of the viewer's hand by its label (labels such as 1/2 and ?
// need the quotes).
func cardSel(label string) string { return `#hand [data-testid="card-` + label + `"]` }

// pick has a browser player pick a card and waits until it shows pressed, and until
// the others see that the player voted.
func (tb *table) pick(t *testing.T, tab *browserTab, playerID, label string) {
	t.Helper()
	tab.click(t, cardSel(label))
	tab.waitFor(t, "card "+label+" pressed", jsAll(
		jsAttrIs(cardSel(label), "aria-pressed", "true"),
		jsCount(`#hand button.card[aria-pressed="true"]`)+" === 1"))
	wsAwait(t, tb.carol, "PLAYERVOTED", aboutPlayer(playerID))
}

// carolVotes sends Carol's vote over the WebSocket API and waits until the browsers
// see that she voted.
func (tb *table) carolVotes(t *testing.T, value float64) {
	t.Helper()
	wsSendMsg(t, tb.carol, "SUBMITVOTE", value)
	wsAwait(t, tb.carol, "PLAYERVOTED", aboutPlayer(tb.carolID))
}

// waitRevealed waits until every browser shows the round revealed, with the hands
// replaced (the controls change with a reveal), and returns Carol's
// REVEALGAME.
func (tb *table) waitRevealed(t *testing.T, annLoads, bobLoads int) map[string]*float64 {
	t.Helper()
	for _, tab := range tb.browsers() {
		tab.waitFor(t, "the round revealed with its results", jsAll(
			jsTextIs("#round [data-testid=round-state]", "Revealed"),
			jsPresent("[data-testid=results]")))
	}
	raw := wsAwait(t, tb.carol, "REVEALGAME", nil)
	var votes map[string]*float64
	if err := json.Unmarshal(raw, &votes); err != nil {
		t.Fatalf("REVEALGAME payload: %v: %s", err, raw)
	}
	tb.ann.waitHandReplaced(t, annLoads)
	tb.bob.waitHandReplaced(t, bobLoads)
	return votes
}

// reveal has Ann press reveal and waits until it shows everywhere.
func (tb *table) reveal(t *testing.T) map[string]*float64 {
	t.Helper()
	annLoads, bobLoads := tb.ann.handLoads(t), tb.bob.handLoads(t)
	tb.ann.click(t, "[data-testid=reveal]")
	return tb.waitRevealed(t, annLoads, bobLoads)
}

// checkVotes compares a REVEALGAME's votes with want (player id → value).
func checkVotes(t *testing.T, got map[string]*float64, want map[string]float64) {
	t.Helper()
	for id, w := range want {
		if v := got[id]; v == nil || *v != w {
			t.Errorf("REVEALGAME: %s voted %v, want %v (all: %s)", id, v, w, fmtVotes(got))
		}
	}
}

func fmtVotes(votes map[string]*float64) string {
	var parts []string
	for id, v := range votes {
		if v == nil {
			parts = append(parts, id+"=null")
		} else {
			parts = append(parts, id+"="+strconv.FormatFloat(*v, 'g', -1, 64))
		}
	}
	return strings.Join(parts, " ")
}

// JavaScript conditions about the results panel.

// jsHasNumber holds when the text of sel shows the number n on its own (4 is in
// "Average 4" and "4 (Ann)", not in "14" or "4.5").
func jsHasNumber(sel, n string) string {
	pattern := `(^|[^0-9.])` + strings.ReplaceAll(n, ".", `\.`) + `(?![0-9]|\.[0-9])`
	return fmt.Sprintf(`new RegExp(%s).test(%s)`, jsString(pattern), jsText(sel))
}

func jsHasText(sel, s string) string { return fmt.Sprintf(`%s.includes(%s)`, jsText(sel), jsString(s)) }

// jsChartBars lists the chart's bars as "label=count", in the order drawn.
const jsChartBars = `Array.from(document.querySelectorAll("[data-testid=results] svg[data-testid=chart] g[data-testid=chart-bar]"),
  g => g.getAttribute("data-card") + "=" + g.getAttribute("data-count")).join(" ")`

// jsVisible holds when sel is drawn on the screen with an area: not hidden, not inside
// a closed <details> (whose content still has a size for getBoundingClientRect).
func jsVisible(sel string) string {
	return fmt.Sprintf(`(function () {
  var e = document.querySelector(%s);
  if (!e || !e.checkVisibility({visibilityProperty: true, opacityProperty: true})) return false;
  var r = e.getBoundingClientRect();
  return r.width > 0 && r.height > 0;
})()`, jsString(sel))
}

// TestBrowserRevealShowsResults: Ann votes 3, Bob 5 and Carol (over the API) ?; every
// browser learns that everyone has voted, and after the reveal shows the numbers (the
// ? left out of them), who voted lowest and highest, and the chart of the votes.
func TestBrowserRevealShowsResults(t *testing.T) {
	tb := seatTable(t, "Results", roomChoices{})
	shots := screenshotDir(t)

	scenarioStep(t, "a round: Ann picks 3, Bob 5, Carol ? over the API", func(t *testing.T) {
		tb.startRound(t, "")
		tb.pick(t, tb.ann, tb.annID, "3")
		for _, tab := range tb.browsers() {
			if n := tabEval[int](t, tab, jsCount("[data-testid=everyone-voted]")); n != 0 {
				t.Errorf("%s's screen says everyone has voted after one vote of three", tab.name)
			}
		}
		tb.pick(t, tb.bob, tb.bobID, "5")
		// The last vote: the tally says everyone has voted, and lights Ann's reveal button.
		tb.lastVote(t, func() { tb.carolVotes(t, 100) }) // the ? card of the Fibonacci deck
	})

	scenarioStep(t, "everyone has voted: every browser says so, Ann's reveal button is ready", func(t *testing.T) {
		for _, tab := range tb.browsers() {
			tab.waitFor(t, "everyone has voted", jsAll(
				jsTextIs("#round [data-testid=voted-count]", "3 of 3 voted"),
				jsTextIs("[data-testid=everyone-voted]", "Everyone has voted"),
				jsTextIs("#round [data-testid=round-state]", "Voting")))
		}
		tb.ann.waitFor(t, "the reveal button highlighted", `document.querySelector("[data-testid=reveal]")?.classList.contains("btn-ready") === true`)
	})

	scenarioStep(t, "Ann reveals: every browser shows the numbers, the extremes and the chart", func(t *testing.T) {
		votes := tb.reveal(t)
		checkVotes(t, votes, map[string]float64{tb.annID: 3, tb.bobID: 5, tb.carolID: 100})
		for _, tab := range tb.browsers() {
			tab.waitFor(t, "average 4, median 4, lowest 3 by Ann, highest 5 by Bob, ? not counted", jsAll(
				jsHasNumber("[data-testid=result-average]", "4"),
				jsHasNumber("[data-testid=result-median]", "4"),
				jsHasNumber("[data-testid=result-lowest]", "3"),
				jsHasText("[data-testid=result-lowest]", "Ann"),
				jsHasNumber("[data-testid=result-highest]", "5"),
				jsHasText("[data-testid=result-highest]", "Bob"),
				jsHasText("[data-testid=result-uncounted]", "?")))
			if got := tabEval[string](t, tab, jsChartBars); !sameWords(got, "3=1 5=1 ?=1") {
				t.Errorf("%s's chart has the bars %q, want 3=1 5=1 ?=1", tab.name, got)
			}
			labelled := tabEval[bool](t, tab, `Array.from(document.querySelectorAll("[data-testid=chart] [data-testid=chart-bar]")).every(
  g => Array.from(g.querySelectorAll("text")).some(e => e.textContent.trim() === g.getAttribute("data-card")))`)
			if !labelled {
				t.Errorf("%s's chart: a bar has no text label with its card", tab.name)
			}
			if got := tabEval[string](t, tab, jsText("[data-testid=result-average]")); strings.Contains(got, "36") {
				t.Errorf("%s's average %q counts the ? as 100", tab.name, got)
			}
		}
	})

	scenarioStep(t, "screenshots of the results, light and dark", func(t *testing.T) {
		tb.ann.shoot(t, shots, "results", desktopSize, "light")
		// pokerd.js labels the theme button when the page loads: load the room again
		// in the dark scheme, as someone whose system is dark does.
		tb.ann.do(t, "load the room in the dark scheme", emulateScreen(desktopSize, "dark"), chromedp.Reload())
		tb.ann.waitLive(t)
		tb.ann.waitFor(t, "the results again", jsAll(
			jsPresent("[data-testid=results] [data-testid=chart]"),
			jsTextIs("[data-theme-toggle]", "Light theme")))
		tb.ann.shoot(t, shots, "results", desktopSize, "dark")
	})
}

// sameWords compares two space-separated lists regardless of order.
func sameWords(a, b string) bool {
	fa, fb := strings.Fields(a), strings.Fields(b)
	if len(fa) != len(fb) {
		return false
	}
	seen := map[string]int{}
	for _, w := range fa {
		seen[w]++
	}
	for _, w := range fb {
		seen[w]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

// TestBrowserAutoReveal: in a room opened with auto-reveal, the last vote reveals the
// round everywhere without anyone pressing reveal; an observer is not waited for; the
// facilitator can switch the rule off and on again from the options form.
func TestBrowserAutoReveal(t *testing.T) {
	tb := seatTable(t, "Auto", roomChoices{autoReveal: true})

	scenarioStep(t, "the facilitator's options show auto-reveal on", func(t *testing.T) {
		tb.ann.waitFor(t, "the options form with auto-reveal ticked", jsAll(
			jsPresent("#hand [data-testid=options-form]"),
			`document.querySelector("[data-testid=option-auto-reveal]")?.checked === true`))
		if n := tabEval[int](t, tb.bob, jsCount("[data-testid=options-form]")); n != 0 {
			t.Error("Bob, not the facilitator, sees the options form")
		}
	})

	scenarioStep(t, "Ann and Carol vote: still voting, nobody is told everyone has voted", func(t *testing.T) {
		tb.startRound(t, "")
		tb.pick(t, tb.ann, tb.annID, "3")
		tb.carolVotes(t, 8)
		for _, tab := range tb.browsers() {
			tab.waitFor(t, "two of three voted, the round still voting", jsAll(
				jsTextIs("#round [data-testid=voted-count]", "2 of 3 voted"),
				jsTextIs("#round [data-testid=round-state]", "Voting"),
				jsCount("[data-testid=everyone-voted]")+" === 0",
				jsCount("[data-testid=results]")+" === 0"))
		}
	})

	scenarioStep(t, "Bob votes last: every browser shows the round revealed, Carol gets REVEALGAME", func(t *testing.T) {
		annLoads, bobLoads := tb.ann.handLoads(t), tb.bob.handLoads(t)
		tb.bob.click(t, cardSel("5"))
		// Nobody pressed reveal and Carol sent no REVEAL.
		votes := tb.waitRevealed(t, annLoads, bobLoads)
		checkVotes(t, votes, map[string]float64{tb.annID: 3, tb.bobID: 5, tb.carolID: 8})
		for _, tab := range tb.browsers() {
			tab.waitFor(t, "the votes shown", jsAll(
				jsTextIs(playerSel(tb.annAlias)+" [data-testid=vote]", "3"),
				jsTextIs(playerSel(tb.bobAlias)+" [data-testid=vote]", "5"),
				jsTextIs(playerSel(tb.carolAlias)+" [data-testid=vote]", "8")))
		}
	})

	scenarioStep(t, "Bob observes: Ann's and Carol's votes are enough, Carol's vote over the API reveals", func(t *testing.T) {
		tb.startRound(t, "")
		tb.bob.click(t, "[data-testid=observe]")
		tb.bob.waitFor(t, "Bob observing", jsAttrIs("#hand [data-testid=observe]", "aria-pressed", "true"))
		wsAwait(t, tb.carol, "OBSERVING", aboutPlayer(tb.bobID))
		tb.pick(t, tb.ann, tb.annID, "2")
		tb.ann.waitFor(t, "one of two voted, still voting", jsAll(
			jsTextIs("#round [data-testid=voted-count]", "1 of 2 voted"),
			jsTextIs("#round [data-testid=round-state]", "Voting")))
		annLoads, bobLoads := tb.ann.handLoads(t), tb.bob.handLoads(t)
		wsSendMsg(t, tb.carol, "SUBMITVOTE", 13)
		votes := tb.waitRevealed(t, annLoads, bobLoads)
		checkVotes(t, votes, map[string]float64{tb.annID: 2, tb.carolID: 13})
	})

	scenarioStep(t, "Ann switches auto-reveal off: a full round waits for her", func(t *testing.T) {
		tb.startRound(t, "")
		tb.setAutoReveal(t, false)
		tb.pick(t, tb.ann, tb.annID, "1")
		tb.lastVote(t, func() { tb.carolVotes(t, 1) }) // the last vote
		for _, tab := range tb.browsers() {
			tab.waitFor(t, "everyone has voted, the round still voting", jsAll(
				jsTextIs("#round [data-testid=voted-count]", "2 of 2 voted"),
				jsTextIs("[data-testid=everyone-voted]", "Everyone has voted"),
				jsTextIs("#round [data-testid=round-state]", "Voting")))
		}
	})

	scenarioStep(t, "Ann switches auto-reveal on again: the full round is revealed at once", func(t *testing.T) {
		annLoads, bobLoads := tb.ann.handLoads(t), tb.bob.handLoads(t)
		tb.setAutoReveal(t, true)
		votes := tb.waitRevealed(t, annLoads, bobLoads)
		checkVotes(t, votes, map[string]float64{tb.annID: 1, tb.carolID: 1})
	})
}

// setAutoReveal has Ann tick or untick auto-reveal in her options form and save it;
// Carol's client learns the new rules from a fresh STATE.
func (tb *table) setAutoReveal(t *testing.T, on bool) {
	t.Helper()
	box := "#hand [data-testid=option-auto-reveal]"
	tb.ann.waitFor(t, "htmx settled", "window.__ppTest?.idle()")
	if tabEval[bool](t, tb.ann, `document.querySelector(`+jsString(box)+`).checked`) != on {
		tb.ann.click(t, box)
	}
	annLoads, bobLoads := tb.ann.handLoads(t), tb.bob.handLoads(t)
	tb.ann.click(t, "#hand [data-testid=options-save]")
	wsAwait(t, tb.carol, "STATE", nil)
	// New rules may change everyone's controls: Ann's answer is her new hand, Bob's page
	// fetches his.
	tb.ann.waitHandReplaced(t, annLoads)
	tb.bob.waitHandReplaced(t, bobLoads)
	tb.ann.waitFor(t, fmt.Sprintf("auto-reveal saved as %v", on), jsAll(
		fmt.Sprintf(`document.querySelector(%s)?.checked === %v`, jsString(box), on),
		"window.__ppTest.idle()"))
}

// fetched is what a fetch() made inside a page got back.
type fetched struct {
	Status      int    `json:"status"`
	Type        string `json:"type"`
	Disposition string `json:"disposition"`
	Body        string `json:"body"`
}

// fetchInPage fetches url from inside the page, with the page's cookies, as a click on
// a download link would.
func fetchInPage(t *testing.T, tab *browserTab, url string) fetched {
	t.Helper()
	expr := fmt.Sprintf(`fetch(%s, {credentials: "same-origin"}).then(async r => ({
  status: r.status, type: r.headers.get("content-type") || "", disposition: r.headers.get("content-disposition") || "", body: await r.text()}))`, jsString(url))
	return tabRun(t, tab, "fetch "+url, chromedp.Evaluate[fetched](expr, chromedp.EvalAwaitPromise))
}

// postFromPage sends one of the viewer's actions from their page as htmx does (their
// cookies, the page's CSRF token, the htmx header), without waiting for the page to
// show the answer; the room's stream tells everyone, this page too, what changed.
func postFromPage(t *testing.T, tab *browserTab, path string, form url.Values) {
	t.Helper()
	expr := fmt.Sprintf(`fetch(%s, {method: "POST", credentials: "same-origin", headers: {
  "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded",
  "X-CSRF-Token": JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRF-Token"]}, body: %s}).then(r => r.status)`,
		jsString(path), jsString(form.Encode()))
	if status := tabRun(t, tab, "post "+path, chromedp.Evaluate[int](expr, chromedp.EvalAwaitPromise)); status != 200 {
		t.Fatalf("%s: POST %s answered %d", tab.name, path, status)
	}
}

// TestBrowserSessionRecordCSV: three rounds with two browsers and an API player; Ann
// records the agreed estimate of the second; the CSV she downloads holds a row per
// player per round with their votes, the estimate and the results.
func TestBrowserSessionRecordCSV(t *testing.T) {
	tb := seatTable(t, "Record", roomChoices{})
	const ticket = "https://tracker.example.com/PP-1"
	type vote struct {
		label string
		value float64
	}
	// The votes of each round; ? is special: shown, not counted.
	rounds := []map[string]vote{
		{tb.annID: {"1", 1}, tb.bobID: {"2", 2}, tb.carolID: {"3", 3}},
		{tb.annID: {"5", 5}, tb.bobID: {"8", 8}, tb.carolID: {"?", 100}},
		{tb.annID: {"13", 13}, tb.bobID: {"13", 13}, tb.carolID: {"13", 13}},
	}
	playRound := func(t *testing.T, n int, ticket string) {
		votes := rounds[n-1]
		tb.startRound(t, ticket)
		tb.pick(t, tb.ann, tb.annID, votes[tb.annID].label)
		tb.pick(t, tb.bob, tb.bobID, votes[tb.bobID].label)
		tb.lastVote(t, func() { tb.carolVotes(t, votes[tb.carolID].value) }) // the last vote
		got := tb.reveal(t)
		want := map[string]float64{}
		for id, v := range votes {
			want[id] = v.value
		}
		checkVotes(t, got, want)
		for _, tab := range tb.browsers() {
			tab.waitFor(t, fmt.Sprintf("round %d in the record, on top", n), jsAll(
				jsCount("[data-testid=record] [data-testid=record-round]")+fmt.Sprintf(" === %d", n),
				jsPresent(fmt.Sprintf(`[data-testid=record] [data-testid=record-round][data-round="%d"]`, n)),
				jsRecordRounds+" === "+jsString(newestFirstRounds(n))))
		}
	}

	scenarioStep(t, "round 1, with a ticket link", func(t *testing.T) { playRound(t, 1, ticket) })
	scenarioStep(t, "round 2, with a ? from Carol", func(t *testing.T) { playRound(t, 2, "") })

	scenarioStep(t, "Ann records 8 as the estimate of round 2: both browsers show it", func(t *testing.T) {
		if n := tabEval[int](t, tb.bob, jsCount("[data-testid=estimate-form]")); n != 0 {
			t.Error("Bob, not the facilitator, has the estimate form")
		}
		input := "#hand [data-testid=estimate-input], [data-testid=estimate-form] [data-testid=estimate-input]"
		tb.ann.waitFor(t, "the estimate form, htmx settled", jsAll(jsPresent("[data-testid=estimate-form]"), "window.__ppTest.idle()"))
		emptyField(t, tb.ann, input)
		tb.ann.do(t, "type the estimate", chromedp.SendKeys(chromedp.CSS(input), "8"))
		tb.ann.click(t, "[data-testid=estimate-form] [data-testid=estimate-save]")
		for _, tab := range tb.browsers() {
			tab.waitFor(t, "round 2's estimate 8 in the record", jsAll(
				jsTextIs(`[data-testid=record-round][data-round="2"] [data-testid=record-estimate]`, "8"),
				jsText(`[data-testid=record-round][data-round="1"] [data-testid=record-estimate]`)+` !== "8"`))
		}
	})

	scenarioStep(t, "round 3, everyone on 13", func(t *testing.T) { playRound(t, 3, "") })

	scenarioStep(t, "a round the record no longer keeps leaves the page", func(t *testing.T) {
		// What the stream sends when the oldest round falls out of a capped record (the
		// views tests pin that markup); swapped the way the stream's messages are.
		tabEval[bool](t, tb.ann, `(htmx.swap("#live-sink", `+jsString(`<template><tr id="record-round-1" hx-swap-oob="delete"></tr></template>`)+`, {swapStyle: "innerHTML"}), true)`)
		tb.ann.waitFor(t, "round 1 gone, 3 and 2 kept", jsRecordRounds+` === "3,2"`)
	})

	var csvURL string
	scenarioStep(t, "only the facilitator may download the record", func(t *testing.T) {
		csvURL = tabEval[string](t, tb.ann, `document.querySelector("[data-testid=record-download-csv]")?.href ?? ""`)
		if csvURL == "" {
			t.Fatalf("Ann has no CSV download link%s", tb.ann.diagnose())
		}
		if n := tabEval[int](t, tb.bob, jsCount("[data-testid=record-download-csv], [data-testid=record-download-json]")); n != 0 {
			t.Error("Bob, not the facilitator, has the download links")
		}
		if got := fetchInPage(t, tb.bob, csvURL); got.Status != 403 {
			t.Errorf("Bob fetched the CSV with status %d, want 403", got.Status)
		}
		jsonURL := tabEval[string](t, tb.ann, `document.querySelector("[data-testid=record-download-json]")?.href ?? ""`)
		if jsonURL == "" {
			t.Fatal("Ann has no JSON download link")
		}
		got := fetchInPage(t, tb.ann, jsonURL)
		if got.Status != 200 || !json.Valid([]byte(got.Body)) || !strings.Contains(got.Disposition, "attachment") {
			t.Errorf("the JSON record: status %d, Content-Disposition %q, body %s", got.Status, got.Disposition, lastChars(got.Body, 300))
		}
	})

	scenarioStep(t, "the CSV holds a row per player per round, with the votes, the estimate and the results", func(t *testing.T) {
		got := fetchInPage(t, tb.ann, csvURL)
		if got.Status != 200 {
			t.Fatalf("Ann fetched the CSV with status %d: %s", got.Status, got.Body)
		}
		if !strings.HasPrefix(got.Type, "text/csv") || !strings.Contains(got.Disposition, "attachment") {
			t.Errorf("the CSV comes as %q with Content-Disposition %q", got.Type, got.Disposition)
		}
		rows, err := csv.NewReader(strings.NewReader(got.Body)).ReadAll()
		if err != nil {
			t.Fatalf("not CSV: %v\n%s", err, got.Body)
		}
		header := "round,ticket_url,started_at,revealed_at,duration_seconds,player_id,player,observing,vote,value,counted,estimate,average,median,consensus,story_key,story_title,unsure,unsure_count"
		if len(rows) == 0 || strings.Join(rows[0], ",") != header {
			t.Fatalf("the CSV's header is %q, want %q\n%s", rows[0], header, got.Body)
		}
		if len(rows) != 1+9 {
			t.Fatalf("the CSV has %d rows after its header, want 9 (3 rounds × 3 players)\n%s", len(rows)-1, got.Body)
		}
		col := map[string]int{}
		for i, name := range rows[0] {
			col[name] = i
		}
		names := map[string]string{tb.annID: "Ann", tb.bobID: "Bob", tb.carolID: "Carol"}
		// The record from the page names the players as the page does: by alias.
		byAlias := map[string]string{tb.annAlias: tb.annID, tb.bobAlias: tb.bobID, tb.carolAlias: tb.carolID}
		type roundWant struct {
			ticket, estimate, consensus string
			average, median             float64
		}
		roundWants := []roundWant{
			// Round 2 was started with the estimate field holding round 1's suggestion:
			// moving on recorded it.
			{ticket: ticket, estimate: "2", average: 2, median: 2, consensus: "false"},
			{estimate: "8", average: 6.5, median: 6.5, consensus: "false"},
			{average: 13, median: 13, consensus: "true"},
		}
		seen := map[string]bool{}
		for _, row := range rows[1:] {
			cell := func(name string) string { return row[col[name]] }
			n, err := strconv.Atoi(cell("round"))
			if err != nil || n < 1 || n > 3 {
				t.Errorf("a row of round %q: %q", cell("round"), row)
				continue
			}
			id, ok := byAlias[cell("player_id")]
			if !ok {
				t.Errorf("round %d: a row names a player by %q, not by the alias the page shows: %q", n, cell("player_id"), row)
				continue
			}
			key := fmt.Sprintf("%d/%s", n, id)
			if seen[key] {
				t.Errorf("two rows for %s in round %d", id, n)
			}
			seen[key] = true
			want, ok := rounds[n-1][id]
			if !ok {
				t.Errorf("round %d: a row of an unknown player %q", n, row)
				continue
			}
			rw := roundWants[n-1]
			counted := strconv.FormatBool(want.label != "?")
			if cell("player") != names[id] || cell("vote") != want.label || !numberIs(cell("value"), want.value) ||
				cell("counted") != counted || cell("observing") != "false" {
				t.Errorf("round %d, %s: player %q vote %q value %q counted %q observing %q; want %s, %s, %v, %s, false",
					n, names[id], cell("player"), cell("vote"), cell("value"), cell("counted"), cell("observing"),
					names[id], want.label, want.value, counted)
			}
			if cell("ticket_url") != rw.ticket || cell("estimate") != rw.estimate || !numberIs(cell("average"), rw.average) ||
				!numberIs(cell("median"), rw.median) || cell("consensus") != rw.consensus {
				t.Errorf("round %d: ticket %q estimate %q average %q median %q consensus %q; want %q %q %v %v %s",
					n, cell("ticket_url"), cell("estimate"), cell("average"), cell("median"), cell("consensus"),
					rw.ticket, rw.estimate, rw.average, rw.median, rw.consensus)
			}
			if cell("started_at") == "" || cell("revealed_at") == "" || cell("duration_seconds") == "" {
				t.Errorf("round %d: the times are missing: %q", n, row)
			}
		}
	})

	const long = views.RecordShown + 5
	scenarioStep(t, fmt.Sprintf("a long session: %d rounds, the pages show the newest %d and say where the others are", long, views.RecordShown), func(t *testing.T) {
		// The rounds are played quickly: Ann's page sends her actions as htmx would
		// (without clicks and waits for her hand), Carol votes over the API; the browsers
		// follow through their streams. Ann's seat is her browser's: the API does not
		// know her by any id it could connect with.
		for n := 4; n <= long; n++ {
			form := url.Values{}
			if n%3 == 0 {
				form.Set("ticket", fmt.Sprintf("https://tracker.example.com/browse/PP-%d", 100+n))
			}
			postFromPage(t, tb.ann, "/room/"+tb.code+"/start", form)
			wsAwait(t, tb.carol, "RESETGAME", nil)
			postFromPage(t, tb.ann, "/room/"+tb.code+"/vote", url.Values{"value": {[]string{"3", "5", "8"}[n%3]}})
			wsAwait(t, tb.carol, "PLAYERVOTED", aboutPlayer(tb.annID))
			tb.carolVotes(t, []float64{5, 5, 13}[n%3])
			postFromPage(t, tb.ann, "/room/"+tb.code+"/reveal", nil)
			wsAwait(t, tb.carol, "REVEALGAME", nil)
		}
		newest := strings.Join(strings.Split(newestFirstRounds(long), ",")[:views.RecordShown], ",")
		note := fmt.Sprintf("Showing the last %d of %d rounds — the facilitator can download all of them as CSV or JSON.", views.RecordShown, long)
		shown := jsAll(jsRecordRounds+" === "+jsString(newest), jsTextIs("[data-testid=record-note]", note))
		for _, tab := range tb.browsers() {
			tab.waitFor(t, "the newest rounds and the note, through the stream", shown)
		}
		// The page drawn whole shows the same.
		tb.bob.do(t, "load the room again", chromedp.Reload())
		tb.bob.waitLive(t)
		tb.bob.waitFor(t, "the newest rounds and the note, on the page", shown)
		if got := fetchInPage(t, tb.ann, csvURL); strings.Count(got.Body, "\n") != 1+long*3 {
			t.Errorf("the CSV has %d lines, want a header and %d rounds × 3 players", strings.Count(got.Body, "\n"), long)
		}
	})

	scenarioStep(t, "screenshots of the long record, light and dark, desktop and phone", func(t *testing.T) {
		shots := screenshotDir(t)
		tb.ann.shoot(t, shots, "record-long", desktopSize, "light")
		tb.ann.shoot(t, shots, "record-long", phoneSize, "light")
		tb.ann.do(t, "load the room in the dark scheme", emulateScreen(desktopSize, "dark"), chromedp.Reload())
		tb.ann.waitLive(t)
		tb.ann.waitFor(t, "the record again, and the theme button", jsAll(
			jsPresent("[data-testid=record-note]"), jsTextIs("[data-theme-toggle]", "Light theme")))
		tb.ann.shoot(t, shots, "record-long", desktopSize, "dark")
		tb.ann.shoot(t, shots, "record-long", phoneSize, "dark")
	})
}

// numberIs holds when s writes the number want.
func numberIs(s string, want float64) bool {
	v, err := strconv.ParseFloat(s, 64)
	return err == nil && v == want
}

// TestBrowserHandoff: the facilitator's role moves between browsers, and to a player of
// the WebSocket API, whose client learns it from a STATE; the controls follow the role.
func TestBrowserHandoff(t *testing.T) {
	tb := seatTable(t, "Handoff", roomChoices{})
	controls := "#hand [data-testid=facilitator]"

	// adminState waits for Carol's next STATE and checks who it says is the facilitator.
	adminState := func(t *testing.T, admin string) {
		t.Helper()
		var st gameState
		if err := json.Unmarshal(wsAwait(t, tb.carol, "STATE", nil), &st); err != nil {
			t.Fatal(err)
		}
		for id, ps := range st.PlayerStates {
			if ps.IsAdmin != (id == admin) {
				t.Errorf("Carol's STATE after the handoff: %s (%s) is_admin %v", ps.Player.Username, id, ps.IsAdmin)
			}
		}
	}

	scenarioStep(t, "only Ann has the controls, with a hand-off button for Bob and Carol, none for herself", func(t *testing.T) {
		tb.ann.waitFor(t, "Ann's controls", jsAll(
			jsPresent(controls),
			jsPresent(`[data-testid="handoff-`+tb.bobAlias+`"]`),
			jsPresent(`[data-testid="handoff-`+tb.carolAlias+`"]`),
			jsCount(`[data-testid="handoff-`+tb.annAlias+`"]`)+" === 0"))
		if n := tabEval[int](t, tb.bob, jsCount(controls+`, [data-testid^="handoff-"]`)); n != 0 {
			t.Errorf("Bob sees %d facilitator controls", n)
		}
	})

	scenarioStep(t, "Ann hands the role to Bob: Bob gets the controls, Ann loses them", func(t *testing.T) {
		tb.handOff(t, tb.ann, tb.bobAlias, tb.ann, tb.bob)
		tb.bob.waitFor(t, "Bob's controls", jsAll(jsPresent(controls), jsPresent("#hand [data-testid=start]")))
		tb.ann.waitFor(t, "Ann without controls", jsCount(controls+`, [data-testid=start], [data-testid^="handoff-"]`)+" === 0")
		adminState(t, tb.bobID)
		for _, tab := range tb.browsers() {
			tab.waitFor(t, "Bob tagged facilitator", jsPresent(playerSel(tb.bobAlias)+" .tag-admin"))
		}
	})

	scenarioStep(t, "Bob runs a round from his browser", func(t *testing.T) {
		annLoads, bobLoads := tb.ann.handLoads(t), tb.bob.handLoads(t)
		tb.bob.click(t, "[data-testid=start]")
		tb.waitRoundStarted(t, annLoads, bobLoads)
	})

	scenarioStep(t, "Bob hands the role back to Ann", func(t *testing.T) {
		tb.handOff(t, tb.bob, tb.annAlias, tb.ann, tb.bob)
		tb.ann.waitFor(t, "Ann's controls", jsPresent(controls))
		tb.bob.waitFor(t, "Bob without controls", jsCount(controls+`, [data-testid^="handoff-"]`)+" === 0")
		adminState(t, tb.annID)
	})

	scenarioStep(t, "Ann hands the role to Carol over the API: Carol's STATE makes her the admin, the browsers lose the controls", func(t *testing.T) {
		tb.handOff(t, tb.ann, tb.carolAlias, tb.ann) // Bob stays a player: his hand stays
		adminState(t, tb.carolID)
		for _, tab := range tb.browsers() {
			tab.waitFor(t, "no facilitator controls, Carol tagged facilitator", jsAll(
				jsCount(controls+`, [data-testid=start], [data-testid=reveal], [data-testid^="handoff-"]`)+" === 0",
				jsPresent(playerSel(tb.carolAlias)+" .tag-admin")))
		}
	})

	scenarioStep(t, "Carol, now the admin, reveals over the API: the browsers show it", func(t *testing.T) {
		annLoads, bobLoads := tb.ann.handLoads(t), tb.bob.handLoads(t)
		wsSendMsg(t, tb.carol, "REVEAL", nil)
		tb.waitRevealed(t, annLoads, bobLoads)
	})
}

// press presses a key in the page as someone who is not typing in a field: the focus is
// taken off any field or button first, and htmx has settled.
func (b *browserTab) press(t *testing.T, key string) {
	t.Helper()
	b.waitFor(t, "htmx settled before pressing "+key, "window.__ppTest?.idle()")
	tabEval[bool](t, b, `(document.activeElement?.blur(), document.activeElement === document.body)`)
	b.do(t, "press "+key, chromedp.KeyEvent(key))
}

// waitThroughNavigation polls a condition in the page until it holds, as waitFor does,
// while the page may navigate away meanwhile (a poll running in a page that is left
// fails, and is started again in the next one).
func (b *browserTab) waitThroughNavigation(t *testing.T, what, cond string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	tick := time.NewTicker(browserPollEvery)
	defer tick.Stop()
	var last error
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return
		}
		last = err
		select {
		case <-ctx.Done():
			t.Fatalf("%s's screen: %s: not within %s (last error: %v)\n  condition: %s%s", b.name, what, browserStepTimeout, last, cond, b.diagnose())
		case <-tick.C:
		}
	}
}

// wsCloseStatus reads c until the server closes the connection, and returns the close
// code and reason.
func wsCloseStatus(t *testing.T, c *wsClient) (websocket.StatusCode, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), browserStepTimeout)
	defer cancel()
	for {
		_, _, err := c.conn.Read(ctx)
		if err == nil {
			continue
		}
		var ce websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code, ce.Reason
		}
		t.Fatalf("WebSocket player %s: the connection ended without a close frame: %v", c.id, err)
	}
}

// TestBrowserKeysQRAndRemoval: the QR code of the join link shows; keys pick cards,
// start and reveal; the facilitator removes a browser player (sent to the join page,
// told so) and an API player (socket closed with 4001); the removed browser player
// comes back through the link.
func TestBrowserKeysQRAndRemoval(t *testing.T) {
	tb := seatTable(t, "Keys", roomChoices{})

	scenarioStep(t, "the QR code of the join link shows (opened where it is folded away)", func(t *testing.T) {
		for _, tab := range tb.browsers() {
			tab.waitFor(t, "the QR code in the page", jsPresent("[data-testid=share-qr]"))
			if tabEval[bool](t, tab, `!!document.querySelector("[data-testid=share-qr]").closest("details:not([open])")`) {
				tab.click(t, `details:has([data-testid=share-qr]) > summary`)
			}
			tab.waitFor(t, "the QR code, drawn", jsAll(
				jsVisible("[data-testid=share-qr]"),
				// An <img> must have loaded; inline SVG is drawn as it comes.
				`(function () {
  var q = document.querySelector("[data-testid=share-qr]");
  return q.tagName === "IMG" ? q.complete && q.naturalWidth > 0 : !!q.querySelector("svg");
})()`))
		}
		// The SVG file behind it, for an <img> or a download.
		got := fetchInPage(t, tb.ann, "/room/"+tb.code+"/qr.svg")
		if got.Status != 200 || !strings.HasPrefix(got.Type, "image/svg+xml") || !strings.Contains(got.Body, "<svg") {
			t.Errorf("the QR code's SVG: status %d, type %q, body %s", got.Status, got.Type, lastChars(got.Body, 200))
		}
	})

	scenarioStep(t, "the shortcuts are explained; n starts a round for Ann", func(t *testing.T) {
		tb.ann.waitFor(t, "the shortcuts help", jsVisible("[data-testid=shortcuts-help]"))
		annLoads, bobLoads := tb.ann.handLoads(t), tb.bob.handLoads(t)
		tb.ann.press(t, "n")
		tb.waitRoundStarted(t, annLoads, bobLoads)
	})

	scenarioStep(t, "Bob presses 1: the card labelled 1 is picked (not the first, 1/2); Ann presses 2: the card 2", func(t *testing.T) {
		tb.bob.press(t, "1")
		tb.bob.waitFor(t, "the card 1 pressed", jsAll(
			jsAttrIs(cardSel("1"), "aria-pressed", "true"),
			jsCount(`#hand button.card[aria-pressed="true"]`)+" === 1"))
		wsAwait(t, tb.carol, "PLAYERVOTED", aboutPlayer(tb.bobID))
		tb.ann.press(t, "2")
		tb.ann.waitFor(t, "the card 2 pressed", jsAll(
			jsAttrIs(cardSel("2"), "aria-pressed", "true"),
			jsCount(`#hand button.card[aria-pressed="true"]`)+" === 1"))
		wsAwait(t, tb.carol, "PLAYERVOTED", aboutPlayer(tb.annID))
	})

	scenarioStep(t, "Bob's r does nothing; Ann presses r: the round is revealed", func(t *testing.T) {
		// Bob may not reveal: his key is ignored. Whatever it sent is answered once his
		// page is idle, so Carol's STATE after that shows whether it revealed.
		tb.bob.press(t, "r")
		tb.bob.waitFor(t, "htmx settled", "window.__ppTest.idle()")
		if st := wsState(t, tb.carol); st.RoundState != "VOTING" {
			t.Fatalf("after Bob's r the round is %s, want VOTING", st.RoundState)
		}
		annLoads, bobLoads := tb.ann.handLoads(t), tb.bob.handLoads(t)
		tb.ann.press(t, "r")
		votes := tb.waitRevealed(t, annLoads, bobLoads)
		checkVotes(t, votes, map[string]float64{tb.bobID: 1, tb.annID: 2})
	})

	scenarioStep(t, "Ann removes Bob: he lands on the join page, told so; Ann's list drops him", func(t *testing.T) {
		tb.ann.waitFor(t, "Bob's remove button", jsPresent(`[data-testid="remove-`+tb.bobAlias+`"]`))
		annLoads, annPeople := tb.ann.handLoads(t), tb.ann.peopleLoads(t)
		tb.ann.click(t, `[data-testid="remove-`+tb.bobAlias+`"]`)
		tb.bob.waitThroughNavigation(t, "Bob on the join page with the removed note", jsAll(
			`location.pathname === `+jsString("/join/"+tb.code),
			`new URLSearchParams(location.search).get("removed") === "1"`,
			jsVisible("[data-testid=removed-note]")))
		// The stream's message of the removal takes Bob's row away and pushes Ann's list
		// without him; her own request's answer is that list too.
		tb.ann.waitFor(t, "Bob gone from the list and from her list of players", jsAll(
			jsCount(playerSel(tb.bobAlias))+" === 0",
			jsCount(`[data-testid="remove-`+tb.bobAlias+`"]`)+" === 0"))
		tb.ann.waitPeopleReplaced(t, annPeople)
		// Her hand is the same: she still runs the round.
		if n := tb.ann.handLoads(t); n != annLoads {
			t.Errorf("removing Bob replaced Ann's hand %d times", n-annLoads)
		}
		var st gameState
		for st.PlayerStates == nil || st.PlayerStates[tb.bobID].Player.ID != "" {
			if err := json.Unmarshal(wsAwait(t, tb.carol, "STATE", nil), &st); err != nil {
				t.Fatal(err)
			}
		}
	})

	scenarioStep(t, "Bob takes a seat again through the link", func(t *testing.T) {
		annPeople := tb.ann.peopleLoads(t)
		tb.bob.do(t, "type his name", chromedp.SendKeys(chromedp.ID("join-name"), "Bob"))
		if path := tb.bob.submit(t, "take a seat", `[data-testid=join-form] button[type=submit]`); path != "/room/"+tb.code {
			t.Fatalf("Bob is at %q", path)
		}
		// His coming online is the last change: the stream's message of it pushes Ann's
		// list of players with him (her hand stays). Wait for it before she clicks.
		tb.ann.waitFor(t, "Bob listed again, online", `Array.from(document.querySelectorAll("#players li[data-testid^=player-]")).some(
  li => li.querySelector("[data-testid=player-name]")?.textContent === "Bob" && li.dataset.connected === "true")`)
		tb.ann.waitPeopleReplaced(t, annPeople)
		tb.ann.waitFor(t, "Bob and Carol online in Ann's list of players", jsCount(`#people [data-testid^="handoff-"]`)+" === 2")
	})

	scenarioStep(t, "Ann removes Carol: her socket is closed with 4001", func(t *testing.T) {
		tb.ann.waitFor(t, "Carol's remove button", jsPresent(`[data-testid="remove-`+tb.carolAlias+`"]`))
		tb.ann.click(t, `[data-testid="remove-`+tb.carolAlias+`"]`)
		if code, reason := wsCloseStatus(t, tb.carol); code != 4001 {
			t.Errorf("Carol's socket closed with %d %q, want 4001", code, reason)
		}
		tb.ann.waitFor(t, "Carol gone from the list", jsCount(playerSel(tb.carolAlias))+" === 0")
	})
}

// jsRecordRounds is the record's rounds as the page lists them, e.g. "3,2,1".
const jsRecordRounds = `Array.from(document.querySelectorAll("[data-testid=record] [data-testid=record-round]"), r => r.dataset.round).join(",")`

// newestFirstRounds is "n,…,2,1".
func newestFirstRounds(n int) string {
	var rounds []string
	for i := n; i >= 1; i-- {
		rounds = append(rounds, strconv.Itoa(i))
	}
	return strings.Join(rounds, ",")
}
