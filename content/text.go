package content

import (
	"strconv"
	"strings"
	"time"
)

// MinWidth is the narrowest width the text export lays out for; a smaller
// width is raised to it. MaxWidth is the widest the commands accept.
const (
	MinWidth = 20
	MaxWidth = 1000
)

// DatesLine is how a role's dates read in every export and view:
// "Jul 2013 – Present · 13 yrs 5 mos".
func (r Role) DatesLine(now time.Time) string {
	return FormatRange(r.Start, r.End) + " · " + r.Duration(now)
}

// Text is the résumé as plain text for a screen reader or a pager: wrapped
// to width cells (80 when width is 0 or less, MinWidth at the least) on
// word boundaries, with no ANSI and no trailing spaces, headings
// underlined, bullets as "- " with a hanging indent, links followed by
// their URLs, and the document's order kept.
func (r *Resume) Text(width int, now time.Time) string {
	if width <= 0 {
		width = 80
	}
	width = max(width, MinWidth)
	w := &textWriter{width: width}
	if r.About.Heading != "" {
		w.heading(r.About.Heading, '=')
	}
	if c := r.Contact(); len(c) > 0 {
		// The name is the heading when the document has none of its own.
		if r.About.Heading == "" && r.Person.Name != "" {
			w.heading(r.Person.Name, '=')
		}
		for _, l := range c {
			if l != r.Title() {
				w.para(l, "", "")
			}
		}
		w.gap()
	}
	w.blocks(r.About.Blocks)
	next := 0
	for i, role := range r.Roles {
		for next < len(r.Sections) && r.Sections[next].AfterRoles <= i {
			w.section(r.Sections[next])
			next++
		}
		w.role(role, now)
	}
	for ; next < len(r.Sections); next++ {
		w.section(r.Sections[next])
	}
	return strings.Join(w.lines, "\n") + "\n"
}

type textWriter struct {
	width int
	lines []string
}

// gap starts a new paragraph: one blank line, never two, none at the top.
func (w *textWriter) gap() {
	if n := len(w.lines); n > 0 && w.lines[n-1] != "" {
		w.lines = append(w.lines, "")
	}
}

func (w *textWriter) para(s, first, rest string) {
	w.lines = append(w.lines, Wrap(s, w.width, first, rest)...)
}

func (w *textWriter) heading(s string, underline rune) {
	w.gap()
	lines := Wrap(s, w.width, "", "")
	w.lines = append(w.lines, lines...)
	long := 0
	for _, l := range lines {
		long = max(long, Width(l))
	}
	w.lines = append(w.lines, strings.Repeat(string(underline), long))
}

func (w *textWriter) section(s Section) {
	if s.Heading != "" {
		w.heading(s.Heading, underline(s.Level))
	}
	w.blocks(s.Blocks)
	if s.Compact() {
		w.gap()
		for _, e := range s.Entries {
			w.para(e.Line1(), "- ", "  ")
		}
		return
	}
	for _, e := range s.Entries {
		w.entry(e)
	}
}

// Compact reports whether a section's entries are each one line: skills,
// languages and interests with nothing under them, which every view
// lists one to a line (Line1).
func (s Section) Compact() bool {
	if s.Kind != Skills && s.Kind != Languages && s.Kind != Interests {
		return false
	}
	for _, e := range s.Entries {
		if len(e.Notes) > 0 || len(e.Highlights) > 0 || e.Dated() || e.Organisation != "" || e.URL != "" {
			return false
		}
	}
	return true
}

// Line1 is an entry in one line, as a list of skills or languages shows
// it: "Languages (Expert): Go, Rust", "German (Professional)".
func (e Entry) Line1() string {
	s := e.Head()
	if e.Level != "" {
		s += " (" + e.Level + ")"
	}
	if len(e.Keywords) > 0 {
		s += ": " + strings.Join(e.Keywords, ", ")
	}
	return s
}

// entry writes an entry of a section: its head, where and when, its
// facts, notes and highlights.
func (w *textWriter) entry(e Entry) {
	w.gap()
	w.para(e.Head(), "", "")
	if l := joinNonEmpty(" · ", e.Organisation, e.Location, e.Dates()); l != "" {
		w.para(l, "", "")
	}
	w.details(e)
}

// details writes what an entry has under its head and dates: its URL,
// its fields, its notes and its highlights.
func (w *textWriter) details(e Entry) {
	if e.URL != "" {
		w.para(e.URL, "", "")
	}
	for _, f := range e.Facts() {
		w.para(f.Label+": "+f.Value, "", "  ")
	}
	w.blocks(e.Notes)
	if len(e.Highlights) > 0 {
		w.gap()
		w.items(e.Highlights, false, 0)
	}
}

func underline(level int) rune {
	switch level {
	case 1:
		return '='
	case 2:
		return '-'
	}
	return '~'
}

func (w *textWriter) role(r Role, now time.Time) {
	w.heading(r.Title, '-')
	if l := joinNonEmpty(" · ", r.Organisation, r.Location); l != "" {
		w.para(l, "", "")
	}
	w.para(r.DatesLine(now), "", "")
	w.details(r)
}

func (w *textWriter) blocks(bs []Block) {
	for _, b := range bs {
		w.gap()
		switch b.Kind {
		case Heading:
			w.heading(b.Text.PlainWithURLs(), underline(b.Level))
		case List:
			w.items(b.Items, b.Ordered, 0)
		case Code:
			for _, l := range strings.Split(b.Text.Plain(), "\n") {
				head, _ := cut("    "+strings.TrimRight(l, " \t"), w.width)
				w.lines = append(w.lines, strings.TrimRight(head, " "))
			}
		case Quote:
			w.para(b.Text.PlainWithURLs(), "> ", "> ")
		case Rule:
			w.lines = append(w.lines, "* * *")
		default:
			w.para(b.Text.PlainWithURLs(), "", "")
		}
	}
}

func (w *textWriter) items(items []Item, ordered bool, depth int) {
	indent := strings.Repeat(" ", min(2*depth, w.width/2))
	for i, it := range items {
		mark := "- "
		if ordered {
			mark = strconv.Itoa(i+1) + ". "
		}
		w.para(it.Text.PlainWithURLs(), indent+mark, indent+strings.Repeat(" ", len(mark)))
		w.items(it.Items, false, depth+1)
	}
}
