package ui

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/resume-ssh/resume/content"
)

// aboutWidth is the about page's measure: the window less a margin, and
// never so wide that lines are hard to read.
func (m Model) aboutWidth() int { return min(m.width-4, 96) }

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
		out = append(out, m.blockLines(m.doc.About.Blocks, w)...)
		for _, s := range m.doc.Sections {
			out = append(out, "")
			out = append(out, wrapRuns([]run{{text: printable(s.Heading)}}, w, "", withBase(st, st.Title))...)
			out = append(out, m.blockLines(s.Blocks, w)...)
		}
		return indent(out, "  ")
	})
}

func (m Model) helpLines() []string {
	st := m.styles
	h := m.helpModel(m.width - 2)
	keys := strings.Split(h.FullHelpView(m.keys.FullHelp()), "\n")
	out := []string{st.Title.Render("Keys"), ""}
	out = append(out, keys...)
	out = append(out, "",
		st.Title.Render("Mouse"), "",
		st.Text.Render("Click a role to select it, or a bar in the timeline."),
		st.Text.Render("The wheel scrolls the pane under the pointer."),
	)
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
	body := window(m.readerLines(), m.scroll, h)
	status := "Reader mode. j/k scroll, space pages, r leaves, q quits."
	if lipgloss.Width(status) > m.width {
		status = "r: leave reader mode · q: quit"
	}
	return frame(append(fit(body, m.width, h), status), m.width, m.height)
}
