package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// routeOperations adds what operators and orchestrators poll: liveness, readiness and
// the metrics.
func (s *Server) routeOperations(e *echo.Echo) {
	getOrHead := []string{http.MethodGet, http.MethodHead}
	// Alive: the process serves requests. A failing probe means restart it.
	e.Match(getOrHead, "/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	// Ready: the server accepts new work. From the start of shutdown it answers 503, so
	// that a load balancer stops sending players here before their connections close.
	e.Match(getOrHead, "/readyz", func(c echo.Context) error {
		if s.draining.Load() {
			return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "shutting down"})
		}
		return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
	})
	e.Match(getOrHead, "/metrics", s.metrics.handler())
}

// Drain marks the server as shutting down: /readyz answers 503 from now on. Everything
// else keeps working until CloseStreams and http.Server.Shutdown end it. Call it first
// in a graceful shutdown; CloseStreams calls it too.
func (s *Server) Drain() { s.draining.Store(true) }
