package web

import (
	"log/slog"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/views"
)

// sendProblemPage answers a refused form post with a page that says why, and a way back:
// to the room the post was for, or home.
func sendProblemPage(c echo.Context, log *slog.Logger, status int, message string) {
	back := "/"
	if rest, ok := strings.CutPrefix(c.Request().URL.Path, "/room/"); ok {
		if code, _, _ := strings.Cut(rest, "/"); game.ValidCode(code) {
			back = "/room/" + code
		}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	if err := Render(c, status, views.Problem(views.ProblemData{Page: PageOf(c, "That did not go through — pokerd"), Message: message, Back: back})); err != nil {
		log.Debug("writing an error page failed", "err", err)
	}
}
