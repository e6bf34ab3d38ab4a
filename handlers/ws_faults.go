package handlers

import (
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"
)

// floodMeter tells a flood from a burst: it counts the messages a socket sent over its
// rate limit, forgetting them at limit per floodWindow, and reports a flood once more
// than limit are counted. A clumsy client goes over the rate now and then; only a
// client that keeps sending far over it for seconds is cut.
type floodMeter struct {
	limit float64
	level float64
	at    time.Time
}

func newFloodMeter(limit int) *floodMeter { return &floodMeter{limit: float64(limit)} }

// over counts one message over the rate and reports whether the socket is flooding.
func (f *floodMeter) over() bool {
	if f.limit <= 0 {
		return false
	}
	now := time.Now()
	if !f.at.IsZero() {
		f.level = max(0, f.level-now.Sub(f.at).Seconds()*f.limit/floodWindow.Seconds())
	}
	f.at = now
	f.level++
	return f.level > f.limit
}

// recoverPanic, deferred in each of a session's goroutines (its reader, writer and
// pinger), turns a panic into the end of this one socket: logged with its stack and
// counted, the socket leaves its room and is closed with 1011. The room and every other
// socket go on.
func (s *wsSession) recoverPanic(place string) {
	v := recover()
	if v == nil {
		return
	}
	s.faults.panicked(panicWebSocket, v, "in", place, "code", s.code, "player", s.playerID)
	s.fail(websocket.StatusInternalError, "internal error")
}

// injectFault lets a test make the session's goroutine panic at place.
func (s *wsSession) injectFault(place string) {
	if s.testFault != nil {
		s.testFault(place, s.playerID)
	}
}

// wsFaultHook is called by a session's reader, writer and pinger with the place and the
// session's player, in tests only, to make one socket's goroutine panic there.
type wsFaultHook func(place string, player uuid.UUID)
