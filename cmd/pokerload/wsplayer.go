package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/coder/websocket"
)

// wsPlayer is a player on the WebSocket API, as a Vue client is one.
type wsPlayer struct {
	room *room
	id   string
	name string // unique in its room: the pages name players by alias, and show the name
	idx  int    // in room.ws
	conn *websocket.Conn

	round int64 // the round of the last RESETGAME; only the reader touches it

	frames   atomic.Int64 // every frame received
	bytes    atomic.Int64 // their payload
	lastAt   atomic.Int64 // when the last frame arrived (clock)
	gotState atomic.Bool
	// firstState is the first STATE received, written by the reader before gotState.
	firstState []byte
	closed     atomic.Bool // the connection ended while the run still wanted it
	lat        samples     // PLAYERVOTED latencies of the other players' votes
	stray      atomic.Int64
}

// wsURL turns the server's base URL into the player's WebSocket URL.
func wsURL(base, playerID, code string) string {
	u := base + "/api/ws/" + playerID + "/" + code
	if rest, ok := strings.CutPrefix(u, "https://"); ok {
		return "wss://" + rest
	}
	return "ws://" + strings.TrimPrefix(u, "http://")
}

func dialPlayer(ctx context.Context, base, playerID, code string, client *http.Client) (*websocket.Conn, error) {
	conn, _, err := websocket.Dial(ctx, wsURL(base, playerID, code), &websocket.DialOptions{HTTPClient: client})
	if err != nil {
		return nil, err
	}
	conn.SetReadLimit(1 << 20) // a STATE of a big room is larger than the default 32 KiB
	return conn, nil
}

// Frames of interest, as the server writes them (pokerd and the baseline alike).
var (
	prefixVoted = []byte(`{"type":"PLAYERVOTED","payload":{"id":"`)
	prefixReset = []byte(`{"type":"RESETGAME","payload":"`)
	prefixState = []byte(`{"type":"STATE"`)
	roundMarker = []byte("/round/")
)

// read counts every frame and times the votes, until the connection ends. stopping
// tells an end the run asked for from an unexpected close.
func (p *wsPlayer) read(ctx context.Context, stopping *atomic.Bool) {
	// A context of its own: every read registers with its context, and one shared by
	// all readers would make them queue on its lock.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	buf := make([]byte, 0, 4<<10) // reused: the generator must not be what limits the rate
	for {
		data, err := readFrame(ctx, p.conn, buf[:0])
		if err != nil {
			if ctx.Err() == nil && !stopping.Load() {
				p.closed.Store(true)
			}
			return
		}
		buf = data
		now := p.room.clock.now()
		p.frames.Add(1)
		p.bytes.Add(int64(len(data)))
		p.lastAt.Store(now)
		p.handle(data, now)
	}
}

// readFrame reads one whole message into buf, growing it as needed.
func readFrame(ctx context.Context, conn *websocket.Conn, buf []byte) ([]byte, error) {
	_, r, err := conn.Reader(ctx)
	if err != nil {
		return buf, err
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

func (p *wsPlayer) handle(data []byte, now int64) {
	r := p.room
	switch {
	case bytes.HasPrefix(data, prefixVoted):
		rest := data[len(prefixVoted):]
		if len(rest) < 36 {
			return
		}
		voter, ok := r.voterOf(rest[:36])
		if !ok {
			return // a player the load does not drive
		}
		if p.idx == 0 && p.round == r.adminRound.Load() {
			r.adminVotes.Add(1)
			r.signalAdmin()
		}
		if voter == p.idx {
			return // the voter's own echo counts as delivered, not as a latency sample
		}
		if at, ok := r.sentAt(p.round, voter); ok {
			p.lat.add(now - at)
		} else {
			p.stray.Add(1) // a vote heard outside the round it was sent in
		}
	case bytes.HasPrefix(data, prefixReset):
		p.round = roundOf(data)
		if p.idx == 0 {
			r.adminVotes.Store(0)
			r.adminRound.Store(p.round)
			r.signalAdmin()
		}
	case bytes.HasPrefix(data, prefixState):
		if !p.gotState.Load() {
			p.firstState = bytes.Clone(data) // read once gotState is seen
			p.gotState.Store(true)
		}
	}
}

// roundOf reads n from the first ".../round/<n>" in b; 0 when there is none.
func roundOf(b []byte) int64 {
	i := bytes.Index(b, roundMarker)
	if i < 0 {
		return 0
	}
	digits := b[i+len(roundMarker):]
	n := 0
	for n < len(digits) && digits[n] >= '0' && digits[n] <= '9' {
		n++
	}
	v, _ := strconv.ParseInt(string(digits[:n]), 10, 64)
	return v
}
