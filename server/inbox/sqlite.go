package inbox

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver: the release build stays CGO_ENABLED=0
)

// MaxNotes bounds an inbox: a booth's visitors leave hundreds; a script
// flooding it is stopped here, and the form says the inbox is full.
const MaxNotes = 10_000

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
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("inbox %s: %w", path, err)
	}
	db.SetMaxOpenConns(1) // one writer; readers wait their turn, briefly
	s := &SQLite{db: db, max: MaxNotes}
	if err := s.migrate(context.Background()); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("inbox %s: %w", path, err)
	}
	_ = os.Chmod(path, 0o600)
	return s, nil
}

// The schema's versions, as plain SQL files applied in order once each;
// the database's user_version says how many it has.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

func migrations() ([]string, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
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
	ms, err := migrations()
	if err != nil {
		return err
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

// Add stores n and returns its number once it is committed.
func (s *SQLite) Add(ctx context.Context, n Note) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("inbox: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	var count int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM notes").Scan(&count); err != nil {
		return 0, fmt.Errorf("inbox: %w", err)
	}
	if count >= s.max {
		return 0, ErrFull
	}
	if n.At.IsZero() {
		n.At = time.Now()
	}
	res, err := tx.ExecContext(ctx, "INSERT INTO notes (at, name, email, message, contact) VALUES (?, ?, ?, ?, ?)",
		n.At.UTC().Format(time.RFC3339Nano), n.Name, n.Email, n.Message, n.Contact)
	if err != nil {
		return 0, fmt.Errorf("inbox: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("inbox: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("inbox: %w", err)
	}
	return id, nil
}

// List returns the notes since a time, oldest first.
func (s *SQLite) List(ctx context.Context, since time.Time) ([]Note, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, at, name, email, message, contact FROM notes WHERE at >= ? ORDER BY id",
		since.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		var n Note
		var at string
		if err := rows.Scan(&n.ID, &at, &n.Name, &n.Email, &n.Message, &n.Contact); err != nil {
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

// Delete removes note id.
func (s *SQLite) Delete(ctx context.Context, id int64) (bool, error) {
	res, err := s.db.ExecContext(ctx, "DELETE FROM notes WHERE id = ?", id)
	if err != nil {
		return false, fmt.Errorf("inbox: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("inbox: %w", err)
	}
	return n > 0, nil
}

// Close closes the database.
func (s *SQLite) Close() error { return s.db.Close() }
