package pages

import (
	"net"
	"net/netip"
	"strings"

	"github.com/labstack/echo/v4"
)

// shareLinks builds the links people share to seat others in a room (the room page's
// link and its QR code). The request's Host is not trusted for them: anyone can send a
// Host that is too long for a QR code or that points elsewhere. A configured public URL
// always wins; without one, a well-formed Host is used, and any other falls back to the
// address the server listens on.
type shareLinks struct {
	publicURL string // scheme://host[/path], without a trailing slash; "" when not set
	fallback  string // host[:port] of the listen address
}

// maxHostLength bounds a Host we put in a link: a DNS name (253) and a port.
const maxHostLength = 253 + len(":65535")

func newShareLinks(publicURL, listenAddr string) shareLinks {
	return shareLinks{publicURL: strings.TrimRight(publicURL, "/"), fallback: hostOfListenAddr(listenAddr)}
}

// hostOfListenAddr is the host[:port] a link can use for a listen address such as
// ":8000" or "0.0.0.0:8000", which name every interface: localhost then.
func hostOfListenAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "localhost"
	}
	if ip, err := netip.ParseAddr(host); host == "" || (err == nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// shareURL is the link that seats a new player in the room.
func (s *Handlers) shareURL(c echo.Context, code string) string {
	l := s.shareLinks
	if l.publicURL != "" {
		return l.publicURL + "/join/" + code
	}
	host := c.Request().Host
	if !wellFormedHost(host) {
		host = l.fallback
	}
	// Echo reads the scheme from X-Forwarded-Proto and its kin, which anyone can send.
	scheme := strings.ToLower(c.Scheme())
	if scheme != "http" && scheme != "https" {
		scheme = "http"
		if c.IsTLS() {
			scheme = "https"
		}
	}
	return scheme + "://" + host + "/join/" + code
}

// hostCharacters are those of DNS names (and of IPv4 addresses), with the underscore
// that some internal names carry.
const hostCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"

// wellFormedHost accepts a DNS name or an IP address (IPv6 in brackets), with an
// optional port, of a length that fits a link.
func wellFormedHost(hostport string) bool {
	if hostport == "" || len(hostport) > maxHostLength {
		return false
	}
	host, port := hostport, ""
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 && !strings.HasSuffix(hostport, "]") {
		host, port = hostport[:i], hostport[i+1:]
		if port == "" || len(port) > 5 || strings.Trim(port, "0123456789") != "" {
			return false
		}
	}
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		ip, err := netip.ParseAddr(host[1 : len(host)-1])
		return err == nil && ip.Is6() && ip.Zone() == ""
	}
	for label := range strings.SplitSeq(strings.TrimSuffix(host, "."), ".") {
		if label == "" || len(label) > 63 || strings.Trim(label, hostCharacters) != "" {
			return false
		}
	}
	return true
}
