package httpapi

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/visite-health/visite/core/notify"
)

// decode reads a JSON answer into v.
func decode(t *testing.T, r response, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body.Bytes(), v); err != nil {
		t.Fatalf("status %d, body %q: %v", r.Code, r.body, err)
	}
}

func apiSignupBody(email string) map[string]any {
	return map[string]any{"practice_name": "Therapie am See", "practice_type": "therapy", "practitioners": 3,
		"street": "Seeweg 1", "postal_code": "14467", "city": "Potsdam", "country": "DE", "owner_title": "",
		"owner_name": "Sam See", "email": email, "password": "ein langer satz am see", "accept_terms": true, "accept_dpa": true}
}

// TestAPISignupAndConfirm: 422 with every field, 202, then confirmEmail
// logs the owner in with a cookie and names the practice.
func TestAPISignupAndConfirm(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.lang = "en"
	r := c.do(http.MethodPost, "/api/v1/signup", map[string]any{})
	var bad errorDTO
	decode(t, r, &bad)
	if r.Code != 422 || bad.Code != "invalid" || len(bad.Fields) != 11 || bad.Fields[0].Field != "practice_name" ||
		!strings.HasPrefix(bad.Fields[0].Message, "Please enter") {
		t.Fatalf("empty sign-up: %d %+v", r.Code, bad)
	}
	r = c.do(http.MethodPost, "/api/v1/signup", apiSignupBody("sam@see.de"))
	var acc acceptedDTO
	decode(t, r, &acc)
	if r.Code != http.StatusAccepted || acc.Message == "" {
		t.Fatalf("sign-up: %d %s", r.Code, r.body)
	}
	token := tokenOf(t, e.lastEmail(notify.SignupConfirm))
	r = c.do(http.MethodPost, "/api/v1/signup/confirm", map[string]string{"token": token})
	var conf confirmedDTO
	decode(t, r, &conf)
	if r.Code != 200 || conf.Practice.Name != "Therapie am See" || conf.Practice.State != "trial" ||
		conf.Practice.Slug == "" || conf.Practice.ID == "" || conf.Next != "/app" || r.cookie("visite_session") == nil {
		t.Fatalf("confirm: %d %s", r.Code, r.body)
	}
	var me meDTO
	decode(t, c.get("/api/v1/me"), &me)
	if me.Email != "sam@see.de" || me.Role != "owner" || me.Practice == nil || me.Practice.ID != conf.Practice.ID {
		t.Errorf("me %+v", me)
	}
	r = c.do(http.MethodPost, "/api/v1/signup/confirm", map[string]string{"token": token})
	if r.Code != http.StatusGone {
		t.Errorf("second confirm %d", r.Code)
	}
	if r := c.do(http.MethodPost, "/api/v1/signup/confirm", map[string]string{"token": "nope"}); r.Code != http.StatusNotFound {
		t.Errorf("unknown token %d", r.Code)
	}
}

// TestAPIStaff: list, invite, accept, change role, deactivate; another
// practice's ids are not found and change nothing.
func TestAPIStaff(t *testing.T) {
	e := newEnv(t)
	owner := e.client()
	if r := owner.do(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": ownerEmail, "password": demoPassword}); r.Code != 200 {
		t.Fatalf("login %d", r.Code)
	}
	var list staffListDTO
	decode(t, owner.get("/api/v1/staff"), &list)
	if len(list.Items) != 3 || list.Items[0].Role != "owner" || list.Items[0].Email != ownerEmail {
		t.Fatalf("list %+v", list)
	}
	r := owner.do(http.MethodPost, "/api/v1/staff", map[string]string{"email": "Neu@Praxis.de", "role": "assistant", "name": "Nina Neu"})
	var invited staffMemberDTO
	decode(t, r, &invited)
	if r.Code != http.StatusCreated || invited.State != "invited" || invited.Email != "neu@praxis.de" ||
		r.Header().Get("Location") != "/api/v1/staff/"+invited.ID {
		t.Fatalf("invite %d %s", r.Code, r.body)
	}
	if r := owner.do(http.MethodPost, "/api/v1/staff", map[string]string{"email": "neu@praxis.de", "role": "assistant", "name": "Nina Neu"}); r.Code != http.StatusConflict {
		t.Errorf("duplicate invite %d", r.Code)
	}
	nina := e.client()
	r = nina.do(http.MethodPost, "/api/v1/invitations/accept", map[string]string{"token": tokenOf(t, e.lastEmail(notify.StaffInvite)), "password": "ninas langes passwort"})
	if r.Code != 200 || r.cookie("visite_session") == nil {
		t.Fatalf("accept %d %s", r.Code, r.body)
	}
	r = owner.do(http.MethodPatch, "/api/v1/staff/"+invited.ID, map[string]string{"role": "practitioner"})
	var changed staffMemberDTO
	decode(t, r, &changed)
	if r.Code != 200 || changed.Role != "practitioner" {
		t.Fatalf("role %d %s", r.Code, r.body)
	}
	if r := owner.do(http.MethodPatch, "/api/v1/staff/"+invited.ID, map[string]string{"role": "boss"}); r.Code != 422 {
		t.Errorf("bad role %d", r.Code)
	}

	// Another practice's owner sees none of it.
	other := e.client()
	other.do(http.MethodPost, "/api/v1/signup", apiSignupBody("sam@see.de"))
	other.do(http.MethodPost, "/api/v1/signup/confirm", map[string]string{"token": tokenOf(t, e.lastEmail(notify.SignupConfirm))})
	decode(t, other.get("/api/v1/staff"), &list)
	if len(list.Items) != 1 {
		t.Fatalf("other practice lists %d members", len(list.Items))
	}
	if r := other.do(http.MethodPatch, "/api/v1/staff/"+invited.ID, map[string]string{"role": "assistant"}); r.Code != http.StatusNotFound {
		t.Errorf("foreign role change %d", r.Code)
	}
	if r := other.do(http.MethodPost, "/api/v1/staff/"+invited.ID+"/deactivate", nil); r.Code != http.StatusNotFound {
		t.Errorf("foreign deactivate %d", r.Code)
	}
	if r := nina.get("/api/v1/me"); r.Code != 200 || !strings.Contains(r.body, `"role":"practitioner"`) {
		t.Fatalf("foreign calls changed the member: %d %s", r.Code, r.body)
	}

	r = owner.do(http.MethodPost, "/api/v1/staff/"+invited.ID+"/deactivate", nil)
	var gone staffMemberDTO
	decode(t, r, &gone)
	if r.Code != 200 || gone.State != "deactivated" {
		t.Fatalf("deactivate %d %s", r.Code, r.body)
	}
	if r := nina.get("/api/v1/me"); r.Code != http.StatusUnauthorized {
		t.Errorf("deactivated member still in: %d", r.Code)
	}
	if r := owner.do(http.MethodPost, "/api/v1/staff/not-a-uuid/deactivate", nil); r.Code != http.StatusNotFound {
		t.Errorf("malformed id %d", r.Code)
	}
}

// TestAPIPasswords: forgot (202 either way), reset (204), change (204).
func TestAPIPasswords(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, email := range []string{ownerEmail, "nobody@example.com"} {
		if r := c.do(http.MethodPost, "/api/v1/password/forgot", map[string]string{"email": email}); r.Code != http.StatusAccepted {
			t.Fatalf("forgot %s: %d", email, r.Code)
		}
	}
	token := tokenOf(t, e.lastEmail(notify.PasswordReset))
	if r := c.do(http.MethodPost, "/api/v1/password/reset", map[string]string{"token": token, "password": "kurz"}); r.Code != 422 {
		t.Errorf("short password %d", r.Code)
	}
	if r := c.do(http.MethodPost, "/api/v1/password/reset", map[string]string{"token": token, "password": "ein neues langes passwort"}); r.Code != http.StatusNoContent {
		t.Fatalf("reset %d %s", r.Code, r.body)
	}
	if r := c.do(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": ownerEmail, "password": "ein neues langes passwort"}); r.Code != 200 {
		t.Fatalf("login with new password %d", r.Code)
	}
	r := c.do(http.MethodPost, "/api/v1/me/password", map[string]string{"current_password": "falsch", "password": "noch ein neues passwort"})
	var bad errorDTO
	decode(t, r, &bad)
	if r.Code != 422 || len(bad.Fields) != 1 || bad.Fields[0].Field != "current_password" {
		t.Errorf("wrong current %d %+v", r.Code, bad)
	}
	if r := c.do(http.MethodPost, "/api/v1/me/password", map[string]string{"current_password": "ein neues langes passwort", "password": "noch ein neues passwort"}); r.Code != http.StatusNoContent {
		t.Errorf("change %d %s", r.Code, r.body)
	}
	if r := c.get("/api/v1/me"); r.Code != 200 {
		t.Errorf("own session ended by change: %d", r.Code)
	}
}

// TestAPINotFound answers unknown API routes in JSON.
func TestAPINotFound(t *testing.T) {
	e := newEnv(t)
	r := e.client().get("/api/v1/nothing/here")
	if r.Code != 404 || !strings.Contains(r.body, `"code":"not_found"`) || !strings.HasPrefix(r.Header().Get("Content-Type"), "application/json") {
		t.Errorf("%d %s", r.Code, r.body)
	}
}
