package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/visite-health/visite/core/lang"
)

// TestNegotiate: the lang cookie, then Accept-Language, then German.
func TestNegotiate(t *testing.T) {
	tests := []struct {
		cookie, accept string
		want           lang.Lang
	}{
		{"", "", lang.De},
		{"", "en-GB,en;q=0.9", lang.En},
		{"", "fr-FR,en;q=0.5", lang.En},
		{"", "fr-FR,es", lang.De},
		{"", "de-AT", lang.De},
		{"en", "de-DE", lang.En},
		{"de", "en-US", lang.De},
		{"xx", "en-US", lang.En},
	}
	for _, tc := range tests {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		if tc.cookie != "" {
			r.AddCookie(&http.Cookie{Name: langCookie, Value: tc.cookie})
		}
		if tc.accept != "" {
			r.Header.Set("Accept-Language", tc.accept)
		}
		if got := negotiate(r); got != tc.want {
			t.Errorf("cookie %q, Accept-Language %q: %s, want %s", tc.cookie, tc.accept, got, tc.want)
		}
	}
}

// TestLanguageSwitch stores the choice and returns to a local page only.
func TestLanguageSwitch(t *testing.T) {
	tests := []struct {
		query, location, cookie string
	}{
		{"l=en&next=%2Fsignup", "/signup", "en"},
		{"l=de&next=%2Fapp%2Fstaff%3Fnotice%3Dinvited", "/app/staff?notice=invited", "de"},
		{"l=en&next=https%3A%2F%2Fevil.example", "/", "en"},
		{"l=en&next=%2F%2Fevil.example", "/", "en"},
		{"l=en&next=%2F%5Cevil.example", "/", "en"},
		{"l=fr&next=%2Flogin", "/login", ""},
	}
	for _, tc := range tests {
		e := newEnv(t)
		c := e.client()
		r := c.get("/lang?" + tc.query)
		if r.Code != http.StatusSeeOther || r.Header().Get("Location") != tc.location {
			t.Errorf("%s: %d %q", tc.query, r.Code, r.Header().Get("Location"))
		}
		if got := c.cookies[langCookie]; got != tc.cookie {
			t.Errorf("%s: lang cookie %q", tc.query, got)
		}
	}
}

// TestLanguageReachesPagesAndAPI renders the same page and API error in
// the chosen language.
func TestLanguageReachesPagesAndAPI(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	if r := c.get("/login"); !strings.Contains(r.body, "Passwort vergessen?") {
		t.Error("default is not German")
	}
	c.get("/lang?l=en&next=/login")
	if r := c.get("/login"); !strings.Contains(r.body, "Forgotten your password?") || !strings.Contains(r.body, `<html lang="en">`) {
		t.Error("cookie did not switch to English")
	}
	r := c.get("/api/v1/me")
	if !strings.Contains(r.body, "Please log in.") {
		t.Errorf("API error not in English: %s", r.body)
	}
	c.cookies[langCookie] = "de"
	c.lang = "en"
	if r := c.get("/api/v1/me"); !strings.Contains(r.body, "Bitte melden Sie sich an.") {
		t.Errorf("cookie does not outrank Accept-Language: %s", r.body)
	}
}

// TestLocalPath accepts paths on this site only.
func TestLocalPath(t *testing.T) {
	ok := []string{"/", "/app", "/app/staff?notice=invited", "/signup#top"}
	bad := []string{"", "app", "//evil.example", "/\\evil.example", "https://evil.example/", "/\x00x", "/a\nb",
		"javascript:alert(1)", "\\\\evil", "/" + strings.Repeat("a", 2001)}
	for _, p := range ok {
		if got := localPath(p, "-"); got != p {
			t.Errorf("localPath(%q) = %q", p, got)
		}
	}
	for _, p := range bad {
		if got := localPath(p, "-"); got != "-" {
			t.Errorf("localPath(%q) = %q, want refusal", p, got)
		}
	}
}
