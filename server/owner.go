package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/resume-ssh/resume/server/inbox"
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
