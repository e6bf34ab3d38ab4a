package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pokerd/pokerd/game"
)

// How an event gets to the disk: Append queues it and returns; one writer goroutine takes
// everything queued (up to MaxBatch records) and commits it in one transaction, then
// settles it: the Committed channels up to each room's newest record close.
//
// A record that cannot be written (the queue is full, or its transaction failed) leaves
// its room's history with a hole. Writing the room's later events after a hole would make
// a history that folds into a state the room never had, so the writer stops writing that
// room ("broken") until the room's next snapshot, which holds the whole state and restores
// it on disk. Everything is settled all the same, so the rooms go on in memory.

// op is one thing the writer does, in the order the rooms asked for it.
type op struct {
	code   string
	room   *roomAck // settled when this op is done (nil: a delete)
	rec    game.LoggedEvent
	at     int64 // Unix milliseconds
	lost   bool  // the record did not fit in the queue: the room's history has a hole here
	delete bool
}

// roomAck is what is settled of one room (written, or given up), and who waits for more.
type roomAck struct {
	settled uint64
	waiters []waiter
	broken  bool // the writer's: newer events are not written until a snapshot (see above)
	wants   bool // a record was lost and no snapshot has been appended since (WantsSnapshot)
}

type waiter struct {
	seq uint64
	ch  chan struct{}
}

var closedChannel = func() chan struct{} { ch := make(chan struct{}); close(ch); return ch }()

// errQueueFull is what Failing reports after an overflow.
var errQueueFull = errors.New("the write queue is full: events are not being written as fast as rooms make them")

// Append queues a room's record for the writer. It never waits: past QueueLimit the record
// is counted as lost and its room goes on in memory.
func (l *Log) Append(code string, rec game.LoggedEvent) {
	at := l.now().UnixMilli()
	l.mu.Lock()
	room := l.room(code)
	o := op{code: code, room: room, rec: rec, at: at}
	switch {
	case l.closed:
		o.lost = true
		l.failing = fmt.Errorf("store %s: an event of room %s came after Close", l.file, code)
	case l.records >= l.limit:
		o.lost, o.rec.Data = true, nil
		l.failing = fmt.Errorf("store %s: %w", l.file, errQueueFull)
	default:
		l.records++
	}
	if o.lost && l.closed {
		// The writer is gone: settle it here so that nobody waits for it.
		l.settle(room, rec.Seq)
		l.mu.Unlock()
		l.log.Error("store: event after close not written", "file", l.file, "room", code, "seq", rec.Seq)
		return
	}
	firstLoss := o.lost && !room.wants // one log line per room and loss, not per event
	if o.lost {
		l.lost++
		room.wants = true
	} else if rec.Snapshot {
		room.wants = false
	}
	l.queue = append(l.queue, o)
	depth := len(l.queue)
	l.mu.Unlock()
	if o.lost {
		l.metrics.overflows.Inc()
	}
	if firstLoss {
		l.log.Error("store: write queue full, event not written; the room goes on in memory and is written again from its next snapshot",
			"file", l.file, "room", code, "seq", rec.Seq, "queue", depth)
	}
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Committed returns a channel closed once every record of the room up to seq is written
// or given up. A record written by an earlier run counts as written.
func (l *Log) Committed(code string, seq uint64) <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	room := l.room(code)
	if room.settled >= seq {
		return closedChannel
	}
	ch := make(chan struct{})
	room.waiters = append(room.waiters, waiter{seq: seq, ch: ch})
	return ch
}

// Delete forgets a room. The writer deletes it in order with the appends; from now on the
// code's sequence starts again (a new room may take it), so whoever waits on the old room
// is released.
func (l *Log) Delete(code string) {
	l.mu.Lock()
	if old, ok := l.rooms[code]; ok {
		l.settle(old, ^uint64(0))
		delete(l.rooms, code)
	}
	if !l.closed {
		l.queue = append(l.queue, op{code: code, delete: true})
	}
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// WantsSnapshot says whether the room lost a record (a full queue, a failed write) and
// has not appended a snapshot since: its newer events are not written until it does (see
// game.SnapshotWanter; the room asks under its lock, so this answers from memory).
func (l *Log) WantsSnapshot(code string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	room, ok := l.rooms[code]
	return ok && room.wants
}

// Failing reports the last write failure while it still matters (a write is failing, or a
// room is not fully written since one), and nil when everything appended is on its way.
func (l *Log) Failing() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.failing
}

// room is the roomAck of code, made on first use. l.mu is held.
func (l *Log) room(code string) *roomAck {
	room, ok := l.rooms[code]
	if !ok {
		room = &roomAck{}
		l.rooms[code] = room
	}
	return room
}

// settle marks a room's records up to seq as done and releases who waited for them.
// l.mu is held.
func (l *Log) settle(room *roomAck, seq uint64) {
	if seq <= room.settled {
		return
	}
	room.settled = seq
	kept := room.waiters[:0]
	for _, w := range room.waiters {
		if w.seq <= seq {
			close(w.ch)
		} else {
			kept = append(kept, w)
		}
	}
	room.waiters = kept
}

// write is the writer goroutine: it commits what is queued until Close, then what is
// left, and stops.
func (l *Log) write() {
	defer close(l.done)
	for {
		if batch := l.take(); len(batch) > 0 {
			l.commit(batch)
			continue
		}
		select {
		case <-l.wake:
			l.gatherFor()
		case <-l.stop:
			for batch := l.take(); len(batch) > 0; batch = l.take() {
				l.commit(batch)
			}
			return
		}
	}
}

// gatherFor lets the records of the moment join the first one in a commit (see
// Config.Gather). A queue already as large as a batch, or Close, ends the wait.
func (l *Log) gatherFor() {
	if l.gather <= 0 {
		return
	}
	l.mu.Lock()
	full := l.records >= l.batch
	l.mu.Unlock()
	if full {
		return
	}
	t := time.NewTimer(l.gather)
	defer t.Stop()
	select {
	case <-t.C:
	case <-l.stop:
	}
}

// take removes the next batch from the queue: up to MaxBatch records, and the deletes
// and lost markers among them.
func (l *Log) take() []op {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, records := 0, 0
	for n < len(l.queue) && records < l.batch {
		switch {
		case l.queue[n].lost:
			l.lost--
		case !l.queue[n].delete:
			records++
		}
		n++
	}
	batch := make([]op, n)
	copy(batch, l.queue)
	clear(l.queue[:n]) // let the data go
	l.queue = l.queue[n:]
	l.records -= records
	if len(l.queue) == 0 {
		l.queue = nil
	}
	return batch
}

// commit writes one batch in one transaction and settles it, written or not.
func (l *Log) commit(batch []op) {
	start := time.Now()
	// Which records to write: not those of a room broken by a lost record, until its
	// next snapshot. The broken marks are the writer's own (see the top of this file).
	l.mu.Lock()
	write := make([]bool, len(batch))
	for i, o := range batch {
		switch {
		case o.delete:
			write[i] = true
		case o.lost:
			o.room.broken = true
		case o.rec.Snapshot:
			o.room.broken = false
			write[i] = true
		default:
			write[i] = !o.room.broken
		}
	}
	l.mu.Unlock()

	written, err := l.store(batch, write)
	// Counted before anyone is released, so that what a waiter sees in /metrics
	// includes the commit it waited for.
	if err != nil {
		l.metrics.failures.Inc()
	} else if written > 0 {
		l.metrics.commitSeconds.Observe(time.Since(start).Seconds())
		l.metrics.batchEvents.Observe(float64(written))
	}

	l.mu.Lock()
	broken := 0
	for i, o := range batch {
		if o.delete {
			continue
		}
		if err != nil && write[i] {
			o.room.broken, o.room.wants = true, true
		}
		l.settle(o.room, o.rec.Seq)
	}
	for _, room := range l.rooms {
		if room.broken {
			broken++
		}
	}
	switch {
	case err != nil:
		l.failing = fmt.Errorf("store %s: a write failed: %w", l.file, err)
	case broken == 0 && l.lost == 0:
		l.failing = nil // every room is written whole, and none is about to break
	}
	depth := len(l.queue)
	l.mu.Unlock()

	l.metrics.queueDepth.Set(float64(depth))
	if err != nil {
		l.log.Error("store: write failed; the rooms go on in memory and are written again from their next snapshot",
			"file", l.file, "records", len(batch), "err", err)
	}
}

// store runs the batch's writes in one transaction and says how many records it held.
func (l *Log) store(batch []op, write []bool) (written int, err error) {
	ctx := context.Background() // a commit under way is finished, even during Close
	tx, err := l.writer.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	stmt := func(s *sql.Stmt) *sql.Stmt { return tx.StmtContext(ctx, s) }
	type span struct{ first, last, seq int64 }
	touched := map[string]*span{}
	for i, o := range batch {
		if !write[i] {
			continue
		}
		if o.delete {
			if _, err := tx.ExecContext(ctx, "DELETE FROM rooms WHERE code = ?", o.code); err != nil {
				return 0, err
			}
			delete(touched, o.code)
			continue
		}
		s := touched[o.code]
		if s == nil {
			s = &span{first: o.at}
			touched[o.code] = s
			// The room's row first: events and snapshots refer to it.
			if _, err := stmt(l.stmts.addRoom).ExecContext(ctx, o.code, o.at, o.at); err != nil {
				return 0, err
			}
		}
		s.last, s.seq = o.at, int64(o.rec.Seq)
		if err := l.writeRecord(ctx, stmt, o); err != nil {
			return 0, err
		}
		written++
	}
	for code, s := range touched {
		if _, err := stmt(l.stmts.touchRoom).ExecContext(ctx, s.last, s.seq, code); err != nil {
			return 0, err
		}
	}
	return written, tx.Commit()
}

// writeRecord stores an event, or a snapshot, which replaces the room's older snapshots
// and the events it already holds.
func (l *Log) writeRecord(ctx context.Context, stmt func(*sql.Stmt) *sql.Stmt, o op) error {
	seq := int64(o.rec.Seq)
	if !o.rec.Snapshot {
		_, err := stmt(l.stmts.addEvent).ExecContext(ctx, o.code, seq, int64(o.rec.Kind), o.rec.Data, o.at)
		return err
	}
	for _, s := range []*sql.Stmt{l.stmts.addSnapshot, l.stmts.dropSnapshots, l.stmts.dropEvents} {
		args := []any{o.code, seq}
		if s == l.stmts.addSnapshot {
			args = append(args, o.rec.Data)
		}
		if _, err := stmt(s).ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	return nil
}

// statements are the writer's, prepared once on its only connection.
type statements struct {
	addRoom, touchRoom, addEvent, addSnapshot, dropSnapshots, dropEvents *sql.Stmt
}

func (l *Log) prepare(ctx context.Context) error {
	for _, s := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&l.stmts.addRoom, `INSERT INTO rooms (code, created, last_event, last_seq) VALUES (?, ?, ?, 0)
			ON CONFLICT (code) DO NOTHING`},
		{&l.stmts.touchRoom, "UPDATE rooms SET last_event = ?, last_seq = max(last_seq, ?) WHERE code = ?"},
		{&l.stmts.addEvent, "INSERT OR REPLACE INTO events (code, seq, kind, data, at) VALUES (?, ?, ?, ?, ?)"},
		{&l.stmts.addSnapshot, "INSERT OR REPLACE INTO snapshots (code, seq, data) VALUES (?, ?, ?)"},
		{&l.stmts.dropSnapshots, "DELETE FROM snapshots WHERE code = ? AND seq < ?"},
		{&l.stmts.dropEvents, "DELETE FROM events WHERE code = ? AND seq <= ?"},
	} {
		var err error
		if *s.stmt, err = l.writer.PrepareContext(ctx, s.sql); err != nil {
			return fmt.Errorf("store %s: %w", l.file, err)
		}
	}
	return nil
}
