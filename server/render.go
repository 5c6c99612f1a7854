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
	mouse         tea.MouseMode
	buf           bytes.Buffer
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

// draw writes v, as little of it as has changed.
func (f *frameWriter) draw(v tea.View) error {
	b := &f.buf
	if !f.started {
		f.started = true
		b.WriteString(ansi.SetModeAltScreenSaveCursor + ansi.HideCursor + ansi.EraseEntireScreen)
		// Ask for the background colour with the first frame: the model's
		// own request (from Init) is a Bubble Tea command the loop cannot
		// send, and a light terminal should get its palette at once.
		b.WriteString(ansi.RequestBackgroundColor)
		if v.WindowTitle != "" {
			b.WriteString(ansi.SetWindowTitle(v.WindowTitle))
		}
	}
	if v.MouseMode != f.mouse {
		b.WriteString(mouseMode(f.mouse, false) + mouseMode(v.MouseMode, true))
		f.mouse = v.MouseMode
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
		b.WriteString(ansi.ResetStyle + ansi.EraseLineRight)
	}
	f.prev = lines
	if b.Len() == 0 {
		return nil
	}
	_, err := f.out.Write(b.Bytes())
	b.Reset()
	return err
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
	s := mouseMode(f.mouse, false) + ansi.ResetStyle + ansi.ShowCursor + ansi.ResetModeAltScreenSaveCursor
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
