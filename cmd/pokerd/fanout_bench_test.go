package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
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

// BenchmarkUpdateFanoutSSE50 measures one change reaching 50 browsers: a vote sent over
// the WebSocket API makes the room render its shared fragments once and publish them to
// its SSE stream; an iteration ends when all 50 streams have read an update.
func BenchmarkUpdateFanoutSSE50(b *testing.B) {
	const browsers = 50
	s := startServer(b, nil, "--ws-message-rate", "0", "--log-level", "warn", "--max-players", "200")
	code := s.createGame(b, "bench")
	voter := s.connect(b, s.join(b, code, "voter"), code)

	ctx, cancel := context.WithCancel(context.Background())
	var readers sync.WaitGroup
	updates := make([]chan struct{}, browsers)
	for i := range browsers {
		jar, _ := cookiejar.New(nil)
		fc := &formClient{s: s, client: &http.Client{Jar: jar}}
		joinForBench(b, fc, code, "browser "+strconv.Itoa(i))
		req, _ := http.NewRequestWithContext(ctx, "GET", s.base+"/room/"+code+"/events", nil)
		res, err := fc.client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		updates[i] = make(chan struct{}, 1024)
		readers.Go(func() {
			defer res.Body.Close()
			lines := bufio.NewReader(res.Body)
			for {
				line, err := lines.ReadString('\n')
				if err != nil {
					return
				}
				if line == "event: update\n" {
					select {
					case updates[i] <- struct{}{}:
					default:
					}
				}
			}
		})
	}
	// The voter's own messages are read and dropped, so that its outbox never fills.
	readers.Go(func() {
		for {
			if _, _, err := voter.conn.Read(ctx); err != nil {
				return
			}
		}
	})
	values := []int{1, 2, 3, 5, 8}
	vote := func(i int) {
		for _, ch := range updates { // forget earlier updates
			for len(ch) > 0 {
				<-ch
			}
		}
		voter.send("SUBMITVOTE", values[i%len(values)])
		for _, ch := range updates {
			<-ch
		}
	}
	for i := range 5 { // every stream is open and the joins' updates are through
		vote(i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		vote(i)
		i++
	}
	b.StopTimer()
	b.ReportMetric(browsers, "deliveries/op")
	cancel()
	readers.Wait()
}

// joinForBench seats a cookie-holding client through the join form.
func joinForBench(b *testing.B, fc *formClient, code, name string) {
	req, _ := http.NewRequest("GET", fc.s.base+"/join/"+code, nil)
	res, err := fc.client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfField.FindSubmatch(body)
	if m == nil {
		b.Fatalf("no CSRF token in the join page: %d", res.StatusCode)
	}
	form := url.Values{"your_name": {name}, "_csrf": {string(m[1])}}
	res, err = fc.client.PostForm(fc.s.base+"/join/"+code, form)
	if err != nil {
		b.Fatal(err)
	}
	res.Body.Close()
}
