package game

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// fakeClock is a Clock whose time moves only when a test calls Advance. Timers due by
// then run synchronously inside Advance, in the order of their deadlines, outside the
// clock's lock (so a callback may schedule or stop timers).
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	clock *fakeClock
	at    time.Time
	f     func()
	done  bool // fired or stopped
}

func newFakeClock(now time.Time) *fakeClock { return &fakeClock{now: now} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{clock: c, at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	t.clock.mu.Lock()
	defer t.clock.mu.Unlock()
	if t.done {
		return false
	}
	t.done = true
	return true
}

// Advance moves the clock forward by d and runs every timer that is due by then.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		var next *fakeTimer
		for _, t := range c.timers {
			if !t.done && !t.at.After(end) && (next == nil || t.at.Before(next.at)) {
				next = t
			}
		}
		if next == nil {
			c.now = end
			c.timers = slices.DeleteFunc(c.timers, func(t *fakeTimer) bool { return t.done })
			c.mu.Unlock()
			return
		}
		next.done = true
		if next.at.After(c.now) {
			c.now = next.at
		}
		c.mu.Unlock()
		next.f()
	}
}

// Pending is the number of timers neither fired nor stopped.
func (c *fakeClock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if !t.done {
			n++
		}
	}
	return n
}

// The registry tests rely on the fake clock, so it is checked first.
func TestFakeClock(t *testing.T) {
	start := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

	t.Run("timer fires only once its deadline is reached", func(t *testing.T) {
		c := newFakeClock(start)
		fired := 0
		c.AfterFunc(time.Minute, func() { fired++ })
		c.Advance(59 * time.Second)
		if fired != 0 {
			t.Fatalf("fired %d times before the deadline", fired)
		}
		c.Advance(time.Second)
		if fired != 1 {
			t.Fatalf("fired %d times at the deadline, want 1", fired)
		}
		c.Advance(time.Hour)
		if fired != 1 {
			t.Fatalf("fired %d times in all, want 1", fired)
		}
		if got, want := c.Now(), start.Add(time.Hour+time.Minute); !got.Equal(want) {
			t.Fatalf("Now() = %v, want %v", got, want)
		}
	})

	t.Run("stopped timer never fires", func(t *testing.T) {
		c := newFakeClock(start)
		fired := false
		tm := c.AfterFunc(time.Second, func() { fired = true })
		if !tm.Stop() {
			t.Fatal("Stop of a pending timer reported false")
		}
		if tm.Stop() {
			t.Fatal("second Stop reported true")
		}
		c.Advance(time.Minute)
		if fired {
			t.Fatal("a stopped timer fired")
		}
	})

	t.Run("timers fire in deadline order and see their own time", func(t *testing.T) {
		c := newFakeClock(start)
		var got []time.Duration
		for _, d := range []time.Duration{3 * time.Second, time.Second, 2 * time.Second} {
			c.AfterFunc(d, func() { got = append(got, c.Now().Sub(start)) })
		}
		c.Advance(time.Minute)
		want := []time.Duration{time.Second, 2 * time.Second, 3 * time.Second}
		if !slices.Equal(got, want) {
			t.Fatalf("fired at %v, want %v", got, want)
		}
		if c.Pending() != 0 {
			t.Fatalf("Pending() = %d after all fired", c.Pending())
		}
	})
}
