package server

import (
	"net/netip"
	"slices"
	"time"
)

// lobby is the line for seats when the room is full. It is served one
// source after another, round the sources in the order they joined, and
// first come first served within a source: a room of 700 behind one
// address cannot starve a lone visitor, nor the lone visitor the room.
// It belongs to the limiter, whose mutex guards it.
type lobby struct {
	queues  map[netip.Prefix][]*ticket
	ring    []netip.Prefix // sources with someone waiting, in serving order
	turn    int            // the index in ring served next
	n, cap  int
	changed chan struct{} // closed, and replaced, at every change
	now     func() time.Time
	// When seats were last freed, and the mean time between frees, for
	// the wait a visitor is told.
	lastFree time.Time
	interval time.Duration
}

// ticket is one visitor's place in the lobby.
type ticket struct {
	key    netip.Prefix
	ready  chan struct{} // closed when seated
	seated bool
	joined time.Time
}

func newLobby(capacity int, now func() time.Time) lobby {
	return lobby{queues: map[netip.Prefix][]*ticket{}, cap: capacity, changed: make(chan struct{}), now: now}
}

// add puts a visitor from key at the end of its source's line; nil when
// the lobby is full.
func (b *lobby) add(key netip.Prefix) *ticket {
	if b.n >= b.cap {
		return nil
	}
	t := &ticket{key: key, ready: make(chan struct{}), joined: b.now()}
	if len(b.queues[key]) == 0 {
		// A new source is served last in the round that is under way.
		at := b.turn
		b.ring = slices.Insert(b.ring, at, key)
		b.turn = (at + 1) % len(b.ring)
	}
	b.queues[key] = append(b.queues[key], t)
	b.n++
	b.change()
	return t
}

// next takes the visitor to seat now: the first of the next source in
// turn; nil when nobody waits.
func (b *lobby) next() *ticket { return b.nextFor(nil) }

// nextFor is next among the sources ok allows (all, when ok is nil); nil
// when none waits.
func (b *lobby) nextFor(ok func(netip.Prefix) bool) *ticket {
	if b.n == 0 {
		return nil
	}
	for i := range b.ring {
		at := (b.turn + i) % len(b.ring)
		if ok == nil || ok(b.ring[at]) {
			b.turn = at
			return b.take()
		}
	}
	return nil
}

// take takes the first of the source in turn.
func (b *lobby) take() *ticket {
	q := b.queues[b.ring[b.turn]]
	t, more := q[0], len(q) > 1
	b.remove(t) // the source's last leaves the ring, and turn is on the next
	if more {
		b.turn = (b.turn + 1) % len(b.ring)
	}
	return t
}

// remove takes t out of the line (its visitor left); false if it was not
// in it.
func (b *lobby) remove(t *ticket) bool {
	q := b.queues[t.key]
	i := slices.Index(q, t)
	if i < 0 {
		return false
	}
	q = slices.Delete(q, i, i+1)
	b.n--
	if len(q) == 0 {
		delete(b.queues, t.key)
		r := slices.Index(b.ring, t.key)
		b.ring = slices.Delete(b.ring, r, r+1)
		if r < b.turn {
			b.turn--
		}
		if len(b.ring) > 0 {
			b.turn %= len(b.ring)
		} else {
			b.turn = 0
		}
	} else {
		b.queues[t.key] = q
	}
	b.change()
	return true
}

// position is where t stands: 1 when it is seated next. Serving goes
// round the sources from turn, one each, so those ahead of t are, from
// every source, as many as stand before t in its own line, and one more
// from each source served before t's in this round.
func (b *lobby) position(t *ticket) int {
	q := b.queues[t.key]
	k := slices.Index(q, t)
	if k < 0 {
		return 0
	}
	r := slices.Index(b.ring, t.key)
	ahead := 0
	for i, key := range b.ring {
		n := len(b.queues[key])
		ahead += min(n, k)
		// Sources served before t's in this round: from turn up to r.
		if before := (i-b.turn+len(b.ring))%len(b.ring) < (r-b.turn+len(b.ring))%len(b.ring); before && n > k {
			ahead++
		}
	}
	return ahead + 1
}

// freed notes that a seat was freed, for the wait the lobby tells.
func (b *lobby) freed() {
	now := b.now()
	if !b.lastFree.IsZero() && b.n > 0 {
		gap := now.Sub(b.lastFree)
		if b.interval == 0 {
			b.interval = gap
		} else {
			b.interval = (b.interval*3 + gap) / 4
		}
	}
	b.lastFree = now
}

// eta is about how long the visitor at position n waits, 0 when no seat
// has been freed yet to tell by.
func (b *lobby) eta(n int) time.Duration {
	return time.Duration(n) * b.interval
}

// change wakes everyone watching the lobby: their places may have moved.
func (b *lobby) change() {
	close(b.changed)
	b.changed = make(chan struct{})
}
