package ui

import "time"

// Option configures a Model.
type Option func(*Model)

// WithClock sets the clock that durations are counted to.
func WithClock(now func() time.Time) Option { return func(m *Model) { m.now = now } }

// WithReader starts in reader mode: one plain column for screen readers
// and dumb terminals.
func WithReader(on bool) Option { return func(m *Model) { m.reader = on } }

// WithDemo turns on the booth demo: after a while without input a tour
// walks through the résumé; any key stops it, q is ignored and only
// ctrl+c quits.
func WithDemo(on bool) Option { return func(m *Model) { m.demo.on = on } }

// WithDemoTiming sets how long the demo waits for input before touring
// and how long each step of the tour lasts (45 s and 6 s by default).
func WithDemoTiming(idle, step time.Duration) Option {
	return func(m *Model) { m.demo.idle, m.demo.step = idle, step }
}

// WithSize sets the window size to lay out for before the first
// tea.WindowSizeMsg arrives (80×24 by default).
func WithSize(width, height int) Option {
	return func(m *Model) { m.width, m.height = width, height }
}

// WithKeyMap answers to keys in place of DefaultKeyMap; the help page
// and the footers show them.
func WithKeyMap(k KeyMap) Option { return func(m *Model) { m.keys = &k } }

// WithDark sets the palette to start with, until the terminal reports its
// background (dark by default).
func WithDark(dark bool) Option { return func(m *Model) { m.dark = dark } }
