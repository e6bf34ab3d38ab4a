package main

import (
	"slices"
	"sync"
	"time"
)

// clock gives monotonic timestamps as nanoseconds since the run began, so that a send
// time fits in one atomic word. Zero means "not sent", hence the +1.
type clock struct{ base time.Time }

func (c clock) now() int64 { return int64(time.Since(c.base)) + 1 }

// samples collects one client's latencies. Only its reader adds, the step collects:
// the lock is uncontended almost always.
type samples struct {
	mu  sync.Mutex
	lat []int64 // nanoseconds
}

func (s *samples) add(d int64) {
	s.mu.Lock()
	s.lat = append(s.lat, d)
	s.mu.Unlock()
}

func (s *samples) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.lat)
}

// take returns the samples so far and starts afresh.
func (s *samples) take() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.lat
	s.lat = nil
	return out
}

// latency is a distribution of fan-out latencies, in milliseconds.
type latency struct {
	Samples  int64   `json:"samples"`
	Expected int64   `json:"expected"`
	P50      float64 `json:"p50_ms"`
	P95      float64 `json:"p95_ms"`
	P99      float64 `json:"p99_ms"`
	Max      float64 `json:"max_ms"`
}

// summarize sorts lat in place and reads its percentiles (nearest rank).
func summarize(lat []int64, expected int64) latency {
	l := latency{Samples: int64(len(lat)), Expected: expected}
	if len(lat) == 0 {
		return l
	}
	slices.Sort(lat)
	rank := func(p float64) float64 {
		i := int(p*float64(len(lat))+0.999999) - 1
		return ms(lat[min(max(i, 0), len(lat)-1)])
	}
	l.P50, l.P95, l.P99, l.Max = rank(0.50), rank(0.95), rank(0.99), ms(lat[len(lat)-1])
	return l
}

func ms(ns int64) float64 { return float64(ns) / 1e6 }
