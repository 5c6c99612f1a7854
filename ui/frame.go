package ui

import (
	"fmt"
	"strings"
	"sync"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/resume-ssh/resume/content"
)

// Wrapping text to a width is most of what drawing costs, and it depends
// only on the document, the width, the theme, the search query and the
// month (durations change with it). So it is done once per process for
// each of those and shared by every model: the second visitor at a size
// finds the first one's lines.

// cache holds the wrapped lines for one cacheKey, built as they are asked
// for.
type cache struct {
	mu    sync.Mutex
	items map[slot]any
}

type cacheKey struct {
	doc   *content.Resume
	width int
	dark  bool
	query string
	month int
}

// slot is one thing a cache holds: the about page, the reader's column,
// the timeline, or a role's detail.
type slot struct {
	kind byte
	role int
}

const (
	slotDetail byte = iota
	slotAbout
	slotReader
	slotTimeline
)

// maxCaches bounds the caches: a few widths in two themes, and whatever
// visitors search for. One holds at most every page at one width (about
// 20 KB for the seed, 220 KB for a document of 44 roles), so a client
// that walks every width and query can make them hold 14 MB at most.
// When it is full the caches start again.
const maxCaches = 64

var caches = struct {
	sync.Mutex
	m map[cacheKey]*cache
}{m: map[cacheKey]*cache{}}

// get returns the cache for the model's document, theme, query and month
// at width.
func (m Model) get(width int) *cache {
	now := m.now()
	k := cacheKey{doc: m.doc, width: width, dark: m.dark, query: m.search.query, month: now.Year()*12 + int(now.Month())}
	caches.Lock()
	defer caches.Unlock()
	c := caches.m[k]
	if c == nil {
		if len(caches.m) >= maxCaches {
			clear(caches.m)
		}
		c = &cache{items: map[slot]any{}}
		caches.m[k] = c
	}
	return c
}

// cached returns what s holds in the cache for width, building it the
// first time. Two models may build it at once; both get equal lines.
func cached[T any](m Model, width int, s slot, build func() T) T {
	c := m.get(width)
	c.mu.Lock()
	v, ok := c.items[s]
	c.mu.Unlock()
	if ok {
		return v.(T)
	}
	out := build()
	c.mu.Lock()
	c.items[s] = out
	c.mu.Unlock()
	return out
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
	title := st.Title.Render(printable(m.doc.Title()))
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
