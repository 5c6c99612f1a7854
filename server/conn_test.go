package server

import (
	"context"
	"encoding/binary"
	"errors"
	"net/netip"
	"testing"
	"time"
)

// sshString appends s as an SSH string: a uint32 length, then the bytes.
func sshString(p []byte, s string) []byte {
	return append(binary.BigEndian.AppendUint32(p, uint32(len(s))), s...) //nolint:gosec // short
}

// packet frames an SSH message with a payload of n zero bytes in plain
// text, as before the first NEWKEYS.
func packet(msg byte, n int) []byte { return frame(append([]byte{msg}, make([]byte, n)...)) }

// frame wraps a message in a plain-text packet: length, padding length,
// the message, and padding to a multiple of 8.
func frame(body []byte) []byte {
	pad := 4 + (8-(5+len(body))%8)%8
	p := binary.BigEndian.AppendUint32(nil, uint32(1+len(body)+pad)) //nolint:gosec // small
	p = append(p, byte(pad))
	p = append(p, body...)
	return append(p, make([]byte, pad)...)
}

// TestWireFollowsPlainText: however the stream is cut into reads, the
// watcher sees the version line, each message number, and stops at
// NEWKEYS.
func TestWireFollowsPlainText(t *testing.T) {
	var stream []byte
	stream = append(stream, "SSH-2.0-OpenSSH_9.2p1 Debian\r\n"...)
	stream = append(stream, packet(msgKexInit, 1000)...)
	stream = append(stream, packet(30, 1200)...)
	cut := len(stream) // up to here, the key exchange is under way
	stream = append(stream, packet(msgNewKeys, 0)...)
	stream = append(stream, "encrypted \x00\x00\x00\x01 from here"...)
	for _, size := range []int{1, 2, 5, 6, 7, 64, 1500, len(stream)} {
		var w wire
		for i := 0; i < len(stream); i += size {
			w.feed(stream[i:min(i+size, len(stream))])
		}
		if !w.version || !w.done || w.last != msgNewKeys || w.bytes != int64(len(stream)) {
			t.Errorf("read size %d: version=%v done=%v last=%d bytes=%d", size, w.version, w.done, w.last, w.bytes)
		}
	}
	var w wire
	for i := range cut {
		w.feed(stream[i : i+1])
	}
	if !w.version || w.done || w.last != 30 {
		t.Errorf("before NEWKEYS: version=%v done=%v last=%d", w.version, w.done, w.last)
	}
	// An unended line is no version.
	w = wire{}
	w.feed([]byte("GET / HTTP/1.0"))
	if w.version {
		t.Error("an unended line counted as a version")
	}
}

// TestPruneIsAmortised: once the source table is full, a flood of new
// addresses costs one sweep a second, not one per connection.
func TestPruneIsAmortised(t *testing.T) {
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLimiter(Limits{MaxSources: 100, MaxHandshakes: 10_000}.withDefaults(), func() time.Time { return clock })
	for i := range 100 {
		k := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(i)}), 32)
		if why, _ := l.admit(k); why != "" {
			t.Fatal(why)
		}
	}
	before := l.prunes
	for i := range 1000 {
		k := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)}), 32) //nolint:gosec // small
		if why, _ := l.admit(k); why != refusedSources {
			t.Fatalf("new source %d in a full table: %q", i, why)
		}
		if i == 499 {
			clock = clock.Add(pruneFullEvery)
		}
	}
	if n := l.prunes - before; n != 1 {
		t.Errorf("1,000 connections to a full table swept it %d times, want 1", n)
	}
}

// TestShutdownReturnsWhenItsContextEnds: a session that never returns
// does not hold Shutdown past its deadline, as net/http's does not.
func TestShutdownReturnsWhenItsContextEnds(t *testing.T) {
	stuck, started := make(chan struct{}), make(chan struct{})
	ts := startServer(t, Config{}, func(handler) handler {
		return func(*session) {
			close(started)
			<-stuck
		}
	})
	sess := ts.session(t)
	go func() { _ = sess.Run("version") }()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- ts.Shutdown(ctx) }()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Shutdown returned %v, want the context's error", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("Shutdown waited for a stuck session past its context")
	}
	close(stuck)
}
