package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/pokerd/pokerd/game"
)

// Read returns the room's newest snapshot and the events after it, in order, as
// committed (what is still queued is not there yet).
func (l *Log) Read(ctx context.Context, code string) (game.History, error) {
	h := game.History{Code: code}
	// One read transaction: the snapshot and the events come from the same moment.
	tx, err := l.readers.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return h, fmt.Errorf("store %s: %w", l.file, err)
	}
	defer tx.Rollback() //nolint:errcheck // read only
	var known int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM rooms WHERE code = ?", code).Scan(&known); err != nil {
		return h, fmt.Errorf("store %s: reading room %s: %w", l.file, code, err)
	}
	if known == 0 {
		return h, game.ErrNoHistory
	}
	var after int64
	err = tx.QueryRowContext(ctx,
		"SELECT seq, data FROM snapshots WHERE code = ? ORDER BY seq DESC LIMIT 1", code).Scan(&after, &h.Snapshot)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return h, fmt.Errorf("store %s: reading room %s: %w", l.file, code, err)
	}
	rows, err := tx.QueryContext(ctx,
		"SELECT seq, kind, data FROM events WHERE code = ? AND seq > ? ORDER BY seq", code, after)
	if err != nil {
		return h, fmt.Errorf("store %s: reading room %s: %w", l.file, code, err)
	}
	defer rows.Close()
	for rows.Next() {
		var rec game.LoggedEvent
		var seq, kind int64
		if err := rows.Scan(&seq, &kind, &rec.Data); err != nil {
			return h, fmt.Errorf("store %s: reading room %s: %w", l.file, code, err)
		}
		rec.Seq, rec.Kind = uint64(seq), game.EventKind(kind)
		h.Events = append(h.Events, rec)
	}
	if err := rows.Err(); err != nil {
		return h, fmt.Errorf("store %s: reading room %s: %w", l.file, code, err)
	}
	return h, nil
}

// Rooms lists the codes of the rooms the store holds, in code order.
func (l *Log) Rooms(ctx context.Context) ([]string, error) {
	rows, err := l.readers.QueryContext(ctx, "SELECT code FROM rooms ORDER BY code")
	if err != nil {
		return nil, fmt.Errorf("store %s: listing rooms: %w", l.file, err)
	}
	defer rows.Close()
	var codes []string
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, fmt.Errorf("store %s: listing rooms: %w", l.file, err)
		}
		codes = append(codes, code)
	}
	return codes, rows.Err()
}

// Meta reads a setting kept beside the rooms (the key of identity cookies, for one).
func (l *Log) Meta(ctx context.Context, key string) (string, bool, error) {
	var value string
	err := l.readers.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&value)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("store %s: reading setting %s: %w", l.file, key, err)
	}
	return value, true, nil
}

// SetMeta writes a setting at once (not through the queue): it is committed when SetMeta
// returns.
func (l *Log) SetMeta(ctx context.Context, key, value string) error {
	_, err := l.writer.ExecContext(ctx,
		"INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		key, value)
	if err != nil {
		return fmt.Errorf("store %s: writing setting %s: %w", l.file, key, err)
	}
	return nil
}
