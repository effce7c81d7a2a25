package qrcode_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	goqr "github.com/skip2/go-qrcode"

	"github.com/visite-health/visite/adapters/qrcode"
	"github.com/visite-health/visite/adapters/qrcode/qrtest"
)

var urls = []string{
	"https://visite.example/p/praxis-weber/register",
	"http://127.0.0.1:8080/p/a/register",
	"https://app.visite-health.de/p/gemeinschaftspraxis-dr-mueller-und-kollegen-am-hauptbahnhof/register?utm_source=poster&ref=wartezimmer-2",
	"https://visite.example/p/praxis-%C3%BCberlingen/register",
}

func TestPNGRoundTrips(t *testing.T) {
	for _, url := range urls {
		n := len(bitmap(t, url))
		for _, size := range []int{qrcode.DefaultSize, 333, 4 * n, n} {
			data, err := qrcode.PNG(url, size)
			if err != nil {
				t.Fatalf("PNG(%q, %d): %v", url, size, err)
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("PNG(%q, %d) is no PNG: %v", url, size, err)
			}
			if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
				t.Errorf("PNG(%q, %d) is %v", url, size, b)
			}
			if dark(img, 0, 0) || dark(img, size-1, size-1) {
				t.Errorf("PNG(%q, %d): corners not light", url, size)
			}
			if size < 2*n {
				continue // one pixel per module is valid but too small for the reader
			}
			got, err := qrtest.Decode(data)
			if err != nil || got != url {
				t.Errorf("PNG(%q, %d) decodes to %q, %v", url, size, got, err)
			}
		}
	}
}

func TestPNGModulesAreWholePixels(t *testing.T) {
	url := urls[0]
	want := bitmap(t, url)
	n := len(want)
	size := 5*n + 3 // 5 px per module, 3 px left over
	data, err := qrcode.PNG(url, size)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	offset := 1
	for y := range size {
		for x := range size {
			mx, my := (x-offset)/5, (y-offset)/5
			inside := x >= offset && y >= offset && mx < n && my < n
			if wantDark := inside && want[my][mx]; dark(img, x, y) != wantDark {
				t.Fatalf("pixel (%d,%d) dark=%v, want %v", x, y, !wantDark, wantDark)
			}
		}
	}
}

func TestErrors(t *testing.T) {
	tooLong := "https://visite.example/" + strings.Repeat("x", 3000)
	tests := []struct {
		name string
		url  string
		size int
		want error
	}{
		{"empty content", "", 256, qrcode.ErrContent},
		{"content too long", tooLong, 256, qrcode.ErrContent},
		{"size zero", urls[0], 0, qrcode.ErrSize},
		{"negative size", urls[0], -5, qrcode.ErrSize},
		{"smaller than the modules", urls[0], 20, qrcode.ErrSize},
		{"too large", urls[0], qrcode.MaxSize + 1, qrcode.ErrSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := qrcode.PNG(tt.url, tt.size); !errors.Is(err, tt.want) {
				t.Errorf("PNG: %v, want %v", err, tt.want)
			}
			if tt.want != qrcode.ErrContent {
				return
			}
			if _, err := qrcode.SVG(tt.url); !errors.Is(err, tt.want) {
				t.Errorf("SVG: %v, want %v", err, tt.want)
			}
		})
	}
}

// bitmap is the reference module matrix (quiet zone included) at level M.
func bitmap(t *testing.T, url string) [][]bool {
	t.Helper()
	q, err := goqr.New(url, goqr.Medium)
	if err != nil {
		t.Fatal(err)
	}
	return q.Bitmap()
}

func dark(img image.Image, x, y int) bool {
	g := color.GrayModel.Convert(img.At(x, y)).(color.Gray)
	return g.Y < 128
}
