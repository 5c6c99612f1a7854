package ui

import (
	"strings"

	qrcode "github.com/yeqown/go-qrcode/v2"
)

// quietZone is the light margin around a QR code, in modules: the
// standard asks for 4; phones read 2 off a screen.
const quietZone = 2

// qrMatrix is payload's QR code at error correction level M, true for a
// dark module, with the quiet zone around it.
func qrMatrix(payload string) ([][]bool, error) {
	q, err := qrcode.NewWith(payload, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return nil, err //nolint:wrapcheck // the encoder's own
	}
	var grid [][]bool
	if err := q.Save(matrixWriter{&grid}); err != nil {
		return nil, err //nolint:wrapcheck // the encoder's own
	}
	return grid, nil
}

// QRModules is payload's QR code as the card draws it, true for a dark
// module, with its quiet zone: for a page to draw the same code.
func QRModules(payload string) ([][]bool, error) { return qrMatrix(payload) }

// matrixWriter keeps the module matrix the encoder hands it.
type matrixWriter struct{ grid *[][]bool }

func (w matrixWriter) Write(m qrcode.Matrix) error {
	n := m.Width() + 2*quietZone
	g := make([][]bool, m.Height()+2*quietZone)
	for y := range g {
		g[y] = make([]bool, n)
	}
	m.Iterate(qrcode.IterDirection_ROW, func(x, y int, v qrcode.QRValue) {
		g[y+quietZone][x+quietZone] = v.IsSet()
	})
	*w.grid = g
	return nil
}

func (matrixWriter) Close() error { return nil }

// qrLines draws a module matrix with half blocks, two modules to a cell,
// in explicit black on white whatever the terminal's own colours, so that
// the code is never inverted.
func qrLines(grid [][]bool) []string {
	const pen = "\x1b[38;2;0;0;0;48;2;255;255;255m" // black on white
	var out []string
	for y := 0; y < len(grid); y += 2 {
		var b strings.Builder
		b.WriteString(pen)
		for x := range grid[y] {
			top, bottom := grid[y][x], y+1 < len(grid) && grid[y+1][x]
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteString(" ")
			}
		}
		b.WriteString("\x1b[m")
		out = append(out, b.String())
	}
	return out
}

// QR is payload's QR code drawn with half blocks in black on white, as
// the card draws it, for a terminal that shows colours.
func QR(payload string) ([]string, error) {
	grid, err := qrMatrix(payload)
	if err != nil {
		return nil, err
	}
	return qrLines(grid), nil
}
