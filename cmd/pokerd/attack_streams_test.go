package main

// The attack suite's part on browser event streams (GET /room/{code}/events): streams
// opened and closed as fast as possible, a browser that stops reading, a stream whose
// reader stalls until its write deadline, and a session record that grows for hundreds
// of rounds while a browser watches.

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pokerd/pokerd/views"
)

// cookieHeader is the Cookie header this browser sends to the server.
func (b *formClient) cookieHeader() string {
	u, _ := url.Parse(b.s.base + "/")
	var parts []string
	for _, c := range b.client.Jar.Cookies(u) {
		parts = append(parts, c.Name+"="+c.Value)
	}
	return strings.Join(parts, "; ")
}

// dialEvents opens GET /room/{code}/events on a raw TCP connection as this browser and
// returns the connection once the request is written. A receive buffer of rcvbuf bytes
// (0: the system's) makes a reader that stops reading fill up soon.
func (b *formClient) dialEvents(code string, rcvbuf int) net.Conn {
	b.t.Helper()
	d := net.Dialer{Timeout: 5 * time.Second}
	if rcvbuf > 0 {
		d.Control = func(_, _ string, c syscall.RawConn) error {
			return c.Control(func(fd uintptr) {
				_ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, rcvbuf)
			})
		}
	}
	conn, err := d.Dial("tcp", strings.TrimPrefix(b.s.base, "http://"))
	if err != nil {
		b.t.Fatal(err)
	}
	req := "GET /room/" + code + "/events HTTP/1.1\r\nHost: " + strings.TrimPrefix(b.s.base, "http://") +
		"\r\nAccept: text/event-stream\r\nCookie: " + b.cookieHeader() + "\r\n\r\n"
	if _, err := io.WriteString(conn, req); err != nil {
		b.t.Fatal(err)
	}
	return conn
}

// metric is one series' value from /metrics, 0 when absent.
func (s *testServer) metric(t testing.TB, series string) float64 {
	t.Helper()
	return s.scrape(t)[series]
}

// updateFeed reads a room's event stream in the background and hands over each
// "update" message's data.
type updateFeed struct {
	updates chan string
	cancel  context.CancelFunc
	done    chan struct{}
}

func (b *formClient) feedEvents(code string) *updateFeed {
	b.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", b.s.base+"/room/"+code+"/events", nil)
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		b.t.Fatalf("events: %d", res.StatusCode)
	}
	f := &updateFeed{updates: make(chan string, 4096), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(f.done)
		defer close(f.updates)
		defer res.Body.Close()
		lines := bufio.NewReader(res.Body)
		var event string
		var data strings.Builder
		for {
			line, err := lines.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimSuffix(line, "\n")
			switch {
			case line == "":
				if event == "update" {
					select {
					case f.updates <- data.String():
					case <-ctx.Done():
						return
					}
				}
				event = ""
				data.Reset()
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				data.WriteString(strings.TrimPrefix(line, "data: "))
				data.WriteByte('\n')
			}
		}
	}()
	b.t.Cleanup(f.close)
	return f
}

func (f *updateFeed) close() {
	f.cancel()
	<-f.done
}

// waitFor reads updates until one satisfies ok, for at most within; it returns the
// update and whether one came.
func (f *updateFeed) waitFor(within time.Duration, ok func(string) bool) (string, bool) {
	timeout := time.NewTimer(within)
	defer timeout.Stop()
	for {
		select {
		case d, open := <-f.updates:
			if !open {
				return "", false
			}
			if ok(d) {
				return d, true
			}
		case <-timeout.C:
			return "", false
		}
	}
}

// Finding 1: opening an event stream and closing it at once, over and over from several
// browsers, must never crash the process (it did: "close of closed channel").
func TestAttackEventStreamsOpenedAndClosedAtOnce(t *testing.T) {
	s := startServer(t, nil)
	host := s.newFormClient(t)
	code := host.createRoom("Churn", "Host")
	const tabs = 4
	browsers := make([]*formClient, tabs)
	for i := range browsers {
		browsers[i] = s.newFormClient(t)
		browsers[i].joinRoom(code, "Tab "+strconv.Itoa(i))
	}
	before := beforeAttack(t, s)

	var opened, cycles atomic.Int64
	stop := time.Now().Add(4 * time.Second)
	addr := strings.TrimPrefix(s.base, "http://")
	var wg sync.WaitGroup
	for _, b := range browsers {
		cookie := b.cookieHeader()
		client := &http.Client{Transport: &http.Transport{}, Jar: b.client.Jar}
		wg.Go(func() {
			defer client.CloseIdleConnections()
			for n := 0; time.Now().Before(stop); n++ {
				cycles.Add(1)
				if n%2 == 0 {
					// Closed as soon as the answer begins.
					ctx, cancel := context.WithCancel(context.Background())
					req, _ := http.NewRequestWithContext(ctx, "GET", s.base+"/room/"+code+"/events", nil)
					if res, err := client.Do(req); err == nil {
						if res.StatusCode == http.StatusOK {
							opened.Add(1)
						}
						res.Body.Close()
					}
					cancel()
					continue
				}
				// Closed right after the request is sent, before any answer.
				conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
				if err != nil {
					continue
				}
				_, _ = io.WriteString(conn, "GET /room/"+code+"/events HTTP/1.1\r\nHost: "+addr+"\r\nCookie: "+cookie+"\r\n\r\n")
				conn.Close()
			}
		})
	}
	wg.Wait()
	t.Logf("%d open/close cycles, %d streams answered 200", cycles.Load(), opened.Load())
	if opened.Load() < 20 {
		t.Fatalf("only %d of %d streams opened", opened.Load(), cycles.Load())
	}

	// Every stream of the churn ends, and the room's stream still works: a browser gets
	// the room and then each change.
	s.waitForMetrics(t, map[string]float64{`pokerd_sse_streams_open`: 0})
	events := host.feedEvents(code)
	if _, ok := events.waitFor(5*time.Second, func(d string) bool { return strings.Contains(d, `id="players"`) }); !ok {
		t.Fatal("after the churn a browser got no state")
	}
	host.get("/room/" + code)
	host.post("/room/"+code+"/start", nil, true)
	if _, ok := events.waitFor(5*time.Second, func(d string) bool { return strings.Contains(d, `data-testid="round-state">Voting`) }); !ok {
		t.Fatal("after the churn a browser did not see the round start")
	}
	events.close()
	s.waitForMetrics(t, map[string]float64{`pokerd_sse_streams_open`: 0})
	survivedAttack(t, s, before)
}

// roomOnScreen is the room as a browser shows it, followed through the stream's
// updates: each player's row (by alias) as last drawn, whether it came alone (a vote,
// an observe toggle) or in the whole list, and the round number last drawn.
type roomOnScreen struct {
	observing map[string]bool
	round     int
}

var (
	rowOnStream   = regexp.MustCompile(`(?s)<li id="row-([0-9a-f-]{36})"[^>]*>(.*?)</li>`)
	roundOnStream = regexp.MustCompile(`<section id="round"[^>]*data-round-number="([0-9]+)"`)
)

// read takes in one update.
func (r *roomOnScreen) read(update string) {
	for _, m := range rowOnStream.FindAllStringSubmatch(update, -1) {
		r.observing[m[1]] = strings.Contains(m[2], `data-testid="observing"`)
	}
	if m := roundOnStream.FindStringSubmatch(update); m != nil {
		r.round, _ = strconv.Atoi(m[1])
	}
}

// stalledRoom is a room with players whose long names make each whole-room update a
// few kilobytes (as a big team's are), and a browser of its own for a stalled stream.
type stalledRoom struct {
	code    string
	host    *formClient
	players []*formClient
	aliases []string // the players' aliases, as pages show them
	stalled *formClient
}

func newStalledRoom(t *testing.T, s *testServer, name string, players int) *stalledRoom {
	t.Helper()
	r := &stalledRoom{host: s.newFormClient(t), players: make([]*formClient, players), aliases: make([]string, players)}
	r.code = r.host.createRoom(name, "Host")
	for i := range r.players {
		r.players[i] = s.newFormClient(t)
		r.players[i].joinRoom(r.code, strings.Repeat("Long name ", 5)+strconv.Itoa(i))
		r.players[i].get("/room/" + r.code) // its CSRF token
	}
	page := r.host.page(r.code)
	for i := range r.players {
		r.aliases[i] = playerAliasOf(t, page, strings.Repeat("Long name ", 5)+strconv.Itoa(i))
	}
	r.stalled = s.newFormClient(t)
	r.stalled.joinRoom(r.code, "Stops reading")
	return r
}

// change makes two changes every browser of the room must see: player i toggles
// observing (their row), and the host starts a new round (the whole room, the bigger
// message, which fills a stalled socket soon).
func (r *stalledRoom) change(t *testing.T, i int) {
	t.Helper()
	if res := r.players[i].post("/room/"+r.code+"/observe", nil, true); res.status != http.StatusOK {
		t.Fatalf("observe: %d", res.status)
	}
	if res := r.host.post("/room/"+r.code+"/start", nil, true); res.status != http.StatusOK {
		t.Fatalf("start: %d", res.status)
	}
}

// Finding 9: one browser that stops reading must not delay its room's other browsers.
// Its stream is dropped once its buffer is full, and counted; the others get every
// update at once.
func TestAttackStalledBrowserDoesNotDelayItsRoom(t *testing.T) {
	// A long write deadline: the stalled stream must be cut by its buffer, not by time.
	// Rooms in memory: each change is answered at once rather than once it is stored,
	// so that the buffer fills in a few seconds on a busy machine too; the store plays
	// no part in the stream.
	s := startServer(t, nil, "--ws-write-timeout", "60s", "--data", "")
	room := newStalledRoom(t, s, "Stalled", 12)
	before := beforeAttack(t, s)

	ordinary := room.host.feedEvents(room.code)
	screen := &roomOnScreen{observing: map[string]bool{}}
	if _, ok := ordinary.waitFor(5*time.Second, func(d string) bool {
		screen.read(d)
		return strings.Contains(d, `id="players"`)
	}); !ok {
		t.Fatal("no first update")
	}
	conn := room.stalled.dialEvents(room.code, 4096)
	defer conn.Close()
	status := make([]byte, len("HTTP/1.1 200"))
	if _, err := io.ReadFull(conn, status); err != nil || string(status) != "HTTP/1.1 200" {
		t.Fatalf("the stalled stream did not open: %q %v", status, err)
	}
	// From here on the stalled browser reads nothing. Everyone else toggles observing in
	// turn, and the host starts a round after each: the ordinary browser must see each
	// player's row change and each round at once.
	observing := make([]bool, len(room.players))
	// Until the stalled stream is dropped, which takes some 400 pairs of changes (the
	// kernel's buffers hold that much): a few seconds on an idle machine, many more on a
	// busy one.
	deadline := time.Now().Add(45 * time.Second)
	changes := 0
	for ; time.Now().Before(deadline); changes++ {
		i := changes % len(room.players)
		sent := time.Now()
		room.change(t, i)
		observing[i] = !observing[i]
		alias, want, round := room.aliases[i], observing[i], changes+1
		if _, ok := ordinary.waitFor(2*time.Second, func(d string) bool {
			screen.read(d)
			return screen.observing[alias] == want && screen.round == round
		}); !ok {
			t.Fatalf("change %d: the ordinary browser did not see %s observing %v in round %d within 2s (it shows %v, round %d): the stalled browser holds the room up",
				changes, alias, want, round, screen.observing[alias], screen.round)
		}
		if d := time.Since(sent); d > time.Second {
			t.Logf("change %d took %v to reach the ordinary browser", changes, d)
		}
		if changes%25 == 24 && s.metric(t, `pokerd_sse_streams_dropped_total{reason="slow_client"}`) == 1 {
			break
		}
	}
	t.Logf("%d pairs of changes until the stalled stream was dropped", changes+1)
	s.waitForMetrics(t, map[string]float64{
		`pokerd_sse_streams_dropped_total{reason="slow_client"}`:  1,
		`pokerd_sse_streams_dropped_total{reason="write_failed"}`: 0,
		`pokerd_sse_streams_open`:                                 1, // the ordinary one
	})
	// The dropped browser is shown offline to the others.
	stalledAlias := playerAliasOf(t, room.host.page(room.code), "Stops reading")
	eventually(t, "the dropped browser shown offline", func() bool { return !connectedOnPage(room.host.page(room.code), stalledAlias) })
	// The server closed the stalled stream: what it holds is read to its end.
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.Copy(io.Discard, conn); err != nil {
		t.Fatalf("the stalled stream was not closed: %v", err)
	}
	conn.Close()
	ordinary.close()
	survivedAttack(t, s, before)
}

// Closes a hole in the tests: a stream whose reader stopped is ended by the write
// deadline, and counted, even while its buffer has room.
func TestStalledEventStreamIsCutByItsWriteDeadline(t *testing.T) {
	s := startServer(t, nil, "--ws-write-timeout", "300ms", "--sse-outbox", "4096")
	room := newStalledRoom(t, s, "Deadline", 6)
	conn := room.stalled.dialEvents(room.code, 4096)
	defer conn.Close()
	status := make([]byte, len("HTTP/1.1 200"))
	if _, err := io.ReadFull(conn, status); err != nil || string(status) != "HTTP/1.1 200" {
		t.Fatalf("the stalled stream did not open: %q %v", status, err)
	}
	// Changes until the stream's socket is full and a write waits past its deadline.
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; ; i++ {
		room.change(t, i%len(room.players))
		if i%25 == 24 && s.metric(t, `pokerd_sse_streams_dropped_total{reason="write_failed"}`) == 1 {
			t.Logf("%d pairs of changes until the stalled stream was cut", i+1)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the stalled stream was not cut by its write deadline within 20s (%d pairs of changes): %v", i+1, s.scrape(t))
		}
	}
	s.waitForMetrics(t, map[string]float64{
		`pokerd_sse_streams_dropped_total{reason="write_failed"}`: 1,
		`pokerd_sse_streams_dropped_total{reason="slow_client"}`:  0,
		`pokerd_sse_streams_open`:                                 0,
	})
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.Copy(io.Discard, conn); err != nil {
		t.Fatalf("the stalled stream was not closed: %v", err)
	}
}

// recordRounds is how many rounds the session record of the JSON API holds.
func (s *testServer) recordRounds(t testing.TB, code, facilitatorID string) int {
	t.Helper()
	res := s.get(t, "/api/game/"+code+"/record?player_id="+facilitatorID)
	if res.status != http.StatusOK {
		t.Fatalf("record: %d %s", res.status, res.body)
	}
	var rec struct {
		Rounds []json.RawMessage `json:"rounds"`
	}
	if err := json.Unmarshal(res.body, &rec); err != nil {
		t.Fatal(err)
	}
	return len(rec.Rounds)
}

// Finding 8: hundreds of rounds while a browser watches. Each update carries the round
// that is new, never the whole record again, so its size does not grow with the session;
// a browser that comes late gets the newest rounds of the record once.
func TestAttackLongSessionRecordIsSentRoundByRound(t *testing.T) {
	s := startServer(t, nil, "--ws-message-rate", "0")
	code := s.createGame(t, "Marathon")
	leadID := s.join(t, code, "Lead")
	memberID := s.join(t, code, "Member")
	lead := s.connect(t, leadID, code)
	member := s.connect(t, memberID, code)
	lead.expectPlayer("CONNECTED", memberID)
	browser := s.newFormClient(t)
	browser.joinRoom(code, "Watcher")
	before := beforeAttack(t, s)

	events := browser.feedEvents(code)
	if _, ok := events.waitFor(5*time.Second, func(d string) bool { return strings.Contains(d, `id="players"`) }); !ok {
		t.Fatal("no first update")
	}
	lead.expect("CONNECTED") // the watcher's stream
	member.expect("CONNECTED")

	const rounds = 300
	largest := make([]int, rounds+1) // by round: the largest update seen while it ran
	for n := 1; n <= rounds; n++ {
		lead.send("RESET", nil)
		lead.expect("RESETGAME")
		member.expect("RESETGAME")
		member.send("SUBMITVOTE", []int{1, 2, 3, 5, 8}[n%5])
		member.expectPlayer("PLAYERVOTED", memberID)
		lead.expectPlayer("PLAYERVOTED", memberID)
		lead.send("REVEAL", nil)
		lead.expect("REVEALGAME")
		member.expect("REVEALGAME")
		row := `data-testid="record-round" data-round="` + strconv.Itoa(n) + `"`
		_, ok := events.waitFor(5*time.Second, func(d string) bool {
			largest[n] = max(largest[n], len(d))
			return strings.Contains(d, row)
		})
		if !ok {
			t.Fatalf("round %d did not reach the browser's record", n)
		}
	}
	early, late := slicesMax(largest[1:21]), slicesMax(largest[rounds-19:])
	t.Logf("largest update: %d bytes in rounds 1-20, %d bytes in rounds %d-%d", early, late, rounds-19, rounds)
	if late > early+1024 {
		t.Fatalf("updates grow with the session: %d bytes in the first rounds, %d in the last", early, late)
	}

	// A browser that comes now gets the rounds a browser shows of those the server
	// keeps, once: the newest few, the downloads have them all.
	kept := min(s.recordRounds(t, code, leadID), views.RecordShown)
	late2 := s.newFormClient(t)
	late2.joinRoom(code, "Latecomer")
	lateEvents := late2.feedEvents(code)
	first, ok := lateEvents.waitFor(5*time.Second, func(d string) bool { return strings.Contains(d, `id="record"`) })
	if !ok {
		t.Fatal("a late browser got no record")
	}
	if got := strings.Count(first, `data-testid="record-round"`); got != kept {
		t.Fatalf("a late browser got %d rounds of the record, want the newest %d", got, kept)
	}
	lateEvents.close()
	events.close()
	lead.close()
	member.close()
	survivedAttack(t, s, before)
}

func slicesMax(xs []int) int {
	m := 0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}
