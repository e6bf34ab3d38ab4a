// Package views renders pokerd's pages and the fragments the room streams to browsers.
// Components are functions of plain data; they never change the game.
package views

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/static"
)

// Page is what every page's frame needs.
type Page struct {
	Title string
	CSRF  string // the token every form and htmx request sends back
	// NoScriptPing is the image a browser without scripts asks for (from a <noscript>)
	// to say so: the room page's keeps its player present. Empty: the site-wide one.
	NoScriptPing string
}

// CreateForm is the home page's "new room" form, kept to show it again after an error.
type CreateForm struct {
	RoomName string
	YourName string
	DeckID   int
	Timer    bool
	Maximum  int
	Warning  int
	// Custom: the room plays with the cards typed in CustomCards instead of a deck.
	Custom      bool
	CustomCards string
	MaxPlayers  string // as typed; empty for no cap but the server's
	Options     game.RoomOptions
	Passcode    string // as typed; empty for none
}

// HomeData is the home page.
type HomeData struct {
	Page
	Decks    []game.Deck
	Form     CreateForm
	Error    string // why the last create failed
	JoinCode string
	JoinErr  string // why the last join-by-code failed
}

// JoinData is the page behind a shared link.
type JoinData struct {
	Page
	Code     string
	GameName string
	Found    bool // false: no such room
	Name     string
	Error    string
	Full     bool // the room has no seat left
	Removed  bool // the facilitator took this browser's player out of the room
	// NeedsPasscode: the room has a passcode; the page asks for it and does not show the
	// room's name to someone who has not given it. Passcode is what was typed, kept
	// when the join failed for another reason.
	NeedsPasscode bool
	Passcode      string
}

// RoomData is the room as one viewer sees it.
type RoomData struct {
	Page
	State    *game.State
	Me       game.Seat
	ShareURL string
	Error    string // why the viewer's last action was refused
	// PeopleError is why the facilitator's last hand-off or removal was refused.
	PeopleError string
	// HasPasscode: people who join need the room's passcode (static/pokerd.js adds it to
	// the share link when the creator's page knows it).
	HasPasscode bool
	// NotSaved is why the room's changes are not being saved (the server's store fails):
	// told to the facilitator only, "" otherwise.
	NotSaved string
	// Backlog is what the viewer's last change to the backlog has to say (backlog.go).
	Backlog BacklogReport
}

func (d RoomData) code() string { return d.State.Game.Code }

func assetURL(name string) string { return static.URL(name) }

func roomURL(code, action string) string {
	if action == "" {
		return "/room/" + code
	}
	return "/room/" + code + "/" + action
}

// cardValue is how a card's value travels in a form.
func cardValue(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// cardLabel names the card a value stands for in the room's deck.
func cardLabel(deck game.Deck, v float64) string {
	for _, c := range deck.Cards {
		if c.Value == v {
			return c.Label
		}
	}
	return cardValue(v)
}

func voteOf(st *game.State, p game.PlayerState) *float64 {
	for _, v := range st.Votes {
		if v.Alias == p.Player.Alias {
			return v.Value
		}
	}
	return nil
}

func displayName(p game.Player) string {
	if p.Username == "" {
		return "(no name)"
	}
	return p.Username
}

func roundStart(st *game.State) string {
	if st.RoundStart == nil {
		return ""
	}
	return st.RoundStart.UTC().Format(time.RFC3339Nano)
}

// Pages and stream messages name every player, the viewer included, by their public
// alias: a player's id is their secret (see game/alias.go), and a page is read by
// whoever sits at the screen, its stream by every browser in the room.

func playerTestID(p game.Player) string { return "player-" + p.Alias.String() }

// playerAlias is how a form names another player: the rooms take aliases.
func playerAlias(p game.Player) string { return p.Alias.String() }

// ticketInputID names the ticket field after the round it will start. The field is kept
// across the hand's refreshes (hx-preserve, by id) so that a link being typed survives
// them; once its round has started, the next hand has a new, empty field.
func ticketInputID(st *game.State) string {
	return "ticket-" + strconv.Itoa(st.RoundNumber+1)
}

// ruleTestID names a rule's checkbox for tests: "create-auto-reveal", "option-hide-names".
func ruleTestID(prefix string, r game.Rule) string {
	return prefix + "-" + strings.ReplaceAll(r.Key, "_", "-")
}

// oobAttrs marks a fragment of a stream message to be swapped in by its id.
func oobAttrs(oob bool) templ.Attributes {
	if !oob {
		return nil
	}
	return templ.Attributes{"hx-swap-oob": "true"}
}

// storyOf is the round's story; a round of an older room that knows only its link
// stands as a story of that link.
func storyOf(st *game.State) *game.Story {
	if st.Story != nil && !st.Story.IsZero() {
		return st.Story
	}
	if st.TicketURL != nil {
		return &game.Story{Link: st.TicketURL}
	}
	return nil
}

// votesCast is how many cards are on the table in the round (revealed or not).
func votesCast(st *game.State) int {
	if st.Round == game.RoundInit {
		return 0
	}
	n := 0
	for _, p := range st.Players {
		if p.Voted {
			n++
		}
	}
	return n
}

// hasPendingStory reports whether "Next story" has a story to start: one of the
// backlog's that is not estimated, not skipped and not the round's own.
func hasPendingStory(st *game.State) bool {
	for _, b := range st.Backlog {
		if b.Skipped || b.Estimated() {
			continue
		}
		if st.Story != nil && st.Story.ID == b.ID {
			continue
		}
		return true
	}
	return false
}

// unsureToggleAttrs make the "Not sure" box send the viewer's vote again as soon as it
// is ticked or unticked (with scripts); before a vote, it goes with the next card.
func unsureToggleAttrs(d RoomData) templ.Attributes {
	if d.Me.Vote == nil || d.State.Round != game.RoundVoting {
		return nil
	}
	return templ.Attributes{
		"hx-post":    roomURL(d.code(), "vote"),
		"hx-trigger": "change",
		"hx-vals":    `{"value":"` + cardValue(*d.Me.Vote) + `"}`,
		"hx-target":  "#hand",
		"hx-swap":    "outerHTML",
	}
}

// joinURL is the join page of a room, whose code may be anything typed in an address.
func joinURL(code string) string { return "/join/" + url.PathEscape(code) }
