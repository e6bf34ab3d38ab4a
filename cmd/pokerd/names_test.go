package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Names are cleaned the same way on every surface: what hides or reorders text is
// removed, and what is left has at most 100 characters.
func TestNamesAreCleanedOnEverySurface(t *testing.T) {
	s := startServer(t, nil)

	res := s.post(t, "/api/game", `{"name":"Sprint\u202e 42","deck_id":1,"game_settings":{}}`)
	if res.status != http.StatusOK || res.json(t)["name"] != "Sprint 42" {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	code := res.json(t)["code"].(string)

	res = s.post(t, "/api/join/"+code, `{"username":"\u2066Ann\u2069\u200b"}`)
	if res.status != http.StatusOK || res.json(t)["username"] != "Ann" {
		t.Fatalf("join: %d %s", res.status, res.body)
	}
	ann := res.json(t)["id"].(string)
	// As the reference: an empty name, and spaces kept, over the JSON API.
	for _, name := range []string{"", "\u200b", "  Bob  "} {
		res = s.post(t, "/api/join/"+code, `{"username":`+quote(name)+`}`)
		if want := strings.ReplaceAll(name, "\u200b", ""); res.status != http.StatusOK || res.json(t)["username"] != want {
			t.Errorf("join as %q: %d %s", name, res.status, res.body)
		}
	}
	if s.join(t, code, strings.Repeat("é", 100)) == "" {
		t.Fatal("a name of 100 characters was refused")
	}
	res = s.post(t, "/api/join/"+code, `{"username":`+quote(strings.Repeat("é", 101))+`}`)
	if d := decodeDetail(t, res.body); res.status != http.StatusUnprocessableEntity || d[0]["type"] != "string_too_long" {
		t.Errorf("a name of 101 characters: %d %s", res.status, res.body)
	}

	conn := s.connect(t, ann, code)
	st := conn.sync()
	if st.Game["name"] != "Sprint 42" || st.PlayerStates[ann].Player.Username != "Ann" {
		t.Errorf("STATE carries %q and %q", st.Game["name"], st.PlayerStates[ann].Player.Username)
	}
	conn.close()

	b := s.newFormClient(t)
	b.get("/join/" + code)
	res = b.post("/join/"+code, url.Values{"your_name": {"\u200b \u202e"}}, false)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(string(res.body), "Please enter your name") {
		t.Errorf("the join form took a name that is empty once cleaned: %d", res.status)
	}
	res = b.post("/join/"+code, url.Values{"your_name": {strings.Repeat("é", 101)}}, false)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(string(res.body), "at most 100 characters") {
		t.Errorf("the join form took a name of 101 characters: %d", res.status)
	}
	b.joinRoom(code, " Zoë\u2069 "+strings.Repeat("n", 95))
	page := string(b.get("/room/" + code).body)
	if !strings.Contains(page, "Zoë "+strings.Repeat("n", 95)) || strings.Contains(page, "\u2069") {
		t.Errorf("the room page does not show the cleaned name")
	}
}
