package web

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// DefaultFormLimit is the largest body a page's form may send: the largest form pokerd
// has (a new room with twenty custom cards) is well under 2 KiB.
const DefaultFormLimit = 8 << 10

// FormMIME is the only body a page's form may have: url-encoded, the kind that is read
// into memory. Multipart, which the standard library spills to temporary files, is
// refused before a byte of it is read.
const FormMIME = "application/x-www-form-urlencoded"

// NewCSRF is the double-submit CSRF check of the browser UI: the token is in a cookie of
// its own and must come back in the X-CSRF-Token header (htmx) or the _csrf field
// (plain forms). On GET it only issues the token. The cookie is named and marked by
// cookies (__Host- and Secure behind an https public URL).
func NewCSRF(cookies CookiePolicy) echo.MiddlewareFunc {
	return middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "header:X-CSRF-Token,form:_csrf",
		CookieName:     cookies.Name(csrfCookie),
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   cookies.hostPrefixed,
		CookieSameSite: http.SameSiteLaxMode,
		ErrorHandler: func(error, echo.Context) error {
			return &Error{Status: http.StatusForbidden, Detail: "The form has expired: reload the page and try again"}
		},
	})
}

// GuardForm checks a page's form post before anything reads its body: that a browser
// sent it from one of our own pages (403, from the Sec-Fetch-Site and Origin headers
// browsers set: OriginPolicy), whatever its type; its declared size (413); its type
// (415: url-encoded only). The body is then capped at limit bytes however it is sent,
// so that the CSRF token, read from the form, costs at most that much memory and never
// a file.
func GuardForm(limit int64, origins OriginPolicy, csrf echo.MiddlewareFunc) echo.MiddlewareFunc {
	tooLarge := &Error{Status: http.StatusRequestEntityTooLarge, Detail: "Request body too large: a form has at most " + strconv.FormatInt(limit, 10) + " bytes"}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		checked := csrf(next)
		return func(c echo.Context) error {
			req := c.Request()
			if err := origins.checkForm(c); err != nil {
				return err
			}
			if req.ContentLength > limit {
				return tooLarge
			}
			if !isFormBody(req) {
				return &Error{Status: http.StatusUnsupportedMediaType, Detail: "A form is sent as " + FormMIME}
			}
			req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
			if err := req.ParseForm(); err != nil {
				if _, over := err.(*http.MaxBytesError); over {
					return tooLarge
				}
				return &Error{Status: http.StatusBadRequest, Detail: "The form could not be read"}
			}
			return checked(c)
		}
	}
}

// isFormBody accepts a url-encoded body, or no type at all for an empty one (a form with
// no fields, as some clients send it).
func isFormBody(req *http.Request) bool {
	ct := req.Header.Get(echo.HeaderContentType)
	if ct == "" {
		return req.ContentLength == 0
	}
	mediaType, _, err := mime.ParseMediaType(ct)
	return err == nil && mediaType == FormMIME
}
