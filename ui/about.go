package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"github.com/resume-ssh/resume/content"
)

// aboutWidth is the about page's measure: the window less a margin, and
// never so wide that lines are hard to read.
func (m Model) aboutWidth() int { return min(m.width-4, maxMeasure) }

// aboutLines is the document's opening section and every free section
// (Skills, Education, …), so that nothing in the document is out of reach.
func (m Model) aboutLines() []string {
	w := m.aboutWidth()
	return cached(m, w, slot{kind: slotAbout}, func() []string {
		st := m.styles
		var out []string
		if h := m.doc.About.Heading; h != "" {
			out = append(out, wrapRuns([]run{{text: printable(h)}}, w, "", withBase(st, st.Title))...)
		}
		if l := m.doc.Person.Label; l != "" { // the owner's headline
			out = append(out, wrapRuns(runs(content.Text{{Text: l, Emph: true}}, m.search.query), w, "", st)...)
		}
		for _, l := range m.doc.Contact() { // and how to reach them
			if l != m.doc.Title() && l != m.doc.Person.Label {
				out = append(out, wrapRuns(runs(content.Text{{Text: l}}, m.search.query), w, "", withBase(st, st.Dim))...)
			}
		}
		out = append(out, m.blockLines(m.doc.About.Blocks, w)...)
		for _, s := range m.doc.Sections {
			if s.Kind == content.Work && len(s.Blocks) == 0 {
				continue // the roles have a view of their own
			}
			if s.Heading != "" {
				out = append(out, "")
				out = append(out, wrapRuns([]run{{text: printable(s.Heading)}}, w, "", withBase(st, st.Title))...)
			}
			out = append(out, m.blockLines(s.Blocks, w)...)
			out = append(out, m.entryLines(s, w)...)
		}
		return indent(out, "  ")
	})
}

func (m Model) helpLines() []string {
	return cached(m, m.width, slot{kind: slotHelp}, m.buildHelp)
}

func (m Model) buildHelp() []string {
	st := m.styles
	// The key map's columns side by side when they fit, else stacked
	// into one column that scrolls.
	keys := strings.Split(m.helpModel(0).FullHelpView(m.keys.FullHelp()), "\n")
	if widest(keys) > m.width-2 {
		keys = nil
		var all []key.Binding
		for _, col := range m.keys.FullHelp() {
			for _, b := range col {
				if b.Enabled() {
					all = append(all, b)
				}
			}
		}
		kw := 0
		for _, b := range all {
			kw = max(kw, lipgloss.Width(b.Help().Key))
		}
		for _, b := range all {
			k := b.Help().Key
			keys = append(keys, st.Help.FullKey.Render(k+strings.Repeat(" ", kw-lipgloss.Width(k)+1))+st.Help.FullDesc.Render(b.Help().Desc))
		}
	}
	out := []string{st.Title.Render("Keys"), ""}
	out = append(out, keys...)
	out = append(out, "",
		st.Title.Render("Mouse"), "")
	for _, l := range []string{
		"Click a tab in the header to switch views, a role to select it, or a bar in the timeline.",
		"The wheel scrolls the pane under the pointer.",
	} {
		out = append(out, wrapRuns([]run{{text: l}}, max(1, m.width-2), "", st)...)
	}
	out = append(out, "", st.Title.Render("Without the browser"), "")
	lines := []string{"ssh HOST help lists the commands: the résumé as text, Markdown or JSON, and the contact card."}
	if m.notes != nil {
		lines = append(lines, "ssh -T HOST hello leaves a note from any terminal or script: the same questions, line by line.")
	}
	for _, l := range lines {
		out = append(out, wrapRuns([]run{{text: l}}, max(1, m.width-2), "", st)...)
	}
	return indent(out, "  ")
}

// readerLines is the résumé as one plain column: the text export at the
// window's width, the same line order every time.
func (m Model) readerLines() []string {
	w := max(content.MinWidth, m.width)
	return cached(m, w, slot{kind: slotReader}, func() []string {
		lines := strings.Split(strings.TrimRight(m.doc.Text(w, m.now()), "\n"), "\n")
		for i, l := range lines {
			lines[i] = printable(l)
		}
		return lines
	})
}

func (m Model) renderReader() string {
	h := m.height - 1
	lines := m.readerLines()
	body := keepHeadings(m.read.View(lines, h), lines, m.read.off)
	status := "Reader mode. j/k scroll, space pages, r leaves, q quits."
	if m.notes != nil {
		status = "Reader mode. j/k scroll, space pages, h says hello, r leaves, q quits."
	}
	if lipgloss.Width(status) > m.width {
		status = "r: leave reader mode · q: quit"
		if m.notes != nil {
			status = "h: say hello · r: leave reader mode · q: quit"
		}
	}
	if m.stillThere {
		status = stillThere
	}
	return frame(append(fit(body, m.width, h), status), m.width, m.height)
}

// keepHeadings holds back the last line of a view of lines from off
// when it is a heading whose underline is out of view, so that the status
// line never falls between the two. A page down starts at the line a view
// ended on, so the next page opens with the heading and its underline.
func keepHeadings(view, lines []string, off int) []string {
	n := len(view)
	if n < 2 || off+n >= len(lines) {
		return view
	}
	last, next := view[n-1], lines[off+n]
	if last == "" || lipgloss.Width(next) != lipgloss.Width(last) || strings.Trim(next, "=-") != "" {
		return view
	}
	return view[:n-1]
}

// widest is the width of the widest of lines.
func widest(lines []string) int {
	w := 0
	for _, l := range lines {
		w = max(w, lipgloss.Width(l))
	}
	return w
}

// entryLines draws a section's entries with their structure: a list of
// one line each for skills and languages, else each entry's head, where
// and when, its facts, notes and highlights.
func (m Model) entryLines(s content.Section, w int) []string {
	st, q := m.styles, m.search.query
	var out []string
	if len(s.Entries) > 0 && s.Kind != content.Skills && s.Kind != content.Languages && s.Kind != content.Interests {
		for _, e := range s.Entries {
			out = append(out, "")
			out = append(out, wrapRuns(runs(content.Text{{Text: e.Head(), Strong: true}}, q), w, "", withBase(st, st.Accent.Bold(true)))...)
			if l := joinDot(e.Organisation, e.Location); l != "" {
				out = append(out, wrapRuns(runs(content.Text{{Text: l}}, q), w, "", withBase(st, st.Accent))...)
			}
			if d := e.Dates(); d != "" {
				out = append(out, wrapRuns([]run{{text: d}}, w, "", withBase(st, st.Dim))...)
			}
			out = append(out, m.factLines(e, w)...)
			out = append(out, m.blockLines(e.Notes, w)...)
			if len(e.Highlights) > 0 {
				out = append(out, m.itemLines(e.Highlights, w, 0)...)
			}
		}
		return out
	}
	if len(s.Entries) > 0 {
		out = append(out, "")
	}
	for _, e := range s.Entries {
		t := content.Text{{Text: e.Head(), Strong: true}}
		if e.Level != "" {
			t = append(t, content.Span{Text: " (" + e.Level + ")"})
		}
		if len(e.Keywords) > 0 {
			t = append(t, content.Span{Text: ": " + strings.Join(e.Keywords, ", ")})
		}
		out = append(out, wrapRuns(runs(t, q), w, "• ", st)...)
		out = append(out, m.blockLines(e.Notes, w)...)
		if len(e.Highlights) > 0 {
			out = append(out, m.itemLines(e.Highlights, w, 1)...)
		}
	}
	return out
}

// joinDot joins the parts that are not empty with " · ".
func joinDot(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " · ")
}
