package wire

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"slices"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
)

// A round revealed while the room hides names (State.NamesHidden) must not link a name
// to a card, yet the Vue frontend averages every value of the REVEALGAME map and draws a
// card next to a player only when the map has that player's id. So the map for anyone
// puts each card under a fresh key that matches no player, and leaves the voters' aliases
// out: the figures stay right and no card sits next to a name. Players who did not vote
// keep their alias, with null. Each recipient who voted gets a copy in which one entry
// holding their own card is keyed by their own id: they see their own card, nothing more.

// AppendAnonymousVotes writes the votes map of a round whose names are hidden: the cards
// in value order, each under anonymousKey(code, round, its place in that order), then the
// players who did not vote, by alias, with null. The spots noted (see NamesNotingSpots)
// let each voter's copy name the entry of their own card by their id.
func AppendAnonymousVotes(b []byte, code string, round int, votes []game.Vote, n Names) []byte {
	cast := make([]game.Vote, 0, len(votes))
	for _, v := range votes {
		if v.Value != nil {
			cast = append(cast, v)
		}
	}
	// Sorted by value alone: which of two equal cards is whose is nobody's business, and
	// the order of the keys then says nothing of the order in which players joined.
	slices.SortStableFunc(cast, func(a, b game.Vote) int { return cmp.Compare(*a.Value, *b.Value) })
	b = append(b, '{')
	for i, v := range cast {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		switch {
		case n.own && v.PlayerID == n.self:
			b = appendUUID(b, v.PlayerID)
		default:
			if n.spots != nil {
				*n.spots = append(*n.spots, AliasSpot{at: len(b), id: v.PlayerID})
			}
			b = appendUUID(b, anonymousKey(code, round, i))
		}
		b = append(b, `":`...)
		b = AppendFloat(b, *v.Value)
	}
	comma := len(cast) > 0
	for _, v := range votes {
		if v.Value != nil {
			continue
		}
		if comma {
			b = append(b, ',')
		}
		comma = true
		b = append(b, '"')
		b = n.appendName(b, game.Player{ID: v.PlayerID, Alias: v.Alias})
		b = append(b, `":null`...)
	}
	return append(b, '}')
}

// anonymousKey is the key of the card at place i (in value order) of the given round of
// a room whose names are hidden: a hash of nothing but the room, the round and the place,
// so the same for every REVEALGAME of the round, on every instance and after a restart,
// and drawn from nothing about any player. It is written as a version 4 UUID like every
// other key of the map; it is never any player's id or alias (those are random or drawn
// under the server's key).
func anonymousKey(code string, round, i int) uuid.UUID {
	h := sha256.New()
	h.Write([]byte("pokerd anonymous card\x00"))
	h.Write([]byte(code))
	var n [16]byte
	binary.BigEndian.PutUint64(n[:8], uint64(round))
	binary.BigEndian.PutUint64(n[8:], uint64(i))
	h.Write(n[:])
	var key uuid.UUID
	copy(key[:], h.Sum(nil))
	key[6] = key[6]&0x0f | 0x40 // version 4
	key[8] = key[8]&0x3f | 0x80 // RFC 4122 variant
	return key
}
