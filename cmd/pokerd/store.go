package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/store/sqlite"
)

// aliasKeyMeta is where the store keeps the alias key that was drawn when none was
// configured: the aliases players have seen must stay the same across restarts.
const aliasKeyMeta = "alias_key"

// openStore opens the rooms' event store named by --data; nil (and no error) when the
// rooms live in memory only. A file it cannot use stops start-up: it is never replaced.
func openStore(ctx context.Context, cfg config, log *slog.Logger) (*sqlite.Log, error) {
	if cfg.dataFile == "" {
		log.Warn("no --data: the rooms live in memory only, and a restart loses them")
		return nil, nil
	}
	store, err := sqlite.Open(ctx, sqlite.Config{Path: cfg.dataFile, Log: log})
	if err != nil {
		return nil, fmt.Errorf("--data %s: %w", cfg.dataFile, err)
	}
	return store, nil
}

// aliasKey is the key players' public aliases are drawn with. Without a store it is the
// configured one, or a random one (nil) for this process. With a store, the key the
// store keeps wins: made once, when neither it nor the configuration has one. A
// configured key unlike the stored one stops start-up, since every alias players have
// seen would change.
func aliasKey(ctx context.Context, cfg config, store *sqlite.Log) ([]byte, error) {
	if store == nil {
		if cfg.aliasKey == "" {
			return nil, nil
		}
		return []byte(cfg.aliasKey), nil
	}
	stored, ok, err := store.Meta(ctx, aliasKeyMeta)
	if err != nil {
		return nil, fmt.Errorf("reading the alias key from --data %s: %w", cfg.dataFile, err)
	}
	switch {
	case ok && cfg.aliasKey != "" && stored != cfg.aliasKey:
		return nil, fmt.Errorf("--alias-key differs from the key the rooms in --data %s were made with: every player's alias would change; "+
			"configure the same key, or none to use the stored one", cfg.dataFile)
	case ok:
		return []byte(stored), nil
	}
	key := cfg.aliasKey
	if key == "" {
		key = hex.EncodeToString(game.NewAliasKey())
	}
	if err := store.SetMeta(ctx, aliasKeyMeta, key); err != nil {
		return nil, fmt.Errorf("keeping the alias key in --data %s: %w", cfg.dataFile, err)
	}
	return []byte(key), nil
}

// closeStore writes what the store still holds and closes it, within the shutdown
// timeout.
func closeStore(store *sqlite.Log, cfg config, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	if err := store.Close(ctx); err != nil {
		return fmt.Errorf("closing --data %s: %w", cfg.dataFile, err)
	}
	log.Info("store closed", "data", cfg.dataFile)
	return nil
}

// memoryOnlyFromEnv turns PP_DATA set but empty (PP_DATA=), which asks for rooms in
// memory only, into --data= before the command line's own flags (which still win):
// os.Getenv cannot tell an empty variable from an unset one, which means the default
// file.
func memoryOnlyFromEnv(args []string, lookupEnv func(string) (string, bool)) []string {
	if v, ok := lookupEnv("PP_DATA"); !ok || v != "" {
		return args
	}
	if len(args) > 0 && args[0] == backupCommand {
		return slices.Concat(args[:1], []string{"--data="}, args[1:])
	}
	return slices.Concat([]string{"--data="}, args)
}
