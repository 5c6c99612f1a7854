package ui

import (
	"os"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/resume-ssh/resume/content"
)

// fuzzKeys are what a fuzzed visitor presses, one for each byte of its
// keys: every binding, letters to search for, a resize and a click.
var fuzzKeys = []string{
	"j", "k", "g", "G", "1", "3", "9", "enter", "esc", "tab", "pgdown", "pgup",
	"ctrl+d", "ctrl+u", "t", "a", "/", "n", "N", "r", "?", "h", "l", "e", "x",
	"resize", "click", "wheel",
}

// FuzzViews draws every view of an arbitrary document at arbitrary sizes
// after arbitrary keys. Whatever the document (invalid UTF-8, control
// characters, zero-width and combining runes, very long tokens) each
// screen is drawn, and fits its window. A document the parser refuses
// (content refuses non-UTF-8 text) is put into every field of a model
// by hand, since later sources such as JSON Resume reach the ui too: the
// ui must not trust a document to be clean.
// The seeds are the testdata documents, the text that hung the about
// page, and testdata/fuzz/FuzzViews, where the fuzzer's finds are kept.
func FuzzViews(f *testing.F) {
	hung := "# T\n\nKa_nQC65T/e7cENWRLDghUyMFb6J-Q/Fco_zt33NC6oeRUUDOEu/XcStBBHAvaRMU7z-P31u=&(\xe5\x5d\xa9\n"
	f.Add(hung, "\x0f\x00\x19", 80, 24)
	f.Add("# A\n\n## B\n\n#### C · Mar 2019 – Present\n\n- \x00\x1b[2J\u200b\u0301\ufeff"+strings.Repeat("界", 90)+"\n", "\x02\x10\x07\x14", 20, 6)
	f.Add(strings.Repeat("\xff", 300), "\x0f\x12\x13\x11", 1, 1)
	for _, name := range []string{"../content/resume.md", "../content/testdata/unicode.md", "../content/testdata/rich.md"} {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src), "\x0f\x0e\x12\x10\x00\x01\x19\x07\x08", 60, 20)
	}
	f.Fuzz(func(t *testing.T, src, keys string, w, h int) {
		w, h = 1+abs(w)%260, 1+abs(h)%100
		var docs []*content.Resume
		if doc, err := content.Parse([]byte(src)); err == nil {
			docs = append(docs, doc)
		}
		if len(src) <= 1024 { // it is copied into some thirty places
			docs = append(docs, handMade(src))
		}
		if len(keys) > 16 {
			keys = keys[:16]
		}
		for _, doc := range docs {
			m := New(doc, WithClock(clock), WithSize(w, h))
			fits(t, m, w, h, "first screen")
			for i := range len(keys) {
				k := fuzzKeys[int(keys[i])%len(fuzzKeys)]
				var msg tea.Msg
				switch k {
				case "resize":
					w, h = 1+(w*7+int(keys[i]))%260, 1+(h*5+i)%100
					msg = tea.WindowSizeMsg{Width: w, Height: h}
				case "click":
					msg = tea.MouseClickMsg{X: int(keys[i]) % w, Y: i % h, Button: tea.MouseLeft}
				case "wheel":
					msg = tea.MouseWheelMsg{X: int(keys[i]) % w, Y: i % h, Button: tea.MouseWheelDown}
				default:
					msg = press(k)
				}
				next, _ := m.Update(msg)
				m = next.(Model)
				fits(t, m, w, h, "after "+k)
			}
		}
	})
}

// fits fails the test if the model's screen is taller or wider than w×h.
func fits(t *testing.T, m Model, w, h int, when string) {
	t.Helper()
	lines := strings.Split(m.View().Content, "\n")
	if len(lines) > h {
		t.Fatalf("%s at %d×%d: %d lines", when, w, h, len(lines))
	}
	for i, l := range lines {
		if lw := lipgloss.Width(l); lw > w {
			t.Fatalf("%s at %d×%d: line %d is %d wide: %q", when, w, h, i, lw, ansi.Strip(l))
		}
	}
}

// handMade puts text into every field a screen shows.
func handMade(text string) *content.Resume {
	tx := content.Text{{Text: text}, {Text: text, Strong: true}, {Text: text, URL: text}}
	item := content.Item{Text: tx, Items: []content.Item{{Text: tx}}}
	blocks := []content.Block{
		{Kind: content.Paragraph, Text: tx},
		{Kind: content.List, Items: []content.Item{item}},
		{Kind: content.Heading, Text: tx, Level: 3},
		{Kind: content.Code, Text: content.Text{{Text: text, Code: true}}},
		{Kind: content.Quote, Text: tx},
		{Kind: content.Rule},
	}
	role := content.Role{
		Title: text, Organisation: text,
		Start: content.Date{Year: 2019, Month: 3}, End: content.Date{Year: 2021},
		Highlights: []content.Item{item}, Notes: blocks, Line: 3,
	}
	current := role
	current.Start, current.End = content.Date{Year: 2030}, content.Date{}
	return &content.Resume{
		About:    content.Section{Heading: text, Level: 1, Blocks: blocks, Line: 1},
		Roles:    []content.Role{role, current, role},
		Sections: []content.Section{{Heading: text, Level: 2, Blocks: blocks, AfterRoles: 3, Line: 9}},
		Source:   []byte(text),
	}
}
