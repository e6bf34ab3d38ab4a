package web

import (
	"net"
	"sync"
)

// ConnectionLimits caps the TCP connections the server holds open, whatever they carry:
// an idle keep-alive connection, or one that never sends a request, holds a descriptor
// as surely as a WebSocket does, so the caps of long-lived connections alone cannot keep
// the descriptors from running out. Zero turns a cap off.
type ConnectionLimits struct {
	PerAddress int // from one address (an IPv6 address's /64), trusted proxies exempt
	Total      int // from everyone: kept below the descriptor limit

	// TrustedProxies carry many clients over their connections, so they are held to
	// the total cap alone.
	TrustedProxies TrustedProxies
}

// Names of the caps, as pokerd_limit_refusals_total labels them.
const (
	limitTCPConnectionsPerAddress = "tcp_connections_per_address"
	limitTCPConnectionsTotal      = "tcp_connections_total"
)

// LimitConnections wraps a listener so that a connection over a cap is closed as soon
// as it is accepted, before anything is read from it: accepting it keeps the kernel's
// backlog from filling, which would stall the honest clients queued behind it. refused
// is told of each (see Server.RefusedConnection). A connection's place is given back
// when it is closed, by the server or by whoever hijacked it.
func LimitConnections(inner net.Listener, limits ConnectionLimits, refused func(limit string, attrs ...any)) net.Listener {
	if limits.PerAddress == 0 && limits.Total == 0 {
		return inner
	}
	return &limitedListener{Listener: inner, limits: limits, refused: refused, byClient: map[string]int{}}
}

type limitedListener struct {
	net.Listener
	limits  ConnectionLimits
	refused func(limit string, attrs ...any)

	mu       sync.Mutex
	open     int            // connections accepted and not yet closed
	byClient map[string]int // the same, by limitKey, while any is open
}

func (l *limitedListener) Accept() (net.Conn, error) {
	for {
		conn, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		client := l.clientOf(conn)
		if limit := l.admit(client); limit != "" {
			l.refused(limit, "client", client)
			conn.Close()
			continue
		}
		return &limitedConn{Conn: conn, release: func() { l.release(client) }}, nil
	}
}

// clientOf is what the per-address cap counts the connection by; empty when it is not
// counted by address (a trusted proxy, or a peer that is not an IP address).
func (l *limitedListener) clientOf(conn net.Conn) string {
	if l.limits.PerAddress == 0 {
		return ""
	}
	peer := peerAddr(conn.RemoteAddr().String())
	if !peer.IsValid() || l.limits.TrustedProxies.contains(peer) {
		return ""
	}
	return limitKey(peer)
}

// admit takes a place for a connection of client, or names the cap it is over.
func (l *limitedListener) admit(client string) (overLimit string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.limits.Total > 0 && l.open >= l.limits.Total {
		return limitTCPConnectionsTotal
	}
	if client != "" && l.byClient[client] >= l.limits.PerAddress {
		return limitTCPConnectionsPerAddress
	}
	l.open++
	if client != "" {
		l.byClient[client]++
	}
	return ""
}

func (l *limitedListener) release(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open--
	if client == "" {
		return
	}
	if l.byClient[client]--; l.byClient[client] <= 0 {
		delete(l.byClient, client) // the table holds open clients only
	}
}

// limitedConn gives its place back on its first Close; net/http and a WebSocket library
// may both close it, from different goroutines.
type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
