package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// rawPost sends a request's head over a plain TCP connection, then streams up to
// bodySize bytes of body in 32 KiB chunks while reading the answer. It returns the
// answer's status (0 if the connection ended without one) and how many body bytes
// had gone out when the answer came or the connection failed. It gives up after
// limit, which counts as a failure of the server.
func rawPost(addr, head string, bodySize int64, limit time.Duration) (status int, sent int64, err error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(limit))
	if _, err := io.WriteString(conn, head); err != nil {
		return 0, 0, err
	}
	answered := make(chan int, 1)
	go func() {
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			answered <- 0
			return
		}
		answered <- res.StatusCode
	}()
	chunk := []byte(strings.Repeat("a", 32<<10))
	var written atomic.Int64
	for written.Load() < bodySize {
		select {
		case status := <-answered:
			return status, written.Load(), nil
		default:
		}
		n, err := conn.Write(chunk)
		written.Add(int64(n))
		if err != nil {
			break // the server closed the connection: its answer, if any, is read below
		}
	}
	select {
	case status := <-answered:
		return status, written.Load(), nil
	case <-time.After(limit):
		return 0, written.Load(), fmt.Errorf("no answer within %s", limit)
	}
}

// temporaryUploads counts the files the standard library leaves for multipart bodies.
func temporaryUploads(t *testing.T) int {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(os.TempDir(), "multipart-*"))
	if err != nil {
		t.Fatal(err)
	}
	return len(files)
}

// Finding 6: anonymous multipart posts of hundreds of MiB to a page route were parsed
// (memory, then temporary files) before the CSRF check refused them, about 5 s each.
// Now the size and the type are judged from the head alone: the answer comes before the
// body is sent, and nothing is written to disk.
func TestAttackHugeFormPosts(t *testing.T) {
	s := startServer(t, nil)
	before := beforeAttack(t, s)
	uploadsBefore := temporaryUploads(t)
	addr := strings.TrimPrefix(s.base, "http://")
	const posts, size = 8, 64 << 20 // each would be 64 MiB
	heads := []string{
		// declares its size
		"POST /rooms HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: " + fmt.Sprint(size) + "\r\n\r\n--x\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f\"\r\n\r\n",
		// hides it: chunked, no length
		"POST /join/abcd HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: multipart/form-data; boundary=x\r\nTransfer-Encoding: chunked\r\n\r\n",
		// url-encoded, but far larger than any form
		"POST /rooms HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + fmt.Sprint(size) + "\r\n\r\nroom_name=",
	}
	var wg sync.WaitGroup
	for i := range posts {
		wg.Go(func() {
			head := heads[i%len(heads)]
			status, sent, err := rawPost(addr, head, size, 10*time.Second)
			if err != nil {
				t.Errorf("post %d: %v after %d bytes of body", i, err, sent)
				return
			}
			if status != http.StatusRequestEntityTooLarge && status != http.StatusUnsupportedMediaType {
				t.Errorf("post %d answered %d, want 413 or 415", i, status)
			}
			if sent > 4<<20 {
				t.Errorf("post %d: the server read %d MiB of body before answering", i, sent>>20)
			}
		})
	}
	wg.Wait()
	if n := temporaryUploads(t) - uploadsBefore; n > 0 {
		t.Errorf("the posts left %d temporary files", n)
	}
	survivedAttack(t, s, before)
}

// Finding 7: bodies trickled a byte at a time held their connections for minutes. Now
// the read deadline of an ordinary request cuts them, while a WebSocket and an event
// stream, open longer than that deadline, go on working.
func TestAttackTrickledRequests(t *testing.T) {
	s := startServer(t, nil, "--read-timeout", "1s", "--write-timeout", "1s")
	ann := s.newFormClient(t)
	code := ann.createRoom("Long-lived", "Ann")
	events := ann.openEvents(code, "")
	events.next() // the stream's first update
	bob := s.join(t, code, "Bob")
	bobConn := s.connect(t, bob, code)
	before := beforeAttack(t, s)

	addr := strings.TrimPrefix(s.base, "http://")
	const trickles = 50
	var wg sync.WaitGroup
	var held atomic.Int32
	for range trickles {
		wg.Go(func() {
			head := "POST /api/game HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
			// A byte every 200 ms would take 20 s for the body; the read timeout is 1 s.
			if trickledRequest(t, addr, head) {
				held.Add(1)
			}
		})
	}
	wg.Wait()
	if n := held.Load(); n > 0 {
		t.Errorf("%d of %d trickled requests were still held after 8 s; the read timeout is 1 s", n, trickles)
	}

	// The long-lived connections outlived both deadlines (the attack took over a second)
	// and still carry the room.
	bobConn.send("SUBMITVOTE", 3)
	bobConn.expectPlayer("PLAYERVOTED", bob)
	events.until("has voted")
	bobConn.close()
	events.cancel()
	survivedAttack(t, s, before)
}
