package server

import (
	"errors"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"charm.land/log/v2"
	"github.com/prometheus/client_golang/prometheus"
)

// errOverran ends a browser whose step (an Update and the View after it)
// ran longer than its bound.
var errOverran = errors.New("a step of the browser ran too long")

// guard bounds the steps of every browser the server runs. Go cannot stop
// a goroutine, so a step that overruns is abandoned: its session ends and
// its slot is freed, and the goroutine is left to finish, or never to,
// counted in resume_browser_steps_leaked until it returns. Nothing waits
// for it, so neither the session nor Shutdown can be held by it.
type guard struct {
	bound   time.Duration
	log     *log.Logger
	overran prometheus.Counter
	leaked  prometheus.Gauge
	logged  atomic.Bool // the first overrun's stack has been logged
}

// abandoned counts a step that its loop stopped waiting for, and logs the
// first that overran with the stack it was stuck in. A step abandoned
// because its session ended is counted too, until it returns, but is no
// fault.
func (g *guard) abandoned(overran bool) {
	g.leaked.Inc()
	if !overran {
		return
	}
	g.overran.Inc()
	if g.logged.CompareAndSwap(false, true) {
		g.log.Error("browser step overran; its session is ended and its goroutine leaked",
			"bound", g.bound.String(), "stack", childStack("(*loop).step"))
	}
}

// returned notes that an abandoned step has finished after all.
func (g *guard) returned() { g.leaked.Dec() }

// childStack returns the stack of the goroutine that the calling one
// started in the function named fn, or "" if there is none. It is for a
// rare log line: it stops the world to read every goroutine's stack.
func childStack(fn string) string {
	all := make([]byte, 64<<10)
	for {
		n := runtime.Stack(all, true)
		if n < len(all) || len(all) >= 64<<20 {
			all = all[:n]
			break
		}
		all = make([]byte, 2*len(all))
	}
	// The calling goroutine comes first: "goroutine 6 [running]:".
	self := strings.Fields(string(all[:min(len(all), 64)]))
	if len(self) < 2 {
		return ""
	}
	if _, err := strconv.Atoi(self[1]); err != nil {
		return ""
	}
	id := self[1]
	for g := range strings.SplitSeq(string(all), "\n\n") {
		if strings.Contains(g, fn+" in goroutine "+id+"\n") {
			return g
		}
	}
	return ""
}
