package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/resume-ssh/resume/content"
)

// layoutKey is what one piece of layout (wrapped lines, a chart) depends
// on: the document, the width, the theme, the search query and the month
// (durations change with it), and which piece it is.
type layoutKey struct {
	doc   *content.Resume
	width int
	dark  bool
	pal   *[2]Styles
	keys  *KeyMap
	query string
	month int
	slot  slot
}

// slot is one piece of layout: the about page, the reader's column, the
// timeline, a role's detail, the help, or the list's width.
type slot struct {
	kind byte
	role int
}

const (
	slotDetail byte = iota
	slotAbout
	slotReader
	slotTimeline
	slotListNeeds
	slotHelp
	slotCard
)

// cached returns the piece s of the layout at width from the renderer,
// building it the first time. Two models may build it at once; both get
// equal values.
func cached[T any](m Model, width int, s slot, build func() T) T {
	now := m.now()
	k := layoutKey{doc: m.doc, width: width, dark: m.dark, pal: m.palettes, keys: m.keys, query: m.search.query, month: now.Year()*12 + int(now.Month()), slot: s}
	v := m.renderer.pool(k.query).layouts.GetOrMake(k, func() any { return build() }, sizeOf)
	return v.(T)
}

// sizeOf estimates the bytes a piece of layout holds.
func sizeOf(v any) int {
	switch v := v.(type) {
	case []string:
		n := 24 + 16*len(v)
		for _, s := range v {
			n += len(s)
		}
		return n
	case *cardLayout:
		return sizeOf(v.lines) + len(v.payload)
	case *timeline:
		n := 128 + len(v.axis) + len(v.ticks) + 8*3*len(v.lane)
		for _, l := range v.lanes {
			n += 24 + 8*len(l)
		}
		return n
	}
	return 16
}

// fit pads or cuts lines to exactly h lines of at most w cells.
func fit(lines []string, w, h int) []string {
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = truncate(lines[i], w)
		}
	}
	return out
}

func truncate(s string, w int) string {
	if lipgloss.Width(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// frame joins lines into the window's content, never more than h lines
// nor wider than w.
func frame(lines []string, w, h int) string {
	return strings.Join(fit(lines, w, h), "\n")
}

// window is the h lines of lines starting at off.
func window(lines []string, off, h int) []string {
	off = max(0, min(off, len(lines)-h))
	return lines[max(0, off):min(len(lines), max(0, off)+h)]
}

func (m Model) header() []string {
	left, tabs := m.headerParts()
	line := left
	if tabs != "" {
		line = left + strings.Repeat(" ", m.width-lipgloss.Width(left)-lipgloss.Width(tabs)) + tabs
	}
	return []string{line, m.styles.Rule.Render(strings.Repeat("─", m.width))}
}

// headerParts are the header's left side (the title, and the span of the
// career when there is room) and the tabs, or "" when they do not fit.
func (m Model) headerParts() (left, tabs string) {
	st := m.styles
	start, end, months := m.doc.Span(m.now())
	title := st.Title.Render(printable(m.doc.Title()))
	if m.doc.Title() == "" {
		title = st.Title.Render("Résumé")
	}
	label, span := "", ""
	if l := m.doc.Person.Label; l != "" { // the owner's headline
		label = st.Accent.Render(" — " + printable(l))
	}
	if months > 0 {
		span = st.Dim.Render(" · " + start.String() + " – " + end.String() + " · " + content.FormatMonths(months))
	}
	tabs = m.tabs()
	// The most that fits beside the tabs: the headline before the span.
	for _, l := range []string{title + label + span, title + label, title + span, title} {
		if m.width-lipgloss.Width(l)-lipgloss.Width(tabs) >= 2 {
			return l, tabs
		}
	}
	return title, ""
}

// tabPages are the pages the header's tabs name, in order: the card's
// only when the résumé says how to get in touch.
func (m Model) tabPages() []struct {
	p    page
	name string
} {
	tabs := []struct {
		p    page
		name string
	}{{pageRoles, "roles"}, {pageTimeline, "timeline"}, {pageAbout, "about"}, {pageCard, "card"}, {pageHelp, "help"}}
	if !m.hasCard() {
		tabs = append(tabs[:3], tabs[4])
	}
	return tabs
}

// tabs names the pages, the current one in brackets so that it shows
// without colour too. Each tab is its name and two cells.
func (m Model) tabs() string {
	st := m.styles
	var parts []string
	for _, t := range m.tabPages() {
		if t.p == m.page {
			parts = append(parts, st.Selected.Render("["+t.name+"]"))
		} else {
			parts = append(parts, st.Dim.Render(" "+t.name+" "))
		}
	}
	return strings.Join(parts, "")
}

// clickTab switches to the page whose tab is at column x of the header.
func (m Model) clickTab(x int) Model {
	_, tabs := m.headerParts()
	if tabs == "" {
		return m
	}
	at := m.width - lipgloss.Width(tabs)
	for _, t := range m.tabPages() {
		w := len(t.name) + 2
		if x >= at && x < at+w {
			return m.open(t.p)
		}
		at += w
	}
	return m
}

// footer is the line under every view: the keys that view answers to,
// then always the way to quit, and the selected role's place.
func (m Model) footer() string {
	st := m.styles
	if m.stillThere {
		return st.Accent.Render(stillThere)
	}
	pos := st.Dim.Render(fmt.Sprintf(" %d/%d", m.sel+1, len(m.doc.Roles)))
	if len(m.doc.Roles) == 0 {
		pos = ""
	}
	if m.search.typing {
		n := m.search.found()
		where := ""
		if m.search.about {
			where = ", one on the about page"
		}
		count := st.Dim.Render(fmt.Sprintf("  %d %s%s · enter pick · esc cancel", n, plural(n, "match", "matches"), where))
		return st.Key.Render("/") + m.search.query + st.Selected.Render("▏") + count
	}
	quit := m.keys.Quit
	if m.demo.on || m.formOpen() { // q is the tour's (a visitor cannot end the booth's session), or a letter in the form
		quit = m.keys.ForceQuit
	}
	h := m.helpModel(0)
	end := h.ShortHelpView([]key.Binding{quit}) + pos
	if m.demo.touring {
		return st.Accent.Render("demo tour") + st.Dim.Render(" · any key explores · ") + end
	}
	prefix := ""
	if m.copied && m.page != pageCard {
		prefix = st.Accent.Render("Copied — if your terminal allows it. ")
	}
	if m.search.query != "" && m.page == pageRoles {
		prefix = st.Dim.Render("“" + m.search.query + "” ")
	}
	h.SetWidth(max(0, m.width-lipgloss.Width(prefix)-lipgloss.Width(end)-2))
	// The keys give way, never the way to quit.
	keys := truncate(prefix+h.ShortHelpView(m.footerKeys()), max(0, m.width-lipgloss.Width(end)-1))
	gap := m.width - lipgloss.Width(keys) - lipgloss.Width(end)
	return keys + strings.Repeat(" ", max(1, gap)) + end
}

// footerKeys are the keys the current view answers to, most useful first.
// stillThere is what a visitor about to be timed out is asked.
const stillThere = "still there? press any key"

func (m Model) footerKeys() []key.Binding {
	k := m.keys
	help := func(keys, desc string) key.Binding { // for the footer only
		return key.NewBinding(key.WithKeys(keys), key.WithHelp(keys, desc))
	}
	back := help("esc", "back")
	switch {
	case m.reader:
		return []key.Binding{help("↑/↓", "scroll"), help("space", "page"), help("r", "leave reader")}
	case m.page == pageTimeline:
		return []key.Binding{help("←/→", "select"), help("enter", "open"), back, k.Help}
	case m.page == pageAbout && m.search.query != "":
		return []key.Binding{k.Next, help("↑/↓", "scroll"), back, k.Search}
	case m.page == pageCard:
		return []key.Binding{k.Copy, back, k.About, k.Help}
	case m.page == pageHello:
		return []key.Binding{help(k.FormAnswer.Help().Key, "next"), help(k.FormBack.Help().Key, "back"), help(k.FormLeave.Help().Key, "leave")}
	case m.page == pageAbout || m.page == pageHelp:
		return []key.Binding{help("↑/↓", "scroll"), back, k.Timeline, k.Search}
	case m.search.query != "":
		return []key.Binding{k.Next, back, k.Search, k.Help}
	case (m.wide() && m.focus == focusDetail) || (!m.wide() && m.detailOpen):
		return []key.Binding{help("↑/↓", "scroll"), back, help("tab", "list"), k.Help}
	}
	// The card and a note last, where a wide window has room for them:
	// the footer gives way from its end.
	keys := k.ShortHelp()
	if k.Card.Enabled() {
		keys = append(keys, help("c", "card"))
	}
	if k.Hello.Enabled() {
		keys = append(keys, help("h", "say hello"))
	}
	return keys
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// tooSmallLine says the window is too small, in the longest of its
// wordings that fits: any size down to 1×1 shows as much as fits.
func (m Model) tooSmallLine() string {
	size, need := fmt.Sprintf("%d×%d", m.width, m.height), fmt.Sprintf("%d×%d", MinWidth, MinHeight)
	for _, lines := range [][]string{
		{"Window too small: " + size + ", the résumé needs " + need + " · q quits"},
		{"Window too small: " + size + ",", "the résumé needs " + need + ".", "q quits"},
		{"Too small: " + size, "needs " + need, "q quits"},
		{"Too small", "needs " + need},
	} {
		if len(lines) <= m.height && widest(lines) <= m.width {
			return strings.Join(lines, "\n")
		}
	}
	return truncate("Too small", max(m.width, 1))
}
