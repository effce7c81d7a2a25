package qrtest_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"testing"

	"github.com/visite-health/visite/adapters/qrcode"
	"github.com/visite-health/visite/adapters/qrcode/qrtest"
)

func TestDecode(t *testing.T) {
	const url = "https://visite.example/p/praxis-weber/register"
	img, err := qrcode.PNG(url, 300)
	if err != nil {
		t.Fatal(err)
	}
	got, err := qrtest.Decode(img)
	if err != nil || got != url {
		t.Fatalf("Decode = %q, %v; want %q", got, err, url)
	}
}

func TestDecodeFindsCodeInLargerImage(t *testing.T) {
	const url = "https://visite.example/p/praxis-weber/register"
	data, err := qrcode.PNG(url, 200)
	if err != nil {
		t.Fatal(err)
	}
	code, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// Like a screenshot of the settings page: the code somewhere on a grey page.
	page := image.NewRGBA(image.Rect(0, 0, 800, 600))
	draw.Draw(page, page.Bounds(), &image.Uniform{C: color.RGBA{0xf3, 0xf4, 0xf5, 0xff}}, image.Point{}, draw.Src)
	draw.Draw(page, image.Rect(420, 250, 620, 450), code, image.Point{}, draw.Src)
	got, err := qrtest.DecodeImage(page)
	if err != nil || got != url {
		t.Fatalf("DecodeImage = %q, %v; want %q", got, err, url)
	}
}

func TestDecodeErrors(t *testing.T) {
	if _, err := qrtest.Decode([]byte("not a png")); err == nil {
		t.Error("Decode of garbage succeeded")
	}
	var blank bytes.Buffer
	white := image.NewGray(image.Rect(0, 0, 100, 100))
	draw.Draw(white, white.Bounds(), image.White, image.Point{}, draw.Src)
	if err := png.Encode(&blank, white); err != nil {
		t.Fatal(err)
	}
	if _, err := qrtest.Decode(blank.Bytes()); !errors.Is(err, qrtest.ErrNoCode) {
		t.Errorf("Decode of a blank image: %v, want ErrNoCode", err)
	}
}
