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
// typed as it is typed. It is part of the hello component, whose answers
// it shares with the form, and like it a value.
type prompts struct {
	said   []string // the transcript so far: questions answered, complaints
	step   int      // the question being asked; len(questions) when done
	typed  string   // the answer being typed
	saving bool
}

// promptsOpen reports whether reader mode's questions are on screen.
func (m Model) promptsOpen() bool {
	return m.reader && m.page == pageHello && m.hello != nil && m.hello.reading
}

// openPrompts starts reader mode's questions, with answers kept from
// before offered again as they were.
func (m Model) openPrompts() Model {
	h := newHello(m.questions())
	if m.hello != nil && !m.hello.saved {
		h = *m.hello
	}
	h.lines, h.reading, h.status = prompts{}, true, ""
	m.hello, m.page = &h, pageHello
	return m
}

// say is p with lines added to its transcript, which it shares with no
// other copy.
func (p prompts) say(lines ...string) prompts {
	p.said = append(p.said[:len(p.said):len(p.said)], lines...)
	return p
}

// updatePrompts takes a key: a letter is typed, backspace takes one back,
// enter answers, esc leaves; and what saving came to.
func (m Model) updatePrompts(msg tea.Msg) (Model, tea.Cmd) {
	h := *m.hello
	p := h.lines
	qs := h.qs
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case savedMsg:
		p.saving = false
		if msg.err != nil {
			p = p.say("Not saved: "+msg.err.Error(), "Press enter to try again, or esc to leave.")
			break
		}
		h.status, h.saved = note.Saved(msg.id), true
		p = p.say(h.status, "Press esc to go back to the résumé.")
	case tea.KeyPressMsg:
		switch {
		case match(msg, m.keys.FormLeave):
			m.page, h.reading = pageRoles, false // the answers stay for next time
		case h.saved && match(msg, m.keys.Quit) && !m.demo.on:
			return m, tea.Quit // nothing is being typed: q quits, as everywhere
		case p.saving || h.saved:
		case p.step == len(qs): // not saved: enter tries again
			if match(msg, m.keys.FormAnswer) {
				p, cmd = p.say("saving…"), m.save(h.note())
				p.saving = true
			}
		case match(msg, m.keys.FormAnswer):
			q := qs[p.step]
			p = p.say(q.Prompt() + p.typed)
			if problem := note.Check(q.Field, p.typed); problem != "" {
				p, p.typed = p.say(problem), ""
				break
			}
			h.typed[p.step], h.answered[p.step] = p.typed, true
			p.step, p.typed = p.step+1, ""
			if p.step == len(qs) {
				p, cmd = p.say("saving…"), m.save(h.note())
				p.saving = true
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
	h.lines = p
	m.hello = &h
	return m, cmd
}

// promptLines is the transcript, and the question being asked last, with
// what has been typed; cursor reports whether that last line is waiting
// for more.
func (m Model) promptLines() (lines []string, cursor bool) {
	h := m.hello
	p, qs := h.lines, h.qs
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
