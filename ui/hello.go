package ui

import (
	"strings"
	"sync"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

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

// hello is the "say hello" form, a value-type component: its methods
// return the form changed, and change nothing they are given, so that a
// copy is a form of its own. The model holds one behind a pointer that it
// replaces, never writes through, so that a session that never opens the
// form pays one word for it.
//
// It asks one question at a time, in a text field of bubbles', and shows
// the answers given so far as lines above and below it. The answers stay
// when the form is left and opened again, or when saving fails. In reader
// mode its questions are asked line by line instead (prompts).
type hello struct {
	qs       []note.Question
	input    textinput.Model // the question on screen, while asking
	asking   bool            // the form is on screen, taking keys
	lines    prompts         // reader mode's questions, in place of the form
	reading  bool            // lines are open
	step     int             // the question asked: one of the question* constants
	typed    [numQuestions]string
	answered [numQuestions]bool // a question was answered with enter
	reason   string             // why the answer on screen was not taken
	status   string             // what happened to the last try
	saving   bool               // the note is being saved: the form takes no keys
	saved    bool
	width    int // the page's
	height   int // the page's body
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

// formAct is what the visitor asked of the form with a message.
type formAct int

const (
	formStay   formAct = iota
	formLeave          // esc: back to the résumé, the answers kept
	formSubmit         // the last question is answered: save the note
)

// inputKeys is bubbles' key map for typing in a field, built once and
// shared by every field: a field only reads its map.
var inputKeys = sync.OnceValue(textinput.DefaultKeyMap)

// newHello is a form with nothing typed, asking questions qs.
func newHello(qs []note.Question) hello { return hello{qs: qs} }

// questions are the form's questions, with the owner's name in them.
func (m Model) questions() []note.Question { return note.Questions(m.doc.Person.Name) }

// SetSize fits the form to a page w wide with h lines under its header.
func (h hello) SetSize(w, height int) hello {
	h.width, h.height = w, height
	h.input.SetWidth(h.fieldWidth())
	h.input.SetCursor(h.input.Position()) // scrolls the text to the cursor at the new width
	return h
}

// formWidth is the width of the form's lines: at most 72.
func (h hello) formWidth() int { return max(20, min(h.width-4, 72)) }

// fieldWidth is the width of the text in the field, beside its prompt.
func (h hello) fieldWidth() int { return h.formWidth() - len(h.input.Prompt) - 1 }

// ask puts question q on screen, with what was typed for it before.
func (h hello) ask(q int) hello {
	h.step, h.asking, h.reason = q, true, ""
	in := textinput.New()
	in.KeyMap = inputKeys()
	in.CharLimit = h.qs[q].Limit
	in.Prompt = "> "
	styles := in.Styles()
	styles.Cursor.Blink = false // a blinking cursor would wake the session twice a second
	in.SetStyles(styles)
	in.SetValue(h.typed[q])
	in.Focus()
	h.input = in
	return h.SetSize(h.width, h.height)
}

// release lets the question go, keeping the answers: it is asked again
// when the visitor comes back.
func (h hello) release() hello {
	h.asking, h.input = false, textinput.Model{}
	return h
}

// leave lets the form go with what was typed in the question on screen.
func (h hello) leave() hello {
	h.typed[h.step] = h.input.Value()
	return h.release()
}

// note is the answers as a note.
func (h hello) note() Note {
	var n note.Note
	for q, f := range [...]note.Field{note.Name, note.Email, note.Message, note.Contact} {
		n.Set(f, h.typed[q])
	}
	return Note{Name: n.Name, Email: n.Email, Message: n.Message, Contact: n.Contact}
}

// shown is question q's answer as the form shows it.
func (h hello) shown(q int) string {
	n := h.note()
	switch q {
	case questionName:
		return n.Name
	case questionEmail:
		return n.Email
	case questionMessage:
		if n.Message == "" {
			return "—"
		}
		return n.Message
	}
	if n.Contact {
		return "Yes"
	}
	return "No"
}

// Update gives a message to the question on screen: a key types, enter
// answers and asks the next question (or submits after the last), tab
// and shift+tab move, esc leaves; a click on an answer asks its question
// again. It reports what the visitor asked of the form.
func (h hello) Update(msg tea.Msg, k *KeyMap) (hello, formAct) {
	switch msg := msg.(type) {
	case tea.MouseClickMsg:
		return h, formStay // the model turns clicks into rows: Click
	case tea.KeyPressMsg:
		switch {
		case match(msg, k.FormLeave):
			return h.leave(), formLeave
		case match(msg, k.FormBack):
			if h.step == 0 {
				return h, formStay
			}
			h.typed[h.step] = h.input.Value()
			return h.ask(h.step - 1), formStay
		case match(msg, k.FormAnswer), match(msg, k.FormNext):
			return h.answer(h.input.Value())
		case h.step == questionContact && (match(msg, k.FormYes) || match(msg, k.FormNo)):
			// One key answers: the letter is shown in the field and taken.
			return h.answer(strings.ToLower(msg.Text))
		}
	}
	h.input, _ = h.input.Update(msg) // a still cursor: no command to run
	return h, formStay
}

// answer takes s as the answer to the question on screen, when the note's
// check passes it, and asks the next question; formSubmit after the
// last.
func (h hello) answer(s string) (hello, formAct) {
	h.typed[h.step] = s
	if problem := note.Check(h.qs[h.step].Field, s); problem != "" {
		h.input.SetValue(s)
		h.reason = problem
		return h, formStay
	}
	h.answered[h.step] = true
	if q := h.nextQuestion(); q < numQuestions {
		return h.ask(q), formStay
	}
	h.input.SetValue(s)
	h.reason, h.status, h.saving = "", "saving…", true
	return h, formSubmit
}

// nextQuestion is the question to ask once the one on screen is
// answered: the first one whose answer is missing or wrong (a visitor may
// have gone back and left one half typed), or else the next in order;
// numQuestions when all are answered.
func (h hello) nextQuestion() int {
	for _, q := range [...]int{questionName, questionEmail} {
		if note.Check(h.qs[q].Field, h.typed[q]) != "" {
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

// Saved is the form once saving came to msg: the thanks, or why not, with
// the last question asked again over the answers, so that enter tries
// again.
func (h hello) Saved(msg savedMsg) hello {
	h.saving = false
	if msg.err != nil {
		h.status = "Not saved: " + msg.err.Error()
		return h.ask(questionContact)
	}
	h.status, h.saved = note.Saved(msg.id), true
	return h.release()
}

// Click is the form after a click on row y of its page: a click on an
// answer asks its question again.
func (h hello) Click(y int, st *Styles) hello {
	if _, asks := h.Rows(st); y >= 0 && y < len(asks) && asks[y] >= 0 {
		h.typed[h.step] = h.input.Value()
		return h.ask(asks[y])
	}
	return h
}

// savedMsg is what saving a note came to.
type savedMsg struct {
	id  int64
	err error
}

// Rows is the form's page, and for each of its lines the question a click
// on it asks again (an answer's line), or -1: the click areas come from
// the layout itself, not from searching what was drawn.
func (h hello) Rows(st *Styles) (lines []string, asks []int) {
	add := func(line string, q int) {
		lines, asks = append(lines, line), append(asks, q)
	}
	add("  "+st.Title.Render("Say hello"), -1)
	add("", -1)
	if h.status != "" { // above the form, which may fill the page
		add("  "+st.Accent.Render(h.status), -1)
		add("", -1)
	}
	if !h.asking {
		return lines, asks
	}
	w := h.formWidth()
	question := []string{
		"  " + st.Accent.Bold(true).Render(h.qs[h.step].Title+h.qs[h.step].Hint),
		"  " + h.input.View(),
	}
	// Under a question whose answer may be wrong, room for the reason
	// stays even while there is none, so that the answers below it stay
	// put when a reason comes and goes.
	if h.reason != "" || h.step != questionContact {
		question = append(question, "")
		if h.reason == "" {
			question = append(question, "")
		} else {
			mark := st.Error.Render("✗ ")
			for _, l := range wrapRuns([]run{{text: h.reason}}, w-2, "", withBase(st, st.Error)) {
				question, mark = append(question, "  "+mark+l), "  "
			}
		}
	}
	above, below := 0, 0
	for q := range numQuestions {
		switch {
		case q == h.step || !h.answered[q]:
		case q < h.step:
			above++
		default:
			below++
		}
	}
	room := h.height - len(lines) - len(question)
	if above > 0 {
		room--
	}
	answer := func(q int) {
		line := "✓ " + h.qs[q].Title + "  " + printable(h.shown(q))
		add("  "+truncate(st.Dim.Render(line), w), q)
	}
	shown := above+below <= room
	if shown && above > 0 {
		for q := range h.step {
			if h.answered[q] {
				answer(q)
			}
		}
		add("", -1)
	}
	for _, l := range question {
		add(l, -1)
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

// openHello shows the form, making it the first time, at the question
// the visitor was last asked.
func (m Model) openHello() Model {
	if m.notes == nil {
		return m
	}
	h := newHello(m.questions())
	if m.hello != nil && !m.hello.saved {
		h = *m.hello
	}
	h.status = ""
	h = h.SetSize(m.width, m.bodyHeight()).ask(h.step)
	m.hello, m.page = &h, pageHello
	return m
}

// updateHello gives msg to the form, and saves the note after the last
// question.
func (m Model) updateHello(msg tea.Msg) (Model, tea.Cmd) {
	h := *m.hello
	if click, ok := msg.(tea.MouseClickMsg); ok {
		switch {
		case click.Button != tea.MouseLeft:
		case click.Y == 0: // a tab: the form is left for it, as with esc
			h = h.leave()
			m.hello, m.page = &h, pageRoles
			return m.updateMouse(click), nil
		default:
			h = h.Click(click.Y-len(m.header()), m.styles)
		}
		m.hello = &h
		return m, nil
	}
	h, act := h.Update(msg, m.keys)
	m.hello = &h
	switch act {
	case formLeave:
		m.page = pageRoles
	case formSubmit:
		return m, m.save(h.note())
	}
	return m, nil
}

// save stores n with the function the model was given, as a command.
func (m Model) save(n Note) tea.Cmd {
	save := m.notes
	return func() tea.Msg {
		id, err := save(n)
		return savedMsg{id, err}
	}
}

// saved shows what saving came to.
func (m Model) saved(msg savedMsg) Model {
	if m.hello == nil {
		return m
	}
	h := m.hello.Saved(msg)
	m.hello = &h
	return m
}

// helloLines is the question on screen between the answers to the others,
// or the form's outcome.
func (m Model) helloLines() []string {
	lines, _ := m.hello.Rows(m.styles)
	return lines
}

// formOpen reports whether the hello form is on screen, taking keys.
func (m Model) formOpen() bool {
	return m.page == pageHello && m.hello != nil && m.hello.asking && !m.hello.saving
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
