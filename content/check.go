package content

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Warnings are what a document says that is probably a mistake but can
// still be shown, as "FILE:LINE: reason"; every command prints them: what
// the parser read with a guess, a role that starts or ends after now (a
// typo in a year, or a planned end that will need changing), and a
// document with no roles.
func (r *Resume) Warnings(now time.Time) []string {
	return r.format(r.warnings(now))
}

func (r *Resume) warnings(now time.Time) []Warning {
	out := append([]Warning{}, r.notes...)
	if len(r.Roles) == 0 {
		out = append(out, Warning{Msg: "no roles: a role is a title with its dates under or beside it, such as \"## Staff SRE\" then \"#### Acme (2019 - Present)\""})
	}
	for _, role := range r.Roles {
		switch {
		case role.Start.startIndex() > monthIndex(now):
			out = append(out, Warning{role.Line, fmt.Sprintf("%q starts in the future (%s)", role.Title, role.Start)})
		case !role.End.IsZero() && role.End.startIndex() > monthIndex(now):
			out = append(out, Warning{role.Line, fmt.Sprintf("%q ends in the future (%s); a current role ends with Present", role.Title, role.End)})
		}
	}
	return out
}

// format writes warnings as "FILE:LINE: reason", or "FILE: reason" for
// the whole document.
func (r *Resume) format(ws []Warning) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		if w.Line > 0 {
			out = append(out, fmt.Sprintf("%s:%d: %s", r.Name, w.Line, w.Msg))
		} else {
			out = append(out, r.Name+": "+w.Msg)
		}
	}
	return out
}

// Advice is what resume check says besides the warnings: what a visitor
// would miss. A role with no highlights, two roles with the same title
// and dates, and no way to get in touch.
func (r *Resume) Advice() []string { return r.format(r.advice()) }

func (r *Resume) advice() []Warning {
	var out []Warning
	seen := map[string]int{}
	for _, role := range r.Roles {
		if len(role.Highlights) == 0 && len(role.Notes) == 0 {
			out = append(out, Warning{role.Line, fmt.Sprintf("%q has no highlights", role.Title)})
		}
		k := role.Title + "\x00" + FormatRange(role.Start, role.End)
		if first, dup := seen[k]; dup {
			out = append(out, Warning{role.Line, fmt.Sprintf("%q has the same title and dates as line %d", role.Title, first)})
		} else {
			seen[k] = role.Line
		}
	}
	if p := r.Person; p.Email == "" && p.URL == "" && p.Phone == "" && len(p.Profiles) == 0 {
		how := "front matter: email: or url:, or an email in the opening paragraph"
		if r.fromJSON {
			how = "JSON Resume: basics.email or basics.url"
		}
		out = append(out, Warning{Msg: "no contact details: a visitor cannot reach you (" + how + ")"})
	}
	return out
}

// Summary is what a visitor gets, in one line: "cv.md: 6 roles
// (2014–now), 3 sections".
func (r *Resume) Summary(now time.Time) string {
	s := r.Name + ": " + plural(len(r.Roles), "role")
	if start, end, months := r.Span(now); months > 0 {
		last := "now"
		if !end.IsZero() {
			last = strconv.Itoa(end.Year)
		}
		s += fmt.Sprintf(" (%d–%s)", start.Year, last)
	}
	n := 0
	for _, sec := range r.Sections {
		if sec.Kind != Work {
			n++
		}
	}
	return s + ", " + plural(n, "section")
}

// Report is what resume check prints: the summary, the owner, then a
// table of what was read, in the document's order (each role's title,
// organisation, location, dates and number of highlights, and each entry
// of every other section), with each warning under the line it concerns.
func (r *Resume) Report(now time.Time) string {
	var rows []reportRow
	roles := func(from, to int) {
		for i := from; i < to; i++ {
			e := r.Roles[i]
			rows = append(rows, reportRow{line: e.Line, cells: []string{strconv.Itoa(i + 1), e.Title, e.Organisation, e.Location, e.Dates(), plural(len(e.Highlights), "highlight")}})
		}
	}
	next := 0
	for _, s := range r.Sections {
		roles(next, max(next, s.AfterRoles))
		next = max(next, s.AfterRoles)
		head := fmt.Sprintf("%s  (%s, line %d)", s.Heading, kindLabel(s.Kind), s.Line)
		if s.Kind == Free || len(s.Blocks) > 0 {
			head += ", " + plural(len(s.Blocks), "block") + " of text"
		}
		rows = append(rows, reportRow{line: s.Line, heading: head})
		for i, e := range s.Entries {
			var facts []string
			for _, f := range e.Facts() {
				facts = append(facts, f.Label+": "+f.Value)
			}
			if n := len(e.Highlights); n > 0 {
				facts = append(facts, plural(n, "highlight"))
			}
			rows = append(rows, reportRow{line: e.Line, cells: []string{strconv.Itoa(i + 1), e.Head(), e.Organisation, e.Location, e.Dates(), strings.Join(facts, "; ")}})
		}
	}
	roles(next, len(r.Roles))

	// Each warning goes under the last row at or before its line; the
	// document's own, and those before every row, go at the top.
	ws := append(r.warnings(now), r.advice()...)
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].Line < ws[j].Line })
	var top []Warning
	for _, w := range ws {
		at := -1
		for i, row := range rows {
			if row.line <= w.Line {
				at = i
			}
		}
		if w.Line == 0 || at < 0 {
			top = append(top, w)
			continue
		}
		rows[at].after = append(rows[at].after, w)
	}

	var b strings.Builder
	b.WriteString(r.Summary(now) + "\n")
	if c := r.contactLine(); c != "" {
		b.WriteString("owner: " + c + "\n")
	}
	for _, w := range top {
		b.WriteString("warning: " + r.format([]Warning{w})[0] + "\n")
	}
	for i := 0; i < len(rows); {
		if rows[i].heading != "" {
			b.WriteString("\n" + rows[i].heading + "\n")
			r.writeWarnings(&b, rows[i].after, "")
			i++
			continue
		}
		j := i
		for j < len(rows) && rows[j].heading == "" {
			j++
		}
		if i == 0 {
			b.WriteString("\n")
		}
		r.writeRows(&b, rows[i:j])
		i = j
	}
	return b.String()
}

func kindLabel(k Kind) string {
	if k == Free {
		return "text"
	}
	return k.String()
}

// contactLine is the owner in one line: name, headline and how to reach
// them.
func (r *Resume) contactLine() string {
	p := r.Person
	return joinNonEmpty(" · ", p.Name, p.Label, p.Email, p.Phone, p.URL)
}

// reportRow is a line of the report: a section's heading, or an entry's
// cells; and the warnings that go under it.
type reportRow struct {
	line    int
	heading string
	cells   []string
	after   []Warning
}

// writeRows prints rows in aligned columns, an empty column left out.
func (r *Resume) writeRows(b *strings.Builder, rows []reportRow) {
	widths := make([]int, len(rows[0].cells)+1)
	for _, row := range rows {
		widths[0] = max(widths[0], len(strconv.Itoa(row.line)))
		for i, c := range row.cells {
			widths[i+1] = max(widths[i+1], Width(c))
		}
	}
	for _, row := range rows {
		var line strings.Builder
		fmt.Fprintf(&line, "  %*d  ", widths[0], row.line)
		for i, c := range row.cells {
			if widths[i+1] == 0 {
				continue
			}
			if i > 0 {
				line.WriteString(" · ")
			}
			line.WriteString(c + strings.Repeat(" ", widths[i+1]-Width(c)))
		}
		b.WriteString(strings.TrimRight(line.String(), " ·") + "\n")
		r.writeWarnings(b, row.after, strings.Repeat(" ", widths[0]+4))
	}
}

func (r *Resume) writeWarnings(b *strings.Builder, ws []Warning, indent string) {
	for _, s := range r.format(ws) {
		b.WriteString(indent + "warning: " + s + "\n")
	}
}
