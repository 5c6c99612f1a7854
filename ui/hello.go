package ui

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/resume-ssh/resume/ui/note"
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
//
// It asks one question at a time, each with a huh form of its own, and
// shows the answers given so far as lines above and below it. A huh form
// with all four fields holds about 48 KB while it is open, most of it
// styles that huh keeps by value in each field; one field at a time keeps
// the cost of an open form under 20 KB a session.
type hello struct {
	form                 *huh.Form  // the question on screen; nil once left or done with
	group                *huh.Group // form's only group, for its footer
	lines                *prompts   // reader mode's questions, in place of the form
	step                 int        // the question asked: one of the question* constants
	name, email, message string
	consent              string             // the answer to may the owner get in touch: y or n
	contact              bool               // consent, read
	answered             [numQuestions]bool // a question was answered with enter
	fitError             bool               // the form was last sized with an error under it
	status               string             // what happened to the last try
	saved                bool
}

// The form's questions, in the order they are asked: indexes into
// questions.
const (
	questionName = iota
	questionEmail
	questionMessage
	questionContact
	numQuestions
)

// formKeys is huh's default key map, built once and shared by every
// form: huh only reads a form's map, and copies each field's part of it.
var formKeys = sync.OnceValue(huh.NewDefaultKeyMap)

// questions are the form's questions, with the owner's name in them.
func (m Model) questions() []note.Question { return note.Questions(m.doc.Person.Name) }

// validator is huh's form of question q's check; it changes nothing.
func validator(q note.Question) func(string) error {
	return func(s string) error {
		if msg := note.Check(q.Field, s); msg != "" {
			return errors.New(msg)
		}
		return nil
	}
}

// set keeps an answer to field f that note.Check has passed.
func (h *hello) set(f note.Field, answer string) {
	n := h.note()
	n.Set(f, answer)
	h.name, h.email, h.message, h.contact = n.Name, n.Email, n.Message, n.Contact
	if f == note.Contact {
		h.consent = n.Answer(note.Contact)
	}
}

// note is the answers as a note.
func (h *hello) note() note.Note {
	return note.Note{Name: h.name, Email: h.email, Message: h.message, Contact: h.contact}
}

// answer is what the visitor gave for question q, as it is shown.
func (h *hello) answer(q int) string {
	switch q {
	case questionName:
		return h.name
	case questionEmail:
		return h.email
	case questionMessage:
		return cmp.Or(h.message, "—")
	}
	if h.contact {
		return "Yes"
	}
	return "No"
}

// savedMsg is what saving a note came to.
type savedMsg struct {
	id  int64
	err error
}

// newForm builds the form for the question h.step over h's answers, to
// fit the window. It never asks huh to be accessible: huh would decide
// that from the server's own TERM, not the visitor's, and its accessible
// mode prompts on the process's standard streams.
func (m Model) newForm() {
	h := m.hello
	var field huh.Field
	switch q := m.questions()[h.step]; h.step {
	case questionName:
		field = huh.NewInput().Key("name").Title(q.Title).Value(&h.name).CharLimit(q.Limit).Validate(validator(q))
	case questionEmail:
		field = huh.NewInput().Key("email").Title(q.Title).Value(&h.email).CharLimit(q.Limit).Validate(validator(q))
	case questionMessage:
		// An Input, not a Text: bubbles' textarea reserves 240 KB for 10,000
		// lines, twice, where a note has at most 1,000 characters.
		field = huh.NewInput().Key("message").Title(q.Title).Value(&h.message).CharLimit(q.Limit)
	default:
		// Typed, not a choice of two buttons: huh's Yes/No look the same
		// without colour, and its default let an enter store "no" unasked.
		// The answer must be y or n, and it shows as a letter.
		field = huh.NewInput().Key("contact").Title(q.Title + q.Hint).Value(&h.consent).CharLimit(q.Limit).Validate(validator(q))
	}
	h.group = huh.NewGroup(field)
	h.form = huh.NewForm(h.group).WithKeyMap(formKeys()).WithAccessible(false).WithShowHelp(false)
	m.fitForm()
}

// fitForm sizes the form to the window: at most 72 wide, and as high as
// the question and what is wrong with its answer, so that the reason is
// right under it; less when the page has no room for that.
func (m Model) fitForm() {
	h := m.hello
	h.form.WithWidth(m.formWidth()) // first: the reason wraps to it
	rows, room := m.questionRows(), m.formRoom(m.answerRows())
	footer := 0
	if s := h.group.Footer(); s != "" { // with huh's help off, the reason
		footer = lipgloss.Height(s)
		room-- // huh draws a blank line above its footer that it does not count
	}
	h.fitError = footer > 0
	h.form.WithHeight(max(footer+1, min(rows+footer, room)))
}

func (m Model) formWidth() int { return max(20, min(m.width-4, 72)) }

// formRoom is the height left for the form when rows lines of answers
// are shown with it.
func (m Model) formRoom(rows int) int {
	room := m.bodyHeight() - 2 - rows // the page's title and a blank line
	if m.hello.status != "" {
		room -= 2
	}
	return room
}

// answerRows is how many lines the answers to the other questions take:
// each answered one, and a blank line under those above the question;
// none when the window has no room for them and the question too.
func (m Model) answerRows() int {
	h, n := m.hello, 0
	for q := range numQuestions {
		if q != h.step && h.answered[q] {
			n++
		}
	}
	if slices.Contains(h.answered[:h.step], true) {
		n++
	}
	if m.formRoom(n) < m.formNeed() {
		return 0
	}
	return n
}

// questionRows is the height of the question on screen: an input's
// title and its line, or the confirmation's title, a blank line and its
// buttons.
func (m Model) questionRows() int { return 2 }

// formNeed is the height kept for the form: the question, and under an
// input a blank line and the reason its answer is wrong, so that the
// answers around it stay put when a reason comes and goes.
func (m Model) formNeed() int {
	if m.hello.step == questionContact {
		return m.questionRows() // its reason is one short line, seldom shown: answers first
	}
	return m.questionRows() + 2
}

// release lets the form go, keeping the answers: it is made again when
// the visitor comes back.
func (h *hello) release() { h.form, h.group = nil, nil }

// ask puts question q on screen, keeping every answer.
func (m Model) ask(q int) tea.Cmd {
	m.hello.step = q
	m.newForm()
	return m.hello.form.Init()
}

// clickAnswer goes back to the question whose answer is on row y of the
// screen, as a click there asks.
func (m Model) clickAnswer(y int) tea.Cmd {
	_, asks := m.helloRows()
	if row := y - len(m.header()); row >= 0 && row < len(asks) && asks[row] >= 0 {
		return m.ask(asks[row])
	}
	return nil
}

// openHello shows the form, making it the first time, at the question
// the visitor was last asked.
func (m Model) openHello() (Model, tea.Cmd) {
	if m.notes == nil {
		return m, nil
	}
	if m.hello == nil || m.hello.saved {
		m.hello = &hello{}
	}
	m.hello.status = ""
	m.page = pageHello
	return m, m.ask(m.hello.step)
}

// updateHello gives msg to the question on screen, asks the next one when
// it is answered, and saves the note after the last.
func (m Model) updateHello(msg tea.Msg) (Model, tea.Cmd) {
	h := m.hello
	switch msg := msg.(type) {
	case tea.MouseClickMsg:
		if msg.Button != tea.MouseLeft {
			return m, nil
		}
		if msg.Y == 0 { // a tab: the form is left for it, as with esc
			m.page = pageRoles
			h.release()
			return m.updateMouse(msg), nil
		}
		return m, m.clickAnswer(msg.Y)
	case tea.MouseMsg:
		return m, nil // huh has no mouse; the wheel has nothing to scroll
	case tea.WindowSizeMsg:
		m.fitForm()
		return m, nil
	case tea.KeyPressMsg:
		k := m.keys
		switch {
		case match(msg, k.FormLeave):
			m.page = pageRoles // the answers stay for next time
			h.release()
			return m, nil
		case match(msg, k.FormBack):
			if h.step == 0 {
				return m, nil
			}
			return m, m.ask(h.step - 1)
		case match(msg, k.FormNext): // each form has one field, whose tab would do nothing
			return m.updateHello(tea.KeyPressMsg{Code: tea.KeyEnter})
		case h.step == questionContact && (match(msg, k.FormYes) || match(msg, k.FormNo)):
			// One key answers, as huh's confirm did: the letter is shown
			// in the field and taken.
			h.consent = "n"
			if match(msg, k.FormYes) {
				h.consent = "y"
			}
			m.ask(questionContact)
			return m.updateHello(tea.KeyPressMsg{Code: tea.KeyEnter})
		}
	}
	f, cmd := h.form.Update(msg)
	if form, ok := f.(*huh.Form); ok {
		h.form = form
	}
	if h.form.State != huh.StateCompleted {
		if (len(h.form.Errors()) > 0) != h.fitError {
			m.fitForm() // huh sized its viewport for the error or its absence
		}
		return m, cmd
	}
	h.answered[h.step] = true
	if h.step == questionContact {
		h.set(note.Contact, h.consent)
	}
	if q := m.nextQuestion(); q < numQuestions {
		return m, m.ask(q)
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

// nextQuestion is the question to ask once the one on screen is
// answered: the first one whose answer is missing or wrong (a visitor may
// have gone back and left one half typed), or else the next in order;
// numQuestions when all are answered.
func (m Model) nextQuestion() int {
	h := m.hello
	qs := m.questions()
	for _, q := range [...]int{questionName, questionEmail} {
		if note.Check(qs[q].Field, h.answer(q)) != "" {
			return q
		}
	}
	for q := h.step + 1; q < numQuestions; q++ {
		if !h.answered[q] || q == questionContact {
			return q
		}
	}
	return numQuestions
}

// saved shows what saving came to: the thanks, or why not, with the
// last question asked again over the answers, so that enter tries again.
func (m Model) saved(msg savedMsg) (Model, tea.Cmd) {
	h := m.hello
	if h == nil {
		return m, nil
	}
	if msg.err != nil {
		h.status = "Not saved: " + msg.err.Error()
		return m, m.ask(questionContact)
	}
	h.status, h.saved = note.Saved(msg.id), true
	h.release()
	return m, nil
}

// helloLines is the question on screen between the answers to the others,
// or the form's outcome.
func (m Model) helloLines() []string {
	lines, _ := m.helloRows()
	return lines
}

// helloRows is the form's page, and for each of its lines the question a
// click on it asks again (an answer's line), or -1: the click areas come
// from the layout itself, not from searching what was drawn.
func (m Model) helloRows() (lines []string, asks []int) {
	h, st := m.hello, m.styles
	add := func(line string, q int) {
		lines, asks = append(lines, line), append(asks, q)
	}
	add("  "+st.Title.Render("Say hello"), -1)
	add("", -1)
	if h.status != "" { // above the form, which may fill the page
		add("  "+st.Accent.Render(h.status), -1)
		add("", -1)
	}
	if h.form == nil {
		return lines, asks
	}
	shown, qs := m.answerRows() > 0, m.questions()
	answer := func(q int) {
		line := "✓ " + qs[q].Title + "  " + printable(h.answer(q))
		add("  "+truncate(st.Dim.Render(line), m.formWidth()), q)
	}
	if shown {
		for q := range h.step {
			if h.answered[q] {
				answer(q)
			}
		}
		if slices.Contains(h.answered[:h.step], true) {
			add("", -1)
		}
	}
	for _, l := range strings.Split(h.form.View(), "\n") {
		add("  "+l, -1)
	}
	if shown {
		for q := h.step + 1; q < numQuestions; q++ {
			if h.answered[q] {
				answer(q)
			}
		}
	}
	return lines, asks
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
