package game

import (
	"strings"
	"testing"
)

func TestNormalizeTicketURL(t *testing.T) {
	accepted := []struct {
		name, in, want string
	}{
		{"empty path becomes slash", "https://example.com", "https://example.com/"},
		{"scheme and host are lower-cased", "HTTPS://Example.COM", "https://example.com/"},
		{"path, query and fragment are kept", "http://a.b/c?d=1#e", "http://a.b/c?d=1#e"},
		{"path case is kept", "https://jira.example.com/browse/PROJ-12", "https://jira.example.com/browse/PROJ-12"},
		{"port is kept", "https://Example.com:8443/x", "https://example.com:8443/x"},
		{"ip host is accepted", "http://127.0.0.1:8080", "http://127.0.0.1:8080/"},
	}
	for _, tt := range accepted {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeTicketURL(tt.in)
			if err != nil {
				t.Fatalf("NormalizeTicketURL(%q) refused: %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("NormalizeTicketURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}

	refused := []struct {
		name, in string
	}{
		{"empty string is refused", ""},
		{"javascript scheme is refused", "javascript:alert(1)"},
		{"javascript with slashes is refused", "javascript://example.com/%0Aalert(1)"},
		{"ftp scheme is refused", "ftp://x"},
		{"scheme-relative URL is refused", "//example.com"},
		{"bare host is refused", "example.com"},
		{"scheme without host is refused", "https://"},
		{"empty host with a path is refused", "http:///path"},
		{"port without host is refused", "https://:443/"},
		{"leading space is refused", " https://x.y"},
		{"trailing newline is refused", "https://x.y\n"},
		{"inner space is refused", "https://x.y/a b"},
		{"backslash is refused", `https:\\x.y`},
		{"data scheme is refused", "data:text/html,x"},
		{"opaque https is refused", "https:example.com"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeTicketURL(tt.in)
			if err == nil {
				t.Fatalf("NormalizeTicketURL(%q) accepted as %q", tt.in, got)
			}
			if CodeOf(err) != EInvalid {
				t.Fatalf("error %v has code %q, want %q", err, CodeOf(err), EInvalid)
			}
			if got != "" {
				t.Fatalf("refused input still returned %q", got)
			}
		})
	}
}

func TestRoundTimerSettingsCheck(t *testing.T) {
	tests := []struct {
		name    string
		s       RoundTimerSettings
		problem string // "" when valid
	}{
		{"default is valid", DefaultRoundTimer, ""},
		{"smallest timer is valid", RoundTimerSettings{Maximum: 2, Warning: 1}, ""},
		{"long timer is valid", RoundTimerSettings{Maximum: 60, Warning: 59}, ""},
		{"maximum of 1 is refused", RoundTimerSettings{Maximum: 1, Warning: 0}, "maximum must be at least 2"},
		{"zero timer is refused", RoundTimerSettings{}, "maximum must be at least 2"},
		{"negative maximum is refused", RoundTimerSettings{Maximum: -5, Warning: 1}, "maximum must be at least 2"},
		{"warning of 0 is refused", RoundTimerSettings{Maximum: 5, Warning: 0}, "warning must be at least 1"},
		{"warning equal to maximum is refused", RoundTimerSettings{Maximum: 5, Warning: 5}, "warning must come before its maximum"},
		{"warning after maximum is refused", RoundTimerSettings{Maximum: 2, Warning: 3}, "warning must come before its maximum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.s.Check()
			if tt.problem == "" {
				if err != nil {
					t.Fatalf("Check(%+v) = %v, want nil", tt.s, err)
				}
				return
			}
			if CodeOf(err) != EInvalid {
				t.Fatalf("Check(%+v) = %v (code %q), want code %q", tt.s, err, CodeOf(err), EInvalid)
			}
			if !strings.Contains(err.Error(), tt.problem) {
				t.Fatalf("Check(%+v) = %q, want it to say %q", tt.s, err, tt.problem)
			}
		})
	}
}

func TestValidCode(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"ab12", true},
		{"abcdefghij", true},
		{"abc", false},
		{"abcdefghijk", false},
		{"ABCD", false},
		{"ab-1", false},
		{"abcd\n", false},
		{"", false},
	}
	for _, tt := range tests {
		name := "refuses " + tt.code
		if tt.want {
			name = "accepts " + tt.code
		}
		t.Run(name, func(t *testing.T) {
			if got := ValidCode(tt.code); got != tt.want {
				t.Fatalf("ValidCode(%q) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
}
