package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/resume-ssh/resume/server"
)

func newHostkey(e *env) *cobra.Command {
	var host string
	var port int
	var sshfp, slide, create bool
	var keys keyFlags
	cmd := &cobra.Command{
		Use:   "hostkey",
		Short: "Print the server's host key's fingerprint and known_hosts line",
		Long: "Hostkey prints the fingerprint and known_hosts line of the key a server uses: the data\n" +
			"directory's (a running systemd unit's, /var/lib/resume, when there is one), or --host-key.\n" +
			"It creates nothing unless --create is given, for a new setup.",
		Example: "  resume hostkey --host resume.example.com --port 22 --slide\n  resume hostkey --create --data-dir ./key",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			key, created, err := keys.load(create)
			if err != nil {
				return err
			}
			if created != "" {
				fmt.Fprintln(e.stderr, "resume: created a host key at", created)
			}
			pub := key.PublicKey()
			if slide {
				fmt.Fprint(e.stdout, server.Slide(host, port, pub))
				return nil
			}
			fmt.Fprintln(e.stdout, server.Fingerprint(pub))
			fmt.Fprintln(e.stdout, server.KnownHostsLine(host, port, pub))
			if sshfp {
				rec, err := server.SSHFP(host, pub)
				if err != nil {
					return err //nolint:wrapcheck // it names the key type
				}
				fmt.Fprintln(e.stdout, rec)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	keys = addKeyFlags(fs, ownerDataDir(e.getenv))
	fs.StringVar(&host, "host", "localhost", "host name for the known_hosts line and SSHFP record")
	fs.IntVar(&port, "port", 23234, "port for the known_hosts line")
	fs.BoolVar(&sshfp, "sshfp", false, "print the SSHFP DNS record too")
	fs.BoolVar(&create, "create", false, "create the key when the data directory has none (a new setup)")
	fs.BoolVar(&slide, "slide", false, "print a block for a conference slide: the ssh command, fingerprint, randomart and known_hosts line")
	explain(fs)
	return cmd
}
