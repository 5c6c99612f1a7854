package ui

import tea "charm.land/bubbletea/v2"

// pager is a scrolling view of lines, a component of its own: the detail,
// the about page, the help and the reader each have one, so that each
// keeps its place while the others move.
type pager struct{ off int }

// Update moves the pager by the scrolling keys of k, for a view h lines
// high over total lines.
func (p pager) Update(msg tea.KeyPressMsg, k *KeyMap, h, total int) pager {
	page := max(1, h-1)
	switch {
	case match(msg, k.Down):
		p.off++
	case match(msg, k.Up):
		p.off--
	case match(msg, k.PageDown):
		p.off += page
	case match(msg, k.PageUp):
		p.off -= page
	case match(msg, k.HalfDown):
		p.off += page / 2
	case match(msg, k.HalfUp):
		p.off -= page / 2
	case match(msg, k.First):
		p.off = 0
	case match(msg, k.Last):
		p.off = total
	}
	return p.clamp(h, total)
}

// by moves the pager d lines (the wheel).
func (p pager) by(d, h, total int) pager {
	p.off += d
	return p.clamp(h, total)
}

// clamp keeps the pager within total lines, for a view h lines high.
func (p pager) clamp(h, total int) pager {
	p.off = max(0, min(p.off, total-h))
	return p
}

// View is the h lines of lines in view.
func (p pager) View(lines []string, h int) []string { return window(lines, p.off, h) }

// pane is the pager that the keys and the wheel move now, with the height
// of its view and the lines it pages through; nil when nothing pages.
func (m *Model) pane() (p *pager, h int, lines []string) {
	switch {
	case m.tooSmall():
		return nil, 0, nil
	case m.reader:
		return &m.read, m.height - 1, m.readerLines()
	case m.page == pageAbout:
		return &m.about, m.bodyHeight(), m.aboutLines()
	case m.page == pageHelp:
		return &m.help, m.bodyHeight(), m.helpLines()
	case m.page == pageRoles && len(m.doc.Roles) > 0:
		return &m.detail, m.bodyHeight(), m.detailLines()
	}
	return nil, 0, nil
}

// scroll moves the current pane by msg's scrolling keys.
func (m Model) scroll(msg tea.KeyPressMsg) Model {
	if p, h, lines := m.pane(); p != nil {
		*p = p.Update(msg, m.keys, h, len(lines))
	}
	return m
}
