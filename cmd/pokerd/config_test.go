package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDecksFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}

	t.Run("a file of our own replaces the built-in decks and keeps deck 1", func(t *testing.T) {
		path := write("own.json", `[{"id":7,"name":"Hours","cards":[{"label":"1h","value":1},{"label":"4h","value":4}]}]`)
		s := startServer(t, map[string]string{"PP_DECKS": path})
		res := s.do(t, "GET", "/api/decks", "", nil)
		body := string(res.body)
		if !strings.HasPrefix(body, `[{"id":1,"name":"Fibonacci"`) || !strings.Contains(body, `{"id":7,"name":"Hours","cards":[{"label":"1h","value":1.0},{"label":"4h","value":4.0}]}`) {
			t.Fatalf("got %s", body)
		}
	})
	for _, tc := range []struct{ name, content, want string }{
		{"malformed JSON", `[{"id":1,`, "not a JSON list of decks"},
		{"a deck without cards", `[{"id":2,"name":"Empty","cards":[]}]`, "has no cards"},
		{"a duplicate id", `[{"id":2,"name":"A","cards":[{"label":"1","value":1}]},{"id":2,"name":"B","cards":[{"label":"1","value":1}]}]`, "duplicate deck id 2"},
	} {
		t.Run(tc.name+" stops start-up naming the file", func(t *testing.T) {
			path := write(strings.ReplaceAll(tc.name, " ", "_")+".json", tc.content)
			err := run(context.Background(), []string{"--addr", "127.0.0.1:0", "--decks", path}, func(string) string { return "" }, io.Discard, io.Discard, nil)
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v", err)
			}
		})
	}
	t.Run("a missing file stops start-up", func(t *testing.T) {
		err := run(context.Background(), []string{"--decks", filepath.Join(dir, "nope.json")}, func(string) string { return "" }, io.Discard, io.Discard, nil)
		if err == nil || !strings.Contains(err.Error(), "nope.json") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestVersionFlag(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"--version"}, func(string) string { return "" }, &out, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "pokerd ") {
		t.Fatalf("got %q", out.String())
	}
}

func TestFacilitatorTimeoutSetting(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	cfg, err := parseConfig(nil, env(nil), nil)
	if err != nil || cfg.facilitatorAway != 2*time.Minute {
		t.Fatalf("default %v (%v), want 2m", cfg.facilitatorAway, err)
	}
	cfg, err = parseConfig(nil, env(map[string]string{"PP_FACILITATOR_TIMEOUT": "30s"}), nil)
	if err != nil || cfg.facilitatorAway != 30*time.Second {
		t.Fatalf("from the environment %v (%v), want 30s", cfg.facilitatorAway, err)
	}
	if _, err := parseConfig([]string{"--facilitator-timeout", "-1s"}, env(nil), nil); err == nil || !strings.Contains(err.Error(), "--facilitator-timeout") {
		t.Fatalf("a negative timeout must be refused, got %v", err)
	}
}

func TestDecksFileMarksSpecialCards(t *testing.T) {
	path := filepath.Join(t.TempDir(), "decks.json")
	if err := os.WriteFile(path, []byte(`[{"id":7,"name":"Hours","cards":[{"label":"1h","value":1},{"label":"☕","value":99,"special":true}]}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, map[string]string{"PP_DECKS": path})
	res := s.do(t, "GET", "/api/decks/7", "", nil)
	// The API keeps the reference's card shape; the mark only changes our own results.
	if want := `{"id":7,"name":"Hours","cards":[{"label":"1h","value":1.0},{"label":"☕","value":99.0}]}`; string(res.body) != want {
		t.Fatalf("got %s", res.body)
	}
}
