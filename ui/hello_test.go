package ui

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
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

// waitField waits until the form asks the question with key.
func (d *driver) waitField(key string) {
	d.t.Helper()
	want := map[string]int{"name": questionName, "email": questionEmail, "message": questionMessage, "contact": questionContact}[key]
	deadline := time.Now().Add(10 * time.Second)
	for {
		asked := false
		done := make(chan struct{})
		d.send(peekFn{func(m Model) { asked = m.hello != nil && m.hello.asking && m.hello.step == want }, done})
		<-done
		if asked {
			return
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("the form never asked %q:\n%s", key, d.screenInLoop())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func (d *driver) typeText(s string) {
	for _, r := range s {
		d.keys(string(r))
	}
}

// TestHelloForm: h asks the questions one at a time, each answer shown
// above the next; the answers reach the function the model was given only
// after the last; a failure says why and keeps what was typed, and enter
// tries again; the thanks comes only with the note's number.
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
	d.keys("h")
	d.waitField("name")
	d.typeText("Bo Visitor")
	d.keys("enter")
	d.waitField("email")
	if s := d.screenInLoop(); !strings.Contains(s, "✓ Your name  Bo Visitor") || !strings.Contains(s, "Your email\n  > ") {
		t.Errorf("the answered question is not shown as answered:\n%s", s)
	}
	d.typeText("bo@example.com")
	d.keys("enter")
	d.waitField("message")
	d.keys("enter")
	d.waitField("contact")
	d.waitScreen("May Ann Example contact you?")
	mu.Lock()
	if len(got) != 0 || !down {
		t.Error("saved before the last answer")
	}
	mu.Unlock()
	d.keys("y")
	s := d.waitScreen("Not saved: couldn't save — please try again in a minute")
	if !strings.Contains(s, "✓ Your name  Bo Visitor") || !strings.Contains(s, "✓ Your email  bo@example.com") {
		t.Errorf("the form lost what was typed:\n%s", s)
	}
	d.waitField("contact")
	d.keys("enter")
	d.waitScreen("thanks — saved as #7")
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0] != (Note{Name: "Bo Visitor", Email: "bo@example.com", Contact: true}) {
		t.Errorf("saved %+v", got)
	}
}

// TestHelloGoesBack: shift+tab asks the question before again, with its
// answer; and an answer spoilt on the way back is asked again before the
// note can be sent.
func TestHelloGoesBack(t *testing.T) {
	var mu sync.Mutex
	var got []Note
	d := startDoc(t, content.Default(), 100, 30, WithNotes(func(n Note) (int64, error) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, n)
		return 1, nil
	}))
	d.keys("h")
	d.waitField("name")
	d.typeText("Bo")
	d.keys("tab") // as enter
	d.waitField("email")
	d.typeText("bo@example.com")
	d.keys("enter")
	d.waitField("message")
	d.keys("shift+tab")
	d.waitField("email")
	d.waitScreen("> bo@example.com")
	d.keys("ctrl+u", "shift+tab") // the email is emptied on the way back
	d.waitField("name")
	d.keys("enter")
	d.waitField("email") // not the message: the email is wrong now
	d.typeText("bo@example.org")
	d.keys("enter", "enter")
	d.waitField("contact")
	d.keys("n")
	d.waitScreen("thanks — saved as #1")
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0] != (Note{Name: "Bo", Email: "bo@example.org"}) {
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

// TestHelloFormSmallAndMouse: at 40×12 the question on screen is whole,
// with what is wrong with its answer, and with the answers above it while
// they fit; a click on an answer asks its
// question again, and a click on a tab leaves the form.
func TestHelloFormSmallAndMouse(t *testing.T) {
	d := startDoc(t, content.Default(), 40, 12, WithNotes(func(Note) (int64, error) { return 1, nil }))
	d.keys("h")
	d.waitField("name")
	d.keys("enter") // no name: the reason is on screen, under the question
	d.waitScreen("please give a name")
	for _, f := range []struct{ key, whole, answer string }{
		{"name", "Your name\n  > ", "Bo"},
		{"email", "Your email\n  > ", "bo@example.com"},
		{"message", "A message (optional)\n  > ", "Hi"},
		{"contact", "May the owner contact you? (y/n)\n  > ", ""},
	} {
		d.waitField(f.key)
		s := d.screenInLoop()
		if !strings.Contains(s, f.whole) {
			t.Errorf("%s is asked and not whole at 40×12:\n%s", f.key, s)
		}
		if f.answer != "" {
			d.typeText(f.answer)
			d.keys("enter")
		}
	}
	// Click the message's answer: its question is asked again.
	rows := strings.Split(d.screenInLoop(), "\n")
	y := slices.IndexFunc(rows, func(r string) bool { return strings.Contains(r, "✓ A message") })
	if y < 0 {
		t.Fatalf("no answer to the message on screen:\n%s", strings.Join(rows, "\n"))
	}
	d.send(tea.MouseClickMsg{Button: tea.MouseLeft, X: 4, Y: y})
	d.waitField("message")
	d.waitScreen("> Hi")
	// A click on a tab leaves the form for that view.
	d.send(tea.MouseClickMsg{Button: tea.MouseLeft, X: 1, Y: 0})
	d.waitScreen("Principal Engineer")
}

// TestHelloFormsSideBySide: visitors fill their forms at the same time,
// which share one key map for typing; under -race a write to it anywhere fails
// this test. Each note reaches the function its own model was given.
func TestHelloFormsSideBySide(t *testing.T) {
	t.Parallel()
	for i := range 4 {
		t.Run(fmt.Sprint("visitor ", i), func(t *testing.T) {
			t.Parallel()
			var got []Note
			var mu sync.Mutex
			d := startDoc(t, content.Default(), 60, 20, WithNotes(func(n Note) (int64, error) {
				mu.Lock()
				defer mu.Unlock()
				got = append(got, n)
				return int64(i), nil
			}))
			name := fmt.Sprint("Visitor ", i)
			d.keys("h")
			d.waitField("name")
			d.typeText(name)
			d.keys("enter")
			d.waitField("email")
			d.typeText("v@example.com")
			d.keys("enter")
			d.waitField("message")
			d.keys("enter")
			d.waitField("contact")
			d.keys("y")
			d.waitScreen(fmt.Sprintf("thanks — saved as #%d", i))
			mu.Lock()
			defer mu.Unlock()
			if len(got) != 1 || got[0].Name != name {
				t.Errorf("saved %+v", got)
			}
		})
	}
}

// TestHelloFormIsLetGo: esc lets the form's field go, and
// keeps the answers; h comes back to the question the visitor left.
func TestHelloFormIsLetGo(t *testing.T) {
	d := startDoc(t, content.Default(), 80, 24, WithNotes(func(Note) (int64, error) { return 1, nil }))
	held := func() (held bool) {
		done := make(chan struct{})
		d.send(peekFn{func(m Model) { held = m.hello.asking || m.hello.input.Value() != "" || m.hello.input.Focused() }, done})
		<-done
		return held
	}
	d.keys("h")
	d.waitField("name")
	d.typeText("Bo")
	d.keys("enter")
	d.waitField("email")
	d.typeText("bo@")
	d.keys("esc")
	d.waitScreen("Principal Engineer")
	if held() {
		t.Error("the form is held after esc")
	}
	d.keys("h")
	d.waitField("email")
	d.waitScreen("> bo@")
	d.waitScreen("✓ Your name  Bo")
	d.typeText("example.com")
	d.keys("enter", "enter")
	d.waitField("contact")
	d.keys("y")
	d.waitScreen("thanks — saved as #1")
	if held() {
		t.Error("the form is held after the thanks")
	}
}

// TestConsentIsAskedAndShown: "May the owner contact you?" needs a y or
// an n: enter alone is refused, not taken for "no", and the answer shows
// as a letter on a screen without colour, as NO_COLOR gives.
func TestConsentIsAskedAndShown(t *testing.T) {
	var mu sync.Mutex
	var got []Note
	fail := true
	save := func(n Note) (int64, error) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, n)
		if fail {
			return 0, errors.New("the inbox is full")
		}
		return 3, nil
	}
	d := startDoc(t, content.Default(), 100, 30, WithNotes(save))
	d.keys("h")
	d.waitField("name")
	d.typeText("Bo")
	d.keys("enter")
	d.waitField("email")
	d.typeText("bo@example.com")
	d.keys("enter")
	d.waitField("message")
	d.keys("enter")
	d.waitField("contact")
	d.keys("enter") // no answer yet
	d.waitScreen("please answer y or n")
	mu.Lock()
	if len(got) != 0 {
		t.Errorf("an unanswered consent was saved: %+v", got)
	}
	mu.Unlock()
	d.keys("n")
	s := d.waitScreen("Not saved: the inbox is full")
	// The question is asked again with the answer given, as text.
	if !strings.Contains(s, "(y/n)\n  > n") {
		t.Errorf("the answer is not shown without colour:\n%s", s)
	}
	mu.Lock()
	if len(got) != 1 || got[0].Contact {
		t.Errorf("n was not taken for no: %+v", got)
	}
	fail = false
	mu.Unlock()
	d.keys("y")
	d.waitScreen("thanks — saved as #3")
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || !got[1].Contact || got[1].Email != "bo@example.com" {
		t.Errorf("y was not taken for yes: %+v", got)
	}
}

// TestFormKeysAreTheKeyMaps: the hello form's own keys are matched
// through the KeyMap: replaced there, the old key does nothing.
func TestFormKeysAreTheKeyMaps(t *testing.T) {
	k := DefaultKeyMap()
	k.FormBack = key.NewBinding(key.WithKeys("ctrl+b"), key.WithHelp("ctrl+b", "note: back"))
	d := startDoc(t, content.Default(), 100, 30, WithKeyMap(k), WithNotes(func(Note) (int64, error) { return 1, nil }))
	d.keys("h")
	d.waitField("name")
	d.typeText("Bo")
	d.keys("tab") // FormNext
	d.waitField("email")
	d.keys("shift+tab") // no longer back
	d.waitField("email")
	if m := d.model(); m.hello.step != questionEmail {
		t.Fatalf("shift+tab went back, though the KeyMap says ctrl+b: step %d", m.hello.step)
	}
	d.keys("ctrl+b")
	d.waitField("name")
}

// TestHelloFormIsAValue: the form is a value, like the rest of the model:
// keys given to one copy of a model leave another's form as it was.
func TestHelloFormIsAValue(t *testing.T) {
	m := drive(New(content.Default(), WithClock(clock), WithNotes(func(Note) (int64, error) { return 1, nil })), 80, 24, "h", "B", "o")
	before := screenOf(m)
	other := drive(m, 80, 24, "b", "enter", "x")
	if screenOf(m) != before {
		t.Errorf("keys given to a copy changed the form:\n%s\nbecame\n%s", before, screenOf(m))
	}
	if screenOf(other) == before {
		t.Error("the copy did not change")
	}
}

// TestHelloFormFollowsTheWindow: a resize fits the field to the new
// width, so that the end of a long answer, where the cursor is, stays in
// view.
func TestHelloFormFollowsTheWindow(t *testing.T) {
	name := strings.Repeat("Bo ", 15) + "Visitor"
	keys := []string{"h"}
	for _, r := range name {
		keys = append(keys, string(r))
	}
	m := drive(New(content.Default(), WithClock(clock), WithNotes(func(Note) (int64, error) { return 1, nil })), 100, 30, keys...)
	m = drive(m, 40, 12)
	rows := strings.Split(screenOf(m), "\n")
	i := slices.IndexFunc(rows, func(r string) bool { return strings.HasPrefix(r, "  > ") })
	if i < 0 || !strings.Contains(rows[i], "Visitor") || strings.Contains(rows[i], "…") {
		t.Errorf("at 40 columns the field does not show the end of the answer:\n%s", strings.Join(rows, "\n"))
	}
}
