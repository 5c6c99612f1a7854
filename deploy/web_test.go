package deploy

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// needTool skips when a tool is missing, unless RESUME_E2E=1 makes the
// missing tool a failure.
func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("RESUME_E2E") == "1" {
			t.Fatalf("%s is required with RESUME_E2E=1: %v", name, err)
		}
		t.Skipf("%s not installed; skipping (RESUME_E2E=1 makes this a failure)", name)
	}
}

// freePort is a loopback port nobody listens on now.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestCaddyInFront runs deploy/web/Caddyfile in real Caddy in front of a
// real resume, as the guide sets them up (with plain HTTP in place of the
// domain's certificate): the page comes through with resume's own
// compression and tags, and each visitor behind Caddy is limited as
// themselves, from X-Forwarded-For, so one flooding visitor does not shut
// out the next.
func TestCaddyInFront(t *testing.T) {
	needTool(t, "caddy")
	dir := t.TempDir()
	bin := filepath.Join(dir, "resume")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/resume").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	upstream := freePort(t)
	resume := exec.CommandContext(ctx, bin, "serve", "--listen", "127.0.0.1:0", "--data-dir", dir, "--hello=false",
		"--http-listen", upstream, "--proxy-protocol-from", "127.0.0.1/32")
	logs, err := resume.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := resume.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); _ = resume.Wait() }()
	up := make(chan bool, 1)
	go func() {
		s := bufio.NewScanner(logs)
		for s.Scan() {
			if strings.Contains(s.Text(), "web page") {
				up <- true
			}
		}
		_, _ = io.Copy(io.Discard, logs)
	}()
	select {
	case <-up:
	case <-time.After(30 * time.Second):
		t.Fatal("resume never served its web page")
	}

	front := freePort(t)
	caddy := exec.CommandContext(ctx, "caddy", "run", "--config", "web/Caddyfile", "--adapter", "caddyfile")
	caddy.Env = append(os.Environ(), "RESUME_DOMAIN=http://"+front, "RESUME_UPSTREAM="+upstream,
		"CADDY_ADMIN=127.0.0.1:0", "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir)
	caddy.Stdout, caddy.Stderr = io.Discard, io.Discard
	if err := caddy.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); _ = caddy.Wait() }()

	from := func(ip string) *http.Client {
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
		return &http.Client{Transport: &http.Transport{DialContext: d.DialContext, DisableCompression: true}, Timeout: 10 * time.Second}
	}
	get := func(c *http.Client, path string) (int, http.Header) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, "http://"+front+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := c.Do(req)
		if err != nil {
			return 0, nil
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, resp.Header
	}
	deadline := time.Now().Add(30 * time.Second)
	for code, _ := get(from("127.0.0.9"), "/"); code != http.StatusOK; code, _ = get(from("127.0.0.9"), "/") {
		if time.Now().After(deadline) {
			t.Fatalf("the page never came through Caddy: %d", code)
		}
		time.Sleep(50 * time.Millisecond)
	}
	code, h := get(from("127.0.0.9"), "/")
	if code != http.StatusOK || h.Get("Content-Encoding") != "gzip" || !regexp.MustCompile(`^"[0-9a-f]+-gz"$`).MatchString(h.Get("ETag")) ||
		h.Get("Content-Security-Policy") == "" || h.Get("Server") != "" {
		t.Errorf("through Caddy: %d %v", code, h)
	}
	flood, other := from("127.0.0.7"), from("127.0.0.8")
	limited := false
	for range 200 {
		if code, _ := get(flood, "/resume.txt"); code == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("a visitor flooding through Caddy was never limited")
	}
	if code, _ := get(other, "/"); code != http.StatusOK {
		t.Errorf("the next visitor through Caddy, after one flooded: %d", code)
	}
}

// TestWebDeploymentsAgree: in each way to deploy, Caddy's upstream is the
// address resume's page listens on, resume believes X-Forwarded-For from
// Caddy's address, and the Caddyfile is the one in deploy/web.
func TestWebDeploymentsAgree(t *testing.T) {
	caddyfile, err := os.ReadFile(filepath.Join("web", "Caddyfile"))
	if err != nil {
		t.Fatal(err)
	}
	defaultUpstream := regexp.MustCompile(`\{\$RESUME_UPSTREAM:([^}]+)\}`).FindSubmatch(caddyfile)
	if defaultUpstream == nil {
		t.Fatal("the Caddyfile names no default upstream")
	}

	// systemd, with Caddy on the same machine.
	unit, err := os.ReadFile(filepath.Join("systemd", "resume.service"))
	if err != nil {
		t.Fatal(err)
	}
	listen := regexp.MustCompile(`Environment=RESUME_HTTP_LISTEN=(\S+)`).FindSubmatch(unit)
	from := regexp.MustCompile(`Environment=RESUME_PROXY_PROTOCOL_FROM=(\S+)`).FindSubmatch(unit)
	if listen == nil || from == nil || string(listen[1]) != string(defaultUpstream[1]) || !containsAddr(t, string(from[1]), "127.0.0.1") {
		t.Errorf("the unit's web page %q (from %q) is not the Caddyfile's upstream %s", listen, from, defaultUpstream[1])
	}
	guide := string(mustRead(t, "README.md"))
	for _, m := range regexp.MustCompile(`#\s+(Environment=RESUME_\S+)`).FindAllStringSubmatch(string(unit), -1) {
		if !strings.Contains(guide, m[1]) {
			t.Errorf("the guide's step for the web page lacks the unit's %s", m[1])
		}
	}

	// compose.
	var compose struct {
		Services map[string]struct {
			Environment map[string]string
			Volumes     []string
			Networks    any
		}
	}
	b, err := os.ReadFile(filepath.Join("container", "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &compose); err != nil {
		t.Fatal(err)
	}
	resume, caddy := compose.Services["resume"], compose.Services["caddy"]
	_, port, _ := net.SplitHostPort(resume.Environment["RESUME_HTTP_LISTEN"])
	if caddy.Environment["RESUME_UPSTREAM"] != "resume:"+port || port == "" {
		t.Errorf("compose: Caddy's upstream %q, resume's page on %q", caddy.Environment["RESUME_UPSTREAM"], resume.Environment["RESUME_HTTP_LISTEN"])
	}
	ip := regexp.MustCompile(`ipv4_address: ([0-9.]+)`).FindSubmatch(b)
	if ip == nil || !containsAddr(t, resume.Environment["RESUME_PROXY_PROTOCOL_FROM"], string(ip[1])) {
		t.Errorf("compose: resume does not believe Caddy's X-Forwarded-For (%s from %q)", ip, resume.Environment["RESUME_PROXY_PROTOCOL_FROM"])
	}
	if !slices.Contains(caddy.Volumes, "../web/Caddyfile:/etc/caddy/Caddyfile:ro") {
		t.Errorf("compose: Caddy's volumes %q lack deploy/web/Caddyfile", caddy.Volumes)
	}

	// Kubernetes.
	var cm struct {
		Data map[string]string
	}
	docs := yaml.NewDecoder(bytes.NewReader(mustRead(t, filepath.Join("kubernetes", "resume-web.yaml"))))
	if err := docs.Decode(&cm); err != nil {
		t.Fatal(err)
	}
	if cm.Data["Caddyfile"] != string(caddyfile) {
		t.Error("resume-web.yaml's Caddyfile is not deploy/web/Caddyfile")
	}
	web2 := manifests(t, "resume-web.yaml")
	app := manifests(t, "resume.yaml")["Deployment/resume"].Spec.Template.Spec.Containers[0]
	_, port, _ = net.SplitHostPort(env(app, "RESUME_HTTP_LISTEN"))
	httpPort := 0
	for _, p := range app.Ports {
		if p.Name == "http" {
			httpPort = p.ContainerPort
		}
	}
	if port == "" || strconv.Itoa(httpPort) != port {
		t.Errorf("resume.yaml: the page listens on %q, its http port is %d", env(app, "RESUME_HTTP_LISTEN"), httpPort)
	}
	svc := web2["Service/resume-http"]
	caddyC := web2["Deployment/resume-web"].Spec.Template.Spec.Containers[0]
	caddyEnv := func(name string) string { return env(caddyC, name) }
	if len(svc.Spec.Ports) != 1 || caddyEnv("RESUME_UPSTREAM") != fmt.Sprintf("resume-http:%v", svc.Spec.Ports[0]["port"]) || svc.Spec.Ports[0]["targetPort"] != "http" {
		t.Errorf("resume-web.yaml: Caddy's upstream %q, the Service %v", caddyEnv("RESUME_UPSTREAM"), svc.Spec.Ports)
	}
	named := map[string]int{}
	for _, p := range caddyC.Ports {
		named[p.Name] = p.ContainerPort
	}
	if strconv.Itoa(named["http"]) != caddyEnv("CADDY_HTTP_PORT") || strconv.Itoa(named["https"]) != caddyEnv("CADDY_HTTPS_PORT") {
		t.Errorf("resume-web.yaml: Caddy listens on %s and %s, its ports are %v", caddyEnv("CADDY_HTTP_PORT"), caddyEnv("CADDY_HTTPS_PORT"), named)
	}
	if env(app, "RESUME_PROXY_PROTOCOL_FROM") == "" {
		t.Error("resume.yaml: resume believes no proxy's X-Forwarded-For")
	}
}

func containsAddr(t *testing.T, cidrs, ip string) bool {
	t.Helper()
	for c := range strings.SplitSeq(cidrs, ",") {
		p, err := netip.ParsePrefix(strings.TrimSpace(c))
		if err == nil && p.Contains(netip.MustParseAddr(ip)) {
			return true
		}
	}
	return false
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
