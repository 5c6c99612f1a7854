package server

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// recorder is a model that notes every message it is given and shows how
// many; a key named in cmds returns that command, and panicOn panics.
type recorder struct {
	mu      *sync.Mutex
	got     *[]string
	cmds    map[string]tea.Cmd
	panicOn string // a key that makes Update panic
}

func (r recorder) Init() tea.Cmd { return nil }

func (r recorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	s := fmt.Sprint(msg)
	if k, ok := msg.(tea.KeyPressMsg); ok {
		s = "key " + k.String()
	}
	if m, ok := msg.(tea.MouseClickMsg); ok {
		s = fmt.Sprintf("click %d,%d", m.X, m.Y)
	}
	if m, ok := msg.(tea.WindowSizeMsg); ok {
		s = fmt.Sprintf("size %dx%d", m.Width, m.Height)
	}
	r.mu.Lock()
	*r.got = append(*r.got, s)
	r.mu.Unlock()
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if k.String() == r.panicOn {
			panic("boom in an update")
		}
		return r, r.cmds[k.String()]
	}
	return r, nil
}

func (r recorder) View() tea.View {
	r.mu.Lock()
	defer r.mu.Unlock()
	return tea.NewView(fmt.Sprintf("%d messages", len(*r.got)))
}

type loopRig struct {
	t      *testing.T
	l      *loop
	in     *io.PipeWriter
	mu     sync.Mutex
	got    []string
	out    strings.Builder
	outMu  sync.Mutex
	writes int
	quit   chan bool
}

func (g *loopRig) Write(p []byte) (int, error) {
	g.outMu.Lock()
	defer g.outMu.Unlock()
	g.writes++
	return g.out.Write(p)
}

// waitOut waits until the screen has shown s.
func (g *loopRig) waitOut(s string) {
	g.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		g.outMu.Lock()
		ok := strings.Contains(g.out.String(), s)
		g.outMu.Unlock()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			g.t.Fatalf("the screen never showed %q", s)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func startLoop(t *testing.T, cmds map[string]tea.Cmd) *loopRig {
	t.Helper()
	return startLoopTo(t, cmds, nil)
}

// startLoopTo starts a loop that draws to out, or to the rig when out is
// nil.
func startLoopTo(t *testing.T, cmds map[string]tea.Cmd, out io.Writer) *loopRig {
	t.Helper()
	return startLoopWith(t, func(r recorder) tea.Model { return r }, cmds, out)
}

// startLoopWith starts a loop over the model that model makes of the
// rig's recorder.
func startLoopWith(t *testing.T, model func(recorder) tea.Model, cmds map[string]tea.Cmd, out io.Writer) *loopRig {
	t.Helper()
	g := &loopRig{t: t, quit: make(chan bool, 1)}
	if out == nil {
		out = g
	}
	r, w := io.Pipe()
	g.in = w
	m := model(recorder{mu: &g.mu, got: &g.got, cmds: cmds})
	g.l = newLoop(m, newFrameWriter(out, 80, 24), r, testGuard(time.Minute, nil))
	g.l.unsupported = func(kind string) { t.Errorf("the loop met a Bubble Tea message it does not support: %s", kind) }
	ctx, cancel := context.WithCancel(context.Background())
	go func() { quit, _ := g.l.run(ctx); g.quit <- quit }()
	t.Cleanup(func() {
		cancel()
		_ = w.Close()
		if gt, ok := out.(*gate); ok {
			gt.release()
		}
		<-g.l.done
	})
	return g
}

// wait waits until the model has seen want, in order, and nothing else.
func (g *loopRig) wait(want ...string) {
	g.t.Helper()
	waitSeen(g.t, &g.mu, &g.got, "all of "+strings.Join(want, " | "), func(got []string) bool {
		return strings.Join(got, " | ") == strings.Join(want, " | ")
	})
}

// lastIs reports whether the last message the model saw becomes want
// within d.
func (g *loopRig) lastIs(want string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		g.mu.Lock()
		ok := len(g.got) > 0 && g.got[len(g.got)-1] == want
		g.mu.Unlock()
		if ok {
			return true
		}
		time.Sleep(2 * time.Millisecond)
	}
	return false
}

// waitSeen waits until ok holds for the messages a recorder has seen.
func waitSeen(t *testing.T, mu *sync.Mutex, got *[]string, want string, ok func([]string) bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		seen := slices.Clone(*got)
		mu.Unlock()
		if ok(seen) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the model saw %q, want %s", seen, want)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func (g *loopRig) send(s string) {
	g.t.Helper()
	if _, err := io.WriteString(g.in, s); err != nil {
		g.t.Fatal(err)
	}
}

func TestLoopDecodesInputAcrossReads(t *testing.T) {
	g := startLoop(t, nil)
	g.send("j")
	g.wait("key j")
	// An arrow key split between two reads is one key.
	g.send("\x1b[")
	g.send("B")
	g.wait("key j", "key down")
	// A lone ESC is the Escape key once the rest has had time to come.
	g.send("\x1b")
	g.wait("key j", "key down", "key esc")
	// Several keys in one read, and an SGR mouse click.
	g.send("kq\x1b[<0;5;3M")
	g.wait("key j", "key down", "key esc", "key k", "key q", "click 4,2")
	// A character split in the middle of its UTF-8 bytes.
	g.send("\xc3")
	g.send("\xa9")
	g.wait("key j", "key down", "key esc", "key k", "key q", "click 4,2", "key é")
}

func TestLoopDropsWhatTheModelDoesNotHandle(t *testing.T) {
	g := startLoop(t, nil)
	// A focus report and a cursor position report reach the model as a
	// tea.Program gives them (tea.FocusMsg, tea.CursorPositionMsg); an
	// unknown CSI and an APC string do not; then a key.
	g.send("\x1b[I\x1b[12;40R\x1b[99;99z\x1b_hostile\x1b\\x")
	g.wait("{}", "{39 11}", "key x")
}

func TestLoopBoundsAnUnendedSequence(t *testing.T) {
	g := startLoop(t, nil)
	// An OSC string that never ends, far larger than the bound. Were it
	// held whole, the z after it would be swallowed too.
	g.send("\x1b]11;")
	for range 64 {
		g.send(strings.Repeat("A", 1000))
	}
	// A read that finds the loop behind is dropped, so send until one
	// gets through.
	deadline := time.Now().Add(5 * time.Second)
	for {
		g.send("z")
		if g.lastIs("key z", 50*time.Millisecond) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the loop stopped taking input after an unended sequence")
		}
	}
}

// TestLoopInputNeverBacksUp: while the loop is stuck writing to a visitor
// who stopped reading, whatever they send is still read (and dropped), so
// that it never piles up in the SSH channel's buffers.
func TestLoopInputNeverBacksUp(t *testing.T) {
	g := startLoopTo(t, nil, newGate())
	w := g.in
	sent := make(chan error, 1)
	go func() {
		_, err := io.Copy(w, io.LimitReader(endlessJ{}, 8<<20))
		sent <- err
	}()
	select {
	case err := <-sent:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("input backed up behind a loop stuck writing")
	}
}

// endlessJ is an endless stream of j.
type endlessJ struct{}

func (endlessJ) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'j'
	}
	return len(p), nil
}

func TestLoopRunsBatchesAndQuits(t *testing.T) {
	type hello struct{}
	g := startLoop(t, map[string]tea.Cmd{
		"b": tea.Batch(func() tea.Msg { return hello{} }, func() tea.Msg { return hello{} }),
		"q": tea.Quit,
	})
	g.send("b")
	g.wait("key b", "{}", "{}")
	g.waitOut("3 messages")
	g.send("q")
	select {
	case quit := <-g.quit:
		if !quit {
			t.Error("run says the context ended, not the model")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("tea.Quit did not end the loop")
	}
}

// TestLoopDrawsAtMost60FramesASecond: a client sending one byte per
// packet as fast as it can gets every key handled but no more than 60
// frames a second, and the last frame shows everything.
func TestLoopDrawsAtMost60FramesASecond(t *testing.T) {
	g := startLoop(t, nil)
	g.waitOut("0 messages")
	start := time.Now()
	g.outMu.Lock()
	before := g.writes
	g.outMu.Unlock()
	const n = 2000
	for range n {
		g.send("j")
	}
	g.waitOut(fmt.Sprintf("%d messages", n))
	elapsed := time.Since(start)
	g.outMu.Lock()
	frames := g.writes - before
	g.outMu.Unlock()
	if most := int(elapsed/minFrame) + 2; frames > most {
		t.Errorf("%d frames in %v; at 60 a second there would be at most %d", frames, elapsed, most)
	}
}

// TestLoopCarriesPanicsToItsCaller: a panic in a command's goroutine or
// in Update (which runs on a step's goroutine) reaches the goroutine that
// called run, whose recover logs it, with the stack where it happened.
func TestLoopCarriesPanicsToItsCaller(t *testing.T) {
	for _, tc := range []struct {
		name string
		cmd  tea.Cmd
	}{
		{"command", func() tea.Msg { panic("boom in a command") }},
		{"update", nil}, // the recorder panics on "p" itself
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, w := io.Pipe()
			defer w.Close()
			var mu sync.Mutex
			var got []string
			m := recorder{mu: &mu, got: &got, cmds: map[string]tea.Cmd{"p": tc.cmd}}
			if tc.cmd == nil {
				m.panicOn = "p"
			}
			l := newLoop(m, newFrameWriter(io.Discard, 80, 24), r, testGuard(time.Minute, nil))
			panicked := make(chan any, 1)
			go func() {
				defer func() { panicked <- recover() }()
				_, _ = l.run(context.Background())
			}()
			if _, err := io.WriteString(w, "p"); err != nil {
				t.Fatal(err)
			}
			select {
			case v := <-panicked:
				p, ok := v.(carried)
				if !ok || !strings.Contains(p.String(), "boom in a") || !strings.Contains(p.String(), "goroutine") {
					t.Errorf("recovered %v, want the panic with its stack", v)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the panic was lost")
			}
		})
	}
}

// gate is a visitor who has stopped reading until released.
type gate struct {
	open chan struct{}
	once sync.Once
}

func newGate() *gate { return &gate{open: make(chan struct{})} }

func (g *gate) Write(p []byte) (int, error) {
	<-g.open
	return len(p), nil
}

func (g *gate) release() { g.once.Do(func() { close(g.open) }) }

func TestLoopResizesNeverBlock(t *testing.T) {
	out := newGate()
	g := startLoopTo(t, nil, out)
	l := g.l
	// The loop is stuck writing its first frame; resizes still return at
	// once, and only the latest is kept.
	done := make(chan struct{})
	go func() {
		for i := range 1000 {
			l.resize(100+i%7, 30)
		}
		l.resize(120, 40)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("resize blocked behind a stalled visitor")
	}
	out.release()
	waitSeen(t, &g.mu, &g.got, "only the latest size", func(seen []string) bool {
		return strings.Join(seen, " | ") == "size 120x40"
	})
}

// TestLoopEscapeIsNotHeldByOtherEvents: a lone ESC counts as the Escape
// key once escWait has passed since it came, even while resizes keep the
// loop busy.
func TestLoopEscapeIsNotHeldByOtherEvents(t *testing.T) {
	g := startLoop(t, nil)
	g.send("\x1b")
	// Resizes keep coming, as from a window being dragged, until the
	// Escape arrives: were its wait restarted by each event, it would
	// never come while they do. 5 s is a hundred escWaits.
	seen := func() bool {
		g.mu.Lock()
		defer g.mu.Unlock()
		return slices.Contains(g.got, "key esc")
	}
	deadline := time.Now().Add(5 * time.Second)
	for i := 0; !seen(); i++ {
		if time.Now().After(deadline) {
			t.Fatalf("Escape never came while resizes did: %d resizes", i)
		}
		g.l.resize(80+i%2, 24)
		time.Sleep(10 * time.Millisecond) // a window being dragged
	}
}
