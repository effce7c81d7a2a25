package httpapi

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// openAPIDoc is the part of the document the tests read.
type openAPIDoc struct {
	OpenAPI string `json:"openapi"`
	Info    struct {
		Version string `json:"version"`
	} `json:"info"`
	Servers []struct {
		URL string `json:"url"`
	} `json:"servers"`
	Paths map[string]map[string]struct {
		OperationID string                     `json:"operationId"`
		Responses   map[string]json.RawMessage `json:"responses"`
	} `json:"paths"`
}

var ginParam = regexp.MustCompile(`:(\w+)`)

// TestOpenAPIMatchesRoutes compares gin's routes under /api/v1 with the
// document's paths and methods, both ways, and wants an operationId on
// every operation.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newEnv(t)
	var doc openAPIDoc
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") || len(doc.Servers) != 1 || doc.Servers[0].URL != apiPrefix {
		t.Fatalf("openapi %q servers %v", doc.OpenAPI, doc.Servers)
	}
	var routes, documented []string
	for _, r := range e.engine.Routes() {
		if p, ok := strings.CutPrefix(r.Path, apiPrefix); ok {
			routes = append(routes, r.Method+" "+ginParam.ReplaceAllString(p, "{$1}"))
		}
	}
	ids := map[string]string{}
	for p, ops := range doc.Paths {
		for method, op := range ops {
			op := op
			m := strings.ToUpper(method)
			documented = append(documented, m+" "+p)
			if op.OperationID == "" {
				t.Errorf("%s %s has no operationId", m, p)
			}
			if prev, dup := ids[op.OperationID]; dup {
				t.Errorf("operationId %q used twice (%s, %s %s)", op.OperationID, prev, m, p)
			}
			ids[op.OperationID] = m + " " + p
			if len(op.Responses) == 0 {
				t.Errorf("%s %s has no responses", m, p)
			}
		}
	}
	sort.Strings(routes)
	sort.Strings(documented)
	for _, r := range routes {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(routes, d) {
			t.Errorf("openapi.json documents %s, which is no route", d)
		}
	}
	for _, id := range []string{"signupPractice", "confirmEmail", "login", "logout", "getMe", "requestPasswordReset",
		"resetPassword", "changePassword", "acceptInvitation", "listStaff", "inviteStaff", "changeStaffRole", "deactivateStaff",
		"createPatient", "listPatients", "selfRegisterPatient", "confirmPatient", "sendTanInvitation", "loginWithTan",
		"exportMyData", "deleteMyAccount", "getPatient", "patientLogin", "requestPatientPasswordReset", "getConsultation",
		"getMyData", "getSettings", "updateSettings",
		"createConsultation", "listConsultations", "rescheduleConsultation", "cancelConsultation", "markNoShow",
		"submitSalesContact"} {
		if _, ok := ids[id]; !ok {
			t.Errorf("operationId %s missing", id)
		}
	}
}

// TestOpenAPIRefsResolve finds every $ref in the document.
func TestOpenAPIRefsResolve(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				var node any = doc
				for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
					m, _ := node.(map[string]any)
					node = m[part]
				}
				if node == nil {
					t.Errorf("$ref %s does not resolve", ref)
				}
			}
			for _, c := range v {
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	walk(doc)
}

// TestOpenAPIServed serves the document as JSON with the build's version.
func TestOpenAPIServed(t *testing.T) {
	e := newEnv(t)
	r := e.client().get("/api/v1/openapi.json")
	var doc openAPIDoc
	if r.Code != http.StatusOK || json.Unmarshal(r.Body.Bytes(), &doc) != nil {
		t.Fatalf("%d %s", r.Code, r.Header().Get("Content-Type"))
	}
	if doc.Info.Version != "test" || len(doc.Paths) == 0 {
		t.Errorf("version %q, %d paths", doc.Info.Version, len(doc.Paths))
	}
	if !strings.HasPrefix(r.Header().Get("Content-Type"), "application/json") {
		t.Errorf("Content-Type %q", r.Header().Get("Content-Type"))
	}
}
