// Package qrtest reads QR codes back, for tests: of adapters/qrcode's images,
// or of a screenshot that shows a QR code (browser tests that follow the
// printed practice link). It uses a pure-Go port of ZXing.
package qrtest

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
)

// ErrNoCode: the image holds no readable QR code.
var ErrNoCode = errors.New("qrtest: no readable QR code")

// Decode reads the one QR code in a PNG image and returns its text. It
// returns an error when the bytes are no PNG, or ErrNoCode.
func Decode(pngData []byte) (string, error) {
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		return "", fmt.Errorf("qrtest: decode png: %w", err)
	}
	return DecodeImage(img)
}

// DecodeImage reads the one QR code in img and returns its text; a quick
// pass first, then a thorough one. It returns ErrNoCode (wrapped, with the
// reader's reason) when neither finds a readable code.
func DecodeImage(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", fmt.Errorf("qrtest: binarize: %w", err)
	}
	reader := zxqr.NewQRCodeReader()
	hints := []map[gozxing.DecodeHintType]any{nil, {gozxing.DecodeHintType_TRY_HARDER: true}}
	for _, h := range hints {
		res, decErr := reader.Decode(bmp, h)
		if decErr == nil {
			return res.GetText(), nil
		}
		err = decErr
	}
	return "", fmt.Errorf("%w: %v", ErrNoCode, err)
}
