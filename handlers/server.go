// Package handlers is pokerd's HTTP face, wired: it builds each surface (the JSON API in
// api, the WebSocket protocol in ws, the pages and actions in pages, the browsers' event
// stream in live, with the plumbing they share in web and the wire encodings in wire) and
// registers every route in one place, routes.go. Handlers are thin: parse, call the
// room, render.
package handlers

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/api"
	"github.com/pokerd/pokerd/handlers/live"
	"github.com/pokerd/pokerd/handlers/pages"
	"github.com/pokerd/pokerd/handlers/web"
	"github.com/pokerd/pokerd/handlers/ws"
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
	// Store is the rooms' event store, for its metrics and its failures; nil when the
	// rooms live in memory only.
	Store Store
}

// Store is what the HTTP surface shows of the rooms' event store: its metrics in
// /metrics, and, on the facilitator's room page, that its writes are failing.
type Store interface {
	Collector() prometheus.Collector
	// Failing is the last write failure, nil while the store is healthy.
	Failing() error
}

// Server is pokerd's HTTP handler: the surfaces, each built with what it needs, and the
// routes that lead to them (routes.go).
type Server struct {
	echo      *echo.Echo
	rooms     *game.Registry
	cors      web.CORSPolicy
	origins   web.OriginPolicy // who may change state: the API's writes, forms, sockets
	cookies   web.CookiePolicy // the cookies' names and flags (__Host-, Secure)
	formLimit int64
	log       *slog.Logger
	metrics   *web.Metrics
	faults    *web.Faults // recovered panics and limit refusals, counted and logged
	ready     web.Readiness

	api     *api.Handlers   // the JSON API
	sockets *ws.Handler     // the WebSocket API
	pages   *pages.Handlers // the browser UI: pages and actions
	streams *live.Handler   // the browsers' event streams
}

// New builds the surfaces and their routes.
func New(cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Server{
		echo:      echo.New(),
		rooms:     cfg.Rooms,
		cors:      web.NewCORSPolicy(cfg.CORSOrigins),
		cookies:   web.NewCookiePolicy(cfg.PublicURL),
		formLimit: cmp.Or(cfg.FormLimit, DefaultFormLimit),
		log:       cfg.Log,
	}
	s.origins = web.NewOriginPolicy(s.cors, cfg.PublicURL)
	s.metrics = web.NewMetrics(cfg.Version, cfg.Rooms, func() int { return s.sockets.OpenSockets() }, ws.ClientMessageTypes)
	s.faults = web.NewFaults(cfg.Log, s.metrics.Registry)
	var storeFailing func() error // nil: no store, nothing to show
	if cfg.Store != nil {
		s.metrics.Registry.MustRegister(cfg.Store.Collector())
		storeFailing = cfg.Store.Failing
	}
	gate := web.NewGate(web.GateConfig{
		Rooms: cfg.Rooms, Limits: cfg.Limits, CodeLookups: cfg.CodeLookups,
		Cookies: s.cookies, Faults: s.faults, Log: cfg.Log,
	})
	s.api = api.New(api.Deps{Rooms: cfg.Rooms, Decks: cfg.Decks, Gate: gate, Log: cfg.Log})
	s.sockets = ws.New(ws.Deps{
		Gate: gate, Origins: s.origins, Config: cfg.WS, Log: cfg.Log, Metrics: s.metrics, Faults: s.faults,
	})
	s.pages = pages.New(pages.Deps{
		Rooms: cfg.Rooms, Decks: cfg.Decks, Gate: gate, Log: cfg.Log,
		PublicURL: cfg.PublicURL, ListenAddr: cfg.ListenAddr,
		StoreFailing: storeFailing,
	})
	s.streams = live.New(live.Deps{
		Gate: gate, Log: cfg.Log, WriteTimeout: cfg.WS.WriteTimeout, Outbox: cfg.SSEOutbox,
		Metrics: s.metrics, Faults: s.faults,
	})
	s.routes(cfg.BodyLimit)
	return s
}

// ServeHTTP makes the Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// RoomPanicked logs and counts a panic that a room recovered in one of its timers (game
// reports it with its stack, through game.RegistryConfig.OnPanic): the room and the
// process carry on.
func (s *Server) RoomPanicked(v any, stack []byte) {
	s.faults.PanicWithStack(web.PanicRoom, v, stack)
}

// CloseStreams ends every long-lived connection for shutdown: WebSockets are closed with
// 1001 (going away) and the rooms' event streams end. It waits until ctx ends at most.
// Call it beside http.Server.Shutdown, which neither touches hijacked connections nor
// ends streaming responses.
func (s *Server) CloseStreams(ctx context.Context) {
	s.Drain()
	var wg sync.WaitGroup
	wg.Go(func() { s.sockets.CloseAll(ctx) })
	wg.Go(func() { s.streams.CloseAll(ctx) })
	wg.Wait()
}

// RefusedConnection counts a connection refused by a cap of LimitConnections and logs it
// at warn, rate limited, as every refusal is.
func (s *Server) RefusedConnection(limit string, attrs ...any) {
	s.faults.Refused(limit, attrs...)
}

// Drain marks the server as shutting down: /readyz answers 503 from now on. Everything
// else keeps working until CloseStreams and http.Server.Shutdown end it. Call it first
// in a graceful shutdown; CloseStreams calls it too.
func (s *Server) Drain() { s.ready.Drain() }
