package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/handlers/internal/allocs"
)

func FuzzBrowserIdentity(f *testing.F) {
	for _, c := range []string{
		"", "pokerd_browser=5b1e7c2a-1111-4222-8333-444455556666", "pokerd_browser=5b1e7c2a-1111-1222-8333-444455556666",
		"pokerd_browser=" + strings.Repeat("a", 300), "pokerd_browser=; pokerd_browser=5b1e7c2a-1111-4222-8333-444455556666",
		"a=b; " + strings.Repeat("x=y; ", 50), "pokerd_browser={5b1e7c2a-1111-4222-8333-444455556666}",
		"pokerd_browser=urn:uuid:5b1e7c2a-1111-4222-8333-444455556666", "pokerd_browser=\"5b1e7c2a-1111-4222-8333-444455556666\"",
	} {
		f.Add(c)
	}
	g := NewGate(GateConfig{Limits: DefaultLimits})
	e := echo.New()
	f.Fuzz(func(t *testing.T, cookie string) {
		var id uuid.UUID
		var rec *httptest.ResponseRecorder
		allocs.Bounded(t, len(cookie), 256<<10, 64, func() {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.Header.Set("Cookie", cookie)
			rec = httptest.NewRecorder()
			id = g.BrowserIdentity(e.NewContext(req, rec))
		})
		if id.Version() != 4 {
			t.Fatalf("identity %s from %q is not a UUID v4", id, cookie)
		}
		set := rec.Result().Cookies()
		if len(set) > 1 || (len(set) == 1 && (set[0].Value != id.String() || len(rec.Header().Get("Set-Cookie")) > 200)) {
			t.Fatalf("issued %v for %s", set, id)
		}
		if len(set) == 0 && !strings.Contains(cookie, id.String()) {
			t.Fatalf("identity %s was read from %q, which does not carry it", id, cookie)
		}
	})
}
