package main

import (
	"log"
	"log/slog"
	"math"
	"strings"
	"sync"
	"time"
)

// connectionCap is how many long-lived connections (WebSockets and event streams) the
// server keeps open at most, given its open-files limit: an eighth of the descriptors,
// and never fewer than 64, stay for everything else (ordinary requests, /healthz,
// /metrics, the listener, files), so that those still answer when the cap is reached.
// 0 (no cap) when the limit is unknown or unlimited.
func connectionCap(openFiles uint64) int {
	if openFiles == 0 || openFiles > math.MaxInt32 {
		return 0
	}
	reserve := max(64, openFiles/8)
	if openFiles <= reserve {
		return 1
	}
	return int(openFiles - reserve)
}

// tcpConnectionCap is how many TCP connections the server keeps open at most, given its
// open-files limit: a sixty-fourth of the descriptors, and never fewer than 32, stay for
// what is not a connection (the listener, the runtime's poller, standard streams, a
// decks file, the profiler). 0 (no cap) when the limit is unknown or unlimited.
func tcpConnectionCap(openFiles uint64) int {
	if openFiles == 0 || openFiles > math.MaxInt32 {
		return 0
	}
	reserve := max(32, openFiles/64)
	if openFiles <= reserve {
		return 1
	}
	return int(openFiles - reserve)
}

// longLivedCap is the derived --max-connections: connectionCap, and below the TCP cap by
// an eighth of it (at least 64, at most half of it), so that ordinary requests (pages,
// /healthz, /metrics) still find a connection when WebSockets and event streams are at
// their cap. 0 when neither cap is known.
func longLivedCap(openFiles uint64, tcpTotal int) int {
	capped := connectionCap(openFiles)
	if tcpTotal <= 0 {
		return capped
	}
	within := max(1, tcpTotal-max(tcpTotal/8, min(64, tcpTotal/2)))
	if capped == 0 {
		return within
	}
	return min(capped, within)
}

// tcpConnectionsPerAddress is the default of --tcp-connections-per-address: every
// long-lived connection is a TCP connection too, and a browser opens a few more for the
// pages around it, so twice the long-lived cap and then some. 0 (off) when the
// long-lived cap is off.
func tcpConnectionsPerAddress(longLivedPerAddress int) int {
	if longLivedPerAddress == 0 {
		return 0
	}
	return 2*longLivedPerAddress + 64
}

// serverErrorLog is http.Server's ErrorLog. Accept errors mean the process cannot take
// new connections (out of descriptors, typically): they are logged at warn, once a
// second at most with a count, since Serve retries within milliseconds. Everything else
// it reports (a client that hung up mid-handshake, a malformed request line) is a
// client's hiccup and stays at debug.
func serverErrorLog(logger *slog.Logger) *log.Logger {
	return log.New(&serverErrorWriter{log: logger}, "", 0)
}

type serverErrorWriter struct {
	log *slog.Logger

	mu         sync.Mutex
	lastWarn   time.Time
	suppressed int
}

// acceptErrorLogEvery bounds the warn lines of accept errors.
const acceptErrorLogEvery = time.Second

func (w *serverErrorWriter) Write(p []byte) (int, error) {
	msg := strings.TrimSpace(string(p))
	if !strings.Contains(msg, "Accept error") {
		w.log.Debug(msg)
		return len(p), nil
	}
	w.mu.Lock()
	now := time.Now()
	if now.Sub(w.lastWarn) < acceptErrorLogEvery {
		w.suppressed++
		w.mu.Unlock()
		return len(p), nil
	}
	n := w.suppressed
	w.lastWarn, w.suppressed = now, 0
	w.mu.Unlock()
	w.log.Warn("cannot accept connections", "err", msg, "suppressed_since_last_line", n)
	return len(p), nil
}
