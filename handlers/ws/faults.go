package ws

import (
	"github.com/coder/websocket"
	"github.com/google/uuid"
	"golang.org/x/time/rate"

	"github.com/pokerd/pokerd/handlers/web"
)

// newFloodMeter tells a flood from a burst: each message over the socket's rate takes
// a token from it, and it gets back limit tokens per floodWindow, so it runs dry only
// when more than limit are over the rate within about that window. A clumsy client goes
// over the rate now and then; only one that keeps sending far over it for seconds is
// cut. Nil when the limit is off.
func newFloodMeter(limit int) *rate.Limiter {
	if limit <= 0 {
		return nil
	}
	return rate.NewLimiter(rate.Limit(float64(limit)/floodWindow.Seconds()), limit)
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
	s.faults.Panicked(web.PanicWebSocket, v, "in", place, "code", s.code, "player", s.playerID)
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

// limitMessageFlood names the flood limit in pokerd_limit_refusals_total.
const limitMessageFlood = "ws_message_flood"
