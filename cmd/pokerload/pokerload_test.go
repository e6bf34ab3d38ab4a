package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pokerd/pokerd/conf"
	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers"
)

// TestMain lets the test binary stand in for pokerload when --baseline starts the
// baseline as a child process of the same executable.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "serve-baseline" {
		ctx, stop := context.WithCancel(context.Background())
		go func() { // the parent ends the child with an interrupt
			sig := make(chan os.Signal, 1)
			signal.Notify(sig, os.Interrupt)
			<-sig
			stop()
		}()
		if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// startPokerd serves the real pokerd handlers, wired as cmd/pokerd wires them, on a
// random loopback port.
func startPokerd(t *testing.T) string {
	t.Helper()
	decks, err := game.ParseDecks("(built-in)", conf.Decks)
	if err != nil {
		t.Fatal(err)
	}
	rooms := game.NewRegistry(game.RegistryConfig{Decks: decks, MaxRooms: 100, MaxPlayersPerRoom: 100})
	ws := handlers.DefaultWSConfig
	srv := handlers.New(handlers.Config{Rooms: rooms, Decks: decks, CORSOrigins: handlers.DefaultCORSOrigins,
		BodyLimit: 64 << 10, WS: ws, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.CloseStreams(ctx)
		ts.Close()
	})
	return ts.URL
}

// runLoad runs pokerload with args and decodes its JSON report.
func runLoad(t *testing.T, args ...string) report {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, append(args, "--json"), &out, &errOut); err != nil {
		t.Fatalf("pokerload %s: %v\n%s\n%s", strings.Join(args, " "), err, errOut.String(), out.String())
	}
	dec := json.NewDecoder(&out)
	dec.DisallowUnknownFields() // the documented shape, nothing else
	var rep report
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("the report is not the documented JSON: %v\n%s", err, out.String())
	}
	return rep
}

// smallLoad is 2 rooms of 5 players at 20 votes/s for 2 s.
var smallLoad = []string{"--mode", "fixed", "--rooms", "2", "--players", "5", "--rate", "20", "--duration", "2s", "--drain", "5s"}

// checkEveryMessageArrived asserts that each vote reached every other member of its room
// and that the counts add up: no drop, no close, nothing missing.
func checkEveryMessageArrived(t *testing.T, run runReport, wsPerRoom, browsersPerRoom int) {
	t.Helper()
	if run.Error != "" {
		t.Fatalf("%s run failed: %s", run.Server, run.Error)
	}
	if len(run.Steps) != 1 || run.Best == nil {
		t.Fatalf("%s: want one step, got %d", run.Server, len(run.Steps))
	}
	s := run.Steps[0]
	if s.SentVotes < 30 { // 20 votes/s for 2 s, with some slack for a slow machine
		t.Errorf("%s: only %d votes sent", run.Server, s.SentVotes)
	}
	wantWS := s.SentVotes * int64(wsPerRoom-1)
	wantSSE := s.SentVotes * int64(browsersPerRoom)
	if s.WSLatency.Expected != wantWS || s.WSLatency.Samples != wantWS {
		t.Errorf("%s: %d of %d PLAYERVOTED deliveries timed, want %d", run.Server, s.WSLatency.Samples, s.WSLatency.Expected, wantWS)
	}
	if s.SSELatency.Expected != wantSSE || s.SSELatency.Samples != wantSSE {
		t.Errorf("%s: %d of %d votes seen on the streams, want %d", run.Server, s.SSELatency.Samples, s.SSELatency.Expected, wantSSE)
	}
	if s.Missing != 0 || s.Closes != 0 || s.Stalls != 0 || s.SendErrors != 0 || s.StrayVotes != 0 {
		t.Errorf("%s: missing %d, closes %d, stalls %d, send errors %d, stray %d", run.Server, s.Missing, s.Closes, s.Stalls, s.SendErrors, s.StrayVotes)
	}
	// Every WebSocket also hears each vote of its own and, per round, RESETGAME and
	// REVEALGAME: at least votes × members frames.
	if minFrames := s.SentVotes * int64(wsPerRoom); s.WSFrames < minFrames {
		t.Errorf("%s: %d frames delivered, want at least %d", run.Server, s.WSFrames, minFrames)
	}
	if s.SSEEvents < s.SentVotes/2*int64(browsersPerRoom) { // votes are split between 2 rooms
		t.Errorf("%s: %d stream updates for %d votes", run.Server, s.SSEEvents, s.SentVotes)
	}
	if s.Delivered != s.WSFrames+s.SSEEvents || s.DeliveredRate <= 0 {
		t.Errorf("%s: delivered %d (%f/s) is not frames %d + updates %d", run.Server, s.Delivered, s.DeliveredRate, s.WSFrames, s.SSEEvents)
	}
	l := s.Latency
	if l.Samples != wantWS+wantSSE || !(0 < l.P50 && l.P50 <= l.P95 && l.P95 <= l.P99 && l.P99 <= l.Max) {
		t.Errorf("%s: latency %+v is not a distribution of %d samples", run.Server, l, wantWS+wantSSE)
	}
}

func TestLoadAgainstPokerdDeliversEveryVote(t *testing.T) {
	t.Parallel()
	base := startPokerd(t)
	rep := runLoad(t, append(smallLoad, "--target", base, "--sse-share", "0.2", "--pid", "0")...)
	if rep.Tool != "pokerload" || rep.Version != reportVersion || rep.Mode != "fixed" || rep.Cores < 1 || rep.Ratios != nil {
		t.Errorf("report header: %+v", rep)
	}
	if rep.Config.BrowsersPerRoom != 1 || len(rep.Runs) != 1 {
		t.Fatalf("config %+v, %d runs", rep.Config, len(rep.Runs))
	}
	run := rep.Runs[0]
	if run.WSConns != 8 || run.SSEStreams != 2 {
		t.Errorf("%d sockets and %d streams, want 8 and 2", run.WSConns, run.SSEStreams)
	}
	checkEveryMessageArrived(t, run, 4, 1)
	if run.Memory != nil || run.Steps[0].CPUSeconds != nil {
		t.Errorf("CPU and memory reported without a pid")
	}
}

func TestLoadAgainstPokerdAndBaselineGivesRatios(t *testing.T) {
	t.Parallel()
	base := startPokerd(t)
	// The in-process pokerd shares this process: its pid is ours, as good as any for
	// checking that the figures are read and divided.
	rep := runLoad(t, append(smallLoad, "--target", base, "--pid", strconv.Itoa(os.Getpid()), "--baseline")...)
	if len(rep.Runs) != 2 || rep.Runs[0].Server != "target" || rep.Runs[1].Server != "baseline" {
		t.Fatalf("runs: %+v", rep.Runs)
	}
	for _, run := range rep.Runs {
		checkEveryMessageArrived(t, run, 5, 0)
		if run.PID == 0 || run.Memory == nil || run.Memory.IdleBytes <= 0 || run.Steps[0].CPUPer1kMsgs == nil {
			t.Errorf("%s: no CPU or memory figures: %+v", run.Server, run.Memory)
		}
	}
	r := rep.Ratios
	if r == nil || r.DeliveredPerS == nil || r.P99 == nil || r.CPUPer1kMsgs == nil || r.RSSPerConn == nil {
		t.Fatalf("ratios missing: %+v", r)
	}
	if len(r.Budgets) != 1 || r.Budgets[0].Limit != "<= 2" {
		t.Errorf("fixed mode checks the p99 budget only: %+v", r.Budgets)
	}
}

func TestIdleModeReportsMemoryPerConnection(t *testing.T) {
	t.Parallel()
	rep := runLoad(t, "--baseline", "--mode", "idle", "--conns", "30", "--players", "10", "--settle", "1s")
	if len(rep.Runs) != 1 {
		t.Fatalf("%d runs", len(rep.Runs))
	}
	run := rep.Runs[0]
	if run.Error != "" || run.WSConns != 30 || len(run.Steps) != 0 || run.Memory == nil {
		t.Fatalf("idle run: %+v", run)
	}
	if run.Memory.ConnectedBytes < run.Memory.IdleBytes {
		t.Errorf("memory fell while connecting: %+v", run.Memory)
	}
}

func TestConfigRefusesWhatCannotRun(t *testing.T) {
	for _, args := range [][]string{
		{},                               // no server
		{"--target", "localhost:8000"},   // not a URL
		{"--baseline", "--mode", "fast"}, // no such mode
		{"--baseline", "--pid", "1"},     // a pid without a target
		{"--baseline", "--sse-share", "2"},
		{"--baseline", "--players", "1"},
		{"--baseline", "--mode", "idle", "--repeat", "2"}, // memory needs a fresh server
		{"--baseline", "--players", "5", "--sse-share", "0.4", "--voters", "4"},
	} {
		if _, err := parseConfig(args, io.Discard); err == nil {
			t.Errorf("parseConfig(%q) accepted", args)
		}
	}
}

func TestPercentilesAreNearestRank(t *testing.T) {
	lat := make([]int64, 100)
	for i := range lat {
		lat[i] = int64(100-i) * 1e6 // 100 ms down to 1 ms
	}
	l := summarize(lat, 100)
	if l.P50 != 50 || l.P95 != 95 || l.P99 != 99 || l.Max != 100 || l.Samples != 100 {
		t.Errorf("got %+v", l)
	}
	if l := summarize(nil, 3); l.Samples != 0 || l.Expected != 3 || l.P99 != 0 {
		t.Errorf("empty: %+v", l)
	}
}

func TestProcReadsThisProcess(t *testing.T) {
	s, err := readProc(os.Getpid())
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	if s.rss <= 0 || s.cpu < 0 {
		t.Errorf("got %+v", s)
	}
}
