package server

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/resume-ssh/resume/content"
)

// startWeb serves the web page of ts on a loopback port and returns its
// base URL; the page stops with the server.
func (ts *testServer) startWeb(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- ts.ServeWeb(l) }()
	t.Cleanup(func() {
		_ = ts.Close()
		if err := <-done; !errors.Is(err, ErrServerClosed) {
			t.Errorf("ServeWeb returned %v", err)
		}
	})
	return "http://" + l.Addr().String()
}

// clientFrom is an HTTP client whose connections come from the loopback
// address ip, as a visitor at that address would.
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{
		Transport: &http.Transport{DialContext: d.DialContext, DisableCompression: true},
		Timeout:   10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// reply is what an HTTP request was answered, its body read and closed.
type reply struct {
	StatusCode int
	Status     string
	Header     http.Header
}

func get(t *testing.T, c *http.Client, u string, header ...string) (reply, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{resp.StatusCode, resp.Status, resp.Header}, string(b)
}

func mustParseDoc(t *testing.T, src string) *content.Resume {
	t.Helper()
	doc, err := content.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

const webDoc = `---
name: Ann Example
label: Staff SRE
email: ann@example.com
url: https://ann.example.com
profiles:
  - network: GitHub
    username: annexample
    url: https://github.com/annexample
---

# Ann Example

I keep large systems calm.

## Experience

### Senior Project Manager
**Acme Corp** | Leeds | Mar 2019 – Present

- Ran the move to one region

### Network Engineer
**Initech** | 2015 – 2019

## Education

### MSc in Computer Science
**University of Leeds** | 2013 – 2014

## Skills

- Go
- Kubernetes
`

// TestWebPageIsTheDocument: every route answers with the document served
// now and the same bytes the SSH commands give; a conditional GET gets
// 304; gzip is given to a client that accepts it; a reload changes the
// page and its entity tag.
func TestWebPageIsTheDocument(t *testing.T) {
	doc := mustParseDoc(t, webDoc)
	ts := startServerDoc(t, Config{PublicHost: "resume.example.com", PublicPort: 2222}, doc)
	base := ts.startWeb(t)
	c := clientFrom("127.0.0.1")
	resp, page := get(t, c, base+"/")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		"<h1 class=\"p-name\">Ann Example</h1>", "Senior Project Manager", "Network Engineer",
		"MSc in Computer Science", "University of Leeds", "Kubernetes", `<time datetime="2019-03">Mar 2019</time>`,
		"ssh -p 2222 resume.example.com", `lang="en"`, `<title>Ann Example — Staff SRE</title>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if n := strings.Count(page, "<h1"); n != 1 {
		t.Errorf("%d h1s, want the name alone", n)
	}
	if strings.Contains(page, "<script>") || strings.Contains(page, "<script src") {
		t.Error("the page has a script")
	}
	cur := ts.docs.Load()
	js, _ := cur.json()
	for path, want := range map[string]string{
		"/resume.json": string(js), "/resume.md": string(cur.markdown()),
		"/resume.txt": doc.Text(80, now), "/contact.vcf": doc.VCard(),
	} {
		if resp, body := get(t, c, base+path); resp.StatusCode != http.StatusOK || body != want {
			t.Errorf("GET %s: %s, not what the SSH command gives:\n%s", path, resp.Status, body)
		}
	}
	if resp, body := get(t, c, base+"/qr.svg"); resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "<svg") || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("GET /qr.svg: %s %q", resp.Status, body[:min(len(body), 40)])
	}

	// Conditional GETs.
	etag, modified := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if etag == "" || modified == "" {
		t.Fatalf("no ETag or Last-Modified: %v", resp.Header)
	}
	if r, _ := get(t, c, base+"/", "If-None-Match", etag); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %s, want 304", r.Status)
	}
	if r, _ := get(t, c, base+"/", "If-Modified-Since", modified); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-Modified-Since: %s, want 304", r.Status)
	}
	// Compressed for a client that accepts it, and the same page.
	r, gz := get(t, c, base+"/", "Accept-Encoding", "br, gzip;q=0.8")
	if r.Header.Get("Content-Encoding") != "gzip" || r.Header.Get("ETag") == etag {
		t.Fatalf("gzip: %s, ETag %s", r.Header.Get("Content-Encoding"), r.Header.Get("ETag"))
	}
	zr, err := gzip.NewReader(strings.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(zr); string(b) != page {
		t.Error("the compressed page is not the page")
	}
	if r, _ := get(t, c, base+"/", "Accept-Encoding", "gzip;q=0"); r.Header.Get("Content-Encoding") != "" {
		t.Error("gzip sent to a client that refused it")
	}

	// A reload: the page follows, with a new tag.
	ts.SetDocument(mustParseDoc(t, strings.Replace(webDoc, "Network Engineer", "Network Architect", 1)))
	r, page = get(t, c, base+"/", "If-None-Match", etag)
	if r.StatusCode != http.StatusOK || !strings.Contains(page, "Network Architect") || r.Header.Get("ETag") == etag {
		t.Errorf("after a reload: %s, ETag %s (was %s)", r.Status, r.Header.Get("ETag"), etag)
	}
}

// TestWebHeaders: every answer, an error too, forbids scripts and
// framing and sniffing; the style the page has is the one the policy
// names by hash.
func TestWebHeaders(t *testing.T) {
	ts := startServer(t, Config{})
	base := ts.startWeb(t)
	c := clientFrom("127.0.0.1")
	for _, path := range []string{"/", "/nope", "/resume.json"} {
		r, body := get(t, c, base+path)
		csp := r.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "script-src") ||
			r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Referrer-Policy") == "" {
			t.Errorf("GET %s: headers %v", path, r.Header)
		}
		if path == "/" {
			m := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(body)
			if m == nil {
				t.Fatal("the page has no style element")
			}
			sum := sha256.Sum256([]byte(m[1]))
			if !strings.Contains(csp, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") {
				t.Errorf("the page's style is not the one the CSP allows")
			}
			if strings.Contains(body, "In a terminal") {
				t.Error("the ssh line shows with no public host")
			}
		}
	}
}

// TestWebRefusesWhatIsNotAPage: methods other than GET and HEAD (and
// the note's POST), unknown paths and traversal, oversized headers and
// bodies each get their status, and the page stays up.
func TestWebRefusesWhatIsNotAPage(t *testing.T) {
	ts := startServer(t, Config{Inbox: openStore(t)})
	base := ts.startWeb(t)
	c := clientFrom("127.0.0.1")
	for _, m := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions, "TRACE", http.MethodPost} {
		req, _ := http.NewRequest(m, base+"/", nil)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s /: %s, Allow %q", m, resp.Status, resp.Header.Get("Allow"))
		}
	}
	if r, body := get(t, c, base+"/"); r.StatusCode != http.StatusOK || body == "" {
		t.Errorf("HEAD-less GET: %s", r.Status)
	}
	req, _ := http.NewRequest(http.MethodHead, base+"/resume.json", nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.ContentLength <= 0 {
		t.Errorf("HEAD: %s, length %d", resp.Status, resp.ContentLength)
	}
	// Raw request lines, as a scanner sends them.
	for _, target := range []string{"/../../etc/passwd", "/resume.json/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/web", "/index.html", "/.git/config", "//etc/passwd"} {
		if code := rawStatus(t, base, "GET "+target+" HTTP/1.1\r\nHost: x\r\n\r\n"); code != http.StatusNotFound && code != http.StatusBadRequest {
			t.Errorf("GET %s: %d, want 404", target, code)
		}
	}
	if code := rawStatus(t, base, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("a", 32<<10)+"\r\n\r\n"); code != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("32 KB of headers: %d, want 431", code)
	}
	body := "name=" + strings.Repeat("a", 64<<10)
	if code := rawStatus(t, base, fmt.Sprintf("POST /hello HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", len(body), body)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("a 64 KB note: %d, want 413", code)
	}
	if r, _ := get(t, c, base+"/"); r.StatusCode != http.StatusOK {
		t.Errorf("the page is down after all that: %s", r.Status)
	}
	scrape := httptest.NewRecorder()
	ts.MetricsHandler().ServeHTTP(scrape, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for _, want := range []string{`resume_http_requests_total{code="405",route="/"}`, `resume_http_requests_total{code="404",route="other"}`, `resume_http_requests_total{code="200",route="/resume.json"}`} {
		if !strings.Contains(scrape.Body.String(), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// rawStatus writes a raw request and reads the status code answered.
func rawStatus(t *testing.T, base, request string) int {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	go func() { _, _ = io.WriteString(conn, request) }()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%.40q: %v", request, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestWebSlowAndFloodingClients: a client trickling its headers is cut
// off while others are served; one address flooding the page is told
// 429 by the rate it shares with its SSH connections, and another
// address is served all along.
func TestWebSlowAndFloodingClients(t *testing.T) {
	ts := startServer(t, Config{})
	base := ts.startWeb(t)
	slow, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	closed := make(chan error, 1)
	go func() {
		for _, b := range []byte("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ") {
			if _, err := slow.Write([]byte{b}); err != nil {
				closed <- err
				return
			}
		}
		_ = slow.SetReadDeadline(time.Now().Add(30 * time.Second))
		_, err := slow.Read(make([]byte, 1))
		closed <- err
	}()
	other := clientFrom("127.0.0.2")
	if r, _ := get(t, other, base+"/"); r.StatusCode != http.StatusOK {
		t.Errorf("another visitor, while one trickles: %s", r.Status)
	}
	if err := <-closed; err == nil || errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		t.Errorf("the slow client was not cut off: %v", err)
	}

	flood := clientFrom("127.0.0.3")
	refused := 0
	for range DefaultPerSourceRate + 20 {
		if r, _ := get(t, flood, base+"/resume.txt"); r.StatusCode == http.StatusTooManyRequests {
			refused++
			if r.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		}
	}
	if refused == 0 {
		t.Error("a flood from one address was never refused")
	}
	if r, _ := get(t, other, base+"/"); r.StatusCode != http.StatusOK {
		t.Errorf("another address after the flood: %s", r.Status)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// TestWebForwardedFor: X-Forwarded-For names the visitor only when the
// request comes from a proxy the operator named; from anyone else it is
// ignored, so that nobody escapes the rate by naming another address.
func TestWebForwardedFor(t *testing.T) {
	ts := startServer(t, Config{ProxyProtocolFrom: []string{"127.0.0.5/32"}})
	base := ts.startWeb(t)
	proxy, stranger := clientFrom("127.0.0.5"), clientFrom("127.0.0.6")
	spend := func(c *http.Client, xff string) (refused bool) {
		for range DefaultPerSourceRate + 5 {
			r, _ := get(t, c, base+"/resume.txt", "X-Forwarded-For", xff)
			if r.StatusCode == http.StatusTooManyRequests {
				return true
			}
		}
		return false
	}
	if !spend(proxy, "203.0.113.9") {
		t.Fatal("the proxied visitor was never limited")
	}
	if r, _ := get(t, proxy, base+"/", "X-Forwarded-For", "198.51.100.7"); r.StatusCode != http.StatusOK {
		t.Errorf("another visitor behind the same proxy: %s", r.Status)
	}
	// A stranger naming fresh addresses is still one source.
	refused := false
	for i := range DefaultPerSourceRate + 5 {
		if r, _ := get(t, stranger, base+"/resume.txt", "X-Forwarded-For", fmt.Sprintf("192.0.2.%d", i%250)); r.StatusCode == http.StatusTooManyRequests {
			refused = true
			break
		}
	}
	if !refused {
		t.Error("a stranger escaped the rate with X-Forwarded-For")
	}
}

// TestWebHello: the note form from a phone: the questions of ui/note, a
// note saved once with its number on the same page, a wrong answer named
// with everything typed kept, a token spent once, a form from another
// site refused; no form without an inbox.
func TestWebHello(t *testing.T) {
	store := openStore(t)
	ts := startServerDoc(t, Config{Inbox: store}, mustParseDoc(t, webDoc))
	base := ts.startWeb(t)
	c := clientFrom("127.0.0.1")
	r, form := get(t, c, base+"/hello")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /hello: %s", r.Status)
	}
	for _, want := range []string{"Your name", "Your email", "A message (optional)", "May Ann Example contact you?", `maxlength="1000"`} {
		if !strings.Contains(form, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
	if strings.Contains(form, "checked") {
		t.Error("the consent is answered before the visitor answers it")
	}
	token := func(page string) string {
		m := regexp.MustCompile(`name="token" value="([^"]+)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no token in the form:\n%s", page)
		}
		return m[1]
	}
	post := func(v url.Values, origin string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, base+"/hello", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// A wrong email: named, and nothing typed lost.
	code, page := post(url.Values{"token": {token(form)}, "name": {"Bo Visitor"}, "email": {"not-an-email"}, "message": {"Hi <there>"}, "contact": {"y"}}, base)
	if code != http.StatusBadRequest || !strings.Contains(page, "an address such as ann@example.com") ||
		!strings.Contains(page, `value="Bo Visitor"`) || !strings.Contains(page, `value="not-an-email"`) ||
		!strings.Contains(page, "Hi &lt;there&gt;</textarea>") || !strings.Contains(page, `value="y" required checked`) {
		t.Errorf("a wrong email: %d\n%s", code, page)
	}
	// From another site: refused.
	ok := url.Values{"token": {token(page)}, "name": {"Bo Visitor"}, "email": {"bo@example.com"}, "message": {"Hi"}, "contact": {"n"}}
	if code, _ := post(ok, "https://evil.example"); code != http.StatusForbidden {
		t.Errorf("a cross-site note: %d, want 403", code)
	}
	code, page = post(ok, base)
	if code != http.StatusOK || !strings.Contains(page, "thanks — saved as #1") {
		t.Fatalf("a good note: %d\n%s", code, page)
	}
	// The same form sent again (a reload): not saved twice.
	if code, page := post(ok, base); code != http.StatusBadRequest || !strings.Contains(page, `value="bo@example.com"`) {
		t.Errorf("a token spent twice: %d\n%s", code, page)
	}
	notes, err := store.List(context.Background(), time.Time{})
	if err != nil || len(notes) != 1 || notes[0].Name != "Bo Visitor" || notes[0].Contact {
		t.Errorf("stored %+v %v", notes, err)
	}

	off := startServer(t, Config{})
	if r, _ := get(t, c, off.startWeb(t)+"/hello"); r.StatusCode != http.StatusNotFound {
		t.Errorf("/hello with no inbox: %s", r.Status)
	}
}

// TestWebStopsWithTheServer: Shutdown stops the page with the SSH server.
func TestWebStopsWithTheServer(t *testing.T) {
	ts := startServer(t, Config{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- ts.ServeWeb(l) }()
	waitUntil(t, "the page serves", func() bool {
		r, err := clientFrom("127.0.0.1").Get("http://" + l.Addr().String() + "/")
		if err == nil {
			r.Body.Close()
		}
		return err == nil && r.StatusCode == http.StatusOK
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ts.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, ErrServerClosed) {
		t.Errorf("ServeWeb returned %v", err)
	}
	if _, err := net.DialTimeout("tcp", l.Addr().String(), time.Second); err == nil {
		t.Error("the page still listens after Shutdown")
	}
}

// TestCardPointsToThePage: with --public-url, a résumé with no URL of its
// own gets a card whose QR code and link open the web page; one with a
// URL keeps its own.
func TestCardPointsToThePage(t *testing.T) {
	const page = "https://resume.example.com/"
	noURL := mustParseDoc(t, "---\nname: Ann Example\nemail: ann@example.com\n---\n\n# Ann Example\n\n## SRE\n#### Acme (2019 - Present)\n")
	ts := startServerDoc(t, Config{PublicURL: page}, noURL)
	out, _, code, err := ts.runAs(t, "visitor", nil, "card")
	if err != nil || code != 0 || !strings.HasSuffix(strings.TrimSpace(out), page) {
		t.Errorf("card with --public-url: %d %v\n%s", code, err, out)
	}
	if ts.doc().CardPayload() != page {
		t.Errorf("the QR code holds %q, want the page", ts.doc().CardPayload())
	}
	own := startServerDoc(t, Config{PublicURL: page}, mustParseDoc(t, webDoc))
	if got := own.doc().CardURL(); got != "https://ann.example.com" {
		t.Errorf("a résumé's own URL gave way to the page: %q", got)
	}
	if bare := startServerDoc(t, Config{}, noURL); bare.doc().CardURL() != "mailto:ann@example.com" {
		t.Errorf("without --public-url: %q", bare.doc().CardURL())
	}
}

// TestServeAfterCloseReturns: a Serve that starts after the server was
// closed (a signal that comes before the serving goroutine runs) returns
// at once, for SSH and for the page, instead of serving for ever.
func TestServeAfterCloseReturns(t *testing.T) {
	srv, err := New(Config{}, content.Default(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	for name, serve := range map[string]func(net.Listener) error{"Serve": srv.Serve, "ServeWeb": srv.ServeWeb} {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- serve(l) }()
		select {
		case err := <-done:
			if !errors.Is(err, ErrServerClosed) {
				t.Errorf("%s after Close: %v", name, err)
			}
		case <-time.After(10 * time.Second):
			_ = l.Close()
			t.Fatalf("%s after Close still serves", name)
		}
		if c, err := net.DialTimeout("tcp", l.Addr().String(), time.Second); err == nil {
			c.Close()
			t.Errorf("%s after Close left its listener open", name)
		}
	}
}
