package server

import (
	"net/netip"
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
