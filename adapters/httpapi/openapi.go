package httpapi

import (
	_ "embed"
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"
)

// openAPIDocument is the hand-written OpenAPI 3.1 description of /api/v1; a
// test keeps it in step with the registered routes.
//
//go:embed openapi.json
var openAPIDocument []byte

// loadOpenAPI checks the embedded document and, when version is set, puts
// it in info.version.
func loadOpenAPI(version string) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		return nil, err
	}
	if version == "" {
		return openAPIDocument, nil
	}
	if info, ok := doc["info"].(map[string]any); ok {
		info["version"] = version
	}
	return json.MarshalIndent(doc, "", "  ")
}

// openAPI serves the document.
func (s *server) openAPI(c *gin.Context) {
	c.Data(http.StatusOK, "application/json; charset=utf-8", s.openapi)
}
