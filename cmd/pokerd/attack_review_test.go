package main

// Attacks found in review, after the first suite: variations of the findings of the
// issue that its fixes had missed.

import (
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The routes of long-lived connections lift the read deadline of an ordinary request.
// A request to one of them that declares a body, refused or not, was then held for as
// long as its client trickled that body (net/http reads what the handler left of it
// before it answers), with no deadline and outside every connection limit: finding 7
// again, through the WebSocket and event-stream routes.
func TestAttackTrickledBodiesToLongLivedRoutes(t *testing.T) {
	s := startServer(t, nil, "--read-timeout", "1s", "--write-timeout", "1s")
	before := beforeAttack(t, s)

	addr := strings.TrimPrefix(s.base, "http://")
	paths := []string{
		"/api/ws/not-a-uuid/abcd",
		"/api/ws/00000000-0000-4000-8000-000000000000/abcd",
		"/room/abcd/events",
	}
	const perPath = 20
	var wg sync.WaitGroup
	var held atomic.Int32
	for _, path := range paths {
		for range perPath {
			wg.Go(func() {
				head := "GET " + path + " HTTP/1.1\r\nHost: " + addr + "\r\nContent-Length: 1000\r\n\r\n"
				if trickledRequest(t, addr, head) {
					held.Add(1)
				}
			})
		}
	}
	wg.Wait()
	if n := held.Load(); n > 0 {
		t.Errorf("%d of %d trickled requests to long-lived routes were still held after 8 s; the read timeout is 1 s", n, perPath*len(paths))
	}
	survivedAttack(t, s, before)
}

// The event stream's not-found answer echoed the room code from the path whole: a path
// of 60,000 characters came back as a 60 kB message (errors never echo unbounded input;
// every other route cuts it).
func TestEventStreamNotFoundDoesNotEchoALongPath(t *testing.T) {
	s := startServer(t, nil)
	long := strings.Repeat("a", 60_000)
	res := s.get(t, "/room/"+long+"/events")
	if res.status != http.StatusNotFound {
		t.Fatalf("GET /room/<60000 characters>/events answered %d, want 404", res.status)
	}
	if len(res.body) > 1024 {
		t.Fatalf("the 404 of a 60000-character code is %d bytes long: it echoes the path", len(res.body))
	}
}

// The session record's CSV was built whole in memory before a byte was sent: for a room
// at its bounds (100 players with 100-character names, 200 rounds, 2 KiB ticket links,
// which every row repeats) that is 49 MiB in a buffer of 64 MiB, held until the client
// has read it or the write deadline passes. A few downloads that do not read took
// gigabytes. The facilitator of a room anyone can open may download it, as often and
// as many times at once as they like.
func TestAttackStalledDownloadsOfABigRecord(t *testing.T) {
	// In memory: the test is about the record's size. With a database each of a socket's
	// commands is acknowledged after its commit, so the 400 commands sent in a burst over
	// one socket take 400 commits in a row (README, Storage).
	s := startServer(t, nil, "--joins-per-minute", "0", "--ws-message-rate", "0", "--write-timeout", "5s", "--data", "")
	code := s.createGame(t, "Big record")
	host := s.join(t, code, "Host")
	name := strings.Repeat("𝕏", 100)
	for range 99 {
		s.join(t, code, name)
	}
	hostConn := s.dial(t, host, code)
	ticket := "https://example.org/" + strings.Repeat("a", 2020)
	const rounds = 200
	for range rounds {
		hostConn.send("RESET", ticket)
		hostConn.send("REVEAL", nil)
		// Round by round: a burst of 400 commands would fill the host's outbox with
		// reveals of 100 players faster than a busy machine reads it, and drop the host
		// as too slow before the record is made.
		for hostConn.next().Type != "REVEALGAME" {
		}
	}
	recordPath := "/api/game/" + code + "/record.csv?player_id=" + host
	eventuallyWithin(t, time.Minute, "the record has all its rounds", func() bool {
		// A read of 49 MiB may outlast the 5 s write deadline on a busy machine: the
		// server then cuts it, and the next try reads again (a few tries: a minute).
		res, err := http.Get(s.base + recordPath)
		if err != nil {
			return false
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		return err == nil && res.StatusCode == http.StatusOK && strings.Count(string(body), "\n") >= rounds*100
	})
	hostConn.close()
	before := beforeAttack(t, s)

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
	addr := strings.TrimPrefix(s.base, "http://")
	const downloads = 16
	var conns []net.Conn
	// Half the downloads ask for the CSV, half for the JSON: both are written as made.
	paths := []string{recordPath, "/api/game/" + code + "/record?player_id=" + host}
	for i := range downloads {
		d := net.Dialer{Timeout: 5 * time.Second, Control: func(_, _ string, c syscall.RawConn) error {
			return c.Control(func(fd uintptr) { _ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		}}
		conn, err := d.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
		if _, err := io.WriteString(conn, "GET "+paths[i%2]+" HTTP/1.1\r\nHost: "+addr+"\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
	}
	// The downloads stall for a while (no reading), well within the write deadline.
	time.Sleep(3 * time.Second)
	close(stopWatch)
	<-watched
	for _, c := range conns {
		c.Close()
	}
	grown := float64(peak.Load()-min(peak.Load(), before.heap)) / (1 << 20)
	t.Logf("%d stalled downloads of the record: the heap grew by %.0f MiB at most", downloads, grown)
	if grown > 64 {
		t.Errorf("%d stalled downloads of one record grew the heap by %.0f MiB", downloads, grown)
	}
	survivedAttack(t, s, before)
}
