package ui

import (
	"sync"

	"charm.land/bubbles/v2/key"
)

// defaultKeys is the default key map, built once and shared; and the
// same without the card's keys, for a résumé with no contact details.
var (
	defaultKeys = sync.OnceValue(func() *KeyMap {
		k := DefaultKeyMap()
		return &k
	})
	// The default map with the card's keys off, the hello form's, or
	// both, by [card off][hello off].
	defaultVariants = sync.OnceValue(func() *[2][2]*KeyMap {
		var v [2][2]*KeyMap
		for card := range 2 {
			for hello := range 2 {
				v[card][hello] = without(defaultKeys(), card == 1, hello == 1)
			}
		}
		return &v
	})
)

// without is k with the card's keys, the hello form's, or both off: not
// matched, not listed.
func without(k *KeyMap, card, hello bool) *KeyMap {
	c := *k
	if card {
		c.Card.SetEnabled(false)
		c.Copy.SetEnabled(false)
	}
	if hello {
		for _, b := range []*key.Binding{&c.Hello, &c.FormAnswer, &c.FormNext, &c.FormBack, &c.FormLeave, &c.FormDelete, &c.FormYes, &c.FormNo} {
			b.SetEnabled(false)
		}
	}
	return &c
}

// KeyMap is every key the browser answers to: no key is matched
// anywhere but through it, and the help view shows all of it.
type KeyMap struct {
	Up, Down, First, Last key.Binding
	Jump                  key.Binding
	Open, Back            key.Binding
	Focus                 key.Binding
	PageUp, PageDown      key.Binding
	HalfUp, HalfDown      key.Binding
	Timeline              key.Binding
	About, Search         key.Binding
	Next, Prev            key.Binding
	Reader, Help          key.Binding
	Card, Copy            key.Binding
	Hello                 key.Binding
	Quit, ForceQuit       key.Binding

	// In the timeline, where ← and → walk the bars.
	BarPrev, BarNext key.Binding
	// In the search field, while typing.
	SearchAccept, SearchCancel     key.Binding
	SearchUp, SearchDown           key.Binding
	SearchDelete, SearchDeleteWord key.Binding
	SearchClear                    key.Binding
	// In the hello form, beside its field's own keys (bubbles' text input's, for typing).
	FormAnswer, FormNext, FormBack key.Binding
	FormLeave, FormDelete          key.Binding
	FormYes, FormNo                key.Binding
}

// DefaultKeyMap is the browser's key map.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return KeyMap{
		Up:        b([]string{"up", "k"}, "↑/k", "up"),
		Down:      b([]string{"down", "j"}, "↓/j", "down"),
		First:     b([]string{"g", "home"}, "g", "first"),
		Last:      b([]string{"G", "end"}, "G", "last"),
		Jump:      b([]string{"1", "2", "3", "4", "5", "6", "7", "8", "9"}, "1–9", "jump to role"),
		Open:      b([]string{"enter", "right", "l"}, "enter/→", "open"),
		Back:      b([]string{"esc", "left"}, "esc/←", "back"),
		Focus:     b([]string{"tab", "shift+tab"}, "tab", "list/detail"),
		PageUp:    b([]string{"pgup"}, "pgup", "page up"),
		PageDown:  b([]string{"pgdown", "space"}, "pgdn", "page down"),
		HalfUp:    b([]string{"ctrl+u"}, "ctrl+u", "half page up"),
		HalfDown:  b([]string{"ctrl+d"}, "ctrl+d", "half page down"),
		Timeline:  b([]string{"t"}, "t", "timeline"),
		About:     b([]string{"a"}, "a", "about"),
		Search:    b([]string{"/"}, "/", "search"),
		Next:      b([]string{"n"}, "n", "next match"),
		Prev:      b([]string{"N"}, "N", "previous match"),
		Reader:    b([]string{"r"}, "r", "reader mode"),
		Help:      b([]string{"?"}, "?", "help"),
		Card:      b([]string{"c"}, "c", "contact card"),
		Hello:     b([]string{"h"}, "h", "say hello: leave a note"),
		Copy:      b([]string{"y"}, "y", "copy the email (card) or the role's link"),
		Quit:      b([]string{"q"}, "q", "quit"),
		ForceQuit: b([]string{"ctrl+c"}, "ctrl+c", "quit"),

		BarPrev: b([]string{"left", "up", "k"}, "←", "timeline: previous role"),
		BarNext: b([]string{"right", "l", "down", "j"}, "→/l", "timeline: next role"),

		SearchAccept:     b([]string{"enter"}, "enter", "search: keep the matches"),
		SearchCancel:     b([]string{"esc"}, "esc", "search: cancel"),
		SearchUp:         b([]string{"up", "ctrl+p"}, "↑/ctrl+p", "search: previous match"),
		SearchDown:       b([]string{"down", "ctrl+n"}, "↓/ctrl+n", "search: next match"),
		SearchDelete:     b([]string{"backspace", "ctrl+h"}, "⌫", "search: delete a letter"),
		SearchDeleteWord: b([]string{"ctrl+w"}, "ctrl+w", "search: delete a word"),
		SearchClear:      b([]string{"ctrl+u"}, "ctrl+u", "search: clear"),

		FormAnswer: b([]string{"enter"}, "enter", "note: answer"),
		FormNext:   b([]string{"tab"}, "tab", "note: next"),
		FormBack:   b([]string{"shift+tab"}, "⇧tab", "note: back"),
		FormLeave:  b([]string{"esc"}, "esc", "note: leave"),
		FormDelete: b([]string{"backspace"}, "⌫", "note: delete"),
		FormYes:    b([]string{"y", "Y"}, "y", "note: may contact"),
		FormNo:     b([]string{"n", "N"}, "n", "note: may not"),
	}
}

// ShortHelp is the footer's key help in the role list; the footer adds
// the way to quit.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Down, k.Open, k.Timeline, k.About, k.Search, k.Help}
}

// FullHelp is the help view's key map, in columns: every binding.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.First, k.Last, k.Jump, k.Open, k.Back, k.Focus},
		{k.PageUp, k.PageDown, k.HalfUp, k.HalfDown, k.Search, k.Next, k.Prev},
		{k.Timeline, k.About, k.Card, k.Copy, k.Hello, k.Reader, k.Help, k.Quit, k.ForceQuit, k.BarPrev, k.BarNext},
		{
			k.SearchAccept, k.SearchCancel, k.SearchUp, k.SearchDown, k.SearchDelete, k.SearchDeleteWord, k.SearchClear,
			k.FormAnswer, k.FormNext, k.FormBack, k.FormLeave, k.FormDelete, k.FormYes, k.FormNo,
		},
	}
}
