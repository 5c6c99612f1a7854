package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"html/template"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	"github.com/resume-ssh/resume/ui/note"
)

// helloPage is the note form's page: the questions of ui/note, each with
// what was typed and what is wrong with it, or the outcome.
type helloPage struct {
	Lang, Title string
	Style       template.CSS
	Fields      []field
	Contact     field
	Token       string
	Status      string // thanks, or why not saved
	Saved       bool
}

// field is one question on the form.
type field struct {
	Name, Label, Value, Problem string
	Limit                       int
	Yes, No                     bool // the consent's answer, when given
}

// formNames are the form's field names, by note field.
var formNames = [note.NumFields]string{note.Name: "name", note.Email: "email", note.Message: "message", note.Contact: "contact"}

// helloPage is the form over the answers typed, with their problems.
func (h *Handler) helloPage(answers [note.NumFields]string, problems [note.NumFields]string) helloPage {
	doc, _ := h.cfg.Document()
	pg := helloPage{Lang: h.cfg.Lang, Title: doc.Title(), Style: template.CSS(style), Token: h.token()} //nolint:gosec // our own stylesheet
	for _, q := range note.Questions(doc.Person.Name) {
		f := field{Name: formNames[q.Field], Label: q.Title, Value: answers[q.Field], Problem: problems[q.Field], Limit: q.Limit}
		if q.Field == note.Contact {
			f.Yes, f.No = answers[q.Field] == "y", answers[q.Field] == "n"
			pg.Contact = f
			continue
		}
		pg.Fields = append(pg.Fields, f)
	}
	return pg
}

func (h *Handler) getHello(w http.ResponseWriter, r *http.Request) {
	h.html(w, r, http.StatusOK, h.helloPage([note.NumFields]string{}, [note.NumFields]string{}))
}

// postHello takes a note: from this site's own form (its origin and a
// token it issued, once), each answer checked as ssh HOST hello checks
// it, and stored as every other note is. The answer comes on the same
// page, with everything typed kept when it is not saved.
func (h *Handler) postHello(w http.ResponseWriter, r *http.Request, from netip.Addr) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			plain(w, http.StatusRequestEntityTooLarge, "a note is at most a few kilobytes")
			return
		}
		plain(w, http.StatusBadRequest, "the form could not be read")
		return
	}
	if !sameOrigin(r) {
		plain(w, http.StatusForbidden, "notes are taken only from this site's own form")
		return
	}
	var answers, problems [note.NumFields]string
	var n note.Note
	bad := false
	for f := range note.NumFields {
		answers[f] = r.PostForm.Get(formNames[f])
		if p := note.Check(f, answers[f]); p != "" {
			problems[f], bad = p, true
			continue
		}
		n.Set(f, answers[f])
	}
	pg := h.helloPage(answers, problems)
	if !h.spend(r.PostForm.Get("token")) {
		pg.Status = "This form had expired or was already sent: check your answers and send it again."
		h.html(w, r, http.StatusBadRequest, pg)
		return
	}
	if bad {
		pg.Status = "Not saved: please see the answers marked below."
		h.html(w, r, http.StatusBadRequest, pg)
		return
	}
	id, err := h.cfg.Save(n, from)
	if err != nil {
		pg.Status = "Not saved: " + err.Error()
		code := http.StatusServiceUnavailable
		if !errors.Is(err, note.ErrUnavailable) {
			code = http.StatusTooManyRequests
		}
		h.html(w, r, code, pg)
		return
	}
	pg.Status, pg.Saved = note.Saved(id), true
	h.html(w, r, http.StatusOK, pg)
}

func (h *Handler) html(w http.ResponseWriter, r *http.Request, code int, pg helloPage) {
	body := h.render("hello", pg)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store") // each form has its own token
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// sameOrigin reports whether a POST came from a page of this site: its
// Origin is this host (browsers send it with every POST), and the fetch
// metadata, when sent, says the same. A client that sends neither, such
// as curl, is let through: it is no browser that could be tricked.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return false
	}
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && o != "null" && u.Host == r.Host
}

// A form's token is when it was issued and a random nonce, signed with
// the handler's secret: good for tokenLife, and for one note.
const (
	tokenData = 8 + 8
	tokenMAC  = 16
)

func (h *Handler) token() string {
	var b [tokenData + tokenMAC]byte
	binary.BigEndian.PutUint64(b[:8], uint64(h.cfg.Now().Unix())) //nolint:gosec // a time after 1970
	_, _ = rand.Read(b[8:tokenData])
	copy(b[tokenData:], h.mac(b[:tokenData]))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func (h *Handler) mac(data []byte) []byte {
	m := hmac.New(sha256.New, h.cfg.Secret)
	m.Write(data)
	return m.Sum(nil)[:tokenMAC]
}

// spend reports whether tok is a token this handler issued, unexpired and
// not spent before, and spends it.
func (h *Handler) spend(tok string) bool {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) != tokenData+tokenMAC || !hmac.Equal(b[tokenData:], h.mac(b[:tokenData])) {
		return false
	}
	now := h.cfg.Now()
	issued := time.Unix(int64(binary.BigEndian.Uint64(b[:8])), 0) //nolint:gosec // signed by us
	if now.Before(issued.Add(-time.Minute)) || now.After(issued.Add(tokenLife)) {
		return false
	}
	h.usedM.Lock()
	defer h.usedM.Unlock()
	if _, spent := h.used[tok]; spent {
		return false
	}
	if len(h.used) >= maxTokensUsed {
		for t, until := range h.used {
			if now.After(until) {
				delete(h.used, t)
			}
		}
		if len(h.used) >= maxTokensUsed {
			return false
		}
	}
	h.used[tok] = issued.Add(tokenLife)
	return true
}
