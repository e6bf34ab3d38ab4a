package game

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"
)

// A room's own goroutines are its timers' callbacks: the round timer, the facilitator's
// away timer, the deletion of an empty room, the release of unused seats and the end of
// a reveal grace. Each recovers from a panic and reports it, so that a bug met by one
// room ends neither the process nor the other rooms; the room's lock is always released
// by a deferred unlock, so the room itself keeps working.

// PanicHandler is told of a panic recovered in a room's timer, with the stack where it
// happened.
type PanicHandler func(v any, stack []byte)

// guarded returns f wrapped so that a panic in it is recovered and reported to onPanic
// (logged, when onPanic is nil).
func guarded(onPanic PanicHandler, f func()) func() {
	return func() {
		defer func() {
			if v := recover(); v != nil {
				stack := debug.Stack()
				if onPanic == nil {
					slog.Error("panic recovered in a room's timer", "panic", fmt.Sprint(v), "stack", string(stack))
					return
				}
				onPanic(v, stack)
			}
		}()
		f()
	}
}

// after runs f once d has passed, through the room's clock, with panics recovered.
func (r *Room) after(d time.Duration, f func()) Timer {
	return r.clock.AfterFunc(d, guarded(r.onPanic, f))
}
