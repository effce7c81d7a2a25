package httpapi

import (
	"html"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/visite-health/visite/core/lang"
)

var (
	scriptTag = regexp.MustCompile(`(?s)<script([^>]*)>(.*?)</script>`)
	dataKey   = regexp.MustCompile(`data-key="([^"]+)"`)
	// inlineHandler is an attribute like onclick=, which the CSP blocks.
	inlineHandler = regexp.MustCompile(`<[^>]+\son[a-z]+=`)
	// jsKey is a text key the pre-call script asks the page for.
	jsKey = regexp.MustCompile(`"((?:browser|media|speaker|net|ice)-[a-z_]+|checking|device)"`)
)

// TestCheckPage renders the pre-call check in both languages for anyone:
// the module script from /static is its only script, nothing is inline,
// and every text the script shows is on the page.
func TestCheckPage(t *testing.T) {
	e := newEnv(t)
	e.selfPatient(demoSlug, "ben")
	patient := e.client()
	patient.patientLogin("ben", patientPassword)
	owner := e.client()
	owner.login(ownerEmail)
	js, err := fs.ReadFile(staticFiles, "static/precheck.js")
	if err != nil {
		t.Fatal(err)
	}
	var wantKeys []string
	for _, m := range jsKey.FindAllStringSubmatch(string(js), -1) {
		wantKeys = append(wantKeys, m[1])
	}
	if len(wantKeys) < 15 {
		t.Fatalf("found only %d text keys in precheck.js: the pattern is broken", len(wantKeys))
	}
	cases := []struct {
		lang, h1, notRecorded, help string
	}{
		{"de", "Technik prüfen", "Ihr Gespräch wird nicht aufgezeichnet.", "Chrome auf Android"},
		{"en", "Check your device", "Your consultation is not recorded.", "Chrome on Android"},
	}
	for _, tc := range cases {
		for who, c := range map[string]*client{"anonymous": e.client(), "patient": patient, "owner": owner} {
			t.Run(tc.lang+"/"+who, func(t *testing.T) {
				c.lang = tc.lang
				r := c.get("/check")
				if r.Code != 200 {
					t.Fatalf("status %d", r.Code)
				}
				body := html.UnescapeString(r.body)
				if m := h1.FindStringSubmatch(body); m == nil || m[1] != tc.h1 {
					t.Errorf("h1 = %q, want %q", m, tc.h1)
				}
				for _, want := range []string{`<html lang="` + tc.lang + `">`, tc.notRecorded, tc.help,
					`<video id="pc-video" class="pc-video" playsinline muted autoplay`, `<meter id="pc-level"`, `aria-live="polite"`} {
					if !strings.Contains(body, want) {
						t.Errorf("page lacks %q", want)
					}
				}
				scripts := scriptTag.FindAllStringSubmatch(r.body, -1)
				if len(scripts) != 1 || scripts[0][1] != ` type="module" src="`+e.srv.assets.url("precheck.js")+`"` ||
					scripts[0][2] != "" {
					t.Errorf("scripts = %q, want only the precheck module", scripts)
				}
				for _, bad := range []string{" style=", "<style", "javascript:", "http://"} {
					if strings.Contains(strings.ToLower(r.body), bad) {
						t.Errorf("page contains %q", bad)
					}
				}
				if inlineHandler.MatchString(r.body) {
					t.Error("page has an inline event handler")
				}
				have := map[string]bool{}
				for _, m := range dataKey.FindAllStringSubmatch(r.body, -1) {
					have[m[1]] = true
				}
				for _, k := range wantKeys {
					if !have[k] {
						t.Errorf("precheck.js shows %q, which the page does not hold", k)
					}
				}
			})
		}
	}
}

// TestCheckScriptServed serves the module with a JavaScript content type
// (browsers refuse modules otherwise) and long-lived caching.
func TestCheckScriptServed(t *testing.T) {
	e := newEnv(t)
	r := e.client().get(e.srv.assets.url("precheck.js"))
	if r.Code != 200 {
		t.Fatalf("status %d", r.Code)
	}
	if ct := r.Header().Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := r.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("Cache-Control %q", cc)
	}
	if r.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}
	if !strings.Contains(r.body, "getUserMedia") {
		t.Error("not the pre-call script")
	}
	// A module's import of another has no version: it is revalidated, so
	// a release never runs with a stale copy.
	for _, target := range []string{"/static/tone.js", "/static/tone.js?v=old"} {
		r := e.client().get(target)
		if r.Code != 200 || r.Header().Get("Cache-Control") != "no-cache" || !strings.Contains(r.body, "export function beep") {
			t.Errorf("%s: %d %q", target, r.Code, r.Header().Get("Cache-Control"))
		}
	}
}

// TestCheckLinkedForPatientsAndGuests: the guest's consultation page and
// the patient's home link to the check.
func TestCheckLinkedForPatientsAndGuests(t *testing.T) {
	e := newEnv(t)
	e.selfPatient(demoSlug, "ben")
	patient := e.client()
	patient.patientLogin("ben", patientPassword)
	guest, id := e.guest()
	for path, c := range map[string]*client{"/patient": patient, "/c/" + id: guest} {
		for _, l := range []string{"de", "en"} {
			c.lang = l
			r := c.get(path)
			want := `href="/check">` + tr(lang.Lang(l), "precheck.link") + `</a>`
			if r.Code != 200 || !strings.Contains(html.UnescapeString(r.body), want) {
				t.Errorf("%s (%s): %d, no %q", path, l, r.Code, want)
			}
		}
	}
}
