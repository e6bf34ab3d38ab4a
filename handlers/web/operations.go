package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// routeOperations adds what operators and orchestrators poll: liveness, readiness and
// the metrics.
// healthz is the liveness probe: the process serves requests. A failing probe means
// restart it.
func healthz(c echo.Context) error { return c.String(http.StatusOK, "ok") }

// readyz is the readiness probe: the server accepts new work. From the start of shutdown
// it answers 503, so that a load balancer stops sending players here before their
// connections close.
func (s *Server) readyz(c echo.Context) error {
	if s.draining.Load() {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "shutting down"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// Drain marks the server as shutting down: /readyz answers 503 from now on. Everything
// else keeps working until CloseStreams and http.Server.Shutdown end it. Call it first
// in a graceful shutdown; CloseStreams calls it too.
func (s *Server) Drain() { s.draining.Store(true) }
