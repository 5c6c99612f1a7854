package ui

import (
	"sort"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/resume-ssh/resume/content"
)

// timeline is the chart's geometry for one width: which lane each role
// sits on and which columns its bar covers.
type timeline struct {
	first, last int // first and last year on the axis
	lanes       [][]int
	lane        []int // each role's lane
	from, to    []int // each role's first and last column
	axis, ticks string
}

// The chart's rows within the body: axis labels, ticks, then the lanes.
const laneTop = 2

func (m Model) chart() *timeline {
	w := m.width - 2
	return cached(m, w, slot{kind: slotTimeline}, func() *timeline { return m.buildChart(w) })
}

func (m Model) buildChart(w int) *timeline {
	roles := m.doc.Roles
	now := m.now()
	t := &timeline{first: now.Year(), last: now.Year()}
	end := func(r content.Role) int { // months from year 0, inclusive
		if r.Current() {
			return now.Year()*12 + int(now.Month()) - 1
		}
		if r.End.Month == 0 {
			return r.End.Year*12 + 11
		}
		return r.End.Year*12 + r.End.Month - 1
	}
	start := func(r content.Role) int {
		return r.Start.Year*12 + max(r.Start.Month, 1) - 1
	}
	for _, r := range roles {
		t.first = min(t.first, r.Start.Year)
		t.last = max(t.last, end(r)/12)
	}
	months := (t.last - t.first + 1) * 12
	col := func(month int) int { return (month - t.first*12) * w / months }
	t.lane = make([]int, len(roles))
	t.from, t.to = make([]int, len(roles)), make([]int, len(roles))
	// Oldest first, so that a career reads as a staircase; a role goes on
	// the first lane whose last role has ended by the month it starts (a
	// hand-over month is not an overlap).
	order := make([]int, len(roles))
	for i := range order {
		order[i] = len(roles) - 1 - i
	}
	sort.SliceStable(order, func(a, b int) bool { return start(roles[order[a]]) < start(roles[order[b]]) })
	var laneEnd []int
	for _, i := range order {
		r := roles[i]
		l := 0
		for l < len(laneEnd) && laneEnd[l] > start(r) {
			l++
		}
		if l == len(laneEnd) {
			laneEnd = append(laneEnd, 0)
			t.lanes = append(t.lanes, nil)
		}
		laneEnd[l] = end(r)
		t.lane[i] = l
		t.lanes[l] = append(t.lanes[l], i)
	}
	// Columns: every bar keeps at least its own first cell, however short
	// the role and however narrow the window.
	for _, lane := range t.lanes {
		prev := -1
		for _, i := range lane {
			t.from[i] = min(w-1, max(col(start(roles[i])), prev+1))
			t.to[i] = min(w-1, max(t.from[i], col(end(roles[i])+1)-1))
			prev = t.to[i]
		}
	}
	// Label years as often as there is room for them.
	axis, ticks := []rune(strings.Repeat(" ", w)), []rune(strings.Repeat("─", w))
	every := 1
	for every < 50 && col((t.first+every)*12)-col(t.first*12) < 6 {
		every++
	}
	for y := t.first; y <= t.last; y += every {
		x := col(y * 12)
		if x+4 > w {
			break
		}
		copy(axis[x:], []rune(strconv.Itoa(y)))
		ticks[x] = '┬'
	}
	t.axis, t.ticks = string(axis), string(ticks)
	return t
}

func (m Model) timelineLines() []string {
	st := m.styles
	t := m.chart()
	w := m.width - 2
	out := []string{" " + st.Dim.Render(t.axis), " " + st.Rule.Render(t.ticks)}
	for _, lane := range t.lanes {
		out = append(out, " "+m.laneLine(t, lane, w))
	}
	out = append(out, "")
	if len(m.doc.Roles) > 0 {
		r := m.doc.Roles[m.sel]
		out = append(out, " "+st.Marker.Render("▸ ")+st.Selected.Render(printable(r.Title))+st.Dim.Render(" · ")+
			st.Accent.Render(printable(r.Organisation))+st.Dim.Render(" · "+r.DatesLine(m.now())))
		out = append(out, "")
	}
	// The legend, a window of it around the selection.
	rows := max(0, m.bodyHeight()-len(out))
	top := max(0, min(m.sel-rows/2, len(m.doc.Roles)-rows))
	for i := top; i < min(len(m.doc.Roles), top+rows); i++ {
		r := m.doc.Roles[i]
		mark, style := "  ", st.Text
		if i == m.sel {
			mark, style = st.Marker.Render("▸ "), st.Selected
		}
		out = append(out, " "+mark+st.Dim.Render(strconv.Itoa(i+1)+" ")+style.Render(printable(r.Title))+st.Dim.Render(" "+yearRange(r)))
	}
	return out
}

// laneLine draws one lane of the chart, w cells wide. Each bar starts with
// its role's number, the selected one too; a bar too short for it has its
// number in the free cells beside it, after or else before, so that every
// role can be found by its number.
func (m Model) laneLine(t *timeline, lane []int, w int) string {
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
	st := m.styles
	var b strings.Builder
	for x := 0; x < w; {
		i, l := owner[x], label[x]
		j := x
		for j < w && owner[j] == i && label[j] == l {
			j++
		}
		switch {
		case i < 0:
			b.WriteString(string(text[x:j]))
		case l:
			style := m.barStyle(i)
			if i == m.sel {
				style = st.Selected
			}
			b.WriteString(style.Render(string(text[x:j])))
		default:
			b.WriteString(m.barStyle(i).Render(strings.Repeat(m.barFill(i), j-x)))
		}
		x = j
	}
	return b.String()
}

// barFill is the shade of role i's bar: full blocks when selected, else
// shades that alternate between neighbours so that they read apart
// without colour.
func (m Model) barFill(i int) string {
	switch {
	case i == m.sel:
		return "█"
	case i%2 == 1:
		return "░"
	}
	return "▒"
}

func (m Model) barStyle(i int) lipgloss.Style {
	switch {
	case i == m.sel:
		return m.styles.BarSelected
	case i%2 == 1:
		return m.styles.BarAlt
	}
	return m.styles.Bar
}

func (m Model) updateTimeline(msg tea.KeyPressMsg) Model {
	k := m.keys
	// The bar keys come first: ← and → walk the bars along the axis
	// here, where elsewhere they go back and open.
	switch {
	case match(msg, k.BarPrev):
		m.sel = m.step(-1)
	case match(msg, k.BarNext):
		m.sel = m.step(1)
	case match(msg, k.Back):
		m.page = pageRoles
	case match(msg, k.Open):
		m.page, m.focus, m.detailOpen, m.detail = pageRoles, focusDetail, true, pager{}
	case match(msg, k.First):
		m.sel = 0
	case match(msg, k.Last):
		m.sel = len(m.doc.Roles) - 1
	case match(msg, k.Jump):
		if n, err := strconv.Atoi(msg.String()); err == nil && n <= len(m.doc.Roles) {
			m.sel = n - 1
		}
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
	rows := max(0, m.bodyHeight()-legend)
	top := max(0, min(m.sel-rows/2, len(m.doc.Roles)-rows))
	if i := top + row - legend; row >= legend && i < len(m.doc.Roles) {
		m.sel = i
	}
	return m
}
