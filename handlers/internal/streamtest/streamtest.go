// Package streamtest reads a room's event stream as a browser does, for tests.
package streamtest

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pokerd/pokerd/handlers/web"
)

// Updates reads a room's event stream at url, as the browser with the given identity
// cookie, and hands over each update's data until the test ends.
func Updates(t testing.TB, url, browser string) <-chan string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	req.AddCookie(&http.Cookie{Name: web.BrowserCookie, Value: browser})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("events: %d", res.StatusCode)
	}
	updates := make(chan string, 64)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(updates)
		lines := bufio.NewReader(res.Body)
		var event, data string
		for {
			line, err := lines.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimSuffix(line, "\n")
			switch {
			case line == "" && event == "update":
				updates <- data
				event, data = "", ""
			case line == "":
				event, data = "", ""
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				data += strings.TrimPrefix(line, "data: ") + "\n"
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		res.Body.Close()
		for range updates { // let the reader finish
		}
		<-done
	})
	return updates
}

// Next is the next update, or the test fails after 5 s.
func Next(t testing.TB, updates <-chan string) string {
	t.Helper()
	select {
	case d, ok := <-updates:
		if !ok {
			t.Fatal("the stream ended")
		}
		return d
	case <-time.After(5 * time.Second):
		t.Fatal("no update within 5s")
	}
	return ""
}
