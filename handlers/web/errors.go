package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
)

// Error is an error with the status and the JSON "detail" the client gets.
type Error struct {
	Status int
	Detail any // a string, or a list of validation problems
}

func (e *Error) Error() string { return http.StatusText(e.Status) }

// domainStatuses maps each domain error code to its HTTP status, in this one place.
var domainStatuses = map[game.ErrorCode]int{
	game.ENotFound:  http.StatusNotFound,
	game.ENotSeated: http.StatusNotFound,
	game.EInvalid:   http.StatusUnprocessableEntity,
	game.EForbidden: http.StatusForbidden,
	game.EConflict:  http.StatusConflict,
	game.EExhausted: http.StatusServiceUnavailable,
}

// StatusOf is the HTTP status of a domain error's code; a code with none mapped (a
// domain that grew a code the handlers do not know yet) is a 500, never a status 0.
func StatusOf(code game.ErrorCode) int {
	if st, ok := domainStatuses[code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// ErrorHandler is Echo's one error handler: every handler of every surface returns its
// error, and every middleware its refusal, and this maps it to the answer, in this one
// place. What the client is told comes from the error (refusalOf); how depends on who
// asks:
//   - a form post a browser sent itself (a page without scripts) gets a page that says
//     why, with a way back (problem_page.go): JSON would leave a person before raw text;
//   - an htmx request gets the status and the JSON detail: htmx swaps nothing of a 4xx,
//     and the page's script (static/pokerd.js) shows the refusal in place, on the
//     #action-status line (an expired form, a 403, says to reload the page);
//   - the JSON API, and anything else, gets {"detail": ...}, byte for byte as the
//     reference backend shapes it (a string, or a list of validation problems).
func ErrorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		status, detail := refusalOf(err)
		if status == http.StatusInternalServerError {
			log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(status)
			return
		}
		if message, ok := detail.(string); ok && isPagePost(c) {
			sendProblemPage(c, log, status, message)
			return
		}
		if err := writeJSON(c, status, detail); err != nil {
			log.Debug("writing an error response failed", "err", err)
		}
	}
}

// refusalOf is the status and the detail, safe to show, that err answers: an Error's
// own, a domain error's mapped by StatusOf with its message, an Echo error's (404, 405,
// 413 ...) with its status text, and a 500 for anything else.
func refusalOf(err error) (status int, detail any) {
	status, detail = http.StatusInternalServerError, any("Internal Server Error")
	var api *Error
	var dom *game.Error
	var httpErr *echo.HTTPError
	switch {
	case errors.As(err, &api):
		status, detail = api.Status, api.Detail
	case errors.As(err, &dom):
		// An unmapped code stays a plain 500: its message was not written for clients.
		if status = StatusOf(dom.Code); status != http.StatusInternalServerError {
			detail = dom.Message
		}
	case errors.As(err, &httpErr):
		status, detail = httpErr.Code, http.StatusText(httpErr.Code)
		if httpErr.Code == http.StatusRequestEntityTooLarge {
			detail = "Request body too large"
		}
	}
	return status, detail
}

// isAPIPath tells the JSON API's routes, whose refusals are always JSON.
func isAPIPath(path string) bool { return strings.HasPrefix(path, "/api/") }

// writeJSON answers {"detail": detail}.
func writeJSON(c echo.Context, status int, detail any) error {
	b, err := marshalDetail(detail)
	if err != nil {
		return err
	}
	return c.JSONBlob(status, b)
}

// marshalDetail is the JSON of an error's answer: {"detail": ...}, with "<", ">" and "&"
// as they are, as the reference backend writes them.
func marshalDetail(detail any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"detail": detail}); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// TruncateText keeps the first max characters of s, and marks the cut with "…".
func TruncateText(s string, max int) string {
	if len(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
