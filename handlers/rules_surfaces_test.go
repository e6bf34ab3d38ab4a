package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/wire"
	"github.com/pokerd/pokerd/openapi"
	"github.com/pokerd/pokerd/views"
)

// Every surface that offers, reads or writes the room's rules lists exactly game's
// rules (game.RoomRules), so that a rule added there shows up, or fails here, everywhere.

func ruleKeys(keep func(game.Rule) bool) []string {
	var keys []string
	for _, r := range game.RoomRules {
		if keep == nil || keep(r) {
			keys = append(keys, r.Key)
		}
	}
	return keys
}

// allRulesOn is every rule switched on.
func allRulesOn() game.RoomOptions {
	var o game.RoomOptions
	for _, r := range game.RoomRules {
		o = r.With(o, true)
	}
	return o
}

var checkboxName = regexp.MustCompile(`<input type="checkbox" name="([a-z_]+)" value="on"( checked)?`)

// checkboxes lists the checkboxes of the fieldset whose legend starts with legend, and
// those of them that are checked.
func checkboxes(t *testing.T, html, legend string) (names, checked []string) {
	t.Helper()
	start := strings.Index(html, "<legend>"+legend)
	if start < 0 {
		t.Fatalf("no fieldset %q in %s", legend, html)
	}
	part := html[start:]
	part = part[:strings.Index(part, "</fieldset>")]
	for _, m := range checkboxName.FindAllStringSubmatch(part, -1) {
		names = append(names, m[1])
		if m[2] != "" {
			checked = append(checked, m[1])
		}
	}
	return names, checked
}

func TestEverySurfaceListsGamesRules(t *testing.T) {
	every := ruleKeys(nil)
	timer := &game.RoundTimerSettings{Maximum: 5, Warning: 4}

	t.Run("the home page's create form offers every rule, checked as they were sent", func(t *testing.T) {
		for _, o := range []game.RoomOptions{game.DefaultRoomOptions(), allRulesOn()} {
			var buf bytes.Buffer
			must(t, views.Home(views.HomeData{Decks: []game.Deck{game.FibonacciDeck()}, Form: views.CreateForm{Options: o}}).Render(context.Background(), &buf))
			names, checked := checkboxes(t, buf.String(), "Room rules")
			if !slices.Equal(names, every) {
				t.Errorf("create form rules %v, want %v", names, every)
			}
			if want := ruleKeys(func(r game.Rule) bool { return r.On(o) }); !slices.Equal(checked, want) {
				t.Errorf("checked %v, want %v", checked, want)
			}
			for _, r := range game.RoomRules {
				if !strings.Contains(buf.String(), r.Label) || (r.Hint != "" && !strings.Contains(buf.String(), "("+r.Hint+")")) {
					t.Errorf("the create form lacks the words of %s", r.Key)
				}
			}
		}
	})

	t.Run("the facilitator's form offers every rule the room can have", func(t *testing.T) {
		for _, settings := range []game.GameSettings{{RoundTimer: timer, Options: allRulesOn()}, {}} {
			me := game.PlayerState{Player: game.Player{ID: uuid.New(), Username: "Ann"}, Admin: true, Connected: true}
			st := &game.State{Game: game.GameInfo{Code: "ab12", Deck: game.FibonacciDeck(), Settings: settings}, Players: []game.PlayerState{me}, Round: game.RoundVoting}
			var buf bytes.Buffer
			must(t, views.Hand(views.RoomData{State: st, Me: game.Seat{PlayerState: me}}).Render(context.Background(), &buf))
			names, checked := checkboxes(t, buf.String(), "Room rules")
			want := ruleKeys(func(r game.Rule) bool { return r.Offered(settings) })
			if !slices.Equal(names, want) {
				t.Errorf("timer %v: facilitator's rules %v, want %v", settings.RoundTimer != nil, names, want)
			}
			if wantOn := ruleKeys(func(r game.Rule) bool { return r.Offered(settings) && r.On(settings.Options) }); !slices.Equal(checked, wantOn) {
				t.Errorf("checked %v, want %v", checked, wantOn)
			}
		}
	})

	t.Run("POST /api/game reads every rule and the Game written back names it", func(t *testing.T) {
		srv := newTestServer(t)
		for _, r := range game.RoomRules {
			body := `{"name":"x","deck_id":1,"game_settings":{"round_timer_settings":{"maximum":5,"warning":4},"` + r.Key + `":true}}`
			req := httptest.NewRequest(http.MethodPost, "/api/game", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			res := httptest.NewRecorder()
			srv.ServeHTTP(res, req)
			var g struct {
				GameSettings map[string]json.RawMessage `json:"game_settings"`
			}
			if res.Code != http.StatusOK || json.Unmarshal(res.Body.Bytes(), &g) != nil {
				t.Fatalf("%s: %d %s", r.Key, res.Code, res.Body)
			}
			delete(g.GameSettings, "round_timer_settings")
			if len(g.GameSettings) != 1 || string(g.GameSettings[r.Key]) != "true" {
				t.Errorf("%s alone: game_settings %s", r.Key, res.Body)
			}
		}
		written := string(wire.AppendGame(nil, game.GameInfo{Code: "ab12", Deck: game.FibonacciDeck(), Settings: game.GameSettings{RoundTimer: timer, Options: allRulesOn()}}))
		for _, key := range every {
			if !strings.Contains(written, `"`+key+`":true`) {
				t.Errorf("the Game of a room with every rule lacks %s: %s", key, written)
			}
		}
	})

	t.Run("the OpenAPI document describes every rule where the API reads or writes rules", func(t *testing.T) {
		var doc struct {
			Components struct {
				Schemas map[string]struct {
					Properties map[string]struct {
						Type  any `json:"type"`
						Const any `json:"const"`
					} `json:"properties"`
				} `json:"schemas"`
			} `json:"components"`
		}
		must(t, json.Unmarshal(openapi.JSON(), &doc))
		for _, schema := range []string{"GameSettings", "NewGameSettings", "OptionsChange"} {
			var rules []string
			for name, p := range doc.Components.Schemas[schema].Properties {
				if p.Const == true || p.Type == "boolean" || slices.Equal(anyStrings(p.Type), []string{"boolean", "null"}) {
					rules = append(rules, name)
				}
			}
			if !sameSet(rules, every) {
				t.Errorf("%s documents the rules %v, want %v", schema, rules, every)
			}
		}
	})

	t.Run("the README documents every rule of the API", func(t *testing.T) {
		readme, err := os.ReadFile("../README.md")
		must(t, err)
		text := string(readme)
		row := regexp.MustCompile("(?m)^\\| `OPTIONS` `\\{(.*?)\\}`").FindStringSubmatch(text)
		if row == nil {
			t.Fatal("the README has no OPTIONS row")
		}
		var named []string
		for _, m := range regexp.MustCompile(`"([a-z_]+)"\?`).FindAllStringSubmatch(row[1], -1) {
			named = append(named, m[1])
		}
		if !slices.Equal(named, every) {
			t.Errorf("the README's OPTIONS names %v, want %v", named, every)
		}
		create := text[strings.Index(text, "inside `game_settings`"):]
		create = create[:strings.Index(create, "at the top level")]
		for _, key := range every {
			if !strings.Contains(create, "`"+key+"`") {
				t.Errorf("the README's game_settings lacks %s", key)
			}
		}
	})
}

func anyStrings(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
