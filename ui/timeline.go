package ui

import (
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/resume-ssh/resume/content"
)

// timelinePart is the timeline, a component: the roles' bars over the
// years, the selected role's line, and a legend that scrolls to keep the
// selection in view. The selection is the root model's, shared with the
// list; the part is given it, and gives back the next.
type timelinePart struct{}

// timelineLook is what the timeline draws with.
type timelineLook struct {
	doc           *content.Resume
	st            *Styles
	chart         *timeline
	sel           int
	width, height int // the body's
	now           time.Time
}

func (m Model) timelineLook() timelineLook {
	return timelineLook{doc: m.doc, st: m.styles, chart: m.chart(), sel: m.sel, width: m.width, height: m.bodyHeight(), now: m.now()}
}

func (m Model) timelineLines() []string { return m.timeline.View(m.timelineLook()) }

// View draws the chart, the selected role and the legend around it.
func (timelinePart) View(l timelineLook) []string {
	st, t := l.st, l.chart
	w := l.width - 2
	out := []string{" " + st.Dim.Render(t.axis), " " + st.Rule.Render(t.ticks)}
	for _, lane := range t.lanes {
		out = append(out, " "+l.laneLine(lane, w))
	}
	out = append(out, "")
	if len(l.doc.Roles) > 0 {
		r := l.doc.Roles[l.sel]
		out = append(out, " "+st.Marker.Render("▸ ")+st.Selected.Render(printable(r.Title))+st.Dim.Render(" · ")+
			st.Accent.Render(printable(r.Organisation))+st.Dim.Render(" · "+r.DatesLine(l.now)))
		out = append(out, "")
	}
	// The legend, a window of it around the selection.
	top, rows := l.legend(len(out))
	for i := top; i < min(len(l.doc.Roles), top+rows); i++ {
		r := l.doc.Roles[i]
		mark, style := "  ", st.Text
		if i == l.sel {
			mark, style = st.Marker.Render("▸ "), st.Selected
		}
		out = append(out, " "+mark+st.Dim.Render(strconv.Itoa(i+1)+" ")+style.Render(printable(r.Title))+st.Dim.Render(" "+yearRange(r)))
	}
	return out
}

// legend is the first role the legend shows and how many fit, when it
// starts at row from of the body.
func (l timelineLook) legend(from int) (top, rows int) {
	rows = max(0, l.height-from)
	return max(0, min(l.sel-rows/2, len(l.doc.Roles)-rows)), rows
}

// laneLine draws one lane of the chart, w cells wide. Each bar starts with
// its role's number, the selected one too; a bar too short for it has its
// number in the free cells beside it, after or else before, so that every
// role can be found by its number.
func (l timelineLook) laneLine(lane []int, w int) string {
	t := l.chart
	owner := make([]int, w) // the role whose bar covers a cell, or -1
	label := make([]bool, w)
	for i := range owner {
		owner[i] = -1
	}
	for _, i := range lane {
		for x := t.from[i]; x <= min(t.to[i], w-1); x++ {
			owner[x] = i
		}
	}
	text := []rune(strings.Repeat(" ", w))
	for _, i := range lane {
		num := strconv.Itoa(i + 1)
		from, to := t.from[i], min(t.to[i], w-1)
		at := -1
		switch free := func(a int) bool {
			for x := a; x < a+len(num); x++ {
				if x < 0 || x >= w || owner[x] != -1 {
					return false
				}
			}
			return true
		}; {
		case to-from+1 >= len(num):
			at = from
		case free(to + 1):
			at = to + 1
		case free(from - len(num)):
			at = from - len(num)
		}
		if at < 0 {
			continue
		}
		for k, r := range num {
			text[at+k], owner[at+k], label[at+k] = r, i, true
		}
	}
	st := l.st
	var b strings.Builder
	for x := 0; x < w; {
		i, isLabel := owner[x], label[x]
		j := x
		for j < w && owner[j] == i && label[j] == isLabel {
			j++
		}
		switch {
		case i < 0:
			b.WriteString(string(text[x:j]))
		case isLabel:
			style := l.barStyle(i)
			if i == l.sel {
				style = st.Selected
			}
			b.WriteString(style.Render(string(text[x:j])))
		default:
			b.WriteString(l.barStyle(i).Render(strings.Repeat(l.barFill(i), j-x)))
		}
		x = j
	}
	return b.String()
}

// barFill is the shade of role i's bar: full blocks when selected, else
// shades that alternate between neighbours so that they read apart
// without colour.
func (l timelineLook) barFill(i int) string {
	switch {
	case i == l.sel:
		return "█"
	case i%2 == 1:
		return "░"
	}
	return "▒"
}

func (l timelineLook) barStyle(i int) lipgloss.Style {
	switch {
	case i == l.sel:
		return l.st.BarSelected
	case i%2 == 1:
		return l.st.BarAlt
	}
	return l.st.Bar
}

// timelineAction is what a key in the timeline asks of the root.
type timelineAction int

const (
	stay     timelineAction = iota
	openRole                // show the selected role's detail
	leave                   // back to the list
)

// Update moves sel (of n roles) by the timeline's keys. The bar keys come
// first: ← and → walk the bars along the axis here, where elsewhere they
// go back and open.
func (timelinePart) Update(msg tea.KeyPressMsg, k *KeyMap, sel, n int, step func(int) int) (int, timelineAction) {
	switch {
	case match(msg, k.BarPrev):
		return step(-1), stay
	case match(msg, k.BarNext):
		return step(1), stay
	case match(msg, k.Back):
		return sel, leave
	case match(msg, k.Open):
		return sel, openRole
	case match(msg, k.First):
		return 0, stay
	case match(msg, k.Last):
		return n - 1, stay
	case match(msg, k.Jump):
		if j, err := strconv.Atoi(msg.String()); err == nil && j <= n {
			return j - 1, stay
		}
	}
	return sel, stay
}

func (m Model) updateTimeline(msg tea.KeyPressMsg) Model {
	sel, act := m.timeline.Update(msg, m.keys, m.sel, len(m.doc.Roles), m.step)
	m.sel = sel
	switch act {
	case leave:
		m.page = pageRoles
	case openRole:
		m.page, m.focus, m.detailOpen, m.detail = pageRoles, focusDetail, true, pager{}
	}
	return m
}

// clickTimeline selects the role whose bar, or legend line, is under the
// pointer.
func (m Model) clickTimeline(x, y int) Model {
	t := m.chart()
	row, col := y-2, x-1
	if lane := row - laneTop; lane >= 0 && lane < len(t.lanes) {
		for _, i := range t.lanes[lane] {
			if col >= t.from[i] && col <= t.to[i] {
				m.sel = i
			}
		}
		return m
	}
	legend := laneTop + len(t.lanes) + 1
	if len(m.doc.Roles) > 0 {
		legend += 2
	}
	top, _ := m.timelineLook().legend(legend)
	if i := top + row - legend; row >= legend && i < len(m.doc.Roles) {
		m.sel = i
	}
	return m
}
