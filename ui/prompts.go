package ui

import (
	"unicode"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/resume-ssh/resume/ui/note"
)

// prompts is the hello form in reader mode: the same four questions asked
// one line at a time, as a transcript that only grows, so that a screen
// reader reads each question once and a line-only terminal shows what is
// typed as it is typed. The answers are the hello component's, shared
// with the form.
type prompts struct {
	said   []string // the transcript so far: questions answered, complaints
	step   int      // the question being asked; len(questions) when done
	typed  string   // the answer being typed
	saving bool
}

// promptsOpen reports whether reader mode's questions are on screen.
func (m Model) promptsOpen() bool {
	return m.reader && m.page == pageHello && m.hello != nil && m.hello.lines != nil
}

// openPrompts starts reader mode's questions, with answers kept from
// before offered again as they were.
func (m Model) openPrompts() Model {
	if m.hello == nil || m.hello.saved {
		m.hello = &hello{}
	}
	m.hello.lines, m.hello.status = &prompts{}, ""
	m.page = pageHello
	return m
}

// updatePrompts takes a key: a letter is typed, backspace takes one back,
// enter answers, esc leaves; and what saving came to.
func (m Model) updatePrompts(msg tea.Msg) (Model, tea.Cmd) {
	h := m.hello
	p := h.lines
	qs := m.questions()
	switch msg := msg.(type) {
	case savedMsg:
		p.saving = false
		if msg.err != nil {
			p.said = append(p.said, "Not saved: "+msg.err.Error(), "Press enter to try again, or esc to leave.")
			return m, nil
		}
		h.status, h.saved = note.Saved(msg.id), true
		p.said = append(p.said, h.status, "Press esc to go back to the résumé.")
		return m, nil
	case tea.KeyPressMsg:
		switch {
		case match(msg, m.keys.FormLeave):
			m.page, h.lines = pageRoles, nil // the answers stay for next time
			return m, nil
		case h.saved && match(msg, m.keys.Quit) && !m.demo.on:
			return m, tea.Quit // nothing is being typed: q quits, as everywhere
		case p.saving || h.saved:
			return m, nil
		case p.step == len(qs): // not saved: enter tries again
			if match(msg, m.keys.FormAnswer) {
				return m, m.savePrompts()
			}
		case match(msg, m.keys.FormAnswer):
			q := qs[p.step]
			p.said = append(p.said, q.Prompt()+p.typed)
			if problem := note.Check(q.Field, p.typed); problem != "" {
				p.said = append(p.said, problem)
				p.typed = ""
				return m, nil
			}
			h.set(q.Field, p.typed)
			p.step, p.typed = p.step+1, ""
			if p.step == len(qs) {
				return m, m.savePrompts()
			}
		case match(msg, m.keys.FormDelete):
			if _, n := utf8.DecodeLastRuneInString(p.typed); n > 0 {
				p.typed = p.typed[:len(p.typed)-n]
			}
		case msg.Text != "" && utf8.RuneCountInString(p.typed+msg.Text) <= qs[p.step].Limit:
			for _, r := range msg.Text {
				if !unicode.IsPrint(r) {
					return m, nil
				}
			}
			p.typed += msg.Text
		}
	}
	return m, nil
}

// savePrompts sends the answers, as the form does.
func (m Model) savePrompts() tea.Cmd {
	h := m.hello
	h.lines.saving = true
	h.lines.said = append(h.lines.said, "saving…")
	n := Note{Name: h.name, Email: h.email, Message: h.message, Contact: h.contact}
	save := m.notes
	return func() tea.Msg {
		id, err := save(n)
		return savedMsg{id, err}
	}
}

// promptLines is the transcript, and the question being asked last, with
// what has been typed; cursor reports whether that last line is waiting
// for more.
func (m Model) promptLines() (lines []string, cursor bool) {
	h := m.hello
	p := h.lines
	qs := m.questions()
	lines = append([]string{"Say hello: four questions, each answered with enter; esc leaves.", ""}, p.said...)
	if p.step < len(qs) && !p.saving && !h.saved {
		return append(lines, qs[p.step].Prompt()+p.typed), true
	}
	return lines, false
}

// renderPrompts draws the transcript's last lines that fit, the question
// being asked at the bottom, and places the cursor after it.
func (m Model) renderPrompts() (string, *tea.Cursor) {
	lines, waiting := m.promptLines()
	var out []string
	for _, l := range lines {
		out = append(out, wrapRuns([]run{{text: l}}, max(1, m.width), "", m.styles)...)
	}
	if len(out) > m.height {
		out = out[len(out)-m.height:]
	}
	var cur *tea.Cursor
	if waiting {
		cur = tea.NewCursor(min(m.width-1, lipgloss.Width(out[len(out)-1])), len(out)-1)
	}
	return frame(out, m.width, m.height), cur
}
