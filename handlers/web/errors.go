package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
)

// apiError is an error with the status and the JSON "detail" the client gets.
type apiError struct {
	status int
	detail any // a string, or a list of validation problems
}

func (e *apiError) Error() string { return http.StatusText(e.status) }

// statusOf maps each domain error code to its HTTP status, in this one place.
var domainStatuses = map[game.ErrorCode]int{
	game.ENotFound:  http.StatusNotFound,
	game.ENotSeated: http.StatusNotFound,
	game.EInvalid:   http.StatusUnprocessableEntity,
	game.EForbidden: http.StatusForbidden,
	game.EConflict:  http.StatusConflict,
	game.EExhausted: http.StatusServiceUnavailable,
}

// statusOf is the HTTP status of a domain error's code; a code with none mapped (a
// domain that grew a code the handlers do not know yet) is a 500, never a status 0.
func statusOf(code game.ErrorCode) int {
	if st, ok := domainStatuses[code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// handleError is Echo's one error handler: every handler returns its error here, and
// the client gets {"detail": ...} with a message that is safe to show.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, detail := http.StatusInternalServerError, any("Internal Server Error")
	var api *apiError
	var dom *game.Error
	var httpErr *echo.HTTPError
	switch {
	case errors.As(err, &api):
		status, detail = api.status, api.detail
	case errors.As(err, &dom):
		// An unmapped code stays a plain 500: its message was not written for clients.
		if status = statusOf(dom.Code); status != http.StatusInternalServerError {
			detail = dom.Message
		}
	case errors.As(err, &httpErr):
		status, detail = httpErr.Code, http.StatusText(httpErr.Code)
		if httpErr.Code == http.StatusRequestEntityTooLarge {
			detail = "Request body too large"
		}
	}
	if status == http.StatusInternalServerError {
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	if message, ok := detail.(string); ok && isPagePost(c) {
		s.sendProblemPage(c, status, message)
		return
	}
	if err := writeJSON(c, status, detail); err != nil {
		s.log.Debug("writing an error response failed", "err", err)
	}
}

func writeJSON(c echo.Context, status int, detail any) error {
	b, err := marshalDetail(detail)
	if err != nil {
		return err
	}
	return c.JSONBlob(status, b)
}
