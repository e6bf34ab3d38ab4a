package game

import "time"

// Seats nobody uses. Anyone with a room's code can take seats without ever connecting
// (finding: 99 joins in 15 ms, then the real team is refused as the room is full). A
// seat that has been neither connected nor used to act within seatRelease of its join
// is let go, by a room timer. A seat that was used counts towards the room's capacity
// while its player is here and for seatRelease after they were last seen; past that,
// it is let go only when a newcomer finds the room full, the seat away longest first:
// an absent teammate keeps their place and their votes for as long as nobody needs it.
// The facilitator's seat, and a seat with a connection open, are never let go.
//
// The clients learn of it from one SeatsReleased event, which carries a whole state,
// whatever the number of seats in it; the timer sweeps at most releaseSweeps times per
// seatRelease, so a flood of joins costs each connection a bounded number of messages.

// SeatReleaseDefault is how long a seat may stay unused before it is let go: the Vue
// frontend joins and connects within seconds, other clients may take a little longer.
const SeatReleaseDefault = 2 * time.Minute

// releaseSweeps bounds how often, per seatRelease, the room lets go of unused seats.
const releaseSweeps = 10

// releasableLocked reports whether st may be let go at all.
func (r *Room) releasableLocked(st *seat) bool {
	return st.sockets == 0 && !(r.state.hasAdmin && st.player.ID == r.state.adminID)
}

// releaseSeatsLocked lets go of every seat left unused for seatRelease and, when
// makeRoom is set and the room would still be full, of the seat whose player has been
// away longest, if that is longer than seatRelease.
func (r *Room) releaseSeatsLocked(makeRoom bool) {
	if r.seatRelease <= 0 || r.state.closed {
		return
	}
	now := r.clock.Now()
	due := func(st *seat) bool { return r.releasableLocked(st) && !now.Before(st.lastSeen.Add(r.seatRelease)) }
	unused := 0
	for _, st := range r.state.seats {
		if !st.used && due(st) {
			unused++
		}
	}
	var away *seat
	if makeRoom && r.maxPlayers > 0 && len(r.state.seats)-unused >= r.maxPlayers {
		for _, st := range r.state.seats {
			if st.used && due(st) && (away == nil || st.lastSeen.Before(away.lastSeen)) {
				away = st
			}
		}
	}
	var gone []Player
	for _, st := range r.state.seats {
		if (!st.used && due(st)) || st == away {
			gone = append(gone, st.player)
		}
	}
	if len(gone) > 0 {
		r.emit(&Event{Kind: SeatsReleased, Released: gone})
	}
}

// scheduleReleaseLocked starts the release timer for the first unused seat, unless it
// runs already. Call it after a change that can leave a seat to release: a join, a new
// facilitator.
func (r *Room) scheduleReleaseLocked() {
	if r.seatRelease <= 0 || r.releaseTimer != nil || r.state.closed {
		return
	}
	for _, st := range r.state.seats { // in join order: the first unused seat is due first
		if st.used || !r.releasableLocked(st) {
			continue
		}
		at := st.lastSeen.Add(r.seatRelease)
		if next := r.lastRelease.Add(r.seatRelease / releaseSweeps); at.Before(next) {
			at = next
		}
		r.releaseTimer = r.after(at.Sub(r.clock.Now()), r.releaseTimerFired)
		return
	}
}

func (r *Room) releaseTimerFired() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.releaseTimer = nil
	if r.state.closed {
		return
	}
	r.lastRelease = r.clock.Now()
	r.releaseSeatsLocked(false)
	r.scheduleReleaseLocked()
}
