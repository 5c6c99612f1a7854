// Command resume serves a résumé over SSH, shows it in the local terminal,
// or exports it. Run `resume --help` for the commands.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}
