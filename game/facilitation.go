package game

import (
	"slices"
	"time"

	"github.com/google/uuid"
)

// What a facilitator does beyond running rounds: the room's rules, handing the role on,
// removing a player, recording the agreed estimate; and what the room does on its own
// (reveal when everyone has voted or time is up, pass on the role of a facilitator who
// left).

// SetOptions changes the room's rules. Only the facilitator may. A rule switched on
// takes effect at once: a round where everyone has voted, or whose time is up, is
// revealed.
func (r *Room) SetOptions(id uuid.UUID, o RoomOptions) error {
	return r.UpdateOptions(id, func(RoomOptions) RoomOptions { return o })
}

// UpdateOptions changes the room's rules with change, which is given the rules in force:
// a client that changes one rule cannot undo another's change made at the same moment.
func (r *Room) UpdateOptions(id uuid.UUID, change func(RoomOptions) RoomOptions) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.checkAdminLocked(id); err != nil {
		return err
	}
	o := change(r.state.game.Settings.Options)
	if err := r.state.game.Settings.checkRules(o); err != nil {
		return err
	}
	if o == r.state.game.Settings.Options {
		return nil
	}
	r.emit(&Event{Kind: OptionsChanged, Options: o})
	r.autoRevealLocked()
	if d := r.state.roundDeadline(); d != nil && o.RevealOnTimer && !r.clock.Now().Before(*d) {
		r.emit(&Event{Kind: Revealed, Cause: TimerRanOut})
	}
	return nil
}

// HandOff makes another connected player, named by their alias, the facilitator. Only
// the facilitator may.
func (r *Room) HandOff(id, to uuid.UUID) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.checkAdminLocked(id); err != nil {
		return err
	}
	next, err := r.seatByAliasLocked(to)
	if err != nil {
		return err
	}
	switch {
	case next.player.ID == id:
		return Errorf(EInvalid, "you are the facilitator already")
	case next.sockets == 0:
		return Errorf(EConflict, "%s is offline: hand the role to someone who is here", nameOf(next.player))
	}
	r.emit(&Event{Kind: FacilitatorChanged, Player: next.player, Cause: ByHand})
	r.checkFacilitatorLocked()
	return nil
}

// Remove takes a player, named by their alias, out of the room: their seat, vote and
// connections go (each connection learns it from the PlayerRemoved event and closes).
// They may join again. Only the facilitator may, and not themself.
func (r *Room) Remove(id, who uuid.UUID) error {
	epoch, empty, err := r.remove(id, who)
	r.noteEmpty(epoch, empty)
	return err
}

func (r *Room) remove(id, who uuid.UUID) (epoch uint64, empty bool, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.checkAdminLocked(id); err != nil {
		return 0, false, err
	}
	gone, err := r.seatByAliasLocked(who)
	if err != nil {
		return 0, false, err
	}
	if gone.player.ID == id {
		return 0, false, Errorf(EInvalid, "the facilitator cannot remove themself: hand the role on first")
	}
	r.emit(&Event{Kind: PlayerRemoved, Player: gone.player})
	r.subs = slices.DeleteFunc(r.subs, func(s subscription) bool { return s.seated && s.playerID == gone.player.ID })
	r.autoRevealLocked()
	epoch, empty = r.emptiedLocked()
	return epoch, empty, nil
}

// SetEstimate records the estimate the team agreed on for a revealed round (an empty
// one clears it). The facilitator may, and anyone in a facilitator-free room.
func (r *Room) SetEstimate(id uuid.UUID, round int, estimate string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.checkCanRunLocked(id); err != nil {
		return err
	}
	estimate, err := cleanEstimate(estimate)
	if err != nil {
		return err
	}
	rec := r.state.record(round)
	if rec == nil {
		return Errorf(ENotFound, "round %d has not been revealed", round)
	}
	if rec.Estimate == estimate {
		return nil
	}
	r.emit(&Event{Kind: EstimateSet, Round: round, Estimate: estimate})
	return nil
}

// Session returns the room's state, records included, for a player allowed to take the
// session record away: the facilitator, or anyone in a facilitator-free room.
func (r *Room) Session(id uuid.UUID) (*State, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.checkCanRunLocked(id); err != nil {
		return nil, err
	}
	return r.snapshotLocked(), nil
}

// RevealGraceDefault is how long a player who lost their connection still counts for
// auto-reveal: a page reload takes well under a second, a short drop-out a few.
const RevealGraceDefault = 5 * time.Second

// autoRevealLocked reveals the round once everyone has voted, when the rules say so.
// A player who left without voting holds the round up for revealGrace after leaving,
// as they did while here: a reload takes them away for a moment only. The grace timer
// checks again when the first such grace ends.
func (r *Room) autoRevealLocked() {
	if r.state.closed || !r.state.game.Settings.Options.AutoReveal || !r.state.everyoneVoted() {
		return
	}
	if end, waiting := r.awaitedReturnLocked(); waiting {
		if r.graceTimer == nil {
			r.graceTimer = r.after(end.Sub(r.clock.Now()), r.graceEnded)
		}
		return
	}
	r.emit(&Event{Kind: Revealed, Cause: AllVoted})
}

// awaitedReturnLocked is the earliest end of the grace of a player who left without
// voting (and was not observing), if any such grace runs still.
func (r *Room) awaitedReturnLocked() (end time.Time, waiting bool) {
	if r.revealGrace <= 0 {
		return time.Time{}, false
	}
	now := r.clock.Now()
	for _, st := range r.state.seats {
		if st.sockets > 0 || st.leftAt.IsZero() || st.leftObserving || st.vote != nil {
			continue
		}
		e := st.leftAt.Add(r.revealGrace)
		if now.Before(e) && (!waiting || e.Before(end)) {
			end, waiting = e, true
		}
	}
	return end, waiting
}

// graceEnded runs when the grace timer fires: whoever has not come back no longer
// holds the round up.
func (r *Room) graceEnded() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.graceTimer = nil
	r.autoRevealLocked()
}

// startRoundTimerLocked starts the server's timer for the round just begun. It runs in
// every room with a round timer, so that switching on "reveal when time is up" during a
// round works too.
func (r *Room) startRoundTimerLocked() {
	if r.roundTimer != nil {
		r.roundTimer.Stop()
		r.roundTimer = nil
	}
	// From the round's deadline, not from now: a round brought back after a restart
	// keeps the time it had (see restore.go).
	deadline := r.state.roundDeadline()
	if deadline == nil {
		return
	}
	round := r.state.roundNumber
	r.roundTimer = r.after(deadline.Sub(r.clock.Now()), func() { r.roundTimerRanOut(round) })
}

func (r *Room) roundTimerRanOut(round int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state.closed || r.state.roundNumber != round || r.state.round != RoundVoting {
		return
	}
	r.roundTimer = nil
	if r.state.game.Settings.Options.RevealOnTimer {
		r.emit(&Event{Kind: Revealed, Cause: TimerRanOut})
	}
}

// checkFacilitatorLocked follows the facilitator's presence after every change to who is
// connected: it starts the away timer when they are offline, stops it when they are
// back, and passes the role on once they have been away too long and someone is here.
func (r *Room) checkFacilitatorLocked() {
	if r.state.closed || !r.state.hasAdmin || r.facilitatorTimeout <= 0 {
		return
	}
	if admin := r.state.byID[r.state.adminID]; admin != nil && admin.sockets > 0 {
		r.stopAwayTimerLocked()
		r.awayExpired = false
		return
	}
	if r.awayExpired {
		if next := r.longestConnectedLocked(); next != nil {
			r.awayExpired = false
			r.emit(&Event{Kind: FacilitatorChanged, Player: next.player, Cause: AwayTimeout})
			r.scheduleReleaseLocked()  // the old facilitator's seat, if never used, may go now
			r.checkFacilitatorLocked() // the new facilitator is here: nothing to wait for
		}
		return
	}
	if r.awayTimer == nil {
		gen := r.awayGen
		r.awayTimer = r.after(r.facilitatorTimeout, func() { r.facilitatorAway(gen) })
	}
}

func (r *Room) stopAwayTimerLocked() {
	if r.awayTimer != nil {
		r.awayTimer.Stop()
		r.awayTimer = nil
		r.awayGen++
	}
}

// facilitatorAway runs when the away timer of generation gen fires.
func (r *Room) facilitatorAway(gen uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.awayGen != gen || r.awayTimer == nil {
		return // stopped, or replaced, after it fired
	}
	r.awayTimer = nil
	r.awayGen++
	r.awayExpired = true
	r.checkFacilitatorLocked()
}

// longestConnectedLocked is the connected player whose visit began first (the earlier
// to join on a tie), or nil when nobody is connected.
func (r *Room) longestConnectedLocked() *seat {
	var best *seat
	for _, st := range r.state.seats {
		if st.sockets == 0 {
			continue
		}
		if best == nil || st.connectedSince.Before(best.connectedSince) {
			best = st
		}
	}
	return best
}

func nameOf(p Player) string {
	if p.Username == "" {
		return "that player"
	}
	return p.Username
}
