package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// checkConsistentCopy opens a backup as a store and checks that each room holds an
// unbroken run of events from 1, as a consistent moment of the appends would.
func checkConsistentCopy(t *testing.T, path string, rooms int) (events int) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Fatalf("backup %s has mode %v, want 0600", path, mode)
	}
	b := openLog(t, path, Config{})
	codes, err := b.Rooms(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range codes {
		h, err := b.Read(context.Background(), code)
		if err != nil {
			t.Fatal(err)
		}
		checkEvents(t, h, 1, uint64(len(h.Events)))
		events += len(h.Events)
	}
	if len(codes) > rooms {
		t.Fatalf("backup holds %d rooms, more than the %d appended", len(codes), rooms)
	}
	closeLog(t, b)
	return events
}

func TestBackupIsAConsistentCopyWhileRoomsWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pokerd.db")
	l := openLog(t, path, Config{})
	const rooms = 8
	var stop atomic.Bool
	var wg sync.WaitGroup
	for r := range rooms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code := fmt.Sprintf("BACK%d", r)
			for seq := uint64(1); !stop.Load() && seq <= 5000; seq++ {
				l.Append(code, event(code, seq))
				if seq%50 == 0 {
					<-l.Committed(code, seq) // like a room pacing itself on acknowledgements
				}
			}
		}()
	}
	// Two copies while the appends run: by the store itself, and by path as another
	// process (pokerd backup FILE) would take it.
	waitClosed(t, l.Committed("BACK0", 100), "BACK0 100")
	inside := filepath.Join(dir, "inside.db")
	if err := l.Backup(context.Background(), inside); err != nil {
		t.Fatal(err)
	}
	byPath := filepath.Join(dir, "by-path.db")
	if err := BackupFile(context.Background(), path, byPath); err != nil {
		t.Fatal(err)
	}
	stop.Store(true)
	wg.Wait()

	if n := checkConsistentCopy(t, inside, rooms); n == 0 {
		t.Fatal("the backup taken while rooms wrote holds no events")
	}
	if n := checkConsistentCopy(t, byPath, rooms); n == 0 {
		t.Fatal("the backup by path holds no events")
	}

	before, err := os.ReadFile(inside)
	if err != nil {
		t.Fatal(err)
	}
	for name, backup := range map[string]func() error{
		"Backup":     func() error { return l.Backup(context.Background(), inside) },
		"BackupFile": func() error { return BackupFile(context.Background(), path, inside) },
	} {
		if err := backup(); err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Fatalf("%s onto an existing file: %v, want a refusal", name, err)
		}
	}
	after, err := os.ReadFile(inside)
	if err != nil {
		t.Fatal(err)
	}
	if string(before) != string(after) {
		t.Fatal("a refused backup changed the existing file")
	}
}

func TestBackupFileRefusesWhatIsNotAStore(t *testing.T) {
	dir := t.TempDir()
	notStore := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notStore, []byte("meeting notes, not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{notStore, filepath.Join(dir, "missing.db")} {
		dst := filepath.Join(dir, "copy.db")
		err := BackupFile(context.Background(), src, dst)
		if err == nil || !strings.Contains(err.Error(), src) {
			t.Fatalf("BackupFile(%s): %v, want an error naming it", src, err)
		}
		if _, err := os.Stat(dst); err == nil {
			t.Fatalf("BackupFile(%s) left %s behind", src, dst)
		}
	}
}
