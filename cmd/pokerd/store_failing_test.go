package main

import (
	"github.com/pokerd/pokerd/store/sqlite/sqlitetest"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // to lock the server's database from outside, as another process would
)

const notSavedNote = "Changes are not being saved:"

// A store that cannot write (here another process holds the database's write lock for
// longer than the server's busy timeout) does not stop the room: the vote is answered
// once its write has failed, everyone plays on, the failure is counted, and the
// facilitator's page, and only theirs, tells them the changes are not being saved.
func TestFailingStoreIsShownToTheFacilitatorAndTheRoomGoesOn(t *testing.T) {
	data := filepath.Join(t.TempDir(), "pokerd.db")
	s := startServer(t, nil, "--data", data)
	ann, bob := s.newFormClient(t), s.newFormClient(t)
	code := ann.createRoom("Locked out", "Ann")
	bob.joinRoom(code, "Bob")
	if page := ann.get("/room/" + code); strings.Contains(string(page.body), notSavedNote) {
		t.Fatal("the note shows while the store is healthy")
	}
	if res := ann.post("/room/"+code+"/start", nil, true); res.status != http.StatusOK {
		t.Fatalf("start: %d", res.status)
	}

	lock := sqlitetest.HoldWriteLock(t, data)
	if res := bob.post("/room/"+code+"/vote", url.Values{"value": {"5"}}, true); res.status != http.StatusOK || strings.Contains(string(res.body), `data-testid="hand-error"`) {
		t.Fatalf("Bob's vote while the store fails: %d %s", res.status, res.body)
	}
	if failures := s.metric(t, "pokerd_store_write_failures_total"); failures < 1 {
		t.Fatalf("pokerd_store_write_failures_total = %v after a failed write", failures)
	}
	page := string(ann.get("/room/" + code).body)
	if !strings.Contains(page, notSavedNote) || !strings.Contains(page, "tell the server") {
		t.Fatalf("the facilitator's page does not say that changes are not saved:\n%s", page)
	}
	if strings.Contains(page, data) {
		t.Fatal("the note names the server's file")
	}
	if strings.Contains(string(bob.get("/room/"+code).body), notSavedNote) {
		t.Fatal("a player who is not the facilitator is shown the store's failure")
	}
	lock()
	// The room went on in memory: the reveal shows Bob's vote.
	if res := ann.post("/room/"+code+"/reveal", nil, true); res.status != http.StatusOK {
		t.Fatalf("reveal: %d", res.status)
	}
	if !strings.Contains(s.logs.String(), "write failed") {
		t.Fatalf("the failed write is not logged:\n%s", s.logs)
	}
}
