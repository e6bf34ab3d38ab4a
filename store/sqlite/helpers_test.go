package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/pokerd/pokerd/game"
)

// openLog opens a store in dir (a fresh one when dir is empty) and closes it at the end.
func openLog(t testing.TB, path string, cfg Config) *Log {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "pokerd.db")
	}
	cfg.Path = path
	l, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { _ = l.Close(context.Background()) })
	return l
}

func closeLog(t testing.TB, l *Log) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := l.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// event is room code's seq-th event, with data that says which it is.
func event(code string, seq uint64) game.LoggedEvent {
	return game.LoggedEvent{Seq: seq, Kind: game.VoteCast, Data: []byte(fmt.Sprintf(`{"room":%q,"seq":%d}`, code, seq))}
}

func snapshot(code string, seq uint64) game.LoggedEvent {
	return game.LoggedEvent{Seq: seq, Snapshot: true, Data: []byte(fmt.Sprintf(`{"image":%q,"seq":%d}`, code, seq))}
}

// waitClosed fails the test when ch is not closed within a generous bound.
func waitClosed(t testing.TB, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(20 * time.Second):
		t.Fatalf("%s: the Committed channel never closed", what)
	}
}

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// checkEvents asserts that h holds exactly the events from..to of the room, in order.
func checkEvents(t testing.TB, h game.History, from, to uint64) {
	t.Helper()
	if want := int(to - from + 1); len(h.Events) != want {
		t.Fatalf("room %s: %d events, want %d (seq %d..%d)", h.Code, len(h.Events), want, from, to)
	}
	for i, rec := range h.Events {
		want := event(h.Code, from+uint64(i))
		if rec.Seq != want.Seq || rec.Kind != want.Kind || string(rec.Data) != string(want.Data) {
			t.Fatalf("room %s: event %d is seq %d %v %s, want seq %d %s", h.Code, i, rec.Seq, rec.Kind, rec.Data, want.Seq, want.Data)
		}
	}
}

func histogramCount(t testing.TB, h interface{ Write(*dto.Metric) error }) (count uint64, sum float64) {
	t.Helper()
	var m dto.Metric
	if err := h.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetHistogram().GetSampleCount(), m.GetHistogram().GetSampleSum()
}

func counterValue(t testing.TB, c interface{ Write(*dto.Metric) error }) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

func eventWith(seq uint64, data []byte) game.LoggedEvent {
	return game.LoggedEvent{Seq: seq, Kind: game.VoteCast, Data: data}
}
