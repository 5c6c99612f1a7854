package server

import (
	"fmt"
	"reflect"
	"sync"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// The loop's contract with Bubble Tea: what a tea.Program does for the
// commands a model returns, the loop does too, or says it did not.
//
// Supported: tea.Quit and tea.Interrupt (the session ends), tea.Batch,
// tea.Sequence (in order, a batch inside it finishing before the next
// command), tea.SetClipboard and tea.SetPrimaryClipboard (OSC 52),
// tea.ReadClipboard and the requests for the background, foreground and
// cursor colours, the cursor position, the terminal's version and a
// capability (the query is written; the answer comes back as its
// message), tea.RequestWindowSize (answered with the window's size),
// tea.ClearScreen (a full repaint), tea.Raw (written as is), and
// tea.Println and tea.Printf, which print nothing, as in a tea.Program in
// the alternate screen. Every message is also given to the model, as a
// tea.Program gives it.
//
// Not supported over SSH: tea.Exec and tea.ExecProcess (the server runs
// no programs), tea.Suspend (there is no shell to return to) and the
// program-status request. Any message of Bubble Tea's whose type the loop
// does not know is reported once per kind (a warning in the log; a
// failure in the tests) and then given to the model.

// effect is what the loop does for one kind of message before the model
// gets it.
type effect func(l *loop, msg tea.Msg)

// effects are the loop's effects by message type, including Bubble Tea's
// unexported command messages, whose types are taken from the commands
// that make them.
var effects = sync.OnceValue(func() map[reflect.Type]effect {
	nop := func() tea.Msg { return nil }
	query := func(seq string) effect { return func(l *loop, _ tea.Msg) { l.raw = append(l.raw, seq) } }
	str := func(msg tea.Msg) string { return reflect.ValueOf(msg).String() }
	m := map[reflect.Type]effect{}
	on := func(msg tea.Msg, e effect) { m[reflect.TypeOf(msg)] = e }
	on(tea.QuitMsg{}, func(l *loop, _ tea.Msg) { l.quit = true })
	on(tea.InterruptMsg{}, func(l *loop, _ tea.Msg) { l.quit = true })
	on(tea.BatchMsg{}, func(l *loop, msg tea.Msg) {
		for _, cmd := range msg.(tea.BatchMsg) {
			l.exec(cmd)
		}
	})
	on(tea.Sequence(nop, nop)(), func(l *loop, msg tea.Msg) {
		cmds := reflect.ValueOf(msg).Convert(reflect.TypeFor[[]tea.Cmd]()).Interface().([]tea.Cmd)
		l.execSequence(cmds)
	})
	on(tea.SetClipboard("")(), func(l *loop, msg tea.Msg) { l.raw = append(l.raw, ansi.SetSystemClipboard(str(msg))) })
	on(tea.SetPrimaryClipboard("")(), func(l *loop, msg tea.Msg) { l.raw = append(l.raw, ansi.SetPrimaryClipboard(str(msg))) })
	on(tea.ReadClipboard(), query(ansi.RequestSystemClipboard))
	on(tea.ReadPrimaryClipboard(), query(ansi.RequestPrimaryClipboard))
	on(tea.RequestBackgroundColor(), query(ansi.RequestBackgroundColor))
	on(tea.RequestForegroundColor(), query(ansi.RequestForegroundColor))
	on(tea.RequestCursorColor(), query(ansi.RequestCursorColor))
	on(tea.RequestCursorPosition(), query(ansi.RequestCursorPositionReport))
	on(tea.RequestTerminalVersion(), query(ansi.RequestNameVersion))
	on(tea.RequestCapability("")(), func(l *loop, msg tea.Msg) { l.raw = append(l.raw, ansi.RequestTermcap(str(msg))) })
	on(tea.RequestWindowSize(), func(l *loop, _ tea.Msg) {
		l.exec(func() tea.Msg { return tea.WindowSizeMsg{Width: l.width, Height: l.height} })
	})
	on(tea.ClearScreen(), func(l *loop, _ tea.Msg) { l.repaint = true })
	on(tea.RawMsg{}, func(l *loop, msg tea.Msg) { l.raw = append(l.raw, fmt.Sprint(msg.(tea.RawMsg).Msg)) })
	on(tea.Println("")(), func(*loop, tea.Msg) {}) // as in the alternate screen: nothing
	return m
})

// toModel are Bubble Tea's messages that are for the model alone: input,
// and answers to queries.
var toModel = sync.OnceValue(func() map[reflect.Type]bool {
	m := map[reflect.Type]bool{}
	for _, msg := range []tea.Msg{
		tea.KeyPressMsg{},
		tea.KeyReleaseMsg{},
		tea.MouseClickMsg{},
		tea.MouseReleaseMsg{},
		tea.MouseWheelMsg{},
		tea.MouseMotionMsg{},
		tea.WindowSizeMsg{},
		tea.PasteMsg{},
		tea.PasteStartMsg{},
		tea.PasteEndMsg{},
		tea.FocusMsg{},
		tea.BlurMsg{},
		tea.ClipboardMsg{},
		tea.BackgroundColorMsg{},
		tea.ForegroundColorMsg{},
		tea.CursorColorMsg{},
		tea.CursorPositionMsg{},
		tea.CapabilityMsg{},
		tea.TerminalVersionMsg{},
		tea.KeyboardEnhancementsMsg{},
		tea.ModeReportMsg{},
		tea.ColorProfileMsg{},
		tea.EnvMsg{},
		tea.ResumeMsg{},
	} {
		m[reflect.TypeOf(msg)] = true
	}
	return m
})

// teaPackage is the package Bubble Tea's own message types come from.
var teaPackage = reflect.TypeFor[tea.QuitMsg]().PkgPath()

// apply does what msg asks of the loop, and reports whether the model
// should be given it too.
func (l *loop) apply(msg tea.Msg) bool {
	t := reflect.TypeOf(msg)
	if e, ok := effects()[t]; ok {
		e(l, msg)
		// Quit, Interrupt, Batch and Sequence are the loop's alone, as
		// they are a tea.Program's.
		switch msg.(type) {
		case tea.QuitMsg, tea.InterruptMsg:
			return false
		}
		return t.Kind() != reflect.Slice
	}
	if t.PkgPath() == teaPackage && !toModel()[t] && l.unsupported != nil {
		l.unsupported(fmt.Sprintf("%T", msg))
	}
	return true
}

// unsupportedOnce reports each kind of message once, to report.
type unsupportedOnce struct {
	seen   sync.Map
	report func(kind string)
}

func (u *unsupportedOnce) note(kind string) {
	if _, dup := u.seen.LoadOrStore(kind, true); !dup {
		u.report(kind)
	}
}
