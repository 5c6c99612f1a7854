package ui

import (
	"strconv"

	tea "charm.land/bubbletea/v2"

	"github.com/resume-ssh/resume/content"
)

// roleList is the list of roles, a component of its own: it owns its
// scroll (the first entry shown) and draws the entries in view. The
// selection is the root model's, since the detail, the timeline and
// search share it; the list is given it, and gives back the next.
type roleList struct{ top int }

// listLook is what the list draws with.
type listLook struct {
	doc   *content.Resume
	st    *Styles
	query string
}

// Update moves sel through entries by the list's keys, paging by rows;
// it reports whether msg was one of them.
func (l roleList) Update(msg tea.KeyPressMsg, k *KeyMap, entries []int, sel, rows int) (roleList, int, bool) {
	n, page := len(entries), max(1, rows)
	d := 0
	switch {
	case match(msg, k.Down):
		d = 1
	case match(msg, k.Up):
		d = -1
	case match(msg, k.First):
		d = -n
	case match(msg, k.Last):
		d = n
	case match(msg, k.PageDown):
		d = page
	case match(msg, k.PageUp):
		d = -page
	case match(msg, k.HalfDown):
		d = page / 2
	case match(msg, k.HalfUp):
		d = -page / 2
	default:
		return l, sel, false
	}
	sel = stepIn(entries, sel, d)
	return l.follow(entries, sel, rows), sel, true
}

// follow scrolls the list so that sel is in view, within the entries.
func (l roleList) follow(entries []int, sel, rows int) roleList {
	if pos := indexOf(entries, sel); pos >= 0 {
		if pos < l.top {
			l.top = pos
		}
		if pos >= l.top+rows {
			l.top = pos - rows + 1
		}
	}
	l.top = max(0, min(l.top, len(entries)-rows))
	return l
}

// at is the entry drawn at row y of the list, or -1.
func (l roleList) at(y int, entries []int, rows int) int {
	if y < 0 {
		return -1
	}
	if i := l.top + y/rowsPerRole; i < len(entries) && y/rowsPerRole < rows {
		return entries[i]
	}
	return -1
}

// View draws the entries in view, sel marked, two lines each.
func (l roleList) View(look listLook, entries []int, sel, rows int) []string {
	st, q := look.st, look.query
	if len(entries) == 0 {
		return []string{st.Dim.Render("  No role matches “" + q + "”.")}
	}
	var out []string
	for _, i := range entries[l.top:min(len(entries), l.top+rows)] {
		r := look.doc.Roles[i]
		marker, title := "  ", st.Text
		if i == sel {
			marker, title = st.Marker.Render("▸ "), st.Selected
		}
		num := "  "
		if i < 9 {
			num = st.Dim.Render(strconv.Itoa(i+1) + " ")
		}
		out = append(out, marker+num+highlight(r.Title, q, title, st.Match))
		years := yearRange(r)
		if r.Current() {
			years = st.Current.Render("● " + years)
		} else {
			years = st.Dim.Render("  " + years)
		}
		out = append(out, "    "+years+st.Dim.Render(" · ")+highlight(r.Organisation, q, st.Dim, st.Match))
	}
	return out
}

// stepIn is the entry d places from sel among entries, at the ends.
func stepIn(entries []int, sel, d int) int {
	if len(entries) == 0 {
		return sel
	}
	pos := max(0, indexOf(entries, sel))
	return entries[max(0, min(len(entries)-1, pos+d))]
}
