//go:build !unix

package sqlite

import (
	"fmt"
	"os"
)

// lockFile: without flock there is no lock that a crash releases, so the store is not
// offered on such systems rather than offered without its guarantee.
func lockFile(file string) (*os.File, error) {
	return nil, fmt.Errorf("store %s: the SQLite store needs a Unix system (file locks)", file)
}
