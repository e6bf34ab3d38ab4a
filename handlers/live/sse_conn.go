package live

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
)

// streamConn is one browser's connection to its room's stream, and the library's
// stream (id) that carries it. Its handler owns it from begin to finish; the room's
// renderer only sends to it, and may drop it.
type streamConn struct {
	id       string
	player   uuid.UUID // the browser's player: the stream's own parts are theirs
	renderer *roomRenderer
	streams  *roomStreams
	ctx      context.Context    // the stream's: ends it when done
	cancel   context.CancelFunc // ends the stream
	rc       *http.ResponseController

	mu       sync.Mutex
	dropped  bool      // ended for the client's fault: nothing more is written
	armedAt  time.Time // when the write deadline was last moved
	finished bool      // the handler has returned: the response is no longer ours
}

// errStreamDropped is what a write to a dropped stream returns.
var errStreamDropped = errors.New("the event stream was dropped")

// send hands the stream a message without ever waiting. A stream whose buffer is full
// (its reader stopped reading) is dropped: the browser may reconnect, and then gets the
// room's current state. The buffer is the stream's --sse-outbox, and the 64 messages
// the SSE library keeps for each reader behind it.
func (c *streamConn) send(ev *streamEvent) {
	if c.ctx.Err() != nil {
		return
	}
	if !c.streams.sse.tryPublish(c.id, ev) && c.ctx.Err() == nil {
		c.drop(c.streams.metrics.sseDropSlow)
	}
}

// drop ends the stream because its client failed, once, counted under the given reason.
// Callers make sure the stream had not ended already (its browser left, or it was ended
// by the room or the server): that is no one's failure. A write waiting on the full
// socket gives up at once rather than at its deadline.
func (c *streamConn) drop(reason prometheus.Counter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.finished || c.dropped {
		return
	}
	c.dropped = true
	reason.Inc()
	c.cancel()
	_ = c.rc.SetWriteDeadline(time.Unix(1, 0))
}

// end ends the stream without blame: its room closed or the server stops.
func (c *streamConn) end() { c.cancel() }

// beforeWrite makes sure the next write has a deadline at least three quarters of the
// write timeout away, or refuses it on a dropped stream. The library writes each message
// in four writes and a flush: moving the deadline for each (a timer reset under the
// connection's lock) cost as much as the rest of the stream's work together, so it is
// moved only once a quarter of the timeout has gone by.
func (c *streamConn) beforeWrite() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dropped {
		return errStreamDropped
	}
	now := time.Now()
	if !c.armedAt.IsZero() && now.Sub(c.armedAt) < c.streams.writeTimeout/4 {
		return nil
	}
	c.armedAt = now
	return c.rc.SetWriteDeadline(now.Add(c.streams.writeTimeout))
}

// finish is the handler's last word: the library has let go of the stream (its reader
// unsubscribed), so the stream is removed with no reader left behind, and the
// connection leaves its room's renderer.
func (c *streamConn) finish() {
	c.mu.Lock()
	if !c.dropped {
		// The connection may serve another request: it keeps no deadline of ours.
		_ = c.rc.SetWriteDeadline(time.Time{})
	}
	c.finished = true
	c.mu.Unlock()
	c.cancel()
	c.renderer.leave(c)
	c.streams.forget(c)
	c.streams.sse.remove(c.id)
	c.streams.serving.Done()
}

// deadlineWriter gives every write to a stream a deadline. A reader that stops reading
// would otherwise hold its stream's writer for ever; once a write fails, the stream is
// dropped and its reader leaves.
type deadlineWriter struct {
	http.ResponseWriter
	conn *streamConn
}

func (w *deadlineWriter) Write(p []byte) (int, error) {
	if err := w.conn.beforeWrite(); err != nil {
		return 0, err
	}
	// Whether the stream was still on before the write: a failed write cancels the
	// request itself, and a browser that had left is not dropped.
	on := w.conn.ctx.Err() == nil
	n, err := w.ResponseWriter.Write(p)
	if err != nil && on {
		w.conn.drop(w.conn.streams.metrics.sseDropWrite)
	}
	return n, err
}

// Flush sends what the writes buffered; this is where a stalled reader makes it wait.
func (w *deadlineWriter) Flush() {
	if w.conn.beforeWrite() != nil {
		return
	}
	on := w.conn.ctx.Err() == nil
	if err := w.conn.rc.Flush(); err != nil && on {
		w.conn.drop(w.conn.streams.metrics.sseDropWrite)
	}
}

func (w *deadlineWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
