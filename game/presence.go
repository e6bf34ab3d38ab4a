package game

import (
	"time"

	"github.com/google/uuid"
)

// Presence by request. A browser without scripts has no event stream, so nothing would
// say that its player is here: they would show offline to everyone, themselves
// included, and a facilitator using such a page would lose the role to the away timer.
// Instead, a request from their page (a form post, the page's no-script presence
// request) counts as a connection for PresenceWindow: the player is present while they
// use the page. The room marks it with a SocketOpened event and ends it with a
// SocketClosed event (both with ByPage set) when the window passes without a request,
// from a room timer, as a dropped connection would end. A stream that opens for the
// player takes over from the page at once.

// PresenceWindow is how long a request from a page without scripts keeps its player
// present: as long as a seat nobody uses is kept (SeatReleaseDefault).
const PresenceWindow = 2 * time.Minute

// Touch notes a request from the player's page. It marks them present for
// PresenceWindow unless a connection (a stream, a socket) speaks for them already; an
// event is emitted only when they were not present by request before.
func (r *Room) Touch(id uuid.UUID) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, err := r.seatLocked(id)
	if err != nil {
		return err
	}
	until := r.clock.Now().Add(PresenceWindow)
	if st.byPage {
		r.pageUntil[id] = until
		return nil
	}
	if st.sockets > 0 {
		return nil
	}
	if r.deleteTimer != nil {
		r.deleteTimer.Stop()
		r.deleteTimer = nil
	}
	r.emit(&Event{Kind: SocketOpened, Player: st.player, ByPage: true})
	r.pageUntil[id] = until
	r.schedulePresenceLocked()
	r.checkFacilitatorLocked()
	return nil
}

// LeavePage notes that the player left their page (its Leave button): their presence by
// request ends now rather than when the window passes. A player not present by request
// is left as they are.
func (r *Room) LeavePage(id uuid.UUID) {
	r.noteEmpty(r.leavePage(id))
}

func (r *Room) leavePage(id uuid.UUID) (epoch uint64, empty bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, err := r.seatLocked(id)
	if err != nil || !st.byPage {
		return 0, false
	}
	r.endPagePresenceLocked(st)
	return r.afterLeavingLocked()
}

// afterLeavingLocked follows players going offline: the facilitator's away timer,
// auto-reveal, and the room becoming empty.
func (r *Room) afterLeavingLocked() (epoch uint64, empty bool) {
	r.checkFacilitatorLocked()
	r.autoRevealLocked()
	return r.emptiedLocked()
}

// endPagePresenceLocked ends the presence by request of the player in st, as their
// stream takes over (the player stays connected) or as the window passes.
func (r *Room) endPagePresenceLocked(st *seat) {
	delete(r.pageUntil, st.player.ID)
	r.emit(&Event{Kind: SocketClosed, Player: st.player, ByPage: true, LastSocket: st.sockets == 1})
}

// schedulePresenceLocked starts the presence timer for the earliest end of a window,
// unless it runs already.
func (r *Room) schedulePresenceLocked() {
	if r.presenceTimer != nil || r.state.closed || len(r.pageUntil) == 0 {
		return
	}
	var first time.Time
	for _, until := range r.pageUntil {
		if first.IsZero() || until.Before(first) {
			first = until
		}
	}
	r.presenceTimer = r.after(first.Sub(r.clock.Now()), r.presenceTimerFired)
}

// presenceTimerFired takes offline every player whose window has passed.
func (r *Room) presenceTimerFired() {
	r.noteEmpty(r.pageWindowsPassed())
}

func (r *Room) pageWindowsPassed() (epoch uint64, empty bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.presenceTimer = nil
	if r.state.closed {
		return 0, false
	}
	now := r.clock.Now()
	left := false
	for _, st := range r.state.seats { // in join order, so that the events are too
		until, ok := r.pageUntil[st.player.ID]
		if ok && st.byPage && !now.Before(until) {
			r.endPagePresenceLocked(st)
			left = true
		}
	}
	for id := range r.pageUntil { // seats removed since
		if st, ok := r.state.byID[id]; !ok || !st.byPage {
			delete(r.pageUntil, id)
		}
	}
	r.schedulePresenceLocked()
	if !left {
		return 0, false
	}
	return r.afterLeavingLocked()
}
