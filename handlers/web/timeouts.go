package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// LongLived is the middleware of the routes whose connection outlives a request: the
// WebSocket API and the rooms' event streams. The server gives every request a read and
// a write deadline (http.Server's ReadTimeout and WriteTimeout), so that a client that
// trickles its headers or body, or stops reading an answer, is cut; these connections
// must not inherit them. They keep their own: each write of a socket or a stream has a
// deadline, and a socket's peer must answer pings.
//
// Neither a WebSocket handshake nor an event stream has a body. A request that declares
// one is refused with its deadlines kept: lifted, they would let its client trickle the
// body for ever, since net/http reads what the handler left of it before answering.
func LongLived(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().ContentLength != 0 { // -1: chunked, of unknown length
			return &Error{Status: http.StatusBadRequest, Detail: "This request has no body"}
		}
		rc := http.NewResponseController(c.Response())
		// Errors mean a writer without deadlines (a test recorder): nothing to lift.
		_ = rc.SetReadDeadline(time.Time{})
		_ = rc.SetWriteDeadline(time.Time{})
		return next(c)
	}
}
