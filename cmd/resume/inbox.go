package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/resume-ssh/resume/server/inbox"
)

// inboxFile is the SQLite inbox's name in the data directory.
const inboxFile = "resume.db"

// openInbox opens the inbox that --database names, or the SQLite file in
// the data directory.
func openInbox(database, dataDir string) (inbox.Store, error) {
	switch {
	case database == "":
		return inbox.OpenSQLite(filepath.Join(dataDir, inboxFile)) //nolint:wrapcheck // it names the file
	case strings.HasPrefix(database, "sqlite://"):
		return inbox.OpenSQLite(strings.TrimPrefix(database, "sqlite://")) //nolint:wrapcheck // as above
	}
	return nil, errUsage{fmt.Errorf("--database: want sqlite://PATH (PostgreSQL is not supported yet), not %q", database)}
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
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&format, "format", "table", "table, csv or json")
	fs.StringVar(&since, "since", "", "only notes from this date on, such as 2026-11-30")
	fs.StringVar(&database, "database", "", "the inbox: sqlite://PATH; default DATA-DIR/"+inboxFile)
	fs.StringVar(&dataDir, "data-dir", defaultDataDir(e.getenv), "directory of the host key and the inbox")
	explain(fs)
	return cmd
}
