package web

import (
	"net/http"
	"sync/atomic"

	"github.com/labstack/echo/v4"
)

// What operators and orchestrators poll: liveness and readiness (the metrics are
// Metrics.Handler).

// Healthz is the liveness probe: the process serves requests. A failing probe means
// restart it.
func Healthz(c echo.Context) error { return c.String(http.StatusOK, "ok") }

// Readiness is whether the server accepts new work: it does until shutdown begins.
type Readiness struct{ draining atomic.Bool }

// Readyz is the readiness probe. From the start of shutdown it answers 503, so that a
// load balancer stops sending players here before their connections close.
func (r *Readiness) Readyz(c echo.Context) error {
	if r.draining.Load() {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "shutting down"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// Drain marks the server as shutting down: Readyz answers 503 from now on.
func (r *Readiness) Drain() { r.draining.Store(true) }
