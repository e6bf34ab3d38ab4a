package pages

import (
	"strings"
	"testing"
)

func TestWellFormedHost(t *testing.T) {
	for host, want := range map[string]bool{
		"poker.example.org": true, "poker.example.org:8443": true, "localhost:8000": true, "127.0.0.1:8000": true,
		"[::1]:8000": true, "[::1]": true, "poker.example.org.": true, "in_ternal": true,
		"": false, ":8000": false, "host:": false, "host:123456": false, "host:8x": false, "x:y:z": false, "::1": false,
		"[::1": false, "[fe80::1%25eth0]": false, "a..b": false, "a b": false, "a\x7fb": false, "ex\u00e4mple.org": false,
		strings.Repeat("a", 64) + ".org": false, strings.Repeat("a.", 130) + "org": false,
	} {
		if got := wellFormedHost(host); got != want {
			t.Errorf("wellFormedHost(%.40q) = %v, want %v", host, got, want)
		}
	}
}

func TestHostOfListenAddr(t *testing.T) {
	for addr, want := range map[string]string{
		":8000": "localhost:8000", "0.0.0.0:8000": "localhost:8000", "[::]:8000": "localhost:8000",
		"127.0.0.1:41234": "127.0.0.1:41234", "[::1]:8000": "[::1]:8000", "poker.internal:80": "poker.internal:80",
	} {
		if got := hostOfListenAddr(addr); got != want {
			t.Errorf("hostOfListenAddr(%q) = %q, want %q", addr, got, want)
		}
	}
}
