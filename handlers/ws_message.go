package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
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
	Player   uuid.UUID      // HANDOFF, REMOVE: the player it is about
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
		player, err := decodePlayerID(payload)
		if err != nil {
			return clientMessage{}, err
		}
		msg.Player = player
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

// wsFormat is the memo key under which an event's WebSocket frames are kept, so that
// each event is encoded once however many sockets carry it.
type wsFormat struct{}

// wsFrames returns the frames the protocol sends for ev, none when it sends nothing.
func wsFrames(ev *game.Event) [][]byte {
	return ev.Memo(wsFormat{}, func() any { return renderWSFrames(ev) }).([][]byte)
}

func renderWSFrames(ev *game.Event) [][]byte {
	switch ev.Kind {
	case game.Snapshot, game.OptionsChanged, game.FacilitatorChanged, game.PlayerRemoved, game.SeatsReleased:
		// A new facilitator, new rules or players gone: the protocol has no message for
		// these, and the existing frontend redraws everything from a fresh STATE.
		frames := [][]byte{envelope("STATE", func(b []byte) []byte { return appendGameState(b, ev.State) })}
		if ev.State.Round == game.RoundRevealed {
			frames = append(frames, revealFrame(ev.Votes))
		}
		return frames
	case game.SocketOpened:
		return [][]byte{envelope("CONNECTED", func(b []byte) []byte { return appendPlayerState(b, asShownToClients(ev.Rules, ev.PlayerState)) })}
	case game.SocketClosed:
		if !ev.LastSocket {
			return nil // the player still has another tab open
		}
		return [][]byte{playerFrame("DISCONNECTED", ev.Player)}
	case game.VoteCast:
		return [][]byte{playerFrame("PLAYERVOTED", ev.Player)}
	case game.ObservingToggled:
		return [][]byte{playerFrame("OBSERVING", ev.Player)}
	case game.RoundStarted:
		return [][]byte{envelope("RESETGAME", func(b []byte) []byte { return appendOptionalString(b, ev.TicketURL) })}
	case game.Revealed:
		return [][]byte{revealFrame(ev.Votes)}
	}
	return nil
}

func revealFrame(votes []game.Vote) []byte {
	return envelope("REVEALGAME", func(b []byte) []byte { return appendVotes(b, votes) })
}

func playerFrame(typ string, p game.Player) []byte {
	return envelope(typ, func(b []byte) []byte { return appendPlayer(b, p) })
}

// envelope writes {"type": typ, "payload": ...}.
func envelope(typ string, payload func([]byte) []byte) []byte {
	b := make([]byte, 0, 256)
	b = append(b, `{"type":`...)
	b = appendString(b, typ)
	b = append(b, `,"payload":`...)
	b = payload(b)
	return append(b, '}')
}
