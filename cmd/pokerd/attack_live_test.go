package main

// The attack suite's part on the live view of a long session record: the room page and
// the first message of each browser event stream, both drawn for a room at its bounds.

import (
	"context"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pokerd/pokerd/views"
)

// bigRecordRoom opens a room at the bounds of everything its record holds: 100 players
// with 100-character names (4 bytes each in UTF-8), every one listed in each round, and
// 200 rounds (the default --max-record-rounds) with 2 KiB ticket links. browsers of the
// players are browsers, seated through the join page, the others join by the API. It
// returns the room's code and its browsers.
func bigRecordRoom(t *testing.T, s *testServer, browsers int) (string, []*formClient) {
	t.Helper()
	code := s.createGame(t, "Big record")
	host := s.join(t, code, "Host")
	name := strings.Repeat("𝕏", 100)
	for range 99 - browsers {
		s.join(t, code, name)
	}
	var seated []*formClient
	for range browsers {
		b := s.newFormClient(t)
		b.joinRoom(code, name)
		seated = append(seated, b)
	}
	hostConn := s.dial(t, host, code)
	go func() { // the host reads everything, so that it is never dropped as slow
		for {
			if _, _, err := hostConn.conn.Read(context.Background()); err != nil {
				return
			}
		}
	}()
	ticket := "https://example.org/" + strings.Repeat("a", 2020)
	const rounds = 200
	for range rounds {
		hostConn.send("RESET", ticket)
		hostConn.send("REVEAL", nil)
	}
	eventually(t, "the record has all its rounds", func() bool { return s.recordRounds(t, code, host) >= rounds })
	hostConn.close()
	return code, seated
}

// A session record at its bounds is about 8 MB of HTML. The room page and the first
// message of every new event stream carried it whole: a GET of the page cost 8 MB, and
// each stream that never read held its own render of it until its write deadline, so a
// few hundred streams from one address held gigabytes. The live view now shows only the
// newest rounds (the downloads keep them all), so both are bounded whatever the record.
func TestAttackBigRecordOnThePageAndInEveryNewStream(t *testing.T) {
	// In memory: the test is about the record's size. With a database each of a socket's
	// commands is acknowledged after its commit, so the 400 commands sent in a burst over
	// one socket take 400 commits in a row (README, Storage).
	s := startServer(t, nil, "--joins-per-minute", "0", "--ws-message-rate", "0", "--data", "")
	const browsers = 4
	code, seated := bigRecordRoom(t, s, browsers)
	before := beforeAttack(t, s)

	// What one page and one stream's first message weigh: the newest rounds only.
	page := seated[0].get("/room/" + code)
	if page.status != http.StatusOK {
		t.Fatalf("the room page answered %d", page.status)
	}
	events := seated[0].feedEvents(code)
	first, ok := events.waitFor(5*time.Second, func(d string) bool { return strings.Contains(d, `id="record"`) })
	if !ok {
		t.Fatal("the stream's first message carries no record")
	}
	events.close()
	pageRounds := strings.Count(string(page.body), `data-testid="record-round"`)
	firstRounds := strings.Count(first, `data-testid="record-round"`)
	t.Logf("room page: %d bytes, %d rounds; first stream message: %d bytes, %d rounds", len(page.body), pageRounds, len(first), firstRounds)
	if pageRounds != views.RecordShown || firstRounds != views.RecordShown {
		t.Errorf("the room page shows %d rounds and a stream's first message %d, want the newest %d", pageRounds, firstRounds, views.RecordShown)
	}
	// The newest 20 rounds, each listing 100 names of 400 bytes, and the rest of the
	// room are under 1 MB; the whole record is 9 MB.
	const most = 2 << 20
	if len(page.body) > most || len(first) > most {
		t.Errorf("the room page is %d bytes and a stream's first message %d: they carry the whole record", len(page.body), len(first))
	}

	// Streams that never read, opened one after the other so that each gets a render
	// of its own: each holds its first message until its write deadline.
	var peak atomic.Uint64
	stopWatch := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peak.Store(max(peak.Load(), m.HeapInuse))
			select {
			case <-stopWatch:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	const perBrowser = 8 // --connections-per-player
	const published = "pokerd_sse_events_published_total"
	var conns []net.Conn
	for _, b := range seated {
		for range perBrowser {
			sent := s.metric(t, published)
			conns = append(conns, b.dialEvents(code, 4096))
			// Its first message is drawn and handed to it (well within the write
			// deadline) before the next one comes, so that none shares a render.
			eventually(t, "the stream's first message", func() bool { return s.metric(t, published) > sent })
		}
	}
	close(stopWatch)
	<-watched
	// What the stalled streams hold, garbage collected: their first messages.
	heap := settledHeap()
	held := float64(heap-min(heap, before.heap)) / (1 << 20)
	for _, c := range conns {
		c.Close()
	}
	grown := float64(peak.Load()-min(peak.Load(), before.heap)) / (1 << 20)
	t.Logf("%d stalled streams: they hold %.0f MiB; the heap grew by %.0f MiB at most, garbage included", len(conns), held, grown)
	if held > 64 {
		t.Errorf("%d event streams that do not read hold %.0f MiB", len(conns), held)
	}
	survivedAttack(t, s, before)
}
