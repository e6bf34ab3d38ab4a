package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// baselineServer is the smallest honest fan-out server that speaks the subset of
// pokerd's API the load uses: create a game, join it, and the WebSocket with STATE on
// connect, SUBMITVOTE → PLAYERVOTED, RESET → RESETGAME and REVEAL → REVEALGAME, in the
// same JSON. It is what this machine allows for that work: one mutex-guarded map of
// rooms, each event encoded once per room, one writer goroutine per connection behind a
// bounded queue (a client that lets it fill is dropped, as pokerd drops it: no unbounded
// buffering), and no validation, limits or pages.
type baselineServer struct {
	outbox int

	mu    sync.Mutex
	rooms map[string]*baseRoom
}

type baseRoom struct {
	mu      sync.Mutex
	name    string
	code    string
	players []*basePlayer // join order
	byID    map[string]*basePlayer
	conns   map[*baseConn]struct{}
	round   string // INIT, VOTING, REVEALED
	ticket  *string
	start   *time.Time
}

type basePlayer struct {
	id, username string
	admin        bool
	voted        bool
	vote         float64
	sockets      int
}

type baseConn struct {
	conn   *websocket.Conn
	player *basePlayer
	out    chan []byte
	gone   chan struct{} // closed once the connection is dropped
	once   sync.Once
}

func newBaselineServer(outbox int) *baselineServer {
	return &baselineServer{outbox: outbox, rooms: map[string]*baseRoom{}}
}

func (s *baselineServer) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/game", s.createGame)
	mux.HandleFunc("POST /api/join/{code}", s.join)
	mux.HandleFunc("GET /api/ws/{id}/{code}", s.socket)
	return mux
}

func (s *baselineServer) createGame(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name string `json:"name"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&body); err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	room := &baseRoom{name: body.Name, byID: map[string]*basePlayer{}, conns: map[*baseConn]struct{}{}, round: "INIT"}
	s.mu.Lock()
	for room.code == "" || s.rooms[room.code] != nil {
		room.code = randomCode()
	}
	s.rooms[room.code] = room
	s.mu.Unlock()
	writeJSON(w, map[string]any{"name": room.name, "deck_id": 1, "game_settings": map[string]any{}, "code": room.code})
}

func (s *baselineServer) room(code string) *baseRoom {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rooms[code]
}

func (s *baselineServer) join(w http.ResponseWriter, r *http.Request) {
	room := s.room(r.PathValue("code"))
	if room == nil {
		http.Error(w, `{"detail": "No existing game found"}`, http.StatusNotFound)
		return
	}
	var body struct {
		Username string `json:"username"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&body); err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	p := &basePlayer{id: randomUUID(), username: body.Username}
	room.mu.Lock()
	p.admin = len(room.players) == 0
	room.players = append(room.players, p)
	room.byID[p.id] = p
	room.mu.Unlock()
	writeJSON(w, map[string]string{"id": p.id, "username": p.username})
}

func (s *baselineServer) socket(w http.ResponseWriter, r *http.Request) {
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return
	}
	room := s.room(r.PathValue("code"))
	if room == nil {
		conn.Close(4000, "No game")
		return
	}
	c := &baseConn{conn: conn, out: make(chan []byte, s.outbox), gone: make(chan struct{})}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	writerDone := make(chan struct{})
	go c.writeLoop(ctx, writerDone)

	room.mu.Lock()
	c.player = room.byID[r.PathValue("id")]
	if c.player == nil {
		room.mu.Unlock()
		cancel()
		<-writerDone
		conn.Close(4001, "Player not found")
		return
	}
	c.player.sockets++
	room.conns[c] = struct{}{}
	c.send(room.stateFrame())
	room.broadcast(envelope("CONNECTED", room.playerStateJSON(c.player)))
	room.mu.Unlock()

	c.readLoop(ctx, room)

	room.mu.Lock()
	delete(room.conns, c)
	c.player.sockets--
	if c.player.sockets == 0 {
		room.broadcast(envelope("DISCONNECTED", playerJSON(c.player)))
	}
	room.mu.Unlock()
	cancel()
	<-writerDone
	conn.Close(websocket.StatusNormalClosure, "")
}

// send queues a frame without waiting; a connection whose queue is full is dropped.
// Called under the room's lock.
func (c *baseConn) send(frame []byte) {
	select {
	case c.out <- frame:
	default:
		c.once.Do(func() { close(c.gone) })
	}
}

func (c *baseConn) writeLoop(ctx context.Context, done chan<- struct{}) {
	defer close(done)
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.gone:
			c.conn.Close(websocket.StatusPolicyViolation, "too slow")
			return
		case frame := <-c.out:
			wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			err := c.conn.Write(wctx, websocket.MessageText, frame)
			cancel()
			if err != nil {
				_ = c.conn.CloseNow()
				return
			}
		}
	}
}

func (c *baseConn) readLoop(ctx context.Context, room *baseRoom) {
	for {
		_, data, err := c.conn.Read(ctx)
		if err != nil {
			return
		}
		var msg struct {
			Type    string          `json:"type"`
			Payload json.RawMessage `json:"payload"`
		}
		if json.Unmarshal(data, &msg) != nil {
			continue
		}
		room.apply(c.player, msg.Type, msg.Payload)
	}
}

// apply runs one client message and broadcasts its event, encoded once.
func (r *baseRoom) apply(p *basePlayer, typ string, payload json.RawMessage) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch typ {
	case "SUBMITVOTE":
		var v float64
		if json.Unmarshal(payload, &v) != nil {
			return
		}
		p.voted, p.vote = true, v
		r.broadcast(envelope("PLAYERVOTED", playerJSON(p)))
	case "RESET":
		if !p.admin {
			return
		}
		var ticket *string
		_ = json.Unmarshal(payload, &ticket)
		now := time.Now().UTC()
		r.round, r.ticket, r.start = "VOTING", ticket, &now
		for _, q := range r.players {
			q.voted, q.vote = false, 0
		}
		t, _ := json.Marshal(ticket)
		r.broadcast(envelope("RESETGAME", t))
	case "REVEAL":
		if !p.admin {
			return
		}
		r.round = "REVEALED"
		r.broadcast(envelope("REVEALGAME", r.votesJSON()))
	case "SYNC":
		for c := range r.conns {
			if c.player == p {
				c.send(r.stateFrame())
			}
		}
	}
}

// broadcast queues frame for every connection of the room; called under its lock.
func (r *baseRoom) broadcast(frame []byte) {
	for c := range r.conns {
		c.send(frame)
	}
}

func envelope(typ string, payload []byte) []byte {
	b := make([]byte, 0, len(payload)+len(typ)+24)
	b = append(b, `{"type":"`...)
	b = append(b, typ...)
	b = append(b, `","payload":`...)
	b = append(b, payload...)
	return append(b, '}')
}

func playerJSON(p *basePlayer) []byte {
	b, _ := json.Marshal(struct {
		ID       string `json:"id"`
		Username string `json:"username"`
	}{p.id, p.username})
	return b
}

func (r *baseRoom) playerStateJSON(p *basePlayer) []byte {
	b, _ := json.Marshal(struct {
		Player      json.RawMessage `json:"player"`
		IsConnected bool            `json:"is_connected"`
		IsAdmin     bool            `json:"is_admin"`
		IsObserving bool            `json:"is_observing"`
		HasVoted    bool            `json:"has_voted"`
	}{playerJSON(p), p.sockets > 0, p.admin, false, p.voted})
	return b
}

// stateFrame is STATE, with the players in join order (a JSON object written by hand:
// encoding/json would sort the keys).
func (r *baseRoom) stateFrame() []byte {
	b := []byte(`{"game":`)
	game, _ := json.Marshal(map[string]any{"name": r.name, "deck_id": 1, "game_settings": map[string]any{}, "code": r.code})
	b = append(b, game...)
	b = append(b, `,"player_states":{`...)
	for i, p := range r.players {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, p.id)
		b = append(b, ':')
		b = append(b, r.playerStateJSON(p)...)
	}
	ticket, _ := json.Marshal(r.ticket)
	start := []byte("null")
	if r.start != nil {
		start = []byte(`"` + r.start.Format("2006-01-02T15:04:05.000000Z") + `"`)
	}
	b = append(b, `},"ticket_url":`...)
	b = append(b, ticket...)
	b = append(b, `,"round_state":"`+r.round+`","round_start":`...)
	b = append(b, start...)
	b = append(b, '}')
	return envelope("STATE", b)
}

func (r *baseRoom) votesJSON() []byte {
	b := []byte{'{'}
	for i, p := range r.players {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, p.id)
		b = append(b, ':')
		if p.voted {
			// Written as pokerd and its reference write floats: whole numbers as "5.0".
			b = strconv.AppendFloat(b, p.vote, 'f', -1, 64)
			if p.vote == math.Trunc(p.vote) {
				b = append(b, ".0"...)
			}
		} else {
			b = append(b, "null"...)
		}
	}
	return append(b, '}')
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func randomCode() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	var b [4]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:])
}

func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// serveBaseline runs the baseline server on addr until ctx ends; ready is told its
// base URL.
func serveBaseline(ctx context.Context, addr string, outbox int, ready func(url string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: newBaselineServer(outbox).handler(), ReadHeaderTimeout: 10 * time.Second}
	ready("http://" + ln.Addr().String())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	// Hijacked WebSockets are not closed by Shutdown: closing the listener and returning
	// ends the process, which is what the baseline's owner wants.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}
