package game

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// memStore is an event log kept in memory for the domain's tests. It keeps what it is
// given encoded, as a real log does, so that every test that restarts a room goes through
// the codec and the image. Each process of a test opens its own memLog on it; crash
// cuts that process off, so that the timers of a "crashed" registry still running on
// the fake clock can no longer write.
type memStore struct {
	mu      sync.Mutex
	rooms   map[string][]LoggedEvent // events and snapshots, in the order appended
	deleted []string                 // the codes Delete was called for, in order
	// hold keeps appends uncommitted until commit is called.
	hold      bool
	committed map[string]uint64
	waiters   map[string][]memWaiter
	replayed  atomic.Int64 // events handed out by Read, snapshots not counted
	// lose drops the next so many events appended, as a log whose queue is full does;
	// the rooms they were of then want a snapshot (unless deaf, a log that cannot say).
	lose  int
	deaf  bool
	wants map[string]bool
}

type memWaiter struct {
	seq  uint64
	done chan struct{}
}

func newMemStore() *memStore {
	return &memStore{rooms: map[string][]LoggedEvent{}, committed: map[string]uint64{}, waiters: map[string][]memWaiter{}, wants: map[string]bool{}}
}

// memLog is one process's handle on a memStore.
type memLog struct {
	store *memStore
	dead  atomic.Bool
}

func (s *memStore) open() *memLog { return &memLog{store: s} }

// crash cuts the process off from the store: what it appends from now on is lost.
func (l *memLog) crash() { l.dead.Store(true) }

func (l *memLog) Append(code string, rec LoggedEvent) {
	if l.dead.Load() {
		return
	}
	s := l.store
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lose > 0 && !rec.Snapshot {
		s.lose--
		s.wants[code] = true
		return
	}
	if rec.Snapshot {
		delete(s.wants, code)
	}
	rec.Data = slices.Clone(rec.Data)
	s.rooms[code] = append(s.rooms[code], rec)
	if !s.hold {
		s.commitLocked(code, rec.Seq)
	}
}

func (l *memLog) WantsSnapshot(code string) bool {
	s := l.store
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wants[code] && !s.deaf
}

// commit "writes" everything appended so far.
func (s *memStore) commit() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for code, recs := range s.rooms {
		if len(recs) > 0 {
			s.commitLocked(code, recs[len(recs)-1].Seq)
		}
	}
}

func (s *memStore) commitLocked(code string, seq uint64) {
	s.committed[code] = max(s.committed[code], seq)
	keep := s.waiters[code][:0]
	for _, w := range s.waiters[code] {
		if w.seq <= s.committed[code] {
			close(w.done)
		} else {
			keep = append(keep, w)
		}
	}
	s.waiters[code] = keep
}

func (l *memLog) Committed(code string, seq uint64) <-chan struct{} {
	s := l.store
	s.mu.Lock()
	defer s.mu.Unlock()
	done := make(chan struct{})
	if s.committed[code] >= seq {
		close(done)
		return done
	}
	s.waiters[code] = append(s.waiters[code], memWaiter{seq, done})
	return done
}

func (l *memLog) Read(_ context.Context, code string) (History, error) {
	s := l.store
	s.mu.Lock()
	defer s.mu.Unlock()
	recs, ok := s.rooms[code]
	if !ok {
		return History{}, ErrNoHistory
	}
	h := History{Code: code}
	from := 0
	for i, rec := range recs {
		if rec.Snapshot {
			h.Snapshot, from = slices.Clone(rec.Data), i+1
		}
	}
	for _, rec := range recs[from:] {
		rec.Data = slices.Clone(rec.Data)
		h.Events = append(h.Events, rec)
	}
	s.replayed.Add(int64(len(h.Events)))
	return h, nil
}

func (l *memLog) Rooms(context.Context) ([]string, error) {
	s := l.store
	s.mu.Lock()
	defer s.mu.Unlock()
	var codes []string
	for code := range s.rooms {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	return codes, nil
}

func (l *memLog) Delete(code string) {
	if l.dead.Load() {
		return
	}
	s := l.store
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.rooms, code)
	s.deleted = append(s.deleted, code)
}

// holds reports whether the store holds the room's history.
func (s *memStore) holds(code string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.rooms[code]
	return ok
}

// records is a copy of what the store holds of a room.
func (s *memStore) records(code string) []LoggedEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.rooms[code])
}

// process is one run of the server in a restart test: a registry on the shared clock,
// its own handle on the store.
type process struct {
	reg *Registry
	log *memLog
}

// loggedWorld is what outlives a process: the store, the clock and the configuration
// (the alias key included, as the wiring keeps it).
type loggedWorld struct {
	t     *testing.T
	store *memStore
	clock *fakeClock
	cfg   RegistryConfig
}

// newLoggedWorld fills in, where cfg leaves them out, what newTestRegistry does, a
// fixed alias key and generous timers that the tests shorten as they need.
func newLoggedWorld(t *testing.T, cfg RegistryConfig) *loggedWorld {
	t.Helper()
	if cfg.Decks == nil {
		db, err := NewMemoryDeckDB(nil)
		mustOK(t, err)
		cfg.Decks = db
	}
	if cfg.AliasKey == nil {
		cfg.AliasKey = NewAliasKey()
	}
	if cfg.EmptyRoomGrace == 0 {
		cfg.EmptyRoomGrace = time.Minute
	}
	return &loggedWorld{t: t, store: newMemStore(), clock: newFakeClock(testStart), cfg: cfg}
}

// start runs a new process on the world's log and brings its rooms back.
func (w *loggedWorld) start() *process {
	w.t.Helper()
	p := w.startUnchecked()
	if err := p.reg.Restore(context.Background()); err != nil {
		w.t.Fatalf("Restore: %v", err)
	}
	return p
}

func (w *loggedWorld) startUnchecked() *process {
	cfg := w.cfg
	cfg.Clock = w.clock
	n := 0
	cfg.NewCode = func() string { n++; return fmt.Sprintf("room%03d", n) } // the same codes in every process
	log := w.store.open()
	cfg.Log = log
	return &process{reg: NewRegistry(cfg), log: log}
}

// restart kills p at once (SIGKILL: nothing more of it reaches the log) and starts a
// new process that brings the rooms back.
func (w *loggedWorld) restart(p *process) *process {
	w.t.Helper()
	p.log.crash()
	return w.start()
}

// room finds a room of p by code, failing the test when it is not there.
func (p *process) room(t *testing.T, code string) *Room {
	t.Helper()
	room, err := p.reg.Room(code)
	if err != nil {
		t.Fatalf("room %s after the restart: %v", code, err)
	}
	return room
}
