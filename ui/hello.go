package ui

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"
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

// newForm builds the form over h's answers, to fit the window. It
// never asks huh to be accessible: huh would decide that from the
// server's own TERM, not the visitor's, and its accessible mode prompts
// on the process's standard streams.
func (m Model) newForm() {
	h := m.hello
	owner := firstOf(m.doc.Person.Name, "the owner")
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
	)).WithAccessible(false).WithShowHelp(true)
	m.fitForm()
}

// fitForm sizes the form to the window: at most 72 wide, and as high as
// the page has room for, so that huh scrolls the focused field into view.
func (m Model) fitForm() {
	h := m.hello
	room := m.bodyHeight() - 2 // the page's title and a blank line
	if h.status != "" {
		room -= 2
	}
	h.form.WithWidth(max(20, min(m.width-4, 72))).WithHeight(max(3, room))
}

// fieldIndex is where the field with key is in the form.
func fieldIndex(key string) int {
	switch key {
	case "email":
		return 1
	case "message":
		return 2
	case "contact":
		return 3
	}
	return 0
}

// clickField focuses the field whose title is at or above row y of the
// screen, as a click there asks.
func (m Model) clickField(y int) tea.Cmd {
	rows := strings.Split(ansi.Strip(m.render()), "\n")
	owner := firstOf(m.doc.Person.Name, "the owner")
	titles := [...]string{"Your name", "Your email", "A message (optional)", "May " + owner + " contact you?"}
	target := -1
	for i, title := range titles {
		for r, row := range rows {
			if r <= y && strings.Contains(row, title) {
				target = i
			}
		}
	}
	if target < 0 {
		return nil
	}
	at := fieldIndex(m.hello.form.GetFocusedField().GetKey())
	var cmds []tea.Cmd
	for ; at < target; at++ {
		cmds = append(cmds, m.hello.form.NextField())
	}
	for ; at > target; at-- {
		cmds = append(cmds, m.hello.form.PrevField())
	}
	return tea.Batch(cmds...)
}

// openHello shows the form, making it the first time.
func (m Model) openHello() (Model, tea.Cmd) {
	if m.notes == nil {
		return m, nil
	}
	if m.hello == nil || m.hello.saved {
		m.hello = &hello{}
	}
	m.hello.status = ""
	m.newForm()
	m.page = pageHello
	return m, m.hello.form.Init()
}

// updateHello gives msg to the form, and saves the note when it is done.
func (m Model) updateHello(msg tea.Msg) (Model, tea.Cmd) {
	h := m.hello
	switch msg := msg.(type) {
	case tea.MouseClickMsg:
		if msg.Button != tea.MouseLeft {
			return m, nil
		}
		if msg.Y == 0 { // a tab: the form is left for it, as with esc
			m.page, h.form = pageRoles, nil
			return m.updateMouse(msg), nil
		}
		return m, m.clickField(msg.Y)
	case tea.MouseMsg:
		return m, nil // huh has no mouse; the wheel has nothing to scroll
	case tea.WindowSizeMsg:
		m.fitForm()
		return m, nil
	}
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
		m.newForm()
		return m, h.form.Init()
	}
	h.status, h.saved, h.form = fmt.Sprintf("thanks — saved as #%d", msg.id), true, nil
	return m, nil
}

// helloLines is the form, or its outcome.
func (m Model) helloLines() []string {
	h, st := m.hello, m.styles
	out := []string{"  " + st.Title.Render("Say hello"), ""}
	if h.status != "" { // above the form, which may fill the page
		out = append(out, "  "+st.Accent.Render(h.status), "")
	}
	if h.form != nil {
		for _, l := range strings.Split(h.form.View(), "\n") {
			out = append(out, "  "+l)
		}
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
