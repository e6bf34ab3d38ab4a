package main

// Helpers of the browser tests of stories (issue 14): a WebSocket player whose every
// frame is kept (to check what it was sent, not only what a step waited for), the
// backlog panel read from a page, the stream's messages caught in a page, and the
// check that nothing links a player's name to a card.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// wsFrame is one frame a WebSocket player received, whole.
type wsFrame struct {
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload"`
	Story   json.RawMessage `json:"story"` // RESETGAME's sibling of the payload (issue 14)
	Raw     string          `json:"-"`
}

// wsTap reads every frame of a WebSocket player as it comes, and keeps them all: a test
// waits for the ones it expects and checks all of them at the end. Once a player is
// tapped, nothing else may read its connection.
type wsTap struct {
	c *wsClient

	mu     sync.Mutex
	frames []wsFrame
	next   int           // the first frame no await has gone past
	more   chan struct{} // closed when a frame comes or the reading ends
	err    error         // why the reading ended
}

// tapSocket starts reading c's frames; the reading ends with the test, which closes
// the connection.
func tapSocket(t *testing.T, c *wsClient) *wsTap {
	t.Helper()
	w := &wsTap{c: c, more: make(chan struct{})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			_, data, err := c.conn.Read(context.Background())
			w.mu.Lock()
			if err != nil {
				w.err = err
			} else {
				var f wsFrame
				if jerr := json.Unmarshal(data, &f); jerr != nil {
					f = wsFrame{Type: "(not JSON)"}
				}
				f.Raw = string(data)
				w.frames = append(w.frames, f)
			}
			close(w.more)
			w.more = make(chan struct{})
			w.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		_ = c.conn.CloseNow()
		<-done
	})
	return w
}

// await waits for the next frame of type typ that match accepts (any when nil), past
// the frames earlier awaits went past, and returns it.
func (w *wsTap) await(t *testing.T, typ string, match func(wsFrame) bool) wsFrame {
	t.Helper()
	deadline := time.NewTimer(browserStepTimeout)
	defer deadline.Stop()
	for {
		w.mu.Lock()
		for i := w.next; i < len(w.frames); i++ {
			if f := w.frames[i]; f.Type == typ && (match == nil || match(f)) {
				w.next = i + 1
				w.mu.Unlock()
				return f
			}
		}
		more, err, seen := w.more, w.err, w.describe(w.next)
		w.mu.Unlock()
		if err != nil {
			t.Fatalf("WebSocket player %s: no %s before the connection ended (%v); since the last wait: %s", w.c.id, typ, err, seen)
		}
		select {
		case <-more:
		case <-deadline.C:
			t.Fatalf("WebSocket player %s: no %s within %s; since the last wait: %s", w.c.id, typ, browserStepTimeout, seen)
		}
	}
}

// describe lists the frames from i on, shortened, for a failure message. Call it with
// w.mu held.
func (w *wsTap) describe(i int) string {
	var parts []string
	for _, f := range w.frames[i:] {
		parts = append(parts, lastChars(f.Raw, 160))
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, " | ")
}

// all is every frame received so far.
func (w *wsTap) all() []wsFrame {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]wsFrame(nil), w.frames...)
}

// send sends a frame as the Vue frontend does.
func (w *wsTap) send(t *testing.T, typ string, payload any) {
	t.Helper()
	wsSendMsg(t, w.c, typ, payload)
}

// frameAbout accepts a frame whose payload is about the player of this id (a Player, or
// a PlayerState).
func frameAbout(id string) func(wsFrame) bool {
	about := aboutPlayer(id)
	return func(f wsFrame) bool { return about(f.Payload) }
}

// revealedVotes decodes a REVEALGAME's map.
func revealedVotes(t *testing.T, f wsFrame) map[string]*float64 {
	t.Helper()
	var votes map[string]*float64
	if err := json.Unmarshal(f.Payload, &votes); err != nil {
		t.Fatalf("REVEALGAME payload: %v: %s", err, f.Raw)
	}
	return votes
}

// wireStory is the story of a RESETGAME frame, or of STATE's game state.
type wireStory struct {
	Key   string  `json:"key"`
	Title string  `json:"title"`
	Link  *string `json:"link"`
}

// resetStory decodes a RESETGAME's ticket (its payload) and its story (the sibling).
func resetStory(t *testing.T, f wsFrame) (ticket *string, story *wireStory) {
	t.Helper()
	if err := json.Unmarshal(f.Payload, &ticket); err != nil {
		t.Fatalf("RESETGAME's payload is not a link or null: %s", f.Raw)
	}
	if len(f.Story) == 0 {
		t.Fatalf(`RESETGAME has no "story" field beside its payload: %s`, f.Raw)
	}
	if err := json.Unmarshal(f.Story, &story); err != nil {
		t.Fatalf("RESETGAME's story: %v: %s", err, f.Raw)
	}
	return ticket, story
}

func strOrNil(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// The backlog panel, as a page shows it.

// shownStory is one story of the backlog panel.
type shownStory struct {
	ID       string `json:"id"`
	State    string `json:"state"`
	Text     string `json:"text"`
	Estimate string `json:"estimate"` // the text of its story-estimate, "" when none
	Controls int    `json:"controls"` // the runner's buttons it shows
}

// jsBacklog lists the backlog panel's stories, in the order shown.
const jsBacklog = `Array.from(document.querySelectorAll("[data-testid=backlog] [data-testid=backlog-story]"), e => ({
  id: e.getAttribute("data-story-id") || "", state: e.getAttribute("data-state") || "",
  text: e.textContent.replace(/\s+/g, " ").trim(),
  estimate: (e.querySelector("[data-testid=story-estimate]")?.textContent ?? "").replace(/\s+/g, " ").trim(),
  controls: Array.from(e.querySelectorAll("[data-testid=story-start], [data-testid=story-up], [data-testid=story-down], [data-testid=story-edit], [data-testid=story-skip], [data-testid=story-delete]")).filter(
    b => b.checkVisibility({visibilityProperty: true, opacityProperty: true}) && b.getBoundingClientRect().width > 0).length}))`

func shownBacklog(t *testing.T, tab *browserTab) []shownStory {
	t.Helper()
	return tabEval[[]shownStory](t, tab, jsBacklog)
}

// backlogStorySel selects the backlog's story of this id.
func backlogStorySel(id string) string {
	return `[data-testid=backlog] [data-testid=backlog-story][data-story-id="` + id + `"]`
}

// jsStoryStates is the backlog's states in order, "pending,current,…".
const jsStoryStates = `Array.from(document.querySelectorAll("[data-testid=backlog] [data-testid=backlog-story]"), e => e.getAttribute("data-state")).join(",")`

// jsCurrentStory describes the current story as shown: "key|title|link href".
const jsCurrentStory = `(function () {
  var c = document.querySelector("[data-testid=current-story]");
  if (!c) return "(none)";
  var t = function (sel) { return (c.querySelector(sel)?.textContent ?? "").replace(/\s+/g, " ").trim(); };
  var a = c.querySelector("a[data-testid=story-link]");
  return t("[data-testid=story-key]") + "|" + t("[data-testid=story-title]") + "|" + (a ? a.getAttribute("href") : "");
})()`

// fieldValue is the value of a form field.
func fieldValue(t *testing.T, tab *browserTab, sel string) string {
	t.Helper()
	return tabEval[string](t, tab, fmt.Sprintf(`document.querySelector(%s)?.value ?? "(no field)"`, jsString(sel)))
}

// jsVisibleCount counts the elements sel matches that are drawn on the screen (not
// hidden by a rule of the stylesheet, nor inside a closed <details>).
func jsVisibleCount(sel string) string {
	return fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).filter(e => e.checkVisibility({visibilityProperty: true, opacityProperty: true}) && e.getBoundingClientRect().width > 0).length`, jsString(sel))
}

// openDetails opens the <details> that holds sel, as a click on its summary does.
func openDetails(t *testing.T, tab *browserTab, sel string) {
	t.Helper()
	tab.waitFor(t, sel+" there, htmx settled", jsAll(jsPresent(sel), "window.__ppTest.idle()"))
	if tabEval[bool](t, tab, fmt.Sprintf(`document.querySelector(%s).closest("details")?.open === false`, jsString(sel))) {
		tabEval[bool](t, tab, fmt.Sprintf(`(document.querySelector(%s).closest("details").querySelector("summary").click(), true)`, jsString(sel)))
	}
	tab.waitFor(t, sel+" shown", jsVisible(sel))
}

// typeInto empties a field and types text into it, as a person does.
func typeInto(t *testing.T, tab *browserTab, sel, text string) {
	t.Helper()
	tab.waitFor(t, "the field "+sel+", htmx settled", jsAll(jsPresent(sel), "window.__ppTest.idle()"))
	emptyField(t, tab, sel)
	tab.do(t, "type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

// acceptConfirms makes the page's confirmation dialogs answer yes, as a person clicking
// OK does, and keeps their questions in window.__ppConfirms. (The harness dismisses
// and reports a real dialog, which must never open unasked.)
func acceptConfirms(t *testing.T, tab *browserTab) {
	t.Helper()
	tabEval[bool](t, tab, `(window.__ppConfirms = [], window.confirm = function (q) { window.__ppConfirms.push(String(q)); return true; }, true)`)
}

// The stream's messages, as a page receives them.

// sseCaptureJS keeps the data of every message of the room's stream the page receives,
// before htmx swaps it in, in window.__ppSSE.
const sseCaptureJS = `(function () {
  var log = window.__ppSSE = [];
  document.addEventListener("htmx:sseBeforeMessage", function (e) { log.push(String((e.detail && e.detail.data) || "")); });
})();`

// captureStream makes the tab keep its stream's messages from its next page load on.
func captureStream(t *testing.T, tab *browserTab) {
	t.Helper()
	tab.do(t, "catch the stream's messages", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: sseCaptureJS})
		return err
	}))
}

// What "a name linked to a card" means, in a page or a stream message: an item (a row of
// a list or a table, a line of the results, a paragraph, a button, a bar of the chart)
// that names a player (by name in its text, or by alias or id in any attribute of it or
// inside it) and also shows a card that was voted (a word of its text, or a data-card,
// data-value or value attribute). The viewer's own row may show their own card.
//
// jsNameCardLinks defines window.__ppLinks(root, who, own, cards): the items of root
// (the contents of <template>s included, as the stream sends its rows in them) that
// link someone in who (names and aliases) other than own to one of cards, described.
const jsNameCardLinks = `window.__ppLinks = function (root, who, own, cards) {
  var items = "li, tr, dd, dt, p, td, th, button, label, g, figcaption, caption, h1, h2, h3, h4, option, [data-testid=anonymous-card]";
  var every = function (r) {
    var out = [];
    r.querySelectorAll("*").forEach(function (e) {
      out.push(e);
      if (e.tagName === "TEMPLATE") out = out.concat(every(e.content));
    });
    return out;
  };
  var words = function (s) { return s.split(/[\s,;:()\[\]·×|]+/).filter(Boolean); };
  var named = function (el) {
    var text = el.textContent, found = [];
    var inside = [el].concat(every(el));
    who.forEach(function (w) {
      if (own.indexOf(w) >= 0) return;
      if (new RegExp("(^|[^A-Za-z0-9])" + w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "($|[^A-Za-z0-9])").test(text)) { found.push(w); return; }
      if (inside.some(function (e) { return Array.from(e.attributes || []).some(function (a) { return a.value.indexOf(w) >= 0; }); })) found.push(w);
    });
    return found;
  };
  var carded = function (el) {
    var ws = words(el.textContent), found = [];
    cards.forEach(function (c) { if (ws.indexOf(c) >= 0) found.push(c); });
    [el].concat(every(el)).forEach(function (e) {
      ["data-card", "data-value", "value"].forEach(function (a) {
        var v = e.getAttribute && e.getAttribute(a);
        if (v !== null && v !== undefined && cards.indexOf(v) >= 0 && found.indexOf(v) < 0) found.push(v);
      });
    });
    return found;
  };
  var bad = [];
  every(root).forEach(function (el) {
    if (!el.matches || !el.matches(items)) return;
    var n = named(el);
    if (n.length === 0) return;
    var c = carded(el);
    if (c.length === 0) return;
    bad.push(n.join("+") + " with " + c.join("+") + " in <" + el.tagName.toLowerCase() + "> " + el.outerHTML.replace(/\s+/g, " ").slice(0, 300));
  });
  return bad;
}`

// anonymityWatch is what a page may show of the players: their names and aliases, the
// viewer's own, and the cards voted.
type anonymityWatch struct {
	who   []string // every player's name, alias and id
	cards []string // the labels of the cards voted
}

// pageLinks lists the items of tab's page that link a player other than the viewer
// (own: their name and alias) to a card.
func (a anonymityWatch) pageLinks(t *testing.T, tab *browserTab, own []string) []string {
	t.Helper()
	return tabEval[[]string](t, tab, fmt.Sprintf(`(%s, window.__ppLinks(document, %s, %s, %s))`,
		jsNameCardLinks, jsonText(a.who), jsonText(own), jsonText(a.cards)))
}

// streamLinks lists the same for every stream message the page kept since it loaded
// (captureStream), and n is how many it kept. A stream message is the same for
// everyone, so not even the viewer's own card may stand by their name in it (pages
// mark "(you)" themselves).
func (a anonymityWatch) streamLinks(t *testing.T, tab *browserTab) (bad []string, n int) {
	t.Helper()
	got := tabEval[struct {
		Bad []string `json:"bad"`
		N   int      `json:"n"`
	}](t, tab, fmt.Sprintf(`(%s, {n: (window.__ppSSE || []).length, bad: (window.__ppSSE || []).flatMap(function (data, i) {
  var tpl = document.createElement("template");
  tpl.innerHTML = data;
  return window.__ppLinks(tpl.content, %s, %s, %s).map(function (s) { return "message " + (i + 1) + ": " + s; });
})})`, jsNameCardLinks, jsonText(a.who), jsonText([]string{}), jsonText(a.cards)))
	return got.Bad, got.N
}

// jsonLinks lists the JSON objects of a download that hold both a card (a non-null
// "card", "vote" or "value" member) and a player's name, alias or id anywhere inside.
func (a anonymityWatch) jsonLinks(t *testing.T, body string) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("not JSON: %v: %s", err, lastChars(body, 300))
	}
	var bad []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, k := range []string{"card", "vote", "value", "Card", "Vote", "Value"} {
				if c, ok := x[k]; ok && c != nil {
					if w := a.identityIn(x); w != "" {
						data, _ := json.Marshal(x)
						bad = append(bad, fmt.Sprintf("%s with a card in %s", w, lastChars(string(data), 300)))
					}
					break
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(v)
	return bad
}

// identityIn is a player's name, alias or id found among the strings inside v, or "".
func (a anonymityWatch) identityIn(v any) string {
	switch x := v.(type) {
	case string:
		for _, w := range a.who {
			if containsWord(x, w) {
				return w
			}
		}
	case map[string]any:
		for _, c := range x {
			if w := a.identityIn(c); w != "" {
				return w
			}
		}
	case []any:
		for _, c := range x {
			if w := a.identityIn(c); w != "" {
				return w
			}
		}
	}
	return ""
}

// containsWord reports whether w is in s with no letter or digit right before or after
// it ("Ann" is in "Ann 3", not in "Annual").
func containsWord(s, w string) bool {
	alnum := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		before, _ := utf8.DecodeLastRuneInString(s[:start])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if (start == 0 || !alnum(before)) && (end == len(s) || !alnum(after)) {
			return true
		}
		i = start + 1
	}
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// Rooms opened for these tests.

// openRoomWith fills in the home page's create form (Fibonacci deck) with the rules
// ticked (their data-testid on the form, "create-hide-names") and a cap on the players
// (0: none), and returns the code of the room the browser lands in.
func openRoomWith(t *testing.T, s *testServer, tab *browserTab, roomName, you string, maxPlayers int, rules ...string) string {
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
	for _, rule := range rules {
		steps = append(steps, chromedp.Click(chromedp.CSS(`[data-testid=`+rule+`]`)))
	}
	if maxPlayers > 0 {
		steps = append(steps, chromedp.SendKeys(chromedp.CSS(`[data-testid=create-max-players]`), fmt.Sprint(maxPlayers)))
	}
	tab.do(t, "fill in the create form", steps...)
	path := tab.submit(t, "open the room", `[data-testid=create-form] button[type=submit]`)
	m := roomURLPath.FindStringSubmatch(path)
	if m == nil {
		t.Fatalf("after opening the room the browser is at %q, want /room/{code}", path)
	}
	return m[1]
}

// Screenshots for the README.

// docsShotsDir is where the README's screenshots go: docs/ of the repository, when
// PP_DOCS_SCREENSHOTS is set (they are checked in, so they are taken on purpose, not
// by every run); "" otherwise.
func docsShotsDir() string {
	if os.Getenv("PP_DOCS_SCREENSHOTS") == "" {
		return ""
	}
	return filepath.Join("..", "..", "docs")
}

// readmeSize is the desktop window of the README's screenshots.
var readmeSize = screenSize{"desktop", 1280, 800, false}

// shootScene writes what the facilitator's window shows, scrolled to scrollTo (the top
// of the page when ""), in a desktop window and on a phone, light and dark, as
// <shots>/<scene>-<size>-<scheme>.png; the shots named in readme go to docs/ too (see
// docsShotsDir). The page is loaded again in each colour scheme (pokerd.js names the
// theme button when the page loads), and ready is what it must show before a shot. The
// tab is left loaded again in a light desktop window.
func shootScene(t *testing.T, tab *browserTab, shots, scene, scrollTo, ready string, readme ...string) {
	t.Helper()
	docs := docsShotsDir()
	for _, scheme := range []string{"light", "dark"} {
		tab.do(t, "load the room in the "+scheme+" scheme", emulateScreen(desktopSize, scheme), chromedp.Reload())
		tab.waitLive(t)
		tab.waitFor(t, "the scene ready", ready)
		for _, size := range []screenSize{readmeSize, phoneSize} {
			name := scene + "-" + size.name + "-" + scheme
			png := windowShot(t, tab, size, scheme, scrollTo)
			writeShot(t, shots, name, png)
			if docs != "" && slices.Contains(readme, name) {
				writeShot(t, docs, name, png)
				if len(png) > 150<<10 {
					t.Errorf("the README screenshot %s is %d KB, more than 150 KB", name, len(png)/1024)
				}
			}
		}
	}
	tab.do(t, "load the room in a light desktop window", emulateScreen(desktopSize, "light"), chromedp.Reload())
	tab.waitLive(t)
	tab.waitFor(t, "the scene ready", ready)
}

// windowShot is what the window shows (not the whole page) at this size and scheme,
// scrolled to scrollTo: a phone's screen at its CSS size, not at its pixel density, so
// that the file stays small.
func windowShot(t *testing.T, tab *browserTab, size screenSize, scheme, scrollTo string) []byte {
	t.Helper()
	tab.do(t, "emulate a "+scheme+" "+size.name, emulateScreen(size, scheme))
	tab.waitFor(t, "the "+scheme+" colour scheme at "+size.name+" width", jsAll(
		fmt.Sprintf(`matchMedia("(prefers-color-scheme: %s)").matches`, scheme),
		fmt.Sprintf(`window.innerWidth === %d`, size.width)))
	scroll := `(window.scrollTo(0, 0), true)`
	if scrollTo != "" {
		scroll = fmt.Sprintf(`(document.querySelector(%s).scrollIntoView({block: "start"}), true)`, jsString(scrollTo))
	}
	tabEval[bool](t, tab, scroll)
	scale := 1.0
	if size.mobile {
		scale = 0.5 // the emulated density is 2: back to one pixel per CSS pixel
	}
	return tabRun(t, tab, "screenshot", func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		m, err := cdp.Call(ctx, tg, page.GetLayoutMetrics, cdp.Empty{})
		if err != nil {
			return nil, err
		}
		var x, y float64 // where the window is scrolled to: the clip is in the page's coordinates
		if v := m.CSSVisualViewport; v != nil {
			x, y = v.PageX, v.PageY
		}
		res, err := cdp.Call(ctx, tg, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:      page.CaptureScreenshotFormatPng,
			FromSurface: new(true),
			Clip:        &page.Viewport{X: x, Y: y, Width: float64(size.width), Height: float64(size.height), Scale: scale},
		})
		if err != nil {
			return nil, err
		}
		return res.Data, nil
	})
}

func writeShot(t *testing.T, dir, name string, png []byte) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatalf("writing the screenshot: %v", err)
	}
	abs, _ := filepath.Abs(file)
	t.Logf("screenshot: %s (%d KB)", abs, len(png)/1024)
}
