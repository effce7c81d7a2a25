package main

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
)

// attackStaff calls every staff endpoint as c on member id and expects 404
// from each; it returns nothing, the caller checks that nothing changed.
func attackStaff(t *testing.T, c *client, id string) {
	t.Helper()
	for _, r := range []struct {
		what string
		res  response
	}{
		{"PATCH /api/v1/staff/" + id, c.api(http.MethodPatch, "/api/v1/staff/"+id, map[string]string{"role": "assistant"})},
		{"POST /api/v1/staff/" + id + "/deactivate", c.api(http.MethodPost, "/api/v1/staff/"+id+"/deactivate", nil)},
		{"form /app/staff/" + id + "/role", c.form("/app/staff", "/app/staff/"+id+"/role", url.Values{"role": {"assistant"}})},
		{"GET /app/staff/" + id + "/deactivate", c.get("/app/staff/" + id + "/deactivate")},
		{"form /app/staff/" + id + "/deactivate", c.form("/app/staff", "/app/staff/"+id+"/deactivate", url.Values{})},
	} {
		if r.res.Status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404; body %.300s", r.what, r.res.Status, r.res.Body)
		}
	}
}

// TestE2ETenantIsolation lets practice A's owner call every staff endpoint
// with practice B's member ids: each answers 404 and B's staff stay as they
// were.
func TestE2ETenantIsolation(t *testing.T) {
	p := startPlatform(t, nil)
	ownerA := newOwner(t, p, "inhaberin@praxis-a.test", "Praxis A")
	ownerB := newOwner(t, p, "inhaber@praxis-b.test", "Praxis B")
	memberA, tokenA := invite(t, p, ownerA, "arzt@praxis-a.test", "practitioner")
	memberB, tokenB := invite(t, p, ownerB, "arzt@praxis-b.test", "practitioner")
	doctorB := accept(t, p, tokenB)
	invitedB, _ := invite(t, p, ownerB, "empfang@praxis-b.test", "assistant")
	ownerMemberB := me(t, ownerB).MemberID

	before := staffList(t, ownerB)
	for _, id := range []string{memberB, invitedB, ownerMemberB} {
		attackStaff(t, ownerA, id)
	}
	// Malformed and unknown ids are simply not found.
	for _, id := range []string{"not-an-id", "123", "00000000-0000-0000-0000-000000000000", "0190a5f2-7c1e-7d3a-9b2f-3c4d5e6f7a8b"} {
		attackStaff(t, ownerA, id)
	}
	e := apiError(t, "malformed id", ownerA.api(http.MethodPatch, "/api/v1/staff/x", map[string]string{"role": "assistant"}), http.StatusNotFound)
	if e.Code != "not_found" || e.Message == "" {
		t.Errorf("malformed id: %+v", e)
	}

	if after := staffList(t, ownerB); !slices.Equal(after, before) {
		t.Errorf("practice B's staff changed:\nbefore %+v\nafter  %+v", before, after)
	}
	if who := me(t, doctorB); who.Role != "practitioner" {
		t.Errorf("B's practitioner after the attempts: %+v", who)
	}
	for _, m := range staffList(t, ownerA) {
		if m.ID == memberB || m.ID == invitedB || m.ID == ownerMemberB {
			t.Errorf("A's staff list shows B's member %+v", m)
		}
	}

	// The same requests on A's own member do work (the 404s above are not
	// broken forms).
	r := ownerA.form("/app/staff", "/app/staff/"+memberA+"/role", url.Values{"role": {"assistant"}})
	expectStatus(t, "role form on A's member", r, http.StatusSeeOther)
	expectStatus(t, "deactivate page of A's member", ownerA.get("/app/staff/"+memberA+"/deactivate"), http.StatusOK)
	r = ownerA.form("/app/staff/"+memberA+"/deactivate", "/app/staff/"+memberA+"/deactivate", url.Values{})
	expectStatus(t, "deactivate form on A's member", r, http.StatusSeeOther)
	if m := findStaff(t, staffList(t, ownerA), memberA); m.Role != "assistant" || m.State != "deactivated" {
		t.Errorf("A's member after the forms: %+v", m)
	}
	// A deactivated invitee's link no longer lets them in.
	expectStatus(t, "invitation of a deactivated member", p.newClient().api(http.MethodPost, "/api/v1/invitations/accept",
		map[string]string{"token": tokenA, "password": memberPassword}), http.StatusGone)
}
