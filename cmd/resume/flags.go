package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"charm.land/log/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/pflag"
	gossh "golang.org/x/crypto/ssh"

	"github.com/resume-ssh/resume/content"
	"github.com/resume-ssh/resume/server"
)

// loadDoc reads the résumé at path (the embedded one when ""), JSON
// Resume or Markdown, and writes what looks like a mistake in it to
// stderr.
//
// What it read, and its warnings, go to logger when there is one (serve
// logs in the operator's format), else as plain lines to stderr.
func loadDoc(path string, stderr io.Writer, logger *log.Logger) (*content.Resume, error) {
	if path == "" {
		return content.Default(), nil
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, errUsage{fmt.Errorf("read résumé: %w", err)}
	}
	doc, err := content.ParseAny(path, src)
	if err != nil {
		return nil, errUsage{err}
	}
	if logger != nil {
		logger.Info("résumé read", "summary", doc.Summary(time.Now()))
		for _, w := range doc.Warnings(time.Now()) {
			logger.Warn("résumé", "warning", w)
		}
		return doc, nil
	}
	fmt.Fprintln(stderr, "resume:", doc.Summary(time.Now()))
	for _, w := range doc.Warnings(time.Now()) {
		fmt.Fprintln(stderr, "resume: warning:", w)
	}
	return doc, nil
}

// keyFlags are where the host key comes from.
type keyFlags struct{ dataDir, hostKey *string }

func addKeyFlags(fs *pflag.FlagSet, dataDir string) keyFlags {
	return keyFlags{
		dataDir: fs.String("data-dir", dataDir, "directory for the host key"),
		hostKey: fs.String("host-key", "", "host key file, or the PEM itself; default DATA-DIR/"+server.HostKeyFile),
	}
}

// defaultDataDir is $STATE_DIRECTORY as systemd sets it, else
// $XDG_STATE_HOME/resume, else ~/.local/state/resume.
func defaultDataDir(getenv func(string) string) string {
	if d := getenv("STATE_DIRECTORY"); d != "" {
		return strings.Split(d, ":")[0]
	}
	if d := getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "resume")
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".local", "state", "resume")
	}
	return filepath.Join(".local", "state", "resume")
}

// unitDir is where the systemd unit keeps its data (its StateDirectory).
const unitDir = "/var/lib/resume"

// ownerDataDir is the default data directory of the owner's commands
// (hostkey, inbox), which read what a server keeps: a running unit's
// (STATE_DIRECTORY, or /var/lib/resume when it can be read), else the
// same default as serve's.
func ownerDataDir(getenv func(string) string) string {
	if getenv("STATE_DIRECTORY") == "" {
		if f, err := os.Open(unitDir); err == nil {
			_ = f.Close()
			return unitDir
		}
	}
	return defaultDataDir(getenv)
}

// nothingThere is the error of an owner's command pointed at a directory
// where no server keeps anything: where it looked, and where to look.
func nothingThere(what, dir, create string) error {
	msg := fmt.Sprintf("no %s in %s, where no server has run; the systemd unit keeps its data in %s (--data-dir %s)", what, dir, unitDir, unitDir)
	if create != "" {
		msg += "; " + create
	}
	return errors.New(msg)
}

// load finds the host key: --host-key (or RESUME_HOST_KEY) as a path or
// as the PEM itself, else the data directory's key, created when create
// is set (serve's first start, hostkey --create) and an error otherwise.
// created is the new key's path when this call made it.
func (k keyFlags) load(create bool) (key gossh.Signer, created string, err error) {
	if *k.hostKey != "" {
		if strings.Contains(*k.hostKey, "PRIVATE KEY-----") {
			key, err = server.ParseHostKey([]byte(*k.hostKey))
		} else {
			key, err = server.LoadHostKey(*k.hostKey)
		}
		return key, "", err //nolint:wrapcheck // the server package's errors name the key
	}
	path := filepath.Join(*k.dataDir, server.HostKeyFile)
	_, statErr := os.Stat(path)
	if !create && errors.Is(statErr, fs.ErrNotExist) {
		return nil, "", nothingThere("host key", *k.dataDir, "resume hostkey --create makes one for a new setup")
	}
	if key, err = server.LoadOrCreateHostKey(*k.dataDir); err == nil && errors.Is(statErr, fs.ErrNotExist) {
		created = path
	}
	return key, created, err //nolint:wrapcheck // as above
}

// parseSize reads a byte count such as 64MiB, 500MB, 1GiB or 65536.
func parseSize(s string) (int64, error) {
	num := strings.TrimRightFunc(s, unicode.IsLetter)
	mult := map[string]int64{"": 1, "B": 1, "KB": 1e3, "KIB": 1 << 10, "MB": 1e6, "MIB": 1 << 20, "GB": 1e9, "GIB": 1 << 30}[strings.ToUpper(s[len(num):])]
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || mult == 0 || n < 0 || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return n * mult, nil
}

// parsePrefixes reads comma-separated CIDRs; a bare address is its own.
func parsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range splitList(s) {
		p, err := netip.ParsePrefix(part)
		if err != nil {
			a, aerr := netip.ParseAddr(part)
			if aerr != nil {
				return nil, fmt.Errorf("%q is not an address or CIDR", part)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func newLogger(w io.Writer, format, level string) (*log.Logger, error) {
	opts := log.Options{ReportTimestamp: true}
	switch format {
	case "text":
		opts.Formatter = log.TextFormatter
	case "json":
		opts.Formatter = log.JSONFormatter
	case "logfmt":
		opts.Formatter = log.LogfmtFormatter
	default:
		return nil, errUsage{fmt.Errorf("--log-format must be text, json or logfmt, not %q", format)}
	}
	lvl, err := log.ParseLevel(level)
	if err != nil {
		return nil, errUsage{fmt.Errorf("--log-level: %w", err)}
	}
	opts.Level = lvl
	return log.NewWithOptions(w, opts), nil
}

// connectHint is the ssh command that reaches a server listening on addr
// from this machine.
func connectHint(addr net.Addr) string {
	host, port, _ := net.SplitHostPort(addr.String())
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost" // listening on every address: this machine's is one
	}
	if port == "22" {
		return "ssh " + host
	}
	return "ssh -p " + port + " " + host
}

// isTerminal reports whether f is a terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(file.Fd())
}
