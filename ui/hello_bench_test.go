package ui

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/resume-ssh/resume/content"
)

func formModel(w, h int) Model {
	m := New(content.Default(), WithClock(clock), WithNotes(func(Note) (int64, error) { return 1, nil }))
	return drive(m, w, h, "h")
}

// BenchmarkHelloKey is a key typed into the form's name field and the
// frame after it, as the server's loop does them: a letter, then a
// backspace, so that the field stays the same length. p50-µs is the
// median of the two.
func BenchmarkHelloKey(b *testing.B) {
	for _, size := range sizes {
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) {
			m := formModel(size[0], size[1])
			keys := []tea.Msg{press("a"), tea.KeyPressMsg{Code: tea.KeyBackspace}}
			var times []time.Duration
			b.ReportAllocs()
			for b.Loop() {
				for _, k := range keys {
					start := time.Now()
					next, _ := m.Update(k)
					m = next.(Model)
					_ = m.View()
					times = append(times, time.Since(start))
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Nanoseconds())/1e3, "p50-µs")
		})
	}
}

// BenchmarkHelloFormMemory is what opening the form adds to a session:
// the heap held by many models at 80×24, before and after h, per model.
func BenchmarkHelloFormMemory(b *testing.B) {
	const n = 200
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	for b.Loop() {
		models := make([]Model, n)
		for i := range models {
			models[i] = drive(New(content.Default(), WithClock(clock), WithNotes(func(Note) (int64, error) { return 1, nil })), 80, 24)
		}
		before := heap()
		for i := range models {
			models[i] = drive(models[i], 80, 24, "h")
		}
		after := heap()
		runtime.KeepAlive(models)
		b.ReportMetric(float64(after-before)/n, "B/session")
	}
}
