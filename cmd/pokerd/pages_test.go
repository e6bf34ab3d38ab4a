package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// formClient is a browser without JavaScript: cookies, forms, redirects not followed.
type formClient struct {
	t      *testing.T
	s      *testServer
	client *http.Client
	csrf   string
}

func (s *testServer) newFormClient(t *testing.T) *formClient {
	jar, _ := cookiejar.New(nil)
	return &formClient{t: t, s: s, client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (b *formClient) do(req *http.Request) response {
	b.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if m := csrfField.FindSubmatch(body); m != nil {
		b.csrf = string(m[1])
	}
	return response{status: res.StatusCode, header: res.Header, body: body}
}

func (b *formClient) get(path string) response {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.s.base+path, nil)
	return b.do(req)
}

// post sends a form the way a browser does; htmx adds its header and the token header.
func (b *formClient) post(path string, form url.Values, htmx bool) response {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if !htmx && form.Get("_csrf") == "" {
		form.Set("_csrf", b.csrf)
	}
	req, _ := http.NewRequest("POST", b.s.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if htmx {
		req.Header.Set("HX-Request", "true")
		req.Header.Set("X-CSRF-Token", b.csrf)
	}
	return b.do(req)
}

// createRoom opens a room from the home page's form and returns its code.
func (b *formClient) createRoom(name, you string) string {
	b.t.Helper()
	b.get("/")
	res := b.post("/rooms", url.Values{"room_name": {name}, "your_name": {you}, "deck_id": {"1"}}, false)
	loc := res.header.Get("Location")
	if res.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/room/") {
		b.t.Fatalf("create: %d %s %s", res.status, loc, res.body)
	}
	return strings.TrimPrefix(loc, "/room/")
}

func (b *formClient) joinRoom(code, you string) {
	b.t.Helper()
	b.get("/join/" + code)
	res := b.post("/join/"+code, url.Values{"your_name": {you}}, false)
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/room/"+code {
		b.t.Fatalf("join: %d %s", res.status, res.body)
	}
}

func TestPagesWithoutJavaScript(t *testing.T) {
	s := startServer(t, nil)
	ann := s.newFormClient(t)
	code := ann.createRoom("Sprint <42>", "Ann")

	t.Run("the room page is served with a strict CSP and an HttpOnly identity cookie", func(t *testing.T) {
		fresh := s.newFormClient(t)
		fresh.get("/")
		res := fresh.post("/rooms", url.Values{"room_name": {"c"}, "your_name": {"Cat"}, "deck_id": {"1"}}, false)
		ck := res.header.Values("Set-Cookie")
		found := false
		for _, c := range ck {
			if strings.HasPrefix(c, "pokerd_browser=") {
				found = strings.Contains(c, "HttpOnly") && strings.Contains(c, "SameSite=Lax")
			}
		}
		if !found {
			t.Fatalf("identity cookie: %v", ck)
		}
		page := ann.get("/room/" + code)
		csp := page.header.Get("Content-Security-Policy")
		if page.status != 200 || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Fatalf("got %d, CSP %q", page.status, csp)
		}
		if !strings.Contains(string(page.body), "Sprint &lt;42&gt;") || strings.Contains(string(page.body), "Sprint <42>") {
			t.Fatal("the room name is not escaped")
		}
	})
	t.Run("a post without the CSRF token is refused and changes nothing", func(t *testing.T) {
		res := ann.post("/room/"+code+"/start", url.Values{"_csrf": {"forged"}}, false)
		if res.status != http.StatusForbidden {
			t.Fatalf("got %d", res.status)
		}
		if strings.Contains(string(ann.get("/room/"+code).body), `data-testid="round-state">Voting`) {
			t.Fatal("the round started")
		}
	})
	t.Run("the facilitator starts a round and votes with plain form posts", func(t *testing.T) {
		ann.get("/room/" + code)
		if res := ann.post("/room/"+code+"/start", url.Values{"ticket": {"https://tracker.example.com/PP-1"}}, false); res.status != http.StatusSeeOther {
			t.Fatalf("start: %d %s", res.status, res.body)
		}
		if res := ann.post("/room/"+code+"/vote", url.Values{"value": {"8"}}, false); res.status != http.StatusSeeOther {
			t.Fatalf("vote: %d %s", res.status, res.body)
		}
		body := string(ann.get("/room/" + code).body)
		for _, want := range []string{
			`data-testid="round-state">Voting`,
			`aria-pressed="true" data-testid="card-8"`,
			`href="https://tracker.example.com/PP-1"`,
		} {
			if !strings.Contains(body, want) {
				t.Fatalf("room page lacks %s", want)
			}
		}
	})
	t.Run("a refused action shows its reason", func(t *testing.T) {
		res := ann.post("/room/"+code+"/start", url.Values{"ticket": {"javascript:alert(1)"}}, false)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(string(res.body), "must be an absolute http") || strings.Contains(string(res.body), `href="javascript:`) {
			t.Fatalf("got %d", res.status)
		}
		hand := ann.post("/room/"+code+"/vote", url.Values{"value": {"4"}}, true)
		if hand.status != 200 || !strings.Contains(string(hand.body), `data-testid="hand-error"`) || !strings.HasPrefix(strings.TrimSpace(string(hand.body)), `<section id="hand"`) {
			t.Fatalf("htmx vote of a card not in the deck: %d %s", hand.status, hand.body)
		}
	})
	t.Run("a player who is not the facilitator cannot start or reveal", func(t *testing.T) {
		bob := s.newFormClient(t)
		bob.joinRoom(code, "Bob")
		page := string(bob.get("/room/" + code).body)
		if strings.Contains(page, `data-testid="facilitator"`) {
			t.Fatal("bob sees the facilitator's controls")
		}
		res := bob.post("/room/"+code+"/reveal", nil, true)
		if !strings.Contains(string(res.body), "only the facilitator") {
			t.Fatalf("got %d %s", res.status, res.body)
		}
	})
	t.Run("a cookie made from a public player id is not that player", func(t *testing.T) {
		// The JSON API shows every id; a cookie holding Ann's id must not seat anyone.
		wsAdmin := s.connect(t, s.join(t, code, "Spy"), code)
		st := wsAdmin.sync()
		var annID string
		for id, ps := range st.PlayerStates {
			if ps.Player.Username == "Ann" {
				annID = id
			}
		}
		spy := s.newFormClient(t)
		u, _ := url.Parse(s.base)
		spy.client.Jar.SetCookies(u, []*http.Cookie{{Name: "pokerd_browser", Value: annID}})
		res := spy.get("/room/" + code)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/join/"+code {
			t.Fatalf("got %d %s", res.status, res.header.Get("Location"))
		}
	})
	t.Run("coming back with the same cookie restores the seat", func(t *testing.T) {
		res := ann.get("/join/" + code)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/room/"+code {
			t.Fatalf("got %d %s", res.status, res.header.Get("Location"))
		}
	})
	t.Run("an unknown room says so and offers to open one", func(t *testing.T) {
		res := ann.get("/join/zz99")
		if res.status != 404 || !strings.Contains(string(res.body), `data-testid="no-room"`) || !strings.Contains(string(res.body), "Open a new room") {
			t.Fatalf("got %d", res.status)
		}
	})
	t.Run("joining by code goes to the room's link, a malformed code is explained", func(t *testing.T) {
		res := ann.get("/join?code=" + strings.ToUpper(code))
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/join/"+code {
			t.Fatalf("got %d %s", res.status, res.header.Get("Location"))
		}
		res = ann.get("/join?code=no!")
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(string(res.body), "A room code is 4 to 10 letters") || !strings.Contains(string(res.body), `value="no!"`) {
			t.Fatalf("got %d", res.status)
		}
	})
	t.Run("a name is required to open a room", func(t *testing.T) {
		ann.get("/")
		res := ann.post("/rooms", url.Values{"room_name": {"x"}, "your_name": {"  "}, "deck_id": {"1"}}, false)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(string(res.body), "Please enter your name") {
			t.Fatalf("got %d", res.status)
		}
	})
}

// sseReader reads a room's event stream message by message.
type sseReader struct {
	t      *testing.T
	lines  *bufio.Reader
	cancel context.CancelFunc
}

func (b *formClient) openEvents(code, query string) *sseReader {
	b.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", b.s.base+"/room/"+code+"/events"+query, nil)
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		b.t.Fatalf("events: %d %v", res.StatusCode, res.Header)
	}
	r := &sseReader{t: b.t, lines: bufio.NewReader(res.Body), cancel: func() { cancel(); res.Body.Close() }}
	b.t.Cleanup(r.cancel)
	return r
}

// next returns the data of the next "update" message, its lines joined.
func (r *sseReader) next() string {
	r.t.Helper()
	done := make(chan string, 1)
	go func() {
		var event, data string
		for {
			line, err := r.lines.ReadString('\n')
			if err != nil {
				done <- ""
				return
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case line == "" && event == "update":
				done <- data
				return
			case line == "":
				event, data = "", ""
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				data += strings.TrimPrefix(line, "data: ") + "\n"
			}
		}
	}()
	select {
	case d := <-done:
		if d == "" {
			r.t.Fatal("the stream ended")
		}
		return d
	case <-time.After(5 * time.Second):
		r.t.Fatal("no update within 5s")
		return ""
	}
}

// until reads updates until one contains want.
func (r *sseReader) until(want string) string {
	r.t.Helper()
	for range 20 {
		if d := r.next(); strings.Contains(d, want) {
			return d
		}
	}
	r.t.Fatalf("no update with %q", want)
	return ""
}

func TestRoomStream(t *testing.T) {
	s := startServer(t, nil, "--empty-room-grace", "0")
	ann := s.newFormClient(t)
	code := ann.createRoom("Stream", "Ann")
	other := ann.createRoom("Other room", "Ann")
	carolID := s.join(t, code, "Carol")
	carol := s.connect(t, carolID, code)
	carolAlias := playerAliasOf(t, ann.page(code), "Carol") // pages name players by alias

	// The stream id comes from the path, never from ?stream=.
	events := ann.openEvents(code, "?stream="+other)
	// A new subscriber gets the whole shared state, and is told which hand to show.
	first := events.until(`id="hand-sync"`)
	if !strings.Contains(first, `id="players" class="panel"`) || !strings.Contains(first, "Carol") || !strings.Contains(first, `hx-swap-oob="true"`) ||
		!strings.Contains(first, `data-hand-key="INIT.0.facilitator.`) {
		t.Fatalf("first update: %s", first)
	}

	t.Run("an open stream makes the browser player connected for API clients", func(t *testing.T) {
		var ps playerState
		carol.decode(carol.expect("CONNECTED"), &ps)
		if ps.Player.Username != "Ann" || !ps.IsConnected || !ps.IsAdmin {
			t.Fatalf("got %+v", ps)
		}
	})
	t.Run("an API client's vote reaches the browser as HTML", func(t *testing.T) {
		ann.get("/room/" + code)
		ann.post("/room/"+code+"/start", nil, true)
		carol.expect("RESETGAME")
		d := events.until(`data-testid="round-state">Voting`)
		if !strings.Contains(d, `id="hand-sync" hx-swap-oob="true" hidden data-hand-key="VOTING.1.facilitator.`) {
			t.Fatalf("a new round does not tell the page which hand to show: %s", d)
		}
		carol.send("SUBMITVOTE", 13)
		carol.expect("PLAYERVOTED")
		// A vote is the voter's row and the tally, not the whole list, and no new hand.
		d = events.until(`data-testid="player-` + carolAlias + `" data-voted="true"`)
		if !strings.Contains(d, `id="row-`+carolAlias+`"`) || !strings.Contains(d, `id="tally"`) ||
			strings.Contains(d, `id="players"`) || strings.Contains(d, `id="hand-sync"`) || strings.Contains(d, `data-testid="player-name">Ann<`) {
			t.Fatalf("the vote's update is not Carol's row and the tally: %s", d)
		}
	})
	t.Run("a reveal from the browser reaches the API client", func(t *testing.T) {
		ann.post("/room/"+code+"/reveal", nil, true)
		m := carol.expect("REVEALGAME")
		if !strings.Contains(string(m.Payload), `"`+carolID+`":13.0`) {
			t.Fatalf("got %s", m.Payload)
		}
		d := events.until(`Revealed`)
		if !strings.Contains(d, `data-testid="average">13`) {
			t.Fatalf("no average in %s", d)
		}
	})
	t.Run("closing the stream disconnects the browser player", func(t *testing.T) {
		events.cancel()
		m := carol.expect("DISCONNECTED")
		var p player
		carol.decode(m, &p)
		if p.Username != "Ann" {
			t.Fatalf("got %+v", p)
		}
	})
}

func TestShutdownEndsRoomStreams(t *testing.T) {
	// A long shutdown bound: the stream must end because it is ended, not by a timeout.
	s := startServer(t, nil, "--shutdown-timeout", "30s")
	ann := s.newFormClient(t)
	code := ann.createRoom("Bye", "Ann")
	events := ann.openEvents(code, "")
	events.next()
	ended := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, events.lines)
		ended <- err
	}()
	s.stop() // the cleanup checks that run() then returns without error
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the event stream outlived the shutdown")
	}
}
