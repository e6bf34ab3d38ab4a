package ws

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
)

// The WebSocket messages beyond the reference's protocol, for clients that offer a
// facilitator's controls: the room's rules (OPTIONS), handing the role on (HANDOFF),
// removing a player (REMOVE) and the agreed estimate of a round (ESTIMATE). HANDOFF and
// REMOVE name the other player by the alias the sender sees in its STATE. Like every
// client message, one that does not decode is ignored and the connection stays.

// optionsChange is an OPTIONS payload: the rules it names, by key (game.RoomRules),
// each switched on or off; the rules it leaves out stay as they are.
type optionsChange map[string]bool

// applyTo returns the room's rules with this change made.
func (c optionsChange) applyTo(rules game.RoomOptions) game.RoomOptions {
	for _, rule := range game.RoomRules {
		if on, named := c[rule.Key]; named {
			rules = rule.With(rules, on)
		}
	}
	return rules
}

// decodeOptionsChange reads an object of rules by key, {"auto_reveal"?: bool, …}. Other
// keys are ignored; a named rule that is not true or false (null included) spoils the
// whole message.
func decodeOptionsChange(payload []byte) (*optionsChange, error) {
	fields, err := payloadObject(payload)
	if err != nil {
		return nil, err
	}
	change := optionsChange{}
	for _, rule := range game.RoomRules {
		raw, ok := fields[rule.Key]
		if !ok {
			continue
		}
		switch string(bytes.TrimSpace(raw)) {
		case "true":
			change[rule.Key] = true
		case "false":
			change[rule.Key] = false
		default:
			return nil, fmt.Errorf("%w: %s must be true or false", errNotAMessage, rule.Key)
		}
	}
	return &change, nil
}

// decodeEstimate reads {"round": whole number, "estimate": string}; both are required.
func decodeEstimate(payload []byte) (round int, estimate string, err error) {
	fields, err := payloadObject(payload)
	if err != nil {
		return 0, "", err
	}
	rawRound, rawEstimate := bytes.TrimSpace(fields["round"]), bytes.TrimSpace(fields["estimate"])
	if !isJSONNumber(rawRound) || json.Unmarshal(rawRound, &round) != nil {
		return 0, "", fmt.Errorf("%w: an estimate's round must be a whole number", errNotAMessage)
	}
	if !isJSONString(rawEstimate) || json.Unmarshal(rawEstimate, &estimate) != nil {
		return 0, "", fmt.Errorf("%w: an estimate must be a string", errNotAMessage)
	}
	return round, estimate, nil
}

// decodeAlias reads a payload that names another player, by the alias the sender sees
// for them (their id is a secret the sender never receives), in any form a UUID is
// written in.
func decodeAlias(payload []byte) (uuid.UUID, error) {
	var text string
	if !isJSONString(payload) || json.Unmarshal(payload, &text) != nil {
		return uuid.Nil, fmt.Errorf("%w: a player's alias must be a string", errNotAMessage)
	}
	alias, err := uuid.Parse(text)
	if err != nil {
		return uuid.Nil, fmt.Errorf("%w: a player's alias must be a UUID", errNotAMessage)
	}
	return alias, nil
}

// payloadObject reads a payload that must be a JSON object (not null).
func payloadObject(payload []byte) (map[string]json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if len(payload) == 0 || payload[0] != '{' || json.Unmarshal(payload, &fields) != nil {
		return nil, fmt.Errorf("%w: the payload must be an object", errNotAMessage)
	}
	return fields, nil
}

func isJSONString(raw []byte) bool { return len(raw) > 0 && raw[0] == '"' }

func isJSONNumber(raw []byte) bool {
	return len(raw) > 0 && (raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'))
}

// applyFacilitation runs the facilitation messages as room commands; the room checks who
// may.
func (s *wsSession) applyFacilitation(room *game.Room, playerID uuid.UUID, msg clientMessage) error {
	switch msg.Type {
	case msgOptions:
		// The room takes whole rule sets; the message names only the rules to change.
		return room.UpdateOptions(playerID, msg.Options.applyTo)
	case msgHandOff:
		return room.HandOff(playerID, msg.Alias)
	case msgRemove:
		return room.Remove(playerID, msg.Alias)
	case msgEstimate:
		return room.SetEstimate(playerID, msg.Round, msg.Estimate)
	}
	return nil
}

// removedReason is the close reason of a socket whose player the facilitator removed.
func removedReason(playerID uuid.UUID, code string) string {
	return "Player with ID '" + playerID.String() + "' was removed from game with code '" + code + "'"
}

// leftReason is the close reason of a socket whose player left the room themself (from
// another tab, or a page): 4001 like a removal, so the frontend goes to its join page.
func leftReason(playerID uuid.UUID, code string) string {
	return "Player with ID '" + playerID.String() + "' left game with code '" + code + "'"
}
