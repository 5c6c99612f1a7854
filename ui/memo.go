package ui

import (
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/resume-ssh/resume/content"
)

// Every visitor starts on the same screen, and most then walk the same few
// roles at one of a few window sizes, so the screens a server draws repeat.
// Drawing one takes a fraction of a millisecond (lipgloss styling and
// measuring every line); looking it up takes a microsecond. Screens are
// memoised process-wide by everything they depend on, which viewKey lists.

// viewKey is everything a screen depends on: models with equal keys draw
// equal screens. TestViewKeyCoversTheModel fails when a field is added to
// Model without being added here or to its list of fields that are not
// state.
type viewKey struct {
	doc           *content.Resume
	keys          *KeyMap
	width, height int
	dark          bool
	month         int // durations change with the month
	page, back    page
	sel, listTop  int
	focus         focus
	detailOpen    bool
	scroll        int
	reader        bool
	typing        bool
	query         string
	demoOn        bool
	touring       bool
	tourStep      int
}

func (m Model) viewKey() viewKey {
	now := m.now()
	return viewKey{
		doc: m.doc, keys: m.keys, width: m.width, height: m.height, dark: m.dark,
		month: now.Year()*12 + int(now.Month()),
		page:  m.page, back: m.back, sel: m.sel, listTop: m.listTop, focus: m.focus,
		detailOpen: m.detailOpen, scroll: m.scroll, reader: m.reader,
		typing: m.search.typing, query: m.search.query,
		demoOn: m.demo.on, touring: m.demo.touring, tourStep: m.demo.stepN,
	}
}

// memoBudget bounds the memo's screens, in bytes of content: a few hundred
// screens at common sizes. When it is full the memo starts again, which
// costs only the redrawing.
const memoBudget = 4 << 20

var memo = struct {
	sync.Mutex
	views map[viewKey]tea.View
	bytes int
}{views: map[viewKey]tea.View{}}

// memoised returns the screen for k, drawing it with draw the first time.
func memoised(k viewKey, draw func() tea.View) tea.View {
	memo.Lock()
	v, ok := memo.views[k]
	memo.Unlock()
	if ok {
		return v
	}
	v = draw()
	memo.Lock()
	defer memo.Unlock()
	if memo.bytes+len(v.Content) > memoBudget {
		clear(memo.views)
		memo.bytes = 0
	}
	if _, ok := memo.views[k]; !ok {
		memo.views[k] = v
		memo.bytes += len(v.Content)
	}
	return v
}
