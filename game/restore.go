package game

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// Bringing rooms back. At start, with an event log, every room it holds is rebuilt from
// its newest snapshot and the events after it (replay trusts the events once they pass
// the checks below, as apply does) and registered under its code. Nobody is connected
// after a restart: every open connection of the crashed process is closed with a
// SocketClosed event, as if everyone had left at that moment, and the room's timers are
// armed again from what the state says they were doing: the round timer from the
// round's deadline, the facilitator's away timer, the release of unused seats, and the
// end of a room nobody ever used or that has been idle too long.

// Restore loads every room the event log holds. Rooms already past their retention (or
// unused past UnusedRoomTTL) are deleted from the log instead, as closed ones are. A
// room that cannot be rebuilt stops it with an error naming the room, and so does one
// whose aliases were drawn with another AliasKey: its players would lose their seats.
// Without a log it does nothing. Call it once, before the registry serves anyone.
func (g *Registry) Restore(ctx context.Context) error {
	if g.cfg.Log == nil {
		return nil
	}
	codes, err := g.cfg.Log.Rooms(ctx)
	if err != nil {
		return fmt.Errorf("listing the rooms of the event log: %w", err)
	}
	for _, code := range codes {
		if err := g.restoreRoom(ctx, code); err != nil {
			return fmt.Errorf("bringing back room %q: %w", code, err)
		}
	}
	return nil
}

func (g *Registry) restoreRoom(ctx context.Context, code string) error {
	h, err := g.cfg.Log.Read(ctx, code)
	if errors.Is(err, ErrNoHistory) {
		return nil // deleted since it was listed
	}
	if err != nil {
		return err
	}
	state, replayed, err := replay(h)
	if err != nil {
		return err
	}
	if state.game.Code != code {
		return fmt.Errorf("its history is that of room %q", state.game.Code)
	}
	if g.expired(&state) {
		g.cfg.Log.Delete(code)
		return nil
	}
	for _, st := range state.seats {
		if aliasOf(g.cfg.AliasKey, code, st.player.ID) != st.player.Alias {
			return fmt.Errorf("player %s's alias was drawn with another alias key: start with the key this data was written with", st.player.Alias)
		}
	}
	room := roomFromState(g.roomConfig(), state.game.Settings.MaxPlayers, state)
	room.sinceSnapshot = replayed
	if err := g.register(room); err != nil {
		return err
	}
	room.noteEmpty(room.resume())
	if !state.everConnected && g.cfg.UnusedRoomTTL > 0 { // resume changes none of that
		wait := max(state.createdAt.Add(g.cfg.UnusedRoomTTL).Sub(g.cfg.Clock.Now()), 0)
		room.scheduleDelete(0, g.after(wait, func() { g.deleteIfEmpty(room, 0) }))
	}
	return nil
}

// expired reports whether a room read from the log is to be deleted rather than
// loaded: closed, unused past UnusedRoomTTL, or idle past Retention.
func (g *Registry) expired(s *roomState) bool {
	now := g.cfg.Clock.Now()
	switch {
	case s.closed:
		return true
	case !s.everConnected:
		return g.cfg.UnusedRoomTTL > 0 && !now.Before(s.createdAt.Add(g.cfg.UnusedRoomTTL))
	default:
		return g.cfg.Retention > 0 && !now.Before(s.lastEventAt.Add(g.cfg.Retention))
	}
}

// register adds a restored room under its code, with its own deck under its id.
func (g *Registry) register(room *Room) error {
	code, deck := room.state.game.Code, room.state.game.Deck
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, taken := g.rooms[code]; taken {
		return fmt.Errorf("the event log holds it twice")
	}
	if deck.ID >= firstCustomDeckID {
		if _, taken := g.customDecks[deck.ID]; taken {
			return fmt.Errorf("its deck id %d is another room's", deck.ID)
		}
		g.customDecks[deck.ID] = cloneDeck(deck)
		// New rooms' decks take ids after every restored one, so that none collides.
		g.nextCustomID = max(g.nextCustomID, deck.ID+1)
	}
	g.rooms[code] = room
	return nil
}

// replay rebuilds a room's state from its history, and says how many events it applied.
func replay(h History) (roomState, int, error) {
	s := newRoomState()
	if h.Snapshot != nil {
		img, err := DecodeImage(h.Snapshot)
		if err != nil {
			return roomState{}, 0, err
		}
		if s, err = img.state(); err != nil {
			return roomState{}, 0, err
		}
	}
	applied := 0
	for _, le := range h.Events {
		if le.Snapshot || le.Seq <= s.seq {
			continue // taken into the snapshot already
		}
		if le.Seq != s.seq+1 {
			return roomState{}, 0, fmt.Errorf("event %d follows event %d: the history has a gap", le.Seq, s.seq)
		}
		ev, err := DecodeEvent(le.Kind, le.Seq, le.Data)
		if err != nil {
			return roomState{}, 0, err
		}
		if err := s.canApply(ev); err != nil {
			return roomState{}, 0, fmt.Errorf("event %d (%v): %w", ev.Seq, ev.Kind, err)
		}
		s.apply(ev)
		applied++
	}
	if s.seq == 0 {
		return roomState{}, 0, fmt.Errorf("its history is empty")
	}
	return s, applied, nil
}

// canApply refuses an event that the state cannot take: apply trusts its events, which
// the room's commands checked, and a history read from outside must not make it fail.
func (s *roomState) canApply(ev *Event) error {
	if ev.Kind == RoomCreated {
		if s.seq != 0 {
			return errors.New("the room is created twice")
		}
		return nil
	}
	if s.seq == 0 {
		return errors.New("the history does not start with the room's creation")
	}
	if s.closed {
		return errors.New("an event after the room closed")
	}
	seated := func(p Player) error {
		if st, ok := s.byID[p.ID]; !ok || st.player != p {
			return fmt.Errorf("player %s is not seated", p.Alias)
		}
		return nil
	}
	switch ev.Kind {
	case PlayerJoined:
		_, byID := s.byID[ev.Player.ID]
		_, byAlias := s.byAlias[ev.Player.Alias]
		if byID || byAlias {
			return fmt.Errorf("player %s is seated already", ev.Player.Alias)
		}
	case SocketOpened, VoteCast, ObservingToggled, FacilitatorChanged, PlayerRemoved:
		return seated(ev.Player)
	case SocketClosed:
		if err := seated(ev.Player); err != nil {
			return err
		}
		if s.byID[ev.Player.ID].sockets == 0 {
			return fmt.Errorf("player %s has no connection to close", ev.Player.Alias)
		}
	case SeatsReleased:
		for i, p := range ev.Released {
			if err := seated(p); err != nil || slices.Contains(ev.Released[:i], p) {
				return fmt.Errorf("player %s cannot be released", p.Alias)
			}
		}
	}
	return nil
}

// resume takes up a room brought back from the log: the connections of the process that
// wrote it are closed, as if everyone had left now, and the room's timers are armed
// again. It reports, as Disconnect does, whether the room is now empty after a use.
func (r *Room) resume() (epoch uint64, empty bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, st := range r.state.seats {
		for st.sockets > 0 {
			r.record(&Event{Kind: SocketClosed, Player: st.player, ByPage: st.byPage, LastSocket: st.sockets == 1})
		}
	}
	now := r.clock.Now()
	if d := r.state.roundDeadline(); d != nil && !now.Before(*d) && r.state.game.Settings.Options.RevealOnTimer {
		r.record(&Event{Kind: Revealed, Cause: TimerRanOut}) // time ran out while the server was down
	} else {
		r.startRoundTimerLocked()
	}
	r.resumeAwayTimerLocked()
	r.scheduleReleaseLocked()
	// No auto-reveal here: those who had not voted would no longer count once offline,
	// and a restart would reveal a round everyone is coming straight back to. The next
	// vote or departure checks again, with whoever is back.
	if !r.state.everConnected {
		return 0, false // nobody ever came: the unused room's deletion is armed instead
	}
	return r.emptiedLocked()
}

// resumeAwayTimerLocked arms the facilitator's away timer for what is left of their
// absence: they are offline, since nobody is connected after a restart.
func (r *Room) resumeAwayTimerLocked() {
	if !r.state.hasAdmin || r.facilitatorTimeout <= 0 {
		return
	}
	wait := r.facilitatorTimeout
	if admin := r.state.byID[r.state.adminID]; admin != nil && !admin.leftAt.IsZero() {
		wait = max(admin.leftAt.Add(r.facilitatorTimeout).Sub(r.clock.Now()), 0)
	}
	gen := r.awayGen
	r.awayTimer = r.after(wait, func() { r.facilitatorAway(gen) })
}
