package server

import (
	"io"
	"strings"
	"testing"
)

// TestReaderOverDumbTerminal is the screen-reader path: TERM=dumb over
// SSH gets real lines with no escape sequence, and j prints only the line
// that came into view, as a pager does, so that a screen reader reads out
// just what is new.
func TestReaderOverDumbTerminal(t *testing.T) {
	ts := startServer(t, Config{})
	raw := &waitBuf{}
	_, stdin, scr := ts.browseAs(t, "dumb", 80, 24, raw)
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

	// j scrolls one line: only that line is printed.
	if _, err := io.WriteString(stdin, "j"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "j prints something", func() bool { return raw.String() != first })
	added := strings.TrimPrefix(raw.String(), first)
	if strings.Count(added, "\r\n") != 1 || !strings.HasSuffix(added, "\r\n") || strings.ContainsRune(added, '\x1b') {
		t.Errorf("j printed %q, want the one line that came into view", added)
	}
	scr.waitFor(strings.TrimSuffix(added, "\r\n"))

	// k scrolls back up: the view is printed again, after a blank line.
	before := raw.String()
	if _, err := io.WriteString(stdin, "k"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "k prints the view again, after a blank line", func() bool {
		return strings.HasPrefix(strings.TrimPrefix(raw.String(), before), "\r\nWhat is Rackspace?\r\n")
	})
}
