package ws

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
)

// A client may send its first message right behind its handshake, without waiting for
// the 101: the server has then read it with the request, and the socket's own smaller
// buffers must not lose it. Here a vote sent that way reaches the other players.
func TestAMessageSentWithTheHandshakeIsNotLost(t *testing.T) {
	voter, witnessID := uuid.New(), uuid.New()
	srv, room := faultServer(t, "nowhere", uuid.Nil, DefaultConfig)
	for _, id := range []uuid.UUID{witnessID, voter} {
		if err := room.Join(game.Player{ID: id, Username: id.String()[:4]}); err != nil {
			t.Fatal(err)
		}
	}
	witness := dialPlayer(t, srv, room.Code(), witnessID)
	readType(t, witness, "CONNECTED")

	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	handshake := "GET /api/ws/" + voter.String() + "/" + room.Code() + " HTTP/1.1\r\n" +
		"Host: " + strings.TrimPrefix(srv.URL, "http://") + "\r\n" +
		"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
	// One write, so that the vote travels with the request.
	if _, err := conn.Write(append([]byte(handshake), maskedTextFrame(`{"type":"SUBMITVOTE","payload":5}`)...)); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("handshake answered %d", res.StatusCode)
	}
	readType(t, witness, "PLAYERVOTED")
}

// maskedTextFrame is one client text frame (clients must mask theirs) of under 126 bytes.
func maskedTextFrame(payload string) []byte {
	key := [4]byte{0x1f, 0x2e, 0x3d, 0x4c}
	frame := []byte{0x81, 0x80 | byte(len(payload)), key[0], key[1], key[2], key[3]}
	for i := range len(payload) {
		frame = append(frame, payload[i]^key[i%4])
	}
	return frame
}
