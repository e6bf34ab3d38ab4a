// Package handlers adapts HTTP, WebSocket and page requests to the game domain. Handlers
// are thin: parse, call the room, render.
package handlers

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
)

// Config is what the HTTP surface needs from main.
type Config struct {
	Rooms       *game.Registry
	Decks       game.DeckDB
	CORSOrigins []string // every allowed origin, defaults included
	BodyLimit   int64    // largest request body, in bytes
	FormLimit   int64    // largest body of a page's form, in bytes (0: DefaultFormLimit)
	WS          WSConfig
	Limits      Limits // per-client limits and the trusted proxies
	// CodeLookups limits the room codes a client may try that lead nowhere.
	CodeLookups CodeLookupLimits
	Log         *slog.Logger
	Version     string // the build's, shown by pokerd_build_info
	// SSEOutbox is how many messages may wait for one browser's event stream before it
	// is dropped as too slow (DefaultSSEOutbox when 0).
	SSEOutbox int
	// Input: the base of the links people share (absolute http(s) URL; "" to use the
	// request's Host when well formed) and the listen address, the fallback for a Host
	// that is not.
	PublicURL  string
	ListenAddr string
}

// Server is pokerd's HTTP handler.
type Server struct {
	echo             *echo.Echo
	rooms            *game.Registry
	decks            game.DeckDB
	cors             corsPolicy
	crossOriginGuard originPolicy // who may change state: the API's writes, forms, sockets
	ws               WSConfig
	formLimit        int64
	log              *slog.Logger
	sockets          sockets
	streams          *roomStreams
	docs             apiDocs
	metrics          *metrics
	faults           *faults     // recovered panics and limit refusals, counted and logged
	draining         atomic.Bool // shutdown has begun: /readyz answers 503

	limits      *clientLimits // what one client may open and hold
	lookups     *codeLookups  // the room codes each client tried that led nowhere
	testWSFault wsFaultHook   // tests only: called in a socket's goroutines, to make them panic
	shareLinks  shareLinks
	cookies     cookiePolicy // the cookies' names and flags (__Host-, Secure)
}

// New builds the routes and middleware.
func New(cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Server{
		echo:      echo.New(),
		rooms:     cfg.Rooms,
		decks:     cfg.Decks,
		cors:      newCORSPolicy(cfg.CORSOrigins),
		ws:        cfg.WS,
		formLimit: cmp.Or(cfg.FormLimit, DefaultFormLimit),
		log:       cfg.Log,
		docs:      newAPIDocs(),
	}
	s.limits = newClientLimits(cfg.Limits)
	s.lookups = newCodeLookups(cfg.CodeLookups, cfg.Limits.TrackedClients)
	s.shareLinks = newShareLinks(cfg.PublicURL, cfg.ListenAddr)
	s.crossOriginGuard = newOriginPolicy(s.cors, cfg.PublicURL)
	s.cookies = newCookiePolicy(cfg.PublicURL)
	s.metrics = newMetrics(cfg.Version, cfg.Rooms, s.sockets.count)
	s.faults = newFaults(cfg.Log, s.metrics.registry)
	if cfg.SSEOutbox <= 0 {
		cfg.SSEOutbox = DefaultSSEOutbox
	}
	s.streams = newRoomStreams(cfg.Log, cfg.WS.WriteTimeout, cfg.SSEOutbox, s.metrics, s.faults)
	s.routes(cfg.BodyLimit)
	return s
}

// ServeHTTP makes the Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// RoomPanicked logs and counts a panic that a room recovered in one of its timers (game
// reports it with its stack, through game.RegistryConfig.OnPanic): the room and the
// process carry on.
func (s *Server) RoomPanicked(v any, stack []byte) {
	s.faults.panicWithStack(panicRoom, v, stack)
}

// CloseStreams ends every long-lived connection for shutdown: WebSockets are closed with
// 1001 (going away) and the rooms' event streams end. It waits until ctx ends at most.
// Call it beside http.Server.Shutdown, which neither touches hijacked connections nor
// ends streaming responses.
func (s *Server) CloseStreams(ctx context.Context) {
	s.Drain()
	var wg sync.WaitGroup
	wg.Go(func() { s.sockets.closeAll(ctx) })
	wg.Go(func() { s.streams.closeAll(ctx) })
	wg.Wait()
}

// contentSecurityPolicy allows scripts, styles and connections from our own origin only:
// no inline script can run, whatever a user types into a name.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		return next(c)
	}
}

// RefusedConnection counts a connection refused by a cap of LimitConnections and logs it
// at warn, rate limited, as every refusal is.
func (s *Server) RefusedConnection(limit string, attrs ...any) {
	s.faults.refused(limit, attrs...)
}
