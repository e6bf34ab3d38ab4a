package main

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
)

// serverSideSocketGoroutines counts the goroutines that run pokerd's side of WebSocket
// connections: the handler (which reads) and the session's writer, or anything else
// started by a session.
func serverSideSocketGoroutines() int {
	buf := make([]byte, 1<<22)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		stack := string(g)
		if strings.Contains(stack, "handlers.(*wsSession)") || strings.Contains(stack, "handlers.(*Server).serveWebSocket") {
			n++
		}
	}
	return n
}

// An idle connection costs two goroutines on the server, its reader and its writer:
// pings and the closing of a failed session run only while they work. Thousands of
// sockets in a company's planning day make every extra one count.
func TestAnIdleSocketCostsTwoGoroutines(t *testing.T) {
	s := startServer(t, map[string]string{"PP_WS_PING_INTERVAL": "1h"})
	code := s.createGame(t, "Idle")
	const sockets = 10
	for i := range sockets {
		s.connect(t, s.join(t, code, "p"+string(rune('a'+i))), code) // it has had its STATE
	}
	eventually(t, "two goroutines per socket", func() bool { return serverSideSocketGoroutines() == 2*sockets })
}
