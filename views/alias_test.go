package views

import (
	"strings"
	"testing"

	"github.com/pokerd/pokerd/game"
)

// Every part of the room a browser receives names the players, the viewer included, by
// their aliases: a player's id is the key to their seat, and a page is read by whoever
// sits at the screen, its stream by everyone in the room.
func TestRoomNamesEveryPlayerByAlias(t *testing.T) {
	st := revealedWith(t, "3", "5", "", "8")
	st.Players[2].Connected = true // everyone but the viewer may be handed the role
	for i, me := range st.Players {
		d := RoomData{State: st, Me: game.Seat{PlayerState: me}, Page: Page{CSRF: "tok"}}
		parts := map[string]string{
			"page":   renderString(t, RoomPage(d)),
			"hand":   renderString(t, Hand(d)),
			"people": renderString(t, People(d)),
			"stream": renderString(t, LiveRoom(st, WholeRecord)),
		}
		for name, html := range parts {
			for _, p := range st.Players {
				if strings.Contains(html, p.Player.ID.String()) {
					t.Errorf("player %d's %s holds the id of %s", i, name, p.Player.Username)
				}
			}
		}
		for _, p := range st.Players {
			row := `data-testid="player-` + p.Player.Alias.String() + `"`
			if !strings.Contains(parts["page"], row) || !strings.Contains(parts["stream"], row) {
				t.Errorf("player %d's page or stream lacks the row of %s under their alias", i, p.Player.Username)
			}
		}
		if !me.Admin {
			continue
		}
		for _, p := range st.Players[1:] {
			alias := p.Player.Alias.String()
			for _, want := range []string{`name="player" value="` + alias + `"`, `data-testid="handoff-` + alias + `"`, `data-testid="remove-` + alias + `"`} {
				if !strings.Contains(parts["people"], want) {
					t.Errorf("the facilitator's list lacks %s for %s", want, p.Player.Username)
				}
			}
		}
	}
}

// A revealed vote is shown in its voter's row: the votes are matched to the players by
// alias, as the page knows them.
func TestRevealedVotesFollowTheirVoters(t *testing.T) {
	st := revealedWith(t, "3", "13", "")
	html := renderString(t, Players(st, false))
	rows := strings.Split(html, "<li ")[1:]
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	for i, want := range []string{`data-testid="vote">3<`, `data-testid="vote">13<`, `<span class="visually-hidden">no vote</span>`} {
		if !strings.Contains(rows[i], st.Players[i].Player.Alias.String()) || !strings.Contains(rows[i], want) {
			t.Errorf("%s's row lacks %s: %s", st.Players[i].Player.Username, want, rows[i])
		}
	}
}
