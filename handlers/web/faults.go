package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
)

// Where a recovered panic happened: the label of pokerd_panics_recovered_total.
const (
	PanicRequest   = "request"    // an ordinary HTTP request
	PanicWebSocket = "websocket"  // a WebSocket connection's reader, writer or pinger
	PanicStream    = "sse_stream" // a browser event stream or its room's renderer
	PanicRoom      = "room"       // a room's own work (its timers), reported by game
)

// panicPlaces are the labels of pokerd_panics_recovered_total, resolved once.
var panicPlaces = []string{PanicRequest, PanicWebSocket, PanicStream, PanicRoom}

// Faults counts what went wrong without ending the process: recovered panics, by
// place, and refusals of clients that went over a limit, by limit.
type Faults struct {
	log      *slog.Logger
	panics   *prometheus.CounterVec
	refusals *prometheus.CounterVec

	logMu   sync.Mutex
	lastLog map[string]*refusalLog // by limit
}

func NewFaults(log *slog.Logger, reg prometheus.Registerer) *Faults {
	f := &Faults{
		log: log,
		panics: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pokerd_panics_recovered_total",
			Help: "Panics recovered without ending the process, by where they happened: request, websocket, sse_stream, room. Only what failed was closed; each is logged with its stack.",
		}, []string{"where"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pokerd_limit_refusals_total",
			Help: "Client requests, connections and messages refused because they went over a limit, by limit.",
		}, []string{"limit"}),
	}
	reg.MustRegister(f.panics, f.refusals)
	for _, where := range panicPlaces {
		f.panics.WithLabelValues(where)
	}
	return f
}

// Panicked logs a recovered panic with its stack and counts it. Call it from a deferred
// function with what recover() returned, when that is not nil.
func (f *Faults) Panicked(where string, v any, attrs ...any) {
	f.PanicWithStack(where, v, debug.Stack(), attrs...)
}

// PanicWithStack is panicked for a panic recovered elsewhere (in game/) with its stack.
func (f *Faults) PanicWithStack(where string, v any, stack []byte, attrs ...any) {
	f.panics.WithLabelValues(where).Inc()
	attrs = append(attrs, "where", where, "panic", fmt.Sprint(v), "stack", string(stack))
	f.log.Error("panic recovered", attrs...)
}

// RecoverRequest turns a panic in a request's handler into a 500 for that request alone,
// logged with its stack and counted. Long-lived connections recover in their own
// goroutines as well, since a panic there would not pass through here.
func (f *Faults) RecoverRequest(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v) // the standard way to abort a response: net/http handles it
				}
				f.Panicked(PanicRequest, v, "method", c.Request().Method, "path", c.Request().URL.Path)
				err = &Error{Status: http.StatusInternalServerError, Detail: "Internal Server Error"}
			}
		}()
		return next(c)
	}
}

// refusalLogEvery bounds the warn lines of one limit: an attack refused thousands of
// times a second must not flood the log it is noted in.
const refusalLogEvery = time.Second

// Refused counts a client refused by a limit (a name such as "rooms_per_address") and
// logs it at warn, at most once per refusalLogEvery for each limit, with how many were
// refused since the last line.
func (f *Faults) Refused(limit string, attrs ...any) {
	f.refusals.WithLabelValues(limit).Inc()
	f.logMu.Lock()
	if f.lastLog == nil {
		f.lastLog = map[string]*refusalLog{}
	}
	l := f.lastLog[limit]
	if l == nil {
		l = &refusalLog{}
		f.lastLog[limit] = l
	}
	l.since++
	now := time.Now()
	if now.Sub(l.at) < refusalLogEvery {
		f.logMu.Unlock()
		return
	}
	n := l.since
	l.at, l.since = now, 0
	f.logMu.Unlock()
	attrs = append(attrs, "limit", limit, "refused_since_last_line", n)
	f.log.Warn("client refused by a limit", attrs...)
}

// refusalLog is when a limit last logged, and how many refusals it has not logged since.
type refusalLog struct {
	at    time.Time
	since int
}
