package sqlite

import (
	"context"
	"errors"
	"fmt"
	"github.com/pokerd/pokerd/store/sqlite/sqlitetest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pokerd/pokerd/game"
)

func TestAppendsFromManyRoomsAreWrittenInEachRoomsOrderInGroups(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "pokerd.db")
	l := openLog(t, path, Config{})
	const rooms, events = 16, 150
	var wg sync.WaitGroup
	for r := range rooms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code := fmt.Sprintf("ROOM%02d", r)
			for seq := uint64(1); seq <= events; seq++ {
				l.Append(code, event(code, seq))
			}
			waitClosed(t, l.Committed(code, events), code)
		}()
	}
	wg.Wait()
	for _, name := range []string{path, path + "-wal"} {
		info, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Fatalf("%s has mode %v, want 0600: votes and aliases are not for other users", name, mode)
		}
	}
	count, sum := histogramCount(t, l.metrics.batchEvents)
	if sum != rooms*events {
		t.Fatalf("the commits wrote %v records, want %d", sum, rooms*events)
	}
	if count >= rooms*events/4 {
		t.Fatalf("%d commits for %d events: appends were not grouped", count, rooms*events)
	}
	closeLog(t, l)

	l = openLog(t, path, Config{})
	codes, err := l.Rooms(context.Background())
	if err != nil || len(codes) != rooms {
		t.Fatalf("Rooms after reopening: %v %v, want %d rooms", codes, err, rooms)
	}
	for _, code := range codes {
		h, err := l.Read(context.Background(), code)
		if err != nil {
			t.Fatal(err)
		}
		if h.Snapshot != nil {
			t.Fatalf("room %s has a snapshot it was never given", code)
		}
		checkEvents(t, h, 1, events)
	}
}

func TestCommittedClosesOnlyOnceTheEventIsWritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pokerd.db")
	l := openLog(t, path, Config{})
	release := sqlitetest.HoldWriteLock(t, path) // the writer cannot commit until released

	l.Append("ABCD", event("ABCD", 1))
	l.Append("ABCD", event("ABCD", 2))
	first, second := l.Committed("ABCD", 1), l.Committed("ABCD", 2)
	select {
	case <-first:
		t.Fatal("Committed(1) closed while the writer could not commit")
	case <-time.After(200 * time.Millisecond):
	}
	release()
	waitClosed(t, second, "seq 2")
	if !isClosed(first) {
		t.Fatal("Committed(2) closed before Committed(1)")
	}
	// What Committed released can be read back, by another connection.
	h, err := l.Read(context.Background(), "ABCD")
	if err != nil {
		t.Fatal(err)
	}
	checkEvents(t, h, 1, 2)
	if !isClosed(l.Committed("ABCD", 2)) {
		t.Fatal("Committed for a seq already written did not answer at once")
	}
	if isClosed(l.Committed("ABCD", 3)) {
		t.Fatal("Committed for a seq not yet appended is already closed")
	}
	if l.Failing() != nil {
		t.Fatalf("Failing() = %v for a healthy store", l.Failing())
	}
	closeLog(t, l)

	l = openLog(t, path, Config{})
	if !isClosed(l.Committed("ABCD", 2)) {
		t.Fatal("after reopening, Committed for a seq written by the last run did not answer at once")
	}
	if isClosed(l.Committed("ABCD", 3)) {
		t.Fatal("after reopening, Committed for a seq never written is closed")
	}
}

func TestReadAfterReopenGivesTheNewestSnapshotAndTheEventsAfterIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pokerd.db")
	l := openLog(t, path, Config{})
	for seq := uint64(1); seq <= 5; seq++ {
		l.Append("SNAP", event("SNAP", seq))
	}
	l.Append("SNAP", snapshot("SNAP", 3))
	l.Append("SNAP", snapshot("SNAP", 5))
	l.Append("SNAP", event("SNAP", 6))
	l.Append("SNAP", event("SNAP", 7))
	waitClosed(t, l.Committed("SNAP", 7), "seq 7")
	closeLog(t, l)

	l = openLog(t, path, Config{})
	h, err := l.Read(context.Background(), "SNAP")
	if err != nil {
		t.Fatal(err)
	}
	if want := snapshot("SNAP", 5).Data; string(h.Snapshot) != string(want) {
		t.Fatalf("snapshot %s, want the newest, %s", h.Snapshot, want)
	}
	checkEvents(t, h, 6, 7)
	var events, snapshots int
	if err := l.readers.QueryRow("SELECT count(*) FROM events WHERE code = 'SNAP'").Scan(&events); err != nil {
		t.Fatal(err)
	}
	if err := l.readers.QueryRow("SELECT count(*) FROM snapshots WHERE code = 'SNAP'").Scan(&snapshots); err != nil {
		t.Fatal(err)
	}
	if events != 2 || snapshots != 1 {
		t.Fatalf("the file keeps %d events and %d snapshots, want only the 2 after the newest snapshot and it", events, snapshots)
	}
	if _, err := l.Read(context.Background(), "NONE"); !errors.Is(err, game.ErrNoHistory) {
		t.Fatalf("Read of an unknown room: %v, want ErrNoHistory", err)
	}
}

func TestDeleteForgetsTheRoomAndLetsItsCodeStartAgain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pokerd.db")
	l := openLog(t, path, Config{})
	for seq := uint64(1); seq <= 3; seq++ {
		l.Append("GONE", event("GONE", seq))
		l.Append("KEPT", event("KEPT", seq))
	}
	l.Append("GONE", snapshot("GONE", 3))
	waitClosed(t, l.Committed("GONE", 3), "GONE 3")
	waitClosed(t, l.Committed("KEPT", 3), "KEPT 3")

	release := sqlitetest.HoldWriteLock(t, path)
	l.Delete("GONE")
	l.Append("GONE", event("GONE", 1)) // a new room takes the code
	if isClosed(l.Committed("GONE", 1)) {
		t.Fatal("the new room's first event counts as written because the deleted room's did")
	}
	release()
	waitClosed(t, l.Committed("GONE", 1), "new GONE 1")
	l.Delete("GONE")
	closeLog(t, l)

	l = openLog(t, path, Config{})
	codes, err := l.Rooms(context.Background())
	if err != nil || len(codes) != 1 || codes[0] != "KEPT" {
		t.Fatalf("Rooms after a delete: %v %v, want [KEPT]", codes, err)
	}
	if _, err := l.Read(context.Background(), "GONE"); !errors.Is(err, game.ErrNoHistory) {
		t.Fatalf("Read of a deleted room: %v, want ErrNoHistory", err)
	}
	for _, table := range []string{"events", "snapshots"} {
		var n int
		if err := l.readers.QueryRow("SELECT count(*) FROM " + table + " WHERE code = 'GONE'").Scan(&n); err != nil || n != 0 {
			t.Fatalf("%s of the deleted room left in the file: %d %v", table, n, err)
		}
	}
}

func TestStoreOfSchema1IsUpgradedWithItsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pokerd.db")
	old := openLog(t, path, Config{schemaUpTo: 1})
	// What a pokerd of schema 1 wrote: rooms without last_seq, events, a snapshot.
	for _, stmt := range []string{
		"INSERT INTO rooms (code, created, last_event) VALUES ('OLDR', 1000, 4000)",
		"INSERT INTO snapshots (code, seq, data) VALUES ('OLDR', 2, CAST('" + string(snapshot("OLDR", 2).Data) + "' AS BLOB))",
		"INSERT INTO events (code, seq, kind, data, at) VALUES " +
			"('OLDR', 3, " + fmt.Sprint(int(game.VoteCast)) + ", CAST('" + string(event("OLDR", 3).Data) + "' AS BLOB), 3000), " +
			"('OLDR', 4, " + fmt.Sprint(int(game.VoteCast)) + ", CAST('" + string(event("OLDR", 4).Data) + "' AS BLOB), 4000)",
	} {
		if _, err := old.writer.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	if err := old.SetMeta(context.Background(), "alias-key", "secret"); err != nil {
		t.Fatal(err)
	}
	var version int
	if err := old.readers.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != 1 {
		t.Fatalf("the old store has schema %d (%v), want 1", version, err)
	}
	closeLog(t, old)

	l := openLog(t, path, Config{})
	if err := l.readers.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != SchemaVersion() {
		t.Fatalf("after Open the store has schema %d (%v), want %d", version, err, SchemaVersion())
	}
	h, err := l.Read(context.Background(), "OLDR")
	if err != nil {
		t.Fatal(err)
	}
	if string(h.Snapshot) != string(snapshot("OLDR", 2).Data) {
		t.Fatalf("snapshot after the upgrade: %s", h.Snapshot)
	}
	checkEvents(t, h, 3, 4)
	if !isClosed(l.Committed("OLDR", 4)) {
		t.Fatal("after the upgrade the store does not know seq 4 is written (last_seq not filled in)")
	}
	if v, ok, err := l.Meta(context.Background(), "alias-key"); err != nil || !ok || v != "secret" {
		t.Fatalf("meta after the upgrade: %q %v %v", v, ok, err)
	}
	l.Append("OLDR", event("OLDR", 5))
	waitClosed(t, l.Committed("OLDR", 5), "seq 5")
	if h, err = l.Read(context.Background(), "OLDR"); err != nil {
		t.Fatal(err)
	}
	checkEvents(t, h, 3, 5)
}

func TestStoreOfANewerSchemaIsRefusedAndLeftAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pokerd.db")
	l := openLog(t, path, Config{})
	l.Append("NEWR", event("NEWR", 1))
	waitClosed(t, l.Committed("NEWR", 1), "seq 1")
	newer := SchemaVersion() + 1
	if _, err := l.writer.Exec(fmt.Sprintf("PRAGMA user_version = %d", newer)); err != nil {
		t.Fatal(err)
	}
	closeLog(t, l)
	before := readFile(t, path)

	_, err := Open(context.Background(), Config{Path: path})
	want := fmt.Sprintf("%s was written by a newer pokerd (schema %d, this one knows %d)", path, newer, SchemaVersion())
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Open of a newer store: %v, want an error saying %q", err, want)
	}
	if string(readFile(t, path)) != string(before) {
		t.Fatal("Open changed a store it refused")
	}
}

func TestCorruptStoreIsRefusedByNameAndLeftByteForByte(t *testing.T) {
	garbage := make([]byte, 64*1024)
	for i := range garbage {
		garbage[i] = byte(i*7 + i/251)
	}
	cases := map[string][]byte{
		"not a database":               garbage,
		"a database header, then junk": append([]byte("SQLite format 3\x00"), garbage...),
		"a store with a damaged page":  damagedStore(t, garbage),
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "pokerd.db")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Open(context.Background(), Config{Path: path})
			if err == nil || !strings.Contains(err.Error(), path) {
				t.Fatalf("Open of a corrupt file: %v, want an error naming %s", err, path)
			}
			t.Logf("refused: %v", err)
			if string(readFile(t, path)) != string(content) {
				t.Fatal("Open changed the corrupt file")
			}
			for _, side := range []string{"-wal", "-shm", "-journal"} {
				if _, err := os.Stat(path + side); err == nil {
					t.Fatalf("Open left %s beside the corrupt file", path+side)
				}
			}
		})
	}
}

func TestSecondOpenOfTheSameStoreIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pokerd.db")
	first := openLog(t, path, Config{})
	first.Append("LOCK", event("LOCK", 1))
	waitClosed(t, first.Committed("LOCK", 1), "seq 1")

	_, err := Open(context.Background(), Config{Path: path})
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "in use by another pokerd") {
		t.Fatalf("second Open: %v, want an error naming %s as in use", err, path)
	}
	closeLog(t, first)
	second := openLog(t, path, Config{})
	h, err := second.Read(context.Background(), "LOCK")
	if err != nil {
		t.Fatal(err)
	}
	checkEvents(t, h, 1, 1)
}

func TestFullQueueIsCountedAndTheRoomIsWrittenAgainFromItsNextSnapshot(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pokerd.db")
	l := openLog(t, path, Config{QueueLimit: 4})
	l.Append("FULL", event("FULL", 1))
	waitClosed(t, l.Committed("FULL", 1), "seq 1")

	release := sqlitetest.HoldWriteLock(t, path) // the writer is stuck: the queue fills
	for seq := uint64(2); seq <= 12; seq++ {
		l.Append("FULL", event("FULL", seq))
	}
	// The writer holds at most one queue's worth in its stuck transaction, the queue
	// another: of 11 events, at least 3 find no room.
	if got := counterValue(t, l.metrics.overflows); got < 3 {
		t.Fatalf("%v overflows counted, want at least 3 of 11 events past a queue of 4", got)
	}
	if err := l.Failing(); err == nil || !strings.Contains(err.Error(), "queue is full") {
		t.Fatalf("Failing() = %v, want the full queue", err)
	}
	release()
	waitClosed(t, l.Committed("FULL", 12), "seq 12") // lost or not, nobody waits forever

	// After the hole, the room's events are not written (they would fold into a state the
	// room never had) until a snapshot holds its whole state again.
	l.Append("FULL", event("FULL", 13))
	waitClosed(t, l.Committed("FULL", 13), "seq 13")
	if l.Failing() == nil {
		t.Fatal("Failing() is nil while a room has events that are not written")
	}
	if !l.WantsSnapshot("FULL") || l.WantsSnapshot("OTHR") {
		t.Fatalf("WantsSnapshot: %v for the room that lost events, %v for another; want true, false",
			l.WantsSnapshot("FULL"), l.WantsSnapshot("OTHR"))
	}
	l.Append("FULL", snapshot("FULL", 13))
	if l.WantsSnapshot("FULL") {
		t.Fatal("the room still wants a snapshot after appending one")
	}
	l.Append("FULL", event("FULL", 14))
	waitClosed(t, l.Committed("FULL", 14), "seq 14")
	if err := l.Failing(); err != nil {
		t.Fatalf("Failing() = %v after the room was written whole again", err)
	}
	closeLog(t, l)

	l = openLog(t, path, Config{})
	h, err := l.Read(context.Background(), "FULL")
	if err != nil {
		t.Fatal(err)
	}
	if string(h.Snapshot) != string(snapshot("FULL", 13).Data) {
		t.Fatalf("snapshot %s, want the one at 13", h.Snapshot)
	}
	checkEvents(t, h, 14, 14)
}

func TestMetricsShowSizeCommitsAndFailures(t *testing.T) {
	l := openLog(t, "", Config{})
	for seq := uint64(1); seq <= 20; seq++ {
		l.Append("METR", event("METR", seq))
	}
	waitClosed(t, l.Committed("METR", 20), "seq 20")
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(l.Collector()); err != nil {
		t.Fatal(err)
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		m := f.GetMetric()[0]
		switch {
		case m.GetHistogram() != nil:
			got[f.GetName()] = float64(m.GetHistogram().GetSampleCount())
		case m.GetCounter() != nil:
			got[f.GetName()] = m.GetCounter().GetValue()
		default:
			got[f.GetName()] = m.GetGauge().GetValue()
		}
	}
	for name, check := range map[string]func(float64) bool{
		"pokerd_store_bytes":                 func(v float64) bool { return v > 0 },
		"pokerd_store_commit_seconds":        func(v float64) bool { return v >= 1 },
		"pokerd_store_commit_batch_events":   func(v float64) bool { return v >= 1 },
		"pokerd_store_queue_depth":           func(v float64) bool { return v == 0 },
		"pokerd_store_write_failures_total":  func(v float64) bool { return v == 0 },
		"pokerd_store_queue_overflows_total": func(v float64) bool { return v == 0 },
	} {
		v, ok := got[name]
		if !ok || !check(v) {
			t.Errorf("%s = %v (present: %v)", name, v, ok)
		}
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCloseWritesWhatIsStillQueued(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pokerd.db")
	l := openLog(t, path, Config{})
	release := sqlitetest.HoldWriteLock(t, path) // nothing is written before Close is called
	l.Append("LAST", event("LAST", 1))
	// Once the writer is stuck on the first event, the others wait in the queue.
	for deadline := time.Now().Add(10 * time.Second); queueDepth(l) > 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the writer never took the first event")
		}
	}
	const events = 500
	for seq := uint64(2); seq <= events; seq++ {
		l.Append("LAST", event("LAST", seq))
	}
	closed := make(chan error, 1)
	go func() { closed <- l.Close(context.Background()) }()
	release()
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Fatal("Close left a write-ahead log beside the store")
	}
	l = openLog(t, path, Config{})
	h, err := l.Read(context.Background(), "LAST")
	if err != nil {
		t.Fatal(err)
	}
	checkEvents(t, h, 1, events)
}

func queueDepth(l *Log) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.queue)
}

func TestMetaIsKeptAcrossARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pokerd.db")
	l := openLog(t, path, Config{})
	ctx := context.Background()
	if _, ok, err := l.Meta(ctx, "alias-key"); ok || err != nil {
		t.Fatalf("Meta of a key never set: ok=%v err=%v, want absent", ok, err)
	}
	for _, v := range []string{"first", "second"} {
		if err := l.SetMeta(ctx, "alias-key", v); err != nil {
			t.Fatal(err)
		}
	}
	closeLog(t, l)
	l = openLog(t, path, Config{})
	if v, ok, err := l.Meta(ctx, "alias-key"); v != "second" || !ok || err != nil {
		t.Fatalf("Meta after a restart: %q %v %v, want the last value set", v, ok, err)
	}
}

// damagedStore is a real store, closed, with one of its pages overwritten.
func damagedStore(t *testing.T, garbage []byte) []byte {
	path := filepath.Join(t.TempDir(), "pokerd.db")
	l := openLog(t, path, Config{})
	for seq := uint64(1); seq <= 40; seq++ {
		rec := event("DAMG", seq)
		rec.Data = append(rec.Data, garbage[:2000]...)
		l.Append("DAMG", rec)
	}
	waitClosed(t, l.Committed("DAMG", 40), "seq 40")
	closeLog(t, l)
	content := readFile(t, path)
	if len(content) < 5*4096 {
		t.Fatalf("the store is only %d bytes", len(content))
	}
	copy(content[3*4096+8:4*4096], garbage) // past the page header: a damaged b-tree page
	return content
}
