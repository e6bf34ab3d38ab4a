package main

// Attacks found in review, after the first suite: variations of the findings of the
// issue that its fixes had missed.

import (
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
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
		for i := range perPath {
			wg.Go(func() {
				conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
				if err != nil {
					t.Errorf("%s %d: %v", path, i, err)
					return
				}
				defer conn.Close()
				head := "GET " + path + " HTTP/1.1\r\nHost: " + addr + "\r\nContent-Length: 1000\r\n\r\n"
				if _, err := io.WriteString(conn, head); err != nil {
					t.Errorf("%s %d: %v", path, i, err)
					return
				}
				closed := make(chan struct{})
				go func() {
					_, _ = io.Copy(io.Discard, conn)
					close(closed)
				}()
				tick := time.NewTicker(200 * time.Millisecond)
				defer tick.Stop()
				giveUp := time.After(8 * time.Second)
				for {
					select {
					case <-closed:
						return
					case <-giveUp:
						held.Add(1)
						return
					case <-tick.C:
						_, _ = conn.Write([]byte("a"))
					}
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
