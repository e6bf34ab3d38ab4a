package main

// The attack suite's plain TCP connections: finding 4 again, without WebSockets. Idle
// keep-alive connections (one request each, then nothing) and connections that never
// send a request hold a descriptor each until a timeout; enough of them from one client
// took every descriptor of the process, and /healthz timed out. Loopback is 127.0.0.0/8
// on Linux, so each test plays clients at several addresses by choosing the source.

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// Source addresses on loopback: the attacker's, and an ordinary client's.
const (
	tcpAttackerIP = "127.0.0.66"
	tcpOrdinaryIP = "127.0.0.2"
)

// dialFrom opens a TCP connection to the server from the loopback address ip.
func (s *testServer) dialFrom(t testing.TB, ip string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	conn, err := d.Dial("tcp", strings.TrimPrefix(s.base, "http://"))
	if err != nil {
		t.Fatalf("dial from %s: %v", ip, err)
	}
	return conn
}

// clientFrom is an HTTP client whose connections come from the loopback address ip.
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DialContext: d.DialContext}}
}

// healthzFrom asks /healthz from the loopback address ip and returns the status, or the
// error that kept it from answering.
func (s *testServer) healthzFrom(ip string) (int, error) {
	c := clientFrom(ip)
	defer c.CloseIdleConnections()
	res, err := c.Get(s.base + "/healthz")
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}

// idleKeepAlive is one connection of the attack: it asks /healthz once and then keeps
// the connection open without a word. It reports whether the server answered; a
// connection the server closed at once (refused) answers nothing.
func idleKeepAlive(conn net.Conn) (served bool) {
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: pokerd\r\n\r\n")); err != nil {
		return false
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return false
	}
	res.Body.Close()
	_ = conn.SetDeadline(time.Time{})
	return res.StatusCode == http.StatusOK
}

// openIdle opens n idle keep-alive connections from ip, in parallel, and returns them
// with how many the server served. The caller closes them.
func (s *testServer) openIdle(t testing.TB, ip string, n int) (conns []net.Conn, served int) {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	for range n {
		conn := s.dialFrom(t, ip)
		conns = append(conns, conn)
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if idleKeepAlive(conn) {
				mu.Lock()
				served++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return conns, served
}

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		c.Close()
	}
}

// Finding 4 through plain HTTP: 200 idle keep-alive connections from one address, four
// times --tcp-connections-per-address. The server keeps the first 50 and closes the rest
// at once; /healthz from another address answers while the attack holds its
// connections; the refusals are counted; once the attacker lets go, it is served again.
func TestAttackIdleConnectionsFromOneAddressAreCapped(t *testing.T) {
	const perAddress, attack = 50, 200
	// Through the environment, so that a server without the setting starts all the same.
	s := startServer(t, map[string]string{"PP_TCP_CONNECTIONS_PER_ADDRESS": fmt.Sprint(perAddress)})
	before := beforeAttack(t, s)

	conns, served := s.openIdle(t, tcpAttackerIP, attack)
	defer closeAll(conns)
	if served != perAddress {
		t.Fatalf("%d of %d idle connections from one address were served; want the cap, %d, and the rest closed at once",
			served, attack, perAddress)
	}
	if status, err := s.healthzFrom(tcpOrdinaryIP); err != nil || status != http.StatusOK {
		t.Fatalf("/healthz from another address while the attack holds its connections: %d %v", status, err)
	}
	if got := s.metric(t, `pokerd_limit_refusals_total{limit="tcp_connections_per_address"}`); got != attack-perAddress {
		t.Errorf("refusals counted: %v, want %d", got, attack-perAddress)
	}
	if !strings.Contains(s.logs.String(), "limit=tcp_connections_per_address") {
		t.Errorf("no warning names the limit:\n%s", s.logs)
	}

	closeAll(conns)
	eventually(t, "the attacker's places given back", func() bool {
		conn := s.dialFrom(t, tcpAttackerIP)
		defer conn.Close()
		return idleKeepAlive(conn)
	})
	survivedAttack(t, s, before)
}

// The cap on all TCP connections: beyond --max-tcp-connections, whoever they come from,
// new connections are closed at once and counted; once they close, the server serves
// again. The long-lived connections' derived cap stays below it.
func TestAttackIdleConnectionsBeyondTheTotalAreCapped(t *testing.T) {
	const total, attack = 40, 100
	s := startServer(t, map[string]string{"PP_MAX_TCP_CONNECTIONS": fmt.Sprint(total), "PP_TCP_CONNECTIONS_PER_ADDRESS": "0"})
	before := beforeAttack(t, s)
	http.DefaultClient.CloseIdleConnections() // the baseline's round holds none of the total

	conns, served := s.openIdle(t, tcpAttackerIP, attack)
	defer closeAll(conns)
	// The test's own connections may still be closing, so a few fewer may be served.
	if served > total || served == 0 {
		t.Fatalf("%d of %d idle connections were served; want the total cap, %d", served, attack, total)
	}
	// Any place a closing connection of the test gave back since is taken too, so that
	// the server is at its cap for the next client, whatever its address.
	for range total {
		more, ok := s.openIdle(t, tcpAttackerIP, 1)
		conns = append(conns, more...)
		if ok == 0 {
			break
		}
		served++
	}
	if _, err := s.healthzFrom(tcpOrdinaryIP); err == nil || served > total {
		t.Fatalf("/healthz from another address was served with %d connections held (cap %d)", served, total)
	}
	closeAll(conns)
	eventually(t, "/healthz served again", func() bool {
		status, err := s.healthzFrom(tcpOrdinaryIP)
		return err == nil && status == http.StatusOK
	})
	if got := s.metric(t, `pokerd_limit_refusals_total{limit="tcp_connections_total"}`); got < float64(attack-served) {
		t.Errorf("refusals counted: %v, want %d", got, attack-served)
	}
	if !strings.Contains(s.logs.String(), "max_connections=20") {
		t.Errorf("the long-lived cap was not derived below the total cap:\n%s", s.logs)
	}
	survivedAttack(t, s, before)
}

// A connection over the cap is closed before it sends anything: it need not send a
// request to be counted, nor to be refused.
func TestAttackRefusedConnectionIsClosedBeforeARequest(t *testing.T) {
	s := startServer(t, map[string]string{"PP_TCP_CONNECTIONS_PER_ADDRESS": "1"})
	held := s.dialFrom(t, tcpAttackerIP)
	defer held.Close()
	if !idleKeepAlive(held) {
		t.Fatal("the first connection was not served")
	}
	refused := s.dialFrom(t, tcpAttackerIP)
	defer refused.Close()
	_ = refused.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err := refused.Read(make([]byte, 1))
	if !closedByServer(err) {
		t.Fatalf("a connection over the cap was not closed: read %v", err)
	}
}

// closedByServer tells whether a read's error means the server closed the connection,
// rather than the read's deadline passing.
func closedByServer(err error) bool {
	var timeout net.Error
	return err != nil && !(errors.As(err, &timeout) && timeout.Timeout())
}

// A keep-alive connection that sends nothing after its request is closed once
// --idle-timeout passes (it was two minutes, unconfigurable): idle connections give
// their descriptors back.
func TestIdleKeepAliveConnectionIsClosed(t *testing.T) {
	s := startServer(t, map[string]string{"PP_IDLE_TIMEOUT": "300ms"})
	conn := s.dialFrom(t, tcpOrdinaryIP)
	defer conn.Close()
	if !idleKeepAlive(conn) {
		t.Fatal("the request was not served")
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := conn.Read(make([]byte, 1)); !closedByServer(err) {
		t.Fatalf("an idle keep-alive connection was not closed: read %v", err)
	}
}
