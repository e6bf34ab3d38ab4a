package game

import (
	"log/slog"
	"sync/atomic"
)

// A room with an event log hands it every event it applies, encoded, under its lock and
// in its order: encoding is the room's cost, the disk is the log's (Append does not wait
// for it). Every snapshotEvery events it also hands over an image of its whole state at
// that point, so that bringing the room back replays a bounded number of events.

// SnapshotEveryDefault is how many events a room's log holds between two snapshots of
// it unless the registry is told otherwise: replaying that many is quick, and imaging a
// room (its session record included) that rarely costs little.
const SnapshotEveryDefault = 200

// SnapshotWanter is what an EventLog may also implement when it can lose events once
// they were handed over (a full queue, a failing disk): the room's history in the log
// then has a hole, and it could not be brought back past it. The room asks after each
// event it appends, under its lock (so the answer must come at once), and when the log
// wants one it appends a snapshot of its whole state right after the event: from there
// the room can be brought back again.
type SnapshotWanter interface {
	WantsSnapshot(code string) bool
}

// logFailures counts the events a registry's rooms could not hand to the log.
type logFailures struct{ n atomic.Int64 }

func (f *logFailures) add() {
	if f != nil {
		f.n.Add(1)
	}
}

func (f *logFailures) count() int64 {
	if f == nil {
		return 0
	}
	return f.n.Load()
}

// appendLocked hands the applied event ev to the log, and a snapshot when one is due.
// An event that cannot be encoded is reported and counted, and a snapshot taken at once
// in its place, so that the log's history has no gap; the room goes on either way.
func (r *Room) appendLocked(ev *Event) {
	if r.log == nil {
		return
	}
	data, err := EncodeEvent(ev)
	if err != nil {
		r.logFailures.add()
		slog.Error("a room's event could not be encoded for the event log; taking a snapshot instead",
			"room", r.state.game.Code, "seq", ev.Seq, "kind", ev.Kind.String(), "err", err)
		r.logImageLocked()
		return
	}
	r.log.Append(r.state.game.Code, LoggedEvent{Seq: ev.Seq, Kind: ev.Kind, Data: data})
	r.loggedSeq = ev.Seq
	r.sinceSnapshot++
	if r.state.closed {
		return
	}
	due := r.snapshotEvery > 0 && r.sinceSnapshot >= r.snapshotEvery
	if w, ok := r.log.(SnapshotWanter); due || (ok && w.WantsSnapshot(r.state.game.Code)) {
		r.logImageLocked()
	}
}

// logImageLocked hands the log a snapshot of the room's whole state as it is now.
func (r *Room) logImageLocked() {
	data, err := EncodeImage(r.state.image())
	if err != nil {
		r.logFailures.add()
		slog.Error("a room's state could not be encoded for the event log",
			"room", r.state.game.Code, "seq", r.state.seq, "err", err)
		return
	}
	r.log.Append(r.state.game.Code, LoggedEvent{Seq: r.state.seq, Kind: Snapshot, Data: data, Snapshot: true})
	r.loggedSeq = r.state.seq
	r.sinceSnapshot = 0
}
