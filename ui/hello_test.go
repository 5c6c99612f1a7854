package ui

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/resume-ssh/resume/content"
)

// screenInLoop draws the screen inside the program's loop: the form is
// held by pointer and changes in place there.
func (d *driver) screenInLoop() string {
	var s string
	done := make(chan struct{})
	d.send(peekFn{func(m Model) { s = screenOf(m) }, done})
	<-done
	return s
}

func (d *driver) waitScreen(want string) string {
	d.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := d.screenInLoop()
		if strings.Contains(s, want) {
			return s
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("%q never came:\n%s", want, s)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitField waits until the form's focus is on the field with key: huh
// moves it with a command of its own, after the key that asks.
func (d *driver) waitField(key string) {
	d.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		focused := ""
		done := make(chan struct{})
		d.send(peekFn{func(m Model) {
			if m.hello != nil && m.hello.form != nil {
				focused = m.hello.form.GetFocusedField().GetKey()
			}
		}, done})
		<-done
		if focused == key {
			return
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("the form never focused %q:\n%s", key, d.screenInLoop())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func (d *driver) typeText(s string) {
	for _, r := range s {
		d.keys(string(r))
	}
}

// TestHelloForm: h opens the form; the answers reach the function the
// model was given only when the form is done; a failure says why and
// keeps what was typed; the thanks comes only with the note's number.
func TestHelloForm(t *testing.T) {
	var mu sync.Mutex
	var got []Note
	down := true
	save := func(n Note) (int64, error) {
		mu.Lock()
		defer mu.Unlock()
		if down {
			down = false
			return 0, errors.New("couldn't save — please try again in a minute")
		}
		got = append(got, n)
		return 7, nil
	}
	doc, err := content.Parse([]byte("---\nname: Ann Example\nemail: ann@example.com\n---\n\n# About\n\n## SRE\n#### Acme (2019 - Present)\n"))
	if err != nil {
		t.Fatal(err)
	}
	d := startDoc(t, doc, 100, 30, WithNotes(save))
	fill := func() {
		d.waitField("name")
		d.keys("ctrl+u") // what a retry keeps, typed again: the test's answers
		d.typeText("Bo Visitor")
		d.keys("enter")
		d.waitField("email")
		d.keys("ctrl+u")
		d.typeText("bo@example.com")
		d.keys("enter")
		d.waitField("message")
		d.keys("enter")
		d.waitField("contact")
		d.waitScreen("May Ann Example contact you?")
		d.keys("y")
	}
	d.keys("h")
	d.typeText("")
	fill()
	s := d.waitScreen("Not saved: couldn't save — please try again in a minute")
	if !strings.Contains(s, "Bo Visitor") {
		t.Errorf("the form lost what was typed:\n%s", s)
	}
	fill()
	d.waitScreen("thanks — saved as #7")
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0] != (Note{Name: "Bo Visitor", Email: "bo@example.com", Contact: true}) {
		t.Errorf("saved %+v", got)
	}
}

// TestNoFormWithoutNotes: with nowhere to keep notes there is no form,
// and h is not listed.
func TestNoFormWithoutNotes(t *testing.T) {
	m := drive(New(content.Default(), WithClock(clock)), 100, 30, "h")
	if help := screenOf(drive(m, 100, 30, "?")); m.page == pageHello || strings.Contains(help, "say hello") || strings.Contains(help, "hello leaves") {
		t.Error("a form with nowhere to keep its notes")
	}
}

// TestHelpNamesBothWays: with notes on, the help page offers the form (h)
// and ssh -T HOST hello.
func TestHelpNamesBothWays(t *testing.T) {
	m := New(content.Default(), WithClock(clock), WithNotes(func(Note) (int64, error) { return 1, nil }))
	help := screenOf(drive(m, 120, 40, "?"))
	if !regexp.MustCompile(`\bh +say hello`).MatchString(help) || !strings.Contains(help, "ssh -T HOST hello leaves a note") {
		t.Errorf("help:\n%s", help)
	}
}

// TestHelloFormSmallAndMouse: at 40×12 the focused field is always in
// view, and a click on a field's title focuses it.
func TestHelloFormSmallAndMouse(t *testing.T) {
	d := startDoc(t, content.Default(), 40, 12, WithNotes(func(Note) (int64, error) { return 1, nil }))
	d.keys("h")
	for _, f := range []struct{ key, title, answer string }{
		{"name", "Your name", "Bo"},
		{"email", "Your email", "bo@example.com"},
		{"message", "A message (optional)", "Hi"},
		{"contact", "May the owner contact you?", ""},
	} {
		d.waitField(f.key)
		if s := d.screenInLoop(); !strings.Contains(s, f.title) {
			t.Errorf("%s is focused and out of view at 40×12:\n%s", f.key, s)
		}
		if f.answer != "" {
			d.typeText(f.answer)
			d.keys("enter")
		}
	}
	// Click the message field's title: the focus goes back to it.
	rows := strings.Split(d.screenInLoop(), "\n")
	y := slices.IndexFunc(rows, func(r string) bool { return strings.Contains(r, "A message") })
	if y < 0 {
		t.Fatalf("no message field on screen:\n%s", strings.Join(rows, "\n"))
	}
	d.send(tea.MouseClickMsg{Button: tea.MouseLeft, X: 4, Y: y + 1})
	d.waitField("message")
	// A click on a tab leaves the form for that view.
	d.send(tea.MouseClickMsg{Button: tea.MouseLeft, X: 1, Y: 0})
	d.waitScreen("Principal Engineer")
}
