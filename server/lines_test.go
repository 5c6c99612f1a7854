package server

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// TestReaderOverDumbTerminal is the screen-reader path: TERM=dumb over
// SSH gets real lines with no escape sequence, and j prints only the line
// that came into view, as a pager does, so that a screen reader reads out
// just what is new.
func TestReaderOverDumbTerminal(t *testing.T) {
	ts := startServer(t, Config{})
	raw := &waitBuf{}
	// At 80×25 the first page would end on a role's title with its
	// underline out of view: the title is held back for the next page.
	_, stdin, scr := ts.browseAs(t, "dumb", 80, 25, raw)
	status := "Reader mode. j/k scroll, space pages, r leaves, q quits."
	scr.waitFor(status)
	// Lines, not one run-on line: the title's underline and the first
	// paragraph are rows of their own on the screen.
	rows := map[string]bool{}
	for _, r := range strings.Split(scr.text(), "\n") {
		rows[strings.TrimSpace(r)] = true
	}
	if !rows["=================="] || !rows["Managed Web Hosting and Cloud Solutions."] {
		t.Errorf("the document is not in rows; the screen:\n%s", scr.text())
	}
	first := raw.String()
	if strings.ContainsRune(first, '\x1b') {
		t.Errorf("a dumb terminal was sent escape sequences: %q", first)
	}
	if !strings.HasPrefix(first, "What is Rackspace?\r\n") || strings.Contains(strings.ReplaceAll(first, "\r\n", ""), "\n") {
		t.Errorf("the lines do not end in CR LF: %q", first)
	}

	if strings.Contains(first, "Advisory Board Member") {
		t.Errorf("the first page ends on a title whose underline is out of view: %q", first)
	}

	// j scrolls one line: the title held back comes into view with its
	// underline, and only those are printed.
	if _, err := io.WriteString(stdin, "j"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "j prints something", func() bool { return raw.String() != first })
	added := strings.TrimPrefix(raw.String(), first)
	if want := "Advisory Board Member\r\n---------------------\r\n"; added != want {
		t.Errorf("j printed %q, want the title that came into view with its underline, %q", added, want)
	}
	scr.waitFor("Advisory Board Member")

	// k scrolls back up: the view is printed again, after a blank line.
	before := raw.String()
	if _, err := io.WriteString(stdin, "k"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "k prints the view again, after a blank line", func() bool {
		return strings.HasPrefix(strings.TrimPrefix(raw.String(), before), "\r\nWhat is Rackspace?\r\n")
	})
}

// TestHelloOverDumbTerminal: on TERM=dumb, h asks the hello questions
// line by line: each question is printed once and left open, what is
// typed is echoed character by character (backspace rubs one out), and
// the note is stored before the thanks.
func TestHelloOverDumbTerminal(t *testing.T) {
	store := openStore(t)
	ts := startServer(t, Config{Inbox: store})
	raw := &waitBuf{}
	_, stdin, _ := ts.browseAs(t, "dumb", 80, 24, raw)
	waitUntil(t, "reader mode offers hello", func() bool { return strings.Contains(raw.String(), "h says hello") })
	mark := raw.String()
	// expect sends keys and waits for exactly want to be printed after them.
	expect := func(keys, want string) {
		t.Helper()
		if _, err := io.WriteString(stdin, keys); err != nil {
			t.Fatal(err)
		}
		waitUntil(t, fmt.Sprintf("%q prints %q", keys, want), func() bool { return raw.String() == mark+want })
		mark += want
	}
	if _, err := io.WriteString(stdin, "h"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the first question", func() bool { return strings.HasSuffix(raw.String(), "\r\nYour name:") })
	mark = raw.String()
	expect("A", " A")
	expect("n", "n")
	expect("x", "x")
	expect("\x7f", "\b \b")
	expect("n\r", "n\r\nYour email:")
	expect("nope\r", " nope\r\nan address such as ann@example.com\r\nYour email:")
	expect("ann@example.com\r", " ann@example.com\r\nA message (optional):")
	expect("Hi\r", " Hi\r\nMay the owner contact you? (y/n):")
	if _, err := io.WriteString(stdin, "y\r"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the thanks", func() bool { return strings.Contains(raw.String(), "thanks — saved as #1\r\n") })
	if n := strings.Count(raw.String(), "Say hello:"); n != 1 {
		t.Errorf("the questions were printed %d times, not once: %q", n, raw.String())
	}
	mark = raw.String()
	if _, err := io.WriteString(stdin, "\x1b"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "esc goes back to the résumé", func() bool {
		return strings.Contains(strings.TrimPrefix(raw.String(), mark), "What is Rackspace?")
	})
	if strings.ContainsRune(raw.String(), '\x1b') {
		t.Errorf("escape sequences on a dumb terminal: %q", raw.String())
	}
	notes, err := store.List(context.Background(), time.Time{})
	if err != nil || len(notes) != 1 || notes[0].Name != "Ann" || notes[0].Email != "ann@example.com" || notes[0].Message != "Hi" || !notes[0].Contact {
		t.Errorf("stored: %+v %v", notes, err)
	}
}
