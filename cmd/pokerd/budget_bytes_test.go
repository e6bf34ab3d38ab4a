package main

// What one vote costs a browser (issue 12, "small and cheap updates"): the bytes a
// watching browser's event stream delivers for one other player's vote, in rooms of 10
// and 50 players, whether the vote comes over the WebSocket API or from another
// browser's htmx post. The budget is 1 KB per browser per vote, whatever the room's size:
// a vote changes one row and the count, so that is all it may send.
//
//	go test -race -count=1 -timeout 120s -run TestBrowserBytesPerVote -v ./cmd/pokerd/

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
)

const (
	// voteBudget is the most one vote may send each browser, SSE framing included.
	voteBudget = 1024
	// streamQuiet is how long a stream must send nothing for what it sent to be taken
	// as all there is for one change. The renderer publishes a change at once; this is
	// what is left once the expected message has come.
	streamQuiet = 500 * time.Millisecond
	// streamWait bounds each wait for a message that must come.
	streamWait = 10 * time.Second
)

// rawStream is a browser's event stream read straight from its socket: each SSE event
// whole, as the bytes the browser receives (its event: and data: lines and the blank
// line that ends it), and the bytes the socket carried (HTTP chunk framing included).
type rawStream struct {
	events chan []byte
	wire   *countingConn
	done   chan struct{}
}

// countingConn counts the bytes read from a connection.
type countingConn struct {
	net.Conn
	read atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}

// rawEvents opens the room's event stream as this browser, on a socket of its own, and
// reads it until the test ends. Keepalive comments are not handed over: they are no
// part of any change.
func (b *formClient) rawEvents(code string) *rawStream {
	b.t.Helper()
	conn := &countingConn{Conn: b.dialEvents(code, 0)}
	_ = conn.SetReadDeadline(time.Now().Add(streamWait))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		b.t.Fatalf("events: %v", err)
	}
	_ = conn.SetReadDeadline(time.Time{})
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		body, _ := io.ReadAll(io.LimitReader(res.Body, 1024))
		b.t.Fatalf("events: %d %v %s", res.StatusCode, res.Header, body)
	}
	r := &rawStream{events: make(chan []byte, 1024), wire: conn, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		defer close(r.events)
		lines := bufio.NewReader(res.Body)
		var event []byte
		onlyComments := true
		for {
			line, err := lines.ReadBytes('\n')
			if err != nil {
				return
			}
			event = append(event, line...)
			switch {
			case len(bytes.TrimRight(line, "\r\n")) == 0:
				if !onlyComments {
					r.events <- event
				}
				event, onlyComments = nil, true
			case line[0] != ':':
				onlyComments = false
			}
		}
	}()
	b.t.Cleanup(func() {
		conn.Close()
		<-r.done
	})
	return r
}

// settle reads events until one for which until holds (none: the first that comes),
// then until the stream has been quiet for streamQuiet, and returns them all.
func (r *rawStream) settle(t *testing.T, what string, until func([]byte) bool) [][]byte {
	t.Helper()
	var got [][]byte
	deadline := time.NewTimer(streamWait)
	defer deadline.Stop()
	for seen := false; !seen; {
		select {
		case ev, open := <-r.events:
			if !open {
				t.Fatalf("the stream ended while waiting for %s", what)
			}
			got = append(got, ev)
			seen = until == nil || until(ev)
		case <-deadline.C:
			t.Fatalf("no message with %s within %s (%d other messages, %d bytes)", what, streamWait, len(got), total(got))
		}
	}
	for {
		select {
		case ev, open := <-r.events:
			if !open {
				return got
			}
			got = append(got, ev)
		case <-time.After(streamQuiet):
			return got
		case <-deadline.C:
			t.Fatalf("the stream was not quiet within %s after %s: %d messages, %d bytes", streamWait, what, len(got), total(got))
		}
	}
}

func total(events [][]byte) int {
	n := 0
	for _, ev := range events {
		n += len(ev)
	}
	return n
}

// votedRow holds when the message shows the player of this alias as having voted: an
// element marked data-testid="player-<alias>" that says data-voted="true", whatever the
// order of its attributes.
func votedRow(alias string) func([]byte) bool {
	marker := []byte(`data-testid="player-` + alias + `"`)
	return func(ev []byte) bool {
		for rest := ev; ; {
			i := bytes.Index(rest, marker)
			if i < 0 {
				return false
			}
			start := bytes.LastIndexByte(rest[:i], '<')
			end := bytes.IndexByte(rest[i:], '>')
			if start >= 0 && end >= 0 && bytes.Contains(rest[start:i+end], []byte(`data-voted="true"`)) {
				return true
			}
			rest = rest[i+len(marker):]
		}
	}
}

// drainSocket reads everything a WebSocket player is sent until the socket closes, as
// the Vue frontend does, so that the server never drops it as too slow.
func drainSocket(c *wsClient) {
	go func() {
		for {
			if _, _, err := c.conn.Read(context.Background()); err != nil {
				return
			}
		}
	}()
}

// votingRoom is a room of n players in a round, all of them online: the facilitator and
// two more people in browsers (one watching its stream from the socket, one who votes by
// htmx), and the others over the WebSocket API.
type votingRoom struct {
	code      string
	watcher   *rawStream
	htmxVoter *formClient
	wsVoter   *wsClient
	// The voters' aliases, as pages name them.
	htmxAlias, wsAlias string
}

func seatVotingRoom(t *testing.T, s *testServer, n int) votingRoom {
	t.Helper()
	ann := s.newFormClient(t)
	code := ann.createRoom(fmt.Sprintf("Budget of %d", n), "Player 1")
	ann.feedEvents(code)
	watching := s.newFormClient(t)
	watching.joinRoom(code, "Player 2")
	voter := s.newFormClient(t)
	voter.joinRoom(code, "Player 3")
	voter.feedEvents(code)
	room := votingRoom{code: code, htmxVoter: voter}
	for i := 4; i <= n; i++ {
		c := s.dial(t, s.join(t, code, fmt.Sprintf("Player %d", i)), code)
		drainSocket(c)
		if room.wsVoter == nil {
			room.wsVoter = c
		}
	}
	// The watcher comes last, so that every arrival before it is behind it.
	room.watcher = watching.rawEvents(code)

	page := ann.page(code)
	room.htmxAlias, room.wsAlias = playerAliasOf(t, page, "Player 3"), playerAliasOf(t, page, "Player 4")
	eventually(t, fmt.Sprintf("all %d players online", n), func() bool {
		return strings.Count(ann.page(code), `data-connected="true"`) == n
	})
	if res := ann.post("/room/"+code+"/start", nil, true); res.status != http.StatusOK {
		t.Fatalf("start: %d %s", res.status, res.body)
	}
	room.watcher.settle(t, "the round voting", func(ev []byte) bool { return bytes.Contains(ev, []byte("Voting")) })
	voter.get("/room/" + code) // its token, for its htmx posts
	return room
}

// checkVoteBytes has the player of this alias vote, reads what the watcher is sent for
// it, and fails when that is more than the budget or does not show the vote.
func (r votingRoom) checkVoteBytes(t *testing.T, players int, how, alias string, vote func()) {
	t.Helper()
	wireBefore := r.watcher.wire.read.Load()
	vote()
	events := r.watcher.settle(t, "the vote on "+alias+"'s row", votedRow(alias))
	sent, wire := total(events), r.watcher.wire.read.Load()-wireBefore
	t.Logf("a vote %s in a room of %d: %d bytes in %d SSE message(s) to each browser (%d on the wire)", how, players, sent, len(events), wire)
	if sent > voteBudget {
		first := string(events[0])
		if len(first) > 600 {
			first = first[:600] + "…"
		}
		t.Errorf("a vote %s in a room of %d sends each browser %d bytes in %d message(s), want at most %d; the first begins:\n%s", how, players, sent, len(events), voteBudget, first)
	}
}

func TestBrowserBytesPerVote(t *testing.T) {
	for _, players := range []int{10, 50} {
		t.Run(fmt.Sprintf("a room of %d players", players), func(t *testing.T) {
			s := startServer(t, nil, "--joins-per-minute", "0", "--ws-message-rate", "0")
			room := seatVotingRoom(t, s, players)

			t.Run("a vote over the WebSocket sends each browser at most 1 KB", func(t *testing.T) {
				room.checkVoteBytes(t, players, "over the WebSocket", room.wsAlias, func() {
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					defer cancel()
					if err := room.wsVoter.conn.Write(ctx, websocket.MessageText, []byte(`{"type":"SUBMITVOTE","payload":8}`)); err != nil {
						t.Fatalf("vote: %v", err)
					}
				})
			})

			t.Run("a vote by an htmx post sends each browser at most 1 KB", func(t *testing.T) {
				voter := *room.htmxVoter
				voter.t = t
				room.checkVoteBytes(t, players, "by an htmx post", room.htmxAlias, func() {
					if res := voter.post("/room/"+room.code+"/vote", url.Values{"value": {"5"}}, true); res.status != http.StatusOK {
						t.Fatalf("vote: %d %s", res.status, res.body)
					}
				})
			})
		})
	}
}
