package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/resume-ssh/resume/content"
)

// run is a piece of text with one look.
type run struct {
	text  string
	span  content.Span
	match bool // part of a search match
	url   bool // a link's URL written out after its text
}

// runs turns spans into runs, writing each link's URL out after it so that
// terminals without OSC 8 lose nothing, and marking what matches query.
func runs(t content.Text, query string) []run {
	var out []run
	for i, s := range t {
		out = append(out, run{text: printable(s.Text), span: s})
		last := i+1 == len(t)
		if s.URL != "" && s.URL != s.Text && (last || t[min(i+1, len(t)-1)].URL != s.URL) {
			out = append(out, run{text: " <" + printable(s.URL) + ">", span: content.Span{URL: s.URL}, url: true})
		}
	}
	if query == "" {
		return out
	}
	return markMatches(out, query)
}

// wrapRuns lays runs out in lines of at most width cells: the first line
// starts with first, the rest with an indent as wide as first (a hanging
// indent). Words too long for a line are cut.
func wrapRuns(rs []run, width int, first string, st *Styles) []string {
	indent := strings.Repeat(" ", lipgloss.Width(first))
	var lines []string
	var line strings.Builder
	line.WriteString(first)
	used := lipgloss.Width(first)
	empty := true
	flush := func() {
		lines = append(lines, line.String())
		line.Reset()
		line.WriteString(indent)
		used, empty = len(indent), true
	}
	for _, word := range words(rs) {
		ww := 0
		for _, p := range word {
			ww += ansi.StringWidth(p.text)
		}
		if !empty && used+1+ww > width {
			flush()
		}
		if !empty {
			line.WriteByte(' ')
			used++
		}
		for _, p := range word {
			text := p.text
			for text != "" && used+ansi.StringWidth(text) > width {
				head := ansi.Truncate(text, max(width-used, 1), "")
				if head == "" || !strings.HasPrefix(text, head) {
					// Nothing fits, or the text is not valid UTF-8 and
					// Truncate gave back something else: take the first
					// rune's bytes, so that every turn makes progress.
					_, n := utf8.DecodeRuneInString(text)
					head = text[:n]
				}
				line.WriteString(st.render(p, head))
				flush()
				text = text[len(head):]
			}
			line.WriteString(st.render(p, text))
			used += ansi.StringWidth(text)
		}
		empty = false
	}
	if !empty || len(lines) == 0 {
		lines = append(lines, line.String())
	}
	return lines
}

// words splits runs at spaces; a word may hold pieces of several runs.
func words(rs []run) [][]run {
	var out [][]run
	var cur []run
	for _, r := range rs {
		fields := strings.FieldsFunc(r.text, unicode.IsSpace)
		startsSpace := r.text != "" && unicode.IsSpace([]rune(r.text)[0])
		if startsSpace && len(cur) > 0 {
			out, cur = append(out, cur), nil
		}
		for i, f := range fields {
			if i > 0 && len(cur) > 0 {
				out, cur = append(out, cur), nil
			}
			p := r
			p.text = f
			cur = append(cur, p)
		}
		if last := []rune(r.text); len(last) > 0 && unicode.IsSpace(last[len(last)-1]) && len(cur) > 0 {
			out, cur = append(out, cur), nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// render draws one piece of a run in its style; links become OSC 8
// hyperlinks.
func (st *Styles) render(p run, text string) string {
	s := st.Text
	switch {
	case p.match:
		s = st.Match
	case p.url:
		s = st.Dim
	case p.span.URL != "":
		s = st.Link
	case p.span.Code:
		s = st.Code
	}
	if p.span.Strong {
		s = s.Bold(true)
	}
	if p.span.Emph {
		s = s.Italic(true)
	}
	out := s.Render(text)
	if p.span.URL != "" && !p.url {
		out = ansi.SetHyperlink(linkTarget(p.span.URL)) + out + ansi.ResetHyperlink()
	}
	return out
}
