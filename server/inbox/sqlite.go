package inbox

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"modernc.org/sqlite" // the pure-Go SQLite driver: the release build stays CGO_ENABLED=0
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLite is a Store in an SQLite file: write-ahead log, synchronous=FULL
// (a commit is on disk before Add returns), a busy timeout, immediate
// transactions and one writer.
type SQLite struct {
	db  *sql.DB
	max int // notes it may hold
}

// OpenSQLite opens (creating it if need be) the inbox at path, with its
// schema.
func OpenSQLite(path string) (*SQLite, error) {
	if err := writable(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("inbox %s: %w", path, err)
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=secure_delete(1)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("inbox %s: %w", path, err)
	}
	db.SetMaxOpenConns(1) // one writer; readers wait their turn, briefly
	s := &SQLite{db: db, max: MaxNotes}
	if err := s.migrate(context.Background()); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("inbox %s: %w", path, explain(err))
	}
	_ = os.Chmod(path, 0o600)
	return s, nil
}

// writable makes sure dir exists and the inbox can write there: SQLite
// keeps its log and index files beside the database.
func writable(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err //nolint:wrapcheck // it names the directory
	}
	f, err := os.CreateTemp(dir, ".resume-probe-*")
	if err != nil {
		return fmt.Errorf("the directory %s is not writable, and the inbox needs to write there (or run with --hello=false): %w", dir, errors.Unwrap(err))
	}
	_ = f.Close()
	return os.Remove(f.Name()) //nolint:wrapcheck // it names the file
}

// explain turns what SQLite says about a file it cannot use into what an
// operator can act on.
func explain(err error) error {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code() & 0xff {
	case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
		return errors.New("the file is not an SQLite database, or is damaged; it was left as it is: restore it from a backup, or move it aside to start an empty inbox")
	case sqlite3.SQLITE_FULL:
		return errors.New("the disk is full")
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
		return fmt.Errorf("cannot write the database: %w", err)
	}
	return err
}

// The schema's versions, as plain SQL files applied in order once each;
// the database's user_version says how many it has.
//
//go:embed migrations
var migrationFiles embed.FS

// migrations are the schema's versions for a database kind: sqlite or
// postgres, the same versions in each one's words.
func migrations(kind string) ([]string, error) {
	names, err := fs.Glob(migrationFiles, "migrations/"+kind+"/*.sql")
	if err != nil {
		return nil, err //nolint:wrapcheck // a bad pattern, fixed at build
	}
	sort.Strings(names)
	out := make([]string, 0, len(names))
	for _, n := range names {
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err //nolint:wrapcheck // embedded, always there
		}
		out = append(out, string(b))
	}
	return out, nil
}

func (s *SQLite) migrate(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	ms, err := migrations("sqlite")
	if err != nil {
		return err
	}
	if version > len(ms) {
		return fmt.Errorf("its schema is version %d, newer than this resume knows (%d): run the newer resume that wrote it", version, len(ms))
	}
	for v := version; v < len(ms); v++ {
		if _, err := tx.ExecContext(ctx, ms[v]); err != nil {
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(ms))); err != nil {
		return err
	}
	return tx.Commit()
}

// timeText is how times are stored: fixed-width UTC, so that comparing
// the text compares the times.
const timeText = "2006-01-02T15:04:05.000Z"

func stamp(t time.Time) string { return t.UTC().Format(timeText) }

// Add stores n and returns its number once it is committed; see Store.
func (s *SQLite) Add(ctx context.Context, n Note) (int64, error) {
	if n.At.IsZero() {
		n.At = time.Now()
	}
	tx, err := s.db.BeginTx(ctx, nil) // immediate: the write lock first
	if err != nil {
		return 0, fmt.Errorf("inbox: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	id, err := admit(ctx, sqliteTx{tx}, n, s.max)
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("inbox: %w", err)
	}
	return id, nil
}

// sqliteTx is an SQLite transaction, in the terms of admit.
type sqliteTx struct{ tx *sql.Tx }

func wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("inbox: %w", err)
}

func (t sqliteTx) sentSince(ctx context.Context, source string, after time.Time) (int, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, "SELECT count(*) FROM sends WHERE source = ? AND at > ?", source, stamp(after)).Scan(&n)
	return n, wrap(err)
}

func (t sqliteTx) forgetSends(ctx context.Context, until time.Time) error {
	_, err := t.tx.ExecContext(ctx, "DELETE FROM sends WHERE at <= ?", stamp(until))
	return wrap(err)
}

func (t sqliteTx) recordSend(ctx context.Context, source string, at time.Time) error {
	_, err := t.tx.ExecContext(ctx, "INSERT INTO sends (source, at) VALUES (?, ?)", source, stamp(at))
	return wrap(err)
}

func (t sqliteTx) lastFrom(ctx context.Context, email string, after time.Time) (int64, bool, error) {
	var id int64
	err := t.tx.QueryRowContext(ctx, "SELECT id FROM notes WHERE email <> '' AND lower(email) = lower(?) AND at > ? ORDER BY id DESC LIMIT 1",
		email, stamp(after)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, wrap(err)
}

func (t sqliteTx) replace(ctx context.Context, id int64, n Note) error {
	_, err := t.tx.ExecContext(ctx, "UPDATE notes SET at = ?, name = ?, email = ?, message = ?, contact = ?, source = ? WHERE id = ?",
		stamp(n.At), n.Name, n.Email, n.Message, n.Contact, n.Source, id)
	return wrap(err)
}

func (t sqliteTx) count(ctx context.Context) (int, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, "SELECT count(*) FROM notes").Scan(&n)
	return n, wrap(err)
}

func (t sqliteTx) insert(ctx context.Context, n Note) (int64, error) {
	res, err := t.tx.ExecContext(ctx, "INSERT INTO notes (at, name, email, message, contact, source) VALUES (?, ?, ?, ?, ?, ?)",
		stamp(n.At), n.Name, n.Email, n.Message, n.Contact, n.Source)
	if err != nil {
		return 0, wrap(err)
	}
	id, err := res.LastInsertId()
	return id, wrap(err)
}

// List returns the notes since a time, oldest first.
func (s *SQLite) List(ctx context.Context, since time.Time) ([]Note, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, at, name, email, message, contact, source FROM notes WHERE at >= ? ORDER BY id", stamp(since))
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		var n Note
		var at string
		if err := rows.Scan(&n.ID, &at, &n.Name, &n.Email, &n.Message, &n.Contact, &n.Source); err != nil {
			return nil, fmt.Errorf("inbox: %w", err)
		}
		if n.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, fmt.Errorf("inbox: note %d: %w", n.ID, err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	return out, nil
}

// Delete removes note id, for good: its bytes are overwritten
// (secure_delete) and the write-ahead log that held them is emptied.
func (s *SQLite) Delete(ctx context.Context, id int64) (bool, error) {
	n, err := s.remove(ctx, "DELETE FROM notes WHERE id = ?", id)
	return n > 0, err
}

// Prune removes the notes from before a time, for good, as Delete does.
func (s *SQLite) Prune(ctx context.Context, before time.Time) (int64, error) {
	return s.remove(ctx, "DELETE FROM notes WHERE at < ?", stamp(before))
}

func (s *SQLite) remove(ctx context.Context, query string, arg any) (int64, error) {
	res, err := s.db.ExecContext(ctx, query, arg)
	if err != nil {
		return 0, fmt.Errorf("inbox: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("inbox: %w", err)
	}
	if n > 0 {
		// The old pages are still in the log until it is written back and
		// emptied; a busy reader may delay that, never the deletion.
		if _, err := s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			return n, fmt.Errorf("inbox: %w", err)
		}
	}
	return n, nil
}

// Count is how many notes there are.
func (s *SQLite) Count(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM notes").Scan(&n); err != nil {
		return 0, fmt.Errorf("inbox: %w", err)
	}
	return n, nil
}

// Import copies notes into the inbox, which must be empty, in one
// transaction.
func (s *SQLite) Import(ctx context.Context, notes []Note) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("inbox: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	var count int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM notes").Scan(&count); err != nil {
		return fmt.Errorf("inbox: %w", err)
	}
	if count > 0 {
		return ErrNotEmpty
	}
	for _, n := range notes {
		if _, err := tx.ExecContext(ctx, "INSERT INTO notes (id, at, name, email, message, contact, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
			n.ID, stamp(n.At), n.Name, n.Email, n.Message, n.Contact, n.Source); err != nil {
			return fmt.Errorf("inbox: note %d: %w", n.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("inbox: %w", err)
	}
	return nil
}

// Ready reports whether the database file answers.
func (s *SQLite) Ready(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("inbox: %w", err)
	}
	return nil
}

// Close closes the database.
func (s *SQLite) Close() error { return s.db.Close() }

// Migrate brings the schema up to date; Open did, so it finds nothing to
// do unless another process left it behind.
func (s *SQLite) Migrate(ctx context.Context) error { return s.migrate(ctx) }
