package server

import (
	"fmt"
	"io"
	"net/netip"
	"runtime"
	"testing"
	"time"
)

func TestLobbyHandsOnAFreedSeat(t *testing.T) {
	now := time.Unix(1e9, 0)
	l := newLimiter(Limits{MaxSessions: 2}.withDefaults(), func() time.Time { return now })
	a, b, c := netip.MustParsePrefix("192.0.2.1/32"), netip.MustParsePrefix("192.0.2.2/32"), netip.MustParsePrefix("192.0.2.3/32")
	for _, k := range []netip.Prefix{a, b, c} {
		l.admit(k)
	}
	if l.startSession(a) != "" || l.startSession(b) != "" {
		t.Fatal("two seats")
	}
	if why := l.startSession(c); why != refusedBusy {
		t.Fatalf("a third: %q", why)
	}
	tk, why := l.wait(c)
	if why != "" {
		t.Fatal(why)
	}
	l.endSession(a)
	select {
	case <-tk.ready:
	default:
		t.Fatal("the freed seat did not go to the lobby")
	}
	if l.seatSources != 2 {
		t.Errorf("%d sources counted as wanting seats, want 2 (b and c)", l.seatSources)
	}
}

// TestLobbyTakesTurnsBetweenSources: a room of many behind one address
// and a lone visitor from elsewhere are served in turn, first come first
// served within each; each is told its true place in line.
func TestLobbyTakesTurnsBetweenSources(t *testing.T) {
	now := time.Unix(1e9, 0)
	l := newLimiter(Limits{MaxSessions: 1}.withDefaults(), func() time.Time { return now })
	room, lone := netip.MustParsePrefix("198.51.100.1/32"), netip.MustParsePrefix("203.0.113.5/32")
	l.admit(room)
	l.admit(lone)
	if l.startSession(room) != "" {
		t.Fatal("the first seat")
	}
	var waiting []*ticket
	for range 5 {
		tk, why := l.wait(room)
		if why != "" {
			t.Fatal(why)
		}
		waiting = append(waiting, tk)
	}
	mine, why := l.wait(lone)
	if why != "" {
		t.Fatal(why)
	}
	if n, _ := l.place(mine); n != 2 {
		t.Errorf("the lone visitor behind a room of 5 is #%d, want #2", n)
	}
	for i, tk := range waiting {
		if n, _ := l.place(tk); n != []int{1, 3, 4, 5, 6}[i] {
			t.Errorf("the room's visitor %d is #%d", i+1, n)
		}
	}
	var order []string
	seated := func() {
		now = now.Add(10 * time.Second)
		l.endSession(room) // whoever sits there leaves
		for i, tk := range append([]*ticket{mine}, waiting...) {
			select {
			case <-tk.ready:
				if tk.seated && !contains(order, i) {
					order = append(order, label(i))
				}
			default:
			}
		}
	}
	seated()
	seated()
	if len(order) != 2 || order[0] != "room 1" || order[1] != "lone" {
		t.Errorf("seated in the order %v, want room 1 then the lone visitor", order)
	}
	if _, eta := l.place(waiting[1]); eta <= 0 {
		t.Error("no wait is told once seats have been freed")
	}
}

func label(i int) string {
	if i == 0 {
		return "lone"
	}
	return "room " + string(rune('0'+i))
}

func contains(order []string, i int) bool {
	for _, o := range order {
		if o == label(i) {
			return true
		}
	}
	return false
}

// TestIdleTimeoutShrinksAsTheRoomFills: ten minutes up to half full, then
// less, down to two minutes when full.
func TestIdleTimeoutShrinksAsTheRoomFills(t *testing.T) {
	ts := startServer(t, Config{Limits: Limits{MaxSessions: 4}})
	var got []time.Duration
	for i := range 4 {
		key := netip.MustParsePrefix("192.0.2." + string(rune('1'+i)) + "/32")
		ts.lim.admit(key)
		if ts.lim.startSession(key) != "" {
			t.Fatal("a seat")
		}
		got = append(got, ts.idleLimit())
	}
	want := []time.Duration{10 * time.Minute, 10 * time.Minute, 6 * time.Minute, 2 * time.Minute}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d of 4 seats taken: idle timeout %s, want %s", i+1, got[i], want[i])
		}
	}
}

// BenchmarkWaitingInLobby is what a visitor waiting in the lobby holds,
// against a visitor whose session waits for input (ssh -T HOST hello,
// its goroutine blocked on a read): both with their SSH connection,
// client side included, so that the difference is the lobby's own cost.
// openCommands is how many command sessions run now.
func (ts *testServer) openCommands() int {
	ts.lim.mu.Lock()
	defer ts.lim.mu.Unlock()
	return ts.lim.commands
}

func waitUntilB(b *testing.B, cond func() bool) {
	b.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			b.Fatal("timed out")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func BenchmarkWaitingInLobby(b *testing.B) {
	for _, way := range []string{"hello", "lobby"} {
		b.Run(way, func(b *testing.B) {
			ts := startServer(b, Config{Inbox: openStore(b), Limits: Limits{MaxSessions: 1}})
			seated, s1 := ts.ptySession(b, "127.0.0.200")
			defer seated.Close()
			if err := s1.Shell(); err != nil {
				b.Fatal(err)
			}
			waitUntilB(b, func() bool { _, _, n := ts.lim.counts(); return n == 1 })
			const n = 50 // within the commands' budget of 64
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for i := range n {
				src := fmt.Sprintf("127.0.1.%d", i)
				if way == "hello" {
					c, err := ts.dialFrom(src)
					if err != nil {
						b.Fatal(err)
					}
					defer c.Close()
					sess, err := c.NewSession()
					if err != nil {
						b.Fatal(err)
					}
					stdin, _ := sess.StdinPipe() // held open: hello waits for the first answer
					defer stdin.Close()
					if err := sess.Start("hello"); err != nil {
						b.Fatal(err)
					}
					continue
				}
				c, sess := ts.ptySession(b, src)
				defer c.Close()
				if err := sess.Shell(); err != nil {
					b.Fatal(err)
				}
			}
			if way == "hello" {
				waitUntilB(b, func() bool { return ts.openCommands() == n })
			}
			if way == "lobby" {
				waitUntilB(b, func() bool { return ts.lim.lobbyLen() == n })
			}
			for b.Loop() {
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/n, "heap-B/visitor")
			b.ReportMetric(float64(after.StackInuse-before.StackInuse)/n, "stack-B/visitor")
			b.ReportMetric(float64(runtime.NumGoroutine())/n, "goroutines/visitor")
		})
	}
}

// BenchmarkLobbyOwnCost is what the lobby adds for each visitor waiting
// in it, beyond the session every visitor holds: their place in line,
// the goroutine that watches their keys with its buffer, and the screen
// they were last shown.
//
//	go test ./server -run '^$' -bench LobbyOwnCost -benchtime 1x
func BenchmarkLobbyOwnCost(b *testing.B) {
	const n = minLobby // as many as the lobby of a small server holds
	now := time.Unix(1e9, 0)
	l := newLimiter(Limits{MaxSessions: 1}.withDefaults(), func() time.Time { return now })
	seated := netip.MustParsePrefix("192.0.2.1/32")
	l.admit(seated)
	l.startSession(seated)
	srv := &Server{}
	done := make(chan struct{})
	defer close(done)
	var readers []*io.PipeWriter
	defer func() {
		for _, w := range readers {
			w.Close()
		}
	}()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	held := make([]any, 0, 3*n)
	for i := range n {
		key := netip.AddrFrom4([4]byte{198, 51, byte(i >> 8), byte(i)})
		p, _ := key.Prefix(32)
		l.admit(p)
		t, why := l.wait(p)
		if why != "" {
			b.Fatal(why)
		}
		r, w := io.Pipe()
		readers = append(readers, w)
		pos, eta := l.place(t)
		held = append(held, t, newHandoff(r, done), srv.lobbyScreen(pos, eta, false))
	}
	for b.Loop() {
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/n, "heap-B/visitor")
	b.ReportMetric(float64(after.StackInuse-before.StackInuse)/n, "stack-B/visitor")
	runtime.KeepAlive(held)
}
