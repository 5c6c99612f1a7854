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
	// MaxHandshakes caps connections still in the handshake, server-wide;
	// 0 means 64. Each source may hold a quarter of them.
	MaxHandshakes int
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
	// Penalty is how long a source that misbehaves (handshake failures or
	// timeouts, oversized or malformed requests) is slowed for each
	// offence; it is refused once it owes more than two. 0 means 5 s.
	Penalty time.Duration
	// WriteTimeout ends a session whose client has stopped reading; 0
	// means 30 s.
	WriteTimeout time.Duration
	// MaxSources bounds the per-source table; 0 means 100,000.
	MaxSources int
}

// DefaultMaxSessions is the default cap on concurrent sessions.
const DefaultMaxSessions = 1000

func (l Limits) withDefaults() Limits {
	if l.MaxHandshakes <= 0 {
		l.MaxHandshakes = 64
	}
	if l.MaxSessions <= 0 {
		l.MaxSessions = DefaultMaxSessions
	}
	if l.MaxPerSource <= 0 {
		l.MaxPerSource = max(1, l.MaxSessions/4)
	}
	if l.PerSourceRate <= 0 {
		l.PerSourceRate = 120
	}
	if l.Penalty <= 0 {
		l.Penalty = 5 * time.Second
	}
	if l.WriteTimeout <= 0 {
		l.WriteTimeout = 30 * time.Second
	}
	if l.MaxSources <= 0 {
		l.MaxSources = 100_000
	}
	return l
}

// Why a connection or session was refused, as the log and metrics say it.
const (
	refusedRate       = "rate"
	refusedPenalty    = "penalty"
	refusedHandshakes = "handshakes"
	refusedSourceHS   = "source handshakes"
	refusedSources    = "source table full"
	refusedBusy       = "busy"
	refusedPerSource  = "per source"
)

// limiter keeps the counters the limits are checked against. All of it is
// guarded by mu; nothing in it runs a goroutine.
type limiter struct {
	cfg Limits
	now func() time.Time

	mu         sync.Mutex
	handshakes int
	sessions   int
	sources    map[netip.Prefix]*source
	admits     int
}

// source is what the limiter knows of one address (or IPv6 /64).
type source struct {
	tokens     float64
	refilled   time.Time
	handshakes int
	sessions   int
	conns      int
	penalty    time.Time // refused while this is more than two penalties away
}

func newLimiter(cfg Limits, now func() time.Time) *limiter {
	return &limiter{cfg: cfg, now: now, sources: map[netip.Prefix]*source{}}
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
// key may start its handshake. On "" the caller must call done later.
func (l *limiter) admit(key netip.Prefix) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.admits++
	if l.admits%1024 == 0 || len(l.sources) >= l.cfg.MaxSources {
		l.prune(now)
	}
	src := l.sources[key]
	if src == nil {
		if len(l.sources) >= l.cfg.MaxSources {
			return refusedSources
		}
		src = &source{tokens: float64(l.cfg.PerSourceRate), refilled: now}
		l.sources[key] = src
	}
	if src.penalty.Sub(now) > 2*l.cfg.Penalty {
		return refusedPenalty
	}
	l.refill(src, now)
	switch {
	case src.tokens < 1:
		return refusedRate
	case l.handshakes >= l.cfg.MaxHandshakes:
		return refusedHandshakes
	case src.handshakes >= max(1, l.cfg.MaxHandshakes/4):
		return refusedSourceHS
	}
	src.tokens--
	src.handshakes++
	src.conns++
	l.handshakes++
	return ""
}

func (l *limiter) refill(src *source, now time.Time) {
	rate := float64(l.cfg.PerSourceRate) / float64(time.Minute)
	src.tokens = min(float64(l.cfg.PerSourceRate), src.tokens+rate*float64(now.Sub(src.refilled)))
	src.refilled = now
}

// handshakeDone moves a connection from the handshake to authenticated.
func (l *limiter) handshakeDone(key netip.Prefix) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if src := l.sources[key]; src != nil {
		src.handshakes--
	}
	l.handshakes--
}

// connClosed releases what a connection held; inHandshake says whether it
// closed before authenticating.
func (l *limiter) connClosed(key netip.Prefix, inHandshake bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	src := l.sources[key]
	if inHandshake {
		l.handshakes--
		if src != nil {
			src.handshakes--
		}
	}
	if src != nil {
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

// penalise slows a source that misbehaved.
func (l *limiter) penalise(key netip.Prefix) {
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
	src.penalty = src.penalty.Add(l.cfg.Penalty)
	if limit := now.Add(10 * time.Minute); src.penalty.After(limit) {
		src.penalty = limit
	}
}

// prune forgets sources that hold nothing and owe nothing.
func (l *limiter) prune(now time.Time) {
	for k, src := range l.sources {
		l.refill(src, now)
		if src.conns == 0 && src.sessions == 0 && src.penalty.Before(now) && src.tokens >= float64(l.cfg.PerSourceRate) {
			delete(l.sources, k)
		}
	}
}

// counts is the limiter's state for tests and metrics.
func (l *limiter) counts() (handshakes, sessions int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.handshakes, l.sessions
}
