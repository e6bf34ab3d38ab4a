package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Joins from one address beyond --joins-per-minute are refused, over the API with a
// 429 and its reason, in the browser on the join form; other addresses still join.
func TestJoinsPerAddressAreCapped(t *testing.T) {
	s := startServer(t, nil, append(trustLoopback, "--joins-per-minute", "3")...)
	code := s.createGame(t, "joins")
	for i := range 3 {
		s.joinFrom(t, attackerAddr, code, "p"+string(rune('a'+i)))
	}
	res := s.do(t, http.MethodPost, "/api/join/"+code, `{"username":"one too many"}`, fromAddr(attackerAddr))
	if res.status != http.StatusTooManyRequests || !strings.Contains(detailOf(t, res), "joins") {
		t.Fatalf("a fourth join: %d %s", res.status, res.body)
	}
	b := s.newFormClientFrom(t, attackerAddr)
	b.get("/join/" + code)
	page := b.post("/join/"+code, url.Values{"your_name": {"Ann"}}, false)
	if page.status != http.StatusTooManyRequests || !strings.Contains(string(page.body), `data-testid="join-error"`) {
		t.Fatalf("the join form from the same address: %d\n%s", page.status, page.body)
	}
	s.joinFrom(t, otherAddr, code, "honest")
	s.newFormClientFrom(t, "192.0.2.44").joinRoom(code, "Bea")
}

// A browser's event streams count with its sockets: beyond --connections-per-player
// open at once, another tab's stream is refused with 429 until one closes.
func TestEventStreamsPerBrowserAreCapped(t *testing.T) {
	s := startServer(t, nil, "--connections-per-player", "2")
	b := s.newFormClient(t)
	code := b.createRoom("tabs", "Ann")
	first := b.openEvents(code, "")
	b.openEvents(code, "")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.base+"/room/"+code+"/events", nil)
	res, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("a third stream of one browser answered %d", res.StatusCode)
	}
	first.cancel()
	eventually(t, "a closed stream's place given back", func() bool {
		req, _ := http.NewRequestWithContext(ctx, "GET", s.base+"/room/"+code+"/events", nil)
		res, err := b.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	})
}

func TestLimitFlagsAreChecked(t *testing.T) {
	for _, args := range [][]string{
		{"--trusted-proxies", "10.0.0.0/33"},
		{"--rooms-per-minute", "-1"},
		{"--connections-per-address", "-1"},
		{"--max-connections", "-5"},
		{"--tracked-clients", "0"},
		{"--ws-flood-limit", "-1"},
		{"--tcp-connections-per-address", "-1"},
		{"--max-tcp-connections", "-1"},
		{"--idle-timeout", "0"},
	} {
		if _, err := parseConfig(args, func(string) string { return "" }, &bytes.Buffer{}); err == nil {
			t.Errorf("%v was accepted", args)
		}
	}
	cfg, err := parseConfig(nil, func(k string) string {
		return map[string]string{"PP_TRUSTED_PROXIES": "10.0.0.0/8,::1", "PP_JOINS_PER_MINUTE": "7", "PP_WS_FLOOD_LIMIT": "9"}[k]
	}, &bytes.Buffer{})
	if err != nil || len(cfg.limits.TrustedProxies) != 2 || cfg.limits.JoinsPerMinute != 7 || cfg.ws.FloodLimit != 9 {
		t.Fatalf("from the environment: %+v %v", cfg.limits, err)
	}
}

// The connection cap leaves an eighth of the descriptors, and at least 64, to
// everything else.
func TestConnectionCapKeepsAReserve(t *testing.T) {
	for _, tc := range []struct {
		files uint64
		want  int
	}{{0, 0}, {20000, 17500}, {1024, 896}, {256, 192}, {64, 1}} {
		if got := connectionCap(tc.files); got != tc.want {
			t.Errorf("connectionCap(%d) = %d, want %d", tc.files, got, tc.want)
		}
	}
}

// The TCP cap keeps a few descriptors for what is not a connection; the derived cap of
// long-lived connections stays below it, so that ordinary requests keep a share.
func TestTCPConnectionCapKeepsAReserve(t *testing.T) {
	for _, tc := range []struct {
		files          uint64
		tcp, longLived int
	}{{0, 0, 0}, {20000, 19688, 17227}, {1024, 992, 868}, {256, 224, 160}, {64, 32, 1}} {
		tcp := tcpConnectionCap(tc.files)
		if longLived := longLivedCap(tc.files, tcp); tcp != tc.tcp || longLived != tc.longLived {
			t.Errorf("%d open files: %d TCP connections of which %d long-lived, want %d and %d",
				tc.files, tcp, longLived, tc.tcp, tc.longLived)
		}
	}
	if got := longLivedCap(0, 40); got != 20 {
		t.Errorf("with --max-tcp-connections 40 and no known file limit, --max-connections is %d", got)
	}
}

// --tcp-connections-per-address follows --connections-per-address unless it is given,
// on the command line or in the environment; 0 turns it off.
func TestTCPConnectionsPerAddressDefault(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want int
	}{
		{nil, nil, 2*256 + 64},
		{[]string{"--connections-per-address", "10"}, nil, 84},
		{[]string{"--connections-per-address", "0"}, nil, 0},
		{[]string{"--tcp-connections-per-address", "0"}, nil, 0},
		{nil, map[string]string{"PP_TCP_CONNECTIONS_PER_ADDRESS": "7", "PP_CONNECTIONS_PER_ADDRESS": "10"}, 7},
	} {
		cfg, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, &bytes.Buffer{})
		if err != nil || cfg.tcp.PerAddress != tc.want {
			t.Errorf("%v %v: %d TCP connections per address (%v), want %d", tc.args, tc.env, cfg.tcp.PerAddress, err, tc.want)
		}
	}
}

// Accept errors (out of descriptors) are warnings; a client's hiccup stays at debug.
func TestAcceptErrorsAreLoggedAtWarn(t *testing.T) {
	var buf bytes.Buffer
	l := serverErrorLog(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo})))
	l.Print("http: TLS handshake error from 127.0.0.1:5555: EOF")
	if buf.Len() != 0 {
		t.Fatalf("a client's hiccup was logged above debug: %s", buf.String())
	}
	l.Print("http: Accept error: accept tcp 127.0.0.1:8000: accept4: too many open files; retrying in 5ms")
	l.Print("http: Accept error: accept tcp 127.0.0.1:8000: accept4: too many open files; retrying in 10ms")
	out := buf.String()
	if strings.Count(out, "level=WARN") != 1 || !strings.Contains(out, "too many open files") {
		t.Fatalf("accept errors logged as:\n%s", out)
	}
}
