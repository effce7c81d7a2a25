package httpapi

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/lang"
)

//go:embed templates
var templateFiles embed.FS

// pageSet holds every page parsed once per language, so that {{t "key"}}
// is bound to the language and templates stay free of language plumbing.
// A page may exist per language as name.de.html / name.en.html (long legal
// texts) or once as name.html with all text from the catalogue.
type pageSet struct {
	pages map[lang.Lang]map[string]*template.Template
}

// loadPages parses layout, partials and every page in every language.
func loadPages(st *assets) (*pageSet, error) {
	files, err := fs.Glob(templateFiles, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	ps := &pageSet{pages: map[lang.Lang]map[string]*template.Template{}}
	for _, l := range languages {
		ps.pages[l] = map[string]*template.Template{}
		for _, f := range files {
			name, fileLang, perLang := pageName(f)
			if perLang && fileLang != string(l) {
				continue
			}
			if _, done := ps.pages[l][name]; done && !perLang {
				continue // a per-language file wins over the shared one
			}
			t, err := template.New("layout.html").Funcs(funcsFor(l, st)).
				ParseFS(templateFiles, "templates/layout.html", "templates/partials.html", f)
			if err != nil {
				return nil, fmt.Errorf("parse %s: %w", f, err)
			}
			ps.pages[l][name] = t
		}
	}
	for _, l := range languages {
		for name := range ps.pages[languages[0]] {
			if ps.pages[l][name] == nil {
				return nil, fmt.Errorf("page %s has no %s version", name, l)
			}
		}
	}
	return ps, nil
}

// pageName splits "templates/pages/privacy.de.html" into "privacy", "de", true.
func pageName(file string) (name, l string, perLang bool) {
	base := strings.TrimSuffix(path.Base(file), ".html")
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		return base[:i], base[i+1:], true
	}
	return base, "", false
}

// view is what every page template gets.
type view struct {
	Lang    lang.Lang
	Path    string // the current page, for the language switch's next=
	CSRF    string
	Me      *app.Me
	Form    map[string]string // the user's input, never passwords
	Errors  map[string]string // field → translated message
	Summary []summaryItem
	Notice  string // a translated confirmation shown at the top
	Data    any
	// Home is where the logged-in visitor belongs (staff, patient, guest);
	// Nav are the links of the header the Authorizer lets them see.
	Home string
	Nav  []navLink
	// ForPatients marks the pages patients and guests use (a practice's
	// login and registration): the header does not offer the staff login.
	ForPatients bool
	// Billing is the owner's past-due banner or the staff's read-only
	// notice on /app pages; nil when there is nothing to tell.
	Billing *billingNoticeView
	// summaryOnly shows field problems in the summary only, for forms
	// whose fields are not on the page as such (a row's role select).
	summaryOnly bool
}

// summaryItem is one line of the error summary above a form; Field is ""
// for problems that belong to no single field.
type summaryItem struct {
	Field   string
	Message string
}

// newView starts the view of the current request.
func (s *server) newView(c *gin.Context) *view {
	me := meOf(c)
	v := &view{Lang: langOf(c), Path: c.Request.URL.RequestURI(), CSRF: csrfToken(c), Me: me,
		Form: map[string]string{}, Errors: map[string]string{}, Home: homeOf(me), Nav: s.navOf(c, me)}
	v.Billing = s.billingNoticeOf(c, me, v.Lang)
	return v
}

// render executes a page into a buffer first, so a template failure never
// leaves half a page behind.
func (s *server) render(c *gin.Context, status int, page string, v *view) {
	t := s.pages.pages[v.Lang][page]
	if t == nil {
		t = s.pages.pages[lang.Default][page]
	}
	var buf bytes.Buffer
	if t == nil {
		s.logger(c).Error("render: unknown page", "page", page)
		c.String(http.StatusInternalServerError, tr(v.Lang, "internal"))
		return
	}
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		s.logger(c).Error("render", "page", page, "err", err.Error())
		c.String(http.StatusInternalServerError, tr(v.Lang, "internal"))
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// errorPage is the data of the error page.
type errorPage struct {
	Title   string
	Message string
}

// renderError shows an error page for a failure outside a form.
func (s *server) renderError(c *gin.Context, status int, e *errs.Error) {
	v := s.newView(c)
	v.Data = errorPage{Title: tr(v.Lang, "error.title."+string(e.Code)), Message: message(v.Lang, e)}
	s.render(c, status, "error", v)
}

// formFailed re-renders a form page with every field's message and a
// summary (callers put the user's input into v first, see keepInput);
// failures that are not the user's become the error page.
func (s *server) formFailed(c *gin.Context, page string, v *view, err error) {
	e := s.publicError(c, err)
	if e.Code == errs.Internal {
		s.renderError(c, http.StatusInternalServerError, e)
		return
	}
	for _, f := range e.Fields {
		msg := tr(v.Lang, f.Key)
		if v.summaryOnly {
			v.Summary = append(v.Summary, summaryItem{Message: msg})
			continue
		}
		if _, dup := v.Errors[f.Field]; !dup {
			v.Errors[f.Field] = msg
		}
		v.Summary = append(v.Summary, summaryItem{Field: f.Field, Message: msg})
	}
	if len(e.Fields) == 0 {
		v.Summary = append(v.Summary, summaryItem{Message: message(v.Lang, e)})
	}
	setRetryAfter(c, e)
	s.render(c, httpStatus(e.Code), page, v)
}

// keepInput copies the posted form into v, leaving out passwords and the
// CSRF token.
func keepInput(c *gin.Context, v *view) {
	if c.Request.PostForm == nil {
		return
	}
	for k, vals := range c.Request.PostForm {
		if k == csrfField || strings.Contains(k, "password") || len(vals) == 0 {
			continue
		}
		v.Form[k] = vals[0]
	}
}
