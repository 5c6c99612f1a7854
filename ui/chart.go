package ui

import (
	"sort"
	"strconv"
	"strings"

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
