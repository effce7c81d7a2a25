package httpapi

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

//go:embed static
var staticFiles embed.FS

// assets serves the embedded static files. Links carry a content hash
// (?v=…), so a file can be cached for a year and still change with a release.
type assets struct {
	files fs.FS
	hash  map[string]string // file name → short content hash
}

// loadAssets hashes every embedded static file.
func loadAssets() (*assets, error) {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, err
	}
	a := &assets{files: sub, hash: map[string]string{}}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.hash[p] = hex.EncodeToString(sum[:6])
		return nil
	})
	return a, err
}

// url returns the cache-busting address of a static file ("visite.css").
func (a *assets) url(name string) string {
	return "/static/" + name + "?v=" + a.hash[name]
}

// static serves one embedded file, with long-lived cache headers when asked
// for by its versioned address.
func (s *server) static(c *gin.Context) {
	name := strings.TrimPrefix(c.Param("filepath"), "/")
	if _, ok := s.assets.hash[name]; !ok {
		c.Header("Cache-Control", "no-store")
		s.fail(c, errNotFound)
		return
	}
	// Only the versioned address is immutable; a module's unversioned
	// import of another ("./tone.js") is revalidated every time.
	if c.Query("v") == s.assets.hash[name] {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "no-cache")
	}
	http.ServeFileFS(c.Writer, c.Request, s.assets.files, name)
}
