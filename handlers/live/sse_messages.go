package live

import (
	"bytes"
	"context"

	"github.com/a-h/templ"
	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/views"
)

// What the room's stream sends its browsers, drawn from the room's events: each event
// once, into the parts of the page it changed. See roomRenderer for when.

// liveDrawing is what the stream's messages are drawn with: the views' components, which
// a test may replace (to make one fail).
type liveDrawing struct {
	room     func(st *game.State, record views.RecordChanges) templ.Component
	player   func(st *game.State, p game.PlayerState) templ.Component
	joined   func(st *game.State, p game.PlayerState) templ.Component
	players  func(st *game.State, changed []game.PlayerState, gone []game.Player) templ.Component
	rules    func(st *game.State) templ.Component
	record   func(st *game.State, record views.RecordChanges) templ.Component
	people   func(st *game.State, facilitator game.PlayerState) templ.Component
	handSync func(code, key string) templ.Component
	backlog  func(st *game.State, changes views.BacklogChanges) templ.Component
}

var viewsDrawing = liveDrawing{
	room:     views.LiveRoom,
	player:   views.LivePlayer,
	joined:   views.LiveJoined,
	players:  views.LivePlayers,
	rules:    views.LiveRules,
	record:   views.LiveRecord,
	people:   views.LivePeople,
	handSync: views.HandSync,
	backlog:  views.LiveBacklog,
}

// wholeRoomAfter is how many events waiting at once are sent as the whole room rather
// than one by one: past it, the room is smaller than its changes.
const wholeRoomAfter = 8

// liveChange is what a run of events changed, as the stream sends it: the parts that are
// the same for every browser, and which of each viewer's own parts must follow.
type liveChange struct {
	state  *game.State // the room after the last of the events
	shared bytes.Buffer
	// people: the facilitator's list changed (someone came, went, or the role moved);
	// everyone else is sent the empty placeholder too when placeholders is set.
	people       bool
	placeholders bool
	// hands: each viewer is told which hand to show (see views.HandKey); a page whose
	// hand differs fetches its own.
	hands bool
}

// drawChanges turns events (in the room's order, the first right after before) into one
// change for the browsers that show before. resync draws the room whole instead, for
// browsers that may have missed a change.
func (d liveDrawing) drawChanges(before *game.State, events []*game.Event, resync bool) (*liveChange, error) {
	last := events[len(events)-1].State
	if resync || before == nil {
		return d.drawRoom(last)
	}
	ch := &liveChange{state: last}
	if len(events) <= wholeRoomAfter {
		if parts, ok := d.drawEvents(before, events, ch); ok {
			for _, part := range parts {
				if err := part.Render(context.Background(), &ch.shared); err != nil {
					return nil, err
				}
			}
			if err := d.drawBacklog(before, last, ch); err != nil {
				return nil, err
			}
			return ch, nil
		}
	}
	// A change to most of the room (a new round, a reveal), or many changes at once: the
	// room is sent whole, but for the record's rounds the browsers already have.
	ch.people, ch.placeholders, ch.hands = true, true, true
	if err := d.room(last, views.DiffRecord(before.Records, last.Records)).Render(context.Background(), &ch.shared); err != nil {
		return nil, err
	}
	if err := d.drawBacklog(before, last, ch); err != nil {
		return nil, err
	}
	return ch, nil
}

// drawBacklog adds to a change what the events changed in the backlog (its stories, or
// which one a round is on: a new round, an estimate, a story added, edited, skipped,
// moved or deleted), once however many did, and only the stories that changed: the list
// is the largest part of the room (up to game.MaxBacklogStories lines) and is not sent
// with every vote or reveal. before nil: the whole list.
func (d liveDrawing) drawBacklog(before, after *game.State, ch *liveChange) error {
	changes := views.BacklogChanges{Whole: true}
	if before != nil {
		changes = views.DiffBacklog(before, after)
	}
	if changes.None() {
		return nil
	}
	return d.backlog(after, changes).Render(context.Background(), &ch.shared)
}

// drawRoom is the whole room, for a browser that (re)subscribes: its page was drawn a
// moment before, so it is also told which hand to show and given the facilitator's list.
func (d liveDrawing) drawRoom(st *game.State) (*liveChange, error) {
	ch := &liveChange{state: st, people: true, placeholders: true, hands: true}
	if err := d.room(st, views.WholeRecord).Render(context.Background(), &ch.shared); err != nil {
		return nil, err
	}
	if err := d.drawBacklog(nil, st, ch); err != nil {
		return nil, err
	}
	return ch, nil
}

// drawEvents draws each event's parts, noting in ch which of each viewer's own parts
// follow; false when one of them changes most of the room.
func (d liveDrawing) drawEvents(before *game.State, events []*game.Event, ch *liveChange) (parts []templ.Component, ok bool) {
	prev := before
	for _, ev := range events {
		part, ok := d.drawEvent(prev, ev, ch)
		if !ok {
			return nil, false
		}
		parts = append(parts, part)
		prev = ev.State
	}
	return parts, true
}

// drawEvent is the part of the page one event changed (prev is the room before it);
// false for an event that changes most of the room, which is sent whole.
func (d liveDrawing) drawEvent(prev *game.State, ev *game.Event, ch *liveChange) (templ.Component, bool) {
	st := ev.State
	p, seated := playerIn(st, ev.Player.ID)
	switch ev.Kind {
	case game.VoteCast, game.ObservingToggled:
		if ev.Revised {
			// A vote after the reveal changed the revealed round: its results, chart,
			// rows and record are drawn again for everyone.
			return nil, false
		}
		if seated {
			return d.player(st, p), true
		}
	case game.SocketOpened, game.SocketClosed:
		if seated {
			ch.people = true // the facilitator's list says who is offline
			return d.player(st, p), true
		}
	case game.PlayerJoined:
		if seated {
			ch.people = true
			return d.joined(st, p), true
		}
	case game.FacilitatorChanged:
		// The rows of the old and the new facilitator; each one's hand and list.
		var changed []game.PlayerState
		for _, p := range st.Players {
			if old, ok := playerIn(prev, p.Player.ID); !ok || old.Admin != p.Admin {
				changed = append(changed, p)
			}
		}
		ch.people, ch.placeholders, ch.hands = true, true, true
		return d.players(st, changed, nil), true
	case game.PlayerRemoved, game.SeatsReleased:
		// Their rows go; the removed player's page learns it from its hand.
		var gone []game.Player
		for _, p := range prev.Players {
			if _, ok := playerIn(st, p.Player.ID); !ok {
				gone = append(gone, p.Player)
			}
		}
		ch.people, ch.hands = true, true
		return d.players(st, nil, gone), true
	case game.OptionsChanged:
		if st.Round == game.RoundRevealed && prev.NamesHidden() != st.NamesHidden() {
			// The revealed cards move to or from the players' rows (and the round's
			// record may have lost its names): the room is drawn again.
			return nil, false
		}
		ch.hands = true // who may run the round, the facilitator's tick boxes
		return d.rules(st), true
	case game.EstimateSet:
		return d.record(st, views.DiffRecord(prev.Records, st.Records)), true
	case game.StoriesAdded, game.StoryChanged, game.StoryDeleted, game.BacklogReordered:
		// Only the backlog, which drawBacklog adds once for all the events.
		return templ.NopComponent, true
	}
	return nil, false
}

// playerIn finds a player by id in a state.
func playerIn(st *game.State, id uuid.UUID) (game.PlayerState, bool) {
	for _, p := range st.Players {
		if p.Player.ID == id {
			return p, true
		}
	}
	return game.PlayerState{}, false
}

// audience draws each viewer's message of one change: the shared parts, then the
// viewer's own (the facilitator's list, which hand to show). Viewers with the same own
// parts share one message, so that a room draws a handful, not one per browser.
type audience struct {
	drawing  liveDrawing
	change   *liveChange
	messages map[string][]byte // by the viewer's own parts
	people   []byte            // the facilitator's list, drawn once
	empty    []byte            // the placeholder everyone else has
}

func newAudience(d liveDrawing, ch *liveChange) *audience {
	return &audience{drawing: d, change: ch, messages: map[string][]byte{}}
}

// messageFor is the message for the browser of the given player.
func (a *audience) messageFor(player uuid.UUID) ([]byte, error) {
	ch := a.change
	if !ch.people && !ch.hands {
		return ch.shared.Bytes(), nil
	}
	me, seated := playerIn(ch.state, player)
	facilitator := seated && me.Admin
	key := ""
	if ch.hands {
		key = views.HandGone
		if seated {
			key = views.HandKey(ch.state, me)
		}
	}
	variant := key
	if facilitator && ch.people {
		variant += "|facilitator"
	} else if ch.placeholders {
		variant += "|placeholder"
	}
	if m, ok := a.messages[variant]; ok {
		return m, nil
	}
	var b bytes.Buffer
	b.Write(ch.shared.Bytes())
	switch {
	case facilitator && ch.people:
		if a.people == nil {
			if err := a.render(&a.people, a.drawing.people(ch.state, me)); err != nil {
				return nil, err
			}
		}
		b.Write(a.people)
	case ch.placeholders:
		if a.empty == nil {
			if err := a.render(&a.empty, a.drawing.people(ch.state, game.PlayerState{})); err != nil {
				return nil, err
			}
		}
		b.Write(a.empty)
	}
	if ch.hands {
		if err := a.drawing.handSync(ch.state.Game.Code, key).Render(context.Background(), &b); err != nil {
			return nil, err
		}
	}
	a.messages[variant] = b.Bytes()
	return b.Bytes(), nil
}

func (a *audience) render(into *[]byte, c templ.Component) error {
	var b bytes.Buffer
	if err := c.Render(context.Background(), &b); err != nil {
		return err
	}
	*into = b.Bytes()
	return nil
}
