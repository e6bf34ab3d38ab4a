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
	byAlias    map[uuid.UUID]*seat
	adminID    uuid.UUID // the facilitator, once hasAdmin (the nil UUID is a valid player id)
	hasAdmin   bool
	round      RoundState
	story      *Story // the current round's story; nil when it has none
	roundStart *time.Time
	sockets    int // open connections over all players
	closed     bool

	roundNumber int            // rounds started so far
	records     []*RoundRecord // revealed rounds, oldest first
	recordLimit int            // the most rounds records keeps; 0: all

	// The backlog, in order. The slice and its entries are never changed in place (a
	// change makes new ones), so that every snapshot may share them.
	backlog     []*BacklogStory
	nextStoryID int // the id the next story added gets; ids are never reused

	createdAt     time.Time // RoomCreated's time
	lastEventAt   time.Time // the last event's time: how long the room has been idle
	everConnected bool      // somebody has connected at least once: the room was used
}

type seat struct {
	player         Player
	sockets        int       // open connections, the page's presence by request included
	byPage         bool      // present by a request from a page without scripts (see presence.go)
	connectedSince time.Time // when the player's current visit began, while connected
	vote           *float64
	unsure         bool // the vote is marked unsure (rooms that ask for it)
	observing      bool

	// What tells a real player from a seat taken and never used (see seats.go).
	used     bool      // the player has connected or acted at least once
	lastSeen time.Time // when the player joined, last acted or last left
	// The player's last departure: for a short while after it they still count for
	// auto-reveal as they counted before (see revealGrace).
	leftAt        time.Time // when their last connection closed; zero if it never did
	leftObserving bool      // they were observing then
}

// connections is the number of the player's open connections, not counting their
// presence by request.
func (st *seat) connections() int {
	if st.byPage {
		return st.sockets - 1
	}
	return st.sockets
}

// changedBy reports whether the VoteCast ev changes the player's vote: another card,
// or the same one marked otherwise (a vote after the reveal that changes nothing does
// not revise the round).
func (st *seat) changedBy(ev *Event) bool {
	return st.vote == nil || *st.vote != ev.Value || st.unsure != ev.Unsure
}

// seen notes a sign of life from the player at t.
func (st *seat) seen(t time.Time) {
	st.used = true
	if t.After(st.lastSeen) {
		st.lastSeen = t
	}
}

func newRoomState() roomState {
	return roomState{byID: map[uuid.UUID]*seat{}, byAlias: map[uuid.UUID]*seat{}, round: RoundInit, nextStoryID: 1}
}

// apply folds one event into the state. It trusts the event: commands check the rules
// before they emit, so replaying a recorded history needs no checks.
func (s *roomState) apply(ev *Event) {
	s.seq = ev.Seq
	s.lastEventAt = ev.At
	switch ev.Kind {
	case RoomCreated:
		s.game = *ev.Game
		s.recordLimit = ev.RecordLimit
		s.createdAt = ev.At
	case PlayerJoined:
		st := &seat{player: ev.Player, lastSeen: ev.At}
		s.seats = append(s.seats, st)
		s.byID[ev.Player.ID] = st
		s.byAlias[ev.Player.Alias] = st
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
		s.everConnected = true
		st.byPage = st.byPage || ev.ByPage
		st.seen(ev.At)
	case SocketClosed:
		st := s.byID[ev.Player.ID]
		st.sockets--
		s.sockets--
		if ev.ByPage {
			st.byPage = false
		}
		if st.sockets == 0 {
			st.seen(ev.At)
			st.leftAt, st.leftObserving = ev.At, st.observing
			// Observing is a choice made for this visit; the vote is kept so that a short
			// drop-out (a laptop lid, a lost signal) does not lose it.
			st.observing = false
		}
	case VoteCast:
		v := ev.Value
		st := s.byID[ev.Player.ID]
		changed := st.changedBy(ev)
		st.vote, st.unsure = &v, ev.Unsure
		st.seen(ev.At)
		if changed && s.round == RoundRevealed {
			s.reviseRecord()
		}
	case ObservingToggled:
		st := s.byID[ev.Player.ID]
		st.observing = !st.observing
		st.seen(ev.At)
	case RoundStarted:
		s.round = RoundVoting
		s.story = roundStory(ev)
		at := ev.At
		s.roundStart = &at
		s.roundNumber++
		for _, st := range s.seats {
			st.vote, st.unsure = nil, false
		}
		if s.story != nil && s.story.ID > 0 {
			s.changeStory(s.story.ID, func(b *BacklogStory) { b.Rounds++ })
		}
	case Revealed:
		// A second reveal of a round already recorded changes nothing: a vote after the
		// reveal has revised the record already (see reviseRecord).
		again := s.round == RoundRevealed && s.record(s.roundNumber) != nil
		s.round = RoundRevealed
		if s.roundNumber > 0 && !again {
			s.putRecord(s.recordRound(ev.At))
		}
	case RoomClosed:
		s.closed = true
	case OptionsChanged:
		s.game.Settings.Options = ev.Options
		// Hiding names while a round is on show hides them in its record too: the
		// names were seen, but nothing kept from now on links them to the cards.
		if rec := s.record(s.roundNumber); ev.Options.HideNames && s.round == RoundRevealed && rec != nil && !rec.Anonymous {
			s.putRecord(anonymous(rec, s.game.Deck))
		}
	case FacilitatorChanged:
		s.adminID, s.hasAdmin = ev.Player.ID, true
	case PlayerRemoved:
		s.unseat(ev.Player.ID)
		if s.hasAdmin && s.adminID == ev.Player.ID {
			s.adminID, s.hasAdmin = uuid.Nil, false // the facilitator left (see Room.Leave)
		}
	case SeatsReleased:
		for _, p := range ev.Released {
			s.unseat(p.ID)
		}
	case EstimateSet:
		if old := s.record(ev.Round); old != nil {
			rec := *old
			rec.Estimate = ev.Estimate
			s.putRecord(&rec)
			if rec.StoryID > 0 {
				est := s.storyEstimate(rec.StoryID)
				s.changeStory(rec.StoryID, func(b *BacklogStory) { b.Estimate = est })
			}
		}
	case StoriesAdded:
		s.addStories(ev.Stories)
	case StoryChanged:
		if ev.Story != nil {
			story, skipped := *ev.Story, ev.Skipped
			s.changeStory(story.ID, func(b *BacklogStory) { b.Story, b.Skipped = story, skipped })
		}
	case StoryDeleted:
		s.setBacklog(slices.DeleteFunc(slices.Clone(s.backlog), func(b *BacklogStory) bool { return b.ID == ev.StoryID }))
	case BacklogReordered:
		s.reorderBacklog(ev.Order)
	}
}

// unseat takes the player's seat, and their connections, out of the room.
func (s *roomState) unseat(id uuid.UUID) {
	st := s.byID[id]
	s.sockets -= st.sockets
	delete(s.byID, id)
	delete(s.byAlias, st.player.Alias)
	s.seats = slices.DeleteFunc(s.seats, func(x *seat) bool { return x == st })
}

// everyoneVoted reports whether the round is open and every voter has voted (see
// voters.go: the screens count with the same rule).
func (s *roomState) everyoneVoted() bool {
	if s.round != RoundVoting {
		return false
	}
	players := make([]PlayerState, len(s.seats))
	for i, st := range s.seats {
		players[i] = s.playerState(st)
	}
	return TallyOf(players).Everyone()
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
		out[i] = Vote{PlayerID: st.player.ID, Alias: st.player.Alias, Unsure: st.unsure}
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
		RoundDeadline: s.roundDeadline(),
		Records:       slices.Clone(s.records),
		Story:         copyStory(s.story),
		Backlog:       s.backlog, // shared: never changed in place
	}
	for i, seat := range s.seats {
		st.Players[i] = s.playerState(seat)
	}
	if st.Story != nil && st.Story.Link != nil {
		u := *st.Story.Link
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
