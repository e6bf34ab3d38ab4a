package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
)

// BrowserCookie holds a browser's secret identity. A browser's player id in a room is
// derived from it one way (a name-based UUID of the room code), so the public player ids
// that the JSON API shows cannot be turned back into a cookie.
//
// The cookie is not signed: its value is itself the secret, 122 random bits that only
// this browser ever received. Changing a character, or bringing another browser's
// cookie, names another identity, which holds no seat in any room (its seat ids are
// those of nobody). A signature protects a value that could be guessed or built; this
// one can be neither, so it would add nothing.
const BrowserCookie = "pokerd_browser"

// csrfCookie holds the browser's CSRF token (the double-submit check of the pages).
const csrfCookie = "pokerd_csrf"

// CookiePolicy names and marks the cookies pokerd gives browsers. Behind a proxy that
// terminates TLS the server itself sees plain HTTP, so only the configured public URL
// can tell that browsers reach it over https: then every cookie is Secure (never sent
// over plain HTTP, where anyone on the path could read it) and carries the __Host-
// prefix, with which browsers accept it only when it is Secure, for Path=/ and without
// Domain, so that neither a sibling subdomain nor a plain-HTTP answer can plant a
// cookie of that name.
type CookiePolicy struct {
	hostPrefixed bool // --public-url is https
}

func NewCookiePolicy(publicURL string) CookiePolicy {
	u, err := url.Parse(publicURL)
	return CookiePolicy{hostPrefixed: err == nil && strings.EqualFold(u.Scheme, "https")}
}

// Name is the name a cookie has under this policy.
func (p CookiePolicy) Name(base string) string {
	if p.hostPrefixed {
		return "__Host-" + base
	}
	return base
}

// Secure tells whether a cookie set in answer to this request is Secure: always when
// the public URL is https, else when the request itself came over TLS.
func (p CookiePolicy) Secure(c echo.Context) bool { return p.hostPrefixed || c.IsTLS() }

// BrowserIdentity returns the browser's secret id, issuing a new cookie when there is
// none (or a malformed one).
func (g *Gate) BrowserIdentity(c echo.Context) uuid.UUID {
	if id, ok := g.PresentedIdentity(c); ok {
		return id
	}
	id := uuid.New()
	c.SetCookie(&http.Cookie{
		Name:     g.cookies.Name(BrowserCookie),
		Value:    id.String(),
		Path:     "/",
		MaxAge:   int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true,
		Secure:   g.cookies.Secure(c),
		SameSite: http.SameSiteLaxMode,
	})
	return id
}

// PresentedIdentity returns the browser's secret id if the request carries one, and
// issues none.
func (g *Gate) PresentedIdentity(c echo.Context) (uuid.UUID, bool) {
	ck, err := c.Cookie(g.cookies.Name(BrowserCookie))
	if err != nil {
		return uuid.Nil, false
	}
	// Only the form pokerd issues: uuid.Parse also takes braces, a urn: prefix, no
	// hyphens, and any two characters around 36 (it never checks they are braces), so
	// that many spellings would name one browser.
	if id, err := uuid.Parse(ck.Value); err == nil && id.Version() == 4 && id.String() == ck.Value {
		return id, true
	}
	return uuid.Nil, false
}

// SeatID is the player id this browser has in the room with the given code.
func SeatID(browser uuid.UUID, code string) uuid.UUID {
	return uuid.NewSHA1(browser, []byte("pokerd seat "+code))
}
