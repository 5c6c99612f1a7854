package server

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// TestMemoryIsReturnedAfterACrowd: when a crowd has come and gone, the
// server returns its memory once; a handful of visitors never triggers it.
func TestMemoryIsReturnedAfterACrowd(t *testing.T) {
	ts := startServer(t, Config{})
	var frees atomic.Int32
	ts.reclaim.floor = 8
	ts.reclaim.free = func() { frees.Add(1) }

	crowd := func(n int) {
		t.Helper()
		for i := range n {
			c, sess := ts.ptySession(t, fmt.Sprintf("127.0.0.%d", 10+i))
			stdout, _ := sess.StdoutPipe()
			scr := readScreen(t, stdout, 80, 24)
			if err := sess.Shell(); err != nil {
				t.Fatal(err)
			}
			scr.waitFor("Principal Engineer")
			defer c.Close()
		}
	}
	waitSessions := func(want int) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			if _, _, open := ts.lim.counts(); open == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("sessions never fell to %d", want)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}

	crowd(3)
	waitSessions(0)
	if n := frees.Load(); n != 0 {
		t.Errorf("3 visitors leaving returned memory %d times; the floor is 8", n)
	}
	crowd(10)
	waitSessions(0)
	// The slot is freed before the session's last bookkeeping, so the
	// return may come a moment after the count reaches 0.
	waitUntil(t, "memory returned after the crowd of 10", func() bool { return frees.Load() >= 1 })
	if n := frees.Load(); n != 1 {
		t.Errorf("a crowd of 10 leaving returned memory %d times, want once", n)
	}
}
