package server

import (
	"net"
	"net/netip"
	"sync"
	"time"
)

// Limits bounds what the open internet can take from the server. The zero
// value of each field is its default.
type Limits struct {
	// MaxHandshakes caps connections in the key exchange (before the
	// server's reply, where the CPU goes), server-wide; 0 means 64. Each
	// source may hold a quarter of them. A person reading the host-key
	// prompt is past this phase and not counted here.
	MaxHandshakes int
	// LoginMemory bounds the memory of all connections not yet
	// authenticated, most of them people reading the host-key prompt,
	// in bytes; 0 means DefaultLoginMemory. It is turned into a count
	// at WaitingConnBytes each. Each source may hold a quarter of them,
	// and never fewer than MaxPerSource, so that a room behind one
	// address can all read the prompt at once.
	LoginMemory int64
	// MaxSessions caps concurrent sessions; 0 means 1,000: at the
	// largest window the server allows, a thousand sessions measured
	// about 200 MB resident, which fits a 512 MB machine with room to
	// spare (see the README's Performance section).
	MaxSessions int
	// MaxPerSource caps one source's concurrent sessions (IPv4 per
	// address, IPv6 per /64); 0 means a quarter of MaxSessions.
	MaxPerSource int
	// PerSourceRate is how many new connections a minute one source may
	// open, with as many at once; 0 means 120, so that a conference room
	// behind one NAT address gets in together.
	PerSourceRate int
	// Penalty is what protocol abuse costs a source: a connection that
	// never finishes the version exchange in time, malformed packets,
	// oversized or malformed requests. 0 means 5 s. People cost less: a
	// declined prompt 0.25 s, a forgotten one 10 s, a bare TCP connect
	// nothing.
	Penalty time.Duration
	// PenaltyThreshold is what a source may owe before it is refused;
	// 0 means 15 s, as OpenSSH's PerSourcePenalties min.
	PenaltyThreshold time.Duration
	// PenaltyExempt lists sources that are never charged, such as a
	// venue's known NAT address. Rates and caps still apply.
	PenaltyExempt []netip.Prefix
	// WriteTimeout ends a session whose client has stopped reading; 0
	// means 30 s.
	WriteTimeout time.Duration
	// MaxSources bounds the per-source table; 0 means 100,000.
	MaxSources int
}

// The defaults of Limits, which a zero field means and the CLI's flags
// show.
const (
	// DefaultMaxHandshakes: key exchanges cost CPU, and 64 at once keep
	// a 2-core machine's first frames fast.
	DefaultMaxHandshakes = 64
	// DefaultLoginMemory bounds the memory held by connections that have
	// not authenticated: about a thousand people at the prompt.
	DefaultLoginMemory = 64 << 20
	// DefaultMaxSessions fits MemoryMax=512M with room to spare (see the
	// README's Performance table).
	DefaultMaxSessions = 1000
	// DefaultPerSourceRate lets a room behind one address arrive at once.
	DefaultPerSourceRate = 120
	// DefaultPenalty is what protocol abuse costs a source.
	DefaultPenalty = 5 * time.Second
	// DefaultPenaltyThreshold is OpenSSH's PerSourcePenalties min.
	DefaultPenaltyThreshold = 15 * time.Second
	// DefaultWriteTimeout ends a session whose client stopped reading.
	DefaultWriteTimeout = 30 * time.Second
	// DefaultMaxSources bounds the per-source table (about 10 MB).
	DefaultMaxSources = 100_000
)

// WaitingConnBytes is what one connection waiting at the host-key prompt
// holds in the server, rounded up from the measurement in the README
// (BenchmarkWaitingAtPrompt); LoginMemory is counted in these.
const WaitingConnBytes = 64 << 10

// Fixed caps, which no flag changes: each bounds what one client can make
// the server hold or do.
const (
	maxEnv        = 16   // environment requests kept per session
	maxEnvValue   = 256  // bytes in one environment value
	maxCommandLen = 1024 // bytes in an exec request's command
	maxTermLen    = 64   // bytes in a pty-req's TERM

	// maxPending bounds the input held while a sequence is incomplete: a
	// client that opens an escape string and never ends it cannot grow it
	// further.
	maxPending = 4096
	// maxInbox bounds what the visitor may send ahead of the loop; see
	// loop.read.
	maxInbox = 4096
	// maxPaste bounds one bracketed paste: far more than any field of a
	// form takes, and the rest is dropped.
	maxPaste = 16 << 10
	// minFrame is the least time between two frames: 60 a second, as
	// Bubble Tea's renderer draws. A key after a pause is drawn at once;
	// what arrives faster (a burst of wheel events, or a client sending one
	// byte per packet to make the server draw flat out) is drawn together
	// at the next frame, so that no session can spend more than 60 draws a
	// second of CPU.
	minFrame = time.Second / 60
)

func (l Limits) withDefaults() Limits {
	if l.MaxHandshakes <= 0 {
		l.MaxHandshakes = DefaultMaxHandshakes
	}
	if l.LoginMemory <= 0 {
		l.LoginMemory = DefaultLoginMemory
	}
	if l.MaxSessions <= 0 {
		l.MaxSessions = DefaultMaxSessions
	}
	if l.MaxPerSource <= 0 {
		l.MaxPerSource = max(1, l.MaxSessions/4)
	}
	if l.PerSourceRate <= 0 {
		l.PerSourceRate = DefaultPerSourceRate
	}
	if l.Penalty <= 0 {
		l.Penalty = DefaultPenalty
	}
	if l.PenaltyThreshold <= 0 {
		l.PenaltyThreshold = DefaultPenaltyThreshold
	}
	if l.WriteTimeout <= 0 {
		l.WriteTimeout = DefaultWriteTimeout
	}
	if l.MaxSources <= 0 {
		l.MaxSources = DefaultMaxSources
	}
	return l
}

// Why a connection or session was refused, as the log and metrics say it.
const (
	refusedRate          = "rate"
	refusedPenalty       = "penalty"
	refusedHandshakes    = "handshakes"
	refusedSourceHS      = "source handshakes"
	refusedWaiting       = "login waiting"
	refusedSourceWaiting = "source login waiting"
	refusedSources       = "source table full"
	refusedBusy          = "busy"
	refusedPerSource     = "per source"
)

// How often the source table is swept of sources that hold and owe
// nothing: every pruneEvery, and when it is full at most every
// pruneFullEvery, so that a flood of new addresses costs one sweep a
// second, not one per connection.
const (
	pruneEvery     = time.Minute
	pruneFullEvery = time.Second
)

// limiter keeps the counters the limits are checked against. All of it is
// guarded by mu; nothing in it runs a goroutine.
type limiter struct {
	cfg Limits
	now func() time.Time
	// waitCap and waitShare are LoginMemory as counts of waiting
	// connections, server-wide and per source.
	waitCap, waitShare int

	mu        sync.Mutex
	inPhase   [phaseAuthed]int // connections in phaseKex and phaseLogin
	sessions  int
	sources   map[netip.Prefix]*source
	lastPrune time.Time
	prunes    int // sweeps so far, for tests
}

// source is what the limiter knows of one address (or IPv6 /64).
type source struct {
	tokens   float64
	refilled time.Time
	inPhase  [phaseAuthed]int
	sessions int
	conns    int
	penalty  time.Time // what it owes runs until then
}

func newLimiter(cfg Limits, now func() time.Time) *limiter {
	waitCap := max(1, int(cfg.LoginMemory/WaitingConnBytes))
	return &limiter{
		cfg: cfg, now: now, sources: map[netip.Prefix]*source{}, lastPrune: now(),
		waitCap: waitCap, waitShare: min(waitCap, max(cfg.MaxPerSource, waitCap/4)),
	}
}

// exempt reports whether key is one of the sources the operator spared
// (--penalty-exempt): a venue's shared address.
func (l *limiter) exempt(key netip.Prefix) bool {
	for _, p := range l.cfg.PenaltyExempt {
		if p.Overlaps(key) {
			return true
		}
	}
	return false
}

// sourceKey groups addresses: IPv4 by address, IPv6 by /64, since one
// IPv6 visitor usually holds a whole /64.
func sourceKey(addr net.Addr) netip.Prefix {
	var ip netip.Addr
	if tcp, ok := addr.(*net.TCPAddr); ok {
		ip, _ = netip.AddrFromSlice(tcp.IP)
	} else if ap, err := netip.ParseAddrPort(addr.String()); err == nil {
		ip = ap.Addr()
	}
	ip = ip.Unmap()
	bits := 32
	if ip.Is6() {
		bits = 64
	}
	p, _ := ip.Prefix(bits)
	return p
}

// admit decides, before any cryptography, whether a new connection from
// key may start its handshake. On "" it holds a phaseKex slot, which
// move releases.
func (l *limiter) admit(key netip.Prefix) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	src, why := l.source(key)
	switch {
	case why != "":
		return why
	case l.inPhase[phaseKex] >= l.cfg.MaxHandshakes:
		return refusedHandshakes
	case src.inPhase[phaseKex] >= max(1, l.cfg.MaxHandshakes/4):
		return refusedSourceHS
	case l.inPhase[phaseKex]+l.inPhase[phaseLogin] >= l.waitCap:
		return refusedWaiting
	case src.inPhase[phaseKex]+src.inPhase[phaseLogin] >= l.waitShare:
		return refusedSourceWaiting
	}
	src.tokens--
	src.inPhase[phaseKex]++
	src.conns++
	l.inPhase[phaseKex]++
	return ""
}

// source is key's entry, made if new, once what it owes and its rate
// allow it a new connection or request; else why not. l.mu is held.
func (l *limiter) source(key netip.Prefix) (*source, string) {
	now := l.now()
	full := len(l.sources) >= l.cfg.MaxSources
	if since := now.Sub(l.lastPrune); since >= pruneEvery || (full && since >= pruneFullEvery) {
		l.prune(now)
	}
	src := l.sources[key]
	if src == nil {
		if len(l.sources) >= l.cfg.MaxSources {
			return nil, refusedSources
		}
		src = &source{tokens: float64(l.cfg.PerSourceRate), refilled: now}
		l.sources[key] = src
	}
	if src.penalty.Sub(now) > l.cfg.PenaltyThreshold {
		return nil, refusedPenalty
	}
	l.refill(src, now)
	if src.tokens < 1 {
		return nil, refusedRate
	}
	return src, ""
}

// request decides whether a web request from key may be served: it
// spends the source's rate, shared with its SSH connections, and is
// refused what the source owes for abuse, as they are.
func (l *limiter) request(key netip.Prefix) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	src, why := l.source(key)
	if why == "" {
		src.tokens--
	}
	return why
}

func (l *limiter) refill(src *source, now time.Time) {
	rate := float64(l.cfg.PerSourceRate) / float64(time.Minute)
	src.tokens = min(float64(l.cfg.PerSourceRate), src.tokens+rate*float64(now.Sub(src.refilled)))
	src.refilled = now
}

// move carries a connection's slots from one phase to the next. Moving
// from phaseKex to phaseLogin needs no check: admit reserved room for
// both.
func (l *limiter) move(key netip.Prefix, from, to phase) {
	if from == to {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	src := l.sources[key]
	if from.waiting() {
		l.inPhase[from]--
		if src != nil {
			src.inPhase[from]--
		}
	}
	if to.waiting() {
		l.inPhase[to]++
		if src != nil {
			src.inPhase[to]++
		}
	}
	if to == phaseClosed && src != nil {
		src.conns--
	}
}

// startSession takes a session slot, or says why there is none.
func (l *limiter) startSession(key netip.Prefix) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	src := l.sources[key]
	switch {
	case l.sessions >= l.cfg.MaxSessions:
		return refusedBusy
	case src != nil && src.sessions >= l.cfg.MaxPerSource:
		return refusedPerSource
	}
	l.sessions++
	if src != nil {
		src.sessions++
	}
	return ""
}

func (l *limiter) endSession(key netip.Prefix) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sessions--
	if src := l.sources[key]; src != nil {
		src.sessions--
	}
}

// penalise adds d to what key owes, unless it is exempt. Debts run in
// real time and are capped at ten minutes.
func (l *limiter) penalise(key netip.Prefix, d time.Duration) {
	if l.exempt(key) {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	src := l.sources[key]
	if src == nil {
		return
	}
	now := l.now()
	if src.penalty.Before(now) {
		src.penalty = now
	}
	src.penalty = src.penalty.Add(d)
	if limit := now.Add(10 * time.Minute); src.penalty.After(limit) {
		src.penalty = limit
	}
}

// owes is what key owes now, for tests.
func (l *limiter) owes(key netip.Prefix) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if src := l.sources[key]; src != nil {
		return max(0, src.penalty.Sub(l.now()))
	}
	return 0
}

// prune forgets sources that hold nothing and owe nothing.
func (l *limiter) prune(now time.Time) {
	l.lastPrune = now
	l.prunes++
	for k, src := range l.sources {
		l.refill(src, now)
		if src.conns == 0 && src.sessions == 0 && src.penalty.Before(now) && src.tokens >= float64(l.cfg.PerSourceRate) {
			delete(l.sources, k)
		}
	}
}

// counts is the limiter's state for tests and metrics: connections in
// the key exchange, at the login prompt, and sessions.
func (l *limiter) counts() (kex, login, sessions int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.inPhase[phaseKex], l.inPhase[phaseLogin], l.sessions
}
