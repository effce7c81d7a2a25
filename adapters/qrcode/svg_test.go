package qrcode_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/visite-health/visite/adapters/qrcode"
	"github.com/visite-health/visite/adapters/qrcode/qrtest"
)

// svgDoc is what an SVG of package qrcode may contain.
type svgDoc struct {
	XMLName        xml.Name `xml:"http://www.w3.org/2000/svg svg"`
	ViewBox        string   `xml:"viewBox,attr"`
	ShapeRendering string   `xml:"shape-rendering,attr"`
	Rects          []struct {
		Width  string `xml:"width,attr"`
		Height string `xml:"height,attr"`
		Fill   string `xml:"fill,attr"`
	} `xml:"rect"`
	Paths []struct {
		D    string `xml:"d,attr"`
		Fill string `xml:"fill,attr"`
	} `xml:"path"`
}

var unitSquare = regexp.MustCompile(`M(\d+) (\d+)h1v1h-1z`)

func TestSVGRoundTrips(t *testing.T) {
	for _, url := range urls {
		data, err := qrcode.SVG(url)
		if err != nil {
			t.Fatalf("SVG(%q): %v", url, err)
		}
		checkElements(t, data)
		var doc svgDoc
		if err := xml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("SVG(%q) is not well-formed: %v", url, err)
		}
		want := bitmap(t, url)
		n := strconv.Itoa(len(want))
		if doc.ViewBox != "0 0 "+n+" "+n || doc.ShapeRendering != "crispEdges" {
			t.Errorf("viewBox %q, shape-rendering %q; want 0 0 %s %s, crispEdges", doc.ViewBox, doc.ShapeRendering, n, n)
		}
		if len(doc.Rects) != 1 || doc.Rects[0].Width != n || doc.Rects[0].Height != n || doc.Rects[0].Fill != "#ffffff" {
			t.Errorf("background: %+v, want one white %s×%s rect", doc.Rects, n, n)
		}
		if len(doc.Paths) != 1 || doc.Paths[0].Fill != "#000000" {
			t.Fatalf("want one black path, got %d", len(doc.Paths))
		}
		got, err := parsePath(doc.Paths[0].D, len(want))
		if err != nil {
			t.Fatalf("SVG(%q) path: %v", url, err)
		}
		for y := range want {
			for x := range want[y] {
				if got[y][x] != want[y][x] {
					t.Fatalf("SVG(%q) module (%d,%d) = %v, want %v", url, x, y, got[y][x], want[y][x])
				}
			}
		}
		for i := range qrcode.QuietZone {
			for j := range want {
				if got[i][j] || got[j][i] || got[len(got)-1-i][j] || got[j][len(got)-1-i] {
					t.Fatalf("SVG(%q): dark module in the quiet zone", url)
				}
			}
		}
		if text, err := qrtest.DecodeImage(raster(got, 6)); err != nil || text != url {
			t.Errorf("SVG(%q) modules decode to %q, %v", url, text, err)
		}
	}
}

// checkElements allows only svg, rect and path, no references to anything
// and no script or event handler.
func checkElements(t *testing.T, data []byte) {
	t.Helper()
	allowed := map[string]bool{"svg": true, "rect": true, "path": true}
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if !allowed[se.Name.Local] {
			t.Errorf("element <%s> not allowed", se.Name.Local)
		}
		for _, a := range se.Attr {
			v := strings.ToLower(a.Value)
			isNS := a.Name.Local == "xmlns" && a.Value == "http://www.w3.org/2000/svg"
			if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") || a.Name.Local == "href" ||
				strings.Contains(v, "url(") || (strings.Contains(v, ":") && !isNS) {
				t.Errorf("attribute %s=%q not allowed", a.Name.Local, a.Value)
			}
		}
	}
}

// parsePath reads a path of unit squares back into an n×n module matrix; it
// fails on anything else in d and on a square drawn twice.
func parsePath(d string, n int) ([][]bool, error) {
	m := make([][]bool, n)
	for i := range m {
		m[i] = make([]bool, n)
	}
	if rest := unitSquare.ReplaceAllString(d, ""); rest != "" {
		return nil, fmt.Errorf("path has more than unit squares: %.40q", rest)
	}
	for _, sq := range unitSquare.FindAllStringSubmatch(d, -1) {
		x, _ := strconv.Atoi(sq[1])
		y, _ := strconv.Atoi(sq[2])
		if x >= n || y >= n || m[y][x] {
			return nil, fmt.Errorf("square (%d,%d) outside or twice", x, y)
		}
		m[y][x] = true
	}
	return m, nil
}

// raster draws a module matrix with scale pixels per module.
func raster(m [][]bool, scale int) image.Image {
	img := image.NewGray(image.Rect(0, 0, len(m)*scale, len(m)*scale))
	for y := range img.Bounds().Dy() {
		for x := range img.Bounds().Dx() {
			c := color.Gray{Y: 0xff}
			if m[y/scale][x/scale] {
				c.Y = 0
			}
			img.SetGray(x, y, c)
		}
	}
	return img
}
