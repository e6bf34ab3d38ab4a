package game

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// The event log keeps each event encoded by EncodeEvent: the fields apply reads, as JSON,
// with a format version, so that a later binary can still read what an older one wrote.
// The kind and the sequence number travel beside the data (see LoggedEvent). The views
// filled in for subscribers (State, Votes, PlayerState) are never encoded: replay
// rebuilds the state from the events alone.

// EventVersion is the version of the event format this binary writes. DecodeEvent reads
// every version up to it and refuses newer ones.
//
// Stories (issue 14) added fields and kinds without a new version: every event of
// version 1 is still an event of this format with the same meaning (a RoundStarted
// with a link and no story starts a round on that link), and an older binary, which
// refuses unknown fields and kinds, cannot misread a newer event.
const EventVersion = 1

type encodedEvent struct {
	Version     int           `json:"v"`
	At          time.Time     `json:"at"`
	Game        *GameImage    `json:"game,omitempty"`
	Player      *PlayerImage  `json:"player,omitempty"`
	Admin       bool          `json:"admin,omitempty"`
	Value       float64       `json:"value,omitempty"`
	TicketURL   *string       `json:"ticket,omitempty"`
	Story       *StoryImage   `json:"story,omitempty"`
	Stories     []StoryImage  `json:"stories,omitempty"`
	StoryID     int           `json:"storyID,omitempty"`
	Skipped     bool          `json:"skipped,omitempty"`
	Order       []int         `json:"order,omitempty"`
	Unsure      bool          `json:"unsure,omitempty"`
	LastSocket  bool          `json:"lastSocket,omitempty"`
	ByPage      bool          `json:"byPage,omitempty"`
	Options     *RoomOptions  `json:"options,omitempty"`
	Cause       Cause         `json:"cause,omitempty"`
	Round       int           `json:"round,omitempty"`
	Estimate    string        `json:"estimate,omitempty"`
	Released    []PlayerImage `json:"released,omitempty"`
	RecordLimit int           `json:"recordLimit,omitempty"`
}

// EncodeEvent encodes an applied event for the event log.
func EncodeEvent(ev *Event) ([]byte, error) {
	if ev.Kind < RoomCreated || ev.Kind >= Snapshot {
		return nil, fmt.Errorf("event %d: a %v is not part of a room's history", ev.Seq, ev.Kind)
	}
	enc := encodedEvent{
		Version: EventVersion, At: ev.At, Admin: ev.Admin, Value: ev.Value, TicketURL: ev.TicketURL,
		LastSocket: ev.LastSocket, ByPage: ev.ByPage, Cause: ev.Cause, Round: ev.Round,
		Estimate: ev.Estimate, RecordLimit: ev.RecordLimit,
		StoryID: ev.StoryID, Skipped: ev.Skipped, Order: ev.Order, Unsure: ev.Unsure,
	}
	if ev.Story != nil {
		s := imageOfStory(*ev.Story)
		enc.Story = &s
	}
	for _, s := range ev.Stories {
		enc.Stories = append(enc.Stories, imageOfStory(s))
	}
	if ev.Game != nil {
		g := imageOfGame(*ev.Game)
		enc.Game = &g
	}
	if ev.Player != (Player{}) {
		p := imageOfPlayer(ev.Player)
		enc.Player = &p
	}
	if ev.Kind == OptionsChanged || ev.Options != (RoomOptions{}) {
		o := ev.Options
		enc.Options = &o
	}
	for _, p := range ev.Released {
		enc.Released = append(enc.Released, imageOfPlayer(p))
	}
	data, err := json.Marshal(enc)
	if err != nil {
		return nil, fmt.Errorf("event %d (%v): %w", ev.Seq, ev.Kind, err)
	}
	return data, nil
}

// DecodeEvent reads an event EncodeEvent wrote, in this or an older version. Bad input
// is an error, never a panic; so is an event without what its kind needs (a RoomCreated
// without its game, a VoteCast without its player), so that replay can trust what it
// is given.
func DecodeEvent(kind EventKind, seq uint64, data []byte) (*Event, error) {
	if kind < RoomCreated || kind >= Snapshot {
		return nil, fmt.Errorf("event %d: unknown kind %d", seq, kind)
	}
	if seq == 0 {
		return nil, fmt.Errorf("a %v event numbered 0", kind)
	}
	var enc encodedEvent
	if err := decodeStrict(data, &enc); err != nil {
		return nil, fmt.Errorf("event %d (%v) cannot be read: %w", seq, kind, err)
	}
	if enc.Version < 1 || enc.Version > EventVersion {
		return nil, fmt.Errorf("event %d (%v) is of format version %d; this binary reads 1 to %d", seq, kind, enc.Version, EventVersion)
	}
	ev := &Event{
		Seq: seq, Kind: kind, At: enc.At, Admin: enc.Admin, Value: enc.Value, TicketURL: enc.TicketURL,
		LastSocket: enc.LastSocket, ByPage: enc.ByPage, Cause: enc.Cause, Round: enc.Round,
		Estimate: enc.Estimate, RecordLimit: enc.RecordLimit,
		StoryID: enc.StoryID, Skipped: enc.Skipped, Unsure: enc.Unsure,
	}
	if len(enc.Order) > 0 { // an empty list is none, as it is written
		ev.Order = enc.Order
	}
	if enc.Story != nil {
		s := enc.Story.story()
		ev.Story = &s
	}
	for _, s := range enc.Stories {
		ev.Stories = append(ev.Stories, s.story())
	}
	if enc.Game != nil {
		g, err := enc.Game.gameInfo()
		if err != nil {
			return nil, fmt.Errorf("event %d (%v): %w", seq, kind, err)
		}
		ev.Game = &g
	}
	if enc.Player != nil {
		ev.Player = enc.Player.player()
	}
	if enc.Options != nil {
		ev.Options = *enc.Options
	}
	for _, p := range enc.Released {
		ev.Released = append(ev.Released, p.player())
	}
	if err := checkDecoded(ev, enc); err != nil {
		return nil, fmt.Errorf("event %d (%v): %w", seq, kind, err)
	}
	return ev, nil
}

// checkDecoded refuses an event that lacks what apply needs for its kind.
func checkDecoded(ev *Event, enc encodedEvent) error {
	switch ev.Kind {
	case RoomCreated:
		if ev.Game == nil {
			return fmt.Errorf("no game")
		}
		if ev.RecordLimit < 0 {
			return fmt.Errorf("a negative record limit")
		}
	case PlayerJoined, SocketOpened, SocketClosed, VoteCast, ObservingToggled, FacilitatorChanged, PlayerRemoved:
		// Every seated player has an alias (see alias.go): one without is no player.
		if enc.Player == nil || enc.Player.Alias == uuid.Nil {
			return fmt.Errorf("no player")
		}
	case SeatsReleased:
		for _, p := range enc.Released {
			if p.Alias == uuid.Nil {
				return fmt.Errorf("a released player without an alias")
			}
		}
	case OptionsChanged:
		if enc.Options == nil {
			return fmt.Errorf("no options")
		}
	case RoundStarted:
		if s := ev.Story; s != nil && (s.ID < 0 || s.IsZero()) {
			return fmt.Errorf("an empty story")
		}
	case StoriesAdded:
		if len(ev.Stories) == 0 {
			return fmt.Errorf("no stories")
		}
		for _, s := range ev.Stories {
			if s.ID <= 0 || s.IsZero() {
				return fmt.Errorf("a story without an id or without a title or link")
			}
		}
	case StoryChanged:
		if s := ev.Story; s == nil || s.ID <= 0 || s.IsZero() {
			return fmt.Errorf("no story")
		}
	case StoryDeleted:
		if ev.StoryID <= 0 {
			return fmt.Errorf("no story id")
		}
	case BacklogReordered:
		if len(ev.Order) == 0 {
			return fmt.Errorf("no order")
		}
	}
	return nil
}
