package server

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pires/go-proxyproto"
	gossh "golang.org/x/crypto/ssh"
)

func metricValue(t *testing.T, body, name string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (\S+)$`).FindStringSubmatch(body)
	if m == nil {
		return 0
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func scrape(t *testing.T, h http.Handler) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics: %d", rec.Code)
	}
	return rec.Body.String()
}

func TestMetricsMoveWithSessions(t *testing.T) {
	ts := startServer(t, Config{Limits: Limits{MaxSessions: 1}})
	h := ts.MetricsHandler()
	before := scrape(t, h)
	for _, name := range []string{"resume_sessions_active", "resume_bytes_sent_total", "resume_handshake_failures_total", "resume_session_duration_seconds_count"} {
		if !strings.Contains(before, name) {
			t.Errorf("%s missing from /metrics", name)
		}
	}
	ts.run(t, "json")
	ts.run(t, "")
	_, stdin, scr := ts.browse(t, 80, 24)
	scr.waitFor("Principal Engineer")
	during := scrape(t, h)
	if v := metricValue(t, during, "resume_sessions_active"); v != 1 {
		t.Errorf("active sessions %v during a browser session", v)
	}
	if _, _, status := ts.run(t, "version"); status != 0 { // a full room holds no command up
		t.Errorf("a command while every seat is taken: status %d", status)
	}
	_, _ = io.WriteString(stdin, "q")
	c := ts.silent(t, "127.0.0.1")
	_, _ = c.Write([]byte("SSH-2.0-x\r\n\x00\x00\x00\x0cgarbage-here"))
	closedSoon(c)
	deadline := time.Now().Add(5 * time.Second)
	var after string
	for {
		after = scrape(t, h)
		settled := metricValue(t, after, "resume_sessions_active") == 0 &&
			metricValue(t, after, `resume_sessions_ended_total{reason="quit"}`) == 1 &&
			metricValue(t, after, "resume_handshake_failures_total") == 1
		if settled || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	for name, want := range map[string]float64{
		`resume_sessions_total{kind="command"}`:           2,
		`resume_sessions_total{kind="text"}`:              1,
		`resume_sessions_total{kind="browser"}`:           1,
		`resume_sessions_ended_total{reason="quit"}`:      1,
		`resume_connections_refused_total{reason="busy"}`: 0,
		`resume_session_duration_seconds_count`:           4,
		`resume_handshake_failures_total`:                 1,
		`resume_sessions_active`:                          0,
	} {
		if got := metricValue(t, after, name); got != want {
			t.Errorf("%s = %v, want %v\n%s\n%s", name, got, want, ts.logs, grepMetrics(after))
		}
	}
	if metricValue(t, after, "resume_bytes_sent_total") < 5000 {
		t.Error("resume_bytes_sent_total did not move")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("/healthz: %d", rec.Code)
	}
}

// proxied dials from src, sends a PROXY v2 header claiming visitor, and
// runs the version command over SSH.
func proxied(ts *testServer, src, visitor string) error { return proxiedV(ts, src, visitor, 2) }

func proxiedV(ts *testServer, src, visitor string, version byte) error {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 5 * time.Second}
	conn, err := d.Dial("tcp", ts.addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if visitor != "" {
		h := proxyproto.HeaderProxyFromAddrs(version, &net.TCPAddr{IP: net.ParseIP(visitor), Port: 40000}, conn.RemoteAddr())
		if _, err := h.WriteTo(conn); err != nil {
			return err
		}
	}
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	c, chans, reqs, err := gossh.NewClientConn(conn, ts.addr, &gossh.ClientConfig{User: "p", HostKeyCallback: gossh.InsecureIgnoreHostKey()})
	if err != nil {
		return err
	}
	client := gossh.NewClient(c, chans, reqs)
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		return err
	}
	defer sess.Close()
	return sess.Run("version")
}

func TestProxyProtocol(t *testing.T) {
	ts := startServer(t, Config{ProxyProtocolFrom: []string{"127.0.0.1/32"}})
	if err := proxied(ts, "127.0.0.1", "203.0.113.7"); err != nil {
		t.Fatalf("through the trusted balancer: %v", err)
	}
	if l := ts.logs.String(); !strings.Contains(l, "remote=203.0.113.7:40000") {
		t.Errorf("the visitor's address is not the one logged:\n%s", l)
	}
	if err := proxiedV(ts, "127.0.0.1", "192.0.2.44", 1); err != nil || !strings.Contains(ts.logs.String(), "remote=192.0.2.44:40000") {
		t.Errorf("PROXY protocol v1: %v", err)
	}
	if err := proxied(ts, "127.0.0.2", "198.51.100.1"); err == nil || strings.Contains(ts.logs.String(), "198.51.100.1") {
		t.Errorf("an untrusted source chose its own address: %v", err)
	}
	if err := proxied(ts, "127.0.0.3", ""); err != nil {
		t.Errorf("a direct visitor without a header: %v", err)
	}
	if err := proxied(ts, "127.0.0.1", ""); err == nil {
		t.Error("the balancer's range connected without a header")
	}
	if _, err := New(Config{ProxyProtocolFrom: []string{"not a cidr"}}, nil, nil); err == nil {
		t.Error("a bad CIDR was accepted")
	}
}

func grepMetrics(body string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, "resume_") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
