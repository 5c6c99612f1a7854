package ui

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/resume-ssh/resume/content"
)

// The role list shows each role on two rows: title, then years and
// organisation.
const rowsPerRole = 2

func (m Model) updateRoles(msg tea.KeyPressMsg) Model {
	k := m.keys
	inDetail := (m.wide() && m.focus == focusDetail) || (!m.wide() && m.detailOpen)
	switch {
	case match(msg, k.Back):
		switch {
		case inDetail:
			m.focus, m.detailOpen = focusList, false
		case m.search.query != "":
			m.search = search{}
		}
	case match(msg, k.Open):
		if !inDetail {
			m.focus, m.detailOpen, m.detail = focusDetail, true, pager{}
		}
	case match(msg, k.Focus):
		if m.focus == focusDetail {
			m.focus, m.detailOpen = focusList, false
		} else {
			m.focus, m.detailOpen = focusDetail, true
		}
	case match(msg, k.Jump):
		if n, err := strconv.Atoi(msg.String()); err == nil && n <= len(m.doc.Roles) {
			m.sel, m.detail = n-1, pager{}
		}
	case inDetail:
		m = m.scroll(msg)
	case m.wide() && (match(msg, k.PageDown) || match(msg, k.PageUp) || match(msg, k.HalfDown) || match(msg, k.HalfUp)):
		// The detail is on screen beside the list: paging keys scroll it.
		m = m.scroll(msg)
	default:
		if list, sel, ok := m.list.Update(msg, k, m.entries(), m.sel, m.listRows()); ok {
			m.list, m.sel, m.detail = list, sel, pager{}
		}
	}
	return m
}

// step is the role d places from the selection among those listed.
func (m Model) step(d int) int { return stepIn(m.entries(), m.sel, d) }

// entries are the roles the list shows: those matching while searching,
// else all of them.
func (m Model) entries() []int {
	if m.search.typing {
		return m.search.matches
	}
	all := make([]int, len(m.doc.Roles))
	for i := range all {
		all[i] = i
	}
	return all
}

// listWidth is the list pane's width: the whole window when narrow. When
// wide, the list takes what its longest line needs as long as the detail
// keeps a comfortable measure (readMeasure) and the list no more than
// half; never less than two fifths of the window, up to 48 cells.
func (m Model) listWidth() int {
	if !m.wide() {
		return m.width
	}
	return max(min(48, m.width*2/5), min(m.listNeeds(), m.width-readMeasure-3, m.width/2))
}

// readMeasure is the width prose is wrapped to when there is room: lines
// much longer are hard to read.
const readMeasure = 72

// maxMeasure is the widest prose is ever wrapped.
const maxMeasure = 96

// listNeeds is the width of the list's longest line, as listLines draws
// it: the marker, the number and the title, or the years and the
// organisation.
func (m Model) listNeeds() int {
	return cached(m, 0, slot{kind: slotListNeeds}, func() int {
		w := 0
		for _, r := range m.doc.Roles {
			w = max(w, 4+lipgloss.Width(printable(r.Title)), 4+2+lipgloss.Width(yearRange(r))+3+lipgloss.Width(printable(r.Organisation)))
		}
		return w
	})
}

func (m Model) listRows() int { return max(1, m.bodyHeight()/rowsPerRole) }

func (m Model) overList(x int) bool {
	if m.wide() {
		return x < m.listWidth()
	}
	return !m.detailOpen
}

func (m Model) rolesLines() []string {
	h := m.bodyHeight()
	if len(m.doc.Roles) == 0 {
		return []string{m.styles.Dim.Render("  This document has no roles; press a for the about page.")}
	}
	if !m.wide() {
		if m.detailOpen {
			return indent(m.detail.View(m.detailLines(), h), " ")
		}
		return m.listLines(m.width)
	}
	list := fit(m.listLines(m.listWidth()), m.listWidth(), h)
	detail := m.detail.View(m.detailLines(), h)
	sep := m.styles.Rule.Render(" │ ")
	if m.focus == focusDetail {
		sep = m.styles.Selected.Render(" ┃ ")
	}
	out := make([]string, h)
	for i := range out {
		d := ""
		if i < len(detail) {
			d = detail[i]
		}
		out[i] = list[i] + strings.Repeat(" ", max(0, m.listWidth()-lipgloss.Width(list[i]))) + sep + d
	}
	return out
}

// listLines is the list, w cells wide.
func (m Model) listLines(w int) []string {
	look := listLook{doc: m.doc, st: m.styles, query: m.search.query}
	lines := m.list.View(look, m.entries(), m.sel, m.listRows())
	return fit(lines, w, len(lines))
}

// yearRange is a role's years, as "2013 – now" or "2008 – 2011".
func yearRange(r content.Role) string {
	end := "now"
	if !r.Current() {
		end = strconv.Itoa(r.End.Year)
	}
	if strconv.Itoa(r.Start.Year) == end {
		return end
	}
	return strconv.Itoa(r.Start.Year) + " – " + end
}

func (m Model) clickRoles(x, y int) Model {
	row := y - 2 // below the header
	if row < 0 || row >= m.bodyHeight() {
		return m
	}
	if !m.overList(x) {
		m.focus = focusDetail
		return m
	}
	if i := m.list.at(row, m.entries(), m.listRows()); i >= 0 {
		if m.sel != i {
			m.sel, m.detail = i, pager{}
		}
		m.focus = focusList
	}
	return m
}

func indent(lines []string, pad string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = pad + l
	}
	return out
}
