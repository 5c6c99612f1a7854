package server

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	gossh "golang.org/x/crypto/ssh"
)

// sshfpAlgorithm is the SSHFP algorithm number of each host key type
// (RFC 4255, 6594, 7479).
var sshfpAlgorithm = map[string]int{
	gossh.KeyAlgoRSA:      1,
	gossh.KeyAlgoECDSA256: 3,
	gossh.KeyAlgoECDSA384: 3,
	gossh.KeyAlgoECDSA521: 3,
	gossh.KeyAlgoED25519:  4,
}

// SSHFP is the DNS SSHFP record for the key, with hash type 2 (SHA-256)
// over the whole public key blob, as ssh-keygen -r prints it.
func SSHFP(host string, k gossh.PublicKey) (string, error) {
	alg, ok := sshfpAlgorithm[k.Type()]
	if !ok {
		return "", fmt.Errorf("no SSHFP algorithm for a %s host key", k.Type())
	}
	sum := sha256.Sum256(k.Marshal())
	return fmt.Sprintf("%s IN SSHFP %d 2 %s", host, alg, hex.EncodeToString(sum[:])), nil
}

// Randomart is the key's fingerprint drawn as ssh-keygen -lv draws it:
// the "drunken bishop" walk over a 17×9 field, driven by the SHA-256
// digest two bits at a time. People compare pictures faster than base64.
func Randomart(k gossh.PublicKey) string {
	const w, h = 17, 9
	const symbols = " .o+=*BOX@%&#/^SE"
	const top = len(symbols) - 1 // E; S is top-1, and a walk counts up to top-2
	var field [w][h]int
	sum := sha256.Sum256(k.Marshal())
	x, y := w/2, h/2
	for _, b := range sum {
		for range 4 {
			x += int(b&1)*2 - 1
			y += int(b>>1&1)*2 - 1
			x, y = max(0, min(x, w-1)), max(0, min(y, h-1))
			if field[x][y] < top-2 {
				field[x][y]++
			}
			b >>= 2
		}
	}
	field[w/2][h/2] = top - 1
	field[x][y] = top

	var sb strings.Builder
	border := func(label string) {
		left := (w - len(label)) / 2
		sb.WriteString("+" + strings.Repeat("-", left) + label + strings.Repeat("-", w-left-len(label)) + "+\n")
	}
	name, bits := keySize(k)
	border(fmt.Sprintf("[%s %d]", name, bits))
	for row := range h {
		sb.WriteByte('|')
		for col := range w {
			sb.WriteByte(symbols[field[col][row]])
		}
		sb.WriteString("|\n")
	}
	border("[SHA256]")
	return sb.String()
}

// keySize is the key's type and size as ssh-keygen names them.
func keySize(k gossh.PublicKey) (string, int) {
	switch k.Type() {
	case gossh.KeyAlgoED25519:
		return "ED25519", 256
	case gossh.KeyAlgoECDSA256:
		return "ECDSA", 256
	case gossh.KeyAlgoECDSA384:
		return "ECDSA", 384
	case gossh.KeyAlgoECDSA521:
		return "ECDSA", 521
	case gossh.KeyAlgoRSA:
		if ck, ok := k.(gossh.CryptoPublicKey); ok {
			if rk, ok := ck.CryptoPublicKey().(interface{ Size() int }); ok {
				return "RSA", rk.Size() * 8
			}
		}
		return "RSA", 0
	}
	return strings.ToUpper(k.Type()), 0
}

// Slide is what a booth puts on its slide: the command to type, the
// fingerprint and randomart that OpenSSH's first-visit prompt can be
// checked against, and the known_hosts line for those who would rather
// not be asked.
func Slide(host string, port int, k gossh.PublicKey) string {
	cmd := "ssh " + host
	if port != 22 && port != 0 {
		cmd = fmt.Sprintf("ssh -p %d %s", port, host)
	}
	name, _ := keySize(k)
	return fmt.Sprintf("%s\n\n%s key fingerprint is %s\n%s\nknown_hosts:\n%s\n",
		cmd, name, Fingerprint(k), Randomart(k), KnownHostsLine(host, port, k))
}
