package main

// Real-browser tests of the server-rendered UI: Debian's Chromium, driven with chromedp,
// against the real server on a loopback port. Each test starts one browser; each player
// gets a browser context of their own (their own cookies), as two people on two machines.
//
// No test sleeps: a test waits on a condition in the page (polled, with a deadline) or on
// a message of the WebSocket API. Run with a -timeout, as every test here should be:
//
//	go test -race -count=1 -timeout 300s -run Browser ./cmd/pokerd/

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/coder/websocket"
)

const (
	// browserStepTimeout bounds every browser step and every wait, so that a broken
	// page fails the test with a message instead of hanging it.
	browserStepTimeout = 10 * time.Second
	browserPollEvery   = 25 * time.Millisecond
)

// chromiumPath finds Debian's Chromium. Without it the browser tests are skipped on a
// developer's machine, but they fail in CI (the variable CI is set), which must run them.
// No test ever downloads a browser.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("Chromium not found (/usr/bin/chromium, or chromium on PATH): CI must run the browser tests")
	}
	t.Skip("Chromium not found (/usr/bin/chromium, or chromium on PATH): install Debian's chromium to run the browser tests")
	return ""
}

// chromium is one browser process, for one test.
type chromium struct {
	root context.Context // the browser's first tab: every player's tab is opened from it
}

// startChromium starts a headless Chromium with a fresh profile, and stops it when the
// test ends (before the server stops: cleanups run last-registered first).
func startChromium(t *testing.T) *chromium {
	t.Helper()
	path := chromiumPath(t)
	out := &lockedBuffer{}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		// Exactly these flags (design.md): without the networking ones Chromium keeps
		// opening connections that a closed network refuses.
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.CombinedOutput(out),
	)
	root, cancelRoot := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelRoot() // waits until the browser has stopped
		cancelAlloc()
		if t.Failed() {
			t.Logf("Chromium's output (its end, D-Bus complaints left out):\n%s", chromiumLog(out.String()))
		}
	})
	// The first Do starts the browser. It gets a context without a timeout: the browser
	// lives as long as the context of its first Do.
	if err := chromedp.Do(root); err != nil {
		t.Fatalf("starting Chromium (%s): %v\n%s", path, err, chromiumLog(out.String()))
	}
	return &chromium{root: root}
}

// browserTab is one player's tab, in a browser context (cookies, storage) of its own.
type browserTab struct {
	name       string
	ctx        context.Context // the tab's life; steps get a timeout derived from it
	cancel     context.CancelFunc
	javascript bool

	mu      sync.Mutex
	dialogs []string // JavaScript dialogs the page opened: there must be none
}

// probeJS runs in every document of a tab with JavaScript, before the page's own scripts.
// It counts htmx's requests under way, the times the viewer's hand (#hand) and the
// facilitator's list (#people) were replaced, and the fetches of /hand and /people, and
// defines
//   - __ppTest.idle(): no request under way and no swapped-in content still to settle.
//     htmx processes new content (gives its forms their hx-post, fires
//     hx-trigger="load") only when it settles, 20 ms after the swap: a click before that
//     would submit the form the plain way and reload the page.
//   - __ppTest.live(): the page is live and settled: its stream is open and has sent at
//     least one message (the whole room, on subscribing), htmx is idle, and the hand is
//     the one the stream says the page should show (#hand's data-hand-key is
//     #hand-sync's, when the stream has sent one): no fetch of the hand is still to come
//     that could replace it under a click.
//
// The probe changes nothing in the page.
const probeJS = `(function () {
  var pending = new Set();
  var s = window.__ppTest = {
    sseOpen: 0, messages: 0, handLoads: 0, handFetches: 0, peopleLoads: 0, peopleFetches: 0, pending: 0, errors: [],
    idle: function () { return pending.size === 0 && !document.querySelector(".htmx-added, .htmx-settling, .htmx-swapping"); },
    live: function () {
      if (!(s.sseOpen > 0 && s.messages > 0 && s.idle())) return false;
      var sync = document.getElementById("hand-sync"), hand = document.getElementById("hand");
      var want = sync && sync.getAttribute("data-hand-key");
      return !want || !hand || want === hand.getAttribute("data-hand-key");
    }
  };
  var on = function (name, f) { document.addEventListener(name, function (e) { f(e.detail || {}); }); };
  on("htmx:sseOpen", function () { s.sseOpen++; });
  on("htmx:sseMessage", function () { s.messages++; });
  // A part is replaced when the element of its id is another one: by a fetch, by the
  // answer to the viewer's own action, or by the stream. The first one seen is the
  // page's own.
  var shown = {};
  var replaced = function () {
    ["hand", "people"].forEach(function (id) {
      var e = document.getElementById(id);
      if (!e) return;
      if (shown[id] && shown[id] !== e) s[id + "Loads"]++;
      shown[id] = e;
    });
  };
  new MutationObserver(replaced).observe(document, { childList: true, subtree: true });
  var finish = function (d) {
    if (!pending.delete(d.xhr)) return;
    s.pending = pending.size;
  };
  on("htmx:beforeRequest", function (d) {
    pending.add(d.xhr); s.pending = pending.size;
    var path = (d.pathInfo && d.pathInfo.requestPath) || (d.requestConfig && d.requestConfig.path) || "";
    if (/\/hand(\?|$)/.test(path)) s.handFetches++;
    if (/\/people(\?|$)/.test(path)) s.peopleFetches++;
    // htmx announces a request's end on the element that sent it, or on its nearest
    // ancestor still in the page; when the room's stream replaced the element and its
    // ancestors meanwhile, nobody hears of it: the XHR's own end tells.
    d.xhr.addEventListener("loadend", function () { finish(d); });
  });
  // After the swap (htmx swaps before it fires this, and before the XHR's loadend).
  on("htmx:afterRequest", function (d) { finish(d); });
  ["htmx:sseError", "htmx:responseError", "htmx:sendError", "htmx:swapError", "htmx:oobErrorNoTarget"].forEach(function (name) {
    on(name, function () { s.errors.push(name); });
  });
})();`

// openTab opens a player's tab in a new browser context: cookies and storage of its own,
// as a person on another machine has.
func (c *chromium) openTab(t *testing.T, name string, javascript bool) *browserTab {
	t.Helper()
	return newTab(t, c.root, name, javascript, chromedp.WithNewBrowserContext())
}

// openPeople opens a tab with JavaScript for each person, each in a browser context of
// its own (people on machines of their own), and checks at the end of the test that none
// of them saw a dialog. The tabs belong to the test itself, so they outlive its subtests.
func (c *chromium) openPeople(t *testing.T, names ...string) []*browserTab {
	t.Helper()
	tabs := make([]*browserTab, len(names))
	for i, name := range names {
		tabs[i] = c.openTab(t, name, true)
	}
	t.Cleanup(func() {
		for _, tab := range tabs {
			tab.checkNoDialogs(t)
		}
	})
	return tabs
}

// openSibling opens another tab in b's browser context: the same player, with the same
// cookies. It lives until the test ends or it is closed, or b is.
func (b *browserTab) openSibling(t *testing.T, name string) *browserTab {
	t.Helper()
	return newTab(t, b.ctx, name, b.javascript)
}

// newTab opens a tab with a desktop viewport, the probe (or no JavaScript at all), and a
// watch for JavaScript dialogs. The tab is closed when the test ends.
func newTab(t *testing.T, parent context.Context, name string, javascript bool, opts ...chromedp.ContextOption) *browserTab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(parent, opts...)
	tab := &browserTab{name: name, ctx: ctx, cancel: cancel, javascript: javascript}
	t.Cleanup(tab.close)
	// The first Do opens the tab, with no timeout: the tab lives as long as ctx.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("%s: opening a tab: %v", name, err)
	}
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return // the tab is closed
			}
			tab.mu.Lock()
			tab.dialogs = append(tab.dialogs, fmt.Sprintf("%s %q on %s", ev.Type, ev.Message, ev.URL))
			tab.mu.Unlock()
			// Dismiss it, so that the page goes on and the test can report it.
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{})
		}
	}()
	steps := []chromedp.Action[chromedp.Void]{emulateScreen(desktopSize, "light")}
	if javascript {
		steps = append(steps, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: probeJS})
			return err
		}))
	} else {
		steps = append(steps, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
	}
	tab.do(t, "set up the tab", steps...)
	return tab
}

// close closes the tab, as a player closing it would. It is safe to call twice.
func (b *browserTab) close() { b.cancel() }

// checkNoDialogs fails the test when the page opened a JavaScript dialog (an alert from
// injected markup, for one).
func (b *browserTab) checkNoDialogs(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.dialogs) > 0 {
		t.Errorf("%s's page opened JavaScript dialogs: %v", b.name, b.dialogs)
	}
}

// do runs steps in the tab, within browserStepTimeout.
func (b *browserTab) do(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %s: %v%s", b.name, what, err, b.diagnose())
	}
}

// tabRun runs one action that returns a value, within browserStepTimeout.
func tabRun[T any](t *testing.T, b *browserTab, what string, action chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		t.Fatalf("%s: %s: %v%s", b.name, what, err, b.diagnose())
	}
	return v
}

// tabEval evaluates a JavaScript expression in the page.
func tabEval[T any](t *testing.T, b *browserTab, expr string) T {
	t.Helper()
	return tabRun(t, b, "evaluate "+expr, chromedp.Evaluate[T](expr))
}

// navigate loads url and waits for the page to load; it returns the HTTP status of the
// document (after redirects), 0 for a page without one.
func (b *browserTab) navigate(t *testing.T, url string) int64 {
	t.Helper()
	res := tabRun(t, b, "open "+url, chromedp.NavigateResponse(url))
	if res == nil {
		return 0 // about:blank
	}
	return res.Status
}

// submit clicks a button that submits a form the plain way (a POST answered with a
// redirect), waits for the page it leads to, and returns that page's path.
func (b *browserTab) submit(t *testing.T, what, button string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(button)))
	if err != nil {
		t.Fatalf("%s: %s: %v%s", b.name, what, err, b.diagnose())
	}
	if res.Status != 200 {
		t.Fatalf("%s: %s: the page came back with %d (%s)%s", b.name, what, res.Status, res.URL, b.diagnose())
	}
	return tabEval[string](t, b, "location.pathname")
}

// click clicks an element of the page once htmx has settled (htmx then sends the
// request).
func (b *browserTab) click(t *testing.T, sel string) {
	t.Helper()
	if b.javascript {
		b.waitFor(t, "htmx settled before clicking "+sel, "window.__ppTest?.idle()")
	}
	b.do(t, "click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// waitFor polls a JavaScript condition in the page until it holds.
func (b *browserTab) waitFor(t *testing.T, what, cond string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](cond,
		chromedp.WithPollingInterval(browserPollEvery),
		chromedp.WithPollingTimeout(browserStepTimeout-time.Second)))
	if err != nil {
		t.Fatalf("%s's screen: %s: not within %s (%v)\n  condition: %s%s", b.name, what, browserStepTimeout, err, cond, b.diagnose())
	}
}

// waitLive waits until the page is live and settled (__ppTest.live()): its stream open
// and heard from, htmx idle, and its hand the one the stream says it should show. A page
// that was just loaded (or reloaded) is live once its stream has sent it the room; it
// fetches nothing for that, its hand was drawn with the page.
func (b *browserTab) waitLive(t *testing.T) {
	t.Helper()
	b.waitFor(t, "the page live (its stream open and heard from, htmx settled, the hand the stream's)", "window.__ppTest?.live()")
}

// handLoads is how often this page's hand (#hand) has been replaced since it loaded: by
// a fetch when the stream says the page shows another hand than its own (a new round, a
// reveal, a new role or rules), or by the answer to the viewer's own action.
func (b *browserTab) handLoads(t *testing.T) int {
	t.Helper()
	return tabEval[int](t, b, "window.__ppTest.handLoads")
}

// handFetches is how often this page has fetched its hand (GET /room/{code}/hand) since
// it loaded.
func (b *browserTab) handFetches(t *testing.T) int {
	t.Helper()
	return tabEval[int](t, b, "window.__ppTest.handFetches")
}

// waitHandReplaced waits until the page's hand has been replaced (more than `since`
// times in all) and the page is live again. Until then the hand may still be replaced
// under the player, wiping what they typed.
func (b *browserTab) waitHandReplaced(t *testing.T, since int) {
	t.Helper()
	b.waitFor(t, fmt.Sprintf("the hand replaced (after %d times) and the page live", since),
		fmt.Sprintf("window.__ppTest?.handLoads > %d && window.__ppTest.live()", since))
}

// checkNoHandFetch fails the test when the page fetched its hand more than `since`
// times: the stream's messages are enough for what happened since.
func (b *browserTab) checkNoHandFetch(t *testing.T, since int, after string) {
	t.Helper()
	if n := b.handFetches(t); n != since {
		t.Errorf("%s's page fetched its hand %d times after %s, want none (the stream's message is enough)", b.name, n-since, after)
	}
}

// diagnose describes the page for a failure message: where it is, the probe's counts and
// the room's parts.
func (b *browserTab) diagnose() string {
	if b.ctx.Err() != nil {
		return "\n  (the tab is closed)"
	}
	ctx, cancel := context.WithTimeout(b.ctx, 3*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function () {
  var part = function (sel) {
    var e = document.querySelector(sel);
    return e ? e.outerHTML.replace(/\s+/g, " ").slice(0, 4000) : "(none)";
  };
  return "url: " + location.href + "\n  probe: " + JSON.stringify(window.__ppTest || null) +
    (window.__ppTest ? ", idle: " + window.__ppTest.idle() + ", live: " + window.__ppTest.live() : "") +
    "\n  #round: " + part("#round") + "\n  #players: " + part("#players") + "\n  #hand: " + part("#hand") + "\n  #hand-sync: " + part("#hand-sync");
})()`))
	if err != nil {
		return "\n  (could not describe the page: " + err.Error() + ")"
	}
	return "\n  " + s
}

// JavaScript expressions for waitFor and tabEval.

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// jsText is the text of the first element that sel matches, spaces collapsed; "" when
// there is none.
func jsText(sel string) string {
	return fmt.Sprintf(`(document.querySelector(%s)?.textContent ?? "").replace(/\s+/g, " ").trim()`, jsString(sel))
}

func jsTextIs(sel, want string) string { return jsText(sel) + " === " + jsString(want) }

func jsAttrIs(sel, name, want string) string {
	return fmt.Sprintf(`document.querySelector(%s)?.getAttribute(%s) === %s`, jsString(sel), jsString(name), jsString(want))
}

func jsCount(sel string) string {
	return fmt.Sprintf(`document.querySelectorAll(%s).length`, jsString(sel))
}

func jsPresent(sel string) string { return jsCount(sel) + " > 0" }

func jsAll(conds ...string) string { return "(" + strings.Join(conds, ") && (") + ")" }

// playerSel selects a player's row in the players list.
func playerSel(id string) string { return `#players li[data-testid="player-` + id + `"]` }

// aliasOnScreen is the alias a browser shows a player under, found by their name once
// they are listed: pages name every player, the viewer included, by alias, never by id.
func aliasOnScreen(t *testing.T, tab *browserTab, name string) string {
	t.Helper()
	row := fmt.Sprintf(`Array.from(document.querySelectorAll("#players li[data-testid^=player-]")).find(li => li.querySelector("[data-testid=player-name]")?.textContent === %s)`, jsString(name))
	tab.waitFor(t, name+" listed", row+" !== undefined")
	return strings.TrimPrefix(tabEval[string](t, tab, row+".dataset.testid"), "player-")
}

// jsPlayerNames lists the names the players list shows, as text.
const jsPlayerNames = `Array.from(document.querySelectorAll("#players [data-testid=player-name]"), e => e.textContent)`

// The WebSocket side: a player of the JSON/WebSocket API (as the Vue frontend is), read
// with explicit *testing.T so that it can be used inside subtests.

// wsAwait reads c's messages until one of type typ that match accepts (any, when match is
// nil), skipping the others: browsers come and go, and their CONNECTED and DISCONNECTED
// may come in between.
func wsAwait(t *testing.T, c *wsClient, typ string, match func(json.RawMessage) bool) json.RawMessage {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), browserStepTimeout)
	defer cancel()
	var skipped []string
	for {
		_, data, err := c.conn.Read(ctx)
		if err != nil {
			t.Fatalf("WebSocket player %s: no %s within %s (skipped %v): %v", c.id, typ, browserStepTimeout, skipped, err)
		}
		var m message
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("WebSocket player %s: not JSON: %s", c.id, data)
		}
		if m.Type == typ && (match == nil || match(m.Payload)) {
			return m.Payload
		}
		skipped = append(skipped, m.Type+" "+lastChars(string(m.Payload), 120))
	}
}

// aboutPlayer accepts a payload that is the Player id (or a PlayerState of it).
func aboutPlayer(id string) func(json.RawMessage) bool {
	return func(p json.RawMessage) bool {
		var v struct {
			ID     string  `json:"id"`
			Player *player `json:"player"`
		}
		if json.Unmarshal(p, &v) != nil {
			return false
		}
		if v.Player != nil {
			return v.Player.ID == id
		}
		return v.ID == id
	}
}

func wsSendMsg(t *testing.T, c *wsClient, typ string, payload any) {
	t.Helper()
	data, err := json.Marshal(map[string]any{"type": typ, "payload": payload})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.conn.Write(ctx, websocket.MessageText, data); err != nil {
		t.Fatalf("WebSocket player %s: send %s: %v", c.id, typ, err)
	}
}

// wsState asks for the state and returns it. Call it outside a revealed round (the
// REVEALGAME that follows such a STATE is left unread).
func wsState(t *testing.T, c *wsClient) gameState {
	t.Helper()
	wsSendMsg(t, c, "SYNC", nil)
	var st gameState
	if err := json.Unmarshal(wsAwait(t, c, "STATE", nil), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// playerIDByName finds a player's id in a STATE by username: a browser player's id is
// derived from a secret cookie, so this is how the others learn it.
func playerIDByName(t *testing.T, st gameState, username string) string {
	t.Helper()
	for id, ps := range st.PlayerStates {
		if ps.Player.Username == username {
			return id
		}
	}
	t.Fatalf("no player named %q in the state: %+v", username, st.PlayerStates)
	return ""
}

// Screenshots.

// screenshotDir is PP_SCREENSHOTS, by default the repository's screenshots/ folder (git
// ignores it), created when missing.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("PP_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("screenshots folder: %v", err)
	}
	return dir
}

type screenSize struct {
	name          string
	width, height int64
	mobile        bool
}

var (
	desktopSize = screenSize{"desktop", 1280, 900, false}
	phoneSize   = screenSize{"phone", 390, 844, true}
)

// emulateScreen sets the viewport (a phone's with mobile emulation) and the colour scheme
// that the page's media queries see.
func emulateScreen(size screenSize, scheme string) chromedp.Action[chromedp.Void] {
	viewport := chromedp.EmulateViewport(size.width, size.height)
	if size.mobile {
		viewport = chromedp.EmulateViewport(size.width, size.height, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	return chromedp.Steps(viewport, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	}))
}

// fullPagePNG captures the whole page, below the fold too.
func fullPagePNG(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
	m, err := cdp.Call(ctx, tg, page.GetLayoutMetrics, cdp.Empty{})
	if err != nil {
		return nil, err
	}
	if m.CSSLayoutViewport == nil || m.CSSContentSize == nil {
		return nil, fmt.Errorf("no layout metrics")
	}
	res, err := cdp.Call(ctx, tg, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format:                page.CaptureScreenshotFormatPng,
		CaptureBeyondViewport: new(true),
		FromSurface:           new(true),
		Clip: &page.Viewport{
			Width:  float64(m.CSSLayoutViewport.ClientWidth),
			Height: max(m.CSSContentSize.Height, float64(m.CSSLayoutViewport.ClientHeight)),
			Scale:  1,
		},
	})
	return res.Data, err
}

// shoot emulates a screen size and a colour scheme, and writes the whole page as
// <dir>/<name>-<size>-<scheme>.png. The emulation stays until the next one.
func (b *browserTab) shoot(t *testing.T, dir, name string, size screenSize, scheme string) {
	t.Helper()
	b.do(t, "emulate a "+scheme+" "+size.name, emulateScreen(size, scheme))
	b.waitFor(t, "the "+scheme+" colour scheme at "+size.name+" width", jsAll(
		fmt.Sprintf(`matchMedia("(prefers-color-scheme: %s)").matches`, scheme),
		fmt.Sprintf(`window.innerWidth === %d`, size.width)))
	png := tabRun(t, b, "screenshot", fullPagePNG)
	file := filepath.Join(dir, name+"-"+size.name+"-"+scheme+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatalf("writing the screenshot: %v", err)
	}
	abs, _ := filepath.Abs(file)
	t.Logf("screenshot: %s (%d bytes)", abs, len(png))
}

// chromiumLog is the end of what Chromium printed, without its complaints that a
// container has no D-Bus.
func chromiumLog(out string) string {
	var keep []string
	for line := range strings.Lines(out) {
		if !strings.Contains(line, "dbus") {
			keep = append(keep, line)
		}
	}
	return lastChars(strings.Join(keep, ""), 3000)
}

func lastChars(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// scenarioStep runs one step of a scenario as a subtest, and stops the scenario when it
// fails: the later steps build on it.
func scenarioStep(t *testing.T, name string, f func(t *testing.T)) {
	t.Helper()
	if !t.Run(name, f) {
		t.FailNow()
	}
}

var roomURLPath = regexp.MustCompile(`^/room/([a-z0-9]+)$`)

// TestBrowserRoom is a whole round in two browsers and one WebSocket client: Ann opens a
// room from the home page, Bob takes a seat through the share link with a name made of
// markup, Carol joins over the API; they vote, Ann reveals, starts the next round, Bob
// observes and then closes his tab. Every change shows live on the other screens.
func TestBrowserRoom(t *testing.T) {
	s := startServer(t, nil)
	br := startChromium(t)
	shots := screenshotDir(t)
	// Two people on two machines. The tabs are opened here, in the test itself, since
	// they must outlive the subtests.
	people := br.openPeople(t, "Ann", "Bob")
	ann, bob := people[0], people[1]

	const (
		roomName = "Sprint <42>"
		bobName  = `<img src=x onerror=alert(1)>`
		ticket   = "https://tracker.example.com/PP-7"
	)
	var code, shareLink string

	scenarioStep(t, "Ann opens a room from the home page and lands in it", func(t *testing.T) {
		if status := ann.navigate(t, s.base+"/"); status != 200 {
			t.Fatalf("home page: %d", status)
		}
		ann.shoot(t, shots, "home", desktopSize, "light")
		fibonacci := `//label[contains(@class, "deck-choice")][.//strong[normalize-space()="Fibonacci"]]//input[@name="deck_id"]`
		ann.do(t, "fill in the create form",
			chromedp.SendKeys(chromedp.ID("room-name"), roomName),
			chromedp.SendKeys(chromedp.ID("your-name"), "Ann"),
			chromedp.Click(chromedp.Search(fibonacci)),
			chromedp.Click(chromedp.CSS(`[data-testid=create-form] input[name=timer]`)),
			chromedp.Clear(chromedp.ID("timer-max")),
			chromedp.SendKeys(chromedp.ID("timer-max"), "5"),
			chromedp.Clear(chromedp.ID("timer-warn")),
			chromedp.SendKeys(chromedp.ID("timer-warn"), "4"),
		)
		form := tabEval[map[string]any](t, ann, `(function () {
  var f = document.querySelector("[data-testid=create-form]");
  var deck = f.querySelector("input[name=deck_id]:checked");
  return {room: f.room_name.value, you: f.your_name.value, deck: deck && deck.closest("label").querySelector("strong").textContent,
    timer: f.timer.checked, max: f.timer_max.value, warn: f.timer_warn.value};
})()`)
		want := map[string]any{"room": roomName, "you": "Ann", "deck": "Fibonacci", "timer": true, "max": "5", "warn": "4"}
		if fmt.Sprint(form) != fmt.Sprint(want) {
			t.Fatalf("the form holds %v, want %v", form, want)
		}
		path := ann.submit(t, "open the room", `[data-testid=create-form] button[type=submit]`)
		m := roomURLPath.FindStringSubmatch(path)
		if m == nil {
			t.Fatalf("after opening the room the browser is at %q, want /room/{code}", path)
		}
		code = m[1]
		ann.waitLive(t) // the stream is open: the page is live
		if got := tabEval[string](t, ann, jsText("[data-testid=room-name]")); got != roomName {
			t.Errorf("the room's name shows as %q, want %q", got, roomName)
		}
		if n := tabEval[int](t, ann, `document.querySelector("[data-testid=room-name]").children.length`); n != 0 {
			t.Errorf("the room's name made %d elements", n)
		}
		if got := tabEval[string](t, ann, jsText("[data-testid=room-code]")); got != code {
			t.Errorf("the room code shows as %q, want %q", got, code)
		}
		shareLink = tabRun(t, ann, "read the share link", chromedp.Value(chromedp.CSS("[data-testid=share-link]")))
		if shareLink != s.base+"/join/"+code {
			t.Errorf("share link %q, want %q", shareLink, s.base+"/join/"+code)
		}
	})

	scenarioStep(t, "Bob takes a seat through the share link, his markup name shown as text", func(t *testing.T) {
		if status := bob.navigate(t, shareLink); status != 200 {
			t.Fatalf("share link: %d", status)
		}
		bob.do(t, "type his name", chromedp.SendKeys(chromedp.ID("join-name"), bobName))
		if got := tabRun(t, bob, "read his name", chromedp.Value(chromedp.ID("join-name"))); got != bobName {
			t.Fatalf("the name field holds %q", got)
		}
		if path := bob.submit(t, "take a seat", `[data-testid=join-form] button[type=submit]`); path != "/room/"+code {
			t.Fatalf("after taking a seat Bob is at %q, want /room/%s", path, code)
		}
		// No page fetches its hand for a join: Bob's was drawn with his page, and
		// nothing replaces Ann's (and the ticket link she is about to type).
		bob.waitLive(t)
		for _, tab := range []*browserTab{ann, bob} {
			tab.waitFor(t, "Bob listed by his name, as text", fmt.Sprintf(`%s.includes(%s)`, jsPlayerNames, jsString(bobName)))
			if n := tabEval[int](t, tab, jsCount("#players img")); n != 0 {
				t.Errorf("%s's screen: %d <img> elements in #players", tab.name, n)
			}
			if n := tabEval[int](t, tab, jsCount("img")); n != 0 {
				t.Errorf("%s's screen: %d <img> elements on the page", tab.name, n)
			}
			tab.checkNoDialogs(t)
			tab.waitLive(t)
			tab.checkNoHandFetch(t, 0, "loading the room and Bob's joining")
		}
	})

	// Carol is a player of the WebSocket API. She connects here, in the test itself: her
	// connection must outlive the subtests.
	carolID := s.join(t, code, "Carol")
	carol := s.connect(t, carolID, code)
	var annID, bobID string                   // as Carol's socket names them
	var annAlias, bobAlias, carolAlias string // as the pages name them

	scenarioStep(t, "Carol joins over the WebSocket API and shows live in both browsers", func(t *testing.T) {
		st := wsState(t, carol)
		annID = playerIDByName(t, st, "Ann")
		bobID = playerIDByName(t, st, bobName)
		if len(st.PlayerStates) != 3 || !st.PlayerStates[annID].IsAdmin || !st.PlayerStates[annID].IsConnected || !st.PlayerStates[bobID].IsConnected {
			t.Errorf("Carol's STATE: %+v", st.PlayerStates)
		}
		annAlias, bobAlias, carolAlias = aliasOnScreen(t, ann, "Ann"), aliasOnScreen(t, ann, bobName), aliasOnScreen(t, ann, "Carol")
		if carolAlias == carolID {
			t.Errorf("Ann's page shows Carol's id")
		}
		for _, tab := range []*browserTab{ann, bob} {
			tab.waitFor(t, "Carol listed, connected", jsAll(
				jsAttrIs(playerSel(carolAlias), "data-connected", "true"),
				jsTextIs(playerSel(carolAlias)+" [data-testid=player-name]", "Carol")))
			tab.waitFor(t, "Ann's and Bob's rows under the aliases Ann's page shows, with their names as text", jsAll(
				jsTextIs(playerSel(annAlias)+" [data-testid=player-name]", "Ann"),
				jsTextIs(playerSel(bobAlias)+" [data-testid=player-name]", bobName)))
		}
	})

	scenarioStep(t, "Ann starts a round with a ticket link", func(t *testing.T) {
		annLoads, bobLoads := ann.handLoads(t), bob.handLoads(t)
		ann.do(t, "type the ticket link", chromedp.SendKeys(chromedp.CSS("[data-testid=ticket-input]"), ticket))
		if v := tabRun(t, ann, "read the ticket field", chromedp.Value(chromedp.CSS("[data-testid=ticket-input]"))); v != ticket {
			t.Fatalf("the ticket field holds %q", v)
		}
		ann.click(t, "[data-testid=start]")
		for _, tab := range []*browserTab{ann, bob} {
			tab.waitFor(t, "the round voting, with the ticket link and the timer", jsAll(
				jsTextIs("#round [data-testid=round-state]", "Voting"),
				jsTextIs("#round [data-testid=story-link]", ticket),
				jsAttrIs("#round [data-testid=story-link]", "href", ticket),
				jsPresent("#round [data-testid=timer]"),
				jsTextIs("#round [data-testid=voted-count]", "0 of 3 voted")))
		}
		var got *string
		if err := json.Unmarshal(wsAwait(t, carol, "RESETGAME", nil), &got); err != nil || got == nil || *got != ticket {
			t.Errorf("Carol's RESETGAME carries %v (%v), want %q", got, err, ticket)
		}
		ann.waitHandReplaced(t, annLoads)
		bob.waitHandReplaced(t, bobLoads)
		bob.waitFor(t, "Bob's cards open", jsAll(jsPresent("#hand [data-testid=card-5]"), jsCount("#hand button.card:disabled")+" === 0"))
		ann.waitFor(t, "the ticket field emptied for the next round", `document.querySelector("[data-testid=ticket-input]").value === ""`)
	})

	scenarioStep(t, "Bob picks 5 and Carol 8: both browsers see who voted, not the value", func(t *testing.T) {
		annFetches, bobFetches := ann.handFetches(t), bob.handFetches(t)
		bob.click(t, "[data-testid=card-5]")
		bob.waitFor(t, "Bob's 5 pressed", jsAll(
			jsAttrIs("#hand [data-testid=card-5]", "aria-pressed", "true"),
			jsCount(`#hand button.card[aria-pressed="true"]`)+" === 1"))
		ann.waitFor(t, "Bob voted", jsAttrIs(playerSel(bobAlias), "data-voted", "true"))
		wsAwait(t, carol, "PLAYERVOTED", aboutPlayer(bobID))

		wsSendMsg(t, carol, "SUBMITVOTE", 8)
		for _, tab := range []*browserTab{ann, bob} {
			tab.waitFor(t, "Carol and Bob voted, Ann not", jsAll(
				jsAttrIs(playerSel(carolAlias), "data-voted", "true"),
				jsAttrIs(playerSel(bobAlias), "data-voted", "true"),
				jsAttrIs(playerSel(annAlias), "data-voted", "false"),
				jsTextIs("#round [data-testid=voted-count]", "2 of 3 voted")))
			if n := tabEval[int](t, tab, jsCount("#players [data-testid=vote]")); n != 0 {
				t.Errorf("%s's screen shows %d vote slots before the reveal", tab.name, n)
			}
		}
		wsAwait(t, carol, "PLAYERVOTED", aboutPlayer(carolID))
		// A vote changes nobody's hand but the voter's, whose answer brings it.
		for _, tab := range []*browserTab{ann, bob} {
			tab.waitLive(t)
		}
		ann.checkNoHandFetch(t, annFetches, "the votes")
		bob.checkNoHandFetch(t, bobFetches, "the votes")
	})

	scenarioStep(t, "Ann picks 3 and reveals: everyone sees 3, 5, 8 and the average", func(t *testing.T) {
		annLoads, bobLoads := ann.handLoads(t), bob.handLoads(t)
		ann.click(t, "[data-testid=card-3]")
		ann.waitFor(t, "Ann's 3 pressed", jsAttrIs("#hand [data-testid=card-3]", "aria-pressed", "true"))
		ann.click(t, "[data-testid=reveal]")
		for _, tab := range []*browserTab{ann, bob} {
			tab.waitFor(t, "the votes revealed", jsAll(
				jsTextIs("#round [data-testid=round-state]", "Revealed"),
				jsTextIs(playerSel(annAlias)+" [data-testid=vote]", "3"),
				jsTextIs(playerSel(bobAlias)+" [data-testid=vote]", "5"),
				jsTextIs(playerSel(carolAlias)+" [data-testid=vote]", "8"),
				jsText("#round [data-testid=average]")+`.startsWith("5.33")`))
		}
		raw := wsAwait(t, carol, "REVEALGAME", nil)
		if !strings.Contains(string(raw), `"`+bobID+`":5.0`) {
			t.Errorf("Carol's REVEALGAME does not carry Bob's vote as 5.0: %s", raw)
		}
		var votes map[string]*float64
		if err := json.Unmarshal(raw, &votes); err != nil {
			t.Fatal(err)
		}
		for id, want := range map[string]float64{annID: 3, bobID: 5, carolID: 8} {
			if v := votes[id]; v == nil || *v != want {
				t.Errorf("Carol's REVEALGAME: %s voted %v, want %v (%v)", id, v, want, votes)
			}
		}
		ann.waitHandReplaced(t, annLoads)
		bob.waitHandReplaced(t, bobLoads)
	})

	scenarioStep(t, "screenshots of Ann's room, light and dark, desktop and phone", func(t *testing.T) {
		// pokerd.js labels the theme button when the page loads, so the room is loaded
		// again in the dark scheme, as someone whose system is dark loads it. Each load
		// subscribes again: the page is live once the stream has sent it the room.
		reloadIn := func(scheme, themeButton string) {
			ann.do(t, "load the room in the "+scheme+" scheme", emulateScreen(desktopSize, scheme), chromedp.Reload())
			ann.waitLive(t)
			ann.waitFor(t, "the revealed round again, and the theme button", jsAll(
				jsTextIs("#round [data-testid=round-state]", "Revealed"),
				jsTextIs(playerSel(bobAlias)+" [data-testid=vote]", "5"),
				jsTextIs("[data-theme-toggle]", themeButton)))
		}
		// The tab has been light since it opened.
		ann.waitFor(t, "the theme button", jsTextIs("[data-theme-toggle]", "Dark theme"))
		ann.shoot(t, shots, "room", desktopSize, "light")
		ann.shoot(t, shots, "room", phoneSize, "light")
		reloadIn("dark", "Light theme")
		ann.shoot(t, shots, "room", desktopSize, "dark")
		ann.shoot(t, shots, "room", phoneSize, "dark")
		reloadIn("light", "Dark theme")
	})

	scenarioStep(t, "Ann starts the next round: the votes are cleared everywhere, Bob's hand too", func(t *testing.T) {
		annLoads, bobLoads := ann.handLoads(t), bob.handLoads(t)
		if v := tabRun(t, ann, "read the ticket field", chromedp.Value(chromedp.CSS("[data-testid=ticket-input]"))); v != "" {
			t.Fatalf("the ticket field holds %q", v)
		}
		ann.click(t, "[data-testid=start]")
		for _, tab := range []*browserTab{ann, bob} {
			tab.waitFor(t, "a new round, nobody voted, no ticket", jsAll(
				jsTextIs("#round [data-testid=round-state]", "Voting"),
				jsCount(`#players li[data-voted="true"]`)+" === 0",
				jsCount("#players [data-testid=vote]")+" === 0",
				jsCount("#round [data-testid=story-link]")+" === 0"))
		}
		var got *string
		if err := json.Unmarshal(wsAwait(t, carol, "RESETGAME", nil), &got); err != nil || got != nil {
			t.Errorf("Carol's RESETGAME carries %v (%v), want null", got, err)
		}
		ann.waitHandReplaced(t, annLoads)
		bob.waitHandReplaced(t, bobLoads)
		for _, tab := range []*browserTab{ann, bob} {
			tab.waitFor(t, "no card pressed", jsAll(
				jsPresent("#hand button.card"),
				jsCount(`#hand button.card[aria-pressed="true"]`)+" === 0",
				jsCount("#hand button.card:disabled")+" === 0"))
		}
	})

	scenarioStep(t, "Bob observes: Ann sees it, his cards are disabled", func(t *testing.T) {
		bob.click(t, "[data-testid=observe]")
		bob.waitFor(t, "Bob observing, his cards disabled", jsAll(
			jsAttrIs("#hand [data-testid=observe]", "aria-pressed", "true"),
			jsPresent("#hand button.card"),
			jsCount("#hand button.card:not(:disabled)")+" === 0"))
		ann.waitFor(t, "Bob tagged observing", jsAll(
			jsPresent(playerSel(bobAlias)+" [data-testid=observing]"),
			jsTextIs("#round [data-testid=voted-count]", "0 of 2 voted")))
		wsAwait(t, carol, "OBSERVING", aboutPlayer(bobID))
	})

	scenarioStep(t, "Bob leaves: his seat goes, his page says so, and the share link seats him again", func(t *testing.T) {
		if path := bob.submit(t, "leave", "[data-testid=leave]"); path != "/room/"+code+"/left" {
			t.Fatalf("leave led to %s", path)
		}
		bob.waitFor(t, "You left, with the way back", jsAll(
			jsPresent("[data-testid=rejoin]"),
			`document.querySelector("[data-testid=left-heading]").textContent.startsWith("You left ")`))
		ann.waitFor(t, "Bob gone from the list", jsCount(playerSel(bobAlias))+" === 0")
		if path := tabEval[string](t, bob, "location.pathname"); path != "/room/"+code+"/left" {
			t.Fatalf("Bob's page is at %s", path)
		}
		bob.waitFor(t, "the way back is the share link", jsAttrIs("[data-testid=rejoin]", "href", "/join/"+code))
		takeSeat(t, s, bob, code, "Bob")
		ann.waitFor(t, "Bob online again", jsAttrIs(playerSel(bobAlias), "data-connected", "true"))
		wsAwait(t, carol, "CONNECTED", aboutPlayer(bobID))
	})

	scenarioStep(t, "Bob closes his tab: he shows offline, Carol gets DISCONNECTED", func(t *testing.T) {
		bob.checkNoDialogs(t)
		bob.close()
		ann.waitFor(t, "Bob offline", jsAttrIs(playerSel(bobAlias), "data-connected", "false"))
		wsAwait(t, carol, "DISCONNECTED", aboutPlayer(bobID))
		ann.waitFor(t, "Ann and Carol still online", jsAll(
			jsAttrIs(playerSel(annAlias), "data-connected", "true"),
			jsAttrIs(playerSel(carolAlias), "data-connected", "true")))
	})
}

// TestBrowserWithoutJavaScript plays as a browser with JavaScript turned off: every form
// is a plain POST answered with a redirect, and the page it leads to shows the result.
func TestBrowserWithoutJavaScript(t *testing.T) {
	s := startServer(t, nil)
	br := startChromium(t)
	dana := br.openTab(t, "Dana", false)
	t.Cleanup(func() { dana.checkNoDialogs(t) })

	if status := dana.navigate(t, s.base+"/"); status != 200 {
		t.Fatalf("home page: %d", status)
	}
	// pokerd.js names the theme button after the theme it switches to; without
	// JavaScript it keeps its plain label, and htmx never loads.
	if got := tabEval[string](t, dana, `typeof window.htmx + " " + `+jsText("[data-theme-toggle]")); got != "undefined Theme" {
		t.Fatalf("JavaScript ran in the page: %q", got)
	}
	dana.do(t, "fill in the create form",
		chromedp.SendKeys(chromedp.ID("room-name"), "No script"),
		chromedp.SendKeys(chromedp.ID("your-name"), "Dana"))
	path := dana.submit(t, "open the room", `[data-testid=create-form] button[type=submit]`)
	m := roomURLPath.FindStringSubmatch(path)
	if m == nil {
		t.Fatalf("after opening the room the browser is at %q", path)
	}
	code := m[1]
	if got := tabEval[string](t, dana, jsText("[data-testid=room-name]")); got != "No script" {
		t.Errorf("room name %q", got)
	}
	if got := tabEval[bool](t, dana, jsCount("#hand button.card:not(:disabled)")+" === 0"); !got {
		t.Error("cards are open before the first round")
	}

	if path := dana.submit(t, "start a round", "[data-testid=start]"); path != "/room/"+code {
		t.Fatalf("after starting a round the browser is at %q", path)
	}
	if got := tabEval[string](t, dana, jsText("#round [data-testid=round-state]")); got != "Voting" {
		t.Fatalf("round state %q after starting a round, want Voting", got)
	}

	if path := dana.submit(t, "pick 8", "[data-testid=card-8]"); path != "/room/"+code {
		t.Fatalf("after voting the browser is at %q", path)
	}
	got := tabEval[map[string]any](t, dana, `({
  round: `+jsText("#round [data-testid=round-state]")+`,
  pressed: Array.from(document.querySelectorAll('#hand button.card[aria-pressed="true"]'), b => b.textContent.trim()),
  voted: `+jsText("#round [data-testid=voted-count]")+`,
  me: document.querySelector('#players li[data-voted="true"] [data-testid=player-name]')?.textContent ?? ""
})`)
	want := map[string]any{"round": "Voting", "pressed": []any{"8"}, "voted": "1 of 1 voted", "me": "Dana"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after voting the page shows %v, want %v", got, want)
	}
}

// TestBrowserReconnectShowsCurrentState: a browser whose stream was cut while the room
// moved on shows the room as it is now when it comes back.
//
// Eve's stream is cut by closing her tab, and she comes back in a new tab of the same
// browser (same cookies, same seat). Navigating the tab away does not cut the stream in
// Chromium: the room page goes into the back/forward cache with its event stream open,
// and the server counts Eve as connected for another minute.
func TestBrowserReconnectShowsCurrentState(t *testing.T) {
	s := startServer(t, nil)
	br := startChromium(t)
	code := s.createGame(t, "Reconnect")
	adminID := s.join(t, code, "Admin")
	admin := s.connect(t, adminID, code)
	// Eve's browser: a blank tab that holds her browser context (her cookies), and a
	// tab in it with the room.
	eveBrowser := br.openTab(t, "Eve's browser", true)
	eve := eveBrowser.openSibling(t, "Eve")

	eve.navigate(t, s.base+"/join/"+code)
	eve.do(t, "type her name", chromedp.SendKeys(chromedp.ID("join-name"), "Eve"))
	if path := eve.submit(t, "take a seat", `[data-testid=join-form] button[type=submit]`); path != "/room/"+code {
		t.Fatalf("Eve is at %q", path)
	}
	eve.waitLive(t)
	eve.waitFor(t, "the room before the first round", jsTextIs("#round [data-testid=round-state]", "Waiting for the first round"))
	st := wsState(t, admin)
	eveID := playerIDByName(t, st, "Eve") // as the admin's socket names her
	if !st.PlayerStates[eveID].IsConnected {
		t.Fatalf("Eve is in the room but not connected: %+v", st.PlayerStates[eveID])
	}
	adminAlias, eveAlias := aliasOnScreen(t, eve, "Admin"), aliasOnScreen(t, eve, "Eve")

	// Cut Eve's stream: she closes the tab. The server sees her go.
	eve.checkNoDialogs(t)
	eve.close()
	wsAwait(t, admin, "DISCONNECTED", aboutPlayer(eveID))

	// Meanwhile the room moves on: a round starts and the admin votes.
	wsSendMsg(t, admin, "RESET", nil)
	wsAwait(t, admin, "RESETGAME", nil)
	wsSendMsg(t, admin, "SUBMITVOTE", 13)
	wsAwait(t, admin, "PLAYERVOTED", aboutPlayer(adminID))

	// Eve comes back through the room's link: the page shows the round as it is now.
	eve = eveBrowser.openSibling(t, "Eve, back")
	t.Cleanup(func() { eve.checkNoDialogs(t) })
	if status := eve.navigate(t, s.base+"/room/"+code); status != 200 {
		t.Fatalf("back in the room: %d", status)
	}
	if path := tabEval[string](t, eve, "location.pathname"); path != "/room/"+code {
		t.Fatalf("Eve is at %q, not in the room (her seat was lost?)", path)
	}
	eve.waitFor(t, "the current round: voting, the admin voted, Eve not", jsAll(
		jsTextIs("#round [data-testid=round-state]", "Voting"),
		jsAttrIs(playerSel(adminAlias), "data-voted", "true"),
		jsAttrIs(playerSel(eveAlias), "data-voted", "false"),
		jsTextIs("#round [data-testid=voted-count]", "1 of 2 voted")))
	eve.waitLive(t)
	eve.waitFor(t, "her cards open, none picked", jsAll(
		jsPresent("#hand button.card"),
		jsCount("#hand button.card:disabled")+" === 0",
		jsCount(`#hand button.card[aria-pressed="true"]`)+" === 0"))
	wsAwait(t, admin, "CONNECTED", aboutPlayer(eveID))

	// And the page is live again: the admin reveals, Eve sees it without reloading.
	wsSendMsg(t, admin, "REVEAL", nil)
	eve.waitFor(t, "the reveal, live", jsAll(
		jsTextIs("#round [data-testid=round-state]", "Revealed"),
		jsTextIs(playerSel(adminAlias)+" [data-testid=vote]", "13")))
}
