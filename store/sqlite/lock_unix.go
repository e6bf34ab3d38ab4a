//go:build unix

package sqlite

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFile takes an exclusive lock on path+".lock", held as long as the store is open, so
// that two servers never write one file. SQLite's own locks would let a second writer in
// between the first one's transactions. The lock goes with the process, even on a crash.
func lockFile(file string) (*os.File, error) {
	name := file + ".lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store %s: cannot create its lock file: %w", file, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("store %s is in use by another pokerd (its lock %s is held); "+
				"stop that one or give this one another --data file", file, name)
		}
		return nil, fmt.Errorf("store %s: cannot lock %s: %w", file, name, err)
	}
	return f, nil
}
