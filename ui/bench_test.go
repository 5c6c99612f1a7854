package ui

import (
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/resume-ssh/resume/content"
)

var sizes = [][2]int{{80, 24}, {200, 60}}

// BenchmarkView draws each view as if no visitor had seen that screen
// before (the memo bypassed), with the wrapped lines cached. A View found
// in the memo costs a lookup; see BenchmarkKeypress.
func BenchmarkView(b *testing.B) {
	for _, size := range sizes {
		for _, v := range views {
			b.Run(fmt.Sprintf("%s/%dx%d", v.name, size[0], size[1]), func(b *testing.B) {
				m := drive(New(content.Default(), WithClock(clock)), size[0], size[1], v.keys...)
				b.ReportAllocs()
				for b.Loop() {
					_ = m.draw()
				}
			})
		}
	}
}

// BenchmarkFirstScreen is a new visitor's first screen: a new model drawn
// by the first visitor of the process (nothing cached), drawn with the
// wrapped lines cached (the first at a size after someone at the same
// width), and found in the memo, as every visitor after the first at that
// size gets it.
func BenchmarkFirstScreen(b *testing.B) {
	shared := NewRenderer(0) // as a server's, shared by every visitor
	for _, size := range sizes {
		b.Run(fmt.Sprintf("cold/%dx%d", size[0], size[1]), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = New(content.Default(), WithClock(clock), WithSize(size[0], size[1]), WithRenderer(NewRenderer(0))).draw()
			}
		})
		b.Run(fmt.Sprintf("drawn/%dx%d", size[0], size[1]), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = New(content.Default(), WithClock(clock), WithSize(size[0], size[1]), WithRenderer(shared)).draw()
			}
		})
		b.Run(fmt.Sprintf("memoised/%dx%d", size[0], size[1]), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = New(content.Default(), WithClock(clock), WithSize(size[0], size[1]), WithRenderer(shared)).View()
			}
		})
	}
}

// BenchmarkKeypress is one j and one k, each an Update and a View, as the
// server's loop does them: drawn, or found in the memo.
func BenchmarkKeypress(b *testing.B) {
	for _, size := range sizes {
		for _, how := range []struct {
			name string
			view func(Model) tea.View
		}{{"drawn", Model.draw}, {"memoised", Model.View}} {
			b.Run(fmt.Sprintf("%s/%dx%d", how.name, size[0], size[1]), func(b *testing.B) {
				m := drive(New(content.Default(), WithClock(clock)), size[0], size[1])
				j, k := press("j"), press("k")
				b.ReportAllocs()
				for b.Loop() {
					next, _ := m.Update(j)
					_ = how.view(next.(Model))
					next, _ = next.Update(k)
					m = next.(Model)
					_ = how.view(m)
				}
			})
		}
	}
}
