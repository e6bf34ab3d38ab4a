package web

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// lookupsAt is a table of code look-ups whose clock the test moves.
func lookupsAt(cfg CodeLookupLimits, tracked int) (*codeLookups, *time.Time) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	l := newCodeLookups(cfg, tracked)
	l.now = func() time.Time { return now }
	return l, &now
}

// lookups counts the look-ups of the tests, so that each looks up a code of its own.
var lookups atomic.Int64

// look runs one look-up of a new code that finds a room (hit) or not, and reports
// whether it ran.
func look(l *codeLookups, key string, hit bool) (ran bool, wait time.Duration, refused bool) {
	return lookCode(l, key, fmt.Sprintf("c%07d", lookups.Add(1)), hit)
}

// lookCode is look for a given code.
func lookCode(l *codeLookups, key, code string, hit bool) (ran bool, wait time.Duration, refused bool) {
	wait, refused = l.lookUp(key, code, func() bool { ran = true; return hit })
	return ran, wait, refused
}

func TestCodeMissesAreCutAfterTheBurst(t *testing.T) {
	l, now := lookupsAt(CodeLookupLimits{MissesPerMinute: 10, Burst: 3}, 100)
	for i := range 3 {
		if ran, _, refused := look(l, "a", false); !ran || refused {
			t.Fatalf("miss %d of the burst was refused", i+1)
		}
	}
	t.Run("with its misses spent, a client is refused every look-up, hits too, without any being made", func(t *testing.T) {
		for _, hit := range []bool{false, true} {
			ran, wait, refused := look(l, "a", hit)
			if !refused || ran {
				t.Fatalf("look-up (hit %v) after the burst: ran %v, refused %v", hit, ran, refused)
			}
			if wait != 6*time.Second {
				t.Fatalf("wait %v, want 6s (one miss back every 6 s)", wait)
			}
		}
	})
	t.Run("another address keeps its own budget", func(t *testing.T) {
		if ran, _, refused := look(l, "b", false); !ran || refused {
			t.Fatal("another address was refused")
		}
	})
	t.Run("the budget refills at its pace, a miss at a time", func(t *testing.T) {
		*now = now.Add(2 * time.Second)
		if _, wait, refused := look(l, "a", true); !refused || wait != 4*time.Second {
			t.Fatalf("2 s later: refused %v, wait %v; want refused for 4 s more", refused, wait)
		}
		*now = now.Add(4 * time.Second)
		if ran, _, refused := look(l, "a", false); !ran || refused {
			t.Fatal("6 s later, the miss that came back was refused")
		}
		if _, _, refused := look(l, "a", true); !refused {
			t.Fatal("the miss that came back was not spent")
		}
	})
}

func TestCodeHitsSpendNothing(t *testing.T) {
	l, _ := lookupsAt(CodeLookupLimits{MissesPerMinute: 10, Burst: 2}, 100)
	for i := range 1000 {
		if ran, _, refused := look(l, "a", true); !ran || refused {
			t.Fatalf("hit %d refused", i+1)
		}
	}
	if l.trackedClients() != 0 {
		t.Fatal("a client that only found rooms was remembered")
	}
	if _, _, refused := look(l, "a", false); refused {
		t.Fatal("the first miss after many hits was refused")
	}
}

func TestCodeLookupLimitOff(t *testing.T) {
	l, _ := lookupsAt(CodeLookupLimits{MissesPerMinute: 0, Burst: 10}, 100)
	for i := range 100 {
		if ran, _, refused := look(l, "a", false); !ran || refused {
			t.Fatalf("miss %d refused with the limit off", i+1)
		}
	}
}

// Misses at once from one address cannot spend more than the budget: the refusal and the
// miss are one step.
func TestCodeMissesAtOnceStayWithinTheBurst(t *testing.T) {
	l, _ := lookupsAt(CodeLookupLimits{MissesPerMinute: 10, Burst: 5}, 100)
	var ran atomic.Int32
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			l.lookUp("a", fmt.Sprintf("c%07d", lookups.Add(1)), func() bool { ran.Add(1); return false })
		})
	}
	wg.Wait()
	if n := ran.Load(); n != 5 {
		t.Fatalf("%d misses were looked up at once, want the burst, 5", n)
	}
}

// The table remembers only clients that missed, forgets them once their budget is full
// again, and never grows past its cap.
func TestCodeLookupTableIsBounded(t *testing.T) {
	l, now := lookupsAt(CodeLookupLimits{MissesPerMinute: 10, Burst: 2}, 50)
	for i := range 200 {
		look(l, fmt.Sprintf("10.0.%d.%d", i/256, i%256), false)
		if n := l.trackedClients(); n > 50 {
			t.Fatalf("%d clients tracked, cap 50", n)
		}
	}
	*now = now.Add(12 * time.Second) // two misses back: every budget is full
	look(l, "10.1.0.1", false)
	if n := l.trackedClients(); n != 1 {
		t.Fatalf("%d clients tracked after every budget refilled, want only the new one", n)
	}
}

// Asking again for a code missed lately costs nothing: a tab left open on a room that is
// gone asks for it for ever. Every other code costs a miss, malformed ones too.
func TestCodesMissedLatelyAreFree(t *testing.T) {
	l, _ := lookupsAt(CodeLookupLimits{MissesPerMinute: 10, Burst: 3}, 100)
	for i := range 100 {
		if ran, _, refused := lookCode(l, "a", "gone0001", false); !ran || refused {
			t.Fatalf("the gone room's code, asked %d times: refused", i+1)
		}
	}
	for i := range 100 { // a malformed code is never remembered
		_, _, refused := lookCode(l, "a", "NOT-A-CODE", false)
		if refused != (i >= 2) {
			t.Fatalf("a malformed code, asked %d times: refused %v", i+1, refused)
		}
	}
	if _, _, refused := lookCode(l, "a", "gone0001", false); !refused {
		t.Fatal("with the budget spent, the code missed lately was not refused like any other")
	}
}

func TestOnlyTheLastMissesAreRemembered(t *testing.T) {
	l, now := lookupsAt(CodeLookupLimits{MissesPerMinute: 60, Burst: 100}, 100)
	for i := range recentMisses + 1 {
		lookCode(l, "a", fmt.Sprintf("code%04d", i), false)
	}
	spent := func() float64 { return l.clients["a"].budget.TokensAt(*now) }
	before := spent()
	lookCode(l, "a", fmt.Sprintf("code%04d", recentMisses), false) // the last: free
	if spent() != before {
		t.Fatal("the last code missed cost a miss again")
	}
	lookCode(l, "a", "code0000", false) // the first: pushed out by then
	if spent() != before-1 {
		t.Fatal("a code missed longer ago than the last few was free")
	}
}

// A client's guesses are checked one at a time, and the one being checked holds a miss
// of the budget: with one miss left, a look-up of a new code meanwhile is refused, and a
// second guess sent at the same time waits for the first one's answer. A right guess
// gives its miss back (the second is then checked), a wrong one spends it (the second is
// then refused).
func TestGuessesAreCheckedOneAtATime(t *testing.T) {
	for _, firstRight := range []bool{true, false} {
		l, _ := lookupsAt(CodeLookupLimits{MissesPerMinute: 10, Burst: 2}, 100)
		look(l, "a", false) // one miss left
		done, _, refused := l.beginGuess(context.Background(), "a")
		if refused {
			t.Fatal("the first guess, with a miss left, was refused")
		}
		if ran, _, refused := look(l, "a", false); ran || !refused {
			t.Fatalf("a look-up while a guess holds the last miss: ran %v, refused %v", ran, refused)
		}
		second := make(chan bool, 1)
		go func() {
			done, _, refused := l.beginGuess(context.Background(), "a")
			if !refused {
				done(false)
			}
			second <- refused
		}()
		select {
		case <-second:
			t.Fatal("a second guess was answered while the first was being checked")
		case <-time.After(50 * time.Millisecond): // not a timing target: it must still wait
		}
		done(firstRight)
		if refused := <-second; refused == firstRight {
			t.Fatalf("first guess right %v: the second was refused %v", firstRight, refused)
		}
	}
}

// A guess whose request ends while it waits for its turn is refused, and leaves the
// budget as it was.
func TestAGuessGivenUpWhileWaitingSpendsNothing(t *testing.T) {
	l, _ := lookupsAt(CodeLookupLimits{MissesPerMinute: 10, Burst: 2}, 100)
	done, _, _ := l.beginGuess(context.Background(), "a")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, refused := l.beginGuess(ctx, "a"); !refused {
		t.Fatal("a guess given up while waiting was checked")
	}
	done(true)
	for range 2 {
		done, _, refused := l.beginGuess(context.Background(), "a")
		if refused {
			t.Fatal("the budget lost a miss to a guess given up")
		}
		done(false)
	}
}
