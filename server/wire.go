package server

import "bytes"

// SSH message numbers the wire watcher looks for (RFC 4253).
const (
	msgDisconnect = 1
	msgKexInit    = 20
	msgNewKeys    = 21
)

// wire follows one direction of an SSH connection while it is still in
// plain text: the version line, then packets up to and including the
// first NEWKEYS, after which everything is encrypted and it stops
// looking. It sees only lengths and message numbers, keeps a few
// integers, and never buffers: bytes are counted, not kept.
//
// A plain-text packet is uint32 length, byte padding length, payload,
// padding; there is no MAC before the first NEWKEYS.
type wire struct {
	bytes   int64 // everything seen so far
	version bool  // the version line has ended
	done    bool  // NEWKEYS has passed: encrypted from here on
	last    byte  // the last message number seen
	hdr     [6]byte
	nhdr    int    // bytes of hdr filled
	skip    uint32 // bytes of the current packet still to pass over
}

// feed follows p, the next bytes in this direction.
func (w *wire) feed(p []byte) {
	w.bytes += int64(len(p))
	for len(p) > 0 && !w.done {
		switch {
		case !w.version:
			// The version line ends at LF (RFC 4253 4.2).
			i := bytes.IndexByte(p, '\n')
			if i < 0 {
				return
			}
			w.version = true
			p = p[i+1:]
		case w.skip > 0:
			n := min(uint32(len(p)), w.skip) //nolint:gosec // len is never negative
			w.skip -= n
			p = p[n:]
		default:
			// Length, padding length and message number: a packet has at
			// least these six bytes, and the rest is passed over.
			n := copy(w.hdr[w.nhdr:], p)
			w.nhdr += n
			p = p[n:]
			if w.nhdr < len(w.hdr) {
				return
			}
			w.nhdr = 0
			length := uint32(w.hdr[0])<<24 | uint32(w.hdr[1])<<16 | uint32(w.hdr[2])<<8 | uint32(w.hdr[3])
			if length < 2 {
				// Not SSH: the transport fails it; stop following it.
				w.done = true
				return
			}
			w.skip = length - 2
			w.last = w.hdr[5]
			if w.last == msgNewKeys {
				w.done = true
			}
		}
	}
}
