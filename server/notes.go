package server

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/resume-ssh/resume/server/inbox"
	"github.com/resume-ssh/resume/ui"
	"github.com/resume-ssh/resume/ui/note"
)

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
