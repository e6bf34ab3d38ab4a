package handlers

import (
	"bytes"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/static"
	"github.com/pokerd/pokerd/views"
)

func (s *Server) routePages(e *echo.Echo) {
	e.GET("/", s.home)
	e.StaticFS("/static", static.FS)
}

// home is GET /.
func (s *Server) home(c echo.Context) error {
	return render(c, http.StatusOK, views.Home(s.decks.Decks()))
}

// render writes a component into a buffer first, so that a failure half-way never sends
// half a page.
func render(c echo.Context, status int, component templ.Component) error {
	var buf bytes.Buffer
	if err := component.Render(c.Request().Context(), &buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}
