package web

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// TrustedProxies are the networks whose connections may say, in X-Forwarded-For, which
// client they carry. Anyone else could write any address there, so for them the
// header is ignored.
type TrustedProxies []netip.Prefix

// ParseTrustedProxies reads comma-separated CIDRs ("10.0.0.0/8, ::1/128"); a bare
// address stands for itself alone.
func ParseTrustedProxies(text string) (TrustedProxies, error) {
	var out TrustedProxies
	for field := range strings.SplitSeq(text, ",") {
		field = strings.TrimSpace(field)
		if field == "" {
			continue
		}
		if !strings.Contains(field, "/") {
			addr, err := netip.ParseAddr(field)
			if err != nil {
				return nil, fmt.Errorf("trusted proxy %q is neither a CIDR nor an address", field)
			}
			field = netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen()).String()
		}
		p, err := netip.ParsePrefix(field)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is not a CIDR", field)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func (t TrustedProxies) contains(addr netip.Addr) bool {
	for _, p := range t {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// clientAddr is the address a request comes from: the socket's peer, unless the peer is
// a trusted proxy; then the right-most address of X-Forwarded-For that is not itself a
// trusted proxy (each proxy appends the address it got the request from, so the entries
// left of the first untrusted one may be anything the client wrote).
func (t TrustedProxies) clientAddr(r *http.Request) netip.Addr {
	peer := peerAddr(r.RemoteAddr)
	if len(t) == 0 || !peer.IsValid() || !t.contains(peer) {
		return peer
	}
	values := r.Header.Values("X-Forwarded-For")
	for i := len(values) - 1; i >= 0; i-- {
		hops := strings.Split(values[i], ",")
		for j := len(hops) - 1; j >= 0; j-- {
			addr, err := netip.ParseAddr(strings.TrimSpace(hops[j]))
			if err != nil {
				// A hop that is not an address cannot be trusted, nor anything left of it.
				return peer
			}
			addr = addr.Unmap()
			if !t.contains(addr) {
				return addr
			}
			peer = addr // a trusted proxy: look one hop further left
		}
	}
	return peer
}

// peerAddr parses http.Request.RemoteAddr ("ip:port").
func peerAddr(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return addr.Unmap()
}

// limitKey is what the per-client limits count by: an IPv4 address, or the /64 an IPv6
// address is in, since one subscriber usually holds a whole /64 and could otherwise
// change address at every request.
func limitKey(addr netip.Addr) string {
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}
