package server

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/resume-ssh/resume/server/inbox"
)

// saveTimeout bounds the wait for storage to take a note; past it the
// visitor is asked to try again, and nothing is acknowledged.
const saveTimeout = 10 * time.Second

// hello asks a visitor without a terminal for a note, line by line:
// questions on stderr, answers on stdin, and "thanks — saved as #N" on
// stdout once the note is committed.
//
//	printf 'Ann Example\nann@example.com\nHi!\ny\n' | ssh -T HOST hello
func (s *Server) hello(in io.Reader, out, errOut io.Writer, pty bool) int {
	if s.cfg.Inbox == nil {
		fmt.Fprintln(errOut, "this server takes no notes")
		return 1
	}
	if pty {
		fmt.Fprintln(errOut, "hello asks its questions line by line: ssh -T HOST hello")
		return 1
	}
	r := bufio.NewReader(io.LimitReader(in, 4*inbox.MaxMessage))
	ask := func(question string) string {
		fmt.Fprint(errOut, question)
		line, _ := r.ReadString('\n')
		return strings.TrimRight(line, "\r\n")
	}
	owner := s.doc().Person.Name
	if owner == "" {
		owner = "the owner"
	}
	n := inbox.Note{
		Name:    ask("Your name: "),
		Email:   ask("Your email: "),
		Message: ask("A message (optional): "),
	}
	answer := strings.ToLower(strings.TrimSpace(ask("May " + owner + " contact you? (y/n): ")))
	n.Contact = answer == "y" || answer == "yes"
	if err := n.Check(); err != nil {
		fmt.Fprintln(errOut, "not saved: "+strings.ReplaceAll(err.Error(), "\n", "; "))
		return 1
	}
	id, err := s.save(n)
	if err != nil {
		fmt.Fprintln(errOut, "not saved: "+err.Error())
		return 1
	}
	fmt.Fprintf(out, "thanks — saved as #%d\n", id)
	return 0
}

// save stores n, and says in a visitor's words why it could not.
func (s *Server) save(n inbox.Note) (int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
	defer cancel()
	id, err := s.cfg.Inbox.Add(ctx, n)
	switch {
	case err == nil:
		s.log.Info("note saved", "id", id)
		return id, nil
	case errors.Is(err, inbox.ErrFull):
		return 0, errors.New("the inbox is full")
	}
	s.log.Error("note not saved", "err", err)
	return 0, errors.New("couldn't save — please try again in a minute")
}
