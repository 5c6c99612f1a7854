package ui

import tea "charm.land/bubbletea/v2"

// The mouse: a click selects what is under it (a tab, a role, a bar), and
// the wheel scrolls the pane under the pointer.

func (m Model) updateMouse(msg tea.MouseMsg) Model {
	if m.tooSmall() {
		return m
	}
	mouse := msg.Mouse()
	if wheel, ok := msg.(tea.MouseWheelMsg); ok {
		delta := 3
		if wheel.Button == tea.MouseWheelUp {
			delta = -3
		} else if wheel.Button != tea.MouseWheelDown {
			return m
		}
		return m.wheel(mouse.X, delta)
	}
	if mouse.Button != tea.MouseLeft {
		return m
	}
	switch {
	case m.reader:
	case mouse.Y == 0:
		m = m.clickTab(mouse.X)
	case m.page == pageRoles:
		m = m.clickRoles(mouse.X, mouse.Y)
	case m.page == pageTimeline:
		m = m.clickTimeline(mouse.X, mouse.Y)
	}
	return m
}

func (m Model) wheel(x, delta int) Model {
	if m.page == pageRoles && !m.reader && m.overList(x) {
		m.sel = m.step(delta / 3)
		m.detail = pager{}
		return m
	}
	if m.page == pageTimeline && !m.reader {
		m.sel = m.step(delta / 3)
		return m
	}
	if p, h, lines := m.pane(); p != nil {
		*p = p.by(delta, h, len(lines))
	}
	return m
}
