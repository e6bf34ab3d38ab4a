package handlers

import (
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
)

// browserCookie holds a browser's secret identity. A browser's player id in a room is
// derived from it one way (a name-based UUID of the room code), so the public player ids
// that the JSON API shows cannot be turned back into a cookie.
const browserCookie = "pokerd_browser"

// browserIdentity returns the browser's secret id, issuing a new cookie when there is
// none (or a malformed one).
func browserIdentity(c echo.Context) uuid.UUID {
	if ck, err := c.Cookie(browserCookie); err == nil {
		// Only the form pokerd issues: uuid.Parse also takes braces, a urn: prefix, no
		// hyphens, and any two characters around 36 (it never checks they are braces),
		// so that many spellings would name one browser.
		if id, err := uuid.Parse(ck.Value); err == nil && id.Version() == 4 && id.String() == ck.Value {
			return id
		}
	}
	id := uuid.New()
	c.SetCookie(&http.Cookie{
		Name:     browserCookie,
		Value:    id.String(),
		Path:     "/",
		MaxAge:   int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true,
		Secure:   c.IsTLS(),
		SameSite: http.SameSiteLaxMode,
	})
	return id
}

// seatID is the player id this browser has in the room with the given code.
func seatID(browser uuid.UUID, code string) uuid.UUID {
	return uuid.NewSHA1(browser, []byte("pokerd seat "+code))
}
