package ui

import (
	"sync"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// The two default palettes, light and dark, built once and shared by
// every browser in the process: a server's sessions each hold a pointer,
// not a 17 KB copy.
var defaultPalettes = sync.OnceValue(func() *[2]Styles {
	return &[2]Styles{DefaultStyles(false), DefaultStyles(true)}
})

// WithStyles draws in light on a light background and in dark on a dark
// one, in place of DefaultStyles.
func WithStyles(light, dark Styles) Option {
	return func(m *Model) { m.palettes = &[2]Styles{light, dark} }
}

var helpTemplate = sync.OnceValue(help.New)

// helpModel is a help view in the model's palette, width cells wide.
func (m Model) helpModel(width int) help.Model {
	h := helpTemplate()
	h.Styles = m.styles.Help
	h.SetWidth(width)
	return h
}

// Styles is the browser's palette, in a light or a dark variant. Colours
// are written in full; the output's colour profile (one per visitor)
// turns them into what that terminal can show, or drops them.
type Styles struct {
	Title, Accent, Dim, Text  lipgloss.Style
	Selected, Marker, Current lipgloss.Style
	Match, Link, Code         lipgloss.Style
	Strong, Emph              lipgloss.Style
	Bar, BarAlt, BarSelected  lipgloss.Style
	Rule, Key, Footer, Error  lipgloss.Style
	Help                      help.Styles
}

// DefaultStyles is the palette for a dark or a light background.
func DefaultStyles(isDark bool) Styles {
	c := lipgloss.LightDark(isDark)
	accent := c(lipgloss.Color("#5A3FC0"), lipgloss.Color("#B8A6FF"))
	second := c(lipgloss.Color("#0B7A75"), lipgloss.Color("#5FD7C4"))
	dim := c(lipgloss.Color("#5C5C68"), lipgloss.Color("#A3A3B1"))
	text := c(lipgloss.Color("#1E1E24"), lipgloss.Color("#E6E6EE"))
	warm := c(lipgloss.Color("#B3261E"), lipgloss.Color("#FFB4A9"))
	s := lipgloss.NewStyle()
	// The help's own greys are too faint to read on most backgrounds.
	h := help.Styles{
		ShortKey: s.Foreground(accent), ShortDesc: s.Foreground(dim), ShortSeparator: s.Foreground(dim),
		Ellipsis: s.Foreground(dim),
		FullKey:  s.Foreground(accent), FullDesc: s.Foreground(dim), FullSeparator: s.Foreground(dim),
	}
	return Styles{
		Title:       s.Bold(true).Foreground(accent),
		Accent:      s.Foreground(second),
		Dim:         s.Foreground(dim),
		Text:        s.Foreground(text),
		Selected:    s.Bold(true).Foreground(accent),
		Marker:      s.Bold(true).Foreground(accent),
		Current:     s.Foreground(second),
		Match:       s.Reverse(true).Bold(true),
		Link:        s.Underline(true).Foreground(second),
		Code:        s.Foreground(warm),
		Strong:      s.Bold(true),
		Emph:        s.Italic(true),
		Bar:         s.Foreground(dim),
		BarAlt:      s.Foreground(second),
		BarSelected: s.Foreground(accent).Bold(true),
		Rule:        s.Foreground(dim),
		Key:         s.Foreground(accent),
		Footer:      s.Foreground(dim),
		Error:       s.Foreground(warm).Bold(true),
		Help:        h,
	}
}
