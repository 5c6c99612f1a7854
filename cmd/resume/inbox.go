package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/resume-ssh/resume/server/inbox"
)

// inboxFile is the SQLite inbox's name in the data directory.
const inboxFile = "resume.db"

// sourceKeyFile keys the hash that stands for visitors' addresses in the
// inbox; it is made on the first start.
const sourceKeyFile = "inbox.key"

// loadSourceKey reads the source key at path, making it first if there is
// none: 32 random bytes, in hex. Replicas that share an inbox share this
// file too (--inbox-key), so that a visitor's hash is the same on each.
func loadSourceKey(path string) ([]byte, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err //nolint:wrapcheck // it names the directory
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		_, err = f.WriteString(hex.EncodeToString(key) + "\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(path)
			return nil, err //nolint:wrapcheck // it names the file
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return nil, err //nolint:wrapcheck // as above
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err //nolint:wrapcheck // as above
	}
	key, err = hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("%s:1: want a key of at least 32 hex digits; delete the file to make a new one", path)
	}
	return key, nil
}

// parseAge reads a length of time as Go writes it (720h) or in days (30d).
func parseAge(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 100*365 {
			return 0, fmt.Errorf("bad age %q", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("bad age %q", s)
	}
	return d, nil
}

// openInbox opens the inbox that --database names, or the SQLite file in
// the data directory.
func openInbox(database, dataDir string) (inbox.Store, error) {
	if database == "" {
		database = "sqlite://" + filepath.Join(dataDir, inboxFile)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	store, err := inbox.Open(ctx, database)
	if errors.Is(err, inbox.ErrURL) {
		return nil, errUsage{fmt.Errorf("--database: %w, not %q", err, redact(database))}
	}
	return store, err //nolint:wrapcheck // the store's own, naming the file or the server
}

// redact hides a password in a database URL, for messages.
func redact(database string) string {
	if u, err := url.Parse(database); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			return u.Redacted()
		}
	}
	return database
}

// newMigrate is resume migrate: the inbox's schema brought up to date and
// nothing else, for deploys that migrate before they start replicas; or,
// with --from and --to, an inbox copied into an empty one, as when moving
// from SQLite to PostgreSQL.
func newMigrate(e *env) *cobra.Command {
	var database, dataDir, from, to string
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Bring the inbox's schema up to date, or copy an inbox into another, and stop",
		Example: "  resume migrate --database postgres://resume@db.internal/resume\n" +
			"  resume migrate --from sqlite:///var/lib/resume/resume.db --to postgres://resume@db.internal/resume",
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if from != "" || to != "" {
				return copyInbox(e, from, to, dataDir)
			}
			store, err := openInbox(database, dataDir)
			if err != nil {
				return err
			}
			defer store.Close()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := store.Migrate(ctx); err != nil {
				return err //nolint:wrapcheck // the store's own
			}
			fmt.Fprintln(e.stdout, "the inbox's schema is up to date")
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&database, "database", "", "the inbox: postgres://…, or sqlite://PATH; default DATA-DIR/"+inboxFile)
	fs.StringVar(&dataDir, "data-dir", defaultDataDir(e.getenv), "directory of the host key and the inbox")
	fs.StringVar(&from, "from", "", "copy the notes of this inbox (sqlite://PATH or postgres://…) …")
	fs.StringVar(&to, "to", "", "… into this one, which must be empty; numbers, times and sources are kept")
	explain(fs)
	return cmd
}

// copyInbox copies every note of the inbox from into the empty inbox to.
func copyInbox(e *env, from, to, dataDir string) error {
	if from == "" || to == "" || from == to {
		return errUsage{errors.New("--from and --to name two inboxes: copy --from one --to another")}
	}
	src, err := openInbox(from, dataDir)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openInbox(to, dataDir)
	if err != nil {
		return err
	}
	defer dst.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	notes, err := src.List(ctx, time.Time{})
	if err != nil {
		return err //nolint:wrapcheck // the store's own
	}
	imp, ok := dst.(inbox.Importer)
	if !ok {
		return fmt.Errorf("%s cannot take copied notes", redact(to))
	}
	if err := imp.Import(ctx, notes); err != nil {
		return fmt.Errorf("%s: %w", redact(to), err)
	}
	fmt.Fprintf(e.stdout, "copied %d notes from %s to %s\n", len(notes), redact(from), redact(to))
	return nil
}

// sqlitePath is the file of a SQLite inbox, as openInbox finds it.
func sqlitePath(database, dataDir string) (string, bool) {
	switch {
	case database == "":
		return filepath.Join(dataDir, inboxFile), true
	case strings.HasPrefix(database, "sqlite://"):
		return strings.TrimPrefix(database, "sqlite://"), true
	}
	return "", false
}

func newInbox(e *env) *cobra.Command {
	var format, since, database, dataDir string
	cmd := &cobra.Command{
		Use:     "inbox",
		Short:   "List the notes visitors left (ssh HOST hello); works while the server runs",
		Example: "  resume inbox\n  resume inbox --format csv --since 2026-11-01 > notes.csv",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var from time.Time
			if since != "" {
				var err error
				if from, err = time.ParseInLocation("2006-01-02", since, time.Local); err != nil {
					return errUsage{fmt.Errorf("--since: want a date such as 2026-11-30, not %q", since)}
				}
			}
			// An inbox is listed, never made: a wrong directory is said.
			if path, ok := sqlitePath(database, dataDir); ok {
				if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
					return nothingThere("inbox", filepath.Dir(path), "")
				}
			}
			store, err := openInbox(database, dataDir)
			if err != nil {
				return err
			}
			defer store.Close()
			notes, err := store.List(context.Background(), from)
			if err != nil {
				return err //nolint:wrapcheck // the store's own
			}
			if err := inbox.Write(e.stdout, notes, format); err != nil {
				if errors.Is(err, inbox.ErrFormat) {
					return errUsage{fmt.Errorf("--format: %w", err)}
				}
				return err //nolint:wrapcheck // stdout's own
			}
			if count, err := store.Count(context.Background()); err == nil && inbox.FullNotice(count) != "" {
				fmt.Fprintln(e.stderr, inbox.FullNotice(count))
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&format, "format", "table", "table, csv, json, or vcard (the visitors who may be contacted, for an address book)")
	fs.StringVar(&since, "since", "", "only notes from this date on, such as 2026-11-30")
	fs.StringVar(&database, "database", "", "the inbox: postgres://…, or sqlite://PATH; default DATA-DIR/"+inboxFile)
	fs.StringVar(&dataDir, "data-dir", ownerDataDir(e.getenv), "the server's data directory: a running unit's (/var/lib/resume) when there is one")
	explain(fs)
	return cmd
}
