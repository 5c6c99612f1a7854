package server

import (
	"context"
	"fmt"
	"io"
	"reflect"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
)

// A browser session runs the ui's Bubble Tea model — its Init, Update and
// View, untouched — under a small loop of the server's own rather than a
// tea.Program. A program is built for one terminal on one machine: each one
// builds its own table of key sequences (about 145 KB, the same for every
// visitor), starts five goroutines, and keeps a frame ticker running while
// nobody types. On a server of hundreds of idle visitors that is most of the
// memory and all of the idle CPU. The loop instead:
//
//   - decodes input with ultraviolet's EventDecoder, the decoder Bubble Tea
//     itself is built on, with no per-session table;
//   - wakes only when the visitor sends something, the window changes or a
//     command the model started finishes;
//   - draws once after all the messages that arrived together, at most 60
//     times a second, through the frameWriter, which writes only what
//     changed.
//
// It understands the commands the browser returns: tea.Quit and tea.Batch,
// and any command whose message is for the model itself.

// escWait is how long an ESC at the end of the input waits for the rest of
// its sequence before it counts as the Escape key: ultraviolet's own
// terminal reader waits as long.
const escWait = uv.DefaultEscTimeout

// loop runs one visitor's browser.
type loop struct {
	model tea.Model
	fw    screenWriter
	in    io.Reader
	guard *guard // bounds each step

	results chan tea.Msg // what finished commands returned
	resized chan struct{}
	done    chan struct{} // closed when run returns

	mu   sync.Mutex
	size [2]int // the latest window size, while resized is signalled

	// What the visitor sent and the loop has not taken yet; see read.
	inMu    sync.Mutex
	inbox   []byte
	inEnded bool
	inReady chan struct{}

	// What the loop's steps share, one step at a time.
	dec           uv.EventDecoder
	width, height int                        // the size the model was last given
	raw           []string                   // sequences for the terminal, written with the next frame
	repaint       bool                       // tea.ClearScreen: the next frame repaints all
	paste         []byte                     // a bracketed paste so far, or nil
	onMouse       func(tea.MouseMsg) tea.Cmd // the last view's
	unsupported   func(kind string)          // a Bubble Tea message the loop does not know
	pending       []byte
	esc           *time.Timer
	inputAt       time.Time // when input last arrived
	frame         *time.Timer
	bound         *time.Timer // the running step's
	drawn         time.Time   // when the last frame was drawn
	dirty         bool
	quit          bool
}

func newLoop(model tea.Model, fw screenWriter, in io.Reader, g *guard) *loop {
	w, h := fw.size()
	return &loop{
		width: w, height: h,
		model: model, fw: fw, in: in, guard: g,
		inReady: make(chan struct{}, 1),
		results: make(chan tea.Msg),
		resized: make(chan struct{}, 1),
		done:    make(chan struct{}),
	}
}

// resize hands the loop a new window size. It never blocks: only the latest
// size matters, and a stalled visitor must not stall the SSH request loop
// that calls this.
func (l *loop) resize(w, h int) {
	l.mu.Lock()
	l.size = [2]int{w, h}
	l.mu.Unlock()
	select {
	case l.resized <- struct{}{}:
	default: // a size is already waiting; it will be read as this one
	}
}

// post hands the model a message from outside the loop, as a finished
// command's result is; it returns without it once the loop has ended.
func (l *loop) post(msg tea.Msg) {
	select {
	case l.results <- msg:
	case <-l.done:
	}
}

// run draws the first screen and then serves the visitor until the model
// quits (it returns true), ctx ends, or a step overruns its bound
// (errOverran). A visitor whose input has ended (ssh -t with stdin closed)
// still sees the screen, and it still follows their window, until a limit
// ends the session.
func (l *loop) run(ctx context.Context) (bool, error) {
	defer close(l.done)
	// The reader ends when the input does: the session's channel is
	// closed as soon as the session's handler returns.
	go l.read()
	if err := l.step(ctx, func() { l.exec(l.model.Init()); l.dirty = true }); err != nil {
		return false, err
	}
	var escC, frameC <-chan time.Time
	for !l.quit {
		var work func()
		select {
		case <-ctx.Done():
			return false, nil
		case <-frameC:
			work = func() {} // draw what the last steps changed
		case <-l.inReady:
			l.inMu.Lock()
			l.pending = append(l.pending, l.inbox...)
			l.inbox = l.inbox[:0]
			ended := l.inEnded
			l.inMu.Unlock()
			l.inputAt = time.Now()
			work = func() { l.decode(ended || len(l.pending) > maxPending) }
		case <-escC:
			work = func() { l.decode(true) }
		case <-l.resized:
			work = l.applySize()
		case msg := <-l.results:
			work = func() { l.handle(msg) }
		}
		if err := l.step(ctx, work); err != nil {
			return false, err
		}
		escC = l.waitForRest()
		frameC = l.waitForFrame()
	}
	return true, nil
}

// step does work and draws what it changed, on a goroutine of its own.
// Update and View go deep (lipgloss, word wrapping) and a goroutine's stack
// stays as large as it has ever grown until a garbage collection finds it
// mostly unused. Done here, that growth is given back as soon as the step
// ends, and the session's own goroutine, which waits for hours, keeps a
// small stack: measured with 500 sessions, that halves the memory each one
// holds. A panic is carried back to the caller, whose recover logs it.
//
// The loop waits for the work and the View for at most the guard's bound,
// and not at all once ctx ends: a step that never returns (a bug, or a
// document that sends the layout into a loop) must not hold the session,
// its slot or Shutdown. Such a step is abandoned and never draws, so work
// must leave the screen (fw) alone. Only the write of a frame already
// made is waited for: the write timeout bounds it.
func (l *loop) step(ctx context.Context, work func()) error {
	var caught *carried
	var state atomic.Int32
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if r := recover(); r != nil {
				caught = &carried{value: r, stack: debug.Stack()}
			}
			if !state.CompareAndSwap(stepRunning, stepFinished) && state.Load() == stepAbandoned {
				l.guard.returned()
			}
		}()
		work()
		var view tea.View
		draw := false
		if now := time.Now(); l.dirty && !l.quit && now.Sub(l.drawn) >= minFrame {
			l.dirty, l.drawn = false, now
			view, draw = l.model.View(), true
		}
		if !state.CompareAndSwap(stepRunning, stepDrawing) {
			return // abandoned: the session is over
		}
		// A failed write needs nothing here: the connection is gone, or
		// the stall timer is about to close it; either ends ctx.
		if len(l.raw) > 0 {
			_ = l.fw.raw(l.raw)
			l.raw = l.raw[:0]
		}
		if l.repaint {
			l.fw.repaint()
			l.repaint = false
		}
		if draw {
			l.onMouse = view.OnMouse
			_ = l.fw.draw(view)
		}
	}()
	overran := false
	select {
	case <-done:
	case <-ctx.Done():
	case <-rearm(&l.bound, l.guard.bound):
		overran = true
	}
	l.bound.Stop()
	if state.CompareAndSwap(stepRunning, stepAbandoned) {
		l.guard.abandoned(overran)
		if overran {
			return errOverran
		}
		return ctx.Err()
	}
	<-done
	if caught != nil {
		panic(*caught)
	}
	return nil
}

// The states of a step, which its goroutine and the loop both move on
// from stepRunning: the first to move decides whether the step draws or
// is abandoned.
const (
	stepRunning int32 = iota
	stepDrawing
	stepFinished
	stepAbandoned
)

// applySize sizes the screen to the latest window and returns the work of
// telling the model. Only the loop's goroutine, and a step that has
// reached its draw, touch the screen (see step).
func (l *loop) applySize() func() {
	l.mu.Lock()
	w, h := l.size[0], l.size[1]
	l.mu.Unlock()
	l.fw.resize(w, h)
	return func() {
		l.width, l.height = w, h
		l.update(tea.WindowSizeMsg{Width: w, Height: h})
	}
}

// waitForFrame arms the frame timer while a change waits to be drawn.
func (l *loop) waitForFrame() <-chan time.Time {
	if !l.dirty || l.quit {
		return nil
	}
	return rearm(&l.frame, minFrame-time.Since(l.drawn))
}

// waitForRest arms the ESC timer while an incomplete sequence is pending:
// it fires escWait after the input last arrived, however many other
// events come in between.
func (l *loop) waitForRest() <-chan time.Time {
	if len(l.pending) == 0 {
		return nil
	}
	return rearm(&l.esc, escWait-time.Since(l.inputAt))
}

// rearm sets *t, made on first use, to fire after wait.
func rearm(t **time.Timer, wait time.Duration) <-chan time.Time {
	if *t == nil {
		*t = time.NewTimer(wait)
	} else {
		(*t).Reset(wait)
	}
	return (*t).C
}

// read passes the visitor's input to the loop as it arrives. It never
// waits for the loop: a read that finds maxInbox bytes already waiting (a
// flood, or typing while the loop is stuck writing to a client that
// stopped reading) is dropped whole. Were input left unread instead, the
// SSH channel would buffer up to its 2 MB window of it for every session.
// A person cannot type 4 KB ahead of the screen; a paste that large is cut.
func (l *loop) read() {
	buf := make([]byte, 256) // keys are a few bytes; a paste comes in turns
	for {
		n, err := l.in.Read(buf)
		l.inMu.Lock()
		if n > 0 && len(l.inbox)+n <= maxInbox {
			l.inbox = append(l.inbox, buf[:n]...)
		}
		l.inEnded = err != nil
		l.inMu.Unlock()
		select {
		case l.inReady <- struct{}{}:
		default: // the loop has yet to take what is waiting
		}
		if err != nil {
			return
		}
	}
}

// decode turns the pending input into messages for the model. Unless
// expired, a sequence cut off at the end of the input is kept for the rest
// to arrive, as ultraviolet's terminal reader does.
func (l *loop) decode(expired bool) {
	buf := l.pending
	for len(buf) > 0 && !l.quit {
		n, ev := l.dec.Decode(buf)
		if n <= 0 || n > len(buf) {
			n, ev = 1, nil
		}
		if !expired && n == len(buf) && incomplete(buf, n, ev) {
			break
		}
		l.pasted(buf[:n], ev)
		buf = buf[n:]
	}
	l.pending = append(l.pending[:0], buf...)
}

// pasted collects what comes between a bracketed paste's start and end
// into one tea.PasteMsg, as ultraviolet's terminal reader does, and gives
// everything else to event. A paste is cut at maxPaste.
func (l *loop) pasted(seq []byte, ev uv.Event) {
	switch e := ev.(type) {
	case uv.PasteStartEvent:
		l.paste = []byte{}
	case uv.PasteEndEvent:
		if l.paste != nil {
			l.event(uv.PasteEvent{Content: strings.ToValidUTF8(string(l.paste), "")})
			l.paste = nil
		}
	case uv.KeyPressEvent:
		if l.paste != nil {
			text := e.Text
			if text == "" {
				text = string(seq)
			}
			if len(l.paste)+len(text) <= maxPaste {
				l.paste = append(l.paste, text...)
			}
			return
		}
	default:
		if l.paste != nil {
			return // nothing but text belongs in a paste
		}
	}
	l.event(ev)
}

// incomplete reports whether ev, decoded from all of buf, may be the start
// of a longer sequence.
func incomplete(buf []byte, n int, ev uv.Event) bool {
	if _, ok := ev.(uv.UnknownEvent); ok {
		return true
	}
	return buf[0] == '\x1b' && n <= 2
}

// event gives the model what the visitor's terminal sent, as a
// tea.Program translates it. A size report in the input is dropped: the
// window's size comes from SSH.
func (l *loop) event(ev uv.Event) {
	var msg tea.Msg
	switch ev := ev.(type) {
	case uv.KeyPressEvent:
		msg = tea.KeyPressMsg(ev)
	case uv.KeyReleaseEvent:
		msg = tea.KeyReleaseMsg(ev)
	case uv.MouseClickEvent:
		msg = tea.MouseClickMsg(ev)
	case uv.MouseReleaseEvent:
		msg = tea.MouseReleaseMsg(ev)
	case uv.MouseWheelEvent:
		msg = tea.MouseWheelMsg(ev)
	case uv.MouseMotionEvent:
		msg = tea.MouseMotionMsg(ev)
	case uv.PasteEvent:
		msg = tea.PasteMsg(ev)
	case uv.PasteStartEvent:
		msg = tea.PasteStartMsg(ev)
	case uv.PasteEndEvent:
		msg = tea.PasteEndMsg(ev)
	case uv.FocusEvent:
		msg = tea.FocusMsg(ev)
	case uv.BlurEvent:
		msg = tea.BlurMsg(ev)
	case uv.ClipboardEvent:
		msg = tea.ClipboardMsg(ev)
	case uv.BackgroundColorEvent:
		msg = tea.BackgroundColorMsg(ev)
	case uv.ForegroundColorEvent:
		msg = tea.ForegroundColorMsg(ev)
	case uv.CursorColorEvent:
		msg = tea.CursorColorMsg(ev)
	case uv.CursorPositionEvent:
		msg = tea.CursorPositionMsg(ev)
	case uv.CapabilityEvent:
		msg = tea.CapabilityMsg(ev)
	case uv.TerminalVersionEvent:
		msg = tea.TerminalVersionMsg(ev)
	case uv.KeyboardEnhancementsEvent:
		msg = tea.KeyboardEnhancementsMsg(ev)
	case uv.ModeReportEvent:
		msg = tea.ModeReportMsg(ev)
	case uv.MultiEvent:
		for _, e := range ev {
			l.event(e)
		}
		return
	default:
		return
	}
	if m, ok := msg.(tea.MouseMsg); ok && l.onMouse != nil {
		l.exec(l.onMouse(m))
	}
	l.update(msg)
}

// handle takes a message a command returned: the loop does what it asks
// of the terminal (contract.go), and the model gets it.
func (l *loop) handle(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
	case carried:
		panic(msg) // carried on to the session's goroutine, which logs it
	default:
		if l.apply(msg) {
			l.update(msg)
		}
	}
}

func (l *loop) update(msg tea.Msg) {
	if l.quit {
		return
	}
	m, cmd := l.model.Update(msg)
	l.model = m
	l.dirty = true
	l.exec(cmd)
}

// exec runs cmd in a goroutine of its own, which ends when cmd returns: the
// loop takes its message or, if the loop has ended, it is dropped.
func (l *loop) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		msg := recovered(cmd)
		select {
		case l.results <- msg:
		case <-l.done:
		}
	}()
}

// execSequence runs cmds one at a time, in order, each message handled
// before the next command starts, as tea.Sequence promises; a batch in it
// finishes before the next command.
func (l *loop) execSequence(cmds []tea.Cmd) {
	go l.runInOrder(cmds)
}

// runInOrder runs cmds in order, giving each message to the loop; it
// reports false once the loop has ended.
func (l *loop) runInOrder(cmds []tea.Cmd) bool {
	for _, cmd := range cmds {
		if cmd == nil {
			continue
		}
		msg := recovered(cmd)
		switch m := msg.(type) {
		case tea.BatchMsg:
			var wg sync.WaitGroup
			ended := atomic.Bool{}
			for _, c := range m {
				wg.Go(func() {
					if !l.runInOrder([]tea.Cmd{c}) {
						ended.Store(true)
					}
				})
			}
			wg.Wait()
			if ended.Load() {
				return false
			}
			continue
		}
		if t := reflect.TypeOf(msg); t != nil && t.Kind() == reflect.Slice && t.PkgPath() == teaPackage {
			// A sequence within the sequence.
			if !l.runInOrder(reflect.ValueOf(msg).Convert(reflect.TypeFor[[]tea.Cmd]()).Interface().([]tea.Cmd)) {
				return false
			}
			continue
		}
		select {
		case l.results <- msg:
		case <-l.done:
			return false
		}
	}
	return true
}

// carried is a panic on a goroutine the loop started, carried to the
// session's goroutine with the stack where it happened.
type carried struct {
	value any
	stack []byte
}

func (p carried) String() string { return fmt.Sprintf("%v\n%s", p.value, p.stack) }

func recovered(cmd tea.Cmd) (msg tea.Msg) {
	defer func() {
		if r := recover(); r != nil {
			msg = carried{value: r, stack: debug.Stack()}
		}
	}()
	return cmd()
}
