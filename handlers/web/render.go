package web

import (
	"bytes"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/pokerd/pokerd/views"
)

// PageOf is what every page's layout needs: its title and the CSRF token that its forms
// send back (issued by the CSRF middleware in front of the page's route).
func PageOf(c echo.Context, title string) views.Page {
	token, _ := c.Get(middleware.DefaultCSRFConfig.ContextKey).(string)
	return views.Page{Title: title, CSRF: token}
}

// Render writes a component into a buffer first, so that a failure half-way never sends
// half a page.
func Render(c echo.Context, status int, component templ.Component) error {
	var buf bytes.Buffer
	if err := component.Render(c.Request().Context(), &buf); err != nil {
		return err
	}
	return sendPage(c, status, buf.Bytes())
}

// IsHTMX tells an htmx request (answered with a fragment) from a plain form post
// (answered with a redirect back to the room).
func IsHTMX(c echo.Context) bool { return c.Request().Header.Get("HX-Request") == "true" }

// isPagePost reports whether the request is a browser's form post to a page route, sent
// by the browser itself rather than by htmx: its refusal must be a page a person can
// read, not JSON.
func isPagePost(c echo.Context) bool {
	req := c.Request()
	return req.Method == http.MethodPost && !isAPIPath(req.URL.Path) && !IsHTMX(c)
}
