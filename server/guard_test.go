package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	gossh "golang.org/x/crypto/ssh"

	"github.com/resume-ssh/resume/ui"
)

// testGuard bounds steps by bound and logs to logs (nil: nowhere).
func testGuard(bound time.Duration, logs io.Writer) *guard {
	if logs == nil {
		logs = io.Discard
	}
	return &guard{
		bound:   bound,
		log:     log.New(logs),
		overran: prometheus.NewCounter(prometheus.CounterOpts{Name: "overran"}),
		leaked:  prometheus.NewGauge(prometheus.GaugeOpts{Name: "leaked"}),
	}
}

// hanging is a model whose View never returns once the key "H" has been
// pressed, until release is closed: a bug in the layout, or a document
// that sends it into a loop. It signals stuck, if not nil, as it hangs.
type hanging struct {
	tea.Model
	hang    bool
	stuck   chan struct{}
	release chan struct{}
}

func (h hanging) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "H" {
		h.hang = true
		return h, nil
	}
	m, cmd := h.Model.Update(msg)
	h.Model = m
	return h, cmd
}

func (h hanging) View() tea.View {
	if h.hang {
		if h.stuck != nil {
			h.stuck <- struct{}{}
		}
		<-h.release
	}
	return h.Model.View()
}

// waitFloat polls f until it is want.
func waitFloat(t *testing.T, what string, f func() float64, want float64) {
	t.Helper()
	waitUntil(t, fmt.Sprintf("%s is %v", what, want), func() bool { return f() == want })
}

func TestLoopAbandonsAStuckStep(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cancel bool // the session ends (idle, shutdown) while the step is stuck
	}{{"overran", false}, {"session ended", true}} {
		t.Run(tc.name, func(t *testing.T) {
			release := make(chan struct{})
			var logs logBuf
			g := testGuard(50*time.Millisecond, &logs)
			if tc.cancel {
				g.bound = time.Hour
			}
			r, w := io.Pipe()
			defer w.Close()
			var mu sync.Mutex
			var got []string
			stuck := make(chan struct{}, 1)
			m := hanging{Model: recorder{mu: &mu, got: &got}, stuck: stuck, release: release}
			l := newLoop(m, newFrameWriter(io.Discard, 80, 24), r, g)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			type result struct {
				quit bool
				err  error
			}
			ended := make(chan result, 1)
			go func() {
				quit, err := l.run(ctx)
				ended <- result{quit, err}
			}()
			if _, err := io.WriteString(w, "H"); err != nil {
				t.Fatal(err)
			}
			<-stuck
			if tc.cancel {
				cancel()
			}
			var res result
			select {
			case res = <-ended:
			case <-time.After(10 * time.Second):
				close(release)
				t.Fatal("the loop waited for a stuck step")
			}
			wantErr := errOverran
			if tc.cancel {
				wantErr = context.Canceled
			}
			if res.quit || !errors.Is(res.err, wantErr) {
				t.Errorf("run returned %v, %v; want false, %v", res.quit, res.err, wantErr)
			}
			if got := testutil.ToFloat64(g.leaked); got != 1 {
				t.Errorf("leaked steps while stuck: %v, want 1", got)
			}
			wantOverran, wantLog := 1.0, "hanging.View"
			if tc.cancel {
				wantOverran, wantLog = 0, ""
			}
			if got := testutil.ToFloat64(g.overran); got != wantOverran {
				t.Errorf("overran steps: %v, want %v", got, wantOverran)
			}
			if wantLog != "" && !strings.Contains(logs.String(), wantLog) {
				t.Errorf("the log has no stack of the stuck step:\n%s", logs.String())
			}
			if wantLog == "" && logs.String() != "" {
				t.Errorf("a step abandoned because its session ended was logged:\n%s", logs.String())
			}
			close(release)
			waitFloat(t, "leaked steps after release", func() float64 { return testutil.ToFloat64(g.leaked) }, 0)
		})
	}
}

// TestStuckStepEndsOnlyItsSession is the hang of issue 12 over SSH: a
// step that never returns ends its visitor's session with "internal
// error", closes the connection and frees the slot, is logged once with
// its stack and counted, and holds up neither the other visitors nor
// Shutdown.
func TestStuckStepEndsOnlyItsSession(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	ts := startServer(t, Config{StepTimeout: 200 * time.Millisecond})
	browser := ts.browser
	ts.browser = func(opts ...ui.Option) tea.Model { return hanging{Model: browser(opts...), release: release} }
	h := ts.MetricsHandler()

	other, otherIn, otherScr := ts.browse(t, 80, 24)
	otherScr.waitFor("Principal Engineer")
	for i := range 2 {
		sess, stdin, scr := ts.browse(t, 80, 24)
		scr.waitFor("Principal Engineer")
		if _, err := io.WriteString(stdin, "H"); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- sess.Wait() }()
		select {
		case err := <-done:
			var exit *gossh.ExitError
			if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
				t.Errorf("visitor %d: the session ended with %v, want exit status 1", i, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("visitor %d: a stuck step held the session", i)
		}
		scr.waitFor("internal error")
		body := scrape(t, h)
		if got := metricValue(t, body, "resume_browser_steps_leaked"); got != float64(i+1) {
			t.Errorf("visitor %d: resume_browser_steps_leaked %v", i, got)
		}
		if got := metricValue(t, body, "resume_browser_steps_overran_total"); got != float64(i+1) {
			t.Errorf("visitor %d: resume_browser_steps_overran_total %v", i, got)
		}
	}
	waitFloat(t, "sessions open", func() float64 { _, _, n := ts.lim.counts(); return float64(n) }, 1)
	if n := strings.Count(ts.logs.String(), "browser step overran"); n != 1 {
		t.Errorf("the overrun was logged %d times, want once:\n%s", n, ts.logs.String())
	}
	if l := ts.logs.String(); !strings.Contains(l, "hanging.View") || !strings.Contains(l, `reason="step overran"`) {
		t.Errorf("the log lacks the stuck step's stack or the session's end:\n%s", l)
	}

	// The other visitor is still served.
	if _, err := io.WriteString(otherIn, "q"); err != nil {
		t.Fatal(err)
	}
	if err := other.Wait(); err != nil {
		t.Errorf("the other visitor's q: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ts.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown with two steps stuck: %v", err)
	}
}
