package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/resume-ssh/resume/content"
)

// Every visitor starts on the same screen, and most then walk the same few
// roles at one of a few window sizes, so the screens a server draws repeat.
// Drawing one takes a fraction of a millisecond (lipgloss styling and
// measuring every line); looking it up takes a microsecond. Screens are
// memoised in the Renderer, which the server shares between sessions, by
// everything they depend on, which viewKey lists.

// viewKey is everything a screen depends on: models with equal keys draw
// equal screens. TestViewKeyCoversTheModel fails when a field is added to
// Model without being added here or to its list of fields that are not
// state.
type viewKey struct {
	doc           *content.Resume
	keys          *KeyMap
	palettes      *[2]Styles
	width, height int
	dark          bool
	month         int // durations change with the month
	page, back    page
	sel           int
	list          roleList
	focus         focus
	detailOpen    bool
	detail, about pager
	help, read    pager
	reader        bool
	typing        bool
	query         string
	copied        bool
	stillThere    bool
	demoOn        bool
	touring       bool
	tourStep      int
}

func (m Model) viewKey() viewKey {
	now := m.now()
	return viewKey{
		doc: m.doc, keys: m.keys, palettes: m.palettes, width: m.width, height: m.height, dark: m.dark,
		month: now.Year()*12 + int(now.Month()),
		page:  m.page, back: m.back, sel: m.sel, list: m.list, focus: m.focus,
		detailOpen: m.detailOpen, detail: m.detail, about: m.about, help: m.help, read: m.read, reader: m.reader,
		typing: m.search.typing, query: m.search.query,
		copied: m.copied, stillThere: m.stillThere, demoOn: m.demo.on, touring: m.demo.touring, tourStep: m.demo.stepN,
	}
}

// memoised returns the screen for k from the renderer, drawing it with
// draw the first time.
func (r *Renderer) memoised(k viewKey, draw func() tea.View) tea.View {
	return r.pool(k.query).screens.GetOrMake(k, draw, func(v tea.View) int { return len(v.Content) + 64 })
}
