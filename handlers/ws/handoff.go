package ws

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"

	"github.com/coder/websocket"
	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
)

// An open socket is most of the time an idle one, and a company's planning day opens
// thousands: what each holds while idle is kept small. Once a socket is in its room,
// its handler hands it to a reader goroutine of its own and returns, which lets go of
// what the HTTP request held for the socket's whole life (net/http's connection state,
// the request and its headers, and the handler's deep stack of middleware); the
// connection reads and writes through buffers sized for this protocol's frames.

// Buffer sizes of a socket's connection. Clients send small frames (a vote is under
// 100 bytes); a bigger one is read straight into its message. Most server frames fit
// the write buffer in one system call; a bigger one (a big room's STATE) takes two.
const (
	wsReadBufferSize  = 512
	wsWriteBufferSize = 2 << 10
)

// leanBuffers is the response writer a WebSocket upgrade hijacks through: it gives the
// connection buffers of the sizes above instead of net/http's pair of 4 KiB ones, which
// net/http lets go of with its connection state once the handler has returned.
type leanBuffers struct{ http.ResponseWriter }

func (w leanBuffers) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	if err := rw.Writer.Flush(); err != nil { // nothing is left in it after a 101; to be sure
		_ = conn.Close()
		return nil, nil, err
	}
	// A client may send its first frames without waiting for the 101: net/http's reader
	// may hold them already. They go into the new reader's buffer (the library replaces
	// the reader's source, not its buffer).
	early, _ := rw.Reader.Peek(rw.Reader.Buffered()) // cannot fail: it asks for what is there
	early = bytes.Clone(early)                       // the old buffer is let go
	r := bufio.NewReaderSize(io.MultiReader(bytes.NewReader(early), conn), max(wsReadBufferSize, len(early)))
	if _, err := r.Peek(len(early)); err != nil {
		_ = conn.Close()
		return nil, nil, err
	}
	return conn, bufio.NewReadWriter(r, bufio.NewWriterSize(conn, wsWriteBufferSize)), nil
}

// Unwrap lets http.ResponseController reach the writer below.
func (w leanBuffers) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// socketHolds is what a socket holds until it ends (its place among the open sockets,
// its admission under the connection limits, its session's context), let go in the
// reverse order: by the handler when the socket ends before the hand-off, by the
// socket's reader goroutine after.
type socketHolds struct {
	releases  []func()
	handedOff bool
}

func (h *socketHolds) add(release func()) { h.releases = append(h.releases, release) }

func (h *socketHolds) release() {
	for i := len(h.releases) - 1; i >= 0; i-- {
		h.releases[i]()
	}
}

// releaseUnlessHandedOff is deferred by the handler.
func (h *socketHolds) releaseUnlessHandedOff() {
	if !h.handedOff {
		h.release()
	}
}

// readSocket is the goroutine that owns a socket once its handler has returned: it
// reads until the connection ends, then takes the socket out of its room and lets go
// of what it held. It is all an idle socket runs: the writer, a ping and the closing
// of a failed session each start a goroutine only while they work.
func (s *Handler) readSocket(sess *wsSession, room *game.Room, playerID uuid.UUID, holds *socketHolds) {
	defer holds.release()
	sess.startPinging()
	sess.readLoop(room, playerID)
	// Also after a panic in the reader (recovered in readLoop): the room lets go.
	room.Disconnect(playerID, sess) // a no-op when the failure was handled already
	sess.finish()
	sess.conn.Close(websocket.StatusNormalClosure, "")
}
