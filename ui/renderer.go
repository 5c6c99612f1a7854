package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/resume-ssh/resume/content"
	"github.com/resume-ssh/resume/ui/cache"
)

// Renderer holds what browsers draw and can share: screens, wrapped
// lines, charts and each document's search text. A server makes one and
// gives it to every visitor's model (WithRenderer), so that the second
// visitor at a size finds the first one's screen; a model made without
// one has its own.
//
// What depends on a search query is kept apart, in a smaller pool of its
// own: a visitor typing query after query fills that pool, never the one
// where everyone's first screens are.
type Renderer struct {
	shared, searched pool
	hays             *cache.Cache[*content.Resume, []string]
}

// pool is one budget of screens and of layout pieces.
type pool struct {
	screens *cache.Cache[viewKey, tea.View]
	layouts *cache.Cache[layoutKey, any]
}

// The budgets of a Renderer made with NewRenderer(0): a few hundred
// screens at common sizes, and their layout, shared; a quarter of that
// for searches.
const (
	DefaultRendererBytes = 12 << 20
	searchShare          = 4 // the searched pool gets 1/searchShare of the budget
)

// NewRenderer makes a Renderer that holds about budget bytes (0 means
// DefaultRendererBytes).
func NewRenderer(budget int) *Renderer {
	if budget <= 0 {
		budget = DefaultRendererBytes
	}
	search := budget / searchShare
	shared := budget - search
	return &Renderer{
		shared:   pool{screens: cache.New[viewKey, tea.View](shared / 2), layouts: cache.New[layoutKey, any](shared / 2)},
		searched: pool{screens: cache.New[viewKey, tea.View](search / 2), layouts: cache.New[layoutKey, any](search / 2)},
		hays:     cache.New[*content.Resume, []string](1 << 20),
	}
}

// pool is where what depends on query is kept.
func (r *Renderer) pool(query string) pool {
	if query != "" {
		return r.searched
	}
	return r.shared
}

// Stats are the renderer's caches' counters: the shared screens and
// layout, and the searched ones.
func (r *Renderer) Stats() (sharedScreens, sharedLayouts, searchedScreens, searchedLayouts cache.Stats) {
	return r.shared.screens.Stats(), r.shared.layouts.Stats(), r.searched.screens.Stats(), r.searched.layouts.Stats()
}

// WithRenderer draws through r, shared with other models.
func WithRenderer(r *Renderer) Option { return func(m *Model) { m.renderer = r } }
