package ws

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
)

// Config bounds what one WebSocket connection may cost the server.
type Config struct {
	ReadLimit    int64         // largest client frame, in bytes
	OutboxSize   int           // messages queued for a client before it counts as too slow
	WriteTimeout time.Duration // longest a single write may take
	PingInterval time.Duration // how often a silent peer is asked for a pong
	MessageRate  float64       // client messages per second a connection may send (burst: 2×)
	// FloodLimit is how many messages over MessageRate a connection may send within
	// floodWindow before it is closed with 1008; 0 only ignores them.
	FloodLimit int
}

// floodWindow is the time over which messages beyond the rate are counted: a client
// that goes on sending far over the rate is not a clumsy one.
const floodWindow = 10 * time.Second

// DefaultConfig is what pokerd uses unless told otherwise.
var DefaultConfig = Config{
	ReadLimit:    32 << 10,
	OutboxSize:   256,
	WriteTimeout: 10 * time.Second,
	PingInterval: 20 * time.Second,
	MessageRate:  20,
	FloodLimit:   100,
}

// Close codes and reasons the existing frontend acts on.
const (
	closeNoGame   websocket.StatusCode = 4000
	closeNoPlayer websocket.StatusCode = 4001
)

// sockets tracks the open WebSocket connections so that shutdown can close them with
// 1001: http.Server.Shutdown does not know hijacked connections.
type sockets struct {
	mu       sync.Mutex
	open     map[*websocket.Conn]struct{}
	closing  bool
	handlers sync.WaitGroup
}

// begin counts a WebSocket handler in, unless shutdown has started; call end when the
// socket has ended (it outlives its handler: see readSocket).
func (s *sockets) begin() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.handlers.Add(1)
	return true
}

func (s *sockets) end() { s.handlers.Done() }

func (s *sockets) add(c *websocket.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	if s.open == nil {
		s.open = map[*websocket.Conn]struct{}{}
	}
	s.open[c] = struct{}{}
	return true
}

// count is the number of open sockets.
func (s *sockets) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.open)
}

func (s *sockets) remove(c *websocket.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.open, c)
}

// closeAll closes every open socket with 1001 and waits, until ctx ends, for their
// handlers and readers to finish.
func (s *sockets) closeAll(ctx context.Context) {
	s.mu.Lock()
	s.closing = true
	conns := make([]*websocket.Conn, 0, len(s.open))
	for c := range s.open {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		go c.Close(websocket.StatusGoingAway, "server shutting down")
	}
	done := make(chan struct{})
	go func() { s.handlers.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		for _, c := range conns {
			_ = c.CloseNow()
		}
	}
}

// ServeWebSocket is GET /api/ws/{player_id}/{code}.
func (s *Handler) ServeWebSocket(c echo.Context) error {
	playerID, idErr := uuid.Parse(c.Param("player_id"))
	code := c.Param("code")
	if idErr != nil || !game.ValidCode(code) {
		// As the reference: a malformed path is refused before the upgrade.
		return &web.Error{Status: 403, Detail: "Forbidden"}
	}
	// Looked up before the upgrade, so that a client refused for guessing codes gets its
	// 429; a missing room is told after it, with 4000, as the reference does.
	room, lookupErr := s.gate.FindRoom(c, code, playerID)
	if web.LookupRefused(lookupErr) {
		return lookupErr
	}
	if !s.sockets.begin() {
		return &web.Error{Status: 503, Detail: "The server is shutting down"}
	}
	holds := &socketHolds{} // let go here until the socket is handed to its reader
	defer holds.releaseUnlessHandedOff()
	holds.add(s.sockets.end)
	// Refused before the upgrade, which is what costs: a descriptor for as long as the
	// socket lives, and a CONNECTED to every socket of the room.
	release, err := s.gate.AdmitConnection(c, code, playerID)
	if err != nil {
		return err
	}
	holds.add(release)

	if err := s.origins.CheckWebSocket(c); err != nil {
		return err
	}
	conn, err := websocket.Accept(leanBuffers{c.Response()}, c.Request(), &websocket.AcceptOptions{
		// The Origin was checked just above, exactly: the library's own check compares
		// the host alone.
		InsecureSkipVerify: true,
	})
	if err != nil {
		s.log.Debug("websocket upgrade refused", "err", err)
		return nil // Accept has written the response
	}
	if !s.sockets.add(conn) {
		conn.Close(websocket.StatusGoingAway, "server shutting down")
		return nil
	}
	holds.add(func() { s.sockets.remove(conn) })
	conn.SetReadLimit(s.cfg.ReadLimit)

	if lookupErr != nil {
		conn.Close(closeNoGame, "No game with code '"+code+"' exists!")
		return nil
	}
	sess := newWSSession(conn, s.cfg, s.log.With("code", code, "player", playerID), room, playerID, s.metrics)
	sess.faults, sess.testFault = s.faults, s.testFault
	holds.add(sess.cancel)
	if err := room.Connect(playerID, sess); err != nil {
		sess.finish()
		switch game.CodeOf(err) {
		case game.ENotSeated:
			conn.Close(closeNoPlayer, err.Error())
		default:
			conn.Close(closeNoGame, "No game with code '"+code+"' exists!")
		}
		return nil
	}
	// The echo.Context goes back to its pool when this returns: the reader is given
	// what it needs, never c.
	holds.handedOff = true
	go s.readSocket(sess, room, playerID, holds)
	return nil
}

// wsSession is one WebSocket connection's link to its room: a bounded outbox filled by
// the room, drained by a writer goroutine of its own while it holds something.
type wsSession struct {
	conn      *websocket.Conn
	cfg       Config
	log       *slog.Logger
	room      *game.Room
	faults    *web.Faults
	testFault wsFaultHook // tests only: makes the session's goroutines panic
	code      string      // the room's
	playerID  uuid.UUID   // the player this connection belongs to
	outbox    *outbox
	metrics   *web.Metrics
	ctx       context.Context // bounds every read, write and ping; ends with the socket
	cancel    context.CancelFunc
	done      chan struct{} // closed when the socket is finishing

	failOnce    sync.Once
	failed      chan struct{} // closed when the session gives up on its client
	failClosed  chan struct{} // closed once a failed session is out of the room and closed
	closeCode   websocket.StatusCode
	closeReason string

	pingMu    sync.Mutex  // held while a ping is under way, and to arm or stop pingTimer
	pingTimer *time.Timer // the next ping; nil when pings are off
}

// queuedEvent is an event in a session's outbox, with the time the room handed it over
// (monotonic), for the fan-out latency.
type queuedEvent struct {
	ev     *game.Event
	queued time.Time
}

func newWSSession(conn *websocket.Conn, cfg Config, log *slog.Logger, room *game.Room, playerID uuid.UUID, m *web.Metrics) *wsSession {
	ctx, cancel := context.WithCancel(context.Background())
	return &wsSession{
		conn: conn, cfg: cfg, log: log, room: room, code: room.Code(), playerID: playerID,
		outbox: newOutbox(cfg.OutboxSize), metrics: m,
		ctx: ctx, cancel: cancel,
		done:       make(chan struct{}),
		failed:     make(chan struct{}),
		failClosed: make(chan struct{}),
	}
}

// Deliver queues ev without waiting. A client that has let its outbox fill up is cut
// off, so that it never holds back its room; it may reconnect and resync.
// The writer is started here, under the room's lock, only when the outbox was empty:
// once per burst of events, not per event.
func (s *wsSession) Deliver(ev *game.Event) {
	startWriter, full := s.outbox.push(queuedEvent{ev, time.Now()})
	switch {
	case full:
		if s.fail(websocket.StatusPolicyViolation, "too slow: messages were not read") {
			s.metrics.DropSlow.Inc()
		}
	case startWriter:
		go s.writeLoop()
	}
}

// fail gives up on the client, for the first reason only. It never blocks: Deliver
// calls it under the room's lock. The connection leaves the room at once (the others
// learn it now, not when the socket finally dies) and is closed with the reason, in a
// goroutine of its own, since a writer stuck on the stalled client must not delay it.
// It reports whether this was the first failure, so that each drop is counted once.
func (s *wsSession) fail(code websocket.StatusCode, reason string) (first bool) {
	s.failOnce.Do(func() {
		first = true
		s.closeCode, s.closeReason = code, reason
		close(s.failed)
		s.outbox.close() // what waits will not be read; the writer stops at its next event
		go s.closeOnFailure()
	})
	return first
}

func (s *wsSession) closeOnFailure() {
	defer close(s.failClosed)
	s.log.Debug("websocket client dropped", "reason", s.closeReason)
	s.room.Disconnect(s.playerID, s)
	s.conn.Close(s.closeCode, s.closeReason)
}

// finish stops the session's work and waits for it: the writer, a ping under way and
// the closing of a failed session. Nothing calls fail once it has returned: the room no
// longer delivers (Disconnect came first), the writer has stopped, and pings see done.
func (s *wsSession) finish() {
	close(s.done)
	s.cancel()
	s.pingMu.Lock()
	if s.pingTimer != nil {
		s.pingTimer.Stop()
	}
	s.pingMu.Unlock()
	s.outbox.closeAndWait()
	select {
	case <-s.failed:
		<-s.failClosed
	default:
	}
}

// writeLoop drains the outbox and ends when it is empty, when the session is over or
// has failed (the outbox is then shut, and next reports false).
func (s *wsSession) writeLoop() {
	defer s.outbox.done()
	defer s.recoverPanic("writer")
	for {
		q, ok := s.outbox.next()
		if !ok {
			return
		}
		ev := q.ev
		if ev.Kind == game.PlayerRemoved && ev.Player.ID == s.playerID {
			// The room has let go of this connection already (the facilitator removed
			// the player, or they left): closing it is all that is left, with the code
			// that sends the frontend to its join page.
			reason := removedReason(s.playerID, s.code)
			if ev.Cause == game.LeftByChoice {
				reason = leftReason(s.playerID, s.code)
			}
			s.fail(closeNoPlayer, reason)
			return
		}
		s.injectFault("writer")
		frames := wsFrames(ev, s.playerID, s.metrics.WSEncoded)
		for _, frame := range frames {
			if err := s.write(frame); err != nil {
				s.log.Debug("websocket write failed", "err", err)
				if s.fail(websocket.StatusInternalError, "write failed") {
					s.metrics.DropWrite.Inc()
				}
				return
			}
			s.metrics.WSOut.Inc()
		}
		if len(frames) > 0 {
			s.metrics.ObserveFanout(q.queued)
		}
	}
}

func (s *wsSession) write(frame []byte) error {
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.WriteTimeout)
	defer cancel()
	return s.conn.Write(ctx, websocket.MessageText, frame)
}

// startPinging detects a peer that vanished without closing: it must answer each ping
// within one interval. A timer starts each ping, so an idle connection keeps no
// goroutine waiting for the next one.
func (s *wsSession) startPinging() {
	if s.cfg.PingInterval <= 0 {
		return
	}
	s.pingMu.Lock()
	defer s.pingMu.Unlock()
	if s.isDone() {
		return
	}
	s.pingTimer = time.AfterFunc(s.cfg.PingInterval, s.ping)
}

func (s *wsSession) ping() {
	defer s.recoverPanic("pinger") // runs after the unlock below
	s.pingMu.Lock()
	defer s.pingMu.Unlock()
	if s.isDone() {
		return
	}
	s.injectFault("pinger")
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.PingInterval)
	err := s.conn.Ping(ctx)
	cancel()
	switch {
	case s.isDone(): // the connection ended during the ping
	case err != nil:
		if s.fail(websocket.StatusPolicyViolation, "no answer to ping") {
			s.metrics.DropPing.Inc()
		}
	default:
		s.pingTimer.Reset(s.cfg.PingInterval)
	}
}

func (s *wsSession) isDone() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// readLoop turns client frames into room commands until the connection ends. Frames
// that are not valid messages, and messages over the rate limit, are ignored; a client
// that goes on sending over the rate (a flood) is disconnected.
func (s *wsSession) readLoop(room *game.Room, playerID uuid.UUID) {
	defer s.recoverPanic("reader")
	limiter := rate.NewLimiter(rate.Limit(s.cfg.MessageRate), max(1, int(2*s.cfg.MessageRate)))
	flood := newFloodMeter(s.cfg.FloodLimit)
	for {
		typ, data, err := s.conn.Read(s.ctx)
		if err != nil {
			if websocket.CloseStatus(err) == -1 {
				s.log.Debug("websocket read ended", "err", err)
			}
			return
		}
		// Every frame counts towards the rate, binary and malformed ones too.
		if s.cfg.MessageRate > 0 && !limiter.Allow() {
			s.metrics.WSLimited.Inc()
			if flood != nil && !flood.Allow() {
				s.faults.Refused(limitMessageFlood, "code", s.code, "player", s.playerID)
				s.fail(websocket.StatusPolicyViolation, "too many messages: over the rate limit for too long")
				return
			}
			s.log.Debug("websocket message over the rate limit ignored")
			continue
		}
		if typ != websocket.MessageText {
			s.metrics.WSInvalid.Inc()
			continue
		}
		s.injectFault("reader")
		msg, err := decodeClientMessage(data)
		if err != nil {
			s.metrics.WSInvalid.Inc()
			s.log.Debug("websocket message ignored", "err", err)
			continue
		}
		s.metrics.Received(msg.Type)
		s.applyAcknowledged(room, playerID, msg)
	}
}

// applyAcknowledged applies the client's command, and holds what this socket is sent
// until the room's event log has committed what the command did: the sender's own echo
// (its PLAYERVOTED, say) tells it the command was done, so it must not come before the
// commit, or a crash could lose what was acknowledged. The other sockets of the room
// are not held. The reader waits too, so that one client's commands are acknowledged
// in order; a room without a log does not wait at all.
func (s *wsSession) applyAcknowledged(room *game.Room, playerID uuid.UUID, msg clientMessage) {
	s.outbox.hold()
	defer func() {
		if s.outbox.release() {
			go s.writeLoop()
		}
	}()
	if err := s.apply(room, playerID, msg); err != nil {
		s.log.Debug("websocket command refused", "type", msg.Type, "err", err)
		return
	}
	if err := room.Durable(s.ctx); err != nil {
		s.log.Debug("websocket session ended before its command was committed", "type", msg.Type, "err", err)
	}
}

func (s *wsSession) apply(room *game.Room, playerID uuid.UUID, msg clientMessage) error {
	switch msg.Type {
	case msgSubmitVote:
		return room.Vote(playerID, msg.Vote)
	case msgObserve:
		return room.ToggleObserving(playerID)
	case msgSync:
		room.Sync(s)
		return nil
	case msgReset:
		return room.StartRound(playerID, msg.Ticket)
	case msgReveal:
		return room.Reveal(playerID)
	}
	return s.applyFacilitation(room, playerID, msg)
}
