package server

import (
	"crypto/ecdh"
	"crypto/rand"
	"fmt"
	"net"
	"runtime"
	"testing"
	"time"
)

// promptClient is the wire of an OpenSSH client showing the host-key
// prompt: it sends its version, KEXINIT and key-exchange init, reads the
// server's reply and NEWKEYS, and then holds the connection without a
// goroutine or buffer of its own, so that what a benchmark measures in
// this process is the server's.
func promptClient(addr string) (net.Conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	priv, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		c.Close()
		return nil, err
	}
	kexinit := append([]byte{msgKexInit}, make([]byte, 16)...)
	for _, list := range []string{
		"curve25519-sha256", "ssh-ed25519", "aes128-gcm@openssh.com", "aes128-gcm@openssh.com",
		"hmac-sha2-256-etm@openssh.com", "hmac-sha2-256-etm@openssh.com", "none", "none", "", "",
	} {
		kexinit = sshString(kexinit, list)
	}
	kexinit = append(kexinit, 0, 0, 0, 0, 0)
	ecdhInit := sshString([]byte{30}, string(priv.PublicKey().Bytes()))
	out := []byte("SSH-2.0-OpenSSH_9.2p1 promptClient\r\n")
	out = append(append(out, frame(kexinit)...), frame(ecdhInit)...)
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write(out); err != nil {
		c.Close()
		return nil, err
	}
	var w wire
	buf := make([]byte, 4096)
	for !w.done {
		n, err := c.Read(buf)
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("before the server's NEWKEYS: %w", err)
		}
		w.feed(buf[:n])
	}
	_ = c.SetDeadline(time.Time{})
	return c, nil
}

// BenchmarkWaitingAtPrompt holds b.N connections at the host-key prompt
// and reports what each holds in the server: heap, goroutine stacks, and
// resident memory. Run it with a fixed count:
//
//	go test ./server -run '^$' -bench WaitingAtPrompt -benchtime 1000x
func BenchmarkWaitingAtPrompt(b *testing.B) {
	ts := startServer(b, Config{Limits: Limits{PerSourceRate: 1 << 30, LoginMemory: 1 << 40, MaxPerSource: 1 << 30}})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rss0 := rss()
	conns := make([]net.Conn, 0, b.N)
	b.ResetTimer()
	for range b.N {
		c, err := promptClient(ts.addr)
		if err != nil {
			b.Fatal(err)
		}
		conns = append(conns, c)
	}
	b.StopTimer()
	if _, login, _ := ts.lim.counts(); login != b.N {
		b.Fatalf("%d at the prompt, want %d", login, b.N)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	n := float64(b.N)
	b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/n, "heap-B/conn")
	b.ReportMetric(float64(after.StackInuse-before.StackInuse)/n, "stack-B/conn")
	b.ReportMetric(float64(rss()-rss0)/n, "rss-B/conn")
	b.ReportMetric(float64(runtime.NumGoroutine())/n, "goroutines/conn")
	for _, c := range conns {
		c.Close()
	}
}
