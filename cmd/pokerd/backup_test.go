package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pokerd backup FILE copies the live database, while the server runs, to a file that a
// server can start on with every room; it never overwrites a file, and never makes a
// database out of a mistyped name.
func TestBackupCopiesTheLiveDatabase(t *testing.T) {
	dir := t.TempDir()
	data, copied := filepath.Join(dir, "pokerd.db"), filepath.Join(dir, "backup.db")
	live := startServer(t, nil, "--data", data)
	code := live.createGame(t, "Backed up")
	annID := live.join(t, code, "Ann")

	backup := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(t.Context(), append([]string{"backup"}, args...), func(k string) string {
			if k == "PP_DATA" {
				return data
			}
			return ""
		}, &out, &out, nil)
		return out.String(), err
	}
	if out, err := backup(copied); err != nil {
		t.Fatalf("backup while the server runs: %v\n%s", err, out)
	}
	t.Run("a second backup to the same file is refused, the first kept", func(t *testing.T) {
		before, _ := os.ReadFile(copied)
		if _, err := backup(copied); err == nil || !strings.Contains(err.Error(), "exists") {
			t.Fatalf("backup over an existing file: %v", err)
		}
		if after, _ := os.ReadFile(copied); !bytes.Equal(before, after) {
			t.Fatal("the existing backup was changed")
		}
	})
	t.Run("a database that does not exist is named, and not made", func(t *testing.T) {
		missing := filepath.Join(dir, "nope.db")
		if _, err := backup("--data", missing, filepath.Join(dir, "other.db")); err == nil || !strings.Contains(err.Error(), missing) {
			t.Fatalf("backup of a missing database: %v", err)
		}
		if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("the missing database was made: %v", err)
		}
	})
	t.Run("without a file to write, the usage", func(t *testing.T) {
		if out, err := backup(); err == nil || !strings.Contains(out, "usage: pokerd backup") {
			t.Fatalf("backup without a file: %v %s", err, out)
		}
	})

	restored := startServer(t, nil, "--data", copied)
	st := restored.connect(t, annID, code).sync()
	if ps, ok := st.PlayerStates[annID]; !ok || !ps.IsAdmin || st.Game["name"] != "Backed up" {
		t.Fatalf("the backup does not hold the room: %+v", st)
	}
}
