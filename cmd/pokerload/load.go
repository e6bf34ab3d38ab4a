package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// load is the rooms and clients of one run against one server.
type load struct {
	cfg       config
	base      string
	pid       int
	clock     clock
	transport *http.Transport
	api       *apiClient
	rooms     []*room

	readCtx  context.Context // the readers' lifetime
	stopRead context.CancelFunc
	stopping atomic.Bool
	readers  sync.WaitGroup

	lastFrames, lastEvents int64 // delivery counters at the end of the last step
}

// roomShape is how many WebSocket players and browsers a room gets.
type roomShape struct{ ws, browsers int }

func newLoad(cfg config, base string, pid int) *load {
	t := newTransport()
	ctx, cancel := context.WithCancel(context.Background())
	return &load{cfg: cfg, base: base, pid: pid, clock: clock{base: time.Now()}, transport: t,
		api: newAPIClient(base, t), readCtx: ctx, stopRead: cancel}
}

// forEach runs f for 0..n-1 with at most cfg.parallel at once and returns the errors.
func (l *load) forEach(n int, f func(i int) error) error {
	sem := make(chan struct{}, l.cfg.parallel)
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := f(i); err != nil {
				mu.Lock()
				if len(errs) < 5 {
					errs = append(errs, err)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// seat creates the rooms and seats their players, without connecting anyone: what the
// server holds then is the idle baseline of its memory.
func (l *load) seat(ctx context.Context, shapes []roomShape) error {
	l.rooms = make([]*room, len(shapes))
	return l.forEach(len(shapes), func(i int) error {
		code, err := l.api.createGame(ctx, "load "+strconv.Itoa(i))
		if err != nil {
			return err
		}
		r := newRoom(code, l.clock, uint64(i)+1)
		for j := range shapes[i].ws {
			name := "player " + strconv.Itoa(j)
			id, err := l.api.join(ctx, code, name) // the first is the facilitator
			if err != nil {
				return err
			}
			r.ws = append(r.ws, &wsPlayer{room: r, id: id, name: name})
		}
		for j := range shapes[i].browsers {
			client, err := joinBrowser(ctx, l.base, code, "browser "+strconv.Itoa(j), l.transport)
			if err != nil {
				return err
			}
			r.browsers = append(r.browsers, &browser{room: r, client: client})
		}
		r.seal(l.cfg.voters)
		l.rooms[i] = r
		return nil
	})
}

// connect opens every player's WebSocket and every browser's stream and waits until the
// joins' messages have been delivered.
func (l *load) connect(ctx context.Context) error {
	var ws []*wsPlayer
	var browsers []*browser
	for _, r := range l.rooms {
		ws = append(ws, r.ws...)
		browsers = append(browsers, r.browsers...)
	}
	dialer := &http.Client{Transport: l.transport}
	err := l.forEach(len(ws), func(i int) error {
		p := ws[i]
		dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		conn, err := dialPlayer(dctx, l.base, p.id, p.room.code, dialer)
		if err != nil {
			return fmt.Errorf("connect player %s to %s: %w", p.id, p.room.code, err)
		}
		p.conn = conn
		l.readers.Go(func() { p.read(l.readCtx, &l.stopping) })
		return nil
	})
	if err != nil {
		return err
	}
	err = l.forEach(len(browsers), func(i int) error {
		b := browsers[i]
		if err := b.openStream(l.readCtx, l.base); err != nil {
			return err
		}
		l.readers.Go(func() { b.read(l.readCtx, &l.stopping) })
		return nil
	})
	if err != nil {
		return err
	}
	if !poll(ctx, 30*time.Second, func() bool {
		for _, p := range ws {
			if !p.gotState.Load() {
				return false
			}
		}
		return true
	}) {
		return errors.New("not every socket received its STATE within 30s")
	}
	for _, r := range l.rooms {
		if err := r.learnAliases(); err != nil {
			return err
		}
	}
	l.quiesce(ctx)
	return nil
}

// quiesce waits until no message has arrived for a little while (at most 10 s), so that
// the connects' broadcasts are not counted in the first step.
func (l *load) quiesce(ctx context.Context) {
	last := int64(-1)
	quiet := 0
	poll(ctx, 10*time.Second, func() bool {
		f, e := l.delivered()
		if f+e == last {
			quiet++
		} else {
			quiet, last = 0, f+e
		}
		return quiet >= 3
	})
	l.lastFrames, l.lastEvents = l.delivered()
}

// poll checks cond every 20 ms until it holds or d passes.
func poll(ctx context.Context, d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		select {
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
		}
	}
	return true
}

// deliveredBytes is the size of every WebSocket frame and of every stream update's data
// received so far.
func (l *load) deliveredBytes() (ws, sse int64) {
	for _, r := range l.rooms {
		for _, p := range r.ws {
			ws += p.bytes.Load()
		}
		for _, b := range r.browsers {
			sse += b.bytes.Load()
		}
	}
	return ws, sse
}

// delivered is every WebSocket frame and every stream update received so far.
func (l *load) delivered() (frames, events int64) {
	for _, r := range l.rooms {
		for _, p := range r.ws {
			frames += p.frames.Load()
		}
		for _, b := range r.browsers {
			events += b.events.Load()
		}
	}
	return frames, events
}

func (l *load) counts() (ws, browsers int) {
	for _, r := range l.rooms {
		ws += len(r.ws)
		browsers += len(r.browsers)
	}
	return ws, browsers
}

// closes counts the clients whose connection ended without the run asking.
func (l *load) closes() (n int64) {
	for _, r := range l.rooms {
		for _, p := range r.ws {
			if p.closed.Load() {
				n++
			}
		}
		for _, b := range r.browsers {
			if b.closed.Load() {
				n++
			}
		}
	}
	return n
}

// close ends every connection, the way a client leaving does.
func (l *load) close() {
	l.stopping.Store(true)
	var all []*wsPlayer
	for _, r := range l.rooms {
		if r != nil {
			all = append(all, r.ws...)
		}
	}
	_ = l.forEach(len(all), func(i int) error {
		if c := all[i].conn; c != nil {
			_ = c.Close(websocket.StatusNormalClosure, "load done")
		}
		return nil
	})
	l.stopRead()
	l.readers.Wait()
	l.transport.CloseIdleConnections()
}

func (l *load) proc() (procSample, bool) {
	if l.pid == 0 {
		return procSample{}, false
	}
	s, err := readProc(l.pid)
	return s, err == nil
}

// step offers rate votes/s across the rooms for d, waits for the deliveries (at most
// the drain time) and measures.
func (l *load) step(ctx context.Context, rate float64, d time.Duration) stepReport {
	for _, r := range l.rooms {
		r.votesSent.Store(0)
		r.stalls.Store(0)
		r.sendErrs.Store(0)
		for _, p := range r.ws {
			p.lat.take()
			p.stray.Store(0)
		}
		for _, b := range r.browsers {
			b.lat.take()
		}
	}
	closesBefore := l.closes()
	frames0, events0 := l.delivered()
	wsBytes0, sseBytes0 := l.deliveredBytes()
	cpu0, haveCPU := l.proc()
	self0, _ := readProc(os.Getpid())
	start := time.Now()
	startAt := l.clock.now()

	// Each room offers rate/R votes/s; the rooms' schedules are staggered evenly.
	perRoom := time.Duration(float64(time.Second) * float64(len(l.rooms)) / rate)
	end := start.Add(d)
	var drivers sync.WaitGroup
	for i, r := range l.rooms {
		offset := time.Duration(int64(perRoom) * int64(i) / int64(len(l.rooms)))
		drivers.Go(func() { r.drive(ctx, perRoom, start.Add(offset), end, l.cfg.drain) })
	}
	drivers.Wait()
	sendEnd := time.Now()

	var sent, expWS, expSSE int64
	for _, r := range l.rooms {
		n := r.votesSent.Load()
		sent += n
		expWS += n * int64(len(r.ws)-1)
		expSSE += n * int64(len(r.browsers))
	}
	poll(ctx, l.cfg.drain, func() bool {
		ws, sse := l.sampleCounts()
		return ws >= expWS && sse >= expSSE
	})
	cpu1, _ := l.proc()
	self1, _ := readProc(os.Getpid())
	frames1, events1 := l.delivered()
	wsBytes1, sseBytes1 := l.deliveredBytes()

	var wsLat, sseLat []int64
	var lastAt int64
	var stalls, sendErrs, stray int64
	for _, r := range l.rooms {
		stalls += r.stalls.Load()
		sendErrs += r.sendErrs.Load()
		for _, p := range r.ws {
			wsLat = append(wsLat, p.lat.take()...)
			lastAt = max(lastAt, p.lastAt.Load())
			stray += p.stray.Load()
		}
		for _, b := range r.browsers {
			sseLat = append(sseLat, b.lat.take()...)
			lastAt = max(lastAt, b.lastAt.Load())
		}
	}
	// The step lasts from its first send to its last delivery (or the end of sending).
	elapsed := max(sendEnd.Sub(start), time.Duration(lastAt-startAt))
	s := stepReport{
		OfferedRate:  rate,
		SentVotes:    sent,
		Seconds:      elapsed.Seconds(),
		SendSeconds:  sendEnd.Sub(start).Seconds(),
		WSFrames:     frames1 - frames0,
		SSEEvents:    events1 - events0,
		WSBytes:      wsBytes1 - wsBytes0,
		SSEBytes:     sseBytes1 - sseBytes0,
		Closes:       l.closes() - closesBefore,
		Stalls:       stalls,
		SendErrors:   sendErrs,
		StrayVotes:   stray,
		WSLatency:    summarize(wsLat, expWS),
		SSELatency:   summarize(sseLat, expSSE),
		AchievedRate: float64(sent) / sendEnd.Sub(start).Seconds(),
		GeneratorCPU: (self1.cpu - self0.cpu).Seconds(),
	}
	s.Latency = summarize(slices.Concat(wsLat, sseLat), expWS+expSSE)
	s.Delivered = s.WSFrames + s.SSEEvents
	s.DeliveredRate = float64(s.Delivered) / elapsed.Seconds()
	s.Missing = max(0, expWS-s.WSLatency.Samples) + max(0, expSSE-s.SSELatency.Samples)
	if haveCPU {
		cpu := (cpu1.cpu - cpu0.cpu).Seconds()
		s.CPUSeconds = &cpu
		if s.Delivered > 0 {
			per := cpu / float64(s.Delivered) * 1000
			s.CPUPer1kMsgs = &per
		}
	}
	l.lastFrames, l.lastEvents = frames1, events1
	return s
}

func (l *load) sampleCounts() (ws, sse int64) {
	for _, r := range l.rooms {
		for _, p := range r.ws {
			ws += int64(p.lat.count())
		}
		for _, b := range r.browsers {
			sse += int64(b.lat.count())
		}
	}
	return ws, sse
}
