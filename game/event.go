package game

import (
	"sync"
	"time"

	"github.com/google/uuid"
)

// EventKind names what happened in a room.
type EventKind int

const (
	RoomCreated      EventKind = iota + 1 // the room exists, with its game
	PlayerJoined                          // a player took a seat (the first becomes facilitator)
	SocketOpened                          // one of a player's connections opened
	SocketClosed                          // one of a player's connections closed
	VoteCast                              // a player picked a card
	ObservingToggled                      // a player started or stopped observing
	RoundStarted                          // a new round began, votes cleared
	Revealed                              // the votes were shown
	RoomClosed                            // the room is gone

	// Snapshot is not part of the room's history: it carries the whole state to one
	// subscriber (on connect or on request) and is never applied.
	Snapshot
)

var eventKindNames = [...]string{
	RoomCreated: "RoomCreated", PlayerJoined: "PlayerJoined", SocketOpened: "SocketOpened",
	SocketClosed: "SocketClosed", VoteCast: "VoteCast", ObservingToggled: "ObservingToggled",
	RoundStarted: "RoundStarted", Revealed: "Revealed", RoomClosed: "RoomClosed", Snapshot: "Snapshot",
}

func (k EventKind) String() string {
	if k > 0 && int(k) < len(eventKindNames) {
		return eventKindNames[k]
	}
	return "EventKind(?)"
}

// Event is one change to a room, or a snapshot of it. A room's state is the fold of its
// events (see Room.apply). One *Event is shared by every subscriber and must not be
// modified once delivered.
type Event struct {
	Seq  uint64 // position in the room's history, from 1; a snapshot has the Seq it reflects
	Kind EventKind
	At   time.Time

	Game       *GameInfo // RoomCreated
	Player     Player    // the subject of PlayerJoined, Socket*, VoteCast, ObservingToggled
	Admin      bool      // PlayerJoined: the player became the facilitator
	Value      float64   // VoteCast
	TicketURL  *string   // RoundStarted: the ticket link, nil when none
	LastSocket bool      // SocketClosed: the player has no connection left and is offline

	// Views of the state right after the change, filled in for subscribers; apply never
	// reads them, so replaying history does not depend on them.
	PlayerState PlayerState // SocketOpened: the player's state once connected
	Votes       []Vote      // Revealed, and a Snapshot of a revealed round
	State       *State      // Snapshot

	memo memo
}

// Memo returns the value build makes for key, calling build at most once per event. Each
// front end renders an event to its own wire format once, however many connections
// carry it.
func (e *Event) Memo(key any, build func() any) any {
	return e.memo.get(key, build)
}

type memo struct {
	mu      sync.Mutex
	entries []memoEntry
}

type memoEntry struct {
	key   any
	value any
}

func (m *memo) get(key any, build func() any) any {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.entries {
		if e.key == key {
			return e.value
		}
	}
	v := build()
	m.entries = append(m.entries, memoEntry{key, v})
	return v
}

// Player is a person at the table. The id is public: every client sees every id.
type Player struct {
	ID       uuid.UUID
	Username string
}

// PlayerState is what everyone in the room may know about a player.
type PlayerState struct {
	Player    Player
	Connected bool
	Admin     bool
	Observing bool
	Voted     bool
}

// Vote is a player's vote as revealed; Value is nil when the player did not vote.
type Vote struct {
	PlayerID uuid.UUID
	Value    *float64
}

// RoundState is where the room is in its round.
type RoundState string

const (
	RoundInit     RoundState = "INIT"     // no round started yet
	RoundVoting   RoundState = "VOTING"   // votes are hidden
	RoundRevealed RoundState = "REVEALED" // votes are shown
)

// GameInfo is what a room was created with.
type GameInfo struct {
	Code     string
	Name     string
	Deck     Deck
	Settings GameSettings
}

// State is a copy of a room's whole public state.
type State struct {
	Game       GameInfo
	Players    []PlayerState // in join order
	TicketURL  *string
	Round      RoundState
	RoundStart *time.Time
	Votes      []Vote // only once revealed, in join order
}
