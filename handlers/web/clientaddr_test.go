package web

import (
	"net/http/httptest"
	"testing"
)

func TestClientAddr(t *testing.T) {
	proxies, err := ParseTrustedProxies("10.0.0.0/8, 127.0.0.1, fd00::/8")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		trusted TrustedProxies
		peer    string
		xff     []string
		want    string
	}{
		{"without trusted proxies the peer is the client", nil, "203.0.113.5:4000", []string{"198.51.100.1"}, "203.0.113.5"},
		{"an untrusted peer cannot spoof its address", proxies, "203.0.113.5:4000", []string{"198.51.100.1"}, "203.0.113.5"},
		{"a trusted proxy names its client", proxies, "10.1.2.3:4000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"what the client wrote left of the proxy's entry is ignored", proxies, "10.1.2.3:4000", []string{"1.1.1.1, 2.2.2.2, 198.51.100.1"}, "198.51.100.1"},
		{"a chain of trusted proxies is walked from the right", proxies, "127.0.0.1:4000", []string{"198.51.100.1, 10.0.0.9", "10.0.0.8"}, "198.51.100.1"},
		{"a trusted proxy without the header is the client", proxies, "10.1.2.3:4000", nil, "10.1.2.3"},
		{"a garbled hop stops the walk at the last trusted one", proxies, "10.1.2.3:4000", []string{"198.51.100.1, garbage"}, "10.1.2.3"},
		{"IPv6 peers and IPv4-mapped entries", proxies, "[fd00::1]:4000", []string{"::ffff:198.51.100.1"}, "198.51.100.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.peer
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := tc.trusted.clientAddr(r).String(); got != tc.want {
				t.Fatalf("client %s, want %s", got, tc.want)
			}
		})
	}
}

func TestParseTrustedProxiesRefusesWhatIsNotANetwork(t *testing.T) {
	for _, bad := range []string{"10.0.0.0/33", "example.com", "10.0.0.0/8,nope"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
	if p, err := ParseTrustedProxies(" "); err != nil || len(p) != 0 {
		t.Errorf("an empty list: %v %v", p, err)
	}
}

// The limits count an IPv6 client by its /64, which one subscriber usually holds whole.
func TestLimitKeyGroupsAnIPv6Subnet(t *testing.T) {
	a := peerAddr("[2001:db8:1:2:aaaa::1]:1")
	b := peerAddr("[2001:db8:1:2:bbbb::2]:1")
	c := peerAddr("[2001:db8:1:3::1]:1")
	if limitKey(a) != limitKey(b) || limitKey(a) == limitKey(c) {
		t.Fatalf("keys %s %s %s", limitKey(a), limitKey(b), limitKey(c))
	}
	if limitKey(peerAddr("192.0.2.1:5")) != "192.0.2.1" {
		t.Fatal("an IPv4 client is its address")
	}
}
