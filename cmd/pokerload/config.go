package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// config is one invocation of the load tool.
type config struct {
	target   string // the server under test, e.g. http://127.0.0.1:8000; empty with --baseline alone
	baseline bool   // also run the same load against the baseline server
	pid      int    // the target server's pid, for its CPU and memory (0: not measured)

	mode     string // fixed, ramp or idle
	rooms    int
	players  int     // per room, browsers included
	sseShare float64 // share of each room's players that are browsers on the event stream
	voters   int     // WebSocket players per room who vote in each round (0: all of them)
	rate     float64 // offered votes per second across all rooms (fixed)
	duration time.Duration
	drain    time.Duration // how long to wait for late deliveries before counting them missing

	rampStart  float64       // first offered rate of a ramp
	rampFactor float64       // each step multiplies the rate by this until p99 breaks the budget
	rampStep   time.Duration // length of one ramp step
	rampSteps  int           // most steps, refinements included
	p99Budget  time.Duration // the latency a ramp step must stay under

	conns  int           // idle mode: WebSocket connections to open
	settle time.Duration // idle mode: how long the memory may take to settle

	parallel       int // setup requests and dials in flight at once
	baselineOutbox int // messages queued per baseline socket before it counts as too slow
	json           bool
	cpuProfile     string // where to write this tool's own CPU profile
	repeat         int    // how many times target and baseline take turns
}

func parseConfig(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("pokerload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.target, "target", "", "base URL of the server under test (http://host:port)")
	fs.BoolVar(&cfg.baseline, "baseline", false, "also run the load against the baseline server, started as a child process, and print the ratios")
	fs.IntVar(&cfg.pid, "pid", 0, "pid of the target server, to read its CPU time and resident memory from /proc")
	fs.StringVar(&cfg.mode, "mode", "fixed", "fixed (--rate for --duration), ramp (raise the rate until p99 passes --p99) or idle (--conns open sockets)")
	fs.IntVar(&cfg.rooms, "rooms", 10, "rooms")
	fs.IntVar(&cfg.players, "players", 50, "players per room, browsers included")
	fs.Float64Var(&cfg.sseShare, "sse-share", 0, "share of each room's players that are browsers reading the room's event stream (0–1; the facilitator stays on the WebSocket)")
	fs.IntVar(&cfg.voters, "voters", 0, "WebSocket players per room who vote in each round, the facilitator first (0: every WebSocket player); the others only listen")
	fs.Float64Var(&cfg.rate, "rate", 500, "offered votes per second across all rooms (fixed mode)")
	fs.DurationVar(&cfg.duration, "duration", 10*time.Second, "how long votes are sent (fixed mode)")
	fs.DurationVar(&cfg.drain, "drain", 5*time.Second, "how long to wait for late deliveries before they count as missing")
	fs.Float64Var(&cfg.rampStart, "ramp-start", 200, "first offered rate of a ramp, votes/s")
	fs.Float64Var(&cfg.rampFactor, "ramp-factor", 1.5, "each ramp step multiplies the rate by this until a step fails")
	fs.DurationVar(&cfg.rampStep, "ramp-step", 5*time.Second, "length of one ramp step")
	fs.IntVar(&cfg.rampSteps, "ramp-steps", 14, "most ramp steps, refinements between the last good and the first failed rate included")
	fs.DurationVar(&cfg.p99Budget, "p99", 100*time.Millisecond, "p99 fan-out latency a ramp step must stay under")
	fs.IntVar(&cfg.conns, "conns", 1000, "WebSocket connections to open (idle mode)")
	fs.DurationVar(&cfg.settle, "settle", 5*time.Second, "idle mode: longest wait for the server's memory to settle after connecting")
	fs.IntVar(&cfg.parallel, "parallel", 32, "setup requests and dials in flight at once")
	fs.IntVar(&cfg.baselineOutbox, "baseline-outbox", 256, "messages queued per baseline socket before it is dropped as too slow (pokerd's --ws-outbox default)")
	fs.IntVar(&cfg.repeat, "repeat", 1, "run target and baseline in turn this many times; the ratios are the medians")
	fs.BoolVar(&cfg.json, "json", false, "print the report as JSON instead of tables")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write the load generator's own CPU profile to this file")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	cfg.target = strings.TrimRight(cfg.target, "/")
	return cfg, cfg.check()
}

func (cfg config) check() error {
	var errs []error
	if cfg.target == "" && !cfg.baseline {
		errs = append(errs, errors.New("give --target, --baseline or both"))
	}
	if cfg.target != "" && !strings.HasPrefix(cfg.target, "http://") && !strings.HasPrefix(cfg.target, "https://") {
		errs = append(errs, errors.New("--target must be an http(s) URL"))
	}
	if cfg.pid != 0 && cfg.target == "" {
		errs = append(errs, errors.New("--pid needs --target"))
	}
	switch cfg.mode {
	case "fixed", "ramp", "idle":
	default:
		errs = append(errs, fmt.Errorf("--mode %q: want fixed, ramp or idle", cfg.mode))
	}
	if cfg.rooms < 1 || cfg.players < 2 {
		errs = append(errs, errors.New("--rooms must be at least 1 and --players at least 2"))
	}
	if cfg.voters < 0 || cfg.voters > cfg.players-cfg.browsersPerRoom() {
		errs = append(errs, errors.New("--voters must be between 0 and the WebSocket players per room"))
	}
	if cfg.sseShare < 0 || cfg.sseShare > 1 {
		errs = append(errs, errors.New("--sse-share must be between 0 and 1"))
	}
	if cfg.mode == "fixed" && (cfg.rate <= 0 || cfg.duration <= 0) {
		errs = append(errs, errors.New("fixed mode needs a positive --rate and --duration"))
	}
	if cfg.mode == "ramp" && (cfg.rampStart <= 0 || cfg.rampFactor <= 1 || cfg.rampStep <= 0 || cfg.rampSteps < 1) {
		errs = append(errs, errors.New("ramp mode needs --ramp-start > 0, --ramp-factor > 1, --ramp-step > 0 and --ramp-steps ≥ 1"))
	}
	if cfg.mode == "idle" && cfg.conns < 1 {
		errs = append(errs, errors.New("idle mode needs --conns ≥ 1"))
	}
	if cfg.mode == "idle" && cfg.repeat > 1 {
		// A Go server keeps the memory of connections gone for the next ones: only a
		// fresh process shows what a connection costs.
		errs = append(errs, errors.New("idle mode measures a fresh server's memory: run it once per fresh server instead of --repeat"))
	}
	if cfg.parallel < 1 || cfg.baselineOutbox < 1 || cfg.repeat < 1 {
		errs = append(errs, errors.New("--parallel, --baseline-outbox and --repeat must be at least 1"))
	}
	return errors.Join(errs...)
}

// browsersPerRoom is how many of a room's players read the event stream; the
// facilitator always stays on the WebSocket, since it drives the rounds.
func (cfg config) browsersPerRoom() int {
	n := int(cfg.sseShare*float64(cfg.players) + 0.5)
	return min(n, cfg.players-1)
}

const usage = `pokerload drives a pokerd server (or anything speaking its API) with rooms of players
and reports fan-out throughput, latency, drops and the server's CPU and memory.

usage:
  pokerload --target http://127.0.0.1:8000 [--pid PID] [--baseline] [flags]
  pokerload --baseline [flags]                 the baseline server alone
  pokerload serve-baseline [--addr 127.0.0.1:0] [--outbox 256] [--cpuprofile FILE]
                                               run the baseline server in the foreground

flags:
`
