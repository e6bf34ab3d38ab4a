package main

import (
	"strings"
	"testing"
)

func TestAliasKeySetting(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	key := strings.Repeat("k3y", 11) // 33 characters
	t.Run("empty by default: a random key at each start", func(t *testing.T) {
		cfg, err := parseConfig(nil, env(nil), nil)
		if err != nil || cfg.aliasKey != "" {
			t.Fatalf("alias key %q (%v)", cfg.aliasKey, err)
		}
	})
	t.Run("the environment sets it", func(t *testing.T) {
		cfg, err := parseConfig(nil, env(map[string]string{"PP_ALIAS_KEY": key}), nil)
		if err != nil || cfg.aliasKey != key {
			t.Fatalf("alias key %q (%v)", cfg.aliasKey, err)
		}
	})
	t.Run("a short key is refused, and not echoed", func(t *testing.T) {
		_, err := parseConfig([]string{"--alias-key", "hunter2"}, env(nil), nil)
		if err == nil || !strings.Contains(err.Error(), "--alias-key must have at least 32 characters") || strings.Contains(err.Error(), "hunter2") {
			t.Fatalf("got %v", err)
		}
	})
}
