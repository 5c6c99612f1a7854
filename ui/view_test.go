package ui

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/resume-ssh/resume/content"
)

var update = flag.Bool("update", false, "rewrite golden screens")

// views are the states every size is checked in: each page, the detail
// focused, search open, reader mode.
var views = []struct {
	name string
	keys []string
}{
	{"roles", nil},
	{"detail", []string{"j", "j", "enter"}},
	{"timeline", []string{"t", "l"}},
	{"about", []string{"a"}},
	{"help", []string{"?"}},
	{"search", []string{"/", "x", "e", "n"}},
	{"reader", []string{"r"}},
}

// drive applies keys to a model directly, as the program loop would.
func drive(m Model, w, h int, keys ...string) Model {
	next, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m = next.(Model)
	for _, k := range keys {
		next, _ = m.Update(press(k))
		m = next.(Model)
	}
	return m
}

func TestGoldenScreens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {60, 20}} {
		for _, v := range views {
			w, h := size[0], size[1]
			dark := drive(New(content.Default(), WithClock(clock)), w, h, v.keys...)
			light := drive(New(content.Default(), WithClock(clock), WithDark(false)), w, h, v.keys...)
			got := ansi.Strip(dark.View().Content)
			name := fmt.Sprintf("testdata/%s-%dx%d.golden", v.name, w, h)
			if *update {
				if err := os.WriteFile(name, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(name)
			if err != nil {
				t.Fatalf("%v (go test ./ui -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs:\n%s", name, got)
			}
			// Light and dark lay out the same screen in different colours.
			lv := light.View().Content
			if ansi.Strip(lv) != got {
				t.Errorf("%s: light layout differs from dark", name)
			}
			if v.name != "reader" && lv == dark.View().Content {
				t.Errorf("%s: light and dark use the same colours", name)
			}
		}
	}
}

// TestNothingOverflows lays out every view at many sizes: no line is wider
// than the window and there are never more lines than its height.
func TestNothingOverflows(t *testing.T) {
	docs := []*content.Resume{content.Default()}
	for _, name := range []string{"../content/testdata/unicode.md", "../content/testdata/many.md", "../content/testdata/rich.md", "../content/testdata/json/full.json"} {
		docs = append(docs, mustParse(t, name))
	}
	for di, doc := range docs {
		// The seed at every fifth width and height; the other documents
		// more sparsely, to keep the suite quick under -race.
		wStep, heights := 5, []int{}
		for h := 5; h <= 80; h += 5 {
			heights = append(heights, h)
		}
		if di > 0 {
			wStep, heights = 13, []int{5, 12, 24, 50, 80}
		}
		for _, v := range views {
			base := drive(New(doc, WithClock(clock)), 120, 40, v.keys...)
			for w := 20; w <= 250; w += wStep {
				for _, h := range heights {
					next, _ := base.Update(tea.WindowSizeMsg{Width: w, Height: h})
					m := next.(Model)
					// Scroll to the far end too, where off-by-ones hide.
					for _, k := range []string{"", "G"} {
						if k != "" {
							next, _ = m.Update(press(k))
							m = next.(Model)
						}
						fits(t, m, w, h, fmt.Sprintf("doc %d %s %s", di, v.name, k))
					}
				}
			}
		}
	}
}

func TestNoColourStillShowsTheSelection(t *testing.T) {
	m := drive(New(content.Default(), WithClock(clock)), 120, 40, "j")
	plain := ansi.Strip(m.View().Content)
	if !strings.Contains(plain, "▸ 2 Advisory Board Member") || strings.Contains(plain, "▸ 1 ") {
		t.Errorf("the selection is not marked without colour:\n%s", plain)
	}
	m = drive(New(content.Default(), WithClock(clock)), 120, 40, "t")
	if !strings.Contains(ansi.Strip(m.View().Content), "█") {
		t.Error("the selected bar is not drawn in full blocks")
	}
}

func TestLinksAreHyperlinksWithVisibleURLs(t *testing.T) {
	doc := mustParse(t, "../content/testdata/rich.md")
	m := drive(New(doc, WithClock(clock)), 160, 50)
	v := m.View().Content
	if !strings.Contains(v, ansi.SetHyperlink("https://runbooks.example.com/t")) {
		t.Error("no OSC 8 hyperlink for a link")
	}
	if !strings.Contains(ansi.Strip(v), "template <https://runbooks.example.com/t>") {
		t.Error("the URL is not written out beside the link")
	}
}

func TestResizeRelaysOut(t *testing.T) {
	m := drive(New(content.Default(), WithClock(clock)), 120, 40)
	if !strings.Contains(ansi.Strip(m.View().Content), " │ ") {
		t.Fatal("120 columns is not the wide layout")
	}
	m = drive(m, 70, 20)
	s := ansi.Strip(m.View().Content)
	if strings.Contains(s, " │ ") || len(strings.Split(s, "\n")) != 20 {
		t.Errorf("after a resize to 70×20:\n%s", s)
	}
}

// TestStillThereAsksUntilAKey: the server's StillThereMsg puts the
// question in the footer (and in reader mode's status line) until the
// next key.
func TestStillThereAsksUntilAKey(t *testing.T) {
	for _, reader := range []bool{false, true} {
		m := drive(New(content.Default(), WithClock(clock), WithReader(reader)), 80, 24)
		next, _ := m.Update(StillThereMsg{})
		m = next.(Model)
		if !strings.Contains(screenOf(m), "still there? press any key") {
			t.Errorf("reader %v: not asked:\n%s", reader, screenOf(m))
		}
		m = drive(m, 80, 24, "j")
		if strings.Contains(screenOf(m), "still there?") {
			t.Errorf("reader %v: still asked after a key", reader)
		}
	}
}
