package live

import (
	"slices"
	"sync"
	"time"

	"github.com/pokerd/pokerd/game"
)

var (
	updateEvent      = []byte("update")
	keepaliveComment = []byte("keepalive")
)

// roomRenderer turns a room's events into HTML for its browsers. It is subscribed to the
// room like a WebSocket is: each event, in the room's order, is drawn once into the
// parts of the page it changed (a vote: the voter's row and the tally), and the result
// goes to every browser of the room, whatever their number. A browser gets the whole
// room only when it (re)subscribes. It runs until the room closes or the server stops.
type roomRenderer struct {
	code     string
	room     *game.Room
	streams  *roomStreams
	dirty    chan struct{} // has room for one signal: events are drawn in batches
	arrived  chan struct{} // a connection subscribed and waits for the room's state
	gone     chan struct{} // the room closed, or the server stops
	goneOnce sync.Once
	stopped  chan struct{} // the renderer has finished

	mu      sync.Mutex
	conns   map[*streamConn]bool // its connections; true once sent the room's state
	waiting []*streamConn        // subscribed, to be sent the whole state next
	pending []*game.Event        // delivered and not drawn yet, in the room's order
	behind  bool                 // more than maxPendingEvents waited: the next message is the whole room
	ended   bool

	// Only the renderer's goroutine uses these.
	shown  *game.State // the room as the connections that were sent its state show it
	resync bool        // a message failed: the next one is the whole room
}

// maxPendingEvents is how many events may wait for the renderer before it stops keeping
// them and sends the whole room next: a room cannot outrun its browsers' memory.
const maxPendingEvents = 256

func newRoomRenderer(rs *roomStreams, room *game.Room) *roomRenderer {
	return &roomRenderer{
		code: room.Code(), room: room, streams: rs,
		dirty:   make(chan struct{}, 1),
		arrived: make(chan struct{}, 1),
		gone:    make(chan struct{}),
		stopped: make(chan struct{}),
		conns:   map[*streamConn]bool{},
	}
}

// Deliver is called under the room's lock: it only queues the event. The room's first,
// from Subscribe, is a Snapshot.
func (r *roomRenderer) Deliver(ev *game.Event) {
	if ev.Kind == game.RoomClosed {
		r.stop()
		return
	}
	r.mu.Lock()
	if len(r.pending) >= maxPendingEvents {
		// The newest event carries the room's whole state: drawn whole, it is all the
		// ones dropped here said.
		r.pending = r.pending[:0]
		r.behind = true
	}
	r.pending = append(r.pending, ev)
	r.mu.Unlock()
	signal(r.dirty)
}

func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// stop ends the renderer and, with it, its connections.
func (r *roomRenderer) stop() { r.goneOnce.Do(func() { close(r.gone) }) }

// join adds a connection; false once the renderer has ended.
func (r *roomRenderer) join(c *streamConn) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ended {
		return false
	}
	r.conns[c] = false
	return true
}

// subscribed queues a connection whose reader is attached for the room's whole state.
func (r *roomRenderer) subscribed(c *streamConn) {
	r.mu.Lock()
	sent, ok := r.conns[c]
	if !ok || sent || slices.Contains(r.waiting, c) {
		r.mu.Unlock()
		return
	}
	r.waiting = append(r.waiting, c)
	r.mu.Unlock()
	signal(r.arrived)
}

// leave removes a connection that has finished.
func (r *roomRenderer) leave(c *streamConn) {
	r.mu.Lock()
	delete(r.conns, c)
	r.waiting = slices.DeleteFunc(r.waiting, func(w *streamConn) bool { return w == c })
	r.mu.Unlock()
}

// shownConns are the connections that have been sent the room's state.
func (r *roomRenderer) shownConns() []*streamConn {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.shownConnsLocked()
}

func (r *roomRenderer) shownConnsLocked() []*streamConn {
	var shown []*streamConn
	for c, sent := range r.conns {
		if sent {
			shown = append(shown, c)
		}
	}
	return shown
}

// run draws the room's events as they come until the room closes or the server stops.
func (r *roomRenderer) run(unsubscribe func()) {
	defer close(r.stopped)
	keepalive := time.NewTicker(sseKeepalive)
	defer keepalive.Stop()
	for {
		select {
		case <-r.gone:
			unsubscribe()
			r.end()
			return
		case <-keepalive.C:
			for _, c := range r.shownConns() {
				c.send(&streamEvent{Comment: keepaliveComment})
			}
			continue
		case <-r.arrived:
		case <-r.dirty:
		}
		r.publish()
	}
}

// publish sends the connections that show the room what the waiting events changed, and
// those that just came the whole room, both as of the last of those events. A render
// that panics or fails is logged and counted; the renderer carries on, and its next
// message is the whole room.
func (r *roomRenderer) publish() {
	r.mu.Lock()
	current := r.shownConnsLocked()
	newcomers := r.waiting
	r.waiting = nil
	for _, c := range newcomers {
		r.conns[c] = true
	}
	events := r.pending
	r.pending = nil
	behind := r.behind
	r.behind = false
	r.mu.Unlock()

	before := r.shown
	if len(events) > 0 {
		r.shown = events[len(events)-1].State
	}
	if r.shown == nil || (len(current) == 0 && len(newcomers) == 0) {
		r.resync = false // nobody shows anything: the next one gets it all anyway
		return
	}
	defer func() {
		if v := recover(); v != nil {
			r.resync = true
			r.streams.faults.panicked(panicStream, v, "code", r.code)
		}
	}()
	drawing := r.streams.drawing
	if len(current) > 0 && (len(events) > 0 || r.resync) {
		var change *liveChange
		var err error
		if len(events) > 0 {
			change, err = drawing.drawChanges(before, events, behind || r.resync)
		} else {
			change, err = drawing.drawRoom(r.shown)
		}
		if err != nil || !r.broadcast(current, newAudience(drawing, change)) {
			r.failed(err)
			return
		}
	}
	if len(newcomers) > 0 {
		change, err := drawing.drawRoom(r.shown)
		if err != nil || !r.broadcast(newcomers, newAudience(drawing, change)) {
			r.failed(err)
			return
		}
	}
	r.resync = false
}

// failed notes a message that could not be drawn: the next one is the whole room.
func (r *roomRenderer) failed(err error) {
	r.resync = true
	if err != nil {
		r.streams.log.Error("rendering the room failed", "code", r.code, "err", err)
	}
}

// broadcast hands each of conns its message of a change; false when one could not be
// drawn.
func (r *roomRenderer) broadcast(conns []*streamConn, a *audience) bool {
	for _, c := range conns {
		data, err := a.messageFor(c.player)
		if err != nil {
			r.streams.log.Error("rendering the room failed", "code", r.code, "err", err)
			return false
		}
		c.send(&streamEvent{Event: updateEvent, Data: data})
	}
	r.streams.metrics.ssePublished.Inc()
	return true
}

// end lets every connection go, each of whose handlers then removes its stream.
func (r *roomRenderer) end() {
	r.streams.renderEnded(r)
	r.mu.Lock()
	r.ended = true
	conns := make([]*streamConn, 0, len(r.conns))
	for c := range r.conns {
		conns = append(conns, c)
	}
	r.mu.Unlock()
	for _, c := range conns {
		c.end()
	}
}
