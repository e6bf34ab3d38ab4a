package main

// Helpers of the attack suite (attack_*_test.go): each test plays one way of abusing the
// server through its public surface, on loopback, bounded in count and time, and then
// proves the server came through it: alive, answering /healthz, an ordinary player in
// another room still completes a round, and the goroutines and heap it held go back to
// their level from before the attack.

import (
	"io"
	"net"
	"net/http"
	"runtime"
	"testing"
	"time"
)

// attackBaseline is what the process held before an attack.
type attackBaseline struct {
	goroutines int
	heap       uint64 // bytes in use after a collection
}

// settledHeap is the heap in use once garbage is collected.
func settledHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// beforeAttack records the goroutines and heap of the process (the test and the server
// in it) before an attack. Call it once the server is up and any rooms the test needs are
// open, so that only what the attack added is measured.
func beforeAttack(t testing.TB, s *testServer) attackBaseline {
	t.Helper()
	// One ordinary round first, so that what the first round allocates once (caches,
	// pools, templates) is in the baseline and not counted against the attack.
	s.ordinaryRound(t)
	return attackBaseline{goroutines: runtime.NumGoroutine(), heap: settledHeap()}
}

// attackHeapSlack is how much more heap than before an attack may stay in use after
// it: enough for what the runtime and the rooms the attack left behind legitimately
// keep, far below what any of the attacks would hold if it had succeeded.
const attackHeapSlack = 16 << 20

// attackGoroutineSlack allows for goroutines that come and go on their own (an HTTP
// keep-alive connection of the test's client, a timer firing).
const attackGoroutineSlack = 8

// survivedAttack fails the test unless the server answers /healthz, an ordinary player
// in a room of their own completes a round, and, once the attack's clients are closed,
// the goroutines and the heap come back to their level before the attack (within slack)
// in at most 20 s. Close every connection of the attack before calling it.
func survivedAttack(t testing.TB, s *testServer, before attackBaseline) {
	t.Helper()
	if res := s.get(t, "/healthz"); res.status != http.StatusOK {
		t.Fatalf("/healthz answered %d after the attack", res.status)
	}
	s.ordinaryRound(t)
	http.DefaultClient.CloseIdleConnections()
	deadline := time.Now().Add(20 * time.Second)
	var goroutines int
	var heap uint64
	for {
		goroutines, heap = runtime.NumGoroutine(), settledHeap()
		if goroutines <= before.goroutines+attackGoroutineSlack && heap <= before.heap+attackHeapSlack {
			return
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("after the attack the process kept %d goroutines (%d before) and %.1f MiB of heap (%.1f MiB before)",
		goroutines, before.goroutines, float64(heap)/(1<<20), float64(before.heap)/(1<<20))
}

// get is a GET whose answer is read whole.
func (s *testServer) get(t testing.TB, path string) response {
	t.Helper()
	return s.do(t, http.MethodGet, path, "", nil)
}

// ordinaryRound is a team that is not under attack: a facilitator and a player in a new
// room of their own, over the WebSocket API, vote and reveal. It fails the test when any
// step does not happen in time.
func (s *testServer) ordinaryRound(t testing.TB) {
	t.Helper()
	code := s.createGame(t, "Ordinary team")
	lead := s.join(t, code, "Lead")
	member := s.join(t, code, "Member")
	leadConn := s.connect(t, lead, code)
	memberConn := s.connect(t, member, code)
	leadConn.expectPlayer("CONNECTED", member)
	memberConn.send("SUBMITVOTE", 5)
	leadConn.expectPlayer("PLAYERVOTED", member)
	leadConn.send("REVEAL", nil)
	leadConn.expect("REVEALGAME")
	memberConn.expect("PLAYERVOTED") // its own vote comes back first
	memberConn.expect("REVEALGAME")
	leadConn.close()
	memberConn.close()
}

// The suite's own check: with no attack, a server survives.
func TestAttackSuiteHelpersPassOnAQuietServer(t *testing.T) {
	s := startServer(t, nil)
	before := beforeAttack(t, s)
	survivedAttack(t, s, before)
}

// trickledRequest sends head, then one byte of body every 200 ms, and reports whether
// the server still held the connection after 8 s (false: it cut it, as it should, or
// the dial failed, which is reported as an error).
func trickledRequest(t testing.TB, addr, head string) (held bool) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Errorf("dial: %v", err)
		return false
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, head); err != nil {
		t.Errorf("sending the head: %v", err)
		return false
	}
	// Reading tells when the server closes the connection.
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
			return false
		case <-giveUp:
			return true
		case <-tick.C:
			_, _ = conn.Write([]byte("{"))
		}
	}
}
