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
//     as a pager does (a view that holds back a heading until its
//     underline fits is still the same view scrolled);
//   - when nothing changed but the lines at the bottom (a status line),
//     nothing, since it was read out the first time;
//   - otherwise (scrolling up, another page) the whole view again, after
//     a blank line.
//
// A view with a cursor is a question waiting for an answer (the hello
// form in reader mode): its last line is left open, and what is typed is
// echoed as a terminal would, new characters printed and a deleted one
// rubbed out with backspace, space, backspace; lines added below it are
// printed alone.
type lineWriter struct {
	out           io.Writer
	prev          []string
	open          bool // the last line printed is a question, waiting: no CR LF yet
	buf           bytes.Buffer
	width, height int
}

func (w *lineWriter) draw(v tea.View) error {
	lines := plainLines(v.Content)
	asking := v.Cursor != nil
	for asking && len(lines) > 1 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1] // the screen's padding: the question is last
	}
	b := &w.buf
	open := asking
	switch {
	case w.prev == nil:
		writeLines(b, lines, asking)
	case grew(b, w.prev, lines, w.open, asking):
	default:
		if w.open {
			b.WriteString("\r\n")
		}
		// The lines both views end with (a status line) stay as printed.
		foot := 0
		for foot < min(len(w.prev), len(lines))-1 && w.prev[len(w.prev)-1-foot] == lines[len(lines)-1-foot] {
			foot++
		}
		if added, ok := scrolled(w.prev[:len(w.prev)-foot], lines[:len(lines)-foot]); ok {
			open = asking && foot == 0 && len(added) > 0
			writeLines(b, added, open)
		} else {
			b.WriteString("\r\n")
			writeLines(b, lines, asking)
		}
	}
	w.prev, w.open = lines, open
	if b.Len() == 0 {
		return nil
	}
	_, err := w.out.Write(b.Bytes())
	b.Reset()
	return err //nolint:wrapcheck // as if written directly
}

// scrolled reports whether now is was scrolled down (or the same), and
// the lines that came into view. Blank lines at the ends of the two are
// padding and do not count, and the two may differ in length by a line or
// two: a view holds back a heading whose underline is not yet in view.
func scrolled(was, now []string) (added []string, ok bool) {
	printed := len(was)
	was, now = trimBlank(was), trimBlank(now)
	printed -= len(was) // blank lines printed after was's last
	if len(was) == 0 || len(now) == 0 || max(len(was)-len(now), len(now)-len(was)) > 2 {
		return nil, false
	}
	for k := range len(was) {
		n := min(len(was)-k, len(now))
		if slices.Equal(was[k:k+n], now[:n]) {
			added = now[n:]
			for ; printed > 0 && len(added) > 0 && added[0] == ""; printed-- {
				added = added[1:]
			}
			return added, true
		}
	}
	return nil, false
}

// trimBlank is lines without the blank lines at their end.
func trimBlank(lines []string) []string {
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
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

// writeLines prints lines, each ending in CR LF but the last when it is
// left open.
func writeLines(b *bytes.Buffer, lines []string, open bool) {
	for i, l := range lines {
		b.WriteString(l)
		if !open || i < len(lines)-1 {
			b.WriteString("\r\n")
		}
	}
}

// grew prints the change from was to now when now is was with lines added
// at the end, or, when was's last line was left open (wasOpen), what
// typing there makes: characters added to it or taken off its end, then
// any lines added after it. It reports whether it was such a change.
func grew(b *bytes.Buffer, was, now []string, wasOpen, open bool) bool {
	n := len(was)
	if n == 0 || len(now) < n || !slices.Equal(was[:n-1], now[:n-1]) {
		return false
	}
	line, typed := was[n-1], now[n-1]
	switch {
	case !wasOpen:
		if typed != line || len(now) == n {
			return false
		}
		writeLines(b, now[n:], open)
		return true
	case strings.HasPrefix(typed, line):
		b.WriteString(typed[len(line):])
	case len(now) == n && strings.HasPrefix(line, typed):
		b.WriteString(strings.Repeat("\b \b", ansi.StringWidth(line[len(typed):])))
	default:
		return false
	}
	if len(now) > n {
		b.WriteString("\r\n")
		writeLines(b, now[n:], open)
	} else if !open {
		b.WriteString("\r\n")
	}
	return true
}
