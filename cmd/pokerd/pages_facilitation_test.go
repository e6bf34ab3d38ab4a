package main

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pokerd/pokerd/views"
)

// createWith opens a room from the home page's form with extra fields and returns its code.
func (b *formClient) createWith(you string, fields url.Values) string {
	b.t.Helper()
	b.get("/")
	form := url.Values{"room_name": {"Facilitated"}, "your_name": {you}, "deck_id": {"1"}}
	for k, v := range fields {
		form[k] = v
	}
	res := b.post("/rooms", form, false)
	loc := res.header.Get("Location")
	if res.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/room/") {
		b.t.Fatalf("create: %d %s %s", res.status, loc, res.body)
	}
	return strings.TrimPrefix(loc, "/room/")
}

// page is the text of a room page, read fresh (which also refreshes the CSRF token).
func (b *formClient) page(code string) string {
	b.t.Helper()
	res := b.get("/room/" + code)
	if res.status != http.StatusOK {
		b.t.Fatalf("room page: %d %s", res.status, res.header.Get("Location"))
	}
	return string(res.body)
}

// playerAliasOf finds a player's alias on a room page by their name: pages name every
// player by alias, never by id.
func playerAliasOf(t *testing.T, page, name string) string {
	t.Helper()
	m := regexp.MustCompile(`data-testid="player-([0-9a-f-]{36})"[^>]*><div class="slot[^"]*"[^>]*>(?:[^<]|<span[^>]*>[^<]*</span>)*</div><div class="who"><div class="name" data-testid="player-name">` + regexp.QuoteMeta(name) + `<`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no player %s on the page", name)
	}
	return m[1]
}

func connectedOnPage(page, alias string) bool {
	return strings.Contains(page, `data-testid="player-`+alias+`" data-voted="false" data-connected="true"`) ||
		strings.Contains(page, `data-testid="player-`+alias+`" data-voted="true" data-connected="true"`)
}

func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Fatalf("%s lacks %s:\n%s", what, want, body)
		}
	}
}

func TestCreateFormWithRulesCapacityAndCustomCards(t *testing.T) {
	s := startServer(t, nil)
	ann := s.newFormClient(t)

	t.Run("the room plays with the typed cards and shows its rules", func(t *testing.T) {
		code := ann.createWith("Ann", url.Values{
			"deck_id": {"custom"}, "custom_cards": {"XS, S, M, L, XL"}, "max_players": {"2"},
			"auto_reveal": {"on"}, "facilitator_free": {"on"}, "hide_names": {"on"},
		})
		page := ann.page(code)
		mustContain(t, "the room page", page,
			`data-testid="card-XS"`, `data-testid="card-XL"`,
			"cards are revealed when everyone has voted", "anyone may start rounds and reveal",
			"cards are shown without names", "room for 2 players",
			`name="auto_reveal" value="on" checked`, `name="hide_names" value="on" checked`)
		if strings.Contains(page, `data-testid="card-1/2"`) {
			t.Fatal("the room has the default deck's cards")
		}

		bob := s.newFormClient(t)
		bob.joinRoom(code, "Bob")
		carol := s.newFormClient(t)
		carol.get("/join/" + code)
		res := carol.post("/join/"+code, url.Values{"your_name": {"Carol"}}, false)
		if res.status != http.StatusConflict {
			t.Fatalf("a third player in a room for two: %d", res.status)
		}
		mustContain(t, "the join page", string(res.body), `data-testid="join-error">This room is full.`, "room for 2 players", `value="Carol"`)
	})
	t.Run("typed cards that cannot make a deck are explained and kept", func(t *testing.T) {
		ann.get("/")
		res := ann.post("/rooms", url.Values{"your_name": {"Ann"}, "deck_id": {"custom"}, "custom_cards": {"only-one"}, "max_players": {"7"}, "hide_names": {"on"}}, false)
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("got %d", res.status)
		}
		mustContain(t, "the home page", string(res.body), "type at least two cards", `value="only-one"`, `value="custom" checked`, `value="7"`, `name="hide_names" value="on" checked`)
	})
	t.Run("a capacity that is not a number of players is refused", func(t *testing.T) {
		ann.get("/")
		res := ann.post("/rooms", url.Values{"your_name": {"Ann"}, "deck_id": {"1"}, "max_players": {"0"}}, false)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(string(res.body), "The most players is a whole number") {
			t.Fatalf("got %d", res.status)
		}
	})
	t.Run("reveal on timer needs a timer", func(t *testing.T) {
		ann.get("/")
		res := ann.post("/rooms", url.Values{"your_name": {"Ann"}, "deck_id": {"1"}, "reveal_on_timer": {"on"}}, false)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(string(res.body), "needs a round timer") {
			t.Fatalf("got %d %s", res.status, res.body)
		}
	})
}

func TestFacilitatorInTheBrowser(t *testing.T) {
	s := startServer(t, nil)
	ann := s.newFormClient(t)
	code := ann.createWith("Ann", url.Values{"timer": {"on"}, "timer_max": {"5"}, "timer_warn": {"4"}})
	bob := s.newFormClient(t)
	bob.joinRoom(code, "Bob")
	bobStream := bob.openEvents(code, "")
	bobStream.next()
	annStream := ann.openEvents(code, "")
	annStream.next()
	bobAlias := playerAliasOf(t, ann.page(code), "Bob")
	annAlias := playerAliasOf(t, ann.page(code), "Ann")

	t.Run("the facilitator changes the rules; a player is refused with the reason", func(t *testing.T) {
		ann.page(code)
		hand := string(ann.post("/room/"+code+"/options", url.Values{"auto_reveal": {"on"}, "reveal_on_timer": {"on"}}, true).body)
		mustContain(t, "the facilitator's hand", hand, `name="auto_reveal" value="on" checked`, `name="reveal_on_timer" value="on" checked`)
		annStream.until("cards are revealed when time is up")
		bob.page(code)
		hand = string(bob.post("/room/"+code+"/options", url.Values{}, true).body)
		mustContain(t, "Bob's hand", hand, `data-testid="hand-error">only the facilitator may do that`)
		if strings.Contains(hand, "options-form") {
			t.Fatal("Bob has the rules form")
		}
	})
	t.Run("a plain form post without the token is refused", func(t *testing.T) {
		res := ann.post("/room/"+code+"/options", url.Values{"_csrf": {"forged"}}, false)
		if res.status != http.StatusForbidden {
			t.Fatalf("got %d", res.status)
		}
	})
	t.Run("everyone has voted: the round says so and the reveal button is highlighted", func(t *testing.T) {
		ann.page(code)
		ann.post("/room/"+code+"/options", url.Values{"reveal_on_timer": {"on"}}, true) // auto-reveal off again
		ann.post("/room/"+code+"/start", url.Values{"ticket": {"https://tracker.example.com/PP-5"}}, true)
		// A new round is sent whole, with its timer, and tells the facilitator's page
		// which hand to show.
		d := annStream.until(`data-round="VOTING"`)
		mustContain(t, "the new round's update", d, `data-deadline="20`, `data-testid="timer-reveal"`,
			`id="hand-sync" hx-swap-oob="true" hidden data-hand-key="VOTING.1.facilitator.`)
		ann.post("/room/"+code+"/vote", url.Values{"value": {"3"}}, true)
		bob.page(code)
		bob.post("/room/"+code+"/vote", url.Values{"value": {"8"}}, true)
		// The last vote is Bob's row and the tally, which says everyone has voted (the
		// page lights the reveal button from it): no new hand for anyone.
		d = annStream.until(`data-testid="everyone-voted"`)
		mustContain(t, "the last vote's update", d, "Everyone has voted", `id="tally" class="tally" hx-swap-oob="true" data-everyone-voted="true"`,
			`data-testid="player-`+bobAlias+`" data-voted="true"`)
		if strings.Contains(d, `id="hand-sync"`) || strings.Contains(d, `id="round"`) {
			t.Errorf("the last vote's update sends more than the row and the tally:\n%s", d)
		}
		mustContain(t, "the facilitator's hand", string(ann.get("/room/"+code+"/hand").body), `class="btn btn-primary btn-ready"`)
	})
	t.Run("the reveal shows the results to everyone, and the facilitator records the estimate", func(t *testing.T) {
		ann.page(code)
		ann.post("/room/"+code+"/reveal", nil, true)
		d := bobStream.until(`data-testid="results"`)
		mustContain(t, "the update", d, `data-testid="result-average">5.5</dd>`, `data-testid="result-consensus" data-consensus="false">No agreement: every vote is on a different card`,
			`data-testid="chart-bar" data-card="8" data-count="1"`, `data-testid="record-round" data-round="1"`)
		hand := string(ann.get("/room/" + code + "/hand").body)
		mustContain(t, "the facilitator's hand", hand, `data-testid="estimate-form"`, `value="5" hx-preserve="true" data-testid="estimate-input"`, `data-testid="record-download-csv"`)
		bob.page(code)
		if hand := string(bob.post("/room/"+code+"/estimate", url.Values{"round": {"1"}, "estimate": {"13"}}, true).body); !strings.Contains(hand, "only the facilitator may do that") {
			t.Fatalf("Bob set the estimate: %s", hand)
		}
		ann.page(code)
		ann.post("/room/"+code+"/estimate", url.Values{"round": {"1"}, "estimate": {"8"}}, true)
		mustContain(t, "the room page", bob.page(code), `data-testid="record-estimate">8</span>`, "https://tracker.example.com/PP-5")
	})
	t.Run("the session record downloads for the facilitator only", func(t *testing.T) {
		res := bob.get("/room/" + code + "/record.csv")
		if res.status != http.StatusForbidden {
			t.Fatalf("Bob downloaded the record: %d", res.status)
		}
		mustContain(t, "the 403 page", string(res.body), "Only the facilitator may download the session record", `data-testid="room-name"`)

		res = ann.get("/room/" + code + "/record.csv")
		if res.status != http.StatusOK || res.header.Get("Content-Disposition") != `attachment; filename="pokerd-`+code+`-record.csv"` || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("csv: %d %v", res.status, res.header)
		}
		rows, err := csv.NewReader(strings.NewReader(string(res.body))).ReadAll()
		if err != nil || len(rows) != 3 || rows[0][0] != "round" {
			t.Fatalf("csv rows: %v %v", rows, err)
		}
		res = ann.get("/room/" + code + "/record.json")
		var rec any
		if res.status != http.StatusOK || !strings.Contains(res.header.Get("Content-Disposition"), `filename="pokerd-`+code+`-record.json"`) || json.Unmarshal(res.body, &rec) != nil {
			t.Fatalf("json: %d %v %s", res.status, res.header, res.body)
		}
	})
	t.Run("the role goes only to a player who is here", func(t *testing.T) {
		carol := s.newFormClient(t)
		carol.joinRoom(code, "Carol")
		carolAlias := playerAliasOf(t, ann.page(code), "Carol")
		people := string(ann.get("/room/" + code + "/people").body)
		if strings.Contains(people, "handoff-"+carolAlias) || !strings.Contains(people, "remove-"+carolAlias) || !strings.Contains(people, "handoff-"+bobAlias) || strings.Contains(people, "remove-"+annAlias) {
			t.Fatalf("handoff offered to an offline player, or removal missing:\n%s", people)
		}
		people = string(ann.post("/room/"+code+"/handoff", url.Values{"player": {carolAlias}}, true).body)
		mustContain(t, "Ann's list of players", people, "Carol is offline", `data-testid="people-error"`)
	})
	t.Run("the forms take aliases: a player's id, or an alias of nobody here, is refused plainly", func(t *testing.T) {
		// Dave plays over the API: his id is his own, the page shows his alias.
		daveID := s.join(t, code, "Dave")
		dave := s.connect(t, daveID, code)
		daveAlias := playerAliasOf(t, ann.page(code), "Dave")
		if daveAlias == daveID {
			t.Fatal("the page shows Dave's id")
		}
		for _, action := range []string{"handoff", "remove"} {
			for _, named := range []string{daveID, "6f1c2a54-3b1e-4c7a-9d2f-0a6b8e4c1d37"} {
				people := string(ann.post("/room/"+code+"/"+action, url.Values{"player": {named}}, true).body)
				mustContain(t, "Ann's list of players after "+action+" of "+named, people,
					`data-testid="people-error">That player is not in this room any more<`, `data-testid="handoff-`+daveAlias+`"`)
			}
		}
		st := dave.sync()
		if ps := st.PlayerStates[daveID]; ps.IsAdmin || !ps.IsConnected || len(st.PlayerStates) != 4 {
			t.Fatalf("the refused forms changed the room: %+v", st.PlayerStates)
		}
		people := string(ann.post("/room/"+code+"/remove", url.Values{"player": {daveAlias}}, true).body)
		if strings.Contains(people, daveAlias) || strings.Contains(people, "people-error") {
			t.Fatalf("Dave is still listed after his removal by alias:\n%s", people)
		}
		if code, _ := dave.closeStatus(); code == 0 {
			t.Fatal("Dave's socket stayed open after his removal")
		}
	})
	t.Run("the facilitator hands the role to Bob, whose hand gets the controls", func(t *testing.T) {
		people := string(ann.post("/room/"+code+"/handoff", url.Values{"player": {bobAlias}}, true).body)
		if !strings.Contains(people, `id="people" hidden`) {
			t.Fatalf("Ann kept the list of players:\n%s", people)
		}
		if strings.Contains(string(ann.get("/room/"+code+"/hand").body), `data-testid="facilitator"`) {
			t.Fatal("Ann kept the controls")
		}
		// Bob's page is told that his hand is now the facilitator's.
		bobStream.until(`id="hand-sync" hx-swap-oob="true" hidden data-hand-key="REVEALED.1.facilitator.`)
		mustContain(t, "Bob's hand", string(bob.get("/room/"+code+"/hand").body), `data-testid="facilitator"`, `data-testid="options-form"`)
		mustContain(t, "Bob's list of players", string(bob.get("/room/"+code+"/people").body), "remove-"+annAlias)
		if res := ann.get("/room/" + code + "/record.json"); res.status != http.StatusForbidden {
			t.Fatalf("Ann still downloads the record: %d", res.status)
		}
	})
	t.Run("a removed player is sent to the join page with a note, and may join again", func(t *testing.T) {
		bob.page(code)
		bob.post("/room/"+code+"/remove", url.Values{"player": {annAlias}}, true)
		// Ann's page is told that she has no hand any more: it fetches it, and is sent
		// to the join page.
		annStream.until(`id="hand-sync" hx-swap-oob="true" hidden data-hand-key="` + views.HandGone + `"`)
		hand := ann.getHTMX("/room/" + code + "/hand")
		if hand.status != http.StatusForbidden || hand.header.Get("HX-Redirect") != "/join/"+code+"?removed=1" {
			t.Fatalf("the removed player's hand: %d %v", hand.status, hand.header)
		}
		mustContain(t, "the join page", string(ann.get("/join/"+code+"?removed=1").body), `data-testid="removed-note"`)
		if strings.Contains(bob.page(code), `data-testid="player-name">Ann<`) {
			t.Fatal("Ann is still listed")
		}

		ann.joinRoom(code, "Ann again")
		again := ann.openEvents(code, "")
		again.next()
		annStream.cancel() // the stream of the removed seat ends: it must not take the new one offline
		eventually(t, "Ann again is online", func() bool { return connectedOnPage(bob.page(code), annAlias) })
		bob.post("/room/"+code+"/reveal", nil, true) // some change for the stream to carry
		eventually(t, "the old stream's end is handled", func() bool { return connectedOnPage(bob.page(code), annAlias) })
	})
}

func TestRoomQRCode(t *testing.T) {
	s := startServer(t, nil)
	ann := s.newFormClient(t)
	code := ann.createRoom("QR", "Ann")
	mustContain(t, "the room page", ann.page(code), `href="/room/`+code+`/qr.svg"`, `data-testid="share-qr"><svg`, `shape-rendering="crispEdges"`)
	stranger := s.newFormClient(t)
	res := stranger.get("/room/" + code + "/qr.svg")
	if res.status != http.StatusOK || res.header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(res.header.Get("Cache-Control"), "max-age") {
		t.Fatalf("got %d %v", res.status, res.header)
	}
	if !strings.HasPrefix(string(res.body), "<svg") || !strings.Contains(string(res.body), "crispEdges") {
		t.Fatalf("not an SVG: %.100s", res.body)
	}
	if res := stranger.get("/room/zz99/qr.svg"); res.status != http.StatusNotFound {
		t.Fatalf("unknown room: %d", res.status)
	}
}

// getHTMX is a GET made by htmx (a hand refresh).
func (b *formClient) getHTMX(path string) response {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.s.base+path, nil)
	req.Header.Set("HX-Request", "true")
	return b.do(req)
}
