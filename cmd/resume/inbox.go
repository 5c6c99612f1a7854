package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
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
			switch format {
			case "table":
				return writeTable(e.stdout, notes)
			case "csv":
				return writeCSV(e.stdout, notes)
			case "json":
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				if notes == nil {
					notes = []inbox.Note{}
				}
				return enc.Encode(notes) //nolint:wrapcheck // stdout's own
			}
			return errUsage{fmt.Errorf("--format must be table, csv or json, not %q", format)}
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

func writeTable(w io.Writer, notes []inbox.Note) error {
	if len(notes) == 0 {
		_, err := fmt.Fprintln(w, "no notes yet")
		return err //nolint:wrapcheck // stdout's own
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\twhen\tname\temail\tmessage")
	for _, n := range notes {
		email := n.Email
		if !n.Contact {
			email = "(no contact)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", n.ID, n.At.Local().Format("2006-01-02 15:04"), visible(n.Name), visible(email), visible(n.Message))
	}
	return tw.Flush() //nolint:wrapcheck // stdout's own
}

func writeCSV(w io.Writer, notes []inbox.Note) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "at", "name", "email", "contact", "message"})
	for _, n := range notes {
		_ = cw.Write([]string{fmt.Sprint(n.ID), n.At.UTC().Format(time.RFC3339), inert(n.Name), inert(n.Email), fmt.Sprint(n.Contact), inert(n.Message)})
	}
	cw.Flush()
	return cw.Error() //nolint:wrapcheck // stdout's own
}

// visible escapes control characters, so that a visitor's note cannot
// write escape sequences to the owner's terminal.
func visible(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// inert keeps a spreadsheet from reading a field as a formula (= + - @
// at its start), and escapes control characters.
func inert(s string) string {
	s = visible(s)
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
