package main

import (
	"encoding/json"
	"strings"
	"sync"
)

// The server names each recipient by its real id and every other player by the seat's
// alias, which no client can compute. The tests learn aliases as a client would, from
// the frames they read, telling players apart by the names they joined with (tests keep
// them unique in a room; a name seated twice is left alone). On the way, every frame a
// test reads is checked: it must not carry the real id of another player of the room,
// and a player's alias must be the same in every frame, on every socket.

// seatBook is what a test server's clients have learnt about the seats of its rooms.
type seatBook struct {
	mu      sync.Mutex
	names   map[seatKey]string // the name each player joined with, from the join's answer
	aliases map[seatKey]string // the alias the others see
}

// seatKey is a player in a room, by its real id.
type seatKey struct{ code, id string }

// joined notes the answer to a join: the joiner's real id and name.
func (b *seatBook) joined(code, id, username string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.names == nil {
		b.names = map[seatKey]string{}
	}
	if _, seated := b.names[seatKey{code, id}]; !seated { // joining again keeps the first name
		b.names[seatKey{code, id}] = username
	}
}

// noteJoin notes the answer to a request, when it is a successful API join.
func (b *seatBook) noteJoin(path string, status int, body []byte) {
	code, ok := strings.CutPrefix(path, "/api/join/")
	if !ok || status != 200 {
		return
	}
	var p player
	if json.Unmarshal(body, &p) == nil && p.ID != "" {
		b.joined(code, p.ID, p.Username)
	}
}

// alias is the alias of the player with the given id in the room, "" while unknown.
func (b *seatBook) alias(code, id string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.aliases[seatKey{code, id}]
}

// learn reads a frame the player reader received in the room code. It returns what is
// wrong with it: another player's real id in it, or an alias that changed.
func (b *seatBook) learn(code, reader string, frame []byte) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var problems []string
	for k := range b.names {
		if k.code == code && k.id != reader && strings.Contains(string(frame), k.id) {
			problems = append(problems, "a frame to "+reader+" carries the id of "+b.names[k]+" ("+k.id+"): "+string(frame))
		}
	}
	var m message
	if json.Unmarshal(frame, &m) != nil {
		return problems
	}
	var shown []player
	switch m.Type {
	case "STATE":
		var st gameState
		if json.Unmarshal(m.Payload, &st) == nil {
			for key, ps := range st.PlayerStates {
				if key != ps.Player.ID {
					problems = append(problems, "a player_states key "+key+" names "+ps.Player.ID)
				}
				shown = append(shown, ps.Player)
			}
		}
	case "CONNECTED":
		var ps playerState
		if json.Unmarshal(m.Payload, &ps) == nil {
			shown = append(shown, ps.Player)
		}
	case "DISCONNECTED", "PLAYERVOTED", "OBSERVING":
		var p player
		if json.Unmarshal(m.Payload, &p) == nil {
			shown = append(shown, p)
		}
	}
	for _, p := range shown {
		if p.ID == reader {
			continue
		}
		id, ok := b.onlySeatNamed(code, p.Username)
		if !ok {
			continue
		}
		k := seatKey{code, id}
		if b.aliases == nil {
			b.aliases = map[seatKey]string{}
		}
		switch known := b.aliases[k]; {
		case known == "":
			b.aliases[k] = p.ID
		case known != p.ID:
			problems = append(problems, p.Username+"'s alias changed from "+known+" to "+p.ID)
		}
	}
	return problems
}

// onlySeatNamed is the id of the one player of the room who joined with that name.
func (b *seatBook) onlySeatNamed(code, username string) (string, bool) {
	found := ""
	for k, name := range b.names {
		if k.code != code || name != username {
			continue
		}
		if found != "" {
			return "", false
		}
		found = k.id
	}
	return found, found != ""
}

// nameOf is how this client's frames name the player with the given id: by the id
// itself when it is the client's own player, by the alias it learnt otherwise ("" while
// unknown).
func (c *wsClient) nameOf(id string) string {
	if id == c.id || c.s == nil {
		return id
	}
	return c.s.book.alias(c.code, id)
}
