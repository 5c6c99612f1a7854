package server

import (
	"bytes"
	"io"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// screenWriter puts a browser's views on a visitor's terminal.
type screenWriter interface {
	draw(v tea.View) error
	raw(seqs []string) error // a clipboard write, a query
	repaint()                // the next draw writes everything
	resize(w, h int)
	size() (w, h int)
	close() error
}

// lineWriter draws views for a terminal that can only print lines:
// TERM=dumb, which is what screen readers and simple consoles ask for.
// A frameWriter's cursor movements mean nothing there, and with the
// colours stripped what is left is one run-on line. A lineWriter writes no
// escape sequence at all: each view is plain lines ending in CR LF (the
// visitor's terminal is in raw mode, so a bare LF would not return the
// carriage), and a redraw prints only what a person, or a screen reader
// reading new output aloud, has not yet been given:
//
//   - when the view scrolled down, only the lines that came into view,
//     as a pager does;
//   - when nothing changed but the lines at the bottom (a status line),
//     nothing, since it was read out the first time;
//   - otherwise (scrolling up, another page) the whole view again, after
//     a blank line.
type lineWriter struct {
	out           io.Writer
	prev          []string
	buf           bytes.Buffer
	width, height int
}

func (w *lineWriter) draw(v tea.View) error {
	lines := plainLines(v.Content)
	b := &w.buf
	if w.prev == nil {
		writeLines(b, lines)
	} else {
		// The lines both views end with (a status line) stay as printed.
		foot := 0
		for foot < min(len(w.prev), len(lines))-1 && w.prev[len(w.prev)-1-foot] == lines[len(lines)-1-foot] {
			foot++
		}
		was, now := w.prev[:len(w.prev)-foot], lines[:len(lines)-foot]
		if k := scrolled(was, now); k >= 0 {
			writeLines(b, now[len(now)-k:])
		} else {
			b.WriteString("\r\n")
			writeLines(b, lines)
		}
	}
	w.prev = lines
	if b.Len() == 0 {
		return nil
	}
	_, err := w.out.Write(b.Bytes())
	b.Reset()
	return err //nolint:wrapcheck // as if written directly
}

// scrolled is how many lines now has scrolled down from was (0 when the
// two are equal), or -1 when now is not was scrolled down.
func scrolled(was, now []string) int {
	if len(was) != len(now) {
		return -1
	}
	for k := range len(was) {
		if slices.Equal(was[k:], now[:len(now)-k]) {
			return k
		}
	}
	return -1
}

// resize makes the next view print in full.
func (w *lineWriter) resize(width, height int) { w.prev, w.width, w.height = nil, width, height }

func (w *lineWriter) size() (int, int) { return w.width, w.height }

// repaint makes the next view print in full.
func (w *lineWriter) repaint() { w.prev = nil }

// raw writes nothing: a terminal that only prints lines would print the
// sequences as text.
func (w *lineWriter) raw([]string) error { return nil }

// close has nothing to restore: a lineWriter changes no terminal mode.
func (w *lineWriter) close() error { return nil }

// plainLines is a view as plain lines: no escape sequences, no trailing
// blanks, and runs of empty lines (a screen padded to its height) kept to
// one, which a screen reader would otherwise read out one by one.
func plainLines(content string) []string {
	var out []string
	for l := range strings.SplitSeq(ansi.Strip(content), "\n") {
		l = strings.TrimRight(l, " ")
		if l == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, l)
	}
	return out
}

func writeLines(b *bytes.Buffer, lines []string) {
	for _, l := range lines {
		b.WriteString(l)
		b.WriteString("\r\n")
	}
}
