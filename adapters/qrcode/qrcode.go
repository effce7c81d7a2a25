// Package qrcode draws QR codes for links that get printed, such as a
// practice's patient registration page: a PNG of a requested size and an
// SVG that scales without loss. Both use error correction level M (15 % of
// the code may be damaged or covered) and a quiet zone of four modules, as
// the QR standard asks for reliable scanning.
package qrcode

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"

	goqr "github.com/skip2/go-qrcode"
)

// QuietZone is the light border around the code, in modules.
const QuietZone = 4

// Size limits for PNG, in pixels. DefaultSize prints sharply at about
// 8.7 cm wide (300 dpi).
const (
	MaxSize     = 4096
	DefaultSize = 1024
)

// Errors PNG and SVG return.
var (
	// ErrContent: the content is empty or too long for a QR code.
	ErrContent = errors.New("qrcode: content empty or too long")
	// ErrSize: the PNG size is below the code's module count (with the
	// quiet zone) or above MaxSize.
	ErrSize = errors.New("qrcode: image size out of range")
)

// level is the error correction level of every code: M.
const level = goqr.Medium

// PNG draws the QR code of url as a square, black-on-white PNG of size×size
// pixels. Modules are whole pixels, the same width everywhere; the pixels
// left over widen the quiet zone. It returns ErrContent or ErrSize.
func PNG(url string, size int) ([]byte, error) {
	m, err := matrix(url)
	if err != nil {
		return nil, err
	}
	n := len(m)
	if size < n || size > MaxSize {
		return nil, fmt.Errorf("png of %d px for %d modules: %w", size, n, ErrSize)
	}
	scale := size / n
	offset := (size - scale*n) / 2
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	for y, row := range m {
		for x, dark := range row {
			if !dark {
				continue
			}
			for py := offset + y*scale; py < offset+(y+1)*scale; py++ {
				start := img.PixOffset(offset+x*scale, py)
				for i := range scale {
					img.Pix[start+i] = 1
				}
			}
		}
	}
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, img); err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	return b.Bytes(), nil
}

// SVG draws the QR code of url as a standalone SVG document: a white square
// and one black path of unit squares, one per dark module, in a viewBox
// measured in modules (quiet zone included). It has no width or height, so
// it scales to whatever it is placed in, references nothing outside itself
// and contains no script. It returns ErrContent.
func SVG(url string) ([]byte, error) {
	m, err := matrix(url)
	if err != nil {
		return nil, err
	}
	n := strconv.Itoa(len(m))
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 ` + n + " " + n +
		`" shape-rendering="crispEdges">` + "\n")
	b.WriteString(`<rect width="` + n + `" height="` + n + `" fill="#ffffff"/>` + "\n")
	b.WriteString(`<path fill="#000000" d="`)
	for y, row := range m {
		for x, dark := range row {
			if dark {
				b.WriteString("M" + strconv.Itoa(x) + " " + strconv.Itoa(y) + "h1v1h-1z")
			}
		}
	}
	b.WriteString(`"/>` + "\n</svg>\n")
	return b.Bytes(), nil
}

// matrix returns the code's modules, true for dark, as rows from the top,
// surrounded by QuietZone light modules on every side.
func matrix(url string) ([][]bool, error) {
	if url == "" {
		return nil, ErrContent
	}
	q, err := goqr.New(url, level)
	if err != nil {
		return nil, fmt.Errorf("encode %d bytes: %w", len(url), ErrContent)
	}
	q.DisableBorder = true
	code := q.Bitmap()
	n := len(code) + 2*QuietZone
	m := make([][]bool, n)
	for y := range m {
		m[y] = make([]bool, n)
		if y >= QuietZone && y < n-QuietZone {
			copy(m[y][QuietZone:], code[y-QuietZone])
		}
	}
	return m, nil
}
