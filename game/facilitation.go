package game

import (
	"slices"
	"strings"
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
	if err := r.state.game.Settings.checkOptions(o); err != nil {
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

// HandOff makes another connected player the facilitator. Only the facilitator may.
func (r *Room) HandOff(id, to uuid.UUID) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.checkAdminLocked(id); err != nil {
		return err
	}
	next, err := r.seatLocked(to)
	if err != nil {
		return err
	}
	switch {
	case to == id:
		return Errorf(EInvalid, "you are the facilitator already")
	case next.sockets == 0:
		return Errorf(EConflict, "%s is offline: hand the role to someone who is here", nameOf(next.player))
	}
	r.emit(&Event{Kind: FacilitatorChanged, Player: next.player, Cause: ByHand})
	r.checkFacilitatorLocked()
	return nil
}

// Remove takes a player out of the room: their seat, vote and connections go (each
// connection learns it from the PlayerRemoved event and closes). They may join again.
// Only the facilitator may, and not themself.
func (r *Room) Remove(id, who uuid.UUID) error {
	r.mu.Lock()
	if err := r.checkAdminLocked(id); err != nil {
		r.mu.Unlock()
		return err
	}
	gone, err := r.seatLocked(who)
	if err != nil {
		r.mu.Unlock()
		return err
	}
	if who == id {
		r.mu.Unlock()
		return Errorf(EInvalid, "the facilitator cannot remove themself: hand the role on first")
	}
	r.emit(&Event{Kind: PlayerRemoved, Player: gone.player})
	r.subs = slices.DeleteFunc(r.subs, func(s subscription) bool { return s.seated && s.playerID == who })
	r.autoRevealLocked()
	r.unlockAndNoteEmpty()
	return nil
}

// SetEstimate records the estimate the team agreed on for a revealed round (an empty
// one clears it). The facilitator may, and anyone in a facilitator-free room.
func (r *Room) SetEstimate(id uuid.UUID, round int, estimate string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.checkCanRunLocked(id); err != nil {
		return err
	}
	estimate = strings.TrimSpace(estimate)
	if err := checkEstimate(estimate); err != nil {
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

// autoRevealLocked reveals the round once everyone has voted, when the rules say so.
func (r *Room) autoRevealLocked() {
	if r.state.closed || !r.state.game.Settings.Options.AutoReveal || !r.state.everyoneVoted() {
		return
	}
	r.emit(&Event{Kind: Revealed, Cause: AllVoted})
}

// startRoundTimerLocked starts the server's timer for the round just begun. It runs in
// every room with a round timer, so that switching on "reveal when time is up" during a
// round works too.
func (r *Room) startRoundTimerLocked() {
	if r.roundTimer != nil {
		r.roundTimer.Stop()
		r.roundTimer = nil
	}
	t := r.state.game.Settings.RoundTimer
	if t == nil {
		return
	}
	round := r.state.roundNumber
	r.roundTimer = r.clock.AfterFunc(time.Duration(t.Maximum)*time.Minute, func() { r.roundTimerRanOut(round) })
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
			r.checkFacilitatorLocked() // the new facilitator is here: nothing to wait for
		}
		return
	}
	if r.awayTimer == nil {
		gen := r.awayGen
		r.awayTimer = r.clock.AfterFunc(r.facilitatorTimeout, func() { r.facilitatorAway(gen) })
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
