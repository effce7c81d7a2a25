package httpapi

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/visite-health/visite/core/notify"
)

// TestSignupEmptyFormShowsEveryError re-renders the empty form with each
// field's message next to it (aria-describedby) and a summary, in German
// and English, and stores nothing.
func TestSignupEmptyFormShowsEveryError(t *testing.T) {
	want := map[string][2]string{ // field → German, English message start
		"practice_name": {"Bitte geben Sie den Namen der Praxis ein", "Please enter the practice's name"},
		"practice_type": {"Bitte wählen Sie die Praxisart", "Please choose the type of practice"},
		"practitioners": {"Bitte geben Sie eine Zahl von 1 bis 500 ein", "Please enter a number from 1 to 500"},
		"street":        {"Bitte geben Sie Straße und Hausnummer ein", "Please enter the street and number"},
		"postal_code":   {"Bitte geben Sie eine gültige Postleitzahl ein", "Please enter a valid postcode"},
		"city":          {"Bitte geben Sie den Ort ein", "Please enter the town or city"},
		"owner_name":    {"Bitte geben Sie den Vor- und Nachnamen ein", "Please enter the first and last name"},
		"email":         {"Bitte geben Sie Ihre E-Mail-Adresse ein", "Please enter your email address"},
		"password":      {"Das Passwort ist zu kurz", "The password is too short"},
		"accept_terms":  {"Bitte akzeptieren Sie die Nutzungsbedingungen", "Please accept the terms of use"},
		"accept_dpa":    {"Bitte schließen Sie den Vertrag zur Auftragsverarbeitung ab", "Please agree to the data processing agreement"},
	}
	for i, lang := range []string{"de", "en"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t)
			c := e.client()
			if lang == "en" {
				c.cookies[langCookie] = "en"
			}
			r := c.post("/signup", "/signup", url.Values{"country": {"DE"}})
			if r.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", r.Code)
			}
			errors := regexp.MustCompile(`<p class="field-error" id="f-(\w+)-error">(?:<span[^>]*>[^<]*</span>)?([^<]*)</p>`).
				FindAllStringSubmatch(r.body, -1)
			got := map[string]string{}
			for _, m := range errors {
				got[m[1]] = m[2]
			}
			for field, msgs := range want {
				if !strings.HasPrefix(got[field], htmlEscape(msgs[i])) {
					t.Errorf("%s: message %q, want %q", field, got[field], msgs[i])
				}
				if !regexp.MustCompile(`id="f-` + field + `"[^>]*aria-describedby="[^"]*f-` + field + `-error"`).MatchString(r.body) {
					t.Errorf("%s: input not described by its error", field)
				}
				if !strings.Contains(r.body, `<a href="#f-`+field+`">`) {
					t.Errorf("%s: not in the error summary", field)
				}
			}
			if len(got) != len(want) {
				t.Errorf("%d field errors, want %d: %v", len(got), len(want), got)
			}
			if len(e.jobs.Sent()) != 0 {
				t.Error("an invalid sign-up was stored or mailed")
			}
		})
	}
}

func htmlEscape(s string) string { return strings.ReplaceAll(s, "'", "&#39;") }

// TestSignupKeepsInputButNotPassword re-renders what was typed.
func TestSignupKeepsInputButNotPassword(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	form := validSignup()
	form.Set("postal_code", "1234")
	r := c.post("/signup", "/signup", form)
	if r.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", r.Code)
	}
	for _, v := range []string{`value="Praxis Dr. Muster"`, `value="erika@praxis-muster.de"`, `value="1234"`,
		`<option value="single" selected>`, `id="f-accept_terms" name="accept_terms" type="checkbox" value="on" checked`} {
		if !strings.Contains(r.body, v) {
			t.Errorf("input %s lost", v)
		}
	}
	if strings.Contains(r.body, "ein langer Satz als Passwort") {
		t.Error("password echoed back")
	}
}

// TestSignupConfirmFlow: sign up, the mailbox page, a GET of the link that
// uses nothing up, the confirming POST that logs the owner in, and the
// dashboard with the practice in its trial.
func TestSignupConfirmFlow(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	r := c.post("/signup", "/signup", validSignup())
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/signup/sent" {
		t.Fatalf("%d %q\n%s", r.Code, r.Header().Get("Location"), r.body)
	}
	token := tokenOf(t, e.lastEmail(notify.SignupConfirm))
	page := "/signup/confirm?token=" + url.QueryEscape(token)
	for range 2 { // scanners may fetch the link: nothing happens
		if r := c.get(page); r.Code != http.StatusOK || !strings.Contains(r.body, `name="token" value="`+token+`"`) {
			t.Fatalf("confirm page %d", r.Code)
		}
	}
	r = c.post(page, "/signup/confirm", url.Values{"token": {token}})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/app" || r.cookie("visite_session") == nil {
		t.Fatalf("confirm: %d %q", r.Code, r.Header().Get("Location"))
	}
	dash := c.get("/app")
	for _, s := range []string{"Praxis Dr. Muster", "Testphase", "Dr. med. Erika Muster", "Inhaber:in"} {
		if !strings.Contains(dash.body, s) {
			t.Errorf("dashboard lacks %q", s)
		}
	}
	r = c.post(page, "/signup/confirm", url.Values{"token": {token}})
	if r.Code != http.StatusGone || !strings.Contains(r.body, "Dieser Link wurde schon verwendet") {
		t.Errorf("second confirm: %d", r.Code)
	}
}

// TestSignupDuplicateLooksTheSame answers an address with an account like
// any other sign-up.
func TestSignupDuplicateLooksTheSame(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	form := validSignup()
	form.Set("email", ownerEmail)
	r := c.post("/signup", "/signup", form)
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/signup/sent" {
		t.Fatalf("%d %q", r.Code, r.Header().Get("Location"))
	}
	e.lastEmail(notify.SignupDuplicate)
}
