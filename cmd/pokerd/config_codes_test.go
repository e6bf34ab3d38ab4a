package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/pokerd/pokerd/handlers"
)

func TestCodeSettings(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	t.Run("defaults: codes of 8, a burst of 10 misses, then 10 a minute", func(t *testing.T) {
		cfg, err := parseConfig(nil, env(nil), nil)
		if err != nil || cfg.codeLength != 8 || cfg.codeLookups != (handlers.CodeLookupLimits{MissesPerMinute: 10, Burst: 10}) {
			t.Fatalf("defaults: length %d, look-ups %+v (%v)", cfg.codeLength, cfg.codeLookups, err)
		}
	})
	t.Run("flags and environment set them", func(t *testing.T) {
		cfg, err := parseConfig([]string{"--code-length", "10"}, env(map[string]string{
			"PP_CODE_MISSES_PER_MINUTE": "3", "PP_CODE_MISS_BURST": "5", "PP_CODE_LENGTH": "4"}), nil)
		if err != nil || cfg.codeLength != 10 || cfg.codeLookups != (handlers.CodeLookupLimits{MissesPerMinute: 3, Burst: 5}) {
			t.Fatalf("length %d, look-ups %+v (%v)", cfg.codeLength, cfg.codeLookups, err)
		}
	})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--code-length", "3"}, "--code-length must be from 4 to 10"},
		{[]string{"--code-length", "11"}, "--code-length must be from 4 to 10"},
		{[]string{"--code-misses-per-minute", "-1"}, "--code-misses-per-minute"},
		{[]string{"--code-miss-burst", "0"}, "--code-miss-burst"},
	} {
		t.Run("refused: "+strings.Join(tc.args, " "), func(t *testing.T) {
			if _, err := parseConfig(tc.args, env(nil), nil); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

// With --code-length 4 the server makes codes as the reference does: four characters.
func TestReferenceCodeLength(t *testing.T) {
	s := startServer(t, nil, "--code-length", "4")
	code := s.createGame(t, "Short")
	if !regexp.MustCompile(`^[a-z0-9]{4}$`).MatchString(code) {
		t.Fatalf("code %q, want 4 characters", code)
	}
	c := s.connect(t, s.join(t, code, "Ann"), code)
	c.close()
}
