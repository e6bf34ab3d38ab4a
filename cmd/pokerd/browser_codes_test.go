package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// tryAgainIn is the refusal page's word on when to come back: a miss comes back every
// 6 s, so at most that.
var tryAgainIn = regexp.MustCompile(`Try again in [1-6] seconds?\.`)

// A person who mistypes room codes is told there is no such room a few times, then, at
// the limit of misses, that their address tried too many codes and when to come back:
// for the room they were looking for too. A colleague at the same address who sits in
// her room keeps it: her next click works. The server's burst is 3 here, to keep the
// scenario short.
func TestBrowserMistypedCodes(t *testing.T) {
	s := startServer(t, nil, "--code-miss-burst", "3")
	br := startChromium(t)
	shots := screenshotDir(t)
	ann := br.openTab(t, "Ann", true)
	t.Cleanup(func() { ann.checkNoDialogs(t) })

	var code string
	scenarioStep(t, "Ann opens a room", func(t *testing.T) {
		if status := ann.navigate(t, s.base+"/"); status != 200 {
			t.Fatalf("home page: %d", status)
		}
		ann.do(t, "fill in the create form", chromedp.SendKeys(chromedp.ID("your-name"), "Ann"))
		m := roomURLPath.FindStringSubmatch(ann.submit(t, "open the room", `[data-testid=create-form] button[type=submit]`))
		if m == nil {
			t.Fatal("Ann is not in her room")
		}
		code = m[1]
		ann.waitLive(t)
	})

	typist := br.openTab(t, "Cy, at Ann's address", true)
	typeCode := func(t *testing.T, typed string) int64 {
		t.Helper()
		if status := typist.navigate(t, s.base+"/"); status != 200 {
			t.Fatalf("home page: %d", status)
		}
		typist.do(t, "type the code", chromedp.SendKeys(chromedp.ID("join-code"), typed))
		ctx, cancel := context.WithTimeout(typist.ctx, browserStepTimeout)
		defer cancel()
		res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`[data-testid=join-code-form] button[type=submit]`)))
		if err != nil {
			t.Fatalf("join by code %q: %v%s", typed, err, typist.diagnose())
		}
		return res.Status
	}

	scenarioStep(t, "three mistyped codes are rooms that do not exist", func(t *testing.T) {
		for _, typed := range []string{"k7m2x9qa", "K7M2X9QB", "k7m2x9q"} {
			if status := typeCode(t, typed); status != 404 {
				t.Fatalf("code %q: the page came back with %d, want 404", typed, status)
			}
			typist.waitFor(t, "the no-room page", jsPresent("[data-testid=no-room]"))
		}
	})

	scenarioStep(t, "then even the right code is refused, with when to come back", func(t *testing.T) {
		if status := typeCode(t, code); status != 429 {
			t.Fatalf("the right code after the misses: %d, want 429", status)
		}
		typist.waitFor(t, "the refusal page", jsPresent("[data-testid=lookup-refused]"))
		text := tabEval[string](t, typist, jsText("[data-testid=lookup-refused]"))
		if !strings.Contains(text, "Too many room codes tried") || !tryAgainIn.MatchString(text) || strings.Contains(text, code) {
			t.Fatalf("the refusal says %q", text)
		}
		typist.shoot(t, shots, "codes-refused", desktopSize, "light")
		typist.shoot(t, shots, "codes-refused", phoneSize, "light")
		typist.shoot(t, shots, "codes-refused", desktopSize, "dark")
		typist.shoot(t, shots, "codes-refused", phoneSize, "dark")
	})

	scenarioStep(t, "Ann, seated in her room at the same address, keeps it", func(t *testing.T) {
		ann.waitFor(t, "htmx settled", "window.__ppTest?.idle()")
		ann.do(t, "start a round", chromedp.Click(chromedp.CSS("[data-testid=start]")))
		ann.waitFor(t, "the round open in Ann's room", jsAll(
			`location.pathname === "/room/`+code+`"`,
			`!document.querySelector("[data-testid=lookup-refused]")`,
			`!!document.querySelector("[data-testid=cards] button.card:not([disabled])")`))
	})
}
