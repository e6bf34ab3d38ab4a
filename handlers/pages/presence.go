package pages

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
)

// A page used without scripts has no event stream to say that its player is here; its
// requests say it instead (see game/presence.go). Every page asks for an image from
// inside a <noscript>, which only a browser without scripts loads; the answer marks the
// browser with a cookie, and from then on each of its requests for a room (a page load,
// a form post) keeps its player present. The room page's image is the room's own, so
// that loading the page counts even where the cookie was lost. A browser with scripts
// never loads the image, and is present through its stream.

// noScriptCookie marks a browser seen without scripts, for the browser session.
const noScriptCookie = "pokerd_noscript"

// presenceImage is an empty image: the answer the page's <img> waits for.
var presenceImage = []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>`)

// NoScriptPing is GET /noscript.svg: a page of the site loaded without scripts.
func (s *Handlers) NoScriptPing(c echo.Context) error {
	s.markNoScript(c)
	return sendPresenceImage(c)
}

// PagePresence is GET /room/{code}/here.svg: the room page loaded without scripts.
func (s *Handlers) PagePresence(c echo.Context) error {
	s.markNoScript(c)
	room, seat, err := s.seated(c)
	if room == nil {
		return err
	}
	if err := room.Touch(seat.Player.ID); err != nil && game.CodeOf(err) != game.ENotSeated {
		return err
	}
	return sendPresenceImage(c)
}

func sendPresenceImage(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store") // each page load must ask again
	return c.Blob(http.StatusOK, "image/svg+xml", presenceImage)
}

func (s *Handlers) markNoScript(c echo.Context) {
	if s.withoutScripts(c) {
		return
	}
	c.SetCookie(&http.Cookie{
		Name:     s.cookies.Name(noScriptCookie),
		Value:    "1",
		Path:     "/",
		HttpOnly: true,
		Secure:   s.cookies.Secure(c),
		SameSite: http.SameSiteLaxMode,
	})
}

// withoutScripts tells whether the browser was seen without scripts.
func (s *Handlers) withoutScripts(c echo.Context) bool {
	_, err := c.Cookie(s.cookies.Name(noScriptCookie))
	return err == nil
}

// touchFromPage notes a request for the room from a browser without scripts, before the
// handler acts or renders, so that the player counts as here for it. A room or seat gone
// since is left for what follows to report.
func (s *Handlers) touchFromPage(c echo.Context, room *game.Room, me uuid.UUID) {
	if !web.IsHTMX(c) && s.withoutScripts(c) {
		_ = room.Touch(me)
	}
}
