package inbox

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Postgres is a Store in a PostgreSQL database that several replicas
// share. Writers take one transaction-scoped advisory lock, so that the
// limits (the cap, a source's hourly count, one note per email a day)
// hold across replicas as they do in one SQLite file. Reconnecting is
// pgxpool's: a database that comes back is used again without a restart.
type Postgres struct {
	pool     *pgxpool.Pool
	max      int
	mu       sync.Mutex // held while migrating
	migrated atomic.Bool
}

// The advisory locks' keys: "resume" in ASCII, then 1 for the schema and
// 2 for writing notes.
const (
	lockSchema = 0x726573756d650001
	lockWrite  = 0x726573756d650002
)

// OpenPostgres connects to the database at url (postgres://…) and brings
// its schema up to date, safely when several replicas start at once. A
// database it cannot reach is not an error: the résumé is served without
// it, and the schema is brought up to date on the first use that reaches
// it. A bad URL or a schema newer than this binary's is.
func OpenPostgres(ctx context.Context, url string) (*Postgres, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	cfg.MaxConns = 8
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	p := &Postgres{pool: pool, max: MaxNotes}
	if err := p.ensure(ctx); err != nil && !unreachable(err) {
		pool.Close()
		return nil, err
	}
	return p, nil
}

// unreachable reports whether err is a failure to reach the server, as
// opposed to one it gave.
func unreachable(err error) bool {
	var pgErr *pgconn.PgError
	return !errors.As(err, &pgErr) && !errors.Is(err, errNewerSchema)
}

// errNewerSchema: the database was migrated by a newer resume.
var errNewerSchema = errors.New("newer schema")

// ensure migrates the schema once, before the first use that needs it.
func (p *Postgres) ensure(ctx context.Context) error {
	if p.migrated.Load() {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.migrated.Load() {
		return nil
	}
	if err := p.Migrate(ctx); err != nil {
		return err
	}
	p.migrated.Store(true)
	return nil
}

// Migrate applies the schema's versions it lacks, under an advisory lock:
// a replica that starts while another migrates waits, then finds nothing
// left to do.
func (p *Postgres) Migrate(ctx context.Context) error {
	ms, err := migrations("postgres")
	if err != nil {
		return err
	}
	return p.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(lockSchema)); err != nil {
			return err //nolint:wrapcheck // inTx wraps
		}
		if _, err := tx.Exec(ctx, "CREATE TABLE IF NOT EXISTS resume_schema (version INTEGER NOT NULL)"); err != nil {
			return err //nolint:wrapcheck // as above
		}
		var version int
		if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM resume_schema").Scan(&version); err != nil {
			return err //nolint:wrapcheck // as above
		}
		if version > len(ms) {
			return fmt.Errorf("%w: its schema is version %d, newer than this resume knows (%d): run the newer resume that wrote it", errNewerSchema, version, len(ms))
		}
		for v := version; v < len(ms); v++ {
			if _, err := tx.Exec(ctx, ms[v]); err != nil {
				return fmt.Errorf("migration %d: %w", v+1, err)
			}
		}
		if _, err := tx.Exec(ctx, "DELETE FROM resume_schema"); err != nil {
			return err //nolint:wrapcheck // as above
		}
		_, err := tx.Exec(ctx, "INSERT INTO resume_schema (version) VALUES ($1)", len(ms))
		return err //nolint:wrapcheck // as above
	})
}

// inTx runs f in a transaction, committed when f returns nil.
func (p *Postgres) inTx(ctx context.Context, f func(pgx.Tx) error) error {
	tx, err := p.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("inbox: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit, a no-op
	if err := f(tx); err != nil {
		if errors.Is(err, ErrFull) || errors.Is(err, ErrTooMany) || errors.Is(err, ErrNotEmpty) {
			return err
		}
		return fmt.Errorf("inbox: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("inbox: %w", err)
	}
	return nil
}

// Add stores n and returns its number once it is committed; see Store.
func (p *Postgres) Add(ctx context.Context, n Note) (int64, error) {
	if n.At.IsZero() {
		n.At = time.Now()
	}
	if err := p.ensure(ctx); err != nil {
		return 0, err
	}
	var id int64
	err := p.inTx(ctx, func(tx pgx.Tx) error {
		// One writer at a time across replicas: the policy's counts hold.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(lockWrite)); err != nil {
			return err //nolint:wrapcheck // inTx wraps
		}
		var err error
		id, err = admit(ctx, pgTx{tx}, n, p.max)
		return err
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// pgTx is a PostgreSQL transaction, in the terms of admit; inTx wraps
// its errors.
type pgTx struct{ tx pgx.Tx }

func (t pgTx) sentSince(ctx context.Context, source string, after time.Time) (int, error) {
	var n int
	err := t.tx.QueryRow(ctx, "SELECT count(*) FROM sends WHERE source = $1 AND at > $2", source, after).Scan(&n)
	return n, err //nolint:wrapcheck // inTx wraps
}

func (t pgTx) forgetSends(ctx context.Context, until time.Time) error {
	_, err := t.tx.Exec(ctx, "DELETE FROM sends WHERE at <= $1", until)
	return err //nolint:wrapcheck // inTx wraps
}

func (t pgTx) recordSend(ctx context.Context, source string, at time.Time) error {
	_, err := t.tx.Exec(ctx, "INSERT INTO sends (source, at) VALUES ($1, $2)", source, at)
	return err //nolint:wrapcheck // inTx wraps
}

func (t pgTx) lastFrom(ctx context.Context, email string, after time.Time) (int64, bool, error) {
	var id int64
	err := t.tx.QueryRow(ctx, "SELECT id FROM notes WHERE email <> '' AND lower(email) = lower($1) AND at > $2 ORDER BY id DESC LIMIT 1",
		email, after).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err //nolint:wrapcheck // inTx wraps
}

func (t pgTx) replace(ctx context.Context, id int64, n Note) error {
	_, err := t.tx.Exec(ctx, "UPDATE notes SET at = $1, name = $2, email = $3, message = $4, contact = $5, source = $6 WHERE id = $7",
		n.At, n.Name, n.Email, n.Message, n.Contact, n.Source, id)
	return err //nolint:wrapcheck // inTx wraps
}

func (t pgTx) count(ctx context.Context) (int, error) {
	var n int
	err := t.tx.QueryRow(ctx, "SELECT count(*) FROM notes").Scan(&n)
	return n, err //nolint:wrapcheck // inTx wraps
}

func (t pgTx) insert(ctx context.Context, n Note) (int64, error) {
	var id int64
	err := t.tx.QueryRow(ctx, "INSERT INTO notes (at, name, email, message, contact, source) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
		n.At, n.Name, n.Email, n.Message, n.Contact, n.Source).Scan(&id)
	return id, err //nolint:wrapcheck // inTx wraps
}

// List returns the notes since a time, oldest first.
func (p *Postgres) List(ctx context.Context, since time.Time) ([]Note, error) {
	if err := p.ensure(ctx); err != nil {
		return nil, err
	}
	rows, err := p.pool.Query(ctx, "SELECT id, at, name, email, message, contact, source FROM notes WHERE at >= $1 ORDER BY id", since)
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		var n Note
		if err := rows.Scan(&n.ID, &n.At, &n.Name, &n.Email, &n.Message, &n.Contact, &n.Source); err != nil {
			return nil, fmt.Errorf("inbox: %w", err)
		}
		n.At = n.At.UTC()
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	return out, nil
}

// Delete removes note id.
func (p *Postgres) Delete(ctx context.Context, id int64) (bool, error) {
	if err := p.ensure(ctx); err != nil {
		return false, err
	}
	tag, err := p.pool.Exec(ctx, "DELETE FROM notes WHERE id = $1", id)
	if err != nil {
		return false, fmt.Errorf("inbox: %w", err)
	}
	return tag.RowsAffected() > 0, nil
}

// Prune removes the notes from before a time.
func (p *Postgres) Prune(ctx context.Context, before time.Time) (int64, error) {
	if err := p.ensure(ctx); err != nil {
		return 0, err
	}
	tag, err := p.pool.Exec(ctx, "DELETE FROM notes WHERE at < $1", before)
	if err != nil {
		return 0, fmt.Errorf("inbox: %w", err)
	}
	return tag.RowsAffected(), nil
}

// Count is how many notes there are.
func (p *Postgres) Count(ctx context.Context) (int, error) {
	if err := p.ensure(ctx); err != nil {
		return 0, err
	}
	var n int
	if err := p.pool.QueryRow(ctx, "SELECT count(*) FROM notes").Scan(&n); err != nil {
		return 0, fmt.Errorf("inbox: %w", err)
	}
	return n, nil
}

// Import copies notes into the inbox, which must be empty, in one
// transaction, and numbers new notes after them.
func (p *Postgres) Import(ctx context.Context, notes []Note) error {
	if err := p.ensure(ctx); err != nil {
		return err
	}
	return p.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(lockWrite)); err != nil {
			return err //nolint:wrapcheck // inTx wraps
		}
		var count int
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM notes").Scan(&count); err != nil {
			return err //nolint:wrapcheck // as above
		}
		if count > 0 {
			return ErrNotEmpty
		}
		for _, n := range notes {
			if _, err := tx.Exec(ctx, "INSERT INTO notes (id, at, name, email, message, contact, source) VALUES ($1, $2, $3, $4, $5, $6, $7)",
				n.ID, n.At, n.Name, n.Email, n.Message, n.Contact, n.Source); err != nil {
				return fmt.Errorf("note %d: %w", n.ID, err)
			}
		}
		_, err := tx.Exec(ctx, "SELECT setval(pg_get_serial_sequence('notes', 'id'), coalesce(max(id), 0) + 1, false) FROM notes")
		return err //nolint:wrapcheck // as above
	})
}

// Ready reports whether the database answers. It runs no DDL: the schema
// is brought up to date by Migrate, at open, or by the first use that
// reaches a database that was down at open.
func (p *Postgres) Ready(ctx context.Context) error {
	if err := p.pool.Ping(ctx); err != nil {
		return fmt.Errorf("inbox: %w", err)
	}
	return nil
}

// Close closes the pool.
func (p *Postgres) Close() error {
	p.pool.Close()
	return nil
}
