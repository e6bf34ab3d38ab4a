package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"
)

// The crash test: the real binary, on a data file, under load from several rooms
// (players joining over the API and as browsers, rounds, votes, reveals, estimates),
// killed with SIGKILL at a random moment and started again on the same file, twenty
// times. Whatever was acknowledged before a kill (a 2xx answer, the sender's own echo)
// must be there after the restart, and the rooms must play on.

const (
	crashKills       = 20
	crashRoomsAtOnce = 3 // rooms under load in each run, besides the one created in it
	crashMaxPlayers  = 5 // API players per room, besides the facilitator
	crashMaxBrowsers = 2 // browser players per room
)

// crashCards are the values of the Fibonacci deck's cards the players vote.
var crashCards = []float64{0.5, 1, 2, 3, 5, 8, 13, 21}

func TestCrashLosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it twenty times")
	}
	bin := buildPokerd(t)
	data := filepath.Join(t.TempDir(), "pokerd.db")
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, seed>>1))

	var rooms []*crashRoom
	started := time.Now()
	for run := range crashKills + 1 {
		p := startPokerd(t, bin, data)
		for _, r := range rooms {
			r.verify(t, p)
		}
		if run == crashKills {
			// The last start only checks what the last kill left, and that the rooms
			// still play: a round, votes and a reveal, acknowledged as before.
			for _, r := range rooms {
				r.playOn(t, p)
			}
			p.kill(t)
			break
		}
		// One new room each run, created under the load; the others play on.
		fresh := &crashRoom{name: fmt.Sprintf("Crash %d", run)}
		rooms = append(rooms, fresh)
		busy := append([]*crashRoom{fresh}, pick(rng, rooms[:len(rooms)-1], crashRoomsAtOnce)...)

		var wg sync.WaitGroup
		for _, r := range busy {
			own := rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))
			wg.Go(func() { r.load(p, own) })
		}
		time.Sleep(time.Duration(20+rng.IntN(300)) * time.Millisecond)
		p.kill(t)
		wg.Wait()
		for _, r := range busy {
			if r.err != nil {
				t.Fatalf("run %d, room %s: before the kill: %v\n%s", run, r.code, r.err, p.logs)
			}
		}
	}
	var acks int
	for _, r := range rooms {
		acks += r.acks
	}
	t.Logf("%d kills, %d rooms, %d acknowledged operations checked after each restart, in %v",
		crashKills, len(rooms), acks, time.Since(started).Round(time.Millisecond))
}

// pick returns up to n of rooms, at random.
func pick(rng *rand.Rand, rooms []*crashRoom, n int) []*crashRoom {
	shuffled := append([]*crashRoom(nil), rooms...)
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	return shuffled[:min(n, len(shuffled))]
}

// buildPokerd builds the binary once for the test, as `go build` does.
func buildPokerd(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "pokerd")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// pokerdProcess is the binary running on the data file.
type pokerdProcess struct {
	cmd    *exec.Cmd
	base   string
	wsBase string
	logs   *lockedBuffer
	exited chan struct{}
	killed atomic.Bool
}

func startPokerd(t *testing.T, bin, data string) *pokerdProcess {
	t.Helper()
	cmd := exec.Command(bin, "--addr", "127.0.0.1:0", "--data", data, "--log-level", "debug",
		// Nothing but the kill may end a room, a seat or a role, nor refuse the load.
		"--unused-room-ttl", "0", "--seat-release", "0", "--facilitator-timeout", "0",
		"--rooms-per-minute", "0", "--unused-rooms-per-address", "0", "--joins-per-minute", "0",
		"--ws-message-rate", "0", "--code-misses-per-minute", "0",
		"--connections-per-address", "0", "--connections-per-player", "0")
	cmd.Env = []string{}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &pokerdProcess{cmd: cmd, logs: &lockedBuffer{}, exited: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		_ = followLog(stderr, p.logs, addr)
		_ = cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() { p.kill(t) })
	select {
	case a := <-addr:
		p.base, p.wsBase = "http://"+a, "ws://"+a
	case <-p.exited:
		t.Fatalf("pokerd stopped at start-up:\n%s", p.logs)
	case <-time.After(10 * time.Second):
		t.Fatalf("pokerd did not listen within 10s:\n%s", p.logs)
	}
	waitReady(t, p.base, p.logs)
	return p
}

// kill ends the process with SIGKILL: no shutdown, no flush.
func (p *pokerdProcess) kill(t *testing.T) {
	t.Helper()
	if p.killed.Swap(true) {
		return
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("kill: %v", err)
	}
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		t.Errorf("pokerd did not die within 10s of SIGKILL")
	}
}

// crashRoom is one room as its clients know it: what the server acknowledged to them.
type crashRoom struct {
	name        string
	code        string // set once the creation was acknowledged
	facilitator crashPlayer
	seated      bool // the facilitator's join was acknowledged
	players     []crashPlayer
	browsers    []*crashBrowser

	round    int                // the last round whose start was acknowledged (its ticket's number)
	votes    map[string]float64 // the acknowledged votes of that round, by username
	revealed bool               // that round's reveal was acknowledged
	// estimates acknowledged, by the ticket link of their round.
	estimates map[string]string

	acks int   // acknowledged operations, for the log
	err  error // what went wrong before the kill
}

type crashPlayer struct {
	id   string
	name string
}

// crashBrowser is a browser player: a cookie, and the page's CSRF token.
type crashBrowser struct {
	name   string
	client *http.Client
	csrf   string
}

func ticketOf(round int) string { return "https://tickets.example/" + strconv.Itoa(round) }

var ticketRound = regexp.MustCompile(`^https://tickets\.example/(\d+)$`)

// load plays the room until the process is killed, noting each acknowledgement. An
// error after the kill is the kill's doing; one before it is the test's failure.
func (r *crashRoom) load(p *pokerdProcess, rng *rand.Rand) {
	err := r.play(p, rng, -1)
	if err != nil && !p.killed.Load() {
		r.err = err
	}
}

// playOn plays one round, all of it acknowledged, on a room that came back.
func (r *crashRoom) playOn(t *testing.T, p *pokerdProcess) {
	t.Helper()
	if err := r.play(p, rand.New(rand.NewPCG(1, 2)), 1); err != nil {
		t.Fatalf("room %s does not play on after the last restart: %v\n%s", r.code, err, p.logs)
	}
}

// play creates and seats what the room lacks, then plays rounds (all of them when
// rounds < 0) with every client: the facilitator starts one, everyone votes, the
// facilitator reveals it and records an estimate.
func (r *crashRoom) play(p *pokerdProcess, rng *rand.Rand, rounds int) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if r.code == "" {
		var game struct {
			Code string `json:"code"`
		}
		if err := postCrashJSON(p.base+"/api/game", map[string]any{"name": r.name, "deck_id": 1, "game_settings": map[string]any{}}, &game); err != nil {
			return fmt.Errorf("create: %w", err)
		}
		r.code, r.estimates = game.Code, map[string]string{}
		r.facilitator = crashPlayer{uuid.NewString(), "Facilitator"}
		r.acks++
	}
	if !r.seated {
		if err := r.joinAPI(p, r.facilitator); err != nil {
			return err
		}
		r.seated = true
	}
	if len(r.players) < crashMaxPlayers {
		// Names are unique even when a join is sent again after a kill: the first may
		// have been kept without being acknowledged.
		id := uuid.NewString()
		newcomer := crashPlayer{id, fmt.Sprintf("Player %d %s", len(r.players)+1, id[:8])}
		if err := r.joinAPI(p, newcomer); err != nil {
			return err
		}
		r.players = append(r.players, newcomer)
	}
	if len(r.browsers) < crashMaxBrowsers {
		b, err := r.joinBrowser(p, fmt.Sprintf("Browser %d %s", len(r.browsers)+1, uuid.NewString()[:8]))
		if err != nil {
			return err
		}
		r.browsers = append(r.browsers, b)
	}
	fac, err := dialCrash(ctx, p, r.facilitator.id, r.code)
	if err != nil {
		return err
	}
	sockets := map[string]*crashSocket{}
	for _, pl := range r.players {
		if sockets[pl.id], err = dialCrash(ctx, p, pl.id, r.code); err != nil {
			return err
		}
	}
	for n := 0; rounds < 0 || n < rounds; n++ {
		next := r.round + 1
		fac.send(ctx, "RESET", ticketOf(next))
		if _, err := fac.until(ctx, "RESETGAME", func(json.RawMessage) bool { return true }); err != nil {
			return fmt.Errorf("RESET: %w", err)
		}
		r.round, r.votes, r.revealed = next, map[string]float64{}, false
		r.acks++
		for _, pl := range r.players {
			v := crashCards[rng.IntN(len(crashCards))]
			s := sockets[pl.id]
			s.send(ctx, "SUBMITVOTE", v)
			if _, err := s.until(ctx, "PLAYERVOTED", playerNamed(pl.id)); err != nil {
				return fmt.Errorf("vote of %s: %w", pl.name, err)
			}
			r.votes[pl.name] = v
			r.acks++
		}
		for _, b := range r.browsers {
			v := crashCards[rng.IntN(len(crashCards))]
			if err := b.vote(p, r.code, v); err != nil {
				return fmt.Errorf("vote of %s: %w", b.name, err)
			}
			r.votes[b.name] = v
			r.acks++
		}
		fac.send(ctx, "REVEAL", "")
		if _, err := fac.until(ctx, "REVEALGAME", func(json.RawMessage) bool { return true }); err != nil {
			return fmt.Errorf("REVEAL: %w", err)
		}
		r.revealed = true
		r.acks++
		if err := r.estimate(ctx, p, fac, next); err != nil {
			return err
		}
	}
	return nil
}

// estimate records an estimate for the round just revealed, over the socket: the
// STATE that answers the SYNC sent after it is the acknowledgement (the socket's
// answers are held until its commands are committed, in order).
func (r *crashRoom) estimate(ctx context.Context, p *pokerdProcess, fac *crashSocket, round int) error {
	rec, err := r.record(p)
	if err != nil {
		return err
	}
	number := 0
	for _, rd := range rec.Rounds {
		if rd.TicketURL != nil && *rd.TicketURL == ticketOf(round) {
			number = rd.Round
		}
	}
	if number == 0 {
		return fmt.Errorf("the record has no round with ticket %s", ticketOf(round))
	}
	estimate := "E" + strconv.Itoa(round)
	fac.send(ctx, "ESTIMATE", map[string]any{"round": number, "estimate": estimate})
	fac.send(ctx, "SYNC", nil)
	if _, err := fac.until(ctx, "STATE", func(json.RawMessage) bool { return true }); err != nil {
		return fmt.Errorf("ESTIMATE: %w", err)
	}
	r.estimates[ticketOf(round)] = estimate
	r.acks++
	return nil
}

type crashRecord struct {
	Rounds []struct {
		Round     int     `json:"round"`
		TicketURL *string `json:"ticket_url"`
		Estimate  *string `json:"estimate"`
	} `json:"rounds"`
}

func (r *crashRoom) record(p *pokerdProcess) (crashRecord, error) {
	var rec crashRecord
	res, err := http.Get(p.base + "/api/game/" + r.code + "/record?player_id=" + r.facilitator.id)
	if err != nil {
		return rec, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return rec, fmt.Errorf("record: %s", res.Status)
	}
	return rec, json.NewDecoder(res.Body).Decode(&rec)
}

func (r *crashRoom) joinAPI(p *pokerdProcess, pl crashPlayer) error {
	if err := postCrashJSON(p.base+"/api/join/"+r.code, map[string]any{"username": pl.name, "id": pl.id}, nil); err != nil {
		return fmt.Errorf("join of %s: %w", pl.name, err)
	}
	r.acks++
	return nil
}

var crashCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// joinBrowser seats a browser through the join form: its 303 is the acknowledgement.
func (r *crashRoom) joinBrowser(p *pokerdProcess, name string) (*crashBrowser, error) {
	jar, _ := cookiejar.New(nil)
	b := &crashBrowser{name: name, client: &http.Client{
		Jar: jar, Timeout: 5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	page, err := b.client.Get(p.base + "/join/" + r.code)
	if err != nil {
		return nil, err
	}
	body := readAll(page)
	m := crashCSRF.FindStringSubmatch(body)
	if m == nil {
		return nil, fmt.Errorf("join page %s without a form token", page.Status)
	}
	b.csrf = m[1]
	res, err := b.client.PostForm(p.base+"/join/"+r.code, url.Values{"your_name": {name}, "_csrf": {b.csrf}})
	if err != nil {
		return nil, err
	}
	readAll(res)
	if res.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("join of %s: %s", name, res.Status)
	}
	r.acks++
	return b, nil
}

// vote votes as htmx does: its 200 is the acknowledgement.
func (b *crashBrowser) vote(p *pokerdProcess, code string, v float64) error {
	req, _ := http.NewRequest(http.MethodPost, p.base+"/room/"+code+"/vote",
		strings.NewReader(url.Values{"value": {strconv.FormatFloat(v, 'g', -1, 64)}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", b.csrf)
	res, err := b.client.Do(req)
	if err != nil {
		return err
	}
	body := readAll(res)
	if res.StatusCode != http.StatusOK || strings.Contains(body, `data-testid="hand-error"`) {
		return fmt.Errorf("%s: %.300s", res.Status, body)
	}
	return nil
}

// seatedPage reports whether the browser's cookie still seats it: its room page opens
// instead of sending it to the join page.
func (b *crashBrowser) seatedPage(p *pokerdProcess, code string) (bool, error) {
	res, err := b.client.Get(p.base + "/room/" + code)
	if err != nil {
		return false, err
	}
	readAll(res)
	return res.StatusCode == http.StatusOK, nil
}

// verify checks, on the restarted server, everything the room's clients were told was
// done before the kill. What was sent and not acknowledged may be there or not.
func (r *crashRoom) verify(t *testing.T, p *pokerdProcess) {
	t.Helper()
	if r.code == "" {
		return // its creation was never acknowledged
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if !r.seated {
		// Created, and the facilitator's join not acknowledged: the room must be there.
		if err := postCrashJSON(p.base+"/api/join/"+r.code, map[string]any{"username": r.facilitator.name, "id": r.facilitator.id}, nil); err != nil {
			t.Fatalf("room %s, acknowledged as created, is gone: %v\n%s", r.code, err, p.logs)
		}
		r.seated = true
	}
	conn, _, err := websocket.Dial(ctx, p.wsBase+"/api/ws/"+r.facilitator.id+"/"+r.code, nil)
	if err != nil {
		t.Fatalf("room %s: the facilitator cannot connect: %v", r.code, err)
	}
	defer conn.CloseNow()
	conn.SetReadLimit(1 << 20)
	fac := &crashSocket{conn: conn}
	raw, err := fac.until(ctx, "STATE", func(json.RawMessage) bool { return true })
	if err != nil {
		t.Fatalf("room %s, acknowledged as created, did not come back: %v\n%s", r.code, err, p.logs)
	}
	var st gameState
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{} // username → the key the facilitator sees
	for key, ps := range st.PlayerStates {
		byName[ps.Player.Username] = key
	}
	if ps, ok := st.PlayerStates[r.facilitator.id]; !ok || !ps.IsAdmin {
		t.Errorf("room %s: the facilitator is no longer seated as facilitator: %+v", r.code, st.PlayerStates)
	}
	for _, pl := range r.players {
		if _, ok := byName[pl.name]; !ok {
			t.Errorf("room %s: %s's acknowledged join is lost", r.code, pl.name)
		}
		// A Vue-style client reconnects with its id and is seated.
		c, _, err := websocket.Dial(ctx, p.wsBase+"/api/ws/"+pl.id+"/"+r.code, nil)
		if err != nil {
			t.Fatalf("room %s: %s cannot reconnect: %v", r.code, pl.name, err)
		}
		if _, err := (&crashSocket{conn: c}).until(ctx, "STATE", func(json.RawMessage) bool { return true }); err != nil {
			t.Errorf("room %s: %s reconnects and is refused: %v", r.code, pl.name, err)
		}
		c.CloseNow()
	}
	for _, b := range r.browsers {
		if _, ok := byName[b.name]; !ok {
			t.Errorf("room %s: %s's acknowledged join is lost", r.code, b.name)
		}
		if seated, err := b.seatedPage(p, r.code); err != nil || !seated {
			t.Errorf("room %s: %s's cookie no longer seats it (%v)", r.code, b.name, err)
		}
	}
	if r.round == 0 {
		return
	}
	stateRound := 0
	if st.TicketURL != nil {
		if m := ticketRound.FindStringSubmatch(*st.TicketURL); m != nil {
			stateRound, _ = strconv.Atoi(m[1])
		}
	}
	switch {
	case stateRound < r.round:
		t.Fatalf("room %s: round %d was acknowledged as started, the room is back at %d (%q)", r.code, r.round, stateRound, deref(st.TicketURL))
	case stateRound > r.round:
		// A round started and not acknowledged: what was acknowledged of the round
		// before it is in the record, checked below. The clients go on from it.
		r.round, r.votes, r.revealed = stateRound, map[string]float64{}, false
	default:
		for name := range r.votes {
			if key, ok := byName[name]; !ok || !st.PlayerStates[key].HasVoted {
				t.Errorf("room %s: %s's acknowledged vote in round %d is lost", r.code, name, r.round)
			}
		}
		if r.revealed {
			if st.RoundState != "REVEALED" {
				t.Fatalf("room %s: round %d was acknowledged as revealed, is %s", r.code, r.round, st.RoundState)
			}
			rawVotes, err := fac.until(ctx, "REVEALGAME", func(json.RawMessage) bool { return true })
			if err != nil {
				t.Fatal(err)
			}
			var votes map[string]*float64
			if err := json.Unmarshal(rawVotes, &votes); err != nil {
				t.Fatal(err)
			}
			for name, want := range r.votes {
				if got := votes[byName[name]]; got == nil || *got != want {
					t.Errorf("room %s: %s's acknowledged vote %v in round %d is back as %v", r.code, name, want, r.round, got)
				}
			}
		}
	}
	if len(r.estimates) == 0 {
		return
	}
	rec, err := r.record(p)
	if err != nil {
		t.Fatalf("room %s: record: %v", r.code, err)
	}
	got := map[string]string{}
	for _, rd := range rec.Rounds {
		if rd.TicketURL != nil && rd.Estimate != nil {
			got[*rd.TicketURL] = *rd.Estimate
		}
	}
	for ticket, want := range r.estimates {
		if got[ticket] != want {
			t.Errorf("room %s: the acknowledged estimate %q of %s is back as %q", r.code, want, ticket, got[ticket])
		}
	}
}

// crashSocket is a WebSocket client that reads until the message it waits for.
type crashSocket struct {
	conn *websocket.Conn
}

func dialCrash(ctx context.Context, p *pokerdProcess, id, code string) (*crashSocket, error) {
	dialCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(dialCtx, p.wsBase+"/api/ws/"+id+"/"+code, nil)
	if err != nil {
		return nil, fmt.Errorf("connect %s: %w", id, err)
	}
	conn.SetReadLimit(1 << 20)
	context.AfterFunc(ctx, func() { conn.CloseNow() })
	return &crashSocket{conn: conn}, nil
}

func (s *crashSocket) send(ctx context.Context, typ string, payload any) {
	data, _ := json.Marshal(map[string]any{"type": typ, "payload": payload})
	// A failed write shows as a failed read next.
	_ = s.conn.Write(ctx, websocket.MessageText, data)
}

// until reads messages until one of type typ whose payload passes match, and returns
// its payload.
func (s *crashSocket) until(ctx context.Context, typ string, match func(json.RawMessage) bool) (json.RawMessage, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	for {
		_, data, err := s.conn.Read(ctx)
		if err != nil {
			return nil, fmt.Errorf("waiting for %s: %w", typ, err)
		}
		var m message
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, err
		}
		if m.Type == typ && match(m.Payload) {
			return m.Payload, nil
		}
	}
}

// playerNamed matches a Player payload that names the given id.
func playerNamed(id string) func(json.RawMessage) bool {
	return func(raw json.RawMessage) bool {
		var p player
		return json.Unmarshal(raw, &p) == nil && p.ID == id
	}
}

// postJSON posts body and decodes a 200's answer into out (nil: ignored).
func postCrashJSON(url string, body, out any) error {
	data, _ := json.Marshal(body)
	client := &http.Client{Timeout: 5 * time.Second}
	res, err := client.Post(url, "application/json", strings.NewReader(string(data)))
	if err != nil {
		return err
	}
	text := readAll(res)
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", res.Status, text)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal([]byte(text), out)
}

func readAll(res *http.Response) string {
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}
