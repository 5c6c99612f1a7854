package ui

import (
	"strings"
	"sync"
	"unicode"

	tea "charm.land/bubbletea/v2"

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
	before  int   // the selection when the field opened, for esc
}

// The searchable text of a document's roles, built once per document and
// shared (read-only) by every model: a server builds a model per visitor.
// Few documents are ever in use; a process that parses many starts again.
var hays = struct {
	sync.Mutex
	m map[*content.Resume][]string
}{m: map[*content.Resume][]string{}}

func haystacks(doc *content.Resume) []string {
	hays.Lock()
	defer hays.Unlock()
	if h, ok := hays.m[doc]; ok {
		return h
	}
	if len(hays.m) >= 16 {
		clear(hays.m)
	}
	h := make([]string, len(doc.Roles))
	for i, r := range doc.Roles {
		h[i] = haystack(r)
	}
	hays.m[doc] = h
	return h
}

// haystack is everything in a role that search reads.
func haystack(r content.Role) string {
	parts := []string{r.Title, r.Organisation}
	var items func([]content.Item)
	items = func(its []content.Item) {
		for _, it := range its {
			parts = append(parts, it.Text.PlainWithURLs())
			items(it.Items)
		}
	}
	items(r.Highlights)
	for _, b := range r.Notes {
		parts = append(parts, b.Text.Plain())
		items(b.Items)
	}
	return strings.Join(parts, "\n")
}

func (m Model) startSearch() Model {
	m.search = search{typing: true, before: m.sel}
	m.search.matches = m.matching("")
	m.focus, m.detailOpen = focusList, false
	return m
}

// matching is every role whose text contains q, ignoring case.
func (m Model) matching(q string) []int {
	var out []int
	for i, h := range m.hay {
		if q == "" || contains(h, q) {
			out = append(out, i)
		}
	}
	return out
}

func (m Model) updateSearch(msg tea.KeyPressMsg) Model {
	s := &m.search
	switch msg.String() {
	case "esc":
		m.sel = s.before
		m.search = search{}
		return m
	case "enter":
		if len(s.matches) > 0 {
			s.typing = false
			m.scroll = 0
		}
		if s.query == "" {
			m.search = search{}
		}
		return m
	case "up", "ctrl+p":
		m.sel = m.step(-1)
		return m
	case "down", "ctrl+n":
		m.sel = m.step(1)
		return m
	case "backspace", "ctrl+h":
		if r := []rune(s.query); len(r) > 0 {
			s.query = string(r[:len(r)-1])
		}
	case "ctrl+u":
		s.query = ""
	case "ctrl+w":
		s.query = strings.TrimRightFunc(strings.TrimRightFunc(s.query, unicode.IsSpace), func(r rune) bool { return !unicode.IsSpace(r) })
	default:
		text := typed(msg.Text)
		if text == "" || len([]rune(s.query))+len([]rune(text)) > maxQuery {
			return m
		}
		s.query += text
	}
	s.matches = m.matching(s.query)
	if len(s.matches) > 0 && indexOf(s.matches, m.sel) < 0 {
		m.sel = s.matches[0]
	}
	m.scroll = 0
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

// nextMatch moves to the next (or previous) role that matches the query.
func (m Model) nextMatch(back bool) Model {
	if m.search.query == "" {
		return m
	}
	n := len(m.doc.Roles)
	for d := 1; d <= n; d++ {
		i := (m.sel + d) % n
		if back {
			i = (m.sel - d + n) % n
		}
		if contains(m.hay[i], m.search.query) {
			m.sel, m.scroll = i, 0
			return m
		}
	}
	return m
}
