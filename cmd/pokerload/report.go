package main

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
)

// reportVersion is the version of the JSON shape; it changes only when a field changes
// meaning or goes away (new fields may be added).
const reportVersion = 1

// report is what a run prints: one entry in runs per server, and the ratios of the
// target to the baseline when both ran.
type report struct {
	Tool    string       `json:"tool"`    // "pokerload"
	Version int          `json:"version"` // reportVersion
	Mode    string       `json:"mode"`    // fixed, ramp or idle
	Cores   int          `json:"cores"`   // runtime.NumCPU() of the machine running the load
	Config  reportConfig `json:"config"`
	Runs    []runReport  `json:"runs"`
	Ratios  *ratios      `json:"ratios"` // null unless both a target and the baseline ran; medians with --repeat
}

type reportConfig struct {
	Rooms           int     `json:"rooms"`
	Players         int     `json:"players"`
	BrowsersPerRoom int     `json:"browsers_per_room"`
	Voters          int     `json:"voters_per_room"` // 0: every WebSocket player votes
	Rate            float64 `json:"rate"`            // fixed mode's offered votes/s
	DurationSeconds float64 `json:"duration_seconds"`
	Conns           int     `json:"conns"` // idle mode
	P99BudgetMS     float64 `json:"p99_budget_ms"`
	DrainSeconds    float64 `json:"drain_seconds"`
	Repeat          int     `json:"repeat"`
}

// runReport is the load against one server.
type runReport struct {
	Server     string       `json:"server"` // "target" or "baseline"
	Repeat     int          `json:"repeat"` // 1, 2, … with --repeat
	URL        string       `json:"url"`
	PID        int          `json:"pid"` // 0 when not measured
	WSConns    int          `json:"ws_conns"`
	SSEStreams int          `json:"sse_streams"`
	Memory     *memory      `json:"memory"` // null without a pid
	Steps      []stepReport `json:"steps"`  // fixed: one; ramp: every step in order; idle: none
	Best       *stepReport  `json:"best"`   // fixed: its step; ramp: the highest passing step (null if none)
	Error      string       `json:"error,omitempty"`
}

// memory is the server's resident memory, from /proc/<pid>/status.
type memory struct {
	IdleBytes      int64 `json:"rss_idle_bytes"`      // rooms and players seated, nobody connected
	ConnectedBytes int64 `json:"rss_connected_bytes"` // every client connected, before the votes
	EndBytes       int64 `json:"rss_end_bytes"`       // after the last step
	PerConnBytes   int64 `json:"rss_per_conn_bytes"`  // (connected − idle) / open connections
}

// stepReport is one offered rate held for a while.
type stepReport struct {
	OfferedRate   float64  `json:"offered_votes_per_s"`
	SentVotes     int64    `json:"sent_votes"`
	AchievedRate  float64  `json:"sent_votes_per_s"`
	SendSeconds   float64  `json:"send_seconds"`
	Seconds       float64  `json:"seconds"` // first send to last delivery
	Delivered     int64    `json:"delivered"`
	DeliveredRate float64  `json:"delivered_per_s"`
	WSFrames      int64    `json:"ws_frames"`
	SSEEvents     int64    `json:"sse_updates"`
	WSBytes       int64    `json:"ws_bytes"`  // payload of the frames
	SSEBytes      int64    `json:"sse_bytes"` // data of the updates (HTML)
	Latency       latency  `json:"latency"`   // WebSocket and stream samples together
	WSLatency     latency  `json:"ws_latency"`
	SSELatency    latency  `json:"sse_latency"`
	Missing       int64    `json:"missing"`           // expected deliveries that did not come within the drain time
	Closes        int64    `json:"unexpected_closes"` // connections the server ended
	Stalls        int64    `json:"stalled_rounds"`    // a reset or votes the facilitator did not hear in time
	SendErrors    int64    `json:"send_errors"`
	StrayVotes    int64    `json:"stray_votes"` // PLAYERVOTED heard outside the round it was sent in
	CPUSeconds    *float64 `json:"cpu_seconds"` // server CPU over the step; null without a pid
	CPUPer1kMsgs  *float64 `json:"cpu_seconds_per_1k_delivered"`
	GeneratorCPU  float64  `json:"generator_cpu_seconds"` // this tool's own CPU over the step: near cores × seconds, it is the limit
	Pass          *bool    `json:"pass,omitempty"`        // ramp: p99 within budget, nothing missing or closed, ≥ 90% of the rate sent
}

func (s stepReport) clean() bool {
	return s.Missing == 0 && s.Closes == 0 && s.Stalls == 0 && s.SendErrors == 0
}

// ratios are target ÷ baseline for the same load; null where either side lacks it.
type ratios struct {
	DeliveredPerS *float64 `json:"delivered_per_s"` // fixed: of its step; ramp: of the best steps
	// P99 and CPUPer1kMsgs compare the same offered rate: fixed mode only.
	OfferedRate  *float64 `json:"offered_votes_per_s,omitempty"`
	P99          *float64 `json:"p99"`
	CPUPer1kMsgs *float64 `json:"cpu_per_1k_delivered"`
	RSSPerConn   *float64 `json:"rss_per_conn"` // of the first pair only: see medianRatios
	Budgets      []budget `json:"budgets"`
	Pairs        int      `json:"pairs"` // target/baseline pairs the ratios are medians of
}

// budget is one of issue 6's budgets, checked where this mode measures it.
type budget struct {
	Name  string  `json:"name"`
	Ratio float64 `json:"ratio"`
	Limit string  `json:"limit"` // e.g. ">= 0.8"
	OK    bool    `json:"ok"`
}

func newReport(cfg config) *report {
	return &report{Tool: "pokerload", Version: reportVersion, Mode: cfg.mode, Cores: runtime.NumCPU(),
		Config: reportConfig{
			Rooms: cfg.rooms, Players: cfg.players, BrowsersPerRoom: cfg.browsersPerRoom(), Voters: cfg.voters,
			Rate: cfg.rate, DurationSeconds: cfg.duration.Seconds(), Conns: cfg.conns,
			P99BudgetMS: ms(int64(cfg.p99Budget)), DrainSeconds: cfg.drain.Seconds(), Repeat: cfg.repeat,
		},
		Runs: []runReport{},
	}
}

func ratio(a, b float64) *float64 {
	if b == 0 {
		return nil
	}
	r := a / b
	return &r
}

func ratioPtr(a, b *float64) *float64 {
	if a == nil || b == nil {
		return nil
	}
	return ratio(*a, *b)
}

// compare computes target ÷ baseline for one pair of runs.
func compare(mode string, target, base runReport) *ratios {
	r := &ratios{Pairs: 1}
	if t, b := target.Best, base.Best; t != nil && b != nil {
		r.DeliveredPerS = ratio(t.DeliveredRate, b.DeliveredRate)
		if mode == "ramp" {
			// The best steps of a ramp are at different rates: only their rates compare.
			r.OfferedRate = ratio(t.OfferedRate, b.OfferedRate)
		} else {
			r.P99 = ratio(t.Latency.P99, b.Latency.P99)
			r.CPUPer1kMsgs = ratioPtr(t.CPUPer1kMsgs, b.CPUPer1kMsgs)
		}
	}
	if target.Memory != nil && base.Memory != nil {
		r.RSSPerConn = ratio(float64(target.Memory.PerConnBytes), float64(base.Memory.PerConnBytes))
	}
	r.Budgets = budgets(mode, r)
	return r
}

// budgets checks issue 6's budgets that this mode measures.
func budgets(mode string, r *ratios) []budget {
	out := []budget{}
	check := func(name string, v *float64, limit string, ok bool) {
		if v != nil {
			out = append(out, budget{Name: name, Ratio: *v, Limit: limit, OK: ok})
		}
	}
	switch mode {
	case "ramp":
		check("sustained delivered msgs/s at p99 within budget", r.DeliveredPerS, ">= 0.8", r.DeliveredPerS != nil && *r.DeliveredPerS >= 0.8)
	case "fixed":
		check("p99 fan-out latency", r.P99, "<= 2", r.P99 != nil && *r.P99 <= 2)
	case "idle":
		check("memory per idle WebSocket", r.RSSPerConn, "<= 1.5", r.RSSPerConn != nil && *r.RSSPerConn <= 1.5)
	}
	return out
}

func (rep *report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// writeTables prints one table per server, then the ratios.
func (rep *report) writeTables(w io.Writer) {
	c := rep.Config
	fmt.Fprintf(w, "pokerload %s mode, %d cores", rep.Mode, rep.Cores)
	if rep.Mode == "idle" {
		fmt.Fprintf(w, ", %d idle WebSockets in rooms of up to %d players\n", c.Conns, c.Players)
	} else {
		fmt.Fprintf(w, ", %d rooms × %d players, %d of each room browsers\n", c.Rooms, c.Players, c.BrowsersPerRoom)
	}
	for _, run := range rep.Runs {
		fmt.Fprintf(w, "\n%s %s", run.Server, run.URL)
		if rep.Config.Repeat > 1 {
			fmt.Fprintf(w, " [%d of %d]", run.Repeat, rep.Config.Repeat)
		}
		if run.PID != 0 {
			fmt.Fprintf(w, " (pid %d)", run.PID)
		}
		fmt.Fprintf(w, ": %d WebSockets, %d event streams\n", run.WSConns, run.SSEStreams)
		if run.Error != "" {
			fmt.Fprintf(w, "  error: %s\n", run.Error)
		}
		if m := run.Memory; m != nil {
			fmt.Fprintf(w, "  memory: idle %s, connected %s, end %s, %s per connection",
				mib(m.IdleBytes), mib(m.ConnectedBytes), mib(m.EndBytes), kib(m.PerConnBytes))
			if run.Repeat > 1 {
				fmt.Fprint(w, " (not a fresh process: memory of earlier runs reused)")
			}
			fmt.Fprintln(w)
		}
		if len(run.Steps) == 0 {
			continue
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "offered/s\tsent/s\tdelivered/s\tp50 ms\tp95 ms\tp99 ms\tmax ms\tsamples\tmissing\tcloses\tstalls\tCPU s/1k msgs\tload CPU s\tpass\t")
		for _, s := range run.Steps {
			pass := ""
			if s.Pass != nil {
				pass = map[bool]string{true: "yes", false: "no"}[*s.Pass]
			}
			fmt.Fprintf(tw, "%.0f\t%.0f\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%d/%d\t%d\t%d\t%d\t%s\t%.1f\t%s\t\n",
				s.OfferedRate, s.AchievedRate, s.DeliveredRate, s.Latency.P50, s.Latency.P95, s.Latency.P99, s.Latency.Max,
				s.Latency.Samples, s.Latency.Expected, s.Missing, s.Closes, s.Stalls, optFloat(s.CPUPer1kMsgs, "%.4f"), s.GeneratorCPU, pass)
		}
		tw.Flush()
		if rep.Mode == "ramp" {
			if b := run.Best; b != nil {
				fmt.Fprintf(w, "  highest rate with p99 ≤ %.0f ms: %.0f votes/s, %.0f delivered msgs/s (p99 %.2f ms)\n",
					c.P99BudgetMS, b.OfferedRate, b.DeliveredRate, b.Latency.P99)
			} else {
				fmt.Fprintf(w, "  no step kept p99 ≤ %.0f ms\n", c.P99BudgetMS)
			}
		}
	}
	if r := rep.Ratios; r != nil {
		fmt.Fprintf(w, "\ntarget ÷ baseline (%d cores", rep.Cores)
		if r.Pairs > 1 {
			fmt.Fprintf(w, ", medians of %d pairs", r.Pairs)
		}
		fmt.Fprintln(w, "):")
		line := func(name string, v *float64) {
			if v != nil {
				fmt.Fprintf(w, "  %-34s %.2f\n", name, *v)
			}
		}
		line("delivered msgs/s", r.DeliveredPerS)
		line("offered votes/s", r.OfferedRate)
		line("p99 fan-out latency", r.P99)
		line("server CPU per delivered message", r.CPUPer1kMsgs)
		line("resident memory per connection", r.RSSPerConn)
		for _, b := range r.Budgets {
			mark := "ok"
			if !b.OK {
				mark = "OVER BUDGET"
			}
			fmt.Fprintf(w, "  budget: %s %.2f (%s) %s\n", b.Name, b.Ratio, b.Limit, mark)
		}
	}
}

func optFloat(v *float64, format string) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf(format, *v)
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
func kib(b int64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(b)/(1<<10)), ".0") + " KiB"
}

// medianRatios is the median of each ratio over the pairs (the lower middle for an even
// count, which favours neither side over many pairs), with the budgets checked on it.
func medianRatios(mode string, pairs []*ratios) *ratios {
	if len(pairs) == 0 {
		return nil
	}
	med := func(get func(*ratios) *float64) *float64 {
		var vs []float64
		for _, p := range pairs {
			if v := get(p); v != nil {
				vs = append(vs, *v)
			}
		}
		if len(vs) == 0 {
			return nil
		}
		slices.Sort(vs)
		m := vs[(len(vs)-1)/2]
		return &m
	}
	r := &ratios{
		DeliveredPerS: med(func(p *ratios) *float64 { return p.DeliveredPerS }),
		OfferedRate:   med(func(p *ratios) *float64 { return p.OfferedRate }),
		P99:           med(func(p *ratios) *float64 { return p.P99 }),
		CPUPer1kMsgs:  med(func(p *ratios) *float64 { return p.CPUPer1kMsgs }),
		// A Go server keeps the memory of closed connections for the next ones: only the
		// first run against each server process measures what a connection costs.
		RSSPerConn: pairs[0].RSSPerConn,
		Pairs:      len(pairs),
	}
	r.Budgets = budgets(mode, r)
	return r
}
