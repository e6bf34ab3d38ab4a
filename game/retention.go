package game

import "time"

// Keeping rooms. Without an event log a room everyone left is deleted after
// EmptyRoomGrace: a restart would lose it anyway. With a log, rooms survive restarts,
// and teams come back to last week's room and its session record: a room everyone left
// stays, in memory and in the log, until it has been idle (no event at all) for
// Retention; then it is closed and its history deleted. A room nobody ever connected to
// still goes after UnusedRoomTTL, from the log too (see Registry.open).

// keepUntilIdle schedules the end of a room that became empty for the epoch-th time:
// Retention after its last event. A connection cancels it (see Room.scheduleDelete).
func (g *Registry) keepUntilIdle(room *Room, epoch uint64) {
	if g.cfg.Retention <= 0 {
		return
	}
	wait := max(room.idleUntil(g.cfg.Retention).Sub(g.cfg.Clock.Now()), 0)
	room.scheduleDelete(epoch, g.after(wait, func() { g.retireIfIdle(room, epoch) }))
}

// retireIfIdle closes and forgets the room if it is still empty and has been idle for
// Retention; a room that saw events since (a join, say) is looked at again later.
func (g *Registry) retireIfIdle(room *Room, epoch uint64) {
	defer g.forgetIfClosed(room)
	if room.closeIfIdle(epoch, g.cfg.Retention) {
		return
	}
	if room.stillEmpty(epoch) {
		g.keepUntilIdle(room, epoch)
	}
}

// idleUntil is when the room will have been idle for retention, if nothing happens.
func (r *Room) idleUntil(retention time.Duration) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state.lastEventAt.Add(retention)
}

// closeIfIdle closes the room if no connection has opened since it became empty for the
// epoch-th time and its last event is retention old. It reports whether it closed it.
func (r *Room) closeIfIdle(epoch uint64, retention time.Duration) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state.closed || r.state.sockets > 0 || r.emptyEpoch != epoch {
		return false
	}
	if r.clock.Now().Before(r.state.lastEventAt.Add(retention)) {
		return false
	}
	r.closeLocked()
	return true
}

// stillEmpty reports whether the room is open and has stayed empty since it became so
// for the epoch-th time.
func (r *Room) stillEmpty(epoch uint64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return !r.state.closed && r.state.sockets == 0 && r.emptyEpoch == epoch
}
