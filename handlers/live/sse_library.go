package live

import (
	"net/http"

	"github.com/r3labs/sse/v2"
)

// Every browser's stream goes through this file's small interface, eventStreams; it
// alone knows the SSE library, r3labs/sse v2.10.0, which is unmaintained since 2023 and
// needs these workarounds, each reproduced rather than guessed:
//   - AutoReplay off: the default keeps every event for ever, replays it all to each
//     newcomer, and races on Event.ID. A newcomer is sent the room's current state
//     instead, once its reader is attached (OnSubscribe).
//   - AutoStream off: the library would create a stream for any id a client names; a
//     stream exists only from create to remove, for one connection.
//   - SplitData on: the default breaks HTML that spans lines.
//   - A new *sse.Event for every publish: the library writes into the event it is
//     given (its ID, with replay on).
//   - The stream id is the server's: serve overwrites ?stream=, whatever the client
//     sent, and drops Last-Event-ID, so that nothing is replayed.
//   - Publish without waiting (TryPublish): a reader that stops reading fills its own
//     buffer, and the caller drops it, rather than stalling everyone else's.
//   - An event with neither data nor comment would end the library's loop for its
//     reader without unsubscribing it: it is never handed over.
//   - create before serve, remove only after serve has returned: removing a stream that
//     still has a reader leaks that reader's goroutine.
// The write deadline of every write and the keepalive are ours, not the library's
// (sse_conn.go, sse_render.go).

// streamEvent is one message of a browser's stream: a named event with HTML data, or a
// comment (the keepalive).
type streamEvent struct {
	Event   []byte
	Data    []byte
	Comment []byte
}

// eventStreams is what the rooms' streams need of an SSE library: one stream per
// browser connection, identified by an id the server chose.
type eventStreams interface {
	// create makes the stream of one connection, before it is served.
	create(id string)
	// tryPublish hands ev to the stream without waiting; false when the stream's buffer
	// is full (its reader stopped reading).
	tryPublish(id string, ev *streamEvent) bool
	// serve writes the stream to w until the request ends or the stream is removed.
	serve(w http.ResponseWriter, r *http.Request, id string)
	// remove deletes the stream, once serve has returned.
	remove(id string)
}

// r3labsStreams is eventStreams over r3labs/sse.
type r3labsStreams struct{ server *sse.Server }

// newR3labsStreams holds streams whose buffers take outbox messages each. subscribed is
// called, in a goroutine of the library's, once a stream's reader is attached.
func newR3labsStreams(outbox int, subscribed func(id string)) *r3labsStreams {
	server := sse.New()
	server.AutoReplay = false
	server.AutoStream = false
	server.SplitData = true
	server.BufferSize = outbox
	server.OnSubscribe = func(id string, _ *sse.Subscriber) { subscribed(id) }
	return &r3labsStreams{server: server}
}

func (s *r3labsStreams) create(id string) { s.server.CreateStream(id) }

func (s *r3labsStreams) tryPublish(id string, ev *streamEvent) bool {
	if len(ev.Data) == 0 && len(ev.Comment) == 0 {
		return true // nothing to send, and the library would take it for the end
	}
	return s.server.TryPublish(id, &sse.Event{Event: ev.Event, Data: ev.Data, Comment: ev.Comment})
}

func (s *r3labsStreams) serve(w http.ResponseWriter, r *http.Request, id string) {
	q := r.URL.Query()
	q.Set("stream", id)
	r.URL.RawQuery = q.Encode()
	r.Header.Del("Last-Event-ID") // no replay: the stream sends the current state
	s.server.ServeHTTP(w, r)
}

func (s *r3labsStreams) remove(id string) { s.server.RemoveStream(id) }
