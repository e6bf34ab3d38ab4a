package handlers

import (
	"net"

	"github.com/pokerd/pokerd/handlers/live"
	"github.com/pokerd/pokerd/handlers/web"
	"github.com/pokerd/pokerd/handlers/ws"
)

// The settings main gives Config, and their defaults, named where main finds them: each
// is defined by the package that applies it.

type (
	// WSConfig bounds what one WebSocket connection may cost the server.
	WSConfig = ws.Config
	// Limits are the per-client limits and the trusted proxies.
	Limits = web.Limits
	// CodeLookupLimits bound the room codes a client may try that lead nowhere.
	CodeLookupLimits = web.CodeLookupLimits
	// ConnectionLimits cap the TCP connections of LimitConnections.
	ConnectionLimits = web.ConnectionLimits
	// TrustedProxies are the proxies whose X-Forwarded-For names the client.
	TrustedProxies = web.TrustedProxies
)

var (
	// DefaultWSConfig is what pokerd uses unless told otherwise.
	DefaultWSConfig = ws.DefaultConfig
	// DefaultLimits are the per-client limits unless told otherwise.
	DefaultLimits = web.DefaultLimits
	// DefaultCodeLookupLimits allow ten room codes in a row that lead nowhere.
	DefaultCodeLookupLimits = web.DefaultCodeLookupLimits
	// DefaultCORSOrigins are the origins the API always allows (the Vue frontend's dev
	// server among them).
	DefaultCORSOrigins = web.DefaultCORSOrigins
)

const (
	// DefaultFormLimit is the largest body a page's form may send.
	DefaultFormLimit = web.DefaultFormLimit
	// DefaultSSEOutbox is how many messages may wait for one browser's event stream
	// before the browser is dropped as too slow.
	DefaultSSEOutbox = live.DefaultOutbox
)

// ParseOrigins reads a comma-separated list of origins (PP_CORS_URLS).
func ParseOrigins(list string) []string { return web.ParseOrigins(list) }

// ParseTrustedProxies reads a comma-separated list of proxy addresses and networks.
func ParseTrustedProxies(text string) (TrustedProxies, error) { return web.ParseTrustedProxies(text) }

// LimitConnections caps the TCP connections inner accepts, per address and in all;
// refused is told of each connection refused (Server.RefusedConnection).
func LimitConnections(inner net.Listener, limits ConnectionLimits, refused func(limit string, attrs ...any)) net.Listener {
	return web.LimitConnections(inner, limits, refused)
}
