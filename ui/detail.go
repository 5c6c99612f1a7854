package ui

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/resume-ssh/resume/content"
)

// The detail pager: the selected role in full, beside the list when the
// window is wide, in its place when narrow.

// detailWidth is the width the detail is wrapped to.
func (m Model) detailWidth() int {
	if m.wide() {
		return min(maxMeasure, m.width-m.listWidth()-3)
	}
	return m.width - 2
}

// detailLines is the selected role, wrapped to the detail's width; it is
// cached for the width, theme and query.
func (m Model) detailLines() []string {
	w := m.detailWidth()
	return cached(m, w, slot{kind: slotDetail, role: m.sel}, func() []string {
		st, q := m.styles, m.search.query
		r := m.doc.Roles[m.sel]
		var out []string
		out = append(out, wrapRuns(runs(content.Text{{Text: r.Title, Strong: true}}, q), w, "", withBase(st, st.Title))...)
		if l := joinDot(r.Organisation, r.Location); l != "" {
			out = append(out, wrapRuns(runs(content.Text{{Text: l}}, q), w, "", withBase(st, st.Accent))...)
		}
		dates := r.DatesLine(m.now())
		if r.Current() {
			dates += " · current"
		}
		out = append(out, wrapRuns([]run{{text: dates}}, w, "", withBase(st, st.Dim))...)
		out = append(out, m.factLines(r, w)...)
		out = append(out, m.blockLines(r.Notes, w)...)
		if len(r.Highlights) > 0 {
			out = append(out, "")
			out = append(out, m.itemLines(r.Highlights, w, 0)...)
		}
		return out
	})
}

// factLines draws an entry's labelled fields and its URL.
func (m Model) factLines(e content.Entry, w int) []string {
	st, q := m.styles, m.search.query
	var out []string
	for _, f := range e.Facts() {
		out = append(out, wrapRuns(runs(content.Text{{Text: f.Label + ": ", Emph: true}, {Text: f.Value}}, q), w, "", st)...)
	}
	if e.URL != "" {
		out = append(out, wrapRuns(runs(content.Text{{Text: e.URL, URL: e.URL}}, q), w, "", withBase(st, st.Dim))...)
	}
	return out
}

// withBase is st with its plain text drawn in base instead.
func withBase(st *Styles, base lipgloss.Style) *Styles {
	c := *st
	c.Text = base
	return &c
}

func (m Model) itemLines(items []content.Item, w, depth int) []string {
	bullet := []string{"• ", "◦ ", "▪ "}[depth%3]
	pad := strings.Repeat("  ", min(depth, w/8))
	var out []string
	for _, it := range items {
		out = append(out, wrapRuns(runs(it.Text, m.search.query), w, pad+bullet, m.styles)...)
		out = append(out, m.itemLines(it.Items, w, depth+1)...)
	}
	return out
}

// blockLines draws free blocks: paragraphs, lists, headings, quotes, code.
func (m Model) blockLines(blocks []content.Block, w int) []string {
	st := m.styles
	var out []string
	for _, b := range blocks {
		out = append(out, "")
		switch b.Kind {
		case content.List:
			out = append(out, m.itemLines(b.Items, w, 0)...)
		case content.Heading:
			out = append(out, wrapRuns(runs(b.Text, m.search.query), w, "", withBase(st, st.Accent.Bold(true)))...)
		case content.Quote:
			out = append(out, wrapRuns(runs(b.Text, m.search.query), w, "│ ", withBase(st, st.Emph))...)
		case content.Code:
			for _, l := range strings.Split(b.Text.Plain(), "\n") {
				out = append(out, st.Code.Render("  "+printable(l)))
			}
		case content.Rule:
			out = append(out, st.Rule.Render(strings.Repeat("─", min(w, 20))))
		default:
			out = append(out, wrapRuns(runs(b.Text, m.search.query), w, "", st)...)
		}
	}
	return out
}
