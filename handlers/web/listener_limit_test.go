package web

import (
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
)

// fakeConn is an accepted connection from a chosen peer that records its closes.
type fakeConn struct {
	net.Conn // nil: only RemoteAddr and Close are used
	peer     net.Addr
	closes   atomic.Int32
	onAccept func() // called as the listener takes it from the queue
}

func (c *fakeConn) RemoteAddr() net.Addr { return c.peer }
func (c *fakeConn) Close() error         { c.closes.Add(1); return nil }

// fakeListener accepts the connections it is handed, one per Accept.
type fakeListener struct {
	net.Listener // nil
	conns        chan *fakeConn
}

func (l *fakeListener) Accept() (net.Conn, error) {
	c := <-l.conns
	if c.onAccept != nil {
		c.onAccept()
	}
	return c, nil
}

// limitedFake is a limited listener over a fake one, with the refusals it reported.
type limitedFake struct {
	t        *testing.T
	inner    *fakeListener
	listener net.Listener

	mu      sync.Mutex
	refused []string
}

func newLimitedFake(t *testing.T, limits ConnectionLimits) *limitedFake {
	f := &limitedFake{t: t, inner: &fakeListener{conns: make(chan *fakeConn, 100)}}
	f.listener = LimitConnections(f.inner, limits, func(limit string, _ ...any) {
		f.mu.Lock()
		f.refused = append(f.refused, limit)
		f.mu.Unlock()
	})
	return f
}

func fakeFrom(ip string) *fakeConn {
	return &fakeConn{peer: net.TCPAddrFromAddrPort(netip.AddrPortFrom(netip.MustParseAddr(ip), 40000))}
}

// offer has the listener accept conns, one after another, until it hands one out (the
// last, which must be admitted); the ones before it must all be refused and closed.
func (f *limitedFake) offer(admitted *fakeConn, refused ...*fakeConn) net.Conn {
	f.t.Helper()
	for _, c := range refused {
		f.inner.conns <- c
	}
	f.inner.conns <- admitted
	conn, err := f.listener.Accept()
	if err != nil {
		f.t.Fatal(err)
	}
	for _, c := range refused {
		if c.closes.Load() != 1 {
			f.t.Fatalf("a connection over the cap from %s was not closed at once", c.peer)
		}
	}
	return conn
}

func (f *limitedFake) refusals() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.refused...)
}

// Over the per-address cap a connection is closed and reported; other addresses still
// come in; an IPv6 /64 is one address; a trusted proxy is held to the total alone.
func TestTCPConnectionsPerAddressAreCapped(t *testing.T) {
	proxies, _ := ParseTrustedProxies("10.0.0.1")
	f := newLimitedFake(t, ConnectionLimits{PerAddress: 2, TrustedProxies: proxies})
	f.offer(fakeFrom("192.0.2.1"))
	f.offer(fakeFrom("192.0.2.1"))
	f.offer(fakeFrom("192.0.2.2"), fakeFrom("192.0.2.1"))

	f.offer(fakeFrom("2001:db8::1"))
	f.offer(fakeFrom("2001:db8::2"))
	f.offer(fakeFrom("2001:db8:0:1::1"), fakeFrom("2001:db8::ffff"))

	for range 5 {
		f.offer(fakeFrom("10.0.0.1"))
	}
	if got := f.refusals(); len(got) != 2 || got[0] != limitTCPConnectionsPerAddress || got[1] != limitTCPConnectionsPerAddress {
		t.Fatalf("refusals reported: %v", got)
	}
}

// Over the total cap any connection is closed; a closed one gives its place back once,
// however often and from however many goroutines it is closed.
func TestTCPConnectionPlaceIsGivenBackOnce(t *testing.T) {
	f := newLimitedFake(t, ConnectionLimits{Total: 2, PerAddress: 5})
	first := f.offer(fakeFrom("192.0.2.1"))
	second := f.offer(fakeFrom("192.0.2.2"))

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { first.Close() })
	}
	wg.Wait()
	// One place is free: one more comes in, the next is over the total again.
	third := f.offer(fakeFrom("192.0.2.3"))
	// Full again: the next is refused; a place comes free just before the one after.
	after := fakeFrom("192.0.2.5")
	after.onAccept = func() { second.Close() }
	f.offer(after, fakeFrom("192.0.2.4"))
	if got := f.refusals(); len(got) != 1 || got[0] != limitTCPConnectionsTotal {
		t.Fatalf("refusals reported: %v", got)
	}
	third.Close()
}

// A connection's closes all reach the connection; only its place is given back once.
func TestTCPConnectionClosesItsConnection(t *testing.T) {
	f := newLimitedFake(t, ConnectionLimits{PerAddress: 1})
	inner := fakeFrom("192.0.2.1")
	conn := f.offer(inner)
	conn.Close()
	conn.Close()
	if inner.closes.Load() != 2 {
		t.Fatalf("closes passed on: %d", inner.closes.Load())
	}
	f.offer(fakeFrom("192.0.2.1"))
	f.offer(fakeFrom("192.0.2.9"), fakeFrom("192.0.2.1"))
	if got := f.refusals(); len(got) != 1 {
		t.Fatalf("the place was given back twice: refusals %v", got)
	}
}

// With both caps off the listener is not wrapped.
func TestNoTCPConnectionLimitsLeaveTheListener(t *testing.T) {
	inner := &fakeListener{}
	if LimitConnections(inner, ConnectionLimits{}, nil) != net.Listener(inner) {
		t.Fatal("the listener was wrapped with no cap to keep")
	}
}
