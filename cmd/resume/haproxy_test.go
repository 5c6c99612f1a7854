package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/resume-ssh/resume/server"
)

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// TestEndToEndHAProxy: two replicas sharing one host key behind HAProxy
// with send-proxy-v2. Every visitor sees the same key, both replicas
// serve, and both log the visitor's own address, not the balancer's.
func TestEndToEndHAProxy(t *testing.T) {
	haproxy := needTool(t, "haproxy")
	keyDir := t.TempDir()
	key, err := server.LoadOrCreateHostKey(keyDir)
	if err != nil {
		t.Fatal(err)
	}
	keyPath := filepath.Join(keyDir, server.HostKeyFile)
	r1 := startBinary(t, "--host-key", keyPath, "--proxy-protocol-from", "127.0.0.1/32")
	r2 := startBinary(t, "--host-key", keyPath, "--proxy-protocol-from", "127.0.0.1/32")

	addr := startHAProxy(t, haproxy, r1.port, r2.port)

	want := key.PublicKey().Marshal()
	for i := range 20 {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}, Timeout: 5 * time.Second}
		conn, err := d.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		var seen []byte
		cc := &gossh.ClientConfig{User: "visitor", HostKeyCallback: func(_ string, _ net.Addr, k gossh.PublicKey) error {
			seen = k.Marshal()
			return nil
		}}
		c, chans, reqs, err := gossh.NewClientConn(conn, addr, cc)
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		client := gossh.NewClient(c, chans, reqs)
		sess, err := client.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		out, err := sess.Output("version")
		if err != nil || !strings.HasPrefix(string(out), "resume ") {
			t.Errorf("connection %d: %q %v", i, out, err)
		}
		client.Close()
		if !bytes.Equal(seen, want) {
			t.Errorf("connection %d saw another host key", i)
		}
	}
	// The replicas log each session as it ends: wait for all twenty.
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(r1.logs.String()+r2.logs.String(), "session end") < 20 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	for name, r := range map[string]*instance{"r1": r1, "r2": r2} {
		logs := r.logs.String()
		n := strings.Count(logs, "remote=127.0.0.2:")
		if n == 0 {
			t.Errorf("replica %s served no visitor from 127.0.0.2:\n%s", name, logs)
		}
		if strings.Contains(logs, "session start") && strings.Contains(logs, "remote=127.0.0.1:") {
			t.Errorf("replica %s logged the balancer's address:\n%s", name, logs)
		}
	}
}

// startHAProxy runs HAProxy in front of the replicas' ports, round robin,
// with send-proxy-v2, until the test ends; it returns its address.
func startHAProxy(t *testing.T, haproxy string, ports ...string) string {
	t.Helper()
	front := freePort(t)
	cfg := fmt.Sprintf(`global
  maxconn 256
defaults
  mode tcp
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  retries 2
  option redispatch 1
frontend ssh
  bind 127.0.0.1:%s
  default_backend replicas
backend replicas
  balance roundrobin
`, front)
	for i, p := range ports {
		cfg += fmt.Sprintf("  server r%d 127.0.0.1:%s send-proxy-v2\n", i+1, p)
	}
	cfgPath := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	var hlog lockedBuf
	cmd := exec.Command(haproxy, "-f", cfgPath, "-db")
	cmd.Stdout, cmd.Stderr = &hlog, &hlog
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	addr := "127.0.0.1:" + front
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("haproxy did not start: %v\n%s", err, hlog.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
