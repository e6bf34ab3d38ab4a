package handlers

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/r3labs/sse/v2"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/views"
)

// sseKeepalive is how often an idle stream sends a comment, so that proxies and
// browsers do not take a quiet room for a dead connection.
const sseKeepalive = 25 * time.Second

// roomStreams turns each room's events into HTML for its browsers: one renderer per
// room draws the shared parts once per change and publishes them to the room's SSE
// stream, whatever the number of browsers reading it.
type roomStreams struct {
	sse          *sse.Server
	log          *slog.Logger
	writeTimeout time.Duration
	metrics      *metrics

	mu      sync.Mutex
	byCode  map[string]*roomStream
	closing bool
}

func newRoomStreams(log *slog.Logger, writeTimeout time.Duration, m *metrics) *roomStreams {
	rs := &roomStreams{log: log, writeTimeout: writeTimeout, metrics: m, byCode: map[string]*roomStream{}}
	server := sse.New()
	server.AutoReplay = false // the default keeps every event for ever and replays it
	server.AutoStream = false // streams exist only for open rooms
	server.SplitData = true   // HTML spans lines
	server.OnSubscribe = func(code string, _ *sse.Subscriber) { rs.subscribed(code, +1) }
	server.OnUnsubscribe = func(code string, _ *sse.Subscriber) { rs.subscribed(code, -1) }
	rs.sse = server
	return rs
}

// roomStream is one room's renderer, subscribed to the room like a WebSocket is.
type roomStream struct {
	code     string
	room     *game.Room
	streams  *roomStreams
	dirty    chan struct{} // has room for one signal: changes are coalesced
	resync   chan struct{} // a browser subscribed: its hand may be stale too
	gone     chan struct{} // the room closed
	goneOnce sync.Once
	stopped  chan struct{} // the renderer has finished

	mu      sync.Mutex
	readers int           // subscribers attached to the SSE stream
	idle    chan struct{} // closed and replaced as readers reach 0
}

// Deliver is called under the room's lock: it only marks the room as changed.
func (r *roomStream) Deliver(ev *game.Event) {
	if ev.Kind == game.RoomClosed {
		r.goneOnce.Do(func() { close(r.gone) })
		return
	}
	select {
	case r.dirty <- struct{}{}:
	default:
	}
}

// open returns the room's stream, starting its renderer when it has none.
func (rs *roomStreams) open(room *game.Room) (*roomStream, error) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.closing {
		return nil, &apiError{status: http.StatusServiceUnavailable, detail: "The server is shutting down"}
	}
	if r, ok := rs.byCode[room.Code()]; ok {
		return r, nil
	}
	r := &roomStream{
		code: room.Code(), room: room, streams: rs,
		dirty:   make(chan struct{}, 1),
		resync:  make(chan struct{}, 1),
		gone:    make(chan struct{}),
		stopped: make(chan struct{}),
		idle:    make(chan struct{}),
	}
	close(r.idle)
	rs.sse.CreateStream(r.code)
	unsubscribe, err := room.Subscribe(r)
	if err != nil {
		rs.sse.RemoveStream(r.code)
		return nil, err
	}
	rs.byCode[r.code] = r
	go r.run(unsubscribe)
	return r, nil
}

func (rs *roomStreams) subscribed(code string, delta int) {
	rs.mu.Lock()
	r := rs.byCode[code]
	rs.mu.Unlock()
	if r == nil {
		return
	}
	r.mu.Lock()
	if r.readers == 0 && delta > 0 {
		r.idle = make(chan struct{})
	}
	r.readers += delta
	if r.readers == 0 {
		close(r.idle)
	}
	r.mu.Unlock()
	if delta > 0 {
		select {
		case r.resync <- struct{}{}:
		default:
		}
	}
}

// run publishes the room's shared parts after each change until the room closes or
// the server stops.
func (r *roomStream) run(unsubscribe func()) {
	defer close(r.stopped)
	keepalive := time.NewTicker(sseKeepalive)
	defer keepalive.Stop()
	lastHandKey, lastPeopleKey := "", ""
	var lastRecords []*game.RoundRecord
	recordSent := false
	for {
		refreshHands, refreshPeople, resynced := false, false, false
		select {
		case <-r.gone:
			unsubscribe()
			r.end()
			return
		case <-keepalive.C:
			r.streams.sse.Publish(r.code, &sse.Event{Comment: []byte("keepalive")})
			continue
		case <-r.resync:
			refreshHands, refreshPeople, resynced = true, true, true
		case <-r.dirty:
		}
		st := r.room.State()
		key := views.HandKey(st)
		refreshHands = refreshHands || (lastHandKey != "" && key != lastHandKey)
		lastHandKey = key
		people := views.PeopleKey(st)
		refreshPeople = refreshPeople || (lastPeopleKey != "" && people != lastPeopleKey)
		lastPeopleKey = people
		// The record is sent when it changed, and whole to a browser that just came.
		withRecord := resynced || !recordSent || !views.SameRecord(lastRecords, st.Records)
		var buf bytes.Buffer
		if err := views.Live(st, refreshHands, refreshPeople, withRecord).Render(context.Background(), &buf); err != nil {
			r.streams.log.Error("rendering the room failed", "code", r.code, "err", err)
			continue
		}
		lastRecords, recordSent = st.Records, true
		r.streams.sse.Publish(r.code, &sse.Event{Event: []byte("update"), Data: buf.Bytes()})
		r.streams.metrics.ssePublished.Inc()
	}
}

// end lets the stream's readers go, then removes the stream. r3labs/sse leaks a
// goroutine per reader still attached when a stream is removed, so the stream stays
// until they have all left (or a bound passes).
func (r *roomStream) end() {
	rs := r.streams
	r.mu.Lock()
	idle := r.idle
	r.mu.Unlock()
	rs.sse.Publish(r.code, &sse.Event{}) // an empty event ends every reader's loop
	select {
	case <-idle: // counted down by OnUnsubscribe, which finds the stream by its code
	case <-time.After(rs.writeTimeout):
	}
	rs.mu.Lock()
	if rs.byCode[r.code] == r {
		delete(rs.byCode, r.code)
	}
	rs.mu.Unlock()
	rs.sse.RemoveStream(r.code)
}

// closeAll ends every stream, for shutdown, waiting until ctx ends at most.
func (rs *roomStreams) closeAll(ctx context.Context) {
	rs.mu.Lock()
	rs.closing = true
	streams := make([]*roomStream, 0, len(rs.byCode))
	for _, r := range rs.byCode {
		streams = append(streams, r)
	}
	rs.mu.Unlock()
	for _, r := range streams {
		r.goneOnce.Do(func() { close(r.gone) })
	}
	for _, r := range streams {
		select {
		case <-r.stopped:
		case <-ctx.Done():
		}
	}
	rs.sse.Close()
}

// roomEvents is GET /room/{code}/events: the room's stream, for a seated browser. While
// it is open, the browser's player counts as connected.
func (s *Server) roomEvents(c echo.Context) error {
	release, refused := s.admitStream(c)
	if refused != nil {
		return refused
	}
	defer release()
	code := c.Param("code")
	room, ok := s.lookupRoom(code)
	if !ok {
		return &apiError{status: http.StatusNotFound, detail: "No existing game found with code '" + code + "'"}
	}
	seat, err := room.Seat(seatID(browserIdentity(c), code))
	if err != nil {
		return &apiError{status: http.StatusForbidden, detail: "Join the room first"}
	}
	if _, err := s.streams.open(room); err != nil {
		return err
	}
	// The connection is its own subscriber to the room, so that a removal ends it and a
	// later Disconnect cannot take away the presence of the same player seated again.
	presence := &streamPresence{player: seat.Player.ID, removed: make(chan struct{})}
	if err := room.Connect(seat.Player.ID, presence); err != nil {
		return err
	}
	defer room.Disconnect(seat.Player.ID, presence)

	// The stream id is the room's code, chosen here: never the client's ?stream=.
	ctx, cancel := context.WithCancel(c.Request().Context())
	defer cancel()
	go presence.endAfterRemoval(ctx, cancel)
	req := c.Request().WithContext(ctx)
	q := req.URL.Query()
	q.Set("stream", code)
	req.URL.RawQuery = q.Encode()
	req.Header.Del("Last-Event-ID") // no replay: the stream sends the current state
	var dropped sync.Once
	fail := func() {
		dropped.Do(s.metrics.sseDropped.Inc)
		cancel()
	}
	// Asks a reverse proxy (nginx, and others that honour it) to pass events on at once
	// rather than buffer them.
	c.Response().Header().Set("X-Accel-Buffering", "no")
	w := &deadlineWriter{ResponseWriter: c.Response(), timeout: s.streams.writeTimeout, fail: fail}
	s.metrics.sseStreams.Inc()
	defer s.metrics.sseStreams.Dec()
	s.streams.sse.ServeHTTP(w, req)
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

// deadlineWriter gives every write to a stream a deadline. A reader that stops
// reading would otherwise block its whole stream in r3labs/sse; once a write fails,
// the request is cancelled and the reader leaves the stream.
type deadlineWriter struct {
	http.ResponseWriter
	timeout time.Duration
	fail    context.CancelFunc
}

func (w *deadlineWriter) Write(p []byte) (int, error) {
	rc := http.NewResponseController(w.ResponseWriter)
	_ = rc.SetWriteDeadline(time.Now().Add(w.timeout))
	n, err := w.ResponseWriter.Write(p)
	if err != nil {
		w.fail()
	}
	return n, err
}

func (w *deadlineWriter) Flush() {
	if err := http.NewResponseController(w.ResponseWriter).Flush(); err != nil {
		w.fail()
	}
}

func (w *deadlineWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
