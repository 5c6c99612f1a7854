package server

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// BenchmarkSessions opens b.N browser sessions over real TCP and keeps
// them open, reporting the time to the first frame, the heap and RSS each
// session adds (client and server share this process, so these are upper
// bounds; shared/tools/sshload measures the server alone), and the bytes
// one j sends. Run it with a fixed count:
//
//	go test ./server -run '^$' -bench Sessions -benchtime 200x
func BenchmarkSessions(b *testing.B) {
	for _, size := range [][2]int{{80, 24}, {200, 60}} {
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) {
			benchSessions(b, size[0], size[1])
		})
	}
}

type benchSession struct {
	sess  *gossh.Session
	stdin io.Writer
	out   *waitBuf
}

// waitBuf collects a session's output and says when text has arrived.
type waitBuf struct {
	mu  sync.Mutex
	buf bytes.Buffer
	n   int64
}

func (w *waitBuf) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.n += int64(len(p))
	if w.buf.Len() < 1<<16 {
		w.buf.Write(p)
	}
	return len(p), nil
}

func (w *waitBuf) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func (w *waitBuf) has(s string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Contains(w.buf.String(), s)
}

func (w *waitBuf) bytes() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.n
}

func benchSessions(b *testing.B, w, h int) {
	ts := startServer(b, Config{Limits: Limits{MaxSessions: 100_000, PerSourceRate: 1_000_000, MaxHandshakes: 10_000}})
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	rssBefore := rss()
	sessions := make([]benchSession, 0, b.N)
	var firstFrame time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		sess := ts.session(b)
		if err := sess.RequestPty("xterm-256color", h, w, nil); err != nil {
			b.Fatal(err)
		}
		out := &waitBuf{}
		sess.Stdout = out
		stdin, err := sess.StdinPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := sess.Shell(); err != nil {
			b.Fatal(err)
		}
		for !out.has("quit") { // the footer: the first frame is all there
			time.Sleep(50 * time.Microsecond)
		}
		firstFrame += time.Since(start)
		sessions = append(sessions, benchSession{sess, stdin, out})
	}
	b.StopTimer()
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	n := float64(b.N)
	b.ReportMetric(float64(firstFrame.Microseconds())/n/1000, "ms-first-frame")
	b.ReportMetric(float64(int64(after.HeapInuse)-int64(before.HeapInuse))/n/1024, "KB-heap/session")
	b.ReportMetric(float64(rss()-rssBefore)/n/1024, "KB-rss/session")
	b.ReportMetric(float64(runtime.NumGoroutine())/n, "goroutines/session")
	// One j in the first session: how many bytes redraw it.
	s := sessions[0]
	mark := s.out.bytes()
	if _, err := io.WriteString(s.stdin, "j"); err != nil {
		b.Fatal(err)
	}
	for s.out.bytes() == mark {
		time.Sleep(50 * time.Microsecond)
	}
	time.Sleep(20 * time.Millisecond) // the whole frame
	b.ReportMetric(float64(s.out.bytes()-mark), "B/keystroke")
	for _, s := range sessions {
		_ = s.sess.Close()
	}
}

// rss is this process's resident set in bytes.
func rss() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize())
}
