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
