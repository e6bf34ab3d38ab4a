//go:build linux

package sqlite

import (
	"context"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A full disk is played by a file-size limit (RLIMIT_FSIZE) in a child process, so that the
// limit touches nothing but the store: writes past it fail with EFBIG, as on a full disk.
const fullDiskChildEnv = "POKERD_STORE_FULL_DISK_CHILD"

func TestFullDiskIsCountedReportedAndWritingResumesWhenThereIsRoom(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pokerd.db")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestFullDiskChild$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), fullDiskChildEnv+"="+path)
	out, err := cmd.CombinedOutput()
	t.Logf("child:\n%s", out)
	if err != nil || !strings.Contains(string(out), "--- PASS: TestFullDiskChild") {
		t.Fatalf("the child that filled the disk failed: %v", err)
	}

	// What the child wrote before and after the disk was full is there; what failed is not
	// half there: the full room comes back from its snapshot.
	l := openLog(t, path, Config{})
	h, err := l.Read(context.Background(), "NEWR")
	if err != nil {
		t.Fatal(err)
	}
	checkEvents(t, h, 1, 3)
	h, err = l.Read(context.Background(), "FULL")
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Snapshot) == 0 {
		t.Fatal("the room whose writes failed has no snapshot after it was written whole again")
	}
	if len(h.Events) != 1 {
		t.Fatalf("the room whose writes failed has %d events after its snapshot, want 1", len(h.Events))
	}
}

// TestFullDiskChild runs only as the child of the test above.
func TestFullDiskChild(t *testing.T) {
	path := os.Getenv(fullDiskChildEnv)
	if path == "" {
		t.Skip("runs only as the child of TestFullDiskIsCountedReportedAndWritingResumesWhenThereIsRoom")
	}
	l := openLog(t, path, Config{})
	l.Append("FULL", event("FULL", 1))
	waitClosed(t, l.Committed("FULL", 1), "seq 1 before the limit")

	signal.Ignore(syscall.SIGXFSZ) // a write past the limit then fails with EFBIG instead of killing us
	var saved syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &saved); err != nil {
		t.Fatal(err)
	}
	var size int64
	for _, name := range []string{path, path + "-wal"} {
		if info, err := os.Stat(name); err == nil {
			size = max(size, info.Size())
		}
	}
	limit := syscall.Rlimit{Cur: uint64(size) + 64*1024, Max: saved.Max}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &limit); err != nil {
		t.Fatal(err)
	}

	big := make([]byte, 16*1024)
	for i := range big {
		big[i] = byte(i)
	}
	seq := uint64(1)
	for l.Failing() == nil && seq < 200 {
		seq++
		rec := event("FULL", seq)
		rec.Data = append(rec.Data, big...)
		l.Append("FULL", rec)
		waitClosed(t, l.Committed("FULL", seq), "an event past the limit") // closes, written or not
	}
	err := l.Failing()
	if err == nil {
		t.Fatalf("%d events of 16 KiB past a limit of %d bytes, and Failing() is nil", seq-1, limit.Cur)
	}
	t.Logf("Failing() = %v after seq %d", err, seq)
	if !l.WantsSnapshot("FULL") {
		t.Fatal("the room whose write failed does not ask for a snapshot")
	}
	if got := counterValue(t, l.metrics.failures); got < 1 {
		t.Fatalf("write failures counted: %v, want at least 1", got)
	}

	// The room goes on in memory: its next events are settled without being written.
	seq++
	l.Append("FULL", event("FULL", seq))
	waitClosed(t, l.Committed("FULL", seq), "an event of the broken room")

	// Room again: writes resume, the full room from its next snapshot.
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &saved); err != nil {
		t.Fatal(err)
	}
	failures := counterValue(t, l.metrics.failures)
	for s := uint64(1); s <= 3; s++ {
		l.Append("NEWR", event("NEWR", s))
	}
	l.Append("FULL", snapshot("FULL", seq))
	seq++
	l.Append("FULL", event("FULL", seq))
	waitClosed(t, l.Committed("NEWR", 3), "NEWR 3")
	waitClosed(t, l.Committed("FULL", seq), "FULL after its snapshot")
	if err := l.Failing(); err != nil {
		t.Fatalf("Failing() = %v once writes succeed again", err)
	}
	if got := counterValue(t, l.metrics.failures); got != failures {
		t.Fatalf("write failures went from %v to %v after the disk had room", failures, got)
	}
	closeLog(t, l)
}
