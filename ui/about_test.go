package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/resume-ssh/resume/content"
)

// TestAboutShowsEveryKind: the about page shows each of JSON Resume's
// sections with its structure: an entry's head, where and when on lines
// of their own, its fields labelled, and skills and languages as a list.
func TestAboutShowsEveryKind(t *testing.T) {
	doc := mustParse(t, "../content/testdata/json/full.json")
	m := drive(New(doc, WithClock(clock)), 100, 300, "a")
	var lines []string
	for _, l := range strings.Split(screenOf(m), "\n") {
		lines = append(lines, strings.TrimSpace(l))
	}
	screen := strings.Join(lines, "\n")
	for _, want := range []string{
		"Volunteering\n\nMentor\nCode Club\n1 Jan 2016 – Present\n\nSaturday mornings.\n• Taught Scratch to 40 children",
		"Education\n\nMSc in Computer Science\nExample University\n2011 – 2012\nScore: Distinction\nCourses: Compilers, Type systems",
		"Awards\n\nOn-call hero\nNorthwind\nJun 2021",
		"Certificates\n\nCKA\nCNCF\n15 Jan 2020\nhttps://example.com/cka",
		"Skills\n\n• Languages (Expert): Go, Rust, C\n• Operations: Kubernetes, Terraform",
		"Languages\n\n• English (Native)\n• German (Professional)",
		"References\n\nBo Example\n\nAnn made our pager quiet.",
		"Projects\n\ntinyprof\nPersonal\n2018 – Present\nType: application\nRoles: Author\nKeywords: Go",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("the about page lacks\n%s\n\nin\n%s", want, screen)
		}
	}
	// The roles have a view of their own: the heading over them is not
	// repeated here with nothing under it.
	if strings.Contains(screen, "\nExperience\n") {
		t.Errorf("the about page shows the heading over the roles:\n%s", screen)
	}
}

// TestFooterOffersTheCardAndANote: a window with room shows c and h in
// the footer, so that a visitor learns of them without "?"; a narrow one
// keeps its most useful keys and the way to quit.
func TestFooterOffersTheCardAndANote(t *testing.T) {
	doc := mustParse(t, "../content/testdata/json/full.json")
	save := WithNotes(func(Note) (int64, error) { return 1, nil })
	footer := func(w int, opts ...Option) string {
		lines := strings.Split(screenOf(drive(New(doc, append([]Option{WithClock(clock)}, opts...)...), w, 30)), "\n")
		return lines[len(lines)-1]
	}
	if f := footer(200, save); !strings.Contains(f, "c card") || !strings.Contains(f, "h say hello") || !strings.Contains(f, "q quit") {
		t.Errorf("a wide footer lacks the card or a note:\n%s", f)
	}
	if f := footer(200); strings.Contains(f, "say hello") {
		t.Errorf("a server without an inbox offers a note:\n%s", f)
	}
	if f := footer(60, save); !strings.Contains(f, "q quit") || strings.Contains(f, "say hello") || len([]rune(f)) > 60 {
		t.Errorf("a narrow footer:\n%s", f)
	}
}

// TestReaderQuitsAfterThanks: on reader mode's thanks screen, q quits as
// it does everywhere; it is not an answer being typed.
func TestReaderQuitsAfterThanks(t *testing.T) {
	m := drive(New(content.Default(), WithClock(clock), WithNotes(func(Note) (int64, error) { return 4, nil })), 80, 24, "r", "h")
	step := func(msg tea.Msg) tea.Cmd {
		next, cmd := m.Update(msg)
		m = next.(Model)
		return cmd
	}
	var cmd tea.Cmd
	for _, answer := range []string{"Ann", "ann@example.com", "", "y"} {
		for _, r := range answer {
			step(press(string(r)))
		}
		cmd = step(press("enter"))
	}
	if cmd == nil {
		t.Fatal("the last answer did not save")
	}
	step(cmd())
	if !strings.Contains(screenOf(m), "thanks — saved as #4") {
		t.Fatalf("no thanks:\n%s", screenOf(m))
	}
	if quit := step(press("q")); quit == nil {
		t.Fatal("q does nothing on the thanks screen")
	} else if _, ok := quit().(tea.QuitMsg); !ok {
		t.Fatal("q on the thanks screen does not quit")
	}
}

// TestReaderKeepsHeadingsWhole pages through the reader at many sizes:
// the line above the status is never a heading whose underline is out of
// view, and every heading is seen with its underline on some page.
func TestReaderKeepsHeadingsWhole(t *testing.T) {
	for _, doc := range testDocs(t) {
		for _, w := range []int{40, 80, 120} {
			for h := 10; h <= 40; h++ {
				m := drive(New(doc, WithClock(clock), WithReader(true)), w, h)
				lines := m.readerLines()
				heading := func(i int) bool {
					return i >= 0 && i+1 < len(lines) && lines[i] != "" && strings.Trim(lines[i+1], "=-") == "" &&
						len(lines[i+1]) > 0 && ansi.StringWidth(lines[i+1]) == ansi.StringWidth(lines[i])
				}
				whole := map[int]bool{}
				for range len(lines) {
					rows := strings.Split(ansi.Strip(m.View().Content), "\n")
					shown := 0
					for shown < h-1 && m.read.off+shown < len(lines) && rows[shown] == ansi.Strip(lines[m.read.off+shown]) {
						shown++
					}
					if shown == 0 {
						t.Fatalf("%dx%d: the reader shows none of the résumé:\n%s", w, h, strings.Join(rows, "\n"))
					}
					if last := m.read.off + shown - 1; heading(last) {
						t.Fatalf("%dx%d: the status line falls under the heading %q, its underline out of view", w, h, lines[last])
					}
					for i := m.read.off; i+1 < m.read.off+shown; i++ {
						whole[i] = true
					}
					if m.read.off+shown >= len(lines) {
						break
					}
					next, _ := m.Update(press("space"))
					m = next.(Model)
				}
				for i := range lines {
					if heading(i) && !whole[i] {
						t.Fatalf("%dx%d: the heading %q is never shown with its underline", w, h, lines[i])
					}
				}
			}
		}
	}
}
