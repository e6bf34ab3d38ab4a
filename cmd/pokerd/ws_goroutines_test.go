package main

import (
	"bytes"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// serverSideSocketGoroutines counts the goroutines that run pokerd's side of WebSocket
// connections: the handler (which reads), a session's writer, or anything else started
// by a session.
func serverSideSocketGoroutines() int {
	buf := make([]byte, 1<<24)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		stack := string(g)
		if strings.Contains(stack, "handlers/ws.(*wsSession)") || strings.Contains(stack, "handlers/ws.(*Handler).ServeWebSocket") {
			n++
		}
	}
	return n
}

// An idle connection costs one goroutine on the server, its reader: the writer runs
// only while there is something to send, and pings and the closing of a failed session
// only while they work. Thousands of sockets in a company's planning day make every
// extra one count. The whole process is counted too, so that no goroutine per socket
// hides outside the session's code (the test's own clients do not read: they add none).
func TestAnIdleSocketCostsOneGoroutine(t *testing.T) {
	s := startServer(t, map[string]string{"PP_WS_PING_INTERVAL": "1h",
		"PP_JOINS_PER_MINUTE": "0", "PP_CONNECTIONS_PER_ADDRESS": "0", "PP_ROOMS_PER_MINUTE": "0"})
	const rooms, perRoom = 4, 25
	codes := make([]string, rooms)
	ids := make([][]string, rooms)
	for r := range rooms {
		codes[r] = s.createGame(t, "Idle "+strconv.Itoa(r))
		for p := range perRoom {
			ids[r] = append(ids[r], s.join(t, codes[r], "p"+strconv.Itoa(p)))
		}
	}
	before := runtime.NumGoroutine()
	for r := range rooms {
		for _, id := range ids[r] {
			s.connect(t, id, codes[r]) // it has had its STATE; the others' CONNECTED go unread
		}
	}
	const sockets = rooms * perRoom
	eventually(t, "one goroutine per idle socket", func() bool { return serverSideSocketGoroutines() == sockets })
	// A little slack for the server's and the runtime's own comings and goings.
	const slack = 10
	eventually(t, "the process to settle", func() bool { return runtime.NumGoroutine()-before <= sockets+slack })
}
