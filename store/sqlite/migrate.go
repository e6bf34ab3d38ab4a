package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// The schema's versions are SQL files embedded in the binary, named NNNN_what.sql and
// applied in order; the version a file has reached is its PRAGMA user_version.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the embedded schema versions in order, checking that they run 1, 2, 3…
// without a hole, so that a version number always means the same schema.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var list []migration
	for _, name := range names {
		base := path.Base(name)
		number, _, ok := strings.Cut(base, "_")
		version, err := strconv.Atoi(number)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: the name must start with its version, like 0001_", base)
		}
		text, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		list = append(list, migration{version: version, name: base, sql: string(text)})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].version < list[j].version })
	for i, m := range list {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d", m.name, i+1)
		}
	}
	return list, nil
}

// SchemaVersion is the newest schema this build knows.
func SchemaVersion() int {
	list, err := migrations()
	if err != nil {
		return 0
	}
	return len(list)
}

// migrate brings the database on conn up to version upTo (0: the newest), one version per
// transaction, and refuses a database written by a newer build.
func migrate(ctx context.Context, conn *sql.Conn, file string, upTo int) error {
	list, err := migrations()
	if err != nil {
		return err
	}
	if upTo <= 0 || upTo > len(list) {
		upTo = len(list)
	}
	var current int
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return fmt.Errorf("store %s: reading its schema version: %w", file, err)
	}
	if current > len(list) {
		return fmt.Errorf("store %s was written by a newer pokerd (schema %d, this one knows %d); "+
			"run that version or a newer one, the file is left as it is", file, current, len(list))
	}
	for _, m := range list[current:upTo] {
		if err := apply(ctx, conn, m); err != nil {
			return fmt.Errorf("store %s: migrating to schema %d (%s): %w", file, m.version, m.name, err)
		}
	}
	return nil
}

func apply(ctx context.Context, conn *sql.Conn, m migration) (err error) {
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	if _, err := conn.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	// user_version lives in the file's header and is written by the same transaction.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return err
}
