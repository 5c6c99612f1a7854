// Package web serves the résumé as a web page, for phones at a talk,
// screen readers and search engines: HTML rendered on the server from the
// same typed model the SSH browser shows, with no JavaScript, beside the
// same exports the SSH commands give, and a note form built from the same
// definition of a note. It knows HTTP and nothing of SSH; the server hands
// it the document, the per-source limiter and the inbox as functions.
package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	_ "embed" // the page's template and stylesheet
	"encoding/base64"
	"encoding/hex"
	"html/template"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/resume-ssh/resume/content"
	"github.com/resume-ssh/resume/ui"
	"github.com/resume-ssh/resume/ui/note"
)

// Config is what the page is made from and how it is served.
type Config struct {
	// Document is the résumé served now and when it was loaded; a live
	// reload changes both, and the page follows.
	Document func() (*content.Resume, time.Time)
	// Now is the date durations are counted to; nil means time.Now.
	Now func() time.Time
	// Lang is the page's language, its lang attribute; "" means "en".
	Lang string
	// SSH is the command that opens the browser in a terminal, shown on
	// the page: "ssh resume.example.com". "" hides it.
	SSH string
	// Save stores a note left with the form at /hello, from addr, and
	// returns its number; nil means no form.
	Save func(n note.Note, from netip.Addr) (int64, error)
	// Allow is the per-source rate, shared with SSH: false refuses the
	// request with 429. Nil allows everything.
	Allow func(from netip.Addr) bool
	// Trusted are the reverse proxies whose X-Forwarded-For names the
	// visitor; from anyone else the header is ignored.
	Trusted []netip.Prefix
	// Observe counts a response by route and status; nil counts nothing.
	Observe func(route string, status int)
	// Secret keys the note form's tokens; it must be at least 32 bytes.
	Secret []byte
}

// Limits of the web server, fixed: a page is a few kilobytes, and the
// note form's body a few more.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	writeTimeout      = 15 * time.Second
	idleTimeout       = 60 * time.Second
	maxHeaderBytes    = 8 << 10
	maxFormBytes      = 8 << 10
	tokenLife         = 2 * time.Hour
	maxTokensUsed     = 10_000
)

//go:embed page.html
var pageTemplate string

//go:embed hello.html
var helloTemplate string

//go:embed style.css
var style string

// Handler serves the page, the exports and the note form.
type Handler struct {
	cfg   Config
	tmpl  *template.Template
	csp   string
	mu    sync.Mutex
	site  *site
	used  map[string]time.Time // form tokens already sent, until they expire
	usedM sync.Mutex
}

// New makes the handler for cfg.
func New(cfg Config) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Lang == "" {
		cfg.Lang = "en"
	}
	sum := sha256.Sum256([]byte(style))
	t := template.Must(template.New("page").Parse(pageTemplate))
	template.Must(t.Parse(helloTemplate))
	return &Handler{
		cfg: cfg, tmpl: t, used: map[string]time.Time{},
		csp: "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
			"img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	}
}

// Server is an http.Server for h, with timeouts and a small header limit,
// so that a slow or oversized request costs little.
func (h *Handler) Server() *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          nil,
		BaseContext:       func(net.Listener) context.Context { return context.Background() },
	}
}

// routes are the paths served, each with its metric's name.
var routes = map[string]bool{
	"/": true, "/resume.json": true, "/resume.md": true, "/resume.txt": true,
	"/contact.vcf": true, "/qr.svg": true, "/hello": true,
}

// ServeHTTP serves one request: GET and HEAD of the routes, and POST of
// the note form; anything else is 404 or 405.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	path := r.URL.Path
	route := path
	if !routes[path] {
		route = "other"
	}
	defer func() {
		if h.cfg.Observe != nil {
			h.cfg.Observe(route, rec.status)
		}
	}()
	hd := rec.Header()
	hd.Set("Content-Security-Policy", h.csp)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Frame-Options", "DENY")
	from := h.client(r)
	if h.cfg.Allow != nil && !h.cfg.Allow(from) {
		hd.Set("Retry-After", "30")
		plain(rec, http.StatusTooManyRequests, "too many requests from your address; try again in a minute")
		return
	}
	hello := path == "/hello" && h.cfg.Save != nil
	switch {
	case !routes[path] || (path == "/hello" && !hello):
		plain(rec, http.StatusNotFound, "not found")
		return
	case r.Method == http.MethodPost && hello:
		h.postHello(rec, r, from)
		return
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		allow := "GET, HEAD"
		if hello {
			allow += ", POST"
		}
		hd.Set("Allow", allow)
		plain(rec, http.StatusMethodNotAllowed, "method not allowed")
		return
	case hello:
		h.getHello(rec, r)
		return
	}
	s := h.current()
	a := s.assets[path]
	if a == nil { // a résumé with no card has no /contact.vcf
		plain(rec, http.StatusNotFound, "not found")
		return
	}
	a.serve(rec, r, s.loaded)
}

// client is the visitor's address: the connection's peer, or, when that
// is a trusted proxy, the last address its X-Forwarded-For adds.
func (h *Handler) client(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	peer := ap.Addr().Unmap()
	if !contains(h.cfg.Trusted, peer) {
		return peer
	}
	fwd := r.Header.Values("X-Forwarded-For")
	if len(fwd) == 0 {
		return peer
	}
	hops := strings.Split(fwd[len(fwd)-1], ",")
	if a, err := netip.ParseAddr(strings.TrimSpace(hops[len(hops)-1])); err == nil {
		return a.Unmap()
	}
	return peer
}

func contains(ps []netip.Prefix, a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// recorder keeps the status a response was given, for the metrics.
type recorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b) //nolint:wrapcheck // as if written directly
}

// plain answers with a short line of text.
func plain(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(msg + "\n"))
}

// site is one version of the document, rendered: each route's body, made
// once, with its compressed form and its entity tag.
type site struct {
	doc    *content.Resume
	day    string // durations are counted to this day
	loaded time.Time
	assets map[string]*asset
}

// asset is one route's response body.
type asset struct {
	typ      string
	body, gz []byte
	etag     string
}

// current is the site for the document served now, made again when the
// document or the day changed.
func (h *Handler) current() *site {
	doc, loaded := h.cfg.Document()
	now := h.cfg.Now()
	day := now.Format(time.DateOnly)
	h.mu.Lock()
	defer h.mu.Unlock()
	if s := h.site; s != nil && s.doc == doc && s.day == day && s.loaded.Equal(loaded) {
		return s
	}
	h.site = h.build(doc, loaded, now)
	return h.site
}

func (h *Handler) build(doc *content.Resume, loaded, now time.Time) *site {
	s := &site{doc: doc, day: now.Format(time.DateOnly), loaded: loaded, assets: map[string]*asset{}}
	add := func(path, typ string, body []byte) {
		if body != nil {
			s.assets[path] = newAsset(typ, body)
		}
	}
	add("/", "text/html; charset=utf-8", h.render("page", h.page(doc, now)))
	if js, err := doc.JSON(); err == nil {
		add("/resume.json", "application/json", js)
	}
	add("/resume.md", "text/markdown; charset=utf-8", doc.Markdown())
	add("/resume.txt", "text/plain; charset=utf-8", []byte(doc.Text(80, now)))
	if v := doc.VCard(); v != "" {
		add("/contact.vcf", "text/vcard; charset=utf-8", []byte(v))
	}
	if grid, err := ui.QRModules(doc.CardPayload()); err == nil && doc.CardPayload() != "" {
		add("/qr.svg", "image/svg+xml", qrSVG(grid))
	}
	return s
}

// page is the page's model for doc.
func (h *Handler) page(doc *content.Resume, now time.Time) page {
	pg := newPage(doc, now, h.cfg.Lang, h.cfg.SSH)
	pg.Hello, pg.JSONLD, pg.Style = h.cfg.Save != nil, jsonLD(doc), template.CSS(style) //nolint:gosec // our own stylesheet
	return pg
}

// render executes the template name over data; the templates are fixed
// and their data typed, so an error is a bug.
func (h *Handler) render(name string, data any) []byte {
	var b bytes.Buffer
	if err := h.tmpl.ExecuteTemplate(&b, name, data); err != nil {
		panic("web: " + name + ": " + err.Error())
	}
	return b.Bytes()
}

func newAsset(typ string, body []byte) *asset {
	sum := sha256.Sum256(body)
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	_, _ = zw.Write(body)
	_ = zw.Close()
	a := &asset{typ: typ, body: body, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	if gz.Len() < len(body) {
		a.gz = gz.Bytes()
	}
	return a
}

// serve answers a GET or HEAD with the asset: 304 to a conditional
// request that already has it, compressed when the client accepts gzip.
func (a *asset) serve(w http.ResponseWriter, r *http.Request, loaded time.Time) {
	hd := w.Header()
	hd.Set("Content-Type", a.typ)
	hd.Set("Cache-Control", "no-cache") // revalidate: a reload changes it
	hd.Set("Vary", "Accept-Encoding")
	body, etag := a.body, a.etag
	if a.gz != nil && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		body, etag = a.gz, strings.TrimSuffix(a.etag, `"`)+`-gz"`
		hd.Set("Content-Encoding", "gzip")
	}
	hd.Set("ETag", etag)
	http.ServeContent(w, r, "", loaded, bytes.NewReader(body))
}

// acceptsGzip reads an Accept-Encoding header: gzip, or *, with a
// quality above zero.
func acceptsGzip(h string) bool {
	for part := range strings.SplitSeq(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		return q > 0
	}
	return false
}

// qrSVG draws a QR code's modules, quiet zone included, as one SVG path
// of unit squares, black on white.
func qrSVG(grid [][]bool) []byte {
	n := len(grid)
	var b bytes.Buffer
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + itoa(n) + ` ` + itoa(n) +
		`" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="`)
	for y, row := range grid {
		for x, dark := range row {
			if dark {
				b.WriteString("M" + itoa(x) + " " + itoa(y) + "h1v1h-1z")
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return b.Bytes()
}

func itoa(n int) string { return strconv.Itoa(n) }
