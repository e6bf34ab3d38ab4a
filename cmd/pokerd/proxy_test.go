package main

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// A reverse proxy that buffers responses would hold a room's events back until its
// buffer fills: the stream asks it not to.
func TestEventStreamAsksProxiesNotToBuffer(t *testing.T) {
	s := startServer(t, nil)
	ann := s.newFormClient(t)
	code := ann.createRoom("Proxied", "Ann")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/room/"+code+"/events", nil)
	res, err := ann.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("X-Accel-Buffering") != "no" {
		t.Fatalf("events: %d, X-Accel-Buffering %q", res.StatusCode, res.Header.Get("X-Accel-Buffering"))
	}
}
