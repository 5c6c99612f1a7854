package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/resume-ssh/resume/content"
)

func screenOf(m Model) string { return ansi.Strip(m.View().Content) }

// lastLine is the screen's footer.
func lastLine(m Model) string {
	lines := strings.Split(screenOf(m), "\n")
	return lines[len(lines)-1]
}

// TestHelpFitsNarrowWindows: below the width of the help's three columns,
// the key map is stacked into one column that scrolls, so every key can
// be read at 60×20 and at 40×12.
func TestHelpFitsNarrowWindows(t *testing.T) {
	for _, size := range [][2]int{{60, 20}, {40, 12}, {120, 40}} {
		m := drive(New(content.Default(), WithClock(clock)), size[0], size[1], "?")
		seen := ""
		for range 40 {
			seen += screenOf(m)
			next, _ := m.Update(press("j"))
			m = next.(Model)
		}
		for _, b := range m.keys.FullHelp() {
			for _, k := range b {
				if !k.Enabled() {
					continue // the card's keys, with no card
				}
				h := k.Help()
				if !strings.Contains(seen, h.Key) || !strings.Contains(seen, h.Desc) {
					t.Errorf("%dx%d: the help never shows %q %q", size[0], size[1], h.Key, h.Desc)
				}
			}
		}
	}
}

// TestFooterFitsEachView: each view's footer names the keys it answers
// to, and the way to quit is always there, whatever the width.
func TestFooterFitsEachView(t *testing.T) {
	for _, tc := range []struct {
		name string
		keys []string
		want []string
	}{
		{"roles", nil, []string{"enter/→ open"}},
		{"detail", []string{"enter"}, []string{"esc back", "scroll"}},
		{"timeline", []string{"t"}, []string{"esc back", "←/→ select"}},
		{"about", []string{"a"}, []string{"esc back"}},
		{"help", []string{"?"}, []string{"esc back"}},
		{"search", []string{"/", "x", "e", "enter"}, []string{"esc back", "n next match"}},
	} {
		for _, w := range []int{40, 80, 200} {
			m := drive(New(content.Default(), WithClock(clock)), w, 20, tc.keys...)
			f := lastLine(m)
			if !strings.Contains(f, "q quit") {
				t.Errorf("%s at %d: no way to quit in the footer %q", tc.name, w, f)
			}
			if w < 80 {
				continue
			}
			for _, want := range tc.want {
				if !strings.Contains(f, want) {
					t.Errorf("%s at %d: the footer %q lacks %q", tc.name, w, f, want)
				}
			}
		}
	}
	// At a booth's demo q does nothing; ctrl+c quits, and says so.
	m := drive(New(content.Default(), WithClock(clock), WithDemo(true)), 80, 20)
	if f := lastLine(m); !strings.Contains(f, "ctrl+c quit") || strings.Contains(f, "q quit") {
		t.Errorf("the demo's footer %q does not say ctrl+c quits", f)
	}
}

// TestTooSmallFitsAnySize: the too-small message fits every window down
// to 1×1, and says what is needed wherever it has room to.
func TestTooSmallFitsAnySize(t *testing.T) {
	for w := 1; w < 50; w++ {
		for h := 1; h < 12; h++ {
			m := drive(New(content.Default(), WithClock(clock)), w, h)
			if !m.tooSmall() {
				continue
			}
			fits(t, m, w, h, "too small")
			s := screenOf(m)
			if strings.TrimSpace(s) == "" {
				t.Fatalf("%d×%d: an empty screen", w, h)
			}
			if w >= 15 && h >= 2 && !strings.Contains(s, "40×10") {
				t.Errorf("%d×%d: %q does not say the size needed", w, h, s)
			}
		}
	}
}

// TestWideWindowsShareTheWidth: at 200 columns the list shows whole
// titles and organisations, and the detail keeps a readable measure.
func TestWideWindowsShareTheWidth(t *testing.T) {
	m := drive(New(content.Default(), WithClock(clock)), 200, 40)
	s := screenOf(m)
	if !strings.Contains(s, "2013 – now · Infrastructure Practice Area - Compute ") {
		t.Errorf("the list cuts the organisation at 200 columns:\n%s", s)
	}
	for _, l := range m.detailLines() {
		if w := ansi.StringWidth(l); w > maxMeasure {
			t.Errorf("a detail line is %d wide: %q", w, ansi.Strip(l))
		}
	}
	// A narrower wide window still gives the detail its measure first.
	m = drive(m, 120, 40)
	if got := m.detailWidth(); got < readMeasure-8 {
		t.Errorf("at 120 columns the detail is %d wide", got)
	}
}

// TestEveryBarIsLabelled: every role's number is on the chart, the
// selected one's and the shortest ones' too.
func TestEveryBarIsLabelled(t *testing.T) {
	for _, w := range []int{60, 80, 100, 200} {
		for sel := range 3 {
			keys := []string{"t"}
			for range sel {
				keys = append(keys, "j")
			}
			m := drive(New(content.Default(), WithClock(clock)), w, 30, keys...)
			t0 := m.chart()
			lanes := strings.Join(strings.Split(screenOf(m), "\n")[2+laneTop:2+laneTop+len(t0.lanes)], "\n")
			for i := range m.doc.Roles {
				if !strings.Contains(lanes, fmt.Sprint(i+1)) {
					t.Errorf("at %d columns with role %d selected, role %d has no label:\n%s", w, sel+1, i+1, lanes)
				}
			}
		}
	}
}

// TestTimelineArrows: ← and → walk the bars; only esc leaves.
func TestTimelineArrows(t *testing.T) {
	m := drive(New(content.Default(), WithClock(clock)), 100, 30, "t", "right", "right", "left")
	if m.page != pageTimeline || m.sel != 1 {
		t.Errorf("after → → ←: page %v, role %d", m.page, m.sel+1)
	}
	m = drive(m, 100, 30, "esc")
	if m.page != pageRoles {
		t.Error("esc did not leave the timeline")
	}
}

// TestClickingTabs: a click on a tab in the header opens its page.
func TestClickingTabs(t *testing.T) {
	m := drive(New(content.Default(), WithClock(clock)), 100, 30)
	for _, tab := range []struct {
		name string
		p    page
	}{{"timeline", pageTimeline}, {"about", pageAbout}, {"help", pageHelp}, {"roles", pageRoles}} {
		header := strings.Split(screenOf(m), "\n")[0]
		i := strings.LastIndex(header, tab.name)
		if i < 0 {
			t.Fatalf("no %s tab in %q", tab.name, header)
		}
		x := ansi.StringWidth(header[:i])
		next, _ := m.Update(tea.MouseClickMsg{X: x, Y: 0, Button: tea.MouseLeft})
		m = next.(Model)
		if m.page != tab.p {
			t.Errorf("a click on %q at column %d left page %v", tab.name, x, m.page)
		}
	}
}

// TestSearchCountsAndReachesTheAboutPage: what search highlights is what
// it counts, and n steps through all of it, the about page included.
func TestSearchCountsAndReachesTheAboutPage(t *testing.T) {
	var long strings.Builder
	for i := range 30 {
		fmt.Fprintf(&long, "Paragraph %d of the story.\n\n", i)
	}
	doc, err := content.Parse([]byte("# Ann\n\nI like plain tools.\n\n" + long.String() + "Lately Terraform, at scale.\n\n" +
		"## SRE\n#### Acme (2019 - Present)\n\n- Moved it all to Terraform\n\n## Dev\n#### Initech (2015 - 2018)\n\n- Wrote Go\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := drive(New(doc, WithClock(clock)), 80, 20, "/", "t", "e", "r", "r", "a")
	if f := lastLine(m); !strings.Contains(f, "2 matches, one on the about page") {
		t.Errorf("the count leaves out the about page: %q", f)
	}
	m = drive(m, 80, 20, "enter")
	if m.page != pageRoles || m.sel != 0 {
		t.Fatalf("enter: page %v, role %d", m.page, m.sel+1)
	}
	m = drive(m, 80, 20, "n")
	if m.page != pageAbout || !strings.Contains(screenOf(m), "Lately Terraform, at scale.") {
		t.Errorf("n did not reach the match on the about page:\n%s", screenOf(m))
	}
	m = drive(m, 80, 20, "n")
	if m.page != pageRoles || m.sel != 0 {
		t.Errorf("n from the about page: page %v, role %d", m.page, m.sel+1)
	}
	m = drive(m, 80, 20, "N")
	if m.page != pageAbout {
		t.Errorf("N from the first role did not go round to the about page")
	}
}

// TestEachPageKeepsItsPlace: the detail, the about page and the help
// scroll apart, each with its own pager.
func TestEachPageKeepsItsPlace(t *testing.T) {
	m := drive(New(content.Default(), WithClock(clock)), 80, 16, "enter", "j", "j", "j")
	detail := m.detail.off
	m = drive(m, 80, 16, "a", "j", "j", "j", "j", "j")
	about := screenOf(m)
	m = drive(m, 80, 16, "?", "j", "esc", "a")
	if got := screenOf(m); got != about {
		t.Errorf("the about page lost its place after the help:\n%s\nwas:\n%s", got, about)
	}
	m = drive(m, 80, 16, "esc")
	if m.page != pageRoles || m.detail.off != detail || detail == 0 {
		t.Errorf("back in the detail: page %v, offset %d, was %d", m.page, m.detail.off, detail)
	}
}

// TestHeaderCarriesTheOwner: front matter's name and headline head every
// screen; the seed, which has none, keeps its header.
func TestHeaderCarriesTheOwner(t *testing.T) {
	doc, err := content.Parse([]byte("---\nname: Ann Example\nlabel: Staff SRE\n---\n\n# About\n\n## SRE\n#### Acme (2019 - Present)\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := drive(New(doc, WithClock(clock)), 100, 20)
	if h := strings.Split(screenOf(m), "\n")[0]; !strings.HasPrefix(h, "Ann Example — Staff SRE · 2019 – Present") {
		t.Errorf("header %q", h)
	}
	m = drive(New(doc, WithClock(clock)), 50, 20)
	if h := strings.Split(screenOf(m), "\n")[0]; !strings.HasPrefix(h, "Ann Example") || !strings.Contains(h, "[roles]") {
		t.Errorf("narrow header %q", h)
	}
}
