package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/resume-ssh/resume/content"
)

// The contact card: who the résumé is of, how to reach them, and a QR
// code a phone can read off the screen. It holds what the QR encodes:
// the vCard when the document asks and the window has room, else the URL.

// hasCard reports whether the résumé says how to get in touch: without
// that there is no card, and its keys do nothing.
func (m Model) hasCard() bool {
	p := m.doc.Person
	return p.Email != "" || p.URL != "" || p.Phone != "" || len(p.Profiles) > 0
}

// cardLayout is the card at one size: its lines, and what its QR holds
// ("" when none fits).
type cardLayout struct {
	lines   []string
	payload string
}

// card lays the card out for the body's size; cached per width and
// height, theme and document.
func (m Model) card() *cardLayout {
	h := m.bodyHeight()
	return cached(m, m.width*1000+h, slot{kind: slotCard}, func() *cardLayout { return m.buildCard(m.width, h) })
}

func (m Model) buildCard(w, h int) *cardLayout {
	st, p := m.styles, m.doc.Person
	var text []string
	add := func(s string) { text = append(text, s) }
	add(st.Title.Render(printable(m.doc.Title())))
	if p.Label != "" {
		add(st.Accent.Render(printable(p.Label)))
	}
	add("")
	field := func(name, value, url string) {
		if value == "" {
			return
		}
		v := st.render(run{span: content.Span{URL: url}}, printable(value))
		add(st.Dim.Render(fmt.Sprintf("%-9s", name)) + v)
	}
	field("email", p.Email, "mailto:"+p.Email)
	field("phone", p.Phone, "")
	field("web", p.URL, p.URL)
	if l := p.Location; l != nil {
		field("location", strings.Trim(strings.Join([]string{l.City, l.Region, l.CountryCode}, ", "), ", "), "")
	}
	for _, pr := range p.Profiles {
		field(strings.ToLower(printable(pr.Network)), firstOf(pr.URL, pr.Username), pr.URL)
	}
	if p.Email == "" && p.URL == "" && p.Phone == "" && len(p.Profiles) == 0 {
		add(st.Dim.Render("The résumé gives no way to get in touch."))
		return &cardLayout{lines: indent(text, "  ")}
	}
	textW := widest(text) + 2
	// The largest payload whose code fits, beside the text or under it.
	for _, payload := range dedupe(m.doc.CardPayload(), m.doc.CardURL()) {
		if payload == "" {
			continue
		}
		grid, err := qrMatrix(payload)
		if err != nil {
			continue
		}
		qr := qrLines(grid)
		qrW, qrH := len(grid[0]), len(qr)
		caption := st.Dim.Render("Scan for " + printable(firstLine(payload)))
		if strings.HasPrefix(payload, "BEGIN:VCARD") {
			caption = st.Dim.Render("Scan to add " + printable(p.Name) + " to your contacts")
		}
		switch {
		case textW+2+qrW <= w && qrH+1 <= h: // side by side
			out := make([]string, max(len(text), qrH+1))
			for i := range out {
				left := ""
				if i < len(text) {
					left = text[i]
				}
				left += strings.Repeat(" ", max(0, textW-lipgloss.Width(left)))
				switch {
				case i < qrH:
					out[i] = left + "  " + qr[i]
				case i == qrH:
					out[i] = left + "  " + truncate(caption, max(1, w-textW-2))
				default:
					out[i] = left
				}
			}
			return &cardLayout{lines: indent(out, "  "), payload: payload}
		case qrW+2 <= w && len(text)+qrH+2 <= h: // stacked
			out := append(append(append([]string{}, text...), ""), qr...)
			return &cardLayout{lines: indent(append(out, truncate(caption, max(1, w-4))), "  "), payload: payload}
		}
	}
	need := "a larger window"
	if grid, err := qrMatrix(m.doc.CardURL()); err == nil {
		need = fmt.Sprintf("%d×%d", len(grid[0])+4, (len(grid)+1)/2+len(text)+5)
	}
	add("")
	add(st.Dim.Render("The QR code needs " + need + "."))
	return &cardLayout{lines: indent(text, "  ")}
}

// copyContact copies the owner's email, else their URL, to the visitor's
// clipboard (OSC 52), and says so.
func (m Model) copyContact() (Model, tea.Cmd) {
	what := firstOf(m.doc.Person.Email, m.doc.CardURL())
	if what == "" {
		return m, nil
	}
	m.copied = true
	return m, tea.SetClipboard(what)
}

// copyLink copies the selected role's first link.
func (m Model) copyLink() (Model, tea.Cmd) {
	if len(m.doc.Roles) == 0 {
		return m, nil
	}
	r := m.doc.Roles[m.sel]
	var texts []content.Text
	var walk func([]content.Item)
	walk = func(items []content.Item) {
		for _, it := range items {
			texts = append(texts, it.Text)
			walk(it.Items)
		}
	}
	walk(r.Highlights)
	for _, b := range r.Notes {
		texts = append(texts, b.Text)
		walk(b.Items)
	}
	for _, t := range texts {
		for _, s := range t {
			if s.URL != "" {
				m.copied = true
				return m, tea.SetClipboard(s.URL)
			}
		}
	}
	return m, nil
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func dedupe(xs ...string) []string {
	var out []string
	for _, x := range xs {
		if len(out) == 0 || out[len(out)-1] != x {
			out = append(out, x)
		}
	}
	return out
}
