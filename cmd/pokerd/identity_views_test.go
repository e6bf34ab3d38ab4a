package main

// Ids are secrets, others see aliases (protocol.md, "Identity"), seen from every kind of
// client at once: three players of the WebSocket API and two people in real browsers
// share a room, play a round and come back after leaving, and every view of the room is
// compared with every other.
//
//	go test -race -count=1 -timeout 120s -run TestEveryViewAgreesButOnIds ./cmd/pokerd/

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// seatView is one player as one client shows them.
type seatView struct {
	id        string // the id the client names them by: their own, or their alias
	connected bool
	admin     bool
	observing bool
	voted     bool
	vote      *float64 // once the round is revealed; nil for no vote
}

// tableView is the room as one client shows it: every player, by name.
type tableView map[string]seatView

// socketView is the room as a WebSocket client sees it after a SYNC: its STATE, and the
// REVEALGAME that follows it in a revealed round.
func socketView(t *testing.T, c *wsClient) tableView {
	t.Helper()
	wsSendMsg(t, c, "SYNC", nil)
	var st gameState
	if err := json.Unmarshal(wsAwait(t, c, "STATE", nil), &st); err != nil {
		t.Fatal(err)
	}
	var votes map[string]*float64
	if st.RoundState == "REVEALED" {
		// Sent right after the STATE: nothing can come between.
		if err := json.Unmarshal(wsAwait(t, c, "REVEALGAME", nil), &votes); err != nil {
			t.Fatal(err)
		}
		if !sameKeys(votes, st.PlayerStates) {
			t.Errorf("%s's REVEALGAME names the players %v, its STATE %v", c.id, slices.Sorted(maps.Keys(votes)), slices.Sorted(maps.Keys(st.PlayerStates)))
		}
	}
	view := tableView{}
	for id, ps := range st.PlayerStates {
		if ps.Player.ID != id {
			t.Errorf("%s's STATE keys %s under %s", c.id, ps.Player.ID, id)
		}
		view[ps.Player.Username] = seatView{id: id, connected: ps.IsConnected, admin: ps.IsAdmin, observing: ps.IsObserving, voted: ps.HasVoted, vote: votes[id]}
	}
	return view
}

func sameKeys[A, B any](a map[string]A, b map[string]B) bool {
	return slices.Equal(slices.Sorted(maps.Keys(a)), slices.Sorted(maps.Keys(b)))
}

// pageRow is a row of the players list, read from the page.
type pageRow struct {
	Alias     string  `json:"alias"`
	Name      string  `json:"name"`
	Connected bool    `json:"connected"`
	Admin     bool    `json:"admin"`
	Observing bool    `json:"observing"`
	Voted     bool    `json:"voted"`
	Vote      *string `json:"vote"` // the revealed card's label
}

const jsPlayerRows = `Array.from(document.querySelectorAll("#players li[data-testid^=player-]"), li => ({
  alias: li.dataset.testid.slice("player-".length),
  name: li.querySelector("[data-testid=player-name]").textContent,
  connected: li.dataset.connected === "true",
  admin: li.querySelector(".tag-admin") !== null,
  observing: li.querySelector("[data-testid=observing]") !== null,
  voted: li.dataset.voted === "true",
  vote: li.querySelector(".slot.shown[data-testid=vote]")?.textContent ?? null
}))`

// pageView is the room as a browser shows it, once htmx has settled.
func pageView(t *testing.T, tab *browserTab) tableView {
	t.Helper()
	tab.waitFor(t, "htmx settled", "window.__ppTest?.idle()")
	view := tableView{}
	for _, r := range tabEval[[]pageRow](t, tab, jsPlayerRows) {
		sv := seatView{id: r.Alias, connected: r.Connected, admin: r.Admin, observing: r.Observing, voted: r.Voted}
		if r.Vote != nil {
			v, err := strconv.ParseFloat(*r.Vote, 64) // the cards played here are numbers
			if err != nil {
				t.Fatalf("%s's page shows the card %q", tab.name, *r.Vote)
			}
			sv.vote = &v
		}
		view[r.Name] = sv
	}
	return view
}

// viewsAgreeButOnIds fails the test where two views differ on anything but the ids: who
// is at the table, online, facilitator, observing, has voted, and the revealed cards.
func viewsAgreeButOnIds(t *testing.T, views map[string]tableView, names []string) {
	t.Helper()
	described := func(sv seatView) string {
		vote := "–"
		if sv.vote != nil {
			vote = strconv.FormatFloat(*sv.vote, 'g', -1, 64)
		}
		return fmt.Sprintf("connected=%v admin=%v observing=%v voted=%v vote=%s", sv.connected, sv.admin, sv.observing, sv.voted, vote)
	}
	for viewer, view := range views {
		if got := slices.Sorted(maps.Keys(view)); !slices.Equal(got, names) {
			t.Errorf("%s's view lists %v, want %v", viewer, got, names)
		}
	}
	for _, name := range names {
		shown := map[string][]string{} // description → viewers
		for viewer, view := range views {
			d := described(view[name])
			shown[d] = append(shown[d], viewer)
		}
		if len(shown) > 1 {
			t.Errorf("the views disagree on %s: %v", name, shown)
		}
	}
}

// idsOf is the id each player has in a view.
func idsOf(view tableView) map[string]string {
	ids := map[string]string{}
	for name, sv := range view {
		ids[name] = sv.id
	}
	return ids
}

// TestEveryViewAgreesButOnIds: Ann (the facilitator) and Bob in browsers, Carol, Dave
// and Erin over the WebSocket API. They play a round (votes from both kinds of client,
// an observer, a reveal), Carol's socket is closed and opened again, and Bob reloads his
// page. Throughout, every view agrees on the room; each socket names itself by its own
// id and everyone else by the alias the pages show, and no alias ever changes.
func TestEveryViewAgreesButOnIds(t *testing.T) {
	start := time.Now()
	s := startServer(t, nil)
	br := startChromium(t)
	people := br.openPeople(t, "Ann", "Bob")
	ann, bob := people[0], people[1]
	names := []string{"Ann", "Bob", "Carol", "Dave", "Erin"}

	code := openRoomFromHome(t, s, ann, "Identity", "Ann", roomChoices{})
	ann.waitLive(t)
	takeSeat(t, s, bob, code, "Bob")
	bob.waitLive(t)

	// The API players, by name; their real ids are theirs alone.
	sockets := map[string]*wsClient{}
	realIDs := map[string]string{}
	for _, name := range []string{"Carol", "Dave", "Erin"} {
		realIDs[name] = s.join(t, code, name)
		sockets[name] = s.connect(t, realIDs[name], code)
	}
	tabs := map[string]*browserTab{"Ann": ann, "Bob": bob}
	for _, tab := range tabs {
		tab.waitFor(t, "all five online", jsCount(`#players li[data-connected="true"]`)+" === 5")
	}

	// everyView reads the room from every socket and every browser.
	everyView := func(t *testing.T) map[string]tableView {
		t.Helper()
		views := map[string]tableView{}
		for name, c := range sockets {
			views[name+"'s socket"] = socketView(t, c)
		}
		for name, tab := range tabs {
			views[name+"'s page"] = pageView(t, tab)
		}
		return views
	}
	// awaitOnSockets waits until every socket has had the message of type typ about the
	// named player (any message of that type, for an empty name).
	awaitOnSockets := func(t *testing.T, typ, name string) {
		t.Helper()
		for _, c := range sockets {
			wsAwait(t, c, typ, aboutName(name))
		}
	}

	scenarioStep(t, "a round: Erin observes, both kinds of client vote, Ann reveals", func(t *testing.T) {
		annLoads, bobLoads := ann.handLoads(t), bob.handLoads(t)
		ann.click(t, "[data-testid=start]")
		awaitOnSockets(t, "RESETGAME", "")
		ann.waitHandReplaced(t, annLoads)
		bob.waitHandReplaced(t, bobLoads)

		wsSendMsg(t, sockets["Erin"], "OBSERVE", nil)
		awaitOnSockets(t, "OBSERVING", "Erin")
		for _, vote := range []struct {
			name, card string
		}{{"Bob", "5"}, {"Ann", "3"}, {"Carol", "8"}, {"Dave", "13"}} {
			if tab, ok := tabs[vote.name]; ok {
				tab.click(t, cardSel(vote.card))
				tab.waitFor(t, "card "+vote.card+" pressed", jsAttrIs(cardSel(vote.card), "aria-pressed", "true"))
			} else {
				v, _ := strconv.ParseFloat(vote.card, 64)
				wsSendMsg(t, sockets[vote.name], "SUBMITVOTE", v)
			}
			awaitOnSockets(t, "PLAYERVOTED", vote.name)
		}

		annLoads, bobLoads = ann.handLoads(t), bob.handLoads(t)
		ann.click(t, "[data-testid=reveal]")
		awaitOnSockets(t, "REVEALGAME", "")
		for _, tab := range tabs {
			tab.waitFor(t, "the four votes revealed, Erin observing", jsAll(
				jsTextIs("#round [data-testid=round-state]", "Revealed"),
				jsCount("#players .slot.shown[data-testid=vote]")+" === 4",
				jsCount("#players [data-testid=observing]")+" === 1"))
		}
		ann.waitHandReplaced(t, annLoads)
		bob.waitHandReplaced(t, bobLoads)
	})

	var aliases map[string]string // as the pages show them
	var socketIDs map[string]map[string]string
	checkIDs := func(t *testing.T, views map[string]tableView) {
		t.Helper()
		t.Run("the pages show everyone by the same alias, never by an API player's id", func(t *testing.T) {
			annSees, bobSees := idsOf(views["Ann's page"]), idsOf(views["Bob's page"])
			if !maps.Equal(annSees, bobSees) {
				t.Errorf("Ann's page shows %v, Bob's %v", annSees, bobSees)
			}
			for name, id := range realIDs {
				if annSees[name] == id {
					t.Errorf("the pages show %s by their id", name)
				}
			}
		})
		t.Run("each socket names itself by its id, everyone else by the alias the pages show", func(t *testing.T) {
			for name, c := range sockets {
				for other, id := range idsOf(views[name+"'s socket"]) {
					want, whom := views["Ann's page"][other].id, "the alias the pages show"
					if other == name {
						want, whom = c.id, "its own id"
					}
					if id != want {
						t.Errorf("%s's socket names %s %s, want %s (%s)", name, other, id, want, whom)
					}
				}
			}
		})
	}

	// check runs a step that compares the views. Unlike a scenario step, a failed
	// comparison does not stop the steps after it (they build on the room, not on the
	// comparison): each says what it saw. They need the aliases the round showed.
	check := func(t *testing.T, name string, f func(t *testing.T)) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			if aliases == nil && name != roundChecked {
				t.Fatal("the round's views were not read")
			}
			f(t)
		})
	}

	check(t, roundChecked, func(t *testing.T) {
		views := everyView(t)
		viewsAgreeButOnIds(t, views, names)
		if sv := views["Ann's page"]["Ann"]; !sv.admin || sv.vote == nil || *sv.vote != 3 {
			t.Errorf("Ann's page shows Ann %+v: not the facilitator with her 3", sv)
		}
		if sv := views["Ann's page"]["Erin"]; !sv.observing || sv.voted {
			t.Errorf("Ann's page shows Erin %+v: not observing without a vote", sv)
		}
		checkIDs(t, views)
		aliases = idsOf(views["Ann's page"])
		socketIDs = map[string]map[string]string{}
		for name := range sockets {
			socketIDs[name] = idsOf(views[name+"'s socket"])
		}
	})

	// sameIDs checks that nobody's id or alias changed in any view since the round.
	sameIDs := func(t *testing.T, views map[string]tableView) {
		t.Helper()
		t.Run("the pages show the same aliases as before", func(t *testing.T) {
			for name, tab := range tabs {
				if got := idsOf(views[name+"'s page"]); !maps.Equal(got, aliases) {
					t.Errorf("%s's page shows %v, before %v", tab.name, got, aliases)
				}
			}
		})
		t.Run("the sockets name everyone as before", func(t *testing.T) {
			for name := range sockets {
				if got := idsOf(views[name+"'s socket"]); !maps.Equal(got, socketIDs[name]) {
					t.Errorf("%s's socket names %v, before %v", name, got, socketIDs[name])
				}
			}
		})
	}

	check(t, "Carol's socket closes: every view shows her offline, under the same alias", func(t *testing.T) {
		carol := sockets["Carol"]
		carol.close()
		delete(sockets, "Carol")
		awaitOnSockets(t, "DISCONNECTED", "Carol")
		for _, tab := range tabs {
			tab.waitFor(t, "Carol offline", jsAttrIs(playerSel(aliases["Carol"]), "data-connected", "false"))
		}
		views := everyView(t)
		viewsAgreeButOnIds(t, views, names)
		if views["Dave's socket"]["Carol"].connected {
			t.Error("Dave's socket shows Carol online")
		}
		checkIDs(t, views)
		sameIDs(t, views)
	})

	// Carol's new socket is opened here, in the test itself: it must outlive the step.
	sockets["Carol"] = s.connect(t, realIDs["Carol"], code)
	check(t, "Carol opens a socket again: her id and her alias are as before", func(t *testing.T) {
		for _, name := range []string{"Dave", "Erin"} {
			wsAwait(t, sockets[name], "CONNECTED", aboutName("Carol"))
		}
		for _, tab := range tabs {
			tab.waitFor(t, "Carol online again", jsAttrIs(playerSel(aliases["Carol"]), "data-connected", "true"))
		}
		views := everyView(t)
		viewsAgreeButOnIds(t, views, names)
		checkIDs(t, views)
		sameIDs(t, views)
	})

	check(t, "Bob reloads his page: his alias and everyone else's are as before", func(t *testing.T) {
		bob.do(t, "reload the room", chromedp.Reload())
		bob.waitLive(t)
		for _, tab := range tabs {
			tab.waitFor(t, "everyone online, the round revealed", jsAll(
				jsCount(`#players li[data-connected="true"]`)+" === 5",
				jsTextIs("#round [data-testid=round-state]", "Revealed"),
				jsAttrIs(playerSel(aliases["Bob"]), "data-connected", "true")))
		}
		// The reload ends one stream and opens another: the sockets may be told Bob
		// left and came back. Read their views once the room shows him online again.
		var views map[string]tableView
		deadline := time.Now().Add(browserStepTimeout)
		for {
			views = everyView(t)
			online := true
			for name := range sockets {
				online = online && views[name+"'s socket"]["Bob"].connected
			}
			if online || time.Now().After(deadline) {
				break
			}
			time.Sleep(browserPollEvery)
		}
		viewsAgreeButOnIds(t, views, names)
		checkIDs(t, views)
		sameIDs(t, views)
	})

	scenarioStep(t, "screenshots of Ann's room as facilitator, light and dark, desktop and phone", func(t *testing.T) {
		// The list of players with its hand-off and remove buttons is where the aliases
		// went in: it must look as before. The room is loaded again in the dark scheme,
		// as someone whose system is dark loads it.
		shots := screenshotDir(t)
		desktop := screenSize{"desktop", 1280, 800, false}
		ann.waitFor(t, "the list of players with its buttons", jsAll(
			jsCount("#people [data-testid^=remove-]")+" === 4", jsTextIs("[data-theme-toggle]", "Dark theme")))
		ann.shoot(t, shots, "identity-room", desktop, "light")
		ann.shoot(t, shots, "identity-room", phoneSize, "light")
		ann.do(t, "load the room in the dark scheme", emulateScreen(desktop, "dark"), chromedp.Reload())
		ann.waitLive(t)
		ann.waitFor(t, "the revealed round, the list of players and the theme button again", jsAll(
			jsTextIs("#round [data-testid=round-state]", "Revealed"),
			jsCount("#people [data-testid^=remove-]")+" === 4",
			jsTextIs("[data-theme-toggle]", "Light theme")))
		ann.shoot(t, shots, "identity-room", desktop, "dark")
		ann.shoot(t, shots, "identity-room", phoneSize, "dark")
	})

	t.Logf("the whole scenario took %v", time.Since(start).Round(time.Millisecond))
}

const roundChecked = "every view agrees on the round; each names its own players as the spec says"

// aboutName accepts a payload about the named player (a Player, or a PlayerState for
// CONNECTED), whatever id it names them by; an empty name accepts any payload.
func aboutName(name string) func(json.RawMessage) bool {
	if name == "" {
		return nil
	}
	return func(p json.RawMessage) bool {
		var v struct {
			Username *string `json:"username"`
			Player   *player `json:"player"`
		}
		if json.Unmarshal(p, &v) != nil {
			return false
		}
		if v.Player != nil {
			return v.Player.Username == name
		}
		return v.Username != nil && *v.Username == name
	}
}
