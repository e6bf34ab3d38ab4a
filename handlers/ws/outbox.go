package ws

import "sync"

// outbox is a WebSocket session's bounded queue of events: the room fills it without
// waiting, and a writer goroutine drains it. The writer runs only while the outbox
// holds something (it is started when the outbox goes from empty to non-empty and ends
// when it has drained it), and the queue's memory is taken on the first event and let
// go when drained: an idle socket, the common case by far, holds neither.
type outbox struct {
	mu      sync.Mutex
	items   []queuedEvent // items[head:] wait for the writer
	head    int
	limit   int  // events that may wait before the client counts as too slow
	writing bool // a writer goroutine owns the draining
	shut    bool // nothing more is queued or handed out
	// held: the session's own command is not committed yet, so nothing is written (its
	// echo would acknowledge what a crash could still lose); see hold.
	held   bool
	writer sync.WaitGroup
}

// keptQueueCap is the largest queue kept once drained: a round's few events reuse it,
// while the memory of a burst (a big room's joins, a slow client catching up) goes back.
const keptQueueCap = 8

func newOutbox(limit int) *outbox { return &outbox{limit: max(limit, 1)} }

// push queues q without waiting. full: the outbox already held its limit (q is
// dropped); startWriter: no writer runs, and the caller must start one, which calls
// next until it reports false and then done.
func (o *outbox) push(q queuedEvent) (startWriter, full bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.shut {
		return false, false // the session is over: nobody will read it
	}
	if len(o.items)-o.head >= o.limit {
		return false, true
	}
	o.items = append(o.items, q)
	if o.writing || o.held {
		return false, false
	}
	o.writing = true
	o.writer.Add(1)
	return true, false
}

// next hands the writer the oldest event. When there is none, or the outbox is shut,
// it reports false and the writer must end: the next push starts another.
func (o *outbox) next() (queuedEvent, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.shut || o.held || o.head == len(o.items) {
		o.writing = false
		return queuedEvent{}, false
	}
	q := o.items[o.head]
	o.items[o.head] = queuedEvent{} // the event is the writer's now; let the queue forget it
	o.head++
	if o.head == len(o.items) {
		o.head = 0
		if cap(o.items) > keptQueueCap {
			o.items = nil
		} else {
			o.items = o.items[:0]
		}
	}
	return q, true
}

// hold stops the writing until release: the session's client has sent a command, and
// what it is sent next (its own echo first) waits until the command's events are
// committed. The rest of the room is not held: their sockets have outboxes of their own.
func (o *outbox) hold() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.held = true
}

// release lets the writing go on after hold. startWriter: events wait and no writer
// runs, so the caller must start one, as after push.
func (o *outbox) release() (startWriter bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.held = false
	if o.shut || o.writing || o.head == len(o.items) {
		return false
	}
	o.writing = true
	o.writer.Add(1)
	return true
}

// done is deferred by the writer goroutine: it has ended.
func (o *outbox) done() { o.writer.Done() }

// close shuts the outbox (what waits is dropped, nothing more is queued) without
// waiting: the room and the writer itself call it.
func (o *outbox) close() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.shut = true
	o.items, o.head = nil, 0
}

// closeAndWait shuts the outbox and returns once a writer under way has ended.
func (o *outbox) closeAndWait() {
	o.close()
	o.writer.Wait()
}
