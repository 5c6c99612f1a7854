package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// demo is the booth tour: after idle without input, a step every step
// through about, each role and the timeline. Its timers are the only ones
// the browser ever starts, and only when the demo is on.
type demo struct {
	on         bool
	idle, step time.Duration
	gen        int // bumped by input, so that older timers are ignored
	touring    bool
	stepN      int
	saved      *Model // where the visitor was when the tour began
}

type idleMsg struct{ gen int }

type tourMsg struct{ gen int }

// wait is the idle timer, or nil when the demo is off or touring.
func (d demo) wait() tea.Cmd {
	if !d.on || d.touring {
		return nil
	}
	gen := d.gen
	return tea.Tick(d.idle, func(time.Time) tea.Msg { return idleMsg{gen} })
}

func (d demo) next() tea.Cmd {
	gen := d.gen
	return tea.Tick(d.step, func(time.Time) tea.Msg { return tourMsg{gen} })
}

func (m Model) updateDemo(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case idleMsg:
		if msg.gen != m.demo.gen || m.demo.touring || !m.demo.on {
			return m, nil
		}
		saved := m
		saved.demo = demo{}
		m.demo.saved = &saved
		m.demo.touring, m.demo.stepN = true, 0
	case tourMsg:
		if msg.gen != m.demo.gen || !m.demo.touring {
			return m, nil
		}
		m.demo.stepN = (m.demo.stepN + 1) % m.tourLen()
	}
	m = m.tourStep()
	return m, m.demo.next()
}

// tourLen is how many steps the tour has: about, each role, the
// timeline, and the card when there is one.
func (m Model) tourLen() int {
	if m.hasCard() {
		return len(m.doc.Roles) + 3
	}
	return len(m.doc.Roles) + 2
}

// tourStep shows step n of the tour: about, then each role, then the
// timeline, then the contact card, for passers-by to scan.
func (m Model) tourStep() Model {
	n := m.demo.stepN
	m.reader, m.search, m.detail = false, search{}, pager{}
	switch {
	case n == 0:
		m.page = pageAbout
	case n <= len(m.doc.Roles):
		m.page, m.sel, m.focus, m.detailOpen = pageRoles, n-1, focusList, !m.wide()
	case n == len(m.doc.Roles)+1:
		m.page = pageTimeline
	default:
		m.page = pageCard
	}
	return m
}

// stopTour returns the visitor to where they were before the tour, at
// the window size and theme they have now.
func (m Model) stopTour() Model {
	d := m.demo
	if d.saved == nil {
		return m
	}
	back := *d.saved
	back.width, back.height = m.width, m.height
	back.setTheme(m.dark)
	d.touring, d.saved = false, nil
	back.demo = d
	return back
}
