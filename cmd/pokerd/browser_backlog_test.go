package main

// Real-browser tests of the backlog panel (issue 14): a facilitator pastes stories,
// skips, moves, edits, deletes and starts one, and another player's page follows by the
// stream, without the runner's controls. Screenshots of the panel go to screenshots/.
//
//	go test -race -count=1 -timeout 300s -run BrowserBacklog ./cmd/pokerd/

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// storySel is the line of the backlog's story shown at place n (from 1).
func storySel(n int) string {
	return fmt.Sprintf(`#backlog-stories > li:nth-child(%d)`, n)
}

// act clicks a backlog control and waits until the page has both the answer and the
// stream's message of the change (which replaces the list again a moment later: a click
// on a button being replaced would be lost).
func (b *browserTab) act(t *testing.T, sel string) {
	t.Helper()
	seen := tabEval[int](t, b, "window.__ppTest.messages")
	b.click(t, sel)
	b.waitFor(t, "the stream's message after "+sel, fmt.Sprintf("window.__ppTest.messages > %d && window.__ppTest.idle()", seen))
	if n := tabEval[int](t, b, `document.querySelectorAll("section#backlog").length`); n != 1 {
		t.Errorf("after %s, the page holds %d backlog panels", sel, n)
	}
}

// jsStoryTitles is the backlog's titles as a page shows them, joined by "|".
const jsStoryTitles = `[...document.querySelectorAll("#backlog [data-testid=backlog-story] .story-title")].map(e => e.textContent.trim()).join("|")`

func TestBrowserBacklog(t *testing.T) {
	tb := seatTable(t, "Sprint 14", roomChoices{})
	ann, bob := tb.ann, tb.bob

	t.Run("a player sees no backlog while it is empty; the facilitator a hint", func(t *testing.T) {
		bob.waitFor(t, "no backlog for Bob", `getComputedStyle(document.querySelector("#backlog")).display === "none"`)
		ann.waitFor(t, "the hint for Ann", jsAll(
			`getComputedStyle(document.querySelector("#backlog")).display !== "none"`,
			`document.querySelector("[data-testid=backlog-empty]").textContent.includes("Paste your stories")`))
	})

	t.Run("pasted lines are added, a bad one reported and kept", func(t *testing.T) {
		tabEval[bool](t, ann, `document.querySelector(".backlog-more").open = true`)
		tabEval[string](t, ann, `document.querySelector("[data-testid=backlog-paste]").value = `+jsString(
			"PP-1 Sign up\nPP-2 Sign in https://tracker.example.com/PP-2\nBad javascript:alert(1)\nPP-3 <b>Sign</b> out\nPP-4 Reset password\nPP-5 Delete account"))
		ann.act(t, "[data-testid=backlog-paste-add]")
		ann.waitFor(t, "the report", jsAll(
			`document.querySelector("[data-testid=backlog-report]").textContent.includes("Added 5 stories.")`,
			`document.querySelector("[data-testid=backlog-rejected]").textContent.startsWith("Line 3: ")`,
			`document.querySelector("[data-testid=backlog-paste]").value === "Bad javascript:alert(1)"`))
		want := "Sign up|Sign in|<b>Sign</b> out|Reset password|Delete account"
		for _, tab := range tb.browsers() {
			tab.waitFor(t, "the five stories", jsStoryTitles+` === `+jsString(want))
		}
		bob.waitFor(t, "the list without the runner's controls for Bob", jsAll(
			`getComputedStyle(document.querySelector("#backlog")).display !== "none"`,
			`getComputedStyle(document.querySelector("#backlog .story-actions")).display === "none"`,
			`getComputedStyle(document.querySelector("#backlog .backlog-tools")).display === "none"`))
		ann.waitFor(t, "the controls for Ann", `getComputedStyle(document.querySelector("#backlog .story-actions")).display !== "none"`)
		if n := tabEval[int](t, ann, `document.querySelectorAll("#backlog b").length`); n != 0 {
			t.Errorf("a title's markup was drawn as markup")
		}
	})

	t.Run("skip, move, edit and delete, followed by the other page", func(t *testing.T) {
		ann.act(t, storySel(2)+" [data-testid=story-skip]")
		bob.waitFor(t, "Sign in skipped", jsAttrIs(storySel(2), "data-state", "skipped"))
		ann.act(t, storySel(1)+" [data-testid=story-down]")
		for _, tab := range tb.browsers() {
			tab.waitFor(t, "Sign up moved down", jsStoryTitles+` === "Sign in|Sign up|<b>Sign</b> out|Reset password|Delete account"`)
		}
		ann.click(t, storySel(4)+" [data-testid=story-edit]")
		tabEval[string](t, ann, `document.querySelector("`+storySel(4)+` [data-testid=story-edit-input]").value = "PP-4 Reset a password https://tracker.example.com/PP-4"`)
		ann.act(t, storySel(4)+" [data-testid=story-edit-save]")
		bob.waitFor(t, "the story edited, with its link", jsAll(
			jsTextIs(storySel(4)+" .story-title", "Reset a password"),
			jsAttrIs(storySel(4)+" a.story-title", "href", "https://tracker.example.com/PP-4")))
		tabEval[bool](t, ann, `(window.confirm = () => true, true)`)
		ann.act(t, storySel(5)+" [data-testid=story-delete]")
		for _, tab := range tb.browsers() {
			tab.waitFor(t, "Delete account deleted", jsAll(jsCount("#backlog [data-testid=backlog-story]")+" === 4",
				`document.querySelector("[data-testid=backlog-counts]").textContent.includes("0 of 4 estimated")`))
		}
	})

	t.Run("vote on this starts the round on the story", func(t *testing.T) {
		ann.act(t, storySel(3)+" [data-testid=story-start]")
		for _, tab := range tb.browsers() {
			tab.waitFor(t, "the round on Sign out", jsAll(
				jsAttrIs("#round", "data-round", "VOTING"),
				jsAttrIs(storySel(3), "data-state", "current")))
			tab.waitLive(t)
		}
	})

	t.Run("screenshots and axe", func(t *testing.T) {
		dir := screenshotDir(t)
		for _, scheme := range []string{"light", "dark"} {
			for _, size := range []screenSize{desktopSize, phoneSize} {
				ann.shoot(t, dir, "backlog-facilitator", size, scheme)
				ann.shootPanel(t, dir, "backlog-panel-facilitator", "#backlog", size, scheme)
				bob.shoot(t, dir, "backlog-player", size, scheme)
				bob.shootPanel(t, dir, "backlog-panel-player", "#backlog", size, scheme)
			}
		}
		ann.checkAxeLightAndDark(t, axeSource(t), "the room with a backlog")
	})
}

// shootPanel writes one part of the page (sel) as <dir>/<name>-<size>-<scheme>.png, as
// shoot does the whole page.
func (b *browserTab) shootPanel(t *testing.T, dir, name, sel string, size screenSize, scheme string) {
	t.Helper()
	b.setScreen(t, size, scheme)
	var box struct{ X, Y, Width, Height float64 }
	rect := tabEval[string](t, b, fmt.Sprintf(`JSON.stringify((r => ({X: r.left + scrollX, Y: r.top + scrollY, Width: r.width, Height: r.height}))(document.querySelector(%s).getBoundingClientRect()))`, jsString(sel)))
	if err := json.Unmarshal([]byte(rect), &box); err != nil {
		t.Fatalf("the box of %s: %v", sel, err)
	}
	png := tabRun(t, b, "screenshot of "+sel, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, tg, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatPng, CaptureBeyondViewport: new(true), FromSurface: new(true),
			Clip: &page.Viewport{X: box.X, Y: box.Y, Width: box.Width, Height: box.Height, Scale: 1},
		})
		if err != nil {
			return nil, err
		}
		return res.Data, nil
	})
	file := filepath.Join(dir, name+"-"+size.name+"-"+scheme+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatalf("writing the screenshot: %v", err)
	}
}
