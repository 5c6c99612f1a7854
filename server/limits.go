package server

import (
	"math/rand/v2"
	"net"
	"net/netip"
	"runtime"
	"sync"
	"time"
)

// Limits bounds what the open internet can take from the server. The zero
// value of each field is its default.
type Limits struct {
	// MaxHandshakes caps connections in the key exchange (before the
	// server's reply, where the CPU goes), server-wide; 0 means 16 a CPU.
	// Past it, connections wait in a queue served a source at a time;
	// once three quarters are taken, a source past its fair share waits
	// there too. A person reading the host-key prompt is past this phase
	// and not counted here.
	MaxHandshakes int
	// LoginMemory bounds the memory of all connections not yet
	// authenticated, most of them people reading the host-key prompt,
	// in bytes; 0 means DefaultLoginMemory. It is turned into a count
	// at WaitingConnBytes each. A source may use all of it that is free;
	// once nine tenths is taken, each source that wants some gets an
	// equal share, so that a room behind one address can all read the
	// prompt at once and a lone visitor still gets in beside it.
	LoginMemory int64
	// MaxSessions caps concurrent browser sessions; 0 means 1,000 (the
	// CLI works it out from memory instead: Capacity). When they are all
	// taken a newcomer may take the seat of an idle visitor from a source
	// over its fair share, or waits in the lobby.
	MaxSessions int
	// MaxPerSource caps one source's concurrent sessions (IPv4 per
	// address, IPv6 per /64); 0 means no fixed cap: a source may take
	// any seat that is free, and only a fair share of a full room.
	MaxPerSource int
	// PerSourceRate is how many new connections a minute one source may
	// open, with as many at once; 0 means 120. It bites only while every
	// handshake slot is taken; a web request always spends it.
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
	// handshakesPerCPU sizes the handshake slots to the CPUs: a key
	// exchange is about a millisecond of one CPU, and the rest of the
	// phase is the network.
	handshakesPerCPU = 16
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

// DefaultMaxHandshakes is the handshake slots for this machine's CPUs.
func DefaultMaxHandshakes() int { return handshakesPerCPU * runtime.NumCPU() }

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
	// maxCommands bounds the command sessions (ssh HOST txt, json, …)
	// running at once: they take no seat and never wait in the lobby, so
	// a full room does not hold them up.
	maxCommands = 64
	// minLobby is the fewest the lobby holds, however few the seats.
	minLobby = 256
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
		l.MaxHandshakes = DefaultMaxHandshakes()
	}
	if l.LoginMemory <= 0 {
		l.LoginMemory = DefaultLoginMemory
	}
	if l.MaxSessions <= 0 {
		l.MaxSessions = DefaultMaxSessions
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
	refusedLobbyFull     = "lobby full"
	refusedCommands      = "commands busy"
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
	// waitCap is LoginMemory as a count of waiting connections.
	waitCap int

	mu       sync.Mutex
	inPhase  [phaseAuthed]int // connections in phaseKex and phaseLogin
	sessions int
	commands int // command sessions (ssh HOST txt), which take no seat
	sources  map[netip.Prefix]*source
	// How many sources want each pool now: holding a login slot (or
	// asking for one), holding a seat or waiting for one. A full pool is
	// shared equally between them.
	loginSources, seatSources, kexSources int
	lobby                                 lobby
	kexq                                  lobby // connections waiting for a handshake slot
	roll                                  func() float64
	lastPrune                             time.Time
	prunes                                int // sweeps so far, for tests
}

// source is what the limiter knows of one address (or IPv6 /64).
type source struct {
	tokens   float64
	refilled time.Time
	inPhase  [phaseAuthed]int
	sessions int
	waiting  int // in the lobby
	queued   int // connections waiting for a handshake slot
	conns    int
	penalty  time.Time // what it owes runs until then
}

func newLimiter(cfg Limits, now func() time.Time) *limiter {
	return &limiter{
		cfg: cfg, now: now, sources: map[netip.Prefix]*source{}, lastPrune: now(),
		waitCap: max(1, int(cfg.LoginMemory/WaitingConnBytes)),
		lobby:   newLobby(max(minLobby, cfg.MaxSessions), now),
		kexq:    newLobby(max(256, 16*cfg.MaxHandshakes), now),
		roll:    rand.Float64,
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
// key may start its handshake. On "" with no ticket it holds a phaseKex
// slot, which move releases; with a ticket it is queued for one, and holds
// it once the ticket is ready (or gives up with unqueue).
func (l *limiter) admit(key netip.Prefix) (string, *ticket) {
	l.mu.Lock()
	defer l.mu.Unlock()
	src, why := l.source(key)
	if why != "" {
		return why, nil
	}
	waiting := l.inPhase[phaseKex] + l.inPhase[phaseLogin]
	mine := src.inPhase[phaseKex] + src.inPhase[phaseLogin]
	switch {
	case waiting+l.kexq.n >= l.waitCap:
		return refusedWaiting, nil
	case waiting >= l.waitCap-l.waitCap/10 && mine >= share(l.waitCap, l.loginSources+1):
		// Contended: a fair share each, counting the next to want one.
		return refusedSourceWaiting, nil
	}
	if l.inPhase[phaseKex] < l.cfg.MaxHandshakes && l.kexAllowed(src) {
		l.startKex(src) // no wait, no rate: a room arriving at once gets in
		return "", nil
	}
	// Every handshake slot is taken, or this source has its share of
	// them: the connection waits its turn. Now the rate bites, and past
	// half the queue a connection is refused with a chance that rises as
	// the queue fills, as OpenSSH's MaxStartups does.
	qlen, qcap := l.kexq.n, l.kexq.cap
	switch {
	case src.tokens < 1:
		return refusedRate, nil
	case qlen >= qcap:
		return refusedHandshakes, nil
	case qlen >= qcap/2 && l.roll() < float64(qlen-qcap/2)/float64(qcap-qcap/2):
		return refusedHandshakes, nil
	}
	t := l.kexq.add(key)
	if t == nil {
		return refusedHandshakes, nil
	}
	src.tokens--
	src.conns++
	if mine+src.queued == 0 {
		l.loginSources++
	}
	src.queued++
	return "", t
}

// kexAllowed reports whether src may take a free handshake slot: any
// while fewer than three quarters are taken, and then its fair share,
// counting the next source to want one. l.mu is held.
func (l *limiter) kexAllowed(src *source) bool {
	contended := l.inPhase[phaseKex] >= l.cfg.MaxHandshakes-l.cfg.MaxHandshakes/4
	return !contended || src.inPhase[phaseKex] < share(l.cfg.MaxHandshakes, l.kexSources+b2i(src.inPhase[phaseKex] == 0)+1)
}

// startKex gives src a handshake slot. l.mu is held.
func (l *limiter) startKex(src *source) {
	if src.inPhase[phaseKex]+src.inPhase[phaseLogin]+src.queued == 0 {
		l.loginSources++
	}
	if src.inPhase[phaseKex] == 0 {
		l.kexSources++
	}
	src.inPhase[phaseKex]++
	src.conns++
	l.inPhase[phaseKex]++
}

// admitQueued gives free handshake slots to queued connections, one
// source after another. l.mu is held.
func (l *limiter) admitQueued() {
	for l.inPhase[phaseKex] < l.cfg.MaxHandshakes {
		t := l.kexq.nextFor(func(key netip.Prefix) bool { return l.kexAllowed(l.sources[key]) })
		if t == nil {
			return // those waiting have their share: a slot stays for others
		}
		src := l.sources[t.key]
		if src.inPhase[phaseKex] == 0 {
			l.kexSources++
		}
		src.queued--
		src.inPhase[phaseKex]++
		l.inPhase[phaseKex]++
		t.seated = true
		close(t.ready)
	}
}

// unqueue takes a connection that gave up waiting out of the queue; true
// if it had been given a slot first, which is now its own.
func (l *limiter) unqueue(t *ticket) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t.seated {
		return true
	}
	if l.kexq.remove(t) {
		src := l.sources[t.key]
		src.queued--
		src.conns--
		if src.inPhase[phaseKex]+src.inPhase[phaseLogin]+src.queued == 0 {
			l.loginSources--
		}
	}
	return false
}

// share is a pool divided between the sources that want it, never less
// than one each.
func share(pool, sources int) int { return max(1, pool/max(1, sources)) }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// source is key's entry, made if new, unless what it owes refuses it, or
// the table is full. l.mu is held.
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
	return src, ""
}

// request decides whether a web request from key may be served: it
// spends the source's rate, shared with its SSH connections, and is
// refused what the source owes for abuse, as they are.
func (l *limiter) request(key netip.Prefix) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	src, why := l.source(key)
	switch {
	case why != "":
		return why
	case src.tokens < 1:
		return refusedRate
	}
	src.tokens--
	return ""
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
	if src != nil && from == phaseKex && src.inPhase[phaseKex] == 0 {
		l.kexSources--
	}
	if src != nil && from.waiting() && !to.waiting() && src.inPhase[phaseKex]+src.inPhase[phaseLogin]+src.queued == 0 {
		l.loginSources--
	}
	if from == phaseKex {
		l.admitQueued()
	}
	if to == phaseClosed && src != nil {
		src.conns--
	}
}

// startSession takes a seat for a browser session, or says why there is
// none: refusedBusy when every seat is taken or others wait in the lobby
// (the caller may then evict or queue), refusedPerSource past an explicit
// per-source cap.
func (l *limiter) startSession(key netip.Prefix) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	src := l.sources[key]
	switch {
	case src != nil && l.cfg.MaxPerSource > 0 && src.sessions >= l.cfg.MaxPerSource:
		return refusedPerSource
	case l.sessions >= l.cfg.MaxSessions || l.lobby.n > 0:
		return refusedBusy
	}
	l.seat(src)
	return ""
}

// seat gives src a seat. l.mu is held.
func (l *limiter) seat(src *source) {
	l.sessions++
	if src != nil {
		if src.sessions+src.waiting == 0 {
			l.seatSources++
		}
		src.sessions++
	}
}

// unseat takes a seat from src. l.mu is held.
func (l *limiter) unseat(src *source) {
	l.sessions--
	if src != nil {
		src.sessions--
		if src.sessions+src.waiting == 0 {
			l.seatSources--
		}
	}
}

// endSession gives up key's seat: to the next in the lobby, if anyone
// waits, else back to the pool.
func (l *limiter) endSession(key netip.Prefix) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.unseat(l.sources[key])
	l.lobby.freed()
	l.admitWaiting()
}

// admitWaiting seats visitors from the lobby while there are free seats,
// one source after another. l.mu is held.
func (l *limiter) admitWaiting() {
	for l.sessions < l.cfg.MaxSessions {
		t := l.lobby.next()
		if t == nil {
			return
		}
		src := l.sources[t.key]
		l.seat(src) // before it stops waiting: the source is counted once
		if src != nil {
			src.waiting--
		}
		t.seated = true
		close(t.ready)
	}
}

// fairShare is the seats each source that wants one may hold while the
// room is full: the seats divided between the sources holding or
// waiting for one, and key's if it is new.
func (l *limiter) fairShare(key netip.Prefix) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.fairShareLocked(key)
}

func (l *limiter) fairShareLocked(key netip.Prefix) int {
	wanting := l.seatSources
	if src := l.sources[key]; src == nil || src.sessions+src.waiting == 0 {
		wanting++
	}
	return share(l.cfg.MaxSessions, wanting)
}

// evictable reports whether, with every seat taken, a newcomer from key
// may take a seat from a session of victim: key holds less than its fair
// share and victim more.
func (l *limiter) evictable(key, victim netip.Prefix) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	fair := l.fairShareLocked(key)
	newcomer, holder := l.sources[key], l.sources[victim]
	return l.sessions >= l.cfg.MaxSessions && holder != nil && holder.sessions > fair &&
		(newcomer == nil || newcomer.sessions < fair)
}

// moveSeat passes a seat from one source to another: an evicted
// visitor's, to the newcomer it was taken for.
func (l *limiter) moveSeat(from, to netip.Prefix) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.unseat(l.sources[from])
	l.seat(l.sources[to])
}

// wait puts key in the lobby, or says why not: it is full.
func (l *limiter) wait(key netip.Prefix) (*ticket, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.lobby.add(key)
	if t == nil {
		return nil, refusedLobbyFull
	}
	src := l.sources[key]
	if src != nil {
		if src.sessions+src.waiting == 0 {
			l.seatSources++
		}
		src.waiting++
	}
	l.admitWaiting() // a seat may have freed since startSession looked
	return t, ""
}

// leave takes t out of the lobby; seated reports that it had been given
// a seat first, which is now the caller's.
func (l *limiter) leave(t *ticket) (seated bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t.seated {
		return true
	}
	if l.lobby.remove(t) {
		if src := l.sources[t.key]; src != nil {
			src.waiting--
			if src.sessions+src.waiting == 0 {
				l.seatSources--
			}
		}
	}
	return false
}

// place is where t stands in the lobby (1 is next), and about how long
// it will wait, 0 when there is no telling yet.
func (l *limiter) place(t *ticket) (int, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.lobby.position(t)
	return n, l.lobby.eta(n)
}

// lobbyChanged is closed at the lobby's next change.
func (l *limiter) lobbyChanged() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lobby.changed
}

// startCommand takes a slot of the commands' own budget: ssh HOST txt
// and the other commands are short, and neither take a seat nor wait.
func (l *limiter) startCommand() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.commands >= maxCommands {
		return refusedCommands
	}
	l.commands++
	return ""
}

func (l *limiter) endCommand() {
	l.mu.Lock()
	l.commands--
	l.mu.Unlock()
}

// lobbyLen is how many wait in the lobby.
func (l *limiter) lobbyLen() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lobby.n
}

// occupancy is how full the seats are, 0 to 1.
func (l *limiter) occupancy() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return float64(l.sessions) / float64(l.cfg.MaxSessions)
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
		if src.conns == 0 && src.sessions == 0 && src.waiting == 0 && src.penalty.Before(now) && src.tokens >= float64(l.cfg.PerSourceRate) {
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
