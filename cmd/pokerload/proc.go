package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"
)

// clockTicks is USER_HZ, the unit of the CPU times in /proc/<pid>/stat: 100 on every
// Linux architecture Go builds for (reading sysconf(_SC_CLK_TCK) would need cgo).
const clockTicks = 100

// procSample is a process's CPU time and resident memory at one moment.
type procSample struct {
	cpu time.Duration // user + system
	rss int64         // bytes
}

// readProc reads /proc/<pid>/stat (utime, stime) and /proc/<pid>/status (VmRSS).
func readProc(pid int) (procSample, error) {
	var s procSample
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return s, err
	}
	// The command name, in parentheses, may hold spaces: fields are counted after it.
	end := bytes.LastIndexByte(stat, ')')
	if end < 0 {
		return s, errors.New("unreadable /proc stat")
	}
	fields := bytes.Fields(stat[end+1:])
	if len(fields) < 13 {
		return s, errors.New("short /proc stat")
	}
	// fields[0] is field 3 (state): utime is field 14, stime field 15.
	utime, err1 := strconv.ParseInt(string(fields[11]), 10, 64)
	stime, err2 := strconv.ParseInt(string(fields[12]), 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return s, fmt.Errorf("/proc stat: %w", err)
	}
	s.cpu = time.Duration(utime+stime) * time.Second / clockTicks

	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, err
	}
	for line := range bytes.SplitSeq(status, []byte("\n")) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmRSS:")); ok {
			f := bytes.Fields(rest) // "12345 kB"
			if len(f) < 1 {
				break
			}
			kb, err := strconv.ParseInt(string(f[0]), 10, 64)
			if err != nil {
				return s, fmt.Errorf("/proc status VmRSS: %w", err)
			}
			s.rss = kb << 10
			return s, nil
		}
	}
	return s, errors.New("no VmRSS in /proc status")
}
