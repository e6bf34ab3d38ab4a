package web

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
)

// limitsAt is a table whose clock the test moves.
func limitsAt(cfg Limits) (*clientLimits, *time.Time) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	l := newClientLimits(cfg)
	l.now = func() time.Time { return now }
	return l, &now
}

func TestJoinsPerMinuteRefillOverTime(t *testing.T) {
	l, now := limitsAt(Limits{JoinsPerMinute: 3, TrackedClients: 10})
	for i := range 3 {
		if r := l.admitJoin("a"); r != nil {
			t.Fatalf("join %d refused: %s", i, r.detail)
		}
	}
	if r := l.admitJoin("a"); r == nil || r.status != 429 || r.limit != limitJoinsPerMinute {
		t.Fatalf("a fourth join in the minute: %+v", r)
	}
	if r := l.admitJoin("b"); r != nil {
		t.Fatal("another address was refused")
	}
	*now = now.Add(20 * time.Second) // a third of a minute: one join back
	if l.admitJoin("a") != nil || l.admitJoin("a") == nil {
		t.Fatal("the bucket did not refill at its pace")
	}
}

func TestConnectionsPerPlayerAddressAndServer(t *testing.T) {
	l, _ := limitsAt(Limits{ConnectionsPerPlayer: 2, ConnectionsPerAddress: 3, MaxConnections: 5, TrackedClients: 10})
	p1, p2 := playerKey{"abcd", uuid.New(), "a"}, playerKey{"abcd", uuid.New(), "a"}
	var releases []func()
	take := func(key string, p playerKey) *refusal {
		release, r := l.admitConnection(key, p)
		if r == nil {
			releases = append(releases, release)
		}
		return r
	}
	if take("a", p1) != nil || take("a", p1) != nil {
		t.Fatal("two tabs refused")
	}
	if r := take("a", p1); r == nil || r.limit != limitConnectionsPerPlayer {
		t.Fatalf("a third tab: %+v", r)
	}
	if take("a", p2) != nil {
		t.Fatal("another player of the address refused")
	}
	if r := take("a", p2); r == nil || r.limit != limitConnectionsPerAddress {
		t.Fatalf("a fourth connection of the address: %+v", r)
	}
	if take("b", playerKey{"abcd", uuid.New(), ""}) != nil || take("c", playerKey{"abcd", uuid.New(), ""}) != nil {
		t.Fatal("other addresses refused")
	}
	if r := take("d", playerKey{"abcd", uuid.New(), ""}); r == nil || r.status != 503 || r.limit != limitConnectionsTotal {
		t.Fatalf("a sixth connection on the server: %+v", r)
	}
	releases[0]()
	releases[0]() // a second release changes nothing
	if take("a", p1) != nil {
		t.Fatal("a released place was not given back")
	}
	if take("d", playerKey{"abcd", uuid.New(), ""}) == nil {
		t.Fatal("a double release gave back two places")
	}
}

// The table never grows past its cap, and forgets clients that hold nothing once their
// minute has passed; a client holding a connection is never forgotten.
func TestTheClientTableIsBounded(t *testing.T) {
	l, now := limitsAt(Limits{JoinsPerMinute: 1, TrackedClients: 100})
	release, r := l.admitConnection("holder", playerKey{"abcd", uuid.New(), ""})
	if r != nil {
		t.Fatal(r.detail)
	}
	for i := range 1000 {
		l.admitJoin(fmt.Sprint("10.0.", i/256, ".", i%256))
		if n := l.tracked(); n > 100 {
			t.Fatalf("%d clients tracked, over the cap of 100", n)
		}
	}
	*now = now.Add(2 * time.Minute)
	l.admitJoin("late")
	if n := l.tracked(); n != 2 { // the holder and the late one
		t.Fatalf("%d clients tracked after a quiet minute, want 2", n)
	}
	release()
	*now = now.Add(2 * time.Minute)
	l.admitJoin("later")
	if n := l.tracked(); n != 1 {
		t.Fatalf("%d clients tracked, want 1", n)
	}
}
