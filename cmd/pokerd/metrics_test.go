package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// scrape reads /metrics into a map from series ("name{labels}", labels as the server
// writes them, sorted by name) to value.
func (s *testServer) scrape(t testing.TB) map[string]float64 {
	t.Helper()
	res := s.do(t, http.MethodGet, "/metrics", "", nil)
	if res.status != http.StatusOK {
		t.Fatalf("/metrics: %d %s", res.status, res.body)
	}
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("/metrics content type %q", ct)
	}
	series := map[string]float64{}
	lines := bufio.NewScanner(bytes.NewReader(res.body))
	for lines.Scan() {
		line := lines.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		series[line[:i]] = v
	}
	return series
}

// waitForMetrics scrapes until every series in want has its value, or fails after 10 s
// naming those that differ. Counters of frames written move just after the client has
// the frame, so a first scrape may be a little behind.
func (s *testServer) waitForMetrics(t testing.TB, want map[string]float64) map[string]float64 {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := s.scrape(t)
		var wrong []string
		for k, v := range want {
			if g, ok := got[k]; !ok || g != v {
				wrong = append(wrong, fmt.Sprintf("%s = %v (present: %v), want %v", k, g, ok, v))
			}
		}
		if len(wrong) == 0 {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("metrics after 10s:\n%s", strings.Join(wrong, "\n"))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// readUntil reads messages until one of type typ and returns how many it read.
func (c *wsClient) readUntil(typ string) int {
	c.t.Helper()
	for n := 1; ; n++ {
		if c.next().Type == typ {
			return n
		}
	}
}

// readUntilVotesOf reads until the PLAYERVOTED of every given player has come and
// returns the frames read.
func (c *wsClient) readUntilVotesOf(ids ...string) int {
	c.t.Helper()
	waiting := map[string]bool{}
	for _, id := range ids {
		waiting[c.nameOf(id)] = true
	}
	n := 0
	for len(waiting) > 0 {
		m := c.next()
		n++
		if m.Type == "PLAYERVOTED" {
			var p struct {
				ID string `json:"id"`
			}
			c.decode(m, &p)
			delete(waiting, p.ID)
		}
	}
	return n
}

// syncCount asks for the state of a revealed round and returns the frames that answer
// it (STATE and REVEALGAME): afterwards nothing is on its way to this client.
func (c *wsClient) syncCount() int {
	c.t.Helper()
	if st := c.sync(); st.RoundState != "REVEALED" {
		c.t.Fatalf("round %s, want REVEALED", st.RoundState)
	}
	return 2
}

// The metrics tell an operator what a short session did: the messages each way by
// type, the room, its players, its sockets and its browser stream, and the build.
func TestMetricsCountWhatASessionDid(t *testing.T) {
	s := startServer(t, nil)
	code := s.createGame(t, "Metrics")
	annID := s.join(t, code, "Ann") // the facilitator
	bobID := s.join(t, code, "Bob")
	ann := s.connect(t, annID, code)
	bob := s.connect(t, bobID, code)
	sent := map[*wsClient]int{ann: 2, bob: 2} // STATE and CONNECTED each
	ann.expectPlayer("CONNECTED", bobID)
	sent[ann]++

	browser := s.newFormClient(t)
	browser.joinRoom(code, "Cleo")
	events := browser.openEvents(code, "")
	events.next()

	ann.send("RESET", nil)
	ann.send("SUBMITVOTE", 3)
	sent[bob] += bob.readUntil("RESETGAME") // Bob votes in the round, not before it
	bob.send("SUBMITVOTE", 5)
	// The reveal waits for both votes, as a facilitator does: sent on another socket,
	// it could otherwise overtake Bob's vote.
	sent[ann] += ann.readUntilVotesOf(annID, bobID)
	ann.send("REVEAL", nil)
	bob.sendRaw(websocket.MessageText, []byte(`{"type":"VOTE","payload":3}`)) // not a message
	for _, c := range []*wsClient{ann, bob} {
		sent[c] += c.readUntil("REVEALGAME")
		sent[c] += c.syncCount() // also proves the invalid frame was read and ignored
	}

	got := s.waitForMetrics(t, map[string]float64{
		`pokerd_rooms_open`:                                                                  1,
		`pokerd_players_seated`:                                                              3,
		`pokerd_websocket_connections_open`:                                                  2,
		`pokerd_sse_streams_open`:                                                            1,
		`pokerd_websocket_messages_received_total{type="RESET"}`:                             1,
		`pokerd_websocket_messages_received_total{type="SUBMITVOTE"}`:                        2,
		`pokerd_websocket_messages_received_total{type="REVEAL"}`:                            1,
		`pokerd_websocket_messages_received_total{type="SYNC"}`:                              2,
		`pokerd_websocket_messages_received_total{type="OBSERVE"}`:                           0,
		`pokerd_websocket_messages_received_total{type="invalid"}`:                           1,
		`pokerd_websocket_messages_received_total{type="rate_limited"}`:                      0,
		`pokerd_websocket_messages_sent_total`:                                               float64(sent[ann] + sent[bob]),
		`pokerd_websocket_clients_dropped_total{reason="slow_client"}`:                       0,
		`pokerd_websocket_clients_dropped_total{reason="ping_timeout"}`:                      0,
		`pokerd_websocket_clients_dropped_total{reason="write_failed"}`:                      0,
		`pokerd_sse_streams_dropped_total{reason="slow_client"}`:                             0,
		`pokerd_sse_streams_dropped_total{reason="write_failed"}`:                            0,
		`pokerd_build_info{goversion="` + runtime.Version() + `",version="` + version + `"}`: 1,
	})

	t.Run("the fan-out latency is observed once per event a socket wrote", func(t *testing.T) {
		n := got["pokerd_websocket_fanout_seconds_count"]
		if n < 1 || n > float64(sent[ann]+sent[bob]) {
			t.Fatalf("fanout count %v, frames %d", n, sent[ann]+sent[bob])
		}
		if inf := got[`pokerd_websocket_fanout_seconds_bucket{le="+Inf"}`]; inf != n {
			t.Fatalf("+Inf bucket %v, count %v", inf, n)
		}
		if _, ok := got[`pokerd_websocket_fanout_seconds_bucket{le="0.0001"}`]; !ok {
			t.Fatal("no 100µs bucket")
		}
	})
	t.Run("the browser's stream got published events", func(t *testing.T) {
		if got["pokerd_sse_events_published_total"] < 1 {
			t.Fatalf("sse events published: %v", got["pokerd_sse_events_published_total"])
		}
	})
	t.Run("the Go runtime and the process are described", func(t *testing.T) {
		for _, name := range []string{"go_goroutines", "go_memstats_heap_inuse_bytes", "process_cpu_seconds_total", "process_resident_memory_bytes"} {
			if _, ok := got[name]; !ok {
				t.Errorf("no %s", name)
			}
		}
	})
	t.Run("closed sockets and streams leave the gauges", func(t *testing.T) {
		ann.close()
		bob.close()
		events.cancel()
		s.waitForMetrics(t, map[string]float64{
			`pokerd_websocket_connections_open`: 0,
			`pokerd_sse_streams_open`:           0,
			`pokerd_players_seated`:             3, // seated, not connected
		})
	})
}

// Two servers in one process keep separate counts: each owns its registry.
func TestMetricsArePerServer(t *testing.T) {
	a, b := startServer(t, nil), startServer(t, nil)
	a.createGame(t, "Only in a")
	a.waitForMetrics(t, map[string]float64{"pokerd_rooms_open": 1})
	b.waitForMetrics(t, map[string]float64{"pokerd_rooms_open": 0})
}

// /readyz says whether to send new players here: 200 while serving, 503 from the moment
// shutdown begins, while everything else still works during the shutdown delay.
func TestReadinessDuringShutdown(t *testing.T) {
	s := startServer(t, nil, "--shutdown-delay", "1s")
	res := s.do(t, http.MethodGet, "/readyz", "", nil)
	if res.status != http.StatusOK || res.json(t)["status"] != "ready" {
		t.Fatalf("/readyz while serving: %d %s", res.status, res.body)
	}
	code := s.createGame(t, "Draining")
	c := s.connect(t, s.join(t, code, "Ann"), code)

	s.stop()
	deadline := time.Now().Add(5 * time.Second)
	for {
		res = s.do(t, http.MethodGet, "/readyz", "", nil)
		if res.status == http.StatusServiceUnavailable {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz still %d 5s after the stop", res.status)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if res.json(t)["status"] != "shutting down" {
		t.Fatalf("/readyz body: %s", res.body)
	}
	if res := s.do(t, http.MethodGet, "/healthz", "", nil); res.status != http.StatusOK {
		t.Fatalf("/healthz while draining: %d", res.status)
	}
	c.sync() // an open socket still works until the delay is over
	if code, _ := c.closeStatus(); code != websocket.StatusGoingAway {
		t.Fatalf("socket closed with %d, want 1001 when the delay is over", code)
	}
}

var pprofAddrLog = regexp.MustCompile(`msg="pprof listening" addr=(\S+)`)

func TestPprof(t *testing.T) {
	t.Run("off by default, and never on the public address", func(t *testing.T) {
		s := startServer(t, nil)
		for _, path := range []string{"/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/cmdline"} {
			if res := s.do(t, http.MethodGet, path, "", nil); res.status != http.StatusNotFound {
				t.Errorf("%s on the public address: %d", path, res.status)
			}
		}
		if strings.Contains(s.logs.String(), "pprof listening") {
			t.Error("pprof started without being asked")
		}
	})
	t.Run("on its own address when asked", func(t *testing.T) {
		s := startServer(t, map[string]string{"PP_PPROF_ADDR": "127.0.0.1:0"})
		m := pprofAddrLog.FindStringSubmatch(s.logs.String())
		if m == nil {
			t.Fatalf("no pprof address in the log:\n%s", s.logs)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+m[1]+"/debug/pprof/goroutine?debug=1", nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body bytes.Buffer
		_, _ = body.ReadFrom(res.Body)
		if res.StatusCode != http.StatusOK || !strings.Contains(body.String(), "goroutine profile:") {
			t.Fatalf("pprof goroutine profile: %d %.200s", res.StatusCode, body.String())
		}
		if res := s.do(t, http.MethodGet, "/debug/pprof/", "", nil); res.status != http.StatusNotFound {
			t.Fatalf("pprof on the public address too: %d", res.status)
		}
	})
}
