package server

import (
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// viewing is the recorder with a View of the test's making, from how
// many messages it has seen.
type viewing struct {
	recorder
	view func(n int) tea.View
}

func (v viewing) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := v.recorder.Update(msg)
	v.recorder = m.(recorder)
	return v, cmd
}

func (v viewing) View() tea.View {
	v.mu.Lock()
	n := len(*v.got)
	v.mu.Unlock()
	out := v.view(n)
	out.Content = fmt.Sprintf("%d messages", n)
	return out
}

func (g *loopRig) output() string {
	g.outMu.Lock()
	defer g.outMu.Unlock()
	return g.out.String()
}

// TestLoopRunsSequencesInOrder: tea.Sequence runs each command after the
// one before has returned and its message been handled.
func TestLoopRunsSequencesInOrder(t *testing.T) {
	var aDone atomic.Bool
	a := func() tea.Msg { aDone.Store(true); return "a" }
	b := func() tea.Msg {
		if !aDone.Load() {
			return "b before a"
		}
		return "b"
	}
	c := func() tea.Msg { return "c" }
	inner := tea.Batch(func() tea.Msg { return "d1" }, func() tea.Msg { return "d1" })
	g := startLoop(t, map[string]tea.Cmd{"s": tea.Sequence(a, b, tea.Sequence(c, inner), func() tea.Msg { return "e" })})
	g.send("s")
	g.wait("key s", "a", "b", "c", "d1", "d1", "e")
}

// TestLoopCarriesOutCommands: the commands a tea.Program carries out for
// its model, the loop does, and the model gets their messages too.
func TestLoopCarriesOutCommands(t *testing.T) {
	g := startLoop(t, map[string]tea.Cmd{
		"c": tea.SetClipboard("hello"),
		"p": tea.SetPrimaryClipboard("primary"),
		"f": tea.RequestForegroundColor,
		"v": tea.RequestTerminalVersion,
		"w": tea.RequestWindowSize,
		"l": tea.Println("printed nowhere"),
		"r": tea.Raw("\x1b[?2026$p"),
	})
	g.send("c")
	g.waitOut(ansi.SetSystemClipboard("hello"))
	g.send("p")
	g.waitOut(ansi.SetPrimaryClipboard("primary"))
	g.send("f")
	g.waitOut(ansi.RequestForegroundColor)
	g.send("v")
	g.waitOut(ansi.RequestNameVersion)
	g.send("r")
	g.waitOut("\x1b[?2026$p")
	g.send("w")
	waitSeen(t, &g.mu, &g.got, "the window's size", func(got []string) bool {
		return len(got) > 0 && got[len(got)-1] == "size 80x24"
	})
	g.send("l")
	waitSeen(t, &g.mu, &g.got, "the println's message", func(got []string) bool {
		return len(got) > 0 && strings.HasPrefix(got[len(got)-1], "{printed nowhere")
	})
	if strings.Contains(g.output(), "printed nowhere") {
		t.Error("tea.Println printed over the alternate screen")
	}
}

// TestLoopPasteIsOnePaste: a bracketed paste reaches the model as one
// tea.PasteMsg between start and end, not as keys.
func TestLoopPasteIsOnePaste(t *testing.T) {
	g := startLoop(t, nil)
	g.waitOut(ansi.SetModeBracketedPaste)
	g.send("\x1b[200~hello, world\x1b[201~")
	g.wait("{}", "hello, world", "{}")
}

// TestLoopAppliesTheView: the view's window title, focus reports,
// keyboard enhancements, cursor and OnMouse take effect as in a
// tea.Program.
func TestLoopAppliesTheView(t *testing.T) {
	var clicks atomic.Int32
	view := func(n int) tea.View {
		v := tea.View{WindowTitle: fmt.Sprintf("title %d", min(n, 2)), MouseMode: tea.MouseModeCellMotion}
		if n >= 2 {
			v.ReportFocus = true
			v.Cursor = tea.NewCursor(3, 2)
			v.KeyboardEnhancements.ReportEventTypes = true
			v.OnMouse = func(tea.MouseMsg) tea.Cmd {
				return func() tea.Msg { clicks.Add(1); return "on mouse" }
			}
		}
		return v
	}
	g := startLoopWith(t, func(r recorder) tea.Model { return viewing{r, view} }, nil, nil)
	g.waitOut(ansi.SetWindowTitle("title 0"))
	g.send("x")
	g.waitOut(ansi.SetWindowTitle("title 1"))
	g.send("y")
	g.waitOut(ansi.SetWindowTitle("title 2"))
	g.waitOut(ansi.SetModeFocusEvent)
	g.waitOut(ansi.KittyKeyboard(kittyFlags(tea.KeyboardEnhancements{ReportEventTypes: true}), 1))
	g.waitOut(ansi.CursorPosition(4, 3) + ansi.SetCursorStyle(1) + ansi.ShowCursor)
	g.send("\x1b[<0;5;3M")
	waitSeen(t, &g.mu, &g.got, "OnMouse's message", func(got []string) bool { return clicks.Load() == 1 && slicesHas(got, "on mouse") })
}

func slicesHas(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestLoopSaysWhatItCannotDo: a command the loop cannot carry out over SSH
// (running a program) is reported once per kind, and the model still
// gets its message.
func TestLoopSaysWhatItCannotDo(t *testing.T) {
	var mu sync.Mutex
	var kinds []string
	cmd := tea.ExecProcess(exec.Command("true"), nil)
	g := startLoop(t, map[string]tea.Cmd{"e": cmd})
	g.l.unsupported = (&unsupportedOnce{report: func(kind string) {
		mu.Lock()
		kinds = append(kinds, kind)
		mu.Unlock()
	}}).note
	g.send("e")
	g.send("e")
	waitSeen(t, &g.mu, &g.got, "both keys handled", func(got []string) bool { return len(got) >= 4 })
	mu.Lock()
	defer mu.Unlock()
	if len(kinds) != 1 || kinds[0] != "tea.execMsg" {
		t.Errorf("reported %q, want tea.execMsg once", kinds)
	}
}
