package game

import (
	"sync"
	"time"

	"github.com/google/uuid"
)

// EventKind names what happened in a room.
type EventKind int

const (
	RoomCreated        EventKind = iota + 1 // the room exists, with its game
	PlayerJoined                            // a player took a seat (the first becomes facilitator)
	SocketOpened                            // one of a player's connections opened
	SocketClosed                            // one of a player's connections closed
	VoteCast                                // a player picked a card
	ObservingToggled                        // a player started or stopped observing
	RoundStarted                            // a new round began, votes cleared
	Revealed                                // the votes were shown
	RoomClosed                              // the room is gone
	OptionsChanged                          // the facilitator changed the room's rules
	FacilitatorChanged                      // the facilitator role passed to another player
	PlayerRemoved                           // the facilitator took a player out of the room
	EstimateSet                             // the facilitator recorded a round's agreed estimate
	SeatsReleased                           // seats nobody used, or left long ago, were let go
	StoriesAdded                            // stories were added to the backlog
	StoryChanged                            // a backlog story was edited, skipped or taken back
	StoryDeleted                            // a story was taken out of the backlog
	BacklogReordered                        // the backlog was put in a new order

	// Snapshot is not part of the room's history: it carries the whole state to one
	// subscriber (on connect or on request) and is never applied.
	Snapshot
)

var eventKindNames = [...]string{
	RoomCreated: "RoomCreated", PlayerJoined: "PlayerJoined", SocketOpened: "SocketOpened",
	SocketClosed: "SocketClosed", VoteCast: "VoteCast", ObservingToggled: "ObservingToggled",
	RoundStarted: "RoundStarted", Revealed: "Revealed", RoomClosed: "RoomClosed",
	OptionsChanged: "OptionsChanged", FacilitatorChanged: "FacilitatorChanged",
	PlayerRemoved: "PlayerRemoved", EstimateSet: "EstimateSet", SeatsReleased: "SeatsReleased",
	StoriesAdded: "StoriesAdded", StoryChanged: "StoryChanged", StoryDeleted: "StoryDeleted",
	BacklogReordered: "BacklogReordered",
	Snapshot:         "Snapshot",
}

// Cause says why a reveal, a change of facilitator or a departure happened.
type Cause int

const (
	ByHand          Cause = iota // a player asked for it
	AllVoted                     // Revealed: every connected voter had voted
	TimerRanOut                  // Revealed: the round timer ran out
	AwayTimeout                  // FacilitatorChanged: the facilitator was away too long
	LeftByChoice                 // PlayerRemoved: the player left the room themself (Room.Leave)
	FacilitatorLeft              // FacilitatorChanged: the facilitator left the room
)

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

	Game       *GameInfo   // RoomCreated
	Player     Player      // the subject of PlayerJoined, Socket*, VoteCast, ObservingToggled, FacilitatorChanged (the new one), PlayerRemoved
	Admin      bool        // PlayerJoined: the player became the facilitator
	Value      float64     // VoteCast
	TicketURL  *string     // RoundStarted: the ticket link, nil when none (always Story.Link)
	Story      *Story      // RoundStarted: the round's story, nil when none; StoryChanged: the story as it is now
	Stories    []Story     // StoriesAdded: the stories, their ids given
	StoryID    int         // StoryDeleted
	Skipped    bool        // StoryChanged: the story is skipped
	Order      []int       // BacklogReordered: every story id, in the new order
	Unsure     bool        // VoteCast: the voter marked the vote unsure (rooms that ask)
	LastSocket bool        // SocketClosed: the player has no connection left and is offline
	ByPage     bool        // Socket*: the presence by request of a page without scripts (see presence.go)
	Options    RoomOptions // OptionsChanged
	Cause      Cause       // Revealed, FacilitatorChanged, PlayerRemoved (LeftByChoice, or ByHand: removed)
	Round      int         // EstimateSet: the round's number
	Estimate   string      // EstimateSet
	Released   []Player    // SeatsReleased: the players whose seats went, in join order
	// RecordLimit is how many rounds the session record keeps (0: all), set by
	// RoomCreated so that a replayed history drops the same rounds.
	RecordLimit int

	// Views of the state right after the change, filled in for subscribers; apply never
	// reads them, so replaying history does not depend on them.
	PlayerState PlayerState // SocketOpened: the player's state once connected
	// Revised: a VoteCast after the reveal changed the revealed round (its votes, results
	// and record): surfaces show the revealed round again (the WebSocket sends
	// REVEALGAME again). A vote equal to the one recorded is not a revision.
	Revised bool
	Votes   []Vote // Revealed, and a Snapshot of a revealed round
	// State is the room's whole public state right after the change (for a Snapshot,
	// the state it carries): each surface draws its message from the event and this,
	// and never reads the room again, so that what it shows is exactly this point of
	// the room's history.
	State *State

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

// Player is a person at the table. The id is the player's secret: it is what their
// connections show to act as them, and only they ever receive it. Everyone else knows the
// player by the alias (see alias.go), which the room sets when the player joins.
type Player struct {
	ID       uuid.UUID
	Alias    uuid.UUID
	Username string
}

// NameFor is how the player is named to a recipient: by the real id to the player
// themself, by the alias to everyone else.
func (p Player) NameFor(recipient uuid.UUID) uuid.UUID {
	if p.ID == recipient {
		return p.ID
	}
	return p.Alias
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
	PlayerID uuid.UUID // the voter's secret id
	Alias    uuid.UUID // the voter's public alias
	Value    *float64
	Unsure   bool // the voter marked the vote unsure
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
	Game      GameInfo      // its Settings.Options are the rules in force now
	Players   []PlayerState // in join order
	TicketURL *string       // the current story's link (Story.Link), for the reference's clients
	// Story is the current round's story, nil when it has none.
	Story *Story
	// Backlog is the room's backlog in order; shared, never changed in place.
	Backlog     []*BacklogStory
	Round       RoundState
	RoundStart  *time.Time
	RoundNumber int    // rounds started so far
	Votes       []Vote // only once revealed, in join order
	// RoundDeadline is when the round timer runs out, for a round with a timer.
	RoundDeadline *time.Time
	// Records are the revealed rounds, oldest first; they are shared and must not be changed.
	Records []*RoundRecord
}

// CanRun reports whether the player may start rounds and reveal.
func (st *State) CanRun(p PlayerState) bool {
	return p.Admin || st.Game.Settings.Options.FacilitatorFree
}

// NamesHidden reports whether the round on show must not link a name to a card: the
// room hides names, or the round was revealed while it did (its record is anonymous).
// Every surface that shows revealed votes asks this.
func (st *State) NamesHidden() bool {
	if st.Game.Settings.Options.HideNames {
		return true
	}
	rec := st.Current()
	return rec != nil && rec.Anonymous
}

// Current is the record of the round on show, once it is revealed.
func (st *State) Current() *RoundRecord {
	if st.Round != RoundRevealed || len(st.Records) == 0 {
		return nil
	}
	if last := st.Records[len(st.Records)-1]; last.Number == st.RoundNumber {
		return last
	}
	return nil
}
