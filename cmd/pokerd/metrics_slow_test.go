//go:build linux

package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// A client that stops reading is cut off once its outbox fills, and the operator sees it
// counted once as a slow client, whatever more the room tried to send it.
func TestMetricsCountSlowClientsDropped(t *testing.T) {
	s := startServer(t, nil, "--ws-outbox", "4", "--ws-message-rate", "0", "--ws-write-timeout", "1m")
	code := s.createGame(t, "slow")
	slowID := s.join(t, code, "Sleepy")
	for i := range 50 { // large states fill the socket's buffers within a few messages
		// The longest names, in 4-byte characters: 400 bytes each.
		s.join(t, code, string(rune('a'+i%26))+strings.Repeat("🂡", 99))
	}
	stalled := s.dialStalled(t, slowID, code)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for range 2000 {
		if err := stalled.Write(ctx, websocket.MessageText, []byte(`{"type":"SYNC","payload":null}`)); err != nil {
			break // the server has cut it off
		}
	}
	s.waitForMetrics(t, map[string]float64{
		`pokerd_websocket_clients_dropped_total{reason="slow_client"}`:  1,
		`pokerd_websocket_clients_dropped_total{reason="write_failed"}`: 0,
	})
	// The socket closes later: the stalled client never answers the server's close
	// frame, so closing waits some seconds for it, or for the client to go.
}
