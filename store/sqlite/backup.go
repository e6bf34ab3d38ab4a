package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the store to dst (VACUUM INTO) while the server goes
// on writing; the copy holds every transaction committed when it began. It refuses a dst
// that exists. The copy is a store of its own: give it to --data to run from it.
func (l *Log) Backup(ctx context.Context, dst string) error {
	return backupInto(ctx, l.readers, l.file, dst)
}

// BackupFile copies the store at src to dst from another process, beside a server that
// has it open (pokerd backup FILE): it reads a consistent moment and never writes src.
func BackupFile(ctx context.Context, src, dst string) error {
	abs, err := filepath.Abs(src)
	if err != nil {
		return fmt.Errorf("store %s: %w", src, err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		return fmt.Errorf("store %s cannot be backed up: %w", abs, err)
	}
	if !info.Mode().IsRegular() || info.Size() == 0 {
		return fmt.Errorf("store %s cannot be backed up: it is not a pokerd store", abs)
	}
	if err := checkFile(abs); err != nil {
		return err
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: abs}).EscapedPath()+
		"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return fmt.Errorf("store %s: %w", abs, err)
	}
	defer db.Close()
	return backupInto(ctx, db, abs, dst)
}

func backupInto(ctx context.Context, db *sql.DB, file, dst string) error {
	target, err := filepath.Abs(dst)
	if err != nil {
		return fmt.Errorf("backup %s: %w", dst, err)
	}
	// Made here, empty, with the store's mode: VACUUM INTO fills an empty file, and
	// O_EXCL refuses one that is already there, even if it appears meanwhile.
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("backup %s already exists; pokerd does not overwrite it", target)
	}
	if err != nil {
		return fmt.Errorf("backup %s cannot be created: %w", target, err)
	}
	_ = f.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", target); err != nil {
		_ = os.Remove(target)
		return fmt.Errorf("backup of store %s into %s failed: %w", file, target, err)
	}
	return nil
}
