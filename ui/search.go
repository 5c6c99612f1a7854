package ui

import (
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/resume-ssh/resume/content"
)

// maxQuery bounds what a visitor can type into the search field.
const maxQuery = 64

// search is the search field and what it found. The query stays after
// enter, so that matches stay highlighted and n/N can step through them.
type search struct {
	typing  bool
	query   string
	matches []int // roles whose text contains the query
	about   bool  // whether the about page does too
	before  int   // the selection when the field opened, for esc
}

// found is how many places match: the roles, and the about page.
func (s search) found() int {
	if s.about {
		return len(s.matches) + 1
	}
	return len(s.matches)
}

// haystacks is the searchable text of doc's roles, and of its about
// page last, built once per document and shared (read-only) by every
// model the renderer draws.
func (r *Renderer) haystacks(doc *content.Resume) []string {
	return r.hays.GetOrMake(doc, func() []string {
		h := make([]string, len(doc.Roles)+1)
		for i, role := range doc.Roles {
			h[i] = haystack(role)
		}
		h[len(doc.Roles)] = aboutHaystack(doc)
		return h
	}, func(h []string) int {
		n := 0
		for _, s := range h {
			n += len(s) + 16
		}
		return n
	})
}

// haystack is everything in a role that search reads.
func haystack(r content.Role) string { return strings.Join(entryText(r), "\n") }

// entryText is everything in an entry that search reads.
func entryText(e content.Entry) []string {
	parts := append([]string{e.Head(), e.Organisation, e.Location}, itemsText(e.Highlights)...)
	for _, f := range e.Facts() {
		parts = append(parts, f.Value)
	}
	for _, b := range e.Notes {
		parts = append(parts, b.Text.PlainWithURLs())
		parts = append(parts, itemsText(b.Items)...)
	}
	return parts
}

// aboutHaystack is everything on the about page that search reads.
func aboutHaystack(doc *content.Resume) string {
	var parts []string
	for _, sec := range append([]content.Section{doc.About}, doc.Sections...) {
		parts = append(parts, sec.Heading)
		for _, b := range sec.Blocks {
			parts = append(parts, b.Text.PlainWithURLs())
			parts = append(parts, itemsText(b.Items)...)
		}
		for _, e := range sec.Entries {
			parts = append(parts, entryText(e)...)
		}
	}
	return strings.Join(parts, "\n")
}

func itemsText(its []content.Item) []string {
	var out []string
	for _, it := range its {
		out = append(out, it.Text.PlainWithURLs())
		out = append(out, itemsText(it.Items)...)
	}
	return out
}

func (m Model) startSearch() Model {
	m.search = search{typing: true, before: m.sel, matches: matching(m.hay, len(m.doc.Roles), "")}
	m.focus, m.detailOpen = focusList, false
	return m
}

// matching is every one of n roles whose text in hay contains q,
// ignoring case.
func matching(hay []string, n int, q string) []int {
	var out []int
	for i, h := range hay[:n] {
		if q == "" || contains(h, q) {
			out = append(out, i)
		}
	}
	return out
}

// searchAction is what a key in the search field asks of the root.
type searchAction int

const (
	searchEdited    searchAction = iota // the query or the selection changed
	searchCancelled                     // back to where it was, no query
	searchAccepted                      // keep the matches highlighted
	searchToAbout                       // accepted, and only the about page matches
)

// Update is the search field, a component: it edits the query by msg
// and keeps the matches among n roles (and whether the about page, the
// last of hay, matches), and moves sel through the matches. It says
// what the root should do next.
func (s search) Update(msg tea.KeyPressMsg, k *KeyMap, hay []string, n, sel int) (search, int, searchAction) {
	step := func(d int) int { return stepIn(s.matches, sel, d) }
	switch {
	case match(msg, k.SearchCancel):
		return search{}, s.before, searchCancelled
	case match(msg, k.SearchAccept):
		switch {
		case s.query == "":
			return search{}, sel, searchCancelled
		case len(s.matches) > 0:
			s.typing = false
			return s, sel, searchAccepted
		case s.about:
			s.typing = false
			return s, sel, searchToAbout
		}
		return s, sel, searchEdited
	case match(msg, k.SearchUp):
		return s, step(-1), searchEdited
	case match(msg, k.SearchDown):
		return s, step(1), searchEdited
	case match(msg, k.SearchDelete):
		if r := []rune(s.query); len(r) > 0 {
			s.query = string(r[:len(r)-1])
		}
	case match(msg, k.SearchClear):
		s.query = ""
	case match(msg, k.SearchDeleteWord):
		s.query = strings.TrimRightFunc(strings.TrimRightFunc(s.query, unicode.IsSpace), func(r rune) bool { return !unicode.IsSpace(r) })
	default:
		text := typed(msg.Text)
		if text == "" || len([]rune(s.query))+len([]rune(text)) > maxQuery {
			return s, sel, searchEdited
		}
		s.query += text
	}
	s.matches = matching(hay, n, s.query)
	s.about = s.query != "" && contains(hay[n], s.query)
	if len(s.matches) > 0 && indexOf(s.matches, sel) < 0 {
		sel = s.matches[0]
	}
	return s, sel, searchEdited
}

// updateSearch gives a key to the search field, and does what it says.
func (m Model) updateSearch(msg tea.KeyPressMsg) Model {
	s, sel, act := m.search.Update(msg, m.keys, m.hay, len(m.doc.Roles), m.sel)
	if sel != m.sel || s.query != m.search.query || act == searchAccepted {
		m.detail = pager{}
	}
	m.search, m.sel = s, sel
	if act == searchToAbout {
		m = m.nextMatch(false)
	}
	return m
}

// typed is typed or pasted text without its control characters.
func typed(s string) string {
	return strings.Map(func(r rune) rune {
		if control(r) {
			return -1
		}
		return r
	}, s)
}

// nextMatch moves to the next (or previous) place that matches the query:
// the matching roles in order, then the about page, and round again.
func (m Model) nextMatch(back bool) Model {
	q, n := m.search.query, len(m.doc.Roles)
	if q == "" {
		return m
	}
	// Places are numbered as roles, with the about page as n.
	var stops []int
	for i, h := range m.hay {
		if contains(h, q) {
			stops = append(stops, i)
		}
	}
	if len(stops) == 0 {
		return m
	}
	cur := m.sel
	if m.page == pageAbout {
		cur = n
	}
	next := stops[0]
	if back {
		next = stops[len(stops)-1]
	}
	for _, i := range stops {
		if !back && i > cur {
			next = i
			break
		}
		if back && i < cur {
			next = i
		}
	}
	if next < n {
		m.page, m.sel, m.detail = pageRoles, next, pager{}
		return m
	}
	// The about page, scrolled to its first match.
	m.page, m.about = pageAbout, pager{}
	for i, l := range m.aboutLines() {
		if contains(ansi.Strip(l), q) {
			m.about = pager{off: max(0, i-2)}
			break
		}
	}
	return m
}

// What matches the query is highlighted wherever text is drawn.

// markMatches splits runs where query (case-insensitively) starts and ends.
func markMatches(rs []run, query string) []run {
	var all []rune
	for _, r := range rs {
		all = append(all, []rune(r.text)...)
	}
	in := matchMask(all, []rune(query))
	var out []run
	pos := 0
	for _, r := range rs {
		rr := []rune(r.text)
		start := 0
		for i := 1; i <= len(rr); i++ {
			if i == len(rr) || in[pos+i] != in[pos+start] {
				piece := r
				piece.text = string(rr[start:i])
				piece.match = in[pos+start]
				out = append(out, piece)
				start = i
			}
		}
		pos += len(rr)
	}
	return out
}

// matchMask marks each rune of s that is part of a case-insensitive
// occurrence of q.
func matchMask(s, q []rune) []bool {
	in := make([]bool, len(s)+1)
	if len(q) == 0 {
		return in
	}
	for i := 0; i+len(q) <= len(s); i++ {
		ok := true
		for j, c := range q {
			if unicode.ToLower(s[i+j]) != unicode.ToLower(c) {
				ok = false
				break
			}
		}
		if ok {
			for j := range q {
				in[i+j] = true
			}
		}
	}
	return in
}

// contains reports whether s contains q, ignoring case.
func contains(s, q string) bool {
	m := matchMask([]rune(s), []rune(q))
	for _, b := range m {
		if b {
			return true
		}
	}
	return false
}

// highlight draws s in style, with what matches q in the match style.
func highlight(s, q string, style, matchStyle lipgloss.Style) string {
	s = printable(s)
	if q == "" {
		return style.Render(s)
	}
	var b strings.Builder
	for _, r := range markMatches([]run{{text: s}}, q) {
		if r.match {
			b.WriteString(matchStyle.Render(r.text))
		} else {
			b.WriteString(style.Render(r.text))
		}
	}
	return b.String()
}
