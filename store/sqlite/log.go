// Package sqlite keeps rooms' events in an embedded SQLite file (modernc.org/sqlite, no
// cgo): the game.EventLog of a single pokerd. One writer goroutine commits what the rooms
// append in groups, so a room never waits for the disk; a few reader connections serve
// reads beside it (WAL mode).
package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/pokerd/pokerd/game"
)

// Config says where the store lives and how much it may hold in memory.
type Config struct {
	Path string       // the database file; created (mode 0600) with its directory when missing
	Log  *slog.Logger // write failures and overflows are reported here (nil: slog.Default())
	// QueueLimit bounds the events waiting for the writer (default 65536). Past it an
	// event is not written (counted, logged, Failing says so) and the room goes on in memory.
	QueueLimit int
	// MaxBatch bounds the records one group commit writes (default 1024).
	MaxBatch int
	// BusyTimeout is how long a statement waits for a lock held by a backup or a reader
	// (default 5s).
	BusyTimeout time.Duration
	// Gather is how long the writer, woken by a first record, waits for the others of
	// that moment before it commits them together (default DefaultGather; negative: not
	// at all). Every commit syncs the disk whatever its size: at 500 votes a second
	// the writer committed 1.4 records a time, and the syncs' CPU, on two cores, slowed
	// the rooms' fan-out.
	Gather time.Duration
	// Now stamps the records (default time.Now).
	Now func() time.Time

	schemaUpTo int // tests: stop the migrations at this version (0: the newest)
}

// Log is a game.EventLog in one SQLite file. Open it, hand it to the registry, Close it
// last (it writes what is still queued).
type Log struct {
	file    string
	log     *slog.Logger
	now     func() time.Time
	limit   int
	batch   int
	gather  time.Duration
	writer  *sql.DB // one connection: the only one that writes
	readers *sql.DB // a few connections for Read, Rooms, Meta, Backup
	lock    *os.File
	stmts   statements
	metrics *metrics

	mu      sync.Mutex
	queue   []op                // waiting for the writer, in the order appended
	records int                 // how many of queue carry data (QueueLimit counts these)
	lost    int                 // how many of queue are lost markers (their rooms will break)
	rooms   map[string]*roomAck // what is settled of each room, and who waits for it
	failing error               // the last write failure, while it matters
	closed  bool

	wake chan struct{} // a nudge for the writer: there is work
	stop chan struct{} // closed by Close: drain and stop
	done chan struct{} // closed by the writer when it has stopped
}

var (
	_ game.EventLog       = (*Log)(nil)
	_ game.SnapshotWanter = (*Log)(nil)
)

var sqliteHeader = []byte("SQLite format 3\x00")

// DefaultGather is Config.Gather's default: what it adds to an acknowledgement, at most.
const DefaultGather = 2 * time.Millisecond

// Open opens (or creates) the store at cfg.Path, checks it, brings its schema up to date
// and starts the writer. A file that is not a healthy pokerd store, or that another
// process holds, is refused with an error naming it; Open never rewrites such a file.
func Open(ctx context.Context, cfg Config) (*Log, error) {
	if cfg.Path == "" {
		return nil, errors.New("store: no file given")
	}
	file, err := filepath.Abs(cfg.Path)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", cfg.Path, err)
	}
	l := &Log{
		file: file, log: cfg.Log, now: cfg.Now, limit: cfg.QueueLimit, batch: cfg.MaxBatch, gather: cfg.Gather,
		rooms: map[string]*roomAck{},
		wake:  make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
	}
	if l.log == nil {
		l.log = slog.Default()
	}
	if l.now == nil {
		l.now = time.Now
	}
	if l.gather == 0 {
		l.gather = DefaultGather
	}
	if l.limit <= 0 {
		l.limit = 65536
	}
	if l.batch <= 0 {
		l.batch = 1024
	}
	busy := cfg.BusyTimeout
	if busy <= 0 {
		busy = 5 * time.Second
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return nil, fmt.Errorf("store %s: cannot create its directory: %w", file, err)
	}
	if l.lock, err = lockFile(file); err != nil {
		return nil, err
	}
	if err := l.open(ctx, busy, cfg.schemaUpTo); err != nil {
		l.closeFiles()
		return nil, err
	}
	l.metrics = newMetrics(l)
	go l.write()
	return l, nil
}

func (l *Log) open(ctx context.Context, busy time.Duration, schemaUpTo int) error {
	if err := checkFile(l.file); err != nil {
		return err
	}
	pragmas := fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)",
		busy.Milliseconds())
	dsn := "file:" + (&url.URL{Path: l.file}).EscapedPath() + "?" + pragmas
	var err error
	if l.writer, err = sql.Open("sqlite", dsn); err != nil {
		return fmt.Errorf("store %s: %w", l.file, err)
	}
	l.writer.SetMaxOpenConns(1)
	l.writer.SetConnMaxIdleTime(0)
	conn, err := l.writer.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store %s is unreadable or not a database (%v); pokerd leaves it as it is: "+
			"restore a backup or give another --data file", l.file, err)
	}
	defer conn.Close()
	// Check before changing anything: a damaged file is reported, never "repaired".
	var verdict string
	if err := conn.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&verdict); err != nil {
		return fmt.Errorf("store %s is unreadable or not a database (%v); pokerd leaves it as it is: "+
			"restore a backup or give another --data file", l.file, err)
	}
	if verdict != "ok" {
		return fmt.Errorf("store %s is damaged (%s); pokerd leaves it as it is: restore a backup", l.file, firstProblem(verdict))
	}
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil || mode != "wal" {
		return fmt.Errorf("store %s: cannot use WAL mode (got %q): %v", l.file, mode, err)
	}
	if err := migrate(ctx, conn, l.file, schemaUpTo); err != nil {
		return err
	}
	if l.readers, err = sql.Open("sqlite", dsn); err != nil {
		return fmt.Errorf("store %s: %w", l.file, err)
	}
	l.readers.SetMaxOpenConns(4)
	if schemaUpTo != 0 && schemaUpTo < SchemaVersion() {
		return nil // a test's old schema, written by hand: the writer's statements need the newest
	}
	if err := l.loadSettled(ctx, conn); err != nil {
		return err
	}
	_ = conn.Close() // back to the pool: the statements are prepared on it
	return l.prepare(ctx)
}

// firstProblem is the first line of an integrity check's report that names a problem
// (the report can run to a hundred lines).
func firstProblem(report string) string {
	lines := strings.Split(strings.TrimSpace(report), "\n")
	for i, line := range lines {
		if strings.HasPrefix(line, "***") {
			continue
		}
		if i < len(lines)-1 {
			return line + " …"
		}
		return line
	}
	return report
}

// checkFile creates a missing store file with mode 0600 (SQLite gives its WAL the same
// mode), and refuses one that is not an SQLite database before SQLite opens it.
func checkFile(file string) error {
	f, err := os.OpenFile(file, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return f.Close() // an empty file is an empty database
	}
	if !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("store %s cannot be created: %w", file, err)
	}
	f, err = os.Open(file)
	if err != nil {
		return fmt.Errorf("store %s is unreadable: %w", file, err)
	}
	defer f.Close() // SQLite has not opened the file yet, so this drops none of its locks
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store %s is unreadable: %w", file, err)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("store %s is not a regular file", file)
	}
	if info.Size() == 0 {
		return nil
	}
	header := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(f, header); err != nil || !bytes.Equal(header, sqliteHeader) {
		return fmt.Errorf("store %s is not an SQLite database (corrupt, or another kind of file); "+
			"pokerd leaves it as it is: restore a backup or give another --data file", file)
	}
	return nil
}

// loadSettled reads how far each room is written, so that Committed answers at once for
// what an earlier run wrote.
func (l *Log) loadSettled(ctx context.Context, conn *sql.Conn) error {
	rows, err := conn.QueryContext(ctx, "SELECT code, last_seq FROM rooms")
	if err != nil {
		return fmt.Errorf("store %s: %w", l.file, err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var seq uint64
		if err := rows.Scan(&code, &seq); err != nil {
			return fmt.Errorf("store %s: %w", l.file, err)
		}
		l.rooms[code] = &roomAck{settled: seq}
	}
	return rows.Err()
}

// Path is the store's file, absolute.
func (l *Log) Path() string { return l.file }

// Close writes what is queued, checkpoints the WAL into the file and closes it. When ctx
// ends first, what is still queued is lost and Close says so.
func (l *Log) Close(ctx context.Context) error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	l.mu.Unlock()
	close(l.stop)
	var err error
	select {
	case <-l.done:
		if _, cerr := l.writer.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); cerr != nil {
			err = fmt.Errorf("store %s: checkpoint: %w", l.file, cerr)
		}
	case <-ctx.Done():
		l.mu.Lock()
		lost := l.records
		l.mu.Unlock()
		err = fmt.Errorf("store %s: closed before %d queued events were written: %w", l.file, lost, ctx.Err())
	}
	l.closeFiles()
	return err
}

func (l *Log) closeFiles() {
	if l.readers != nil {
		_ = l.readers.Close()
	}
	if l.writer != nil {
		_ = l.writer.Close()
	}
	if l.lock != nil {
		_ = l.lock.Close()
	}
}
