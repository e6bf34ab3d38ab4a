package live

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/a-h/templ"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/views"
)

var (
	updateEvent      = []byte("update")
	keepaliveComment = []byte("keepalive")
)

// roomRenderer turns a room's events into HTML for its browsers: it draws the shared
// parts once per change and hands them to each of its connections, whatever their
// number. It is subscribed to the room like a WebSocket is, and runs until the room
// closes or the server stops.
type roomRenderer struct {
	code     string
	room     *game.Room
	streams  *roomStreams
	dirty    chan struct{} // has room for one signal: changes are coalesced
	arrived  chan struct{} // a connection subscribed and waits for the room's state
	gone     chan struct{} // the room closed, or the server stops
	goneOnce sync.Once
	stopped  chan struct{} // the renderer has finished

	mu      sync.Mutex
	conns   map[*streamConn]bool // its connections; true once sent the room's state
	waiting []*streamConn        // subscribed, to be sent the whole state next
	ended   bool
}

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

// Deliver is called under the room's lock: it only marks the room as changed.
func (r *roomRenderer) Deliver(ev *game.Event) {
	if ev.Kind == game.RoomClosed {
		r.stop()
		return
	}
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

// sentState is what every connection that was sent the room's state shows now.
type sentState struct {
	known     bool // false: nothing can be assumed, the next message carries it all
	handKey   string
	peopleKey string
	records   []*game.RoundRecord
}

// run publishes the room's shared parts after each change until the room closes or
// the server stops.
func (r *roomRenderer) run(unsubscribe func()) {
	defer close(r.stopped)
	keepalive := time.NewTicker(sseKeepalive)
	defer keepalive.Stop()
	var sent sentState
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
		r.publish(&sent)
	}
}

// publish sends the connections that show the room what changed since, and those that
// just came the whole state, both drawn from one state of the room. A render that
// panics or fails is logged and counted; the renderer carries on, and its next message
// carries everything.
func (r *roomRenderer) publish(sent *sentState) {
	r.mu.Lock()
	current := r.shownConnsLocked()
	newcomers := r.waiting
	r.waiting = nil
	for _, c := range newcomers {
		r.conns[c] = true
	}
	r.mu.Unlock()
	if len(current) == 0 && len(newcomers) == 0 {
		*sent = sentState{} // nobody is shown anything: the next one gets it all
		return
	}
	defer func() {
		if v := recover(); v != nil {
			*sent = sentState{}
			r.streams.faults.panicked(panicStream, v, "code", r.code)
		}
	}()
	st := r.room.State()
	next := sentState{known: true, handKey: views.HandKey(st), peopleKey: views.PeopleKey(st), records: st.Records}
	if len(current) > 0 {
		record := views.WholeRecord
		if sent.known {
			record = views.DiffRecord(sent.records, st.Records)
		}
		refreshHands := !sent.known || next.handKey != sent.handKey
		refreshPeople := !sent.known || next.peopleKey != sent.peopleKey
		if !r.broadcast(current, r.streams.render(st, refreshHands, refreshPeople, record)) {
			*sent = sentState{}
			return
		}
	}
	if len(newcomers) > 0 && !r.broadcast(newcomers, r.streams.render(st, true, true, views.WholeRecord)) {
		*sent = sentState{}
		return
	}
	*sent = next
}

// broadcast renders one message and hands it to each of conns; false when it could not
// be rendered.
func (r *roomRenderer) broadcast(conns []*streamConn, message templ.Component) bool {
	var buf bytes.Buffer
	if err := message.Render(context.Background(), &buf); err != nil {
		r.streams.log.Error("rendering the room failed", "code", r.code, "err", err)
		return false
	}
	data := buf.Bytes()
	for _, c := range conns {
		// A new event for each publish, as r3labs/sse wants one: with replay on it
		// numbers events in place. (Sharing one here measured no gain.)
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
