package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// DefaultCORSOrigins are the origins the reference backend allows: the Vue frontend's
// development server and its preview on port 80.
var DefaultCORSOrigins = []string{"http://127.0.0.1", "http://127.0.0.1:5173"}

const corsAllowMethods = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"

// CORSPolicy answers cross-origin requests as the reference's middleware does: exact
// origin matches, credentials allowed, every method and header allowed.
type CORSPolicy struct {
	origins  map[string]bool
	allowAll bool // "*" was listed
}

func NewCORSPolicy(origins []string) CORSPolicy {
	p := CORSPolicy{origins: map[string]bool{}}
	for _, o := range origins {
		if o == "*" {
			p.allowAll = true
		}
		p.origins[o] = true
	}
	return p
}

func (p CORSPolicy) allowed(origin string) bool { return p.allowAll || p.origins[origin] }

func (p CORSPolicy) Middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req, h := c.Request(), c.Response().Header()
		origin := req.Header.Get(echo.HeaderOrigin)
		if origin == "" {
			return next(c)
		}
		h.Add(echo.HeaderVary, echo.HeaderOrigin)
		ok := p.allowed(origin)
		preflight := req.Method == http.MethodOptions && req.Header.Get(echo.HeaderAccessControlRequestMethod) != ""
		if preflight {
			if !ok {
				return c.String(http.StatusBadRequest, "Disallowed CORS origin")
			}
			p.allowOrigin(h, origin)
			h.Set(echo.HeaderAccessControlAllowMethods, corsAllowMethods)
			if requested := req.Header.Get(echo.HeaderAccessControlRequestHeaders); requested != "" {
				h.Set(echo.HeaderAccessControlAllowHeaders, requested)
			}
			h.Set(echo.HeaderAccessControlMaxAge, "600")
			return c.String(http.StatusOK, "OK")
		}
		if ok {
			p.allowOrigin(h, origin)
		}
		return next(c)
	}
}

func (p CORSPolicy) allowOrigin(h http.Header, origin string) {
	h.Set(echo.HeaderAccessControlAllowOrigin, origin)
	h.Set(echo.HeaderAccessControlAllowCredentials, "true")
}

// ParseOrigins splits a comma-separated list of origins, trimming spaces.
func ParseOrigins(list string) []string {
	var out []string
	for _, o := range strings.Split(list, ",") {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, o)
		}
	}
	return out
}
