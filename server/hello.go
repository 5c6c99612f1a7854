package server

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/resume-ssh/resume/server/inbox"
	"github.com/resume-ssh/resume/ui"
	"github.com/resume-ssh/resume/ui/note"
)

// errOwnerNeedsKey refuses the owner user any way in but a key.
var errOwnerNeedsKey = errors.New("the owner logs in with a key")

// isOwner reports whether user is the owner's user name, with owner
// access on.
func (s *Server) isOwner(user string) bool {
	name := s.cfg.OwnerUser
	if name == "" {
		name = "owner"
	}
	return len(s.cfg.OwnerKeys) > 0 && user == name
}

// ownerKey reports whether key is one of the owner's.
func (s *Server) ownerKey(key gossh.PublicKey) bool {
	for _, k := range s.cfg.OwnerKeys {
		if bytes.Equal(k.Marshal(), key.Marshal()) {
			return true
		}
	}
	return false
}

// inbox is the owner's command: inbox [--format table|csv|json] lists the
// notes, inbox delete N deletes one.
func (s *Server) inbox(args []string, out, errOut io.Writer) int {
	if s.cfg.Inbox == nil {
		fmt.Fprintln(errOut, "this server takes no notes")
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
	defer cancel()
	if len(args) == 2 && args[0] == "delete" {
		id, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil {
			fmt.Fprintf(errOut, "inbox delete: want a note's number, not %q\n", sanitize(args[1]))
			return 2
		}
		ok, err := s.cfg.Inbox.Delete(ctx, id)
		switch {
		case err != nil:
			fmt.Fprintln(errOut, "inbox delete: couldn't — please try again in a minute")
			return 1
		case !ok:
			fmt.Fprintf(errOut, "inbox delete: there is no note #%d\n", id)
			return 1
		}
		fmt.Fprintf(out, "deleted #%d\n", id)
		return 0
	}
	format := "table"
	switch {
	case len(args) == 2 && args[0] == "--format":
		format = args[1]
	case len(args) == 1 && strings.HasPrefix(args[0], "--format="):
		format = strings.TrimPrefix(args[0], "--format=")
	case len(args) != 0:
		fmt.Fprintln(errOut, "usage: inbox [--format table|csv|json|vcard], or inbox delete N")
		return 2
	}
	notes, err := s.cfg.Inbox.List(ctx, time.Time{})
	if err != nil {
		fmt.Fprintln(errOut, "inbox: couldn't read it — please try again in a minute")
		return 1
	}
	if err := inbox.Write(out, notes, format); err != nil {
		fmt.Fprintln(errOut, "inbox: --format: "+sanitize(err.Error()))
		return 2
	}
	if full := inbox.FullNotice(len(notes)); full != "" {
		fmt.Fprintln(errOut, full)
	}
	return 0
}

// retainEvery is how often Retain looks for notes past their time.
const retainEvery = time.Hour

// Retain removes the notes older than the InboxRetention now and every
// hour after, until ctx ends. Without an inbox or a retention it returns
// at once.
func (s *Server) Retain(ctx context.Context) {
	if s.cfg.Inbox == nil || s.cfg.InboxRetention <= 0 {
		return
	}
	t := time.NewTicker(retainEvery)
	defer t.Stop()
	for {
		n, err := s.cfg.Inbox.Prune(ctx, s.cfg.Now().Add(-s.cfg.InboxRetention))
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Warn("removing old notes", "err", err)
		case n > 0:
			s.log.Info("removed old notes", "count", n, "older than", s.cfg.InboxRetention.String())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// saveTimeout bounds the wait for storage to take a note; past it the
// visitor is asked to try again, and nothing is acknowledged.
const saveTimeout = 10 * time.Second

// hello asks a visitor without a terminal for a note, line by line:
// questions on stderr, answers on stdin, and "thanks — saved as #N" on
// stdout once the note is committed. Each answer is checked as it is
// given, and a wrong one is asked for again; a second wrong answer in a
// row, or the end of the input, ends it unsaved, with every answer typed
// written back so that nothing is lost.
//
//	printf 'Ann Example\nann@example.com\nHi!\ny\n' | ssh -T HOST hello
func (s *Server) hello(in io.Reader, out, errOut io.Writer, c caller) int {
	if c.pty {
		fmt.Fprintln(errOut, "hello asks its questions line by line: ssh -T HOST hello")
		return 1
	}
	r := bufio.NewReader(io.LimitReader(in, 4*(note.MaxName+note.MaxEmail+note.MaxMessage)))
	var n note.Note
	var typed []string // every answer given, as it was asked
	unsaved := func(why string) int {
		s.metrics.notes.WithLabelValues("invalid").Inc()
		fmt.Fprintln(errOut, "not saved: "+why+". What you typed:")
		for _, t := range typed {
			fmt.Fprintln(errOut, "  "+t)
		}
		return 1
	}
	for _, q := range note.Questions(s.doc().Person.Name) {
		for try := 1; ; try++ {
			fmt.Fprint(errOut, q.Prompt())
			line, err := r.ReadString('\n')
			line = strings.TrimRight(line, "\r\n")
			if err != nil && line == "" {
				return unsaved("the answers ended before the last question")
			}
			typed = append(typed, q.Prompt()+line)
			problem := note.Check(q.Field, line)
			if problem == "" {
				n.Set(q.Field, line)
				break
			}
			fmt.Fprintln(errOut, problem)
			if try == 2 {
				return unsaved(problem)
			}
		}
	}
	id, err := s.save(s.from(inbox.Note{Name: n.Name, Email: n.Email, Message: n.Message, Contact: n.Contact}, c.from))
	if err != nil {
		fmt.Fprintln(errOut, "not saved: "+err.Error())
		return 1
	}
	fmt.Fprintln(out, note.Saved(id))
	return 0
}

// noteSaver is the browser's form's way to the inbox for a visitor from
// addr: the same checks and the same storage as ssh HOST hello.
func (s *Server) noteSaver(addr net.Addr) func(ui.Note) (int64, error) {
	return func(n ui.Note) (int64, error) {
		return s.save(s.from(inbox.Note{Name: n.Name, Email: n.Email, Message: n.Message, Contact: n.Contact}, addr))
	}
}

// from marks n as sent from addr: a keyed hash of its source (an IPv4
// address or an IPv6 /64), never the address, and whether the operator
// spared that source the hourly limit.
func (s *Server) from(n inbox.Note, addr net.Addr) inbox.Note {
	key := sourceKey(addr)
	mac := hmac.New(sha256.New, s.cfg.SourceKey)
	mac.Write([]byte(key.String()))
	n.Source = hex.EncodeToString(mac.Sum(nil)[:6])
	n.Unlimited = s.lim.exempt(key)
	n.At = s.cfg.Now()
	return n
}

// save checks and stores n, whichever way it came, and says in a
// visitor's words why it could not.
func (s *Server) save(n inbox.Note) (int64, error) {
	if err := n.Check(); err != nil {
		s.metrics.notes.WithLabelValues("invalid").Inc()
		return 0, err //nolint:wrapcheck // the visitor's own words
	}
	ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
	defer cancel()
	start := time.Now()
	id, err := s.cfg.Inbox.Add(ctx, n)
	s.metrics.storeTime.Observe(time.Since(start).Seconds())
	switch {
	case err == nil:
		s.metrics.notes.WithLabelValues("saved").Inc()
		s.log.Info("note saved", "id", id)
		return id, nil
	case errors.Is(err, inbox.ErrFull):
		s.metrics.notes.WithLabelValues("full").Inc()
		return 0, note.ErrFull
	case errors.Is(err, inbox.ErrTooMany):
		s.metrics.notes.WithLabelValues("limited").Inc()
		return 0, note.TooMany(inbox.PerHour)
	}
	s.metrics.notes.WithLabelValues("error").Inc()
	s.log.Error("note not saved", "err", err)
	return 0, note.ErrUnavailable
}
