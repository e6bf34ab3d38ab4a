package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// apiClient speaks the public JSON API, as the Vue frontend does.
type apiClient struct {
	base string
	http *http.Client
}

// newTransport is shared by every HTTP client of a run: many concurrent requests to one
// host would otherwise open and close a connection each.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 256
	return t
}

func newAPIClient(base string, transport http.RoundTripper) *apiClient {
	return &apiClient{base: base, http: &http.Client{Transport: transport, Timeout: 30 * time.Second}}
}

// createGame opens a game with deck 1 and no timer and returns its code.
func (c *apiClient) createGame(ctx context.Context, name string) (string, error) {
	var game struct {
		Code string `json:"code"`
	}
	body := map[string]any{"name": name, "deck_id": 1, "game_settings": map[string]any{}}
	if err := c.postJSON(ctx, "/api/game", body, &game); err != nil {
		return "", fmt.Errorf("create game: %w", err)
	}
	if game.Code == "" {
		return "", fmt.Errorf("create game: no code in the answer")
	}
	return game.Code, nil
}

// join seats a player in the game and returns the player's id.
func (c *apiClient) join(ctx context.Context, code, username string) (string, error) {
	var p struct {
		ID string `json:"id"`
	}
	if err := c.postJSON(ctx, "/api/join/"+code, map[string]any{"username": username}, &p); err != nil {
		return "", fmt.Errorf("join %s: %w", code, err)
	}
	if len(p.ID) != 36 {
		return "", fmt.Errorf("join %s: player id %q is not a UUID", code, p.ID)
	}
	return p.ID, nil
}

func (c *apiClient) postJSON(ctx context.Context, path string, body, answer any) error {
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(data))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	got, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %d: %s", path, res.StatusCode, bytes.TrimSpace(got))
	}
	return json.Unmarshal(got, answer)
}
