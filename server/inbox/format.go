package inbox

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// ErrFormat is Write's error for a format it does not know.
var ErrFormat = errors.New("want table, csv, json or vcard")

// Write writes notes in format: table (for a terminal), csv (for a
// spreadsheet), json, or vcard (the visitors who may be contacted, for an
// address book). What visitors typed is made harmless for each.
func Write(w io.Writer, notes []Note, format string) error {
	switch format {
	case "table":
		return writeTable(w, notes)
	case "csv":
		return writeCSV(w, notes)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if notes == nil {
			notes = []Note{}
		}
		return enc.Encode(notes) //nolint:wrapcheck // the writer's own
	case "vcard":
		return writeVCards(w, notes)
	}
	return fmt.Errorf("%w, not %q", ErrFormat, format)
}

func writeTable(w io.Writer, notes []Note) error {
	if len(notes) == 0 {
		_, err := fmt.Fprintln(w, "no notes yet")
		return err //nolint:wrapcheck // stdout's own
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\twhen\tfrom\tname\temail\tmessage")
	for _, n := range notes {
		email := n.Email
		if !n.Contact {
			email = "(no contact)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", n.ID, n.At.Local().Format("2006-01-02 15:04"), Visible(cmp.Or(n.Source, "-")), Visible(n.Name), Visible(email), Visible(n.Message))
	}
	return tw.Flush() //nolint:wrapcheck // stdout's own
}

func writeCSV(w io.Writer, notes []Note) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "at", "name", "email", "contact", "message", "source"})
	for _, n := range notes {
		_ = cw.Write([]string{fmt.Sprint(n.ID), n.At.UTC().Format(time.RFC3339), Inert(n.Name), Inert(n.Email), fmt.Sprint(n.Contact), Inert(n.Message), Inert(n.Source)})
	}
	cw.Flush()
	return cw.Error() //nolint:wrapcheck // stdout's own
}

// writeVCards writes a vCard 4.0 (RFC 6350) for each visitor who may be
// contacted, lines ending in CR LF.
func writeVCards(w io.Writer, notes []Note) error {
	esc := strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\n", `\n`, "\r", "").Replace
	var b strings.Builder
	for _, n := range notes {
		if !n.Contact || n.Email == "" {
			continue
		}
		lines := []string{"BEGIN:VCARD", "VERSION:4.0", "FN:" + Visible(esc(n.Name)), "EMAIL:" + Visible(esc(n.Email))}
		if n.Message != "" {
			lines = append(lines, "NOTE:"+Visible(esc(n.Message)))
		}
		lines = append(lines, "REV:"+n.At.UTC().Format("20060102T150405Z"), "END:VCARD")
		b.WriteString(strings.Join(lines, "\r\n") + "\r\n")
	}
	_, err := io.WriteString(w, b.String())
	return err //nolint:wrapcheck // stdout's own
}

// Visible escapes control characters, so that a visitor's note cannot
// write escape sequences to the owner's terminal.
func Visible(s string) string {
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

// Inert keeps a spreadsheet from reading a field as a formula (= + - @
// at its start), and escapes control characters.
func Inert(s string) string {
	s = Visible(s)
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
