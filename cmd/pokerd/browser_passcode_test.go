package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// allowClipboard lets the tab's pages write and read the clipboard, as a person who
// clicks "Copy link" and pastes does; the tab is focused, as the window in front is.
func (b *browserTab) allowClipboard(t *testing.T, origin string) {
	t.Helper()
	contextID := chromedp.FromContext(b.ctx).BrowserContextID
	b.do(t, "allow the clipboard", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for _, name := range []string{"clipboard-read", "clipboard-write"} {
			if _, err := cdp.Call(ctx, chromedp.FromContext(ctx).Browser, browser.SetPermission, browser.SetPermissionParams{
				Permission: &browser.PermissionDescriptor{Name: name}, Setting: browser.PermissionSettingGranted,
				Origin: origin, BrowserContextID: contextID,
			}); err != nil {
				return err
			}
		}
		_, err := cdp.Call(ctx, tg, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	}))
}

// TestBrowserPasscodeRoom: Ann opens a room with a passcode from the home page, copies
// its share link (which carries the passcode in its fragment), Bob opens that link in a
// browser of his own, finds the passcode filled in and out of his address bar, takes a
// seat, and each sees the other. Someone without JavaScript types the passcode.
func TestBrowserPasscodeRoom(t *testing.T) {
	s := startServer(t, nil)
	br := startChromium(t)
	shots := screenshotDir(t)
	people := br.openPeople(t, "Ann", "Bob")
	ann, bob := people[0], people[1]
	const (
		annName = "Annabel Quill"
		bobName = "Bartholomew Fen"
	)
	var code, copied string

	scenarioStep(t, "Ann opens a room with a passcode; the address bar loses it, the share link carries it", func(t *testing.T) {
		if status := ann.navigate(t, s.base+"/"); status != 200 {
			t.Fatalf("home page: %d", status)
		}
		ann.do(t, "fill in the create form",
			chromedp.SendKeys(chromedp.ID("room-name"), passcodeRoomName),
			chromedp.SendKeys(chromedp.ID("your-name"), annName),
			chromedp.SendKeys(chromedp.ID("room-passcode"), testPasscode),
		)
		ann.shoot(t, shots, "home-passcode", desktopSize, "light")
		ann.shoot(t, shots, "home-passcode", phoneSize, "light")
		ann.shoot(t, shots, "home-passcode", phoneSize, "dark")
		ann.shoot(t, shots, "home-passcode", desktopSize, "dark")
		ann.do(t, "back to a light desktop", emulateScreen(desktopSize, "light"))
		path := ann.submit(t, "open the room", `[data-testid=create-form] button[type=submit]`)
		m := roomURLPath.FindStringSubmatch(path)
		if m == nil {
			t.Fatalf("after opening the room the browser is at %q", path)
		}
		code = m[1]
		want := s.base + "/join/" + code + "#passcode=" + url.QueryEscape(testPasscode)
		ann.waitFor(t, "the share link with the passcode, the address bar without", jsAll(
			`document.querySelector("[data-testid=share-link]").value === `+jsString(want),
			`location.hash === ""`,
			`location.href === `+jsString(s.base+"/room/"+code),
			jsText("[data-testid=passcode-note]")+`.startsWith("The copied link carries the passcode")`))
		ann.waitLive(t)
	})

	scenarioStep(t, "Copy link puts the link with the passcode on the clipboard", func(t *testing.T) {
		ann.allowClipboard(t, s.base)
		ann.click(t, "[data-copy=share-link]")
		ann.waitFor(t, "the button says it copied", jsTextIs("[data-copy=share-link]", "Copied"))
		copied = tabRun(t, ann, "read the clipboard", chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
		if want := s.base + "/join/" + code + "#passcode=" + url.QueryEscape(testPasscode); copied != want {
			t.Fatalf("the clipboard holds %q, want %q", copied, want)
		}
	})

	scenarioStep(t, "a reload keeps the passcode in Ann's share link (screenshots: light, then dark)", func(t *testing.T) {
		for _, scheme := range []string{"light", "dark"} {
			ann.do(t, "load the room in the "+scheme+" scheme", emulateScreen(desktopSize, scheme), chromedp.Reload())
			ann.waitLive(t)
			ann.waitFor(t, "the share link still with the passcode", `document.querySelector("[data-testid=share-link]").value === `+jsString(copied))
			ann.shoot(t, shots, "room-passcode", desktopSize, scheme)
			ann.shoot(t, shots, "room-passcode", phoneSize, scheme)
		}
		ann.do(t, "back to a light desktop", emulateScreen(desktopSize, "light"))
	})

	scenarioStep(t, "Bob opens the copied link: the passcode is filled in and gone from his address bar", func(t *testing.T) {
		openLink := func(scheme string) {
			// From another page: a link that differs from the page's address only in its
			// fragment would not load the page again.
			bob.navigate(t, "about:blank")
			bob.do(t, "a "+scheme+" desktop", emulateScreen(desktopSize, scheme))
			if status := bob.navigate(t, copied); status != 200 {
				t.Fatalf("the copied link: %d", status)
			}
			bob.waitFor(t, "the passcode filled in, the fragment gone", jsAll(
				`document.getElementById("join-passcode").value === `+jsString(testPasscode),
				`location.href === `+jsString(s.base+"/join/"+code)))
		}
		openLink("light")
		if got := tabEval[string](t, bob, `document.body.textContent`); strings.Contains(got, passcodeRoomName) || strings.Contains(got, annName) {
			t.Fatal("the join page shows the room's name or its players")
		}
		bob.shoot(t, shots, "join-passcode", desktopSize, "light")
		bob.shoot(t, shots, "join-passcode", phoneSize, "light")
		openLink("dark") // pokerd.js labels the theme button as the page loads
		bob.shoot(t, shots, "join-passcode", desktopSize, "dark")
		bob.shoot(t, shots, "join-passcode", phoneSize, "dark")
		bob.do(t, "back to a light desktop", emulateScreen(desktopSize, "light"))
	})

	scenarioStep(t, "Bob takes a seat; each sees the other", func(t *testing.T) {
		bob.do(t, "type his name", chromedp.SendKeys(chromedp.ID("join-name"), bobName))
		if path := bob.submit(t, "take a seat", `[data-testid=join-form] button[type=submit]`); path != "/room/"+code {
			t.Fatalf("after taking a seat Bob is at %q", path)
		}
		bob.waitLive(t)
		for _, tab := range []*browserTab{ann, bob} {
			tab.waitFor(t, "both players listed", jsAll(
				fmt.Sprintf(`%s.includes(%s)`, jsPlayerNames, jsString(annName)),
				fmt.Sprintf(`%s.includes(%s)`, jsPlayerNames, jsString(bobName))))
		}
		if got := tabEval[string](t, bob, jsText("[data-testid=room-name]")); got != passcodeRoomName {
			t.Errorf("Bob's page names the room %q", got)
		}
		// Bob's page never knew the passcode as the room page: his link is the plain one.
		if got := tabRun(t, bob, "read the share link", chromedp.Value(chromedp.CSS("[data-testid=share-link]"))); got != s.base+"/join/"+code {
			t.Errorf("Bob's share link %q", got)
		}
	})

	scenarioStep(t, "without JavaScript the link works too: the player types the passcode", func(t *testing.T) {
		cat := br.openTab(t, "Cat", false)
		if status := cat.navigate(t, copied); status != 200 {
			t.Fatalf("the copied link: %d", status)
		}
		if v := tabRun(t, cat, "read the passcode field", chromedp.Value(chromedp.ID("join-passcode"))); v != "" {
			t.Fatalf("without JavaScript the field holds %q", v)
		}
		cat.do(t, "type her name and the passcode",
			chromedp.SendKeys(chromedp.ID("join-name"), "Cat"),
			chromedp.SendKeys(chromedp.ID("join-passcode"), testPasscode))
		if path := cat.submit(t, "take a seat", `[data-testid=join-form] button[type=submit]`); path != "/room/"+code {
			t.Fatalf("after taking a seat Cat is at %q", path)
		}
		ann.waitFor(t, "Cat listed", fmt.Sprintf(`%s.includes("Cat")`, jsPlayerNames))
	})

	checkPasscodeNotLogged(t, s, testPasscode)
}
