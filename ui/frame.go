package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/resume-ssh/resume/content"
)

// cache holds what depends only on the document, a width, the theme and
// the search query, so that a keypress re-renders without re-wrapping.
type cache struct {
	key      cacheKey
	detail   map[int][]string
	about    []string
	reader   []string
	timeline *timeline
}

type cacheKey struct {
	width int
	dark  bool
	query string
	month int // durations change with the month
}

// get returns the cache, emptied when what it was built for has changed.
func (m Model) get(width int) *cache {
	now := m.now()
	k := cacheKey{width: width, dark: m.dark, query: m.search.query, month: now.Year()*12 + int(now.Month())}
	if m.cache.key != k {
		*m.cache = cache{key: k, detail: map[int][]string{}}
	}
	return m.cache
}

// fit pads or cuts lines to exactly h lines of at most w cells.
func fit(lines []string, w, h int) []string {
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = truncate(lines[i], w)
		}
	}
	return out
}

func truncate(s string, w int) string {
	if lipgloss.Width(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// frame joins lines into the window's content, never more than h lines
// nor wider than w.
func frame(lines []string, w, h int) string {
	return strings.Join(fit(lines, w, h), "\n")
}

// window is the h lines of lines starting at off.
func window(lines []string, off, h int) []string {
	off = max(0, min(off, len(lines)-h))
	return lines[max(0, off):min(len(lines), max(0, off)+h)]
}

func (m Model) header() []string {
	st := m.styles
	start, end, months := m.doc.Span(m.now())
	title := st.Title.Render(m.doc.Title())
	if m.doc.Title() == "" {
		title = st.Title.Render("Résumé")
	}
	span := ""
	if months > 0 {
		span = st.Dim.Render(" · " + start.String() + " – " + end.String() + " · " + content.FormatMonths(months))
	}
	tabs := m.tabs()
	left := title + span
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(tabs)
	if gap < 2 {
		gap = m.width - lipgloss.Width(title) - lipgloss.Width(tabs)
		left = title
	}
	line := left
	if gap >= 2 {
		line = left + strings.Repeat(" ", gap) + tabs
	}
	return []string{line, st.Rule.Render(strings.Repeat("─", m.width))}
}

// tabs names the pages, the current one in brackets so that it shows
// without colour too.
func (m Model) tabs() string {
	st := m.styles
	var parts []string
	for _, t := range []struct {
		p    page
		name string
	}{{pageRoles, "roles"}, {pageTimeline, "timeline"}, {pageAbout, "about"}, {pageHelp, "help"}} {
		if t.p == m.page {
			parts = append(parts, st.Selected.Render("["+t.name+"]"))
		} else {
			parts = append(parts, st.Dim.Render(" "+t.name+" "))
		}
	}
	return strings.Join(parts, "")
}

func (m Model) footer() string {
	st := m.styles
	pos := st.Dim.Render(fmt.Sprintf(" %d/%d", m.sel+1, len(m.doc.Roles)))
	if len(m.doc.Roles) == 0 {
		pos = ""
	}
	if m.search.typing {
		n := len(m.search.matches)
		count := st.Dim.Render(fmt.Sprintf("  %d %s · enter pick · esc cancel", n, plural(n, "match", "matches")))
		return st.Key.Render("/") + m.search.query + st.Selected.Render("▏") + count
	}
	if m.demo.touring {
		return st.Accent.Render("demo tour") + st.Dim.Render(" · press any key to explore")
	}
	h := m.helpModel(max(0, m.width-lipgloss.Width(pos)-1))
	keys := h.ShortHelpView(m.keys.ShortHelp())
	if m.search.query != "" {
		keys = st.Dim.Render("“"+m.search.query+"” ") + h.ShortHelpView(
			[]key.Binding{m.keys.Next, m.keys.Back, m.keys.Search, m.keys.Help})
	}
	gap := m.width - lipgloss.Width(keys) - lipgloss.Width(pos)
	return keys + strings.Repeat(" ", max(1, gap)) + pos
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (m Model) tooSmallLine() string {
	msg := fmt.Sprintf("Window too small: %d×%d, the résumé needs %d×%d · q quits", m.width, m.height, MinWidth, MinHeight)
	if lipgloss.Width(msg) > m.width {
		msg = fmt.Sprintf("Too small: %d×%d < %d×%d", m.width, m.height, MinWidth, MinHeight)
	}
	return truncate(msg, max(m.width, 1))
}
