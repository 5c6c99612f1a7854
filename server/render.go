package server

import (
	"bytes"
	"io"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Bubble Tea's own renderer keeps two screen buffers of cells per session,
// and draws only on a 60 fps ticker that runs even while nothing changes:
// at hundreds of sessions that is most of the server's memory, a frame of
// delay on every key and CPU spent on idle visitors. A browser session
// instead draws through a frameWriter as soon as its loop (loop.go) has
// updated the model: lines that changed are rewritten, and nothing is held
// but the last frame's lines.

// frameWriter draws views to a terminal in the alternate screen,
// rewriting only the lines that changed since the last frame.
type frameWriter struct {
	out           io.Writer
	prev          []string
	width, height int
	started       bool
	buf           bytes.Buffer

	// The terminal modes the last view asked for, so that a frame
	// writes only what changed and close undoes what was set.
	mouse    tea.MouseMode
	title    string
	focus    bool
	noPaste  bool
	keyboard tea.KeyboardEnhancements
	cursor   bool // shown
}

func newFrameWriter(out io.Writer, width, height int) *frameWriter {
	return &frameWriter{out: out, width: width, height: height}
}

// resize makes the next frame a full repaint at the new size.
func (f *frameWriter) resize(w, h int) {
	if w == f.width && h == f.height {
		return
	}
	f.width, f.height = w, h
	f.prev = nil
	if f.started {
		f.buf.WriteString(ansi.EraseEntireScreen)
	}
}

func (f *frameWriter) size() (int, int) { return f.width, f.height }

// raw writes seqs (a clipboard write, a query) to the terminal as they are.
func (f *frameWriter) raw(seqs []string) error {
	for _, seq := range seqs {
		f.buf.WriteString(seq)
	}
	return f.flush()
}

// repaint makes the next frame a full repaint.
func (f *frameWriter) repaint() {
	f.prev = nil
	if f.started {
		f.buf.WriteString(ansi.EraseEntireScreen)
	}
}

// draw writes v, as little of it as has changed, and sets the terminal
// modes it asks for as a tea.Program does: the mouse, the window title,
// focus reports, bracketed paste, keyboard enhancements and the cursor.
func (f *frameWriter) draw(v tea.View) error {
	b := &f.buf
	if !f.started {
		f.started = true
		b.WriteString(ansi.SetModeAltScreenSaveCursor + ansi.HideCursor + ansi.EraseEntireScreen)
		b.WriteString(ansi.SetModifyOtherKeys2 + ansi.PushKittyKeyboard(kittyFlags(v.KeyboardEnhancements)))
		f.keyboard = v.KeyboardEnhancements
		f.noPaste = !v.DisableBracketedPasteMode // so that the mode is set below
	}
	if v.MouseMode != f.mouse {
		b.WriteString(mouseMode(f.mouse, false) + mouseMode(v.MouseMode, true))
		f.mouse = v.MouseMode
	}
	if v.WindowTitle != f.title {
		b.WriteString(ansi.SetWindowTitle(v.WindowTitle))
		f.title = v.WindowTitle
	}
	if v.ReportFocus != f.focus {
		b.WriteString(map[bool]string{true: ansi.SetModeFocusEvent, false: ansi.ResetModeFocusEvent}[v.ReportFocus])
		f.focus = v.ReportFocus
	}
	if v.DisableBracketedPasteMode != f.noPaste {
		b.WriteString(map[bool]string{false: ansi.SetModeBracketedPaste, true: ansi.ResetModeBracketedPaste}[v.DisableBracketedPasteMode])
		f.noPaste = v.DisableBracketedPasteMode
	}
	if v.KeyboardEnhancements != f.keyboard {
		b.WriteString(ansi.KittyKeyboard(kittyFlags(v.KeyboardEnhancements), 1))
		f.keyboard = v.KeyboardEnhancements
	}
	lines := strings.Split(v.Content, "\n")
	if len(lines) > f.height {
		lines = lines[:f.height]
	}
	n := max(len(lines), len(f.prev))
	for i := range n {
		line := ""
		if i < len(lines) {
			line = lines[i]
		}
		col := 0
		if i < len(f.prev) {
			if f.prev[i] == line {
				continue
			}
			// Keep what the two lines share up to a style reset: moving
			// the selection in the wide layout changes the detail pane, not
			// the list beside it.
			cut := sharedPrefix(f.prev[i], line)
			col = ansi.StringWidth(line[:cut])
			line = line[cut:]
		}
		b.WriteString(ansi.CursorPosition(col+1, i+1))
		b.WriteString(line)
		b.WriteString(ansi.ResetStyle)
		// Erase what the line does not cover. A line that fills the
		// width has covered everything, and leaves the cursor waiting to
		// wrap on the last cell, which an erase would clear.
		if col+ansi.StringWidth(line) < f.width {
			b.WriteString(ansi.EraseLineRight)
		}
	}
	f.prev = lines
	switch c := v.Cursor; {
	case c != nil:
		// Where the model wants it, after the lines moved it.
		b.WriteString(ansi.CursorPosition(c.X+1, c.Y+1) + ansi.SetCursorStyle(cursorStyle(c)))
		if !f.cursor {
			b.WriteString(ansi.ShowCursor)
			f.cursor = true
		}
	case f.cursor:
		b.WriteString(ansi.HideCursor)
		f.cursor = false
	}
	return f.flush()
}

func (f *frameWriter) flush() error {
	if f.buf.Len() == 0 {
		return nil
	}
	_, err := f.out.Write(f.buf.Bytes())
	f.buf.Reset()
	if f.buf.Cap() > keptFrameBuffer {
		// A first frame or a repaint grows the buffer to a whole screen,
		// which an idle session would hold for hours; a key's frame is a
		// few hundred bytes. Measured with 500 sessions: 4.8 KB each.
		f.buf = bytes.Buffer{}
	}
	return err //nolint:wrapcheck // as if written directly
}

// keptFrameBuffer is the most a frame writer keeps between frames.
const keptFrameBuffer = 1 << 10

// kittyFlags are the Kitty keyboard protocol's flags for ke, as a
// tea.Program sets them: key disambiguation always.
func kittyFlags(ke tea.KeyboardEnhancements) int {
	flags := ansi.KittyDisambiguateEscapeCodes
	if ke.ReportEventTypes {
		flags |= ansi.KittyReportEventTypes
	}
	if ke.ReportAlternateKeys {
		flags |= ansi.KittyReportAlternateKeys
	}
	if ke.ReportAllKeysAsEscapeCodes {
		flags |= ansi.KittyReportAllKeysAsEscapeCodes
	}
	if ke.ReportAssociatedText {
		flags |= ansi.KittyReportAssociatedKeys
	}
	return flags
}

// cursorStyle is DECSCUSR's number for c's shape and blink.
func cursorStyle(c *tea.Cursor) int {
	style := 2*int(c.Shape) + 1 // block 1, underline 3, bar 5: blinking
	if !c.Blink {
		style++
	}
	return style
}

// sharedPrefix is the length of the longest common prefix of a and b that
// ends just after a style reset (or at 0): at such a point no style is
// active, so the rest of b can be written from there on its own.
func sharedPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	for _, reset := range []string{"\x1b[m", "\x1b[0m"} {
		if i := strings.LastIndex(b[:n], reset); i >= 0 {
			return i + len(reset)
		}
	}
	return 0
}

// close gives the visitor their terminal back as it was.
func (f *frameWriter) close() error {
	if !f.started {
		return nil
	}
	f.started = false
	s := mouseMode(f.mouse, false) + ansi.ResetModifyOtherKeys + ansi.PopKittyKeyboard(1) + ansi.ResetModeBracketedPaste
	if f.focus {
		s += ansi.ResetModeFocusEvent
	}
	s += ansi.ResetStyle + ansi.SetCursorStyle(0) + ansi.ShowCursor + ansi.ResetModeAltScreenSaveCursor
	_, err := io.WriteString(f.out, s)
	return err
}

func mouseMode(m tea.MouseMode, on bool) string {
	var modes []ansi.Mode
	switch m {
	case tea.MouseModeCellMotion:
		modes = []ansi.Mode{ansi.ModeMouseButtonEvent, ansi.ModeMouseExtSgr}
	case tea.MouseModeAllMotion:
		modes = []ansi.Mode{ansi.ModeMouseAnyEvent, ansi.ModeMouseExtSgr}
	default:
		return ""
	}
	if on {
		return ansi.SetMode(modes...)
	}
	return ansi.ResetMode(modes...)
}
