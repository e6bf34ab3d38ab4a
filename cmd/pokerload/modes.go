package main

import (
	"context"
	"fmt"
	"time"
)

// measure runs the configured mode against one server and reports it. An error is
// reported in the run, not returned: the other server's run may still be of use.
func measure(ctx context.Context, cfg config, name, base string, pid int) runReport {
	run := runReport{Server: name, URL: base, PID: pid, Steps: []stepReport{}}
	l := newLoad(cfg, base, pid)
	defer l.close()
	if err := l.seat(ctx, shapes(cfg, name == "baseline")); err != nil {
		run.Error = "setting up: " + err.Error()
		return run
	}
	idle, haveProc := l.proc()
	if err := l.connect(ctx); err != nil {
		run.Error = err.Error()
		return run
	}
	run.WSConns, run.SSEStreams = l.counts()
	if cfg.mode == "idle" {
		settleMemory(ctx, l, cfg.settle)
	}
	connected, _ := l.proc()

	switch cfg.mode {
	case "fixed":
		s := l.step(ctx, cfg.rate, cfg.duration)
		run.Steps = append(run.Steps, s)
		run.Best = &s
	case "ramp":
		run.Steps, run.Best = ramp(ctx, cfg, l)
	}
	if haveProc {
		end, _ := l.proc()
		conns := int64(run.WSConns + run.SSEStreams)
		run.Memory = &memory{IdleBytes: idle.rss, ConnectedBytes: connected.rss, EndBytes: end.rss,
			PerConnBytes: (connected.rss - idle.rss) / max(conns, 1)}
	}
	if err := ctx.Err(); err != nil {
		run.Error = fmt.Sprintf("interrupted: %v", err)
	}
	return run
}

// shapes lays out the rooms. Idle mode fills rooms of --players until --conns sockets;
// the others have --rooms rooms of --players, a --sse-share of them browsers. The
// baseline has no pages: its browsers' seats are WebSocket players.
func shapes(cfg config, baseline bool) []roomShape {
	var out []roomShape
	if cfg.mode == "idle" {
		for left := cfg.conns; left > 0; left -= cfg.players {
			out = append(out, roomShape{ws: min(left, cfg.players)})
		}
		return out
	}
	b := cfg.browsersPerRoom()
	if baseline {
		b = 0
	}
	for range cfg.rooms {
		out = append(out, roomShape{ws: cfg.players - b, browsers: b})
	}
	return out
}

// ramp raises the offered rate by --ramp-factor while steps pass, then halves the gap
// between the last passing and the first failing rate while steps are left. A failing
// rate is tried a second time before it counts as failed. It returns
// every step and the highest passing one.
func ramp(ctx context.Context, cfg config, l *load) ([]stepReport, *stepReport) {
	var steps []stepReport
	lo, hi := 0.0, 0.0 // last passing and first failing rates
	rate := cfg.rampStart
	for range cfg.rampSteps {
		if ctx.Err() != nil {
			break
		}
		s := l.step(ctx, rate, cfg.rampStep)
		pass := passes(cfg, s)
		s.Pass = &pass
		steps = append(steps, s)
		if !pass && s.Closes == 0 && ctx.Err() == nil {
			// A machine that also runs other work has moments when everything stalls:
			// a failure counts only when the same rate fails twice in a row.
			again := l.step(ctx, rate, cfg.rampStep)
			pass = passes(cfg, again)
			again.Pass = &pass
			s = again
			steps = append(steps, again)
		}
		if pass {
			lo = rate
		} else {
			hi = rate
		}
		if s.Closes > 0 {
			break // the server dropped clients: later steps would not measure the same load
		}
		switch {
		case hi == 0:
			rate *= cfg.rampFactor
		case lo == 0:
			rate /= 2
		case hi/lo < 1.08:
			return steps, bestOf(steps)
		default:
			rate = (lo + hi) / 2
		}
	}
	return steps, bestOf(steps)
}

// passes tells a step that held the rate within the latency budget, with nothing lost.
func passes(cfg config, s stepReport) bool {
	return s.clean() && s.Latency.Samples > 0 &&
		s.Latency.P99 <= ms(int64(cfg.p99Budget)) && s.AchievedRate >= 0.9*s.OfferedRate
}

// bestOf is the passing step with the highest offered rate (steps may move in place as
// the slice grows, so it is chosen at the end).
func bestOf(steps []stepReport) *stepReport {
	var best *stepReport
	for i := range steps {
		s := &steps[i]
		if s.Pass != nil && *s.Pass && (best == nil || s.OfferedRate > best.OfferedRate) {
			best = s
		}
	}
	return best
}

// settleMemory waits, at most d, until the server's resident memory stops moving: the
// last connections' buffers and goroutines are then all in it.
func settleMemory(ctx context.Context, l *load, d time.Duration) {
	last := int64(-1)
	steady := 0
	poll(ctx, d, func() bool {
		s, ok := l.proc()
		if !ok {
			return true
		}
		if last > 0 && abs(s.rss-last) <= last/200 {
			steady++
		} else {
			steady = 0
		}
		last = s.rss
		return steady >= 10 // 200 ms without a change of 0.5%
	})
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
