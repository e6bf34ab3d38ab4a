package game

import (
	"sync"
	"sync/atomic"
	"testing"
)

func TestEventMemo(t *testing.T) {
	t.Run("concurrent callers share one build per key", func(t *testing.T) {
		ev := &Event{Kind: VoteCast}
		type key string
		var builds atomic.Int32
		const callers = 16
		results := make([]any, 2*callers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range callers {
			for j, k := range []key{"json", "html"} {
				wg.Go(func() {
					<-start
					results[2*i+j] = ev.Memo(k, func() any {
						builds.Add(1)
						return new(string(k)) // a fresh pointer per build
					})
				})
			}
		}
		close(start)
		wg.Wait()
		if n := builds.Load(); n != 2 {
			t.Fatalf("%d builds for 2 keys", n)
		}
		for i := range callers {
			if results[2*i] != results[0] || results[2*i+1] != results[1] {
				t.Fatalf("caller %d got a value of another build", i)
			}
		}
		if results[0] == results[1] {
			t.Fatal("two keys share one value")
		}
	})

	t.Run("each event has its own memo", func(t *testing.T) {
		a, b := &Event{}, &Event{}
		a.Memo("k", func() any { return "a" })
		if got := b.Memo("k", func() any { return "b" }); got != "b" {
			t.Fatalf("second event's memo returned %v", got)
		}
	})
}

func TestEventKindString(t *testing.T) {
	tests := []struct {
		kind EventKind
		want string
	}{
		{RoomCreated, "RoomCreated"},
		{Revealed, "Revealed"},
		{Snapshot, "Snapshot"},
		{0, "EventKind(?)"},
		{Snapshot + 1, "EventKind(?)"},
	}
	for _, tt := range tests {
		t.Run("kind names "+tt.want, func(t *testing.T) {
			if got := tt.kind.String(); got != tt.want {
				t.Fatalf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}
