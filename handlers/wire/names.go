package wire

import (
	"bytes"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
)

// A player's id is the only credential a connection shows, so only the player's own
// clients ever receive it (see game/alias.go): every message names its recipient by the
// real id and every other player by the seat's public alias.
//
// An event about one player is written twice, once for that player's own sockets and
// once for everyone else. A message that names every player (a STATE, a REVEALGAME) is
// written once, naming everyone by alias, and each recipient gets a copy with its own
// alias overwritten by its id: both are 36 characters, so that is a copy and a patch of
// a few bytes, not a second encoding.

// Names is how a message names the players in it. The zero value names every player by
// alias: the message for anyone. NamesFor(id) names that player by its real id.
type Names struct {
	self uuid.UUID // the recipient, when own is set
	own  bool
	// spots, when set, gets where each alias is written, so that the message can be
	// patched for each recipient (see PatchName).
	spots *[]AliasSpot
}

// NamesFor names the player with the given id by that id, and everyone else by alias.
func NamesFor(id uuid.UUID) Names { return Names{self: id, own: true} }

// of is how p is named.
func (n Names) of(p game.Player) uuid.UUID {
	if n.own && p.ID == n.self {
		return p.ID
	}
	return p.Alias
}

// appendName writes p's name, without quotes.
func (n Names) appendName(b []byte, p game.Player) []byte {
	id := n.of(p)
	if n.spots != nil && id != p.ID {
		*n.spots = append(*n.spots, AliasSpot{at: len(b), id: p.ID})
	}
	return appendUUID(b, id)
}

// AliasSpot is where a message names a player by alias.
type AliasSpot struct {
	at int       // offset of the alias's first character
	id uuid.UUID // the real id of the player it names
}

// NamesNotingSpots names every player by alias, as the zero Names does, and notes in
// spots where each alias is written, so that the message can be patched for each
// recipient (see PatchName).
func NamesNotingSpots(spots *[]AliasSpot) Names { return Names{spots: spots} }

// PatchName returns a copy of msg, written for anyone with its alias spots noted, that
// Names the player with the given id by that id; nil when msg does not name that player.
func PatchName(msg []byte, spots []AliasSpot, id uuid.UUID) []byte {
	var out []byte
	for _, s := range spots {
		if s.id != id {
			continue
		}
		if out == nil {
			out = bytes.Clone(msg)
		}
		putUUID(out[s.at:s.at+uuidLen], id)
	}
	return out
}
