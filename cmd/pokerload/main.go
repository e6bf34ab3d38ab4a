// Command pokerload puts a planning-poker server under load through its public API:
// rooms of players on the WebSocket API and, optionally, browsers on the rooms' event
// streams, voting round after round at an offered rate. It reports the messages
// delivered per second, the fan-out latency of each vote to every other member of its
// room, drops, and the server's CPU time and memory, beside the same figures for a
// minimal baseline server, so that a figure can be read as a ratio to what the machine
// allows.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pokerload:", err)
		os.Exit(1)
	}
}

// errRunFailed is returned when a run could not be carried out; the report says why.
var errRunFailed = errors.New("a run failed; see its error in the report")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "serve-baseline" {
		return runServeBaseline(ctx, args[1:], stdout, stderr)
	}
	cfg, err := parseConfig(args, stderr)
	if err != nil {
		return err
	}
	if cfg.cpuProfile != "" {
		stop, err := startProfile(cfg.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	rep := newReport(cfg)
	var child *baselineProcess
	if cfg.baseline {
		if child, err = startBaseline(ctx, cfg.baselineOutbox, stderr); err != nil {
			return fmt.Errorf("starting the baseline: %w", err)
		}
		defer child.stop()
	}
	// Target and baseline take turns, so that whatever else the machine does meanwhile
	// falls on both alike; with --repeat the ratios are the medians of the pairs.
	var pairs []*ratios
	for i := range cfg.repeat {
		if ctx.Err() != nil {
			break
		}
		var target, base *runReport
		if cfg.target != "" {
			r := measure(ctx, cfg, "target", cfg.target, cfg.pid)
			r.Repeat = i + 1
			rep.Runs = append(rep.Runs, r)
			target = &r
		}
		if child != nil && ctx.Err() == nil {
			r := measure(ctx, cfg, "baseline", child.url, child.pid)
			r.Repeat = i + 1
			rep.Runs = append(rep.Runs, r)
			base = &r
		}
		if target != nil && base != nil {
			pairs = append(pairs, compare(cfg.mode, *target, *base))
		}
	}
	rep.Ratios = medianRatios(cfg.mode, pairs)
	if cfg.json {
		if err := rep.writeJSON(stdout); err != nil {
			return err
		}
	} else {
		rep.writeTables(stdout)
	}
	for _, r := range rep.Runs {
		if r.Error != "" {
			return errRunFailed
		}
	}
	return nil
}

// baselineReady is the line serve-baseline prints once it listens.
const baselineReady = "pokerload baseline listening on "

func runServeBaseline(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pokerload serve-baseline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	outbox := fs.Int("outbox", 256, "messages queued per socket before it is dropped as too slow")
	profile := fs.String("cpuprofile", "", "write the baseline's CPU profile to this file when it stops")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *profile != "" {
		stop, err := startProfile(*profile)
		if err != nil {
			return err
		}
		defer stop()
	}
	return serveBaseline(ctx, *addr, *outbox, func(url string) {
		fmt.Fprintln(stdout, baselineReady+url)
	})
}

// baselineProcess is the baseline server in a child process of its own, so that its
// CPU time and memory are read from /proc as the target's are, without the load
// generator's in them.
type baselineProcess struct {
	cmd  *exec.Cmd
	url  string
	pid  int
	done chan struct{}
}

func startBaseline(ctx context.Context, outbox int, stderr io.Writer) (*baselineProcess, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "serve-baseline", "--addr", "127.0.0.1:0", "--outbox", strconv.Itoa(outbox))
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &baselineProcess{cmd: cmd, pid: cmd.Process.Pid, done: make(chan struct{})}
	urls := make(chan string, 1)
	go func() {
		defer close(p.done)
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			if rest, ok := strings.CutPrefix(lines.Text(), baselineReady); ok {
				urls <- rest
			}
		}
		_ = cmd.Wait()
	}()
	select {
	case p.url = <-urls:
		return p, nil
	case <-p.done:
		return nil, errors.New("the baseline exited before listening")
	case <-time.After(10 * time.Second):
	case <-ctx.Done():
	}
	p.stop()
	return nil, errors.New("the baseline did not start listening")
}

// stop ends the child and waits for it.
func (p *baselineProcess) stop() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// startProfile writes a CPU profile to file until the returned stop is called.
func startProfile(file string) (stop func(), err error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
