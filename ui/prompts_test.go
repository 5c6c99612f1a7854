package ui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/resume-ssh/resume/content"
)

// TestHelloInReaderMode: in reader mode h asks the form's questions one
// line at a time, the question waiting last with the cursor after it; a
// bad answer is said and asked again; the note is sent only at the end,
// and a failure can be tried again with enter.
func TestHelloInReaderMode(t *testing.T) {
	var got []Note
	fail := true
	save := func(n Note) (int64, error) {
		if fail {
			fail = false
			return 0, errors.New("couldn't save — please try again in a minute")
		}
		got = append(got, n)
		return 3, nil
	}
	m := drive(New(content.Default(), WithClock(clock), WithNotes(save), WithReader(true)), 80, 24)
	if s := screenOf(m); !strings.Contains(s, "h says hello") {
		t.Fatalf("reader mode does not offer hello:\n%s", s)
	}
	var cmd tea.Cmd
	step := func(msg tea.Msg) {
		t.Helper()
		next, c := m.Update(msg)
		m, cmd = next.(Model), c
	}
	typeLine := func(s string) {
		t.Helper()
		for _, r := range s {
			step(press(string(r)))
		}
		step(press("enter"))
	}
	step(press("h"))
	v := m.View()
	last := finalLine(screenOf(m))
	if last != "Your name:" || v.Cursor == nil || v.Cursor.Y != strings.Count(strings.TrimRight(ansi.Strip(v.Content), "\n "), "\n") {
		t.Fatalf("the first question: %q, cursor %+v\n%s", last, v.Cursor, screenOf(m))
	}
	typeLine("Bo Visitorx")
	typeLine("not-an-address")
	if s := screenOf(m); !strings.Contains(s, "Your email: not-an-address\nan address such as ann@example.com") || finalLine(s) != "Your email:" {
		t.Fatalf("a bad email:\n%s", s)
	}
	typeLine("bo@example.com")
	typeLine("")
	typeLine("maybe")
	if s := screenOf(m); !strings.Contains(s, "please answer y or n") {
		t.Fatalf("a bad yes/no:\n%s", s)
	}
	step(press("y"))
	step(press("e"))
	step(press("s"))
	step(press("backspace"))
	step(press("backspace"))
	if finalLine(screenOf(m)) != "May the owner contact you? (y/n): y" {
		t.Fatalf("backspace: %q", finalLine(screenOf(m)))
	}
	step(press("enter"))
	if cmd == nil || len(got) != 0 {
		t.Fatal("the note is not sent at the end")
	}
	step(cmd())
	if s := screenOf(m); !strings.Contains(s, "Not saved: couldn't save — please try again in a minute\nPress enter to try again") {
		t.Fatalf("a failed save:\n%s", s)
	}
	step(press("enter"))
	step(cmd())
	if s := screenOf(m); !strings.Contains(s, "thanks — saved as #3") {
		t.Fatalf("after saving:\n%s", s)
	}
	if len(got) != 1 || got[0] != (Note{Name: "Bo Visitorx", Email: "bo@example.com", Contact: true}) {
		t.Errorf("saved %+v", got)
	}
	if m.View().Cursor != nil {
		t.Error("a cursor after the last question")
	}
	step(press("esc"))
	if s := screenOf(m); !strings.Contains(s, "Reader mode.") {
		t.Errorf("esc does not go back to reader mode:\n%s", s)
	}
}

func finalLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n "), "\n")
	return strings.TrimRight(lines[len(lines)-1], " ")
}
