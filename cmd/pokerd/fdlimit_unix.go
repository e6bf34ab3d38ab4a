//go:build unix

package main

import "syscall"

// raiseOpenFilesLimit raises the soft limit on open files to the hard limit, since each
// WebSocket and event stream holds a descriptor for as long as it lives, and returns the
// limit now in force (0 when it cannot be read). Go does this by itself at start on most
// systems; doing it here too makes the limit certain and lets it be logged.
func raiseOpenFilesLimit() (limit uint64, err error) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, err
	}
	if rl.Cur < rl.Max {
		raised := rl
		raised.Cur = rl.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &raised); err != nil {
			return uint64(rl.Cur), err
		}
		rl = raised
	}
	return uint64(rl.Cur), nil
}
