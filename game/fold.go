package game

import (
	"slices"
	"time"

	"github.com/google/uuid"
)

// roomState is the fold of a room's events. Only apply changes it.
type roomState struct {
	seq        uint64
	game       GameInfo
	seats      []*seat // in join order
	byID       map[uuid.UUID]*seat
	adminID    uuid.UUID // the facilitator, once hasAdmin (the nil UUID is a valid player id)
	hasAdmin   bool
	round      RoundState
	ticketURL  *string
	roundStart *time.Time
	sockets    int // open connections over all players
	closed     bool

	roundNumber int            // rounds started so far
	records     []*RoundRecord // revealed rounds, oldest first
	handVersion uint64         // the seq of the last change to anyone's own controls
}

type seat struct {
	player         Player
	sockets        int
	connectedSince time.Time // when the player's current visit began, while connected
	vote           *float64
	observing      bool
}

func newRoomState() roomState {
	return roomState{byID: map[uuid.UUID]*seat{}, round: RoundInit}
}

// apply folds one event into the state. It trusts the event: commands check the rules
// before they emit, so replaying a recorded history needs no checks.
func (s *roomState) apply(ev *Event) {
	s.seq = ev.Seq
	switch ev.Kind {
	case RoomCreated:
		s.game = *ev.Game
	case PlayerJoined:
		st := &seat{player: ev.Player}
		s.seats = append(s.seats, st)
		s.byID[ev.Player.ID] = st
		if ev.Admin {
			s.adminID, s.hasAdmin = ev.Player.ID, true
		}
	case SocketOpened:
		st := s.byID[ev.Player.ID]
		if st.sockets == 0 {
			st.connectedSince = ev.At
		}
		st.sockets++
		s.sockets++
	case SocketClosed:
		st := s.byID[ev.Player.ID]
		st.sockets--
		s.sockets--
		if st.sockets == 0 {
			// Observing is a choice made for this visit; the vote is kept so that a short
			// drop-out (a laptop lid, a lost signal) does not lose it.
			st.observing = false
		}
	case VoteCast:
		v := ev.Value
		s.byID[ev.Player.ID].vote = &v
	case ObservingToggled:
		st := s.byID[ev.Player.ID]
		st.observing = !st.observing
	case RoundStarted:
		s.round = RoundVoting
		s.ticketURL = ev.TicketURL
		at := ev.At
		s.roundStart = &at
		s.roundNumber++
		for _, st := range s.seats {
			st.vote = nil
		}
		s.handVersion = ev.Seq
	case Revealed:
		s.round = RoundRevealed
		if s.roundNumber > 0 {
			s.putRecord(s.recordRound(ev.At))
		}
		s.handVersion = ev.Seq
	case RoomClosed:
		s.closed = true
	case OptionsChanged:
		s.game.Settings.Options = ev.Options
		s.handVersion = ev.Seq
	case FacilitatorChanged:
		s.adminID, s.hasAdmin = ev.Player.ID, true
		s.handVersion = ev.Seq
	case PlayerRemoved:
		st := s.byID[ev.Player.ID]
		s.sockets -= st.sockets
		delete(s.byID, ev.Player.ID)
		s.seats = slices.DeleteFunc(s.seats, func(x *seat) bool { return x == st })
		s.handVersion = ev.Seq
	case EstimateSet:
		if old := s.record(ev.Round); old != nil {
			rec := *old
			rec.Estimate = ev.Estimate
			s.putRecord(&rec)
		}
	}
}

// everyoneVoted reports whether the round is open and every connected, non-observing
// player has voted (and there is at least one such player).
func (s *roomState) everyoneVoted() bool {
	if s.round != RoundVoting {
		return false
	}
	voters := 0
	for _, st := range s.seats {
		if st.sockets == 0 || st.observing {
			continue
		}
		if st.vote == nil {
			return false
		}
		voters++
	}
	return voters > 0
}

// roundDeadline is when the current round's timer runs out, if it has one.
func (s *roomState) roundDeadline() *time.Time {
	t := s.game.Settings.RoundTimer
	if t == nil || s.round != RoundVoting || s.roundStart == nil {
		return nil
	}
	d := s.roundStart.Add(time.Duration(t.Maximum) * time.Minute)
	return &d
}

func (s *roomState) playerState(st *seat) PlayerState {
	return PlayerState{
		Player:    st.player,
		Connected: st.sockets > 0,
		Admin:     s.hasAdmin && st.player.ID == s.adminID,
		Observing: st.observing,
		Voted:     st.vote != nil,
	}
}

func (s *roomState) votes() []Vote {
	out := make([]Vote, len(s.seats))
	for i, st := range s.seats {
		out[i] = Vote{PlayerID: st.player.ID}
		if st.vote != nil {
			v := *st.vote
			out[i].Value = &v
		}
	}
	return out
}

func (s *roomState) snapshot() *State {
	st := &State{
		Game:          s.gameInfo(),
		Players:       make([]PlayerState, len(s.seats)),
		Round:         s.round,
		RoundNumber:   s.roundNumber,
		EveryoneVoted: s.everyoneVoted(),
		RoundDeadline: s.roundDeadline(),
		Records:       slices.Clone(s.records),
		HandVersion:   s.handVersion,
	}
	for i, seat := range s.seats {
		st.Players[i] = s.playerState(seat)
	}
	if s.ticketURL != nil {
		u := *s.ticketURL
		st.TicketURL = &u
	}
	if s.roundStart != nil {
		t := *s.roundStart
		st.RoundStart = &t
	}
	if s.round == RoundRevealed {
		st.Votes = s.votes()
	}
	return st
}

// gameInfo returns a copy of what the room was created with.
func (s *roomState) gameInfo() GameInfo {
	g := s.game
	g.Deck = cloneDeck(s.game.Deck)
	if s.game.Settings.RoundTimer != nil {
		t := *s.game.Settings.RoundTimer
		g.Settings.RoundTimer = &t
	}
	return g
}
