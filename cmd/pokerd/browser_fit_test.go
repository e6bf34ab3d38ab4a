package main

// Browser tests of a room page that fits the work: the round's controls stay in view at a
// laptop's and a phone's size, the cards do not move at the reveal, digit keys pick the
// card of that number, the focus stays on the control used, a pending action looks
// pressed and a failed one says so, the viewer's own row says "(you)", the tab's title
// follows the round, and axe-core finds nothing to fault on any page, light or dark.
//
//	go test -race -count=1 -timeout 300s -run 'TestBrowserRoomFits|TestBrowserWordDeckKeys' ./cmd/pokerd/

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
)

// laptopSize is the laptop screen the issue measured the page on.
var laptopSize = screenSize{"laptop", 1280, 800, false}

// jsInViewport holds when sel is drawn whole inside the window.
func jsInViewport(sel string) string {
	return fmt.Sprintf(`(function () {
  var e = document.querySelector(%s);
  if (!e || !e.checkVisibility({visibilityProperty: true})) return false;
  var r = e.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 &&
    r.bottom <= window.innerHeight + 0.5 && r.right <= window.innerWidth + 0.5;
})()`, jsString(sel))
}

// jsTopInPage is where sel's top is in the page (not the window), in CSS pixels.
func jsTopInPage(sel string) string {
	return fmt.Sprintf(`document.querySelector(%s).getBoundingClientRect().top + window.scrollY`, jsString(sel))
}

// setScreen emulates a screen and waits until the page has it.
func (b *browserTab) setScreen(t *testing.T, size screenSize, scheme string) {
	t.Helper()
	b.do(t, "emulate a "+scheme+" "+size.name, emulateScreen(size, scheme))
	b.waitFor(t, "the "+scheme+" "+size.name+" screen", jsAll(
		fmt.Sprintf(`matchMedia("(prefers-color-scheme: %s)").matches`, scheme),
		fmt.Sprintf(`window.innerWidth === %d && window.innerHeight === %d`, size.width, size.height)))
}

// checkInView fails unless every selector is drawn whole inside the window, and says
// where each one is.
func (b *browserTab) checkInView(t *testing.T, where string, sels ...string) {
	t.Helper()
	for _, sel := range sels {
		if !tabEval[bool](t, b, jsInViewport(sel)) {
			box := tabEval[string](t, b, fmt.Sprintf(`JSON.stringify(document.querySelector(%s)?.getBoundingClientRect() ?? null) + " in " + innerWidth + "x" + innerHeight`, jsString(sel)))
			t.Errorf("%s, %s: %s is not whole in the window: %s", b.name, where, sel, box)
		}
	}
}

// axeSource is axe-core's script, vendored for the tests (testdata/axe/VERSIONS.md).
func axeSource(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	return string(src)
}

// TestVendoredAxeIsTheRelease: the axe-core the tests inject is the released file that
// testdata/axe/VERSIONS.md records, not an edited one.
func TestVendoredAxeIsTheRelease(t *testing.T) {
	const want = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
	sum := sha256.Sum256([]byte(axeSource(t)))
	if got := hex.EncodeToString(sum[:]); got != want {
		t.Errorf("testdata/axe/axe.min.js has SHA-256 %s, want %s (VERSIONS.md)", got, want)
	}
}

// checkAxe runs axe-core on the page as it is and fails on every violation it reports,
// with the rule, its impact and the elements.
func (b *browserTab) checkAxe(t *testing.T, axe, where string) {
	t.Helper()
	b.waitFor(t, "htmx settled before axe", "!window.__ppTest || window.__ppTest.idle()")
	if !tabEval[bool](t, b, `typeof window.axe === "object"`) {
		tabEval[bool](t, b, axe+"\n;true")
	}
	ctx, cancel := context.WithTimeout(b.ctx, 2*browserStepTimeout)
	defer cancel()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary.replace(/\s+/g, " "))
}))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s, %s: running axe: %v", b.name, where, err)
	}
	var violations []struct {
		ID, Impact, Help string
		Nodes            []string
	}
	if err := json.Unmarshal([]byte(out), &violations); err != nil {
		t.Fatalf("axe's answer: %v: %s", err, out)
	}
	for _, v := range violations {
		t.Errorf("%s, %s: axe: %s (%s): %s\n    %s", b.name, where, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n    "))
	}
}

// checkAxeLightAndDark runs axe on the page in a light and in a dark colour scheme, at
// the laptop's size, and leaves the page light.
func (b *browserTab) checkAxeLightAndDark(t *testing.T, axe, where string) {
	t.Helper()
	for _, scheme := range []string{"dark", "light"} {
		b.setScreen(t, laptopSize, scheme)
		b.checkAxe(t, axe, where+" ("+scheme+")")
	}
}

// holdRequests pauses the tab's requests whose URL matches pattern until the test lets
// each one go, and returns the channel of the paused ones.
func (b *browserTab) holdRequests(t *testing.T, pattern string) <-chan *fetch.EventRequestPaused {
	t.Helper()
	paused := make(chan *fetch.EventRequestPaused, 4)
	ctx, stop := context.WithCancel(b.ctx)
	events := chromedp.Events(ctx, fetch.RequestPaused)
	go func() {
		defer close(paused)
		for ev, err := range events {
			if err != nil {
				return
			}
			select {
			case paused <- &ev:
			case <-ctx.Done():
				return
			}
		}
	}()
	b.do(t, "hold requests to "+pattern, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: pattern}}})
		return err
	}))
	t.Cleanup(stop)
	return paused
}

// releaseHeld stops holding requests (those still paused go on).
func (b *browserTab) releaseHeld(t *testing.T) {
	t.Helper()
	b.do(t, "stop holding requests", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, fetch.Disable, cdp.Empty{})
		return err
	}))
}

// nextHeld waits for a held request.
func nextHeld(t *testing.T, paused <-chan *fetch.EventRequestPaused) *fetch.EventRequestPaused {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), browserStepTimeout)
	defer cancel()
	select {
	case ev, ok := <-paused:
		if !ok {
			t.Fatal("the tab closed while waiting for a held request")
		}
		return ev
	case <-ctx.Done():
		t.Fatal("no request was held")
	}
	return nil
}

// answerHeld lets a held request go on (with status 0), or answers it with status.
func (b *browserTab) answerHeld(t *testing.T, ev *fetch.EventRequestPaused, status int64) {
	t.Helper()
	b.do(t, "answer the held request", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if status == 0 {
			_, err := cdp.Call(ctx, tg, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
			return err
		}
		_, err := cdp.Call(ctx, tg, fetch.FulfillRequest, fetch.FulfillRequestParams{
			RequestID: ev.RequestID, ResponseCode: status,
			ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/plain"}},
			Body:            []byte("refused"),
		})
		return err
	}))
}

const (
	jsFocusedTestID = `(document.activeElement?.getAttribute("data-testid") ?? "")`
	jsCardsTop      = `document.querySelector("#hand .cards").getBoundingClientRect().top + window.scrollY`
)

// TestBrowserRoomFits plays a round at a laptop's and at a phone's size: Ann (the
// facilitator, on a laptop) and Bob (on a phone) in browsers, Carol over the API.
func TestBrowserRoomFits(t *testing.T) {
	tb := seatTable(t, "Fit <room>", roomChoices{})
	ann, bob := tb.ann, tb.bob
	axe := axeSource(t)
	shots := screenshotDir(t)
	ann.setScreen(t, laptopSize, "light")
	bob.setScreen(t, phoneSize, "light")

	scenarioStep(t, "each page says (you) beside its own viewer only", func(t *testing.T) {
		for _, c := range []struct {
			tab       *browserTab
			me, other string
		}{{ann, tb.annAlias, tb.bobAlias}, {bob, tb.bobAlias, tb.annAlias}} {
			c.tab.waitFor(t, "(you) on the viewer's row", jsAll(
				jsTextIs(playerSel(c.me)+" [data-testid=you]", "(you)"),
				jsCount("#players [data-testid=you]")+" === 1"))
			if got := tabEval[string](t, c.tab, jsText(playerSel(c.me)+" [data-testid=player-name]")); strings.Contains(got, "you") {
				t.Errorf("%s: the name itself reads %q", c.tab.name, got)
			}
		}
	})

	scenarioStep(t, "the default deck is on one row at 1280, each card with its key when it has one", func(t *testing.T) {
		tops := tabEval[[]float64](t, ann, `Array.from(document.querySelectorAll("#hand button.card"), c => Math.round(c.getBoundingClientRect().top))`)
		if len(tops) != 9 {
			t.Fatalf("%d cards, want the 9 of Fibonacci", len(tops))
		}
		for i, top := range tops {
			if top != tops[0] {
				t.Errorf("card %d is at %v px, the first at %v: the deck wraps", i+1, top, tops[0])
			}
		}
		hints := tabEval[string](t, ann, `Array.from(document.querySelectorAll("#hand button.card"), c => c.dataset.testid.slice(5) + "=" + getComputedStyle(c, "::after").content).join(" ")`)
		want := `1/2=none 1="1" / "" 2="2" / "" 3="3" / "" 5="5" / "" 8="8" / "" 13=none 21=none ?=none`
		if hints != want {
			t.Errorf("the key hints read %s, want %s", hints, want)
		}
	})

	scenarioStep(t, "the round's controls are in view at both sizes before a round", func(t *testing.T) {
		ann.checkInView(t, "laptop", "[data-testid=runbar]", "[data-testid=start]", "[data-testid=ticket-input]")
		ann.setScreen(t, phoneSize, "light")
		ann.checkInView(t, "phone", "[data-testid=runbar]", "[data-testid=start]", "[data-testid=ticket-input]")
		ann.setScreen(t, laptopSize, "light")
	})

	scenarioStep(t, "axe finds nothing on the room before the first round, light and dark", func(t *testing.T) {
		ann.checkAxeLightAndDark(t, axe, "room, no round yet, facilitator")
	})

	scenarioStep(t, "Ann starts a round: the focus stays on Start", func(t *testing.T) {
		tb.startRound(t, "https://tracker.example.com/PP-12")
		ann.waitFor(t, "the focus on Start", jsFocusedTestID+` === "start"`)
	})

	scenarioStep(t, "axe finds nothing on the room while nobody has voted, light and dark", func(t *testing.T) {
		ann.checkAxeLightAndDark(t, axe, "room, nobody voted, facilitator")
		bob.checkAxeLightAndDark(t, axe, "room, nobody voted, player")
		bob.setScreen(t, phoneSize, "light")
	})

	scenarioStep(t, "while a vote is out the card looks pressed and busy; then it shows chosen", func(t *testing.T) {
		held := ann.holdRequests(t, "*/room/"+tb.code+"/vote")
		ann.click(t, cardSel("3"))
		ev := nextHeld(t, held)
		ann.waitFor(t, "card 3 pending", jsAll(
			`document.querySelector(`+jsString(cardSel("3"))+`).classList.contains("is-pending")`,
			jsAttrIs(cardSel("3"), "aria-busy", "true")))
		ann.shoot(t, shots, "fit-pending", laptopSize, "light")
		ann.answerHeld(t, ev, 0)
		ann.releaseHeld(t)
		ann.waitFor(t, "card 3 chosen, no longer pending", jsAll(
			jsAttrIs(cardSel("3"), "aria-pressed", "true"),
			jsCount("#hand .is-pending")+" === 0",
			jsCount("#hand [aria-busy]")+" === 0"))
		wsAwait(t, tb.carol, "PLAYERVOTED", aboutPlayer(tb.annID))
	})

	scenarioStep(t, "Ann clicks 5: her vote changes and the focus stays on the card", func(t *testing.T) {
		ann.click(t, cardSel("5"))
		ann.waitFor(t, "card 5 chosen and focused", jsAll(
			jsAttrIs(cardSel("5"), "aria-pressed", "true"),
			jsFocusedTestID+` === "card-5"`,
			"window.__ppTest.idle()"))
	})

	scenarioStep(t, "a refused vote says so near the controls", func(t *testing.T) {
		held := ann.holdRequests(t, "*/room/"+tb.code+"/vote")
		ann.click(t, cardSel("2"))
		ann.answerHeld(t, nextHeld(t, held), 403)
		ann.releaseHeld(t)
		ann.waitFor(t, "the failure said", jsAll(
			jsVisible("[data-testid=action-status]"),
			jsTextIs("[data-testid=action-status]", "Your vote for 2 failed: the page has expired: reload it."),
			jsAttrIs("[data-testid=action-status]", "role", "status"),
			jsAttrIs(cardSel("5"), "aria-pressed", "true"),
			jsCount("#hand .is-pending")+" === 0"))
		ann.checkInView(t, "laptop", "[data-testid=action-status]")
		// The next action that goes through clears it.
		ann.click(t, cardSel("5"))
		ann.waitFor(t, "the failure cleared", `document.querySelector("[data-testid=action-status]").hidden`)
	})

	scenarioStep(t, "Bob presses 8 on his phone: the card labelled 8 is his vote", func(t *testing.T) {
		bob.press(t, "8")
		bob.waitFor(t, "card 8 pressed", jsAll(
			jsAttrIs(cardSel("8"), "aria-pressed", "true"),
			jsCount(`#hand button.card[aria-pressed="true"]`)+" === 1"))
		wsAwait(t, tb.carol, "PLAYERVOTED", aboutPlayer(tb.bobID))
	})

	scenarioStep(t, "everyone voted: the tab's title says so; the controls are in view", func(t *testing.T) {
		tb.lastVote(t, func() { tb.carolVotes(t, 3) })
		for _, tab := range tb.browsers() {
			tab.waitFor(t, "the title", `document.title === "Everyone voted · Fit <room> · pokerd"`)
		}
		ann.checkInView(t, "laptop, voting", "[data-testid=runbar]", "[data-testid=start]", "[data-testid=reveal]")
		for _, scheme := range []string{"light", "dark"} {
			ann.shoot(t, shots, "fit-voting", laptopSize, scheme)
			ann.shoot(t, shots, "fit-voting", phoneSize, scheme)
		}
		ann.setScreen(t, phoneSize, "light")
		ann.checkInView(t, "phone, voting", "[data-testid=runbar]", "[data-testid=start]", "[data-testid=reveal]")
		ann.setScreen(t, laptopSize, "light")
	})

	scenarioStep(t, "axe finds nothing on the room once everyone voted, light and dark", func(t *testing.T) {
		ann.checkAxeLightAndDark(t, axe, "room, voting, facilitator")
		bob.checkAxeLightAndDark(t, axe, "room, voting, player")
		bob.setScreen(t, phoneSize, "light")
	})

	scenarioStep(t, "the reveal: the cards stay where they were; the controls stay in view; the title says Revealed", func(t *testing.T) {
		annTop, bobTop := tabEval[float64](t, ann, jsCardsTop), tabEval[float64](t, bob, jsCardsTop)
		votes := tb.reveal(t)
		checkVotes(t, votes, map[string]float64{tb.annID: 5, tb.bobID: 8, tb.carolID: 3})
		for _, c := range []struct {
			tab    *browserTab
			before float64
		}{{ann, annTop}, {bob, bobTop}} {
			if after := tabEval[float64](t, c.tab, jsCardsTop); after-c.before > 4 || c.before-after > 4 {
				t.Errorf("%s: the cards moved from %.0f px to %.0f px at the reveal", c.tab.name, c.before, after)
			}
			c.tab.waitFor(t, "the title", `document.title === "Revealed · Fit <room> · pokerd"`)
		}
		revealedControls := []string{"[data-testid=runbar]", "[data-testid=start]", "[data-testid=estimate-input]", "[data-testid=estimate-save]"}
		ann.checkInView(t, "laptop, revealed", revealedControls...)
		if got := tabEval[string](t, ann, jsText("[data-testid=start]")); got != "Next round" {
			t.Errorf("the start button reads %q after the reveal, want Next round", got)
		}
		ann.setScreen(t, phoneSize, "light")
		ann.checkInView(t, "phone, revealed", revealedControls...)
		// The session record reads on a phone: a round's lines are as wide as the
		// panel, not six columns squeezed, and nothing runs off the side of the page.
		ann.waitFor(t, "the record's round", jsPresent("[data-testid=record-round]"))
		if w := tabEval[float64](t, ann, `document.querySelector("[data-testid=record-round] [data-testid=record-estimate]").closest("td").getBoundingClientRect().width`); w < 250 {
			t.Errorf("on a phone the record's estimate is %.0f px wide", w)
		}
		if w := tabEval[float64](t, ann, `document.documentElement.scrollWidth`); w > float64(phoneSize.width) {
			t.Errorf("on a phone the page is %.0f px wide", w)
		}
		for _, scheme := range []string{"light", "dark"} {
			ann.shoot(t, shots, "fit-revealed", laptopSize, scheme)
			ann.shoot(t, shots, "fit-revealed", phoneSize, scheme)
		}
		bob.shoot(t, shots, "fit-revealed-player", phoneSize, "light")
		ann.setScreen(t, laptopSize, "light")
	})

	scenarioStep(t, "axe finds nothing on the room once revealed, light and dark", func(t *testing.T) {
		ann.checkAxeLightAndDark(t, axe, "room, revealed, facilitator")
		bob.checkAxeLightAndDark(t, axe, "room, revealed, player")
	})

	scenarioStep(t, "axe finds nothing on the home and join pages, light and dark", func(t *testing.T) {
		if status := bob.navigate(t, tb.s.base+"/"); status != 200 {
			t.Fatalf("home page: %d", status)
		}
		bob.checkAxeLightAndDark(t, axe, "home")
		if status := bob.navigate(t, tb.s.base+"/join/"+tb.code); status != 200 {
			t.Fatalf("join page: %d", status)
		}
		bob.checkAxeLightAndDark(t, axe, "join")
	})

	scenarioStep(t, "the server stops: Ann's click says it could not reach it", func(t *testing.T) {
		ann.waitFor(t, "htmx settled", "window.__ppTest.idle()")
		tb.s.stop()
		if err := <-tb.s.done; err != nil {
			t.Fatalf("the server stopped with %v", err)
		}
		tb.s.done <- nil // for the server's own cleanup
		ann.do(t, "click Next round", chromedp.Click(chromedp.CSS("[data-testid=start]")))
		ann.waitFor(t, "the failure said", jsAll(
			jsVisible("[data-testid=action-status]"),
			jsTextIs("[data-testid=action-status]", "“Next round” failed: the server could not be reached. Check the connection and try again."),
			jsCount(".is-pending")+" === 0"))
		ann.checkInView(t, "laptop", "[data-testid=action-status]", "[data-testid=start]")
		ann.shoot(t, shots, "fit-failed", laptopSize, "light")
	})
}

// TestBrowserWordDeckKeys: on a deck of words (T-shirt sizes) digit keys go by place, and
// each card shows its key.
func TestBrowserWordDeckKeys(t *testing.T) {
	s := startServer(t, nil)
	br := startChromium(t)
	ann := br.openPeople(t, "Ann")[0]
	if status := ann.navigate(t, s.base+"/"); status != 200 {
		t.Fatalf("home page: %d", status)
	}
	tshirt := `//label[contains(@class, "deck-choice")][.//strong[normalize-space()="T-shirt sizes"]]//input[@name="deck_id"]`
	ann.do(t, "fill in the create form",
		chromedp.SendKeys(chromedp.ID("room-name"), "Sizes"),
		chromedp.SendKeys(chromedp.ID("your-name"), "Ann"),
		chromedp.Click(chromedp.Search(tshirt)))
	if path := ann.submit(t, "open the room", `[data-testid=create-form] button[type=submit]`); !roomURLPath.MatchString(path) {
		t.Fatalf("after opening the room the browser is at %q", path)
	}
	ann.waitLive(t)
	loads := ann.handLoads(t)
	ann.click(t, "[data-testid=start]")
	ann.waitHandReplaced(t, loads)
	ann.waitFor(t, "the cards open", jsAll(jsPresent(cardSel("M")), `!document.querySelector(`+jsString(cardSel("M"))+`).disabled`))

	hints := tabEval[string](t, ann, `Array.from(document.querySelectorAll("#hand button.card"), c => c.dataset.testid.slice(5) + "=" + c.dataset.shortcut).join(" ")`)
	if want := "XS=1 S=2 M=3 L=4 XL=5 XXL=6"; hints != want {
		t.Errorf("the keys of the cards: %s, want %s", hints, want)
	}
	ann.press(t, "3")
	ann.waitFor(t, "M chosen", jsAll(
		jsAttrIs(cardSel("M"), "aria-pressed", "true"),
		jsCount(`#hand button.card[aria-pressed="true"]`)+" === 1"))
	if help := tabEval[string](t, ann, jsText("[data-testid=shortcuts-help]")); !strings.Contains(help, "by its place") {
		t.Errorf("the help says %q", help)
	}

	// The tab shows pokerd's icon, served as the other assets are: under a URL that
	// carries its content's hash.
	icon := tabEval[string](t, ann, `document.querySelector('link[rel="icon"]')?.getAttribute("href") ?? ""`)
	if !regexp.MustCompile(`^/static/[0-9a-f]{12}/favicon\.svg$`).MatchString(icon) {
		t.Fatalf("the icon's link is %q", icon)
	}
	if got := fetchInPage(t, ann, icon); got.Status != 200 || got.Type != "image/svg+xml" || !strings.HasPrefix(got.Body, "<svg") {
		t.Errorf("the icon: status %d, type %q, body %s", got.Status, got.Type, lastChars(got.Body, 100))
	}
}
