package game

import (
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
}

type seat struct {
	player    Player
	sockets   int
	vote      *float64
	observing bool
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
		s.byID[ev.Player.ID].sockets++
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
		for _, st := range s.seats {
			st.vote = nil
		}
	case Revealed:
		s.round = RoundRevealed
	case RoomClosed:
		s.closed = true
	}
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
		Game:    s.gameInfo(),
		Players: make([]PlayerState, len(s.seats)),
		Round:   s.round,
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
