// Package ui is the résumé browser: a Bubble Tea model with a role list
// and detail, a timeline, search, an about page, help and a reader mode.
// It knows nothing of SSH, files or the environment: size, colours and
// options arrive as messages and options, so the same model runs over SSH
// and in a local terminal.
//
// Over SSH the model runs not under a tea.Program but under the server's
// own loop (server/loop.go), which supports this subset of Bubble Tea:
//
//   - commands: Quit, Interrupt, Batch, Sequence, Tick and any command
//     whose message is the model's own; SetClipboard and
//     SetPrimaryClipboard (OSC 52); ReadClipboard; the requests for the
//     background, foreground and cursor colours, the cursor position, the
//     terminal's version and a capability; RequestWindowSize; ClearScreen;
//     Raw; Println and Printf print nothing, as in the alternate screen.
//   - input: keys (with the Kitty keyboard protocol's disambiguation),
//     mouse clicks, releases, motion and the wheel, bracketed paste (one
//     PasteMsg), focus and blur, and the answers to those requests.
//   - the View: its content, always in the alternate screen; MouseMode,
//     WindowTitle, ReportFocus, DisableBracketedPasteMode,
//     KeyboardEnhancements, Cursor and OnMouse.
//
// Not over SSH: Exec and ExecProcess (the server runs no programs),
// Suspend, and the View's BackgroundColor, ForegroundColor, ProgressBar
// and ProgramStatus. A message of Bubble Tea's that the loop does not know
// is logged once per kind and fails the server's tests; the loop's
// conformance test runs every view under both and compares the screens.
package ui
