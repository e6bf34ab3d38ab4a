package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/views"
)

// isPagePost reports whether the request is a browser's form post to a page route, sent
// by the browser itself rather than by htmx: its refusal must be a page a person can
// read, not JSON. htmx requests keep the JSON detail, which the page's script shows in
// place.
func isPagePost(c echo.Context) bool {
	req := c.Request()
	return req.Method == http.MethodPost && !strings.HasPrefix(req.URL.Path, "/api/") && !isHTMX(c)
}

// sendProblemPage answers a refused form post with a page that says why, and a way back:
// to the room the post was for, or home.
func (s *Server) sendProblemPage(c echo.Context, status int, message string) {
	back := "/"
	if rest, ok := strings.CutPrefix(c.Request().URL.Path, "/room/"); ok {
		if code, _, _ := strings.Cut(rest, "/"); game.ValidCode(code) {
			back = "/room/" + code
		}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	if err := render(c, status, views.Problem(views.ProblemData{Page: page(c, "That did not go through — pokerd"), Message: message, Back: back})); err != nil {
		s.log.Debug("writing an error page failed", "err", err)
	}
}
