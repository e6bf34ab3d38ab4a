package main

import (
	"fmt"
	"testing"
	"time"
)

// A page used without JavaScript has no event stream: its requests say that its player
// is here (see game/presence.go). These tests play a player, and a facilitator, with
// scripts turned off next to a browser with them.

// jsIsFacilitator is a condition: the row of the player with alias shows the role.
func jsIsFacilitator(alias string) string {
	return jsPresent(playerSel(alias) + " .tag-admin")
}

// checkNoScriptPage checks what a page without scripts offers in place of the controls
// that need them: a Refresh link, and none of the controls (or key hints) that would do
// nothing.
func checkNoScriptPage(t *testing.T, tab *browserTab, code string) {
	t.Helper()
	got := tabEval[map[string]any](t, tab, `({
  refresh: document.querySelector("[data-testid=refresh]")?.getAttribute("href") ?? "",
  refreshShown: !!document.querySelector("[data-testid=refresh]")?.getClientRects().length,
  shown: Array.from(document.querySelectorAll("[data-copy], [data-theme-toggle], [data-testid=shortcuts-help]"))
    .filter(e => e.getClientRects().length > 0).map(e => e.textContent.trim()),
  keyHints: Array.from(document.querySelectorAll("#hand .card")).filter(c => getComputedStyle(c, "::after").content !== "none").length
})`)
	want := map[string]any{"refresh": "/room/" + code, "refreshShown": true, "shown": []any{}, "keyHints": 0}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s's page without scripts offers %v, want %v", tab.name, got, want)
	}
}

func TestBrowserWithoutJavaScriptIsPresent(t *testing.T) {
	s := startServer(t, nil)
	br := startChromium(t)
	ann := br.openPeople(t, "Ann")[0]
	dana := br.openTab(t, "Dana", false)
	t.Cleanup(func() { dana.checkNoDialogs(t) })

	code := openRoomFromHome(t, s, ann, "Mixed", "Ann", roomChoices{})
	takeSeat(t, s, dana, code, "Dana")
	danaAlias := aliasOnScreen(t, dana, "Dana")

	scenarioStep(t, "Dana, without scripts, sees herself online and a Refresh link instead of scripted controls", func(t *testing.T) {
		dana.waitFor(t, "Dana online on her own page", jsAttrIs(playerSel(danaAlias), "data-connected", "true"))
		checkNoScriptPage(t, dana, code)
		// A page with scripts shows none of it, and its controls.
		if got := tabEval[bool](t, ann, jsPresent(`[data-copy]:not([hidden])`)+` && document.querySelector("[data-copy]").getClientRects().length > 0 && `+jsCount("[data-testid=nojs-note]")+" === 0"); !got {
			t.Fatal("Ann's page, with scripts, lacks the copy button or shows the note for pages without scripts")
		}
	})

	scenarioStep(t, "Ann sees Dana online", func(t *testing.T) {
		ann.waitFor(t, "Dana online", jsAttrIs(playerSel(danaAlias), "data-connected", "true"))
	})

	scenarioStep(t, "Ann starts a round; Dana refreshes, votes, and Ann sees her voted and online", func(t *testing.T) {
		ann.click(t, "[data-testid=start]")
		ann.waitFor(t, "voting", jsTextIs("#round [data-testid=round-state]", "Voting"))
		if path := dana.submit(t, "refresh", "[data-testid=refresh]"); path != "/room/"+code {
			t.Fatalf("after Refresh Dana is at %q", path)
		}
		if path := dana.submit(t, "pick 5", cardSel("5")); path != "/room/"+code {
			t.Fatalf("after voting Dana is at %q", path)
		}
		dana.waitFor(t, "Dana's 5 picked", jsAttrIs(cardSel("5"), "aria-pressed", "true"))
		ann.waitFor(t, "Dana voted and online", jsAll(
			jsAttrIs(playerSel(danaAlias), "data-voted", "true"),
			jsAttrIs(playerSel(danaAlias), "data-connected", "true")))
	})

	scenarioStep(t, "Dana leaves: Ann sees her go at once", func(t *testing.T) {
		if path := dana.submit(t, "leave", "[data-testid=leave]"); path != "/room/"+code+"/left" {
			t.Fatalf("after leaving Dana is at %q", path)
		}
		ann.waitFor(t, "Dana gone", jsCount(playerSel(danaAlias))+" === 0")
	})
}

func TestBrowserWithoutJavaScriptFacilitates(t *testing.T) {
	const away = 2 * time.Second
	s := startServer(t, nil, "--facilitator-timeout", away.String())
	br := startChromium(t)
	dana := br.openTab(t, "Dana", false)
	t.Cleanup(func() { dana.checkNoDialogs(t) })
	bob := br.openPeople(t, "Bob")[0]

	code := openRoomFromHome(t, s, dana, "No-script facilitator", "Dana", roomChoices{})
	takeSeat(t, s, bob, code, "Bob")
	danaAlias := aliasOnScreen(t, bob, "Dana")
	bobAlias := aliasOnScreen(t, bob, "Bob")

	scenarioStep(t, "Bob sees Dana online, the facilitator", func(t *testing.T) {
		bob.waitFor(t, "Dana online and facilitator", jsAll(
			jsAttrIs(playerSel(danaAlias), "data-connected", "true"),
			jsIsFacilitator(danaAlias)))
	})

	scenarioStep(t, "Dana starts a round; Bob votes", func(t *testing.T) {
		checkNoScriptPage(t, dana, code)
		shots := screenshotDir(t)
		for _, size := range []screenSize{desktopSize, phoneSize} {
			for _, scheme := range []string{"light", "dark"} {
				dana.shoot(t, shots, "nojs-facilitator", size, scheme)
			}
		}
		dana.do(t, "back to the desktop size", emulateScreen(desktopSize, "light"))
		if path := dana.submit(t, "start", "[data-testid=start]"); path != "/room/"+code {
			t.Fatalf("after starting Dana is at %q", path)
		}
		bob.waitFor(t, "voting", jsTextIs("#round [data-testid=round-state]", "Voting"))
		bob.waitFor(t, "cards open", jsCount("#hand button.card:not(:disabled)")+" > 0")
		bob.click(t, cardSel("8"))
		bob.waitFor(t, "Bob voted", jsAttrIs(playerSel(bobAlias), "data-voted", "true"))
	})

	scenarioStep(t, "past the away timeout, Dana, who used her page meanwhile, is still the facilitator and reveals", func(t *testing.T) {
		// The away timeout is a span of real time the server's timer measures: the test
		// has to let it pass, with a request from Dana's page in the middle of it.
		deadline := time.Now().Add(away + away/2)
		bob.waitFor(t, "half the away timeout passed", fmt.Sprintf("Date.now() > %d", time.Now().Add(away/2).UnixMilli()))
		if path := dana.submit(t, "refresh", "[data-testid=refresh]"); path != "/room/"+code {
			t.Fatalf("after Refresh Dana is at %q", path)
		}
		bob.waitFor(t, "the away timeout passed", fmt.Sprintf("Date.now() > %d", deadline.UnixMilli()))
		if !tabEval[bool](t, bob, jsAll(jsIsFacilitator(danaAlias), jsAttrIs(playerSel(danaAlias), "data-connected", "true"))) {
			t.Fatal("Bob's page no longer shows Dana online as the facilitator once the away timeout passed")
		}
		if path := dana.submit(t, "reveal", "[data-testid=reveal]"); path != "/room/"+code {
			t.Fatalf("after revealing Dana is at %q", path)
		}
		dana.waitFor(t, "revealed on Dana's page", jsTextIs("#round [data-testid=round-state]", "Revealed"))
		bob.waitFor(t, "revealed on Bob's page", jsTextIs("#round [data-testid=round-state]", "Revealed"))
	})
}
