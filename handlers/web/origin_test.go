package web

import "testing"

func TestOriginOf(t *testing.T) {
	for raw, want := range map[string]string{
		"https://poker.example.org":           "https://poker.example.org",
		"HTTPS://Poker.Example.ORG/team/":     "https://poker.example.org",
		"https://poker.example.org:443/x":     "https://poker.example.org",
		"http://poker.example.org:80":         "http://poker.example.org",
		"http://poker.example.org:443":        "http://poker.example.org:443",
		"https://poker.example.org:8443/team": "https://poker.example.org:8443",
		"http://[::1]:80/":                    "http://[::1]",
		"http://[::1]:8000":                   "http://[::1]:8000",
		"ftp://poker.example.org":             "",
		"poker.example.org":                   "",
		"":                                    "",
	} {
		if got := originOf(raw); got != want {
			t.Errorf("originOf(%q) = %q, want %q", raw, got, want)
		}
	}
}
