package server

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// HostKeyFile is the host key's name inside the data directory.
const HostKeyFile = "ssh_host_ed25519_key"

// LoadHostKey reads a PEM private key from path.
func LoadHostKey(path string) (gossh.Signer, error) {
	pemBytes, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read host key: %w", err)
	}
	s, err := ParseHostKey(pemBytes)
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	return s, nil
}

// ParseHostKey reads a PEM private key, as RESUME_HOST_KEY holds it.
func ParseHostKey(pemBytes []byte) (gossh.Signer, error) {
	s, err := gossh.ParsePrivateKey(pemBytes)
	if err != nil {
		return nil, fmt.Errorf("parse host key: %w", err)
	}
	return s, nil
}

// LoadOrCreateHostKey returns the ed25519 host key in dir, creating it on
// first start (directory 0700, file 0600, written to a temporary file and
// renamed into place so that a crash never leaves half a key). A key file
// that exists but cannot be read or parsed is an error: replacing it would
// show every returning visitor a changed host key.
func LoadOrCreateHostKey(dir string) (gossh.Signer, error) {
	path := filepath.Join(dir, HostKeyFile)
	s, err := LoadHostKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return s, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(key, "resume host key")
	if err != nil {
		return nil, fmt.Errorf("encode host key: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".host-key-*")
	if err != nil {
		return nil, fmt.Errorf("write host key: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := tmp.Chmod(0o600); err != nil {
		_ = tmp.Close()
		return nil, fmt.Errorf("write host key: %w", err)
	}
	if _, err := tmp.Write(pem.EncodeToMemory(block)); err != nil {
		_ = tmp.Close()
		return nil, fmt.Errorf("write host key: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return nil, fmt.Errorf("write host key: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("write host key: %w", err)
	}
	// Link, not rename: if another process created the key meanwhile, keep
	// theirs rather than replace it.
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("install host key: %w", err)
	}
	return LoadHostKey(path)
}

// Fingerprint is the key's SHA256 fingerprint as ssh-keygen -l shows it.
func Fingerprint(k gossh.PublicKey) string { return gossh.FingerprintSHA256(k) }

// KnownHostsLine is a known_hosts line for the key at host (and port,
// when it is not 22).
func KnownHostsLine(host string, port int, k gossh.PublicKey) string {
	if port != 22 && port != 0 {
		host = fmt.Sprintf("[%s]:%d", host, port)
	}
	return host + " " + string(trimNewline(gossh.MarshalAuthorizedKey(k)))
}

func trimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// ephemeralKey is a host key for this process only, for a Config without
// one (tests).
func ephemeralKey() (gossh.Signer, error) {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate host key: %w", err)
	}
	s, err := gossh.NewSignerFromKey(k)
	if err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	return s, nil
}
