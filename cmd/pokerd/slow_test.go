//go:build linux

package main

import (
	"context"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// dialStalled opens a WebSocket whose client never reads, with a tiny receive buffer so
// that the server's writes back up quickly.
func (s *testServer) dialStalled(t *testing.T, playerID, code string) *websocket.Conn {
	t.Helper()
	dialer := &net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var sockErr error
		err := rc.Control(func(fd uintptr) {
			sockErr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		})
		if err != nil {
			return err
		}
		return sockErr
	}}
	client := &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext}}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, s.wsBase+"/api/ws/"+playerID+"/"+code, &websocket.DialOptions{HTTPClient: client})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	return conn
}

func TestSlowConsumerDoesNotHoldBackItsRoom(t *testing.T) {
	// A full room of players from one address: the per-address join limit is lifted.
	s := startServer(t, nil, "--ws-outbox", "16", "--ws-message-rate", "0", "--ws-write-timeout", "1m", "--joins-per-minute", "0")
	code := s.createGame(t, "slow")
	voterID := s.join(t, code, "Voter")
	watcherID := s.join(t, code, "Watcher")
	slowID := s.join(t, code, "Sleepy")
	// Long names make every STATE large, so the stalled socket fills up within a few
	// hundred messages.
	// The longest names (100 characters), in 4-byte characters: 400 bytes each.
	for i := range 90 {
		s.join(t, code, string(rune('a'+i%26))+strings.Repeat("🂡", 99))
	}
	voter := s.connect(t, voterID, code)
	watcher := s.connect(t, watcherID, code)
	voter.expectPlayer("CONNECTED", watcherID)
	stalled := s.dialStalled(t, slowID, code)
	voter.expectPlayer("CONNECTED", slowID)
	watcher.expectPlayer("CONNECTED", slowID)

	// The stalled client asks for the (large) state again and again and reads nothing.
	flood := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for range 2000 {
			if err := stalled.Write(ctx, websocket.MessageText, []byte(`{"type":"SYNC","payload":null}`)); err != nil {
				flood <- nil // the server has cut it off
				return
			}
		}
		flood <- nil
	}()

	// Meanwhile the rest of the room goes on: every vote reaches the others, and the
	// stalled client is disconnected rather than waited for.
	const votes = 100
	cards := []float64{1, 2, 3, 5, 8}
	sawDisconnect := map[*wsClient]bool{}
	nextVote := func(c *wsClient) {
		for {
			m := c.next()
			if m.Type == "DISCONNECTED" && !sawDisconnect[c] {
				var p player
				c.decode(m, &p)
				if p.ID != c.nameOf(slowID) {
					t.Fatalf("unexpected DISCONNECTED of %s", p.ID)
				}
				sawDisconnect[c] = true
				continue
			}
			if m.Type != "PLAYERVOTED" {
				t.Fatalf("got %s %s", m.Type, m.Payload)
			}
			return
		}
	}
	for i := range votes {
		voter.send("SUBMITVOTE", cards[i%len(cards)])
		nextVote(watcher)
		nextVote(voter)
	}
	for _, c := range []*wsClient{voter, watcher} {
		if !sawDisconnect[c] {
			c.expectPlayer("DISCONNECTED", slowID)
		}
	}
	<-flood
	if ps, listed := watcher.sync().PlayerStates[watcher.nameOf(slowID)]; !listed || ps.IsConnected {
		t.Fatal("the stalled client still counts as connected")
	}
}
