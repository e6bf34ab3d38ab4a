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
	if r.sinceSnapshot >= r.snapshotEvery && r.snapshotEvery > 0 && !r.state.closed {
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
