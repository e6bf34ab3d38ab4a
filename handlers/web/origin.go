package web

import (
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
)

// OriginPolicy decides which web pages may make a visitor's browser change state here:
// create or join a game, post a page's form, open a WebSocket. Browsers say where a
// request comes from (Origin, and Sec-Fetch-Site in current ones) and pages cannot
// forge either; a request that carries neither is not a browser's page at work (curl, a
// script, a test) and passes: it could send any header it liked anyway.
//
// The content type is no defence: a page may send an untyped Blob with a no-cors fetch
// or sendBeacon, or a text/plain form that looks like JSON, all without a CORS
// preflight. So the check is on where the request comes from, whatever it carries.
type OriginPolicy struct {
	cors CORSPolicy // the origins of the API's frontends (--cors-urls and the defaults)
	// publicOrigin is the origin of --public-url ("" when it is not set): the server's own
	// origin. Without it, the request's own scheme and Host are.
	publicOrigin string
}

func NewOriginPolicy(cors CORSPolicy, publicURL string) OriginPolicy {
	return OriginPolicy{cors: cors, publicOrigin: originOf(publicURL)}
}

// originOf is the origin (scheme://host[:port], lower case, no default port) of an
// absolute http(s) URL; "" for anything else.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return ""
	}
	host := strings.ToLower(u.Host)
	if h, port, err := net.SplitHostPort(host); err == nil &&
		(scheme == "http" && port == "80" || scheme == "https" && port == "443") {
		host = h
		if strings.Contains(h, ":") {
			host = "[" + h + "]"
		}
	}
	return scheme + "://" + host
}

// ownOrigin is the server's own origin for this request: the public URL's when one is
// configured, else the scheme and Host the request arrived with (a page cannot choose
// either; a proxy that rewrites them should be given --public-url).
func (p OriginPolicy) ownOrigin(c echo.Context) string {
	if p.publicOrigin != "" {
		return p.publicOrigin
	}
	scheme := strings.ToLower(c.Scheme())
	if scheme != "http" && scheme != "https" {
		scheme = "http"
		if c.IsTLS() {
			scheme = "https"
		}
	}
	return originOf(scheme + "://" + c.Request().Host)
}

// isOwn tells whether origin, exactly as the browser sent it, is the server's own.
func (p OriginPolicy) isOwn(c echo.Context, origin string) bool {
	own := p.ownOrigin(c)
	return own != "" && origin == own
}

// forAPI tells whether origin may use the JSON API and the WebSocket: the server's own,
// or one of the CORS list (exact strings, as CORS compares them; "*" allows every one).
func (p OriginPolicy) forAPI(c echo.Context, origin string) bool {
	return p.cors.allowed(origin) || p.isOwn(c, origin)
}

// forPages tells whether origin may post the pages' forms: the server's own only. The
// CORS list names frontends of the JSON API; none of them has a reason to post our
// pages' forms, and "*" there must not open them to every site.
func (p OriginPolicy) forPages(c echo.Context, origin string) bool {
	return p.isOwn(c, origin)
}

// fromAllowedPage decides a state-changing request:
//   - Sec-Fetch-Site "same-origin" (or "none": the user typed or bookmarked it) is the
//     browser's own word that one of our pages sent it; it holds behind a proxy that
//     rewrites the Host, where the Origin could not be matched without --public-url;
//   - otherwise an Origin decides: allowed or not;
//   - "cross-site" or "same-site" without an allowed Origin is refused. A site is wider
//     than an origin: "same-site" also covers the other ports of this host (any local
//     development server) and sibling subdomains, which other people run; only the
//     origins listed are trusted;
//   - a request with neither header is not from a browser's page, and passes.
func fromAllowedPage(c echo.Context, allowed func(echo.Context, string) bool) bool {
	req := c.Request()
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	site := req.Header.Get("Sec-Fetch-Site")
	if site == "same-origin" || site == "none" {
		return true
	}
	origins := req.Header.Values(echo.HeaderOrigin)
	if len(origins) > 0 {
		return len(origins) == 1 && allowed(c, origins[0])
	}
	return site == ""
}

// errCrossOriginAPI is the answer to a write from a page of an origin that is not
// allowed.
var errCrossOriginAPI = &Error{Status: http.StatusForbidden,
	Detail: "Requests from this page's origin are refused: only the server's own origin and those in PP_CORS_URLS (--cors-urls) may change anything"}

// APIWrite refuses a state-changing API request sent by a page of an origin that is
// not allowed (403), before its body is read.
func (p OriginPolicy) APIWrite(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !fromAllowedPage(c, p.forAPI) {
			return errCrossOriginAPI
		}
		return next(c)
	}
}

// checkForm refuses a page's form post sent from another origin.
func (p OriginPolicy) checkForm(c echo.Context) error {
	if !fromAllowedPage(c, p.forPages) {
		return &Error{Status: http.StatusForbidden, Detail: "Cross-origin form posts are refused"}
	}
	return nil
}

// CheckWebSocket refuses a WebSocket handshake from a page of an origin that is not
// allowed, comparing scheme, host and port exactly. (The WebSocket library compares
// the host alone, so that https://127.0.0.1 and chrome-extension://127.0.0.1 would pass
// for http://127.0.0.1:5173.) A handshake without Origin is not a browser's and passes.
func (p OriginPolicy) CheckWebSocket(c echo.Context) error {
	origins := c.Request().Header.Values(echo.HeaderOrigin)
	if len(origins) == 0 || len(origins) == 1 && p.forAPI(c, origins[0]) {
		return nil
	}
	return &Error{Status: http.StatusForbidden, Detail: "WebSocket connections from this page's origin are refused"}
}
