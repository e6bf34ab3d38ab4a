package handlers

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"
)

// serveUntilTestEnds runs s on a loopback test server until the test ends, then closes its event
// streams (which would otherwise hold the test server's Close) and the server.
func serveUntilTestEnds(t *testing.T, s *Server) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.CloseStreams(ctx)
		srv.Close()
	})
	return srv
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
