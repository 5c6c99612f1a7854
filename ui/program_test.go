package ui

import (
	"context"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/resume-ssh/resume/content"
)

var now = time.Date(2026, time.November, 25, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

// driver runs a model in Bubble Tea's own program loop, with no terminal:
// messages go in through Send, and the model comes back when it quits.
type driver struct {
	t    *testing.T
	p    *tea.Program
	done chan result
}

type result struct {
	m   tea.Model
	err error
}

// peek asks the running program for its current model.
type peekMsg struct{ out chan Model }

type peeker struct{ Model }

// peekFn runs f on the model inside the program's own loop, for what is
// held by pointer and changes in place (the hello form).
type peekFn struct {
	f    func(Model)
	done chan struct{}
}

func (p peeker) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if pm, ok := msg.(peekMsg); ok {
		pm.out <- p.Model
		return p, nil
	}
	if pf, ok := msg.(peekFn); ok {
		pf.f(p.Model)
		close(pf.done)
		return p, nil
	}
	m, cmd := p.Model.Update(msg)
	return peeker{m.(Model)}, cmd
}

func start(t *testing.T, w, h int, opts ...Option) *driver {
	t.Helper()
	return startDoc(t, content.Default(), w, h, opts...)
}

// startDoc runs a browser over doc in a tea.Program.
func startDoc(t *testing.T, doc *content.Resume, w, h int, opts ...Option) *driver {
	t.Helper()
	opts = append([]Option{WithClock(clock)}, opts...)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	p := tea.NewProgram(peeker{New(doc, opts...)},
		tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(io.Discard),
		tea.WithWindowSize(w, h), tea.WithoutSignals())
	d := &driver{t: t, p: p, done: make(chan result, 1)}
	go func() {
		m, err := p.Run()
		d.done <- result{m, err}
	}()
	t.Cleanup(func() {
		p.Kill()
		<-d.done
	})
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	return d
}

func (d *driver) send(msgs ...tea.Msg) {
	for _, m := range msgs {
		d.p.Send(m)
	}
}

func (d *driver) keys(keys ...string) {
	for _, k := range keys {
		d.p.Send(press(k))
	}
}

// model is the program's model once every message sent before is handled.
func (d *driver) model() Model {
	d.t.Helper()
	out := make(chan Model, 1)
	d.p.Send(peekMsg{out})
	select {
	case m := <-out:
		return m
	case <-time.After(10 * time.Second):
		d.t.Fatal("program did not answer")
	}
	return Model{}
}

func (d *driver) screen() string { return ansi.Strip(d.model().View().Content) }

// namedKeys are the keys press knows by name; any other name is typed.
var namedKeys = map[string]tea.KeyPressMsg{
	"enter":     {Code: tea.KeyEnter},
	"esc":       {Code: tea.KeyEscape},
	"tab":       {Code: tea.KeyTab},
	"down":      {Code: tea.KeyDown},
	"up":        {Code: tea.KeyUp},
	"left":      {Code: tea.KeyLeft},
	"right":     {Code: tea.KeyRight},
	"backspace": {Code: tea.KeyBackspace},
	"pgdown":    {Code: tea.KeyPgDown},
	"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl},
	"ctrl+u":    {Code: 'u', Mod: tea.ModCtrl},
	"ctrl+b":    {Code: 'b', Mod: tea.ModCtrl},
	"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
}

func press(k string) tea.KeyPressMsg {
	if msg, ok := namedKeys[k]; ok {
		return msg
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

func TestEveryRoleByKeys(t *testing.T) {
	d := start(t, 120, 40)
	roles := content.Default().Roles
	for i := range roles {
		if got := d.model().sel; got != i {
			t.Fatalf("after %d × j the selection is %d", i, got)
		}
		if s := d.screen(); !strings.Contains(s, "▸ "+itoa(i+1)+" "+roles[i].Title) {
			t.Fatalf("role %d not marked as selected:\n%s", i+1, s)
		}
		d.keys("j")
	}
	d.keys("j") // past the end stays on the last role
	if got := d.model().sel; got != len(roles)-1 {
		t.Errorf("selection ran past the end: %d", got)
	}
	for i := range roles {
		d.keys(itoa(i + 1))
		m := d.model()
		if m.sel != i || !strings.Contains(d.screen(), roles[i].DatesLine(now)) {
			t.Errorf("key %d selects role %d", i+1, m.sel)
		}
	}
	d.keys("g")
	if d.model().sel != 0 {
		t.Error("g does not go to the first role")
	}
	d.keys("G")
	if d.model().sel != len(roles)-1 {
		t.Error("G does not go to the last role")
	}
}

func TestEveryRoleByMouse(t *testing.T) {
	d := start(t, 120, 40)
	roles := content.Default().Roles
	for i := len(roles) - 1; i >= 0; i-- {
		// Each role takes two rows below the two header rows.
		d.send(tea.MouseClickMsg{X: 5, Y: 2 + i*rowsPerRole + 1, Button: tea.MouseLeft})
		if got := d.model().sel; got != i {
			t.Fatalf("click on role %d selected %d", i, got)
		}
	}
	// In the timeline, a click on each bar selects its role.
	d.keys("t")
	m := d.model()
	tl := m.chart()
	for i := range roles {
		x := 1 + (tl.from[i]+tl.to[i])/2
		d.send(tea.MouseClickMsg{X: x, Y: 2 + laneTop + tl.lane[i], Button: tea.MouseLeft})
		if got := d.model().sel; got != i {
			t.Errorf("click on bar of role %d selected %d", i, got)
		}
	}
}

func TestWheelScrollsThePaneUnderThePointer(t *testing.T) {
	d := start(t, 120, 12)
	d.send(tea.MouseWheelMsg{X: 100, Y: 5, Button: tea.MouseWheelDown})
	m := d.model()
	if m.sel != 0 || m.detail.off == 0 {
		t.Errorf("wheel over the detail: sel %d scroll %d", m.sel, m.detail.off)
	}
	d.send(tea.MouseWheelMsg{X: 5, Y: 5, Button: tea.MouseWheelDown})
	if m := d.model(); m.sel != 1 {
		t.Errorf("wheel over the list: sel %d", m.sel)
	}
}

func TestPagingKeysScrollTheDetail(t *testing.T) {
	d := start(t, 120, 10) // too short for the first role's highlights
	d.keys("pgdown")
	m := d.model()
	if m.sel != 0 || m.detail.off == 0 {
		t.Errorf("pgdown in the wide layout: sel %d scroll %d", m.sel, m.detail.off)
	}
	d.keys("ctrl+u")
	if after := d.model(); after.detail.off >= m.detail.off || after.sel != 0 {
		t.Errorf("ctrl+u: scroll %d → %d", m.detail.off, after.detail.off)
	}
	n := start(t, 70, 10) // narrow: the list is all there is
	n.keys("pgdown")
	if m := n.model(); m.sel == 0 {
		t.Error("pgdown in the narrow list does not page the list")
	}
}

func TestSearch(t *testing.T) {
	doc := content.Default()
	var want []int
	for i, r := range doc.Roles {
		if strings.Contains(strings.ToLower(content.Default().Roles[i].Title+" "+r.Organisation+" "+allHighlights(r)), "ipxe") {
			want = append(want, i)
		}
	}
	if len(want) == 0 {
		t.Fatal("the seed mentions iPXE; the test's own search found nothing")
	}
	d := start(t, 120, 40)
	d.keys("j", "j", "/", "i", "P", "x", "E")
	m := d.model()
	if !slices.Equal(m.search.matches, want) {
		t.Errorf("iPXE matches %v, want %v", m.search.matches, want)
	}
	s := d.screen()
	for i, r := range doc.Roles {
		if in := strings.Contains(s, itoa(i+1)+" "+r.Title); in != slices.Contains(want, i) {
			t.Errorf("role %d listed while searching: %v", i+1, in)
		}
	}
	// The matches are highlighted: the raw view draws them in reverse.
	if !strings.Contains(m.View().Content, m.styles.Match.Render("iPXE")) {
		t.Error("matches are not highlighted in the detail")
	}
	d.keys("esc")
	if m := d.model(); m.sel != 2 || m.search.query != "" {
		t.Errorf("esc did not cancel: sel %d query %q", m.sel, m.search.query)
	}
	d.keys("/", "x", "e", "n", "enter")
	m = d.model()
	if m.search.typing || m.search.query != "xen" || !strings.Contains(strings.ToLower(m.hay[m.sel]), "xen") {
		t.Fatalf("enter did not pick a match: %+v", m.search)
	}
	first := m.sel
	d.keys("n")
	if m := d.model(); m.sel == first || !strings.Contains(strings.ToLower(m.hay[m.sel]), "xen") {
		t.Errorf("n went to %d", m.sel)
	}
	d.keys("N")
	if m := d.model(); m.sel != first {
		t.Errorf("N went to %d, want %d", m.sel, first)
	}
	d.keys("/", "z", "z", "z", "q")
	if s := d.screen(); !strings.Contains(s, "No role matches “zzzq”") {
		t.Errorf("no-match message missing:\n%s", s)
	}
}

func TestEscPathsAndViews(t *testing.T) {
	d := start(t, 70, 20) // narrow
	d.keys("j", "j", "enter")
	if s := d.screen(); !strings.Contains(s, "Dec 2012 – Jul 2013 · 8 mos") || strings.Contains(s, "1 Principal Engineer") {
		t.Errorf("narrow enter does not open the detail:\n%s", s)
	}
	d.keys("esc")
	if s := d.screen(); !strings.Contains(s, "1 Principal Engineer") {
		t.Errorf("esc does not return to the list:\n%s", s)
	}
	for _, tc := range []struct {
		key  string
		page page
		text string
	}{{"a", pageAbout, "Based in San Antonio"}, {"t", pageTimeline, "2002"}, {"?", pageHelp, "jump to role"}} {
		d.keys(tc.key)
		if m := d.model(); m.page != tc.page || !strings.Contains(d.screen(), tc.text) {
			t.Errorf("%s: page %d\n%s", tc.key, m.page, d.screen())
		}
		d.keys("esc")
		if m := d.model(); m.page != pageRoles {
			t.Errorf("esc from %s: page %d", tc.key, m.page)
		}
	}
	d.keys("r")
	if s := d.screen(); !strings.Contains(s, "Reader mode") || strings.Contains(s, "│") || strings.Contains(s, "─") {
		t.Errorf("reader mode:\n%s", s)
	}
}

func TestQuit(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		d := start(t, 80, 24)
		d.keys(k)
		select {
		case r := <-d.done:
			d.done <- r // for Cleanup
			if r.err != nil {
				t.Errorf("%s: %v", k, r.err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s did not quit", k)
		}
	}
	// Too small a window still answers q.
	d := start(t, 20, 5)
	if s := d.screen(); !strings.Contains(s, "20×5") || !strings.Contains(s, "q quits") {
		t.Errorf("too small: %q", s)
	}
	d.keys("q")
	select {
	case r := <-d.done:
		d.done <- r
	case <-time.After(10 * time.Second):
		t.Fatal("q did not quit a too-small window")
	}
}

func TestDemoTour(t *testing.T) {
	d := start(t, 120, 40, WithDemo(true), WithDemoTiming(500*time.Millisecond, 10*time.Millisecond))
	d.keys("j", "j", "j") // the visitor was on role 4
	seen := map[page]bool{}
	deadline := time.Now().Add(10 * time.Second)
	for (!seen[pageAbout] || !seen[pageTimeline]) && time.Now().Before(deadline) {
		m := d.model()
		if m.demo.touring {
			seen[m.page] = true
		}
		time.Sleep(2 * time.Millisecond)
	}
	if !seen[pageAbout] || !seen[pageTimeline] || !seen[pageRoles] {
		t.Fatalf("the tour showed %v", seen)
	}
	d.keys("q") // ignored in a demo, and stops the tour
	m := d.model()
	if m.demo.touring || m.sel != 3 || m.page != pageRoles {
		t.Errorf("after a key: touring %v, sel %d, page %d", m.demo.touring, m.sel, m.page)
	}
	select {
	case <-d.done:
		t.Fatal("q quit the demo")
	case <-time.After(50 * time.Millisecond):
	}
}

func TestNoTimersWithoutDemo(t *testing.T) {
	m := New(content.Default())
	if cmd := m.demo.wait(); cmd != nil {
		t.Error("an idle browser schedules a timer")
	}
	_, cmd := m.Update(press("j"))
	if cmd != nil {
		if msg := cmd(); msg != nil {
			t.Errorf("a key scheduled %T", msg)
		}
	}
}

func allHighlights(r content.Role) string {
	var parts []string
	for _, h := range r.Highlights {
		parts = append(parts, h.Text.Plain())
	}
	return strings.Join(parts, " ")
}

func itoa(i int) string { return strconv.Itoa(i) }
