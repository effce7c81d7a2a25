package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
)

// maxJSONBytes bounds an API request body.
const maxJSONBytes = 64 << 10

// decodeJSON reads the request body into dst. It answers 400 invalid_json
// itself and returns false for an empty, malformed or oversized body, or
// one with trailing data. Unknown fields are ignored, so clients may send
// fields that later versions understand.
func (s *server) decodeJSON(c *gin.Context, dst any) bool {
	body := http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBytes)
	dec := json.NewDecoder(body)
	if err := dec.Decode(dst); err != nil {
		s.failInvalidJSON(c)
		return false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		s.failInvalidJSON(c)
		return false
	}
	return true
}
