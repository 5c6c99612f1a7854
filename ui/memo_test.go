package ui

import (
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/resume-ssh/resume/content"
)

// TestViewKeyCoversTheModel: every field of the model is in viewKey or is
// named here with the reason it is not state of its own. A field added to
// Model without either fails, so that screens are never shared between
// models that differ.
func TestViewKeyCoversTheModel(t *testing.T) {
	notState := map[string]string{
		"styles":         "follows dark and palettes",
		"now":            "enters as the month",
		"hay":            "derived from the document",
		"renderer":       "where screens are kept, not what they show",
		"timeline":       "a component with no state of its own",
		"notes":          "a function, not drawn",
		"hello":          "the form, whose screens are drawn every time",
		"search.matches": "derived from the document and the query",
		"search.about":   "derived from the document and the query",
		"search.before":  "where esc returns to; not drawn",
		"demo.idle":      "a timer's length; not drawn",
		"demo.step":      "a timer's length; not drawn",
		"demo.gen":       "tells stale timers apart; not drawn",
		"demo.saved":     "where the tour returns to; not drawn",
	}
	inKey := map[string]string{
		"search.typing": "typing", "search.query": "query",
		"demo.on": "demoOn", "demo.touring": "touring", "demo.stepN": "tourStep",
	}
	key := reflect.TypeFor[viewKey]()
	var check func(prefix string, typ reflect.Type)
	check = func(prefix string, typ reflect.Type) {
		for f := range typ.Fields() {
			name := prefix + f.Name
			if f.Type.Kind() == reflect.Struct && (f.Name == "search" || f.Name == "demo") {
				check(name+".", f.Type)
				continue
			}
			if _, ok := notState[name]; ok {
				continue
			}
			keyName := name
			if k, ok := inKey[name]; ok {
				keyName = k
			}
			if _, ok := key.FieldByName(keyName); !ok {
				t.Errorf("Model field %s is neither in viewKey nor known not to be state", name)
			}
		}
	}
	check("", reflect.TypeFor[Model]())
}

// TestMemoisedScreensAreTheDrawnOnes walks many models at random through
// the browser, interleaved so that they find each other's screens in the
// memo and each other's lines in the caches, and checks every screen
// against one drawn afresh.
func TestMemoisedScreensAreTheDrawnOnes(t *testing.T) {
	walk(t, testDocs(t), 7, 3000)
}

func testDocs(t *testing.T) []*content.Resume {
	return []*content.Resume{content.Default(), mustParse(t, "../content/testdata/many.md")}
}

// TestConcurrentSessionsShareSafely: sessions on their own goroutines
// share the memo and the caches (run with -race).
func TestConcurrentSessionsShareSafely(t *testing.T) {
	docs := testDocs(t)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() { walk(t, docs, uint64(100+i), 400) })
	}
	wg.Wait()
}

func walk(t *testing.T, docs []*content.Resume, seed uint64, steps int) {
	keys := []string{
		"j", "k", "j", "j", "g", "G", "enter", "esc", "tab", "t", "a", "?",
		"/", "e", "n", "g", "enter", "n", "N", "r", "pgdown", "ctrl+u", "3", "left", "right",
	}
	rng := rand.New(rand.NewPCG(seed, 11)) //nolint:gosec // a reproducible walk
	var models []Model
	for i := range 12 {
		w, h := []int{80, 120, 60, 200}[i%4], []int{24, 40, 20, 60}[i%4]
		m := New(docs[i%2], WithClock(clock), WithDark(i%3 != 0))
		next, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
		models = append(models, next.(Model))
	}
	for step := range steps {
		i := rng.IntN(len(models))
		m := models[i]
		var msg tea.Msg = press(keys[rng.IntN(len(keys))])
		switch rng.IntN(12) {
		case 0:
			msg = tea.MouseClickMsg{X: rng.IntN(m.width), Y: rng.IntN(m.height), Button: tea.MouseLeft}
		case 1:
			msg = tea.MouseWheelMsg{X: rng.IntN(m.width), Y: rng.IntN(m.height), Button: tea.MouseWheelDown}
		case 2:
			msg = tea.WindowSizeMsg{Width: 40 + rng.IntN(3)*40, Height: 12 + rng.IntN(3)*12}
		}
		next, _ := m.Update(msg)
		models[i] = next.(Model)
		if got, want := models[i].View(), models[i].draw(); got.Content != want.Content || got.MouseMode != want.MouseMode || got.WindowTitle != want.WindowTitle {
			t.Errorf("seed %d step %d (%v): the memo gave a screen this model does not draw:\n%s\nwant:\n%s", seed, step, msg, got.Content, want.Content)
			return
		}
	}
}

// TestMemoIsBounded: a client walking every window size (and page) fills
// neither the screens nor the layout past the renderer's budget.
func TestMemoIsBounded(t *testing.T) {
	const budget = 2 << 20
	r := NewRenderer(budget)
	m := New(content.Default(), WithClock(clock), WithRenderer(r))
	for w := 40; w < 256; w++ {
		for h := 10; h < 96; h += 5 {
			next, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
			_ = next.View()
			next, _ = next.Update(press("a"))
			_ = next.View()
		}
	}
	a, b, c, d := r.Stats()
	if total := a.Bytes + b.Bytes + c.Bytes + d.Bytes; total > budget || a.Evicted == 0 {
		t.Errorf("the renderer holds %d bytes (budget %d), evicted %d screens", total, budget, a.Evicted)
	}
}

// TestSearchesCannotEvictFirstScreens: a visitor typing a thousand
// different queries leaves everyone else's first screen in the cache.
func TestSearchesCannotEvictFirstScreens(t *testing.T) {
	r := NewRenderer(4 << 20)
	first := func() Model { return New(content.Default(), WithClock(clock), WithSize(80, 24), WithRenderer(r)) }
	want := first().View().Content
	hits := func() int { s, _, _, _ := r.Stats(); return s.Hits }
	searcher := drive(first(), 120, 40, "/")
	for i := range 1000 {
		q := fmt.Sprintf("%03d", i)
		m := searcher
		for _, c := range q {
			next, _ := m.Update(press(string(c)))
			m = next.(Model)
			_ = m.View()
		}
		next, _ := m.Update(press("enter"))
		_ = next.View()
	}
	before := hits()
	if got := first().View().Content; got != want || hits() != before+1 {
		t.Errorf("after 1,000 searches the first screen was drawn again (hits %d → %d)", before, hits())
	}
}

func mustParse(t *testing.T, name string) *content.Resume {
	t.Helper()
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := content.ParseAny(name, src)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
