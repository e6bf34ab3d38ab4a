package live

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
)

// sseKeepalive is how often an idle stream sends a comment, so that proxies and
// browsers do not take a quiet room for a dead connection.
const sseKeepalive = 25 * time.Second

// roomStreams is every browser event stream of the server. Each browser connection has
// a stream of its own in the SSE library (sse_library.go), which the connection's handler creates before it
// serves it and removes after: one owner for each stream's whole life, whatever order
// the library reports subscriptions in. One renderer per room draws the room's shared
// parts once per change and hands them to each of its connections without waiting, so
// that a browser that stops reading fills only its own stream.
type roomStreams struct {
	sse          eventStreams
	log          *slog.Logger
	writeTimeout time.Duration
	metrics      *streamMetrics
	faults       streamFaults
	// drawing draws the messages of rooms' streams: the views', which a test may replace.
	drawing liveDrawing
	lastID  atomic.Uint64 // numbers the connections, for their stream ids

	mu      sync.Mutex
	rooms   map[string]*roomRenderer // by room code
	conns   map[string]*streamConn   // by stream id
	closing bool
	serving sync.WaitGroup // connections between begin and finish
}

func newRoomStreams(log *slog.Logger, writeTimeout time.Duration, outbox int, m *streamMetrics, f streamFaults) *roomStreams {
	rs := &roomStreams{
		log: log, writeTimeout: writeTimeout, metrics: m, faults: f, drawing: viewsDrawing,
		rooms: map[string]*roomRenderer{}, conns: map[string]*streamConn{},
	}
	rs.sse = newR3labsStreams(outbox, rs.subscribed) // messages waiting for one browser: see streamConn.send
	return rs
}

// begin registers a browser's connection to a room's stream and creates the
// connection's own stream; it starts the room's renderer when the room has none.
// The stream id is chosen here, never by the client.
func (rs *roomStreams) begin(room *game.Room, player uuid.UUID, request context.Context, rc *http.ResponseController) (*streamConn, error) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.closing {
		return nil, &web.Error{Status: http.StatusServiceUnavailable, Detail: "The server is shutting down"}
	}
	r := rs.rooms[room.Code()]
	if r == nil {
		r = newRoomRenderer(rs, room)
		unsubscribe, err := room.Subscribe(r)
		if err != nil {
			return nil, err
		}
		rs.rooms[r.code] = r
		go r.run(unsubscribe)
	}
	ctx, cancel := context.WithCancel(request)
	c := &streamConn{
		id:     r.code + "/" + strconv.FormatUint(rs.lastID.Add(1), 10),
		player: player, renderer: r, streams: rs, ctx: ctx, cancel: cancel, rc: rc,
	}
	// A renderer still in rooms has not ended: it ends only after leaving rooms.
	if !r.join(c) {
		cancel()
		return nil, &web.Error{Status: http.StatusServiceUnavailable, Detail: "The room's stream has ended"}
	}
	rs.conns[c.id] = c
	rs.serving.Add(1)
	rs.sse.create(c.id)
	return c, nil
}

// subscribed is told by the SSE library, in a goroutine of its own, that a connection's
// reader is attached to its stream: the connection can now be sent the room's state.
// A connection that has already left is no longer found, and nothing is sent.
func (rs *roomStreams) subscribed(id string) {
	defer func() {
		if v := recover(); v != nil {
			rs.faults.panicked(panicStream, v, "stream", id)
		}
	}()
	rs.mu.Lock()
	c := rs.conns[id]
	rs.mu.Unlock()
	if c != nil {
		c.renderer.subscribed(c)
	}
}

// forget drops a finished connection from the registry.
func (rs *roomStreams) forget(c *streamConn) {
	rs.mu.Lock()
	delete(rs.conns, c.id)
	rs.mu.Unlock()
}

// renderEnded drops a renderer whose room closed from the registry.
func (rs *roomStreams) renderEnded(r *roomRenderer) {
	rs.mu.Lock()
	if rs.rooms[r.code] == r {
		delete(rs.rooms, r.code)
	}
	rs.mu.Unlock()
}

// closeAll ends every stream, for shutdown, waiting until ctx ends at most: each
// renderer ends its connections, and each connection's handler removes its stream.
func (rs *roomStreams) closeAll(ctx context.Context) {
	rs.mu.Lock()
	rs.closing = true
	renderers := make([]*roomRenderer, 0, len(rs.rooms))
	for _, r := range rs.rooms {
		renderers = append(renderers, r)
	}
	rs.mu.Unlock()
	for _, r := range renderers {
		r.stop()
	}
	for _, r := range renderers {
		select {
		case <-r.stopped:
		case <-ctx.Done():
			return
		}
	}
	served := make(chan struct{})
	go func() {
		rs.serving.Wait()
		close(served)
	}()
	select {
	case <-served:
	case <-ctx.Done():
	}
}

// RoomEvents is GET /room/{code}/events: the room's stream, for a seated browser. While
// it is open, the browser's player counts as connected.
func (s *Handler) RoomEvents(c echo.Context) error {
	release, refused := s.gate.AdmitStream(c)
	if refused != nil {
		return refused
	}
	defer release()
	code := c.Param("code")
	room, err := s.gate.FindRoom(c, code)
	if err != nil {
		return err
	}
	seat, err := room.Seat(web.SeatID(s.gate.BrowserIdentity(c), code))
	if err != nil {
		return &web.Error{Status: http.StatusForbidden, Detail: "Join the room first"}
	}
	return s.serveStream(c, room, seat)
}

// serveStream serves a seated browser its own stream of the room until the browser
// leaves, its stream is dropped, the player is removed, the room closes or the server
// stops; then it removes the stream. A panic ends this stream alone.
func (s *Handler) serveStream(c echo.Context, room *game.Room, seat game.Seat) error {
	conn, err := s.streams.begin(room, seat.Player.ID, c.Request().Context(), http.NewResponseController(c.Response().Writer))
	if err != nil {
		return err
	}
	defer conn.finish()
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v) // the standard way to abort a response: net/http handles it
			}
			s.faults.panicked(panicStream, v, "code", room.Code())
		}
	}()
	// The connection is its own subscriber to the room, so that a removal ends it and a
	// later Disconnect cannot take away the presence of the same player seated again.
	presence := &streamPresence{player: seat.Player.ID, removed: make(chan struct{})}
	if err := room.Connect(seat.Player.ID, presence); err != nil {
		return err
	}
	defer room.Disconnect(seat.Player.ID, presence)
	go presence.endAfterRemoval(conn.ctx, conn.cancel)

	req := c.Request().WithContext(conn.ctx)
	// Asks a reverse proxy (nginx, and others that honour it) to pass events on at once
	// rather than buffer them.
	c.Response().Header().Set("X-Accel-Buffering", "no")
	s.metrics.sseStreams.Inc()
	defer s.metrics.sseStreams.Dec()
	s.streams.sse.serve(&deadlineWriter{ResponseWriter: c.Response(), conn: conn}, req, conn.id)
	return nil
}

// removedStreamGrace is how long the stream of a removed player stays open: long enough
// to carry the message that sends their page to the join page.
const removedStreamGrace = 5 * time.Second

// streamPresence is a browser's stream as a seated connection of the room.
type streamPresence struct {
	player  uuid.UUID
	once    sync.Once
	removed chan struct{} // closed when the facilitator removes the player
}

// Deliver is called under the room's lock: it only notes the player's removal.
func (p *streamPresence) Deliver(ev *game.Event) {
	if ev.Kind == game.PlayerRemoved && ev.Player.ID == p.player {
		p.once.Do(func() { close(p.removed) })
	}
}

// endAfterRemoval ends the stream a little after the player is removed, and returns
// when the stream ends.
func (p *streamPresence) endAfterRemoval(ctx context.Context, end context.CancelFunc) {
	select {
	case <-ctx.Done():
		return
	case <-p.removed:
	}
	grace := time.NewTimer(removedStreamGrace)
	defer grace.Stop()
	select {
	case <-ctx.Done():
	case <-grace.C:
		end()
	}
}
