package main

import (
	"strings"
	"testing"
	"time"
)

func TestRoomSettings(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	cfg, err := parseConfig(nil, env(nil), nil)
	if err != nil || cfg.seatRelease != 2*time.Minute || cfg.revealGrace != 5*time.Second || cfg.maxRecordRounds != 200 {
		t.Fatalf("defaults: seat release %v, reveal grace %v, record rounds %d (%v); want 2m, 5s, 200",
			cfg.seatRelease, cfg.revealGrace, cfg.maxRecordRounds, err)
	}
	cfg, err = parseConfig(nil, env(map[string]string{"PP_SEAT_RELEASE": "0", "PP_REVEAL_GRACE": "2s", "PP_MAX_RECORD_ROUNDS": "0"}), nil)
	if err != nil || cfg.seatRelease != 0 || cfg.revealGrace != 2*time.Second || cfg.maxRecordRounds != 0 {
		t.Fatalf("from the environment: %v, %v, %d (%v)", cfg.seatRelease, cfg.revealGrace, cfg.maxRecordRounds, err)
	}
	for _, args := range [][]string{
		{"--seat-release", "-1s"},
		{"--reveal-grace", "-1s"},
		{"--max-record-rounds", "-1"},
	} {
		if _, err := parseConfig(args, env(nil), nil); err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("%v must be refused naming the flag, got %v", args, err)
		}
	}
}
