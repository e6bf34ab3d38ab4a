package ws

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/wire"
)

// Client message types of the WebSocket protocol. Server-only types sent by a client
// are unknown here and ignored.
const (
	msgSubmitVote = "SUBMITVOTE"
	msgObserve    = "OBSERVE"
	msgSync       = "SYNC"
	msgReset      = "RESET"
	msgReveal     = "REVEAL"

	// Facilitation, beyond the reference's protocol.
	msgOptions  = "OPTIONS"
	msgHandOff  = "HANDOFF"
	msgRemove   = "REMOVE"
	msgEstimate = "ESTIMATE"
)

// clientMessage is a decoded, well-formed client frame. It stays comparable (no maps or
// slices), so that tests can compare messages whole.
type clientMessage struct {
	Type     string
	Vote     float64        // SUBMITVOTE
	Ticket   *string        // RESET: nil for no ticket link
	Options  *optionsChange // OPTIONS
	Alias    uuid.UUID      // HANDOFF, REMOVE: the other player, by the alias the sender sees
	Round    int            // ESTIMATE
	Estimate string         // ESTIMATE
}

var errNotAMessage = errors.New("not a protocol message")

// decodeClientMessage parses one client frame. It accepts only a JSON object with both a
// string "type" and a "payload" of the right kind for that type; anything else is an
// error, and the caller ignores the frame.
func decodeClientMessage(data []byte) (clientMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil || fields == nil {
		return clientMessage{}, errNotAMessage
	}
	rawType, hasType := fields["type"]
	payload, hasPayload := fields["payload"]
	if !hasType || !hasPayload {
		return clientMessage{}, fmt.Errorf("%w: needs both type and payload", errNotAMessage)
	}
	var msg clientMessage
	if err := json.Unmarshal(rawType, &msg.Type); err != nil {
		return clientMessage{}, fmt.Errorf("%w: type is not a string", errNotAMessage)
	}
	payload = bytes.TrimSpace(payload)
	switch msg.Type {
	case msgSubmitVote:
		// Only a JSON number is a vote: the reference's lax "3" and true are not.
		if len(payload) == 0 || (payload[0] != '-' && (payload[0] < '0' || payload[0] > '9')) {
			return clientMessage{}, fmt.Errorf("%w: a vote must be a number", errNotAMessage)
		}
		if err := json.Unmarshal(payload, &msg.Vote); err != nil || math.IsInf(msg.Vote, 0) {
			return clientMessage{}, fmt.Errorf("%w: a vote must be a finite number", errNotAMessage)
		}
	case msgReset:
		if !bytes.Equal(payload, []byte("null")) {
			var ticket string
			if err := json.Unmarshal(payload, &ticket); err != nil {
				return clientMessage{}, fmt.Errorf("%w: a ticket link must be a string or null", errNotAMessage)
			}
			msg.Ticket = &ticket
		}
	case msgObserve, msgSync, msgReveal:
		// The payload carries nothing these need.
	case msgOptions:
		change, err := decodeOptionsChange(payload)
		if err != nil {
			return clientMessage{}, err
		}
		msg.Options = change
	case msgHandOff, msgRemove:
		alias, err := decodeAlias(payload)
		if err != nil {
			return clientMessage{}, err
		}
		msg.Alias = alias
	case msgEstimate:
		round, estimate, err := decodeEstimate(payload)
		if err != nil {
			return clientMessage{}, err
		}
		msg.Round, msg.Estimate = round, estimate
	default:
		// The type is cut short: the error is logged, and a frame may be as long as the read limit.
		return clientMessage{}, fmt.Errorf("%w: unknown type %.40q", errNotAMessage, msg.Type)
	}
	return msg, nil
}

// wsFormat is the memo key under which an event's WebSocket frames are kept, so that an
// event is encoded at most twice however many sockets carry it: an event about one
// player once for that player's own sockets (own), which see its real id, and once for
// everyone else's, which see its alias; any other event once (see package wire, names.go).
type wsFormat struct{ own bool }

// encodingCounter counts encodings: a prometheus.Counter in the server.
type encodingCounter interface{ Inc() }

// wsFrames returns the frames the protocol sends for ev to a socket of the player with
// the given id, none when it sends nothing. encoded counts the encodings.
func wsFrames(ev *game.Event, recipient uuid.UUID, encoded encodingCounter) [][]byte {
	own := aboutOnePlayer(ev.Kind) && ev.Player.ID == recipient
	set := ev.Memo(wsFormat{own}, func() any {
		encoded.Inc()
		return renderWSFrames(ev, own)
	}).(*wsFrameSet)
	return set.forRecipient(recipient)
}

// aboutOnePlayer reports whether events of kind k are written as a message about their
// subject, ev.Player, and about nobody else.
func aboutOnePlayer(k game.EventKind) bool {
	switch k {
	case game.SocketOpened, game.SocketClosed, game.VoteCast, game.ObservingToggled:
		return true
	}
	return false
}

// wsFrameSet is an event's frames, encoded once and shared by the sockets that carry it.
type wsFrameSet struct {
	frames [][]byte
	// spots[i] is where frames[i] names players by alias, when frames[i] names every
	// player: each recipient gets a copy that names it by its id. nil when no frame does.
	spots  [][]wire.AliasSpot
	inline [2][]byte // the room for frames: no event has more
}

// add appends a frame that every socket receiving it gets as it is.
func (s *wsFrameSet) add(frame []byte) {
	if s.frames == nil {
		s.frames = s.inline[:0]
	}
	s.frames = append(s.frames, frame)
	if s.spots != nil {
		s.spots = append(s.spots, nil)
	}
}

// addNamingEveryone appends a frame whose payload names every player: it is written
// once with aliases, noting where each alias is. size and players are what the payload
// is expected to take: its bytes, and the players it names (twice each, at most).
func (s *wsFrameSet) addNamingEveryone(typ string, size, players int, payload func([]byte, wire.Names) []byte) {
	spots := make([]wire.AliasSpot, 0, 2*players)
	s.add(envelope(typ, size, func(b []byte) []byte { return payload(b, wire.NamesNotingSpots(&spots)) }))
	if s.spots == nil {
		s.spots = make([][]wire.AliasSpot, len(s.frames), len(s.inline))
	}
	s.spots[len(s.frames)-1] = spots
}

// forRecipient returns the frames as the player with the given id receives them: the
// shared frames themselves, or, where a frame names that player, a patched copy.
func (s *wsFrameSet) forRecipient(id uuid.UUID) [][]byte {
	var out [][]byte
	for i, spots := range s.spots {
		patched := wire.PatchName(s.frames[i], spots, id)
		if patched == nil {
			continue
		}
		if out == nil {
			out = slices.Clone(s.frames)
		}
		out[i] = patched
	}
	if out == nil {
		return s.frames
	}
	return out
}

// renderWSFrames encodes ev's frames: for its subject's own sockets when own is set,
// for everyone else's otherwise.
func renderWSFrames(ev *game.Event, own bool) *wsFrameSet {
	subject := wire.Names{} // the subject by its alias
	if own {
		subject = wire.NamesFor(ev.Player.ID)
	}
	set := &wsFrameSet{}
	switch ev.Kind {
	case game.Snapshot, game.OptionsChanged, game.FacilitatorChanged, game.PlayerRemoved, game.SeatsReleased:
		// A new facilitator, new rules or players gone: the protocol has no message for
		// these, and the existing frontend redraws everything from a fresh STATE.
		players := len(ev.State.Players)
		set.addNamingEveryone("STATE", 512+200*players, players, func(b []byte, n wire.Names) []byte { return wire.AppendGameState(b, ev.State, n) })
		if ev.State.Round == game.RoundRevealed {
			addRevealFrame(set, ev.State, ev.Votes)
		}
	case game.SocketOpened:
		set.add(envelope("CONNECTED", 160+len(ev.Player.Username), func(b []byte) []byte {
			return wire.AppendPlayerState(b, wire.AsShownToClients(ev.State.Game.Settings.Options, ev.PlayerState), subject)
		}))
	case game.SocketClosed:
		if ev.LastSocket { // else the player still has another tab open
			set.add(playerFrame("DISCONNECTED", ev.Player, subject))
		}
	case game.VoteCast:
		afterReveal := ev.State != nil && ev.State.Round == game.RoundRevealed
		if own || !afterReveal || !ev.State.NamesHidden() {
			// With names hidden, a vote after the reveal is told to the voter alone:
			// the others, seeing who voted and then which card changed, would know whose
			// card it is.
			set.add(playerFrame("PLAYERVOTED", ev.Player, subject))
		}
		if ev.Revised { // only ever after the reveal
			// The revealed round changed: every client shows it again, the same for all
			// (the frontend reads votes from REVEALGAME only).
			addRevealFrame(set, ev.State, ev.Votes)
		}
	case game.ObservingToggled:
		set.add(playerFrame("OBSERVING", ev.Player, subject))
	case game.RoundStarted:
		set.add(resetFrame(ev))
	case game.Revealed:
		addRevealFrame(set, ev.State, ev.Votes)
	}
	// The backlog's events (StoriesAdded, StoryChanged, StoryDeleted, BacklogReordered)
	// have no message: the protocol's clients have no backlog.
	return set
}

// addRevealFrame adds a REVEALGAME of votes. When st hides names, the cards go under
// keys that match no player, and each voter's copy names their own card alone (see
// wire.AppendAnonymousVotes).
func addRevealFrame(set *wsFrameSet, st *game.State, votes []game.Vote) {
	size, players := 2+48*len(votes), len(votes)
	if st != nil && st.NamesHidden() {
		code, round := st.Game.Code, st.RoundNumber
		set.addNamingEveryone("REVEALGAME", size, players, func(b []byte, n wire.Names) []byte {
			return wire.AppendAnonymousVotes(b, code, round, votes, n)
		})
		return
	}
	set.addNamingEveryone("REVEALGAME", size, players, func(b []byte, n wire.Names) []byte { return wire.AppendVotes(b, votes, n) })
}

// resetFrame is RESETGAME: its payload the link or null, as the reference's, and, when
// the round's story says more than its link (a title, a key, a backlog story), the story
// beside the payload, which the reference's clients ignore.
func resetFrame(ev *game.Event) []byte {
	frame := envelope("RESETGAME", 8+ticketLen(ev.TicketURL), func(b []byte) []byte { return wire.AppendOptionalString(b, ev.TicketURL) })
	if !wire.StoryMoreThanLink(ev.Story) {
		return frame
	}
	frame = append(frame[:len(frame)-1], `,"story":`...)
	frame = wire.AppendStory(frame, ev.Story)
	return append(frame, '}')
}

func playerFrame(typ string, p game.Player, n wire.Names) []byte {
	return envelope(typ, 64+len(p.Username), func(b []byte) []byte { return wire.AppendPlayer(b, p, n) })
}

// envelope writes {"type": typ, "payload": ...}, in a buffer sized for a payload of
// about size bytes (it grows if need be).
func envelope(typ string, size int, payload func([]byte) []byte) []byte {
	b := make([]byte, 0, 32+len(typ)+size)
	b = append(b, `{"type":`...)
	b = wire.AppendString(b, typ)
	b = append(b, `,"payload":`...)
	b = payload(b)
	return append(b, '}')
}

// ticketLen is the length of a round's ticket link, 0 without one.
func ticketLen(ticket *string) int {
	if ticket == nil {
		return 0
	}
	return len(*ticket)
}
