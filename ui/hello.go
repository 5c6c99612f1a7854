package ui

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// Note is what a visitor leaves with the hello form.
type Note struct {
	Name, Email, Message string
	Contact              bool // the owner may get in touch
}

// WithNotes lets visitors leave the owner a note (h). save stores one and
// returns its number once it is kept, or an error to show the visitor; it
// runs as a command, never in Update. Without it there is no form.
func WithNotes(save func(Note) (int64, error)) Option {
	return func(m *Model) { m.notes = save }
}

// hello is the "say hello" form, a component held by pointer: huh's form
// changes in place, and its answers stay when it is left and opened again
// or when saving fails.
type hello struct {
	form                 *huh.Form // nil once it is left or done with
	lines                *prompts  // reader mode's questions, in place of the form
	name, email, message string
	contact              bool
	status               string // what happened to the last try
	saved                bool
}

// savedMsg is what saving a note came to.
type savedMsg struct {
	id  int64
	err error
}

// newForm builds the form over h's answers, for a window w wide. It
// never asks huh to be accessible: huh would decide that from the
// server's own TERM, not the visitor's, and its accessible mode prompts
// on the process's standard streams.
func (h *hello) newForm(owner string, w int) {
	h.form = huh.NewForm(huh.NewGroup(
		huh.NewInput().Key("name").Title("Your name").Value(&h.name).CharLimit(100).
			Validate(func(s string) error {
				if strings.TrimSpace(s) == "" {
					return fmt.Errorf("please give a name")
				}
				return nil
			}),
		huh.NewInput().Key("email").Title("Your email").Value(&h.email).
			Validate(func(s string) error {
				if msg := emailProblem(s); msg != "" {
					return errors.New(msg)
				}
				return nil
			}),
		// An Input, not a Text: bubbles' textarea reserves 240 KB for 10,000
		// lines, twice, where a note has at most 1,000 characters.
		huh.NewInput().Key("message").Title("A message (optional)").Value(&h.message).CharLimit(1000),
		huh.NewConfirm().Key("contact").Title("May "+owner+" contact you?").Value(&h.contact),
	)).WithAccessible(false).WithShowHelp(true).WithWidth(max(20, min(w-4, 72)))
}

// openHello shows the form, making it the first time.
func (m Model) openHello() (Model, tea.Cmd) {
	if m.notes == nil {
		return m, nil
	}
	if m.hello == nil || m.hello.saved {
		m.hello = &hello{}
	}
	m.hello.newForm(firstOf(m.doc.Person.Name, "the owner"), m.width)
	m.hello.status = ""
	m.page = pageHello
	return m, m.hello.form.Init()
}

// updateHello gives msg to the form, and saves the note when it is done.
func (m Model) updateHello(msg tea.Msg) (Model, tea.Cmd) {
	h := m.hello
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "esc" {
		m.page = pageRoles // the answers stay for next time; the form
		h.form = nil       // (about 45 KB of huh) is made again then
		return m, nil
	}
	f, cmd := h.form.Update(msg)
	if form, ok := f.(*huh.Form); ok {
		h.form = form
	}
	if h.form.State != huh.StateCompleted {
		return m, cmd
	}
	n := Note{Name: h.name, Email: h.email, Message: h.message, Contact: h.contact}
	if utf8.RuneCountInString(n.Message) > 1000 {
		n.Message = string([]rune(n.Message)[:1000])
	}
	h.status = "saving…"
	save := m.notes
	return m, func() tea.Msg {
		id, err := save(n)
		return savedMsg{id, err}
	}
}

// saved shows what saving came to: the thanks, or why not, with the form
// filled in again.
func (m Model) saved(msg savedMsg) (Model, tea.Cmd) {
	h := m.hello
	if h == nil {
		return m, nil
	}
	if msg.err != nil {
		h.status = "Not saved: " + msg.err.Error()
		h.newForm(firstOf(m.doc.Person.Name, "the owner"), m.width)
		return m, h.form.Init()
	}
	h.status, h.saved, h.form = fmt.Sprintf("thanks — saved as #%d", msg.id), true, nil
	return m, nil
}

// helloLines is the form, or its outcome.
func (m Model) helloLines() []string {
	h, st := m.hello, m.styles
	out := []string{"  " + st.Title.Render("Say hello"), ""}
	if h.form != nil {
		for _, l := range strings.Split(h.form.View(), "\n") {
			out = append(out, "  "+l)
		}
	}
	if h.status != "" {
		out = append(out, "", "  "+st.Accent.Render(h.status))
	}
	return out
}

// formOpen reports whether the hello form is on screen, taking keys.
func (m Model) formOpen() bool {
	return m.page == pageHello && m.hello != nil && m.hello.form != nil && m.hello.form.State == huh.StateNormal
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
