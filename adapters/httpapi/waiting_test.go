package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestWaitingRoomPages: the guest checks in from the consultation page and
// waits; the practitioner's board shows them; admit takes both to the call
// page; end closes it. Both languages.
func TestWaitingRoomPages(t *testing.T) {
	e := newEnv(t)
	guest, id := e.guest()
	_, other := e.guest()
	r := guest.get("/c/" + id)
	if !strings.Contains(r.body, "Ins Wartezimmer") || !strings.Contains(r.body, `action="/c/`+id+`/check-in"`) {
		t.Fatalf("no check-in button:\n%s", r.body)
	}
	if r := guest.post("/c/"+id, "/c/"+other+"/check-in", url.Values{}); r.Code != http.StatusNotFound {
		t.Errorf("check-in to another consultation: %d", r.Code)
	}
	r = guest.post("/c/"+id, "/c/"+id+"/check-in", url.Values{})
	for _, s := range []string{"Sie sind im Wartezimmer", "Dr. med. Jonas Beispiel", "Innere Medizin", " Uhr", "/static/waiting.js?v=", `data-key="declined"`} {
		if r.Code != http.StatusOK || !strings.Contains(r.body, s) {
			t.Errorf("waiting page (%d) lacks %q", r.Code, s)
		}
	}
	if strings.Contains(r.body, "<script>") {
		t.Error("inline script on the waiting page")
	}
	guest.lang = "en"
	if r := guest.post("/c/"+id, "/c/"+id+"/check-in", url.Values{}); !strings.Contains(r.body, "You are in the waiting room") {
		t.Errorf("no English waiting page: %d", r.Code)
	}
	if r := guest.get("/call/" + id); r.Code != http.StatusNotFound {
		t.Errorf("call page before admit: %d", r.Code)
	}

	doc := e.client()
	doc.login(practitionerEmail)
	r = doc.get("/app/waiting")
	for _, s := range []string{`href="/app/waiting"`, "Wartezimmer", "Gerda Gast", "Hereinholen", "/static/board.js?v=", `data-waiting="1"`} {
		if r.Code != http.StatusOK || !strings.Contains(r.body, s) {
			t.Errorf("board (%d) lacks %q", r.Code, s)
		}
	}
	doc.lang = "en"
	if r := doc.get("/app/waiting"); !strings.Contains(r.body, "Admit") || !strings.Contains(r.body, "Waiting room") {
		t.Error("no English board")
	}
	if r := doc.post("/app/waiting", "/app/waiting/"+id+"/message", url.Values{"text": {"Etwa 10 Minuten später"}}); r.Code != http.StatusSeeOther {
		t.Errorf("message: %d %s", r.Code, r.body)
	}
	if r := doc.post("/app/waiting", "/app/waiting/"+id+"/message", url.Values{"text": {""}}); r.Code == http.StatusSeeOther {
		t.Error("empty message accepted")
	}
	r = doc.post("/app/waiting", "/app/waiting/"+id+"/admit", url.Values{})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/call/"+id {
		t.Fatalf("admit: %d %s", r.Code, r.Header().Get("Location"))
	}
	for who, c := range map[string]*client{"guest": guest, "practitioner": doc} {
		c.lang = ""
		r := c.get("/call/" + id)
		for _, s := range []string{"Videogespräch", "/static/call.js?v=", "Ihr Gespräch wird nicht aufgezeichnet.", `data-key="reconnecting"`, "Verlassen"} {
			if r.Code != http.StatusOK || !strings.Contains(r.body, s) {
				t.Errorf("%s call page (%d) lacks %q", who, r.Code, s)
			}
		}
	}
	if r := guest.get("/call/" + id); !strings.Contains(r.body, "Dr. med. Jonas Beispiel") || strings.Contains(r.body, `id="ctl-end"`) {
		t.Error("the guest's call page does not name the practitioner, or offers to end the consultation")
	}
	if r := doc.get("/call/" + id); !strings.Contains(r.body, `id="ctl-end"`) || !strings.Contains(r.body, `data-host="1"`) {
		t.Error("the practitioner's call page cannot end the consultation")
	}
	guest.lang = "en"
	if r := guest.get("/call/" + id); !strings.Contains(r.body, "Video consultation") || !strings.Contains(r.body, "Reconnecting") {
		t.Error("no English call page")
	}
	if r := guest.get("/call/" + other); r.Code != http.StatusNotFound {
		t.Errorf("another call: %d", r.Code)
	}
	owner := e.client()
	owner.login(ownerEmail)
	assistant := e.client()
	assistant.login(assistantEmail)
	if r := assistant.get("/call/" + id); r.Code != http.StatusNotFound {
		t.Errorf("assistant on the call page: %d", r.Code)
	}
	if r := e.otherPractice().get("/call/" + id); r.Code != http.StatusNotFound {
		t.Errorf("practice B on the call page: %d", r.Code)
	}
	if r := doc.post("/app/waiting", "/app/waiting/"+id+"/end", url.Values{}); r.Code != http.StatusSeeOther {
		t.Fatalf("end: %d %s", r.Code, r.body)
	}
	if r := guest.get("/call/" + id); r.Code == http.StatusOK {
		t.Error("call page after the end")
	}
	if r := doc.get("/app/waiting?done=ended"); strings.Contains(r.body, `id="c-`+id+`"`) || !strings.Contains(r.body, "Der Termin wurde beendet.") {
		t.Errorf("board after the end:\n%s", text(r.body))
	}
}

// TestWaitingRoomGates: assistants get 403 on the board and the API;
// another practice gets 404 for every action; a guest cannot check in to
// another consultation.
func TestWaitingRoomGates(t *testing.T) {
	e := newEnv(t)
	guest, id := e.guest()
	_, other := e.guest()
	assistant := e.client()
	assistant.login(assistantEmail)
	if r := assistant.get("/app/waiting"); r.Code != http.StatusForbidden {
		t.Errorf("assistant board: %d", r.Code)
	}
	if strings.Contains(assistant.get("/app").body, `href="/app/waiting"`) {
		t.Error("assistant sees the board link")
	}
	api := e.client()
	api.apiLogin(assistantEmail)
	if r := api.get("/api/v1/waiting-room"); r.Code != http.StatusForbidden {
		t.Errorf("assistant API: %d", r.Code)
	}
	if r := api.do(http.MethodPost, "/api/v1/consultations/"+id+"/admit", nil); r.Code != http.StatusForbidden {
		t.Errorf("assistant admit: %d", r.Code)
	}
	b := e.otherPractice()
	for _, action := range []string{"/admit", "/message", "/decline", "/end"} {
		if r := b.post("/app", "/app/waiting/"+id+action, url.Values{"text": {"Hallo"}, "participant": {"x"}}); r.Code != http.StatusNotFound {
			t.Errorf("practice B POST %s: %d", action, r.Code)
		}
		if r := b.do(http.MethodPost, "/api/v1/consultations/"+id+action, map[string]string{"text": "Hallo", "participant": "x"}); r.Code != http.StatusNotFound {
			t.Errorf("practice B API %s: %d", action, r.Code)
		}
	}
	if r := guest.do(http.MethodPost, "/api/v1/consultations/"+other+"/check-in", nil); r.Code != http.StatusNotFound {
		t.Errorf("guest checks in elsewhere: %d", r.Code)
	}
	var cv consultationDTO
	decode(t, guest.do(http.MethodPost, "/api/v1/consultations/"+id+"/check-in", "{}"), &cv)
	if cv.ID != id || cv.Practitioner != "Dr. med. Jonas Beispiel" {
		t.Errorf("check-in answer %+v", cv)
	}
	if r := b.get("/app/waiting"); strings.Contains(r.body, "Gerda Gast") {
		t.Error("practice B's board shows A's guest")
	}
}

// TestWaitingRoomAPI: list, message, decline, admit and end through the API.
func TestWaitingRoomAPI(t *testing.T) {
	e := newEnv(t)
	guest, id := e.guest()
	guest.do(http.MethodPost, "/api/v1/consultations/"+id+"/check-in", nil)
	doc := e.client()
	doc.apiLogin(practitionerEmail)
	var room waitingRoomDTO
	decode(t, doc.get("/api/v1/waiting-room"), &room)
	var who string
	for _, c := range room.Consultations {
		if c.ID == id && len(c.Waiting) == 1 && c.Waiting[0].Name == "Gerda Gast" {
			who = c.Waiting[0].ID
		}
	}
	if who == "" {
		t.Fatalf("waiting room %+v", room)
	}
	if r := doc.do(http.MethodPost, "/api/v1/consultations/"+id+"/message", map[string]string{"text": "Gleich"}); r.Code != http.StatusNoContent {
		t.Errorf("message: %d %s", r.Code, r.body)
	}
	if r := doc.do(http.MethodPost, "/api/v1/consultations/"+id+"/message", map[string]string{"text": ""}); r.Code != http.StatusUnprocessableEntity {
		t.Errorf("empty message: %d", r.Code)
	}
	if r := doc.do(http.MethodPost, "/api/v1/consultations/"+id+"/end", nil); r.Code != http.StatusConflict {
		t.Errorf("end before the call: %d", r.Code)
	}
	if r := doc.do(http.MethodPost, "/api/v1/consultations/"+id+"/decline", map[string]string{"participant": who, "text": "Bitte neu buchen"}); r.Code != http.StatusNoContent {
		t.Errorf("decline: %d %s", r.Code, r.body)
	}
	decode(t, doc.get("/api/v1/waiting-room"), &room)
	for _, c := range room.Consultations {
		if c.ID == id && len(c.Waiting) != 0 {
			t.Errorf("still waiting after decline: %+v", c.Waiting)
		}
	}
	guest.do(http.MethodPost, "/api/v1/consultations/"+id+"/check-in", nil)
	var d consultationDetailsDTO
	decode(t, doc.do(http.MethodPost, "/api/v1/consultations/"+id+"/admit", nil), &d)
	if d.State != "in_call" {
		t.Errorf("after admit: %s", d.State)
	}
	decode(t, doc.do(http.MethodPost, "/api/v1/consultations/"+id+"/end", nil), &d)
	if d.State != "ended" {
		t.Errorf("after end: %s", d.State)
	}
}
