package main

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/coder/websocket"
)

// BenchmarkVoteFanoutSockets50 measures one vote's trip from a player's socket through
// the room to all 50 connected WebSockets of its game, over loopback TCP: an iteration
// ends when every socket has read the PLAYERVOTED.
func BenchmarkVoteFanoutSockets50(b *testing.B) {
	const players = 50
	s := startServer(b, nil, "--ws-message-rate", "0", "--log-level", "warn", "--ws-outbox", "1024")
	code := s.createGame(b, "bench")
	ids := make([]string, players)
	for i := range ids {
		ids[i] = s.join(b, code, "player")
	}
	clients := make([]*wsClient, players)
	for i, id := range ids {
		clients[i] = s.connect(b, id, code)
		// Everyone connected so far hears this player's CONNECTED.
		for _, earlier := range clients[:i] {
			earlier.expectPlayer("CONNECTED", id)
		}
	}

	// One reader per socket counts votes; a vote is done when all have seen it.
	var round sync.WaitGroup
	ctx, cancel := context.WithCancel(context.Background())
	var readers sync.WaitGroup
	for _, c := range clients {
		readers.Go(func() {
			for {
				_, data, err := c.conn.Read(ctx)
				if err != nil {
					return
				}
				// Only votes count: closing the sockets at the end makes DISCONNECTEDs.
				if bytes.HasPrefix(data, []byte(`{"type":"PLAYERVOTED"`)) {
					round.Done()
				}
			}
		})
	}
	vote := []byte(`{"type":"SUBMITVOTE","payload":5}`)
	voter := clients[0].conn
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		round.Add(players)
		if err := voter.Write(ctx, websocket.MessageText, vote); err != nil {
			b.Fatal(err)
		}
		round.Wait()
	}
	b.StopTimer()
	b.ReportMetric(players, "deliveries/op")
	cancel()
	readers.Wait()
}
