package game

// A room's events are its record (see fold.go): kept in an event log beyond the process,
// they bring every room back after a restart or a crash. The domain says here what it
// needs of such a log; implementations are named after what they depend on (the SQLite
// one in store/sqlite; one on Redis Streams can sit beside it, for instances that share
// rooms). Nothing here knows of a database.

import (
	"context"
	"errors"
)

// EventLog keeps rooms' events in order, each room under its code with its own sequence
// (Event.Seq, from 1), and their snapshots.
//
// The room never waits for it: Append is called under the room's lock, hands the event
// over and returns at once; the log writes in the background (group commits) and says
// through Committed when what was appended is safe. Whatever a client is told was done
// (an answer to its request, the sender's own echo) waits for that; the rest of the room
// sees each change at once.
type EventLog interface {
	// Append hands over a room's event, applied and numbered, in the room's order. It
	// must not block on the disk or the network, nor call back into the room.
	Append(code string, rec LoggedEvent)
	// Committed returns a channel that is closed once every event of the room up to seq
	// has been written for good, or could not be (the log counts and reports that; the
	// room goes on in memory).
	Committed(code string, seq uint64) <-chan struct{}
	// Read returns a room's newest snapshot and the events after it, in order. A room
	// the log does not hold answers ErrNoHistory.
	Read(ctx context.Context, code string) (History, error)
	// Rooms lists the codes of the rooms the log holds.
	Rooms(ctx context.Context) ([]string, error)
	// Delete forgets a room: its events and snapshots.
	Delete(code string)
}

// ErrNoHistory is what EventLog.Read answers for a room it does not hold.
var ErrNoHistory = errors.New("the event log holds no such room")

// LoggedEvent is an event as the log keeps it: its number, its kind, and its encoding
// (see EncodeEvent), or a snapshot of the room's whole state at that number.
type LoggedEvent struct {
	Seq      uint64
	Kind     EventKind
	Data     []byte
	Snapshot bool // Data is a RoomImage (see EncodeImage), not an event
}

// History is what a log holds of one room: its newest snapshot (nil when there is none:
// the events then start at RoomCreated) and the events after it.
type History struct {
	Code     string
	Snapshot []byte // a RoomImage's encoding, or nil
	Events   []LoggedEvent
}
