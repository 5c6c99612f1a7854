package ui

import (
	"fmt"
	"testing"

	"github.com/resume-ssh/resume/content"
)

func BenchmarkView(b *testing.B) {
	for _, size := range [][2]int{{80, 24}, {200, 60}} {
		for _, v := range views {
			b.Run(fmt.Sprintf("%s/%dx%d", v.name, size[0], size[1]), func(b *testing.B) {
				m := drive(New(content.Default(), WithClock(clock)), size[0], size[1], v.keys...)
				b.ReportAllocs()
				for b.Loop() {
					_ = m.View()
				}
			})
		}
	}
}

// BenchmarkKeypress is one j and one k, each an Update and a View, as the
// program loop does them.
func BenchmarkKeypress(b *testing.B) {
	for _, size := range [][2]int{{80, 24}, {200, 60}} {
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) {
			m := drive(New(content.Default(), WithClock(clock)), size[0], size[1])
			j, k := press("j"), press("k")
			b.ReportAllocs()
			for b.Loop() {
				next, _ := m.Update(j)
				_ = next.View()
				next, _ = next.Update(k)
				_ = next.View()
				m = next.(Model)
			}
		})
	}
}
