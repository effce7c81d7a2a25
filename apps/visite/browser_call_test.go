package main

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The browser test of the call (issue 5): two separate headless Chromium
// processes with fake camera and microphone, the practitioner's and the
// guest's, go through the real TAN login, waiting room and admit into the
// call; each sees the other's video and receives the other's sound, chat
// goes across, and ending the consultation ends the guest's call.

// remoteVideoWidth is the width of the first remote video, 0 before it plays.
const remoteVideoWidth = `(() => { const v = document.querySelector("#call-stage .tile:not(.tile-self) video");
	return String(v ? v.videoWidth : 0) })()`

func TestBrowserCallTwoChromiums(t *testing.T) {
	axe := axeSource(t)
	p, staff := patientsPracticeInBrowser(t)
	const email, guestName = "carla.call@guest.example", "Carla Call"
	p.forbid(email, guestName)
	guest := newBrowser(t, chromiumPath(t))
	guest.name = "guest"

	path := guestOnConsultation(t, p, staff, guest, email, guestName)
	id := strings.TrimPrefix(path, "/c/")
	guest.press(`form[action="/c/`+id+`/check-in"] button[type="submit"]`, 200)
	guest.expectPage(path+"/check-in", "Sie sind im Wartezimmer")
	staff.open(p.URL+"/app/waiting", "/app/waiting", "Wartezimmer")
	staff.waitEval(`(() => { const n = document.querySelector("#c-`+id+` .waiting-name");
		return n ? n.textContent.trim() : "" })()`, guestName)
	staff.submit(`form[action="/app/waiting/`+id+`/admit"] button[type="submit"]`, "/call/"+id, "Videogespräch")
	guest.waitEval("location.pathname", "/call/"+id)

	for _, b := range []*tab{staff, guest} {
		// The status line says "Verbunden." until something newer (someone
		// joined); the connection state stays.
		b.waitEvalFor(`document.querySelector("#call").dataset.connection || ""`, "connected", callWait)
		b.waitEvalFor(remoteVideoWidth+` !== "0" ? "plays" : "black"`, "plays", callWait)
		before, _ := strconv.Atoi(b.eval(`document.querySelector("#call").dataset.audioIn || "0"`))
		b.waitEvalFor(`Number(document.querySelector("#call").dataset.audioIn || 0) > `+strconv.Itoa(before)+` ? "more" : "same"`, "more", callWait)
		b.waitEvalFor(`["good", "fair", "poor"].includes(document.querySelector("#call-quality").dataset.level) ? "shown" : "unknown"`, "shown", callWait)
	}
	for _, b := range []*tab{staff, guest} {
		// Chrome's bandwidth estimate rises above its start (300 kbit/s)
		// only on the node's congestion feedback about what it sent.
		b.waitEvalFor(`Number(document.querySelector("#call").dataset.sendKbps || 0) > 600 ? "ramped up" : "low"`, "ramped up", callWait)
	}
	staff.expectContains(`document.querySelector("#call-stage").textContent`, guestName)
	staff.expectA11y(axe, "the call page")
	guest.expectA11y(axe, "the call page")
	guest.expectContains(`document.querySelector("#call-stage").textContent`, "Dr.")

	// Someone checks in to another consultation of the practice (which the
	// owner holds) while the owner is in this call: the call page shows it.
	owner, r := login(p, patientsOwnerEmail, ownerPassword)
	expectStatus(t, "owner's API login", r, http.StatusOK)
	memberID, token := invite(t, p, owner, "zweite.aerztin@praxis.example", "practitioner")
	accept(t, p, token)
	other := sendTan(t, p, owner, "otto.other@guest.example", memberID, time.Now().Add(10*time.Minute), 1)
	otto := p.newClient()
	expectStatus(t, "second guest's TAN login", tanLogin(otto, other, other.TAN, "Otto Other"), http.StatusOK)
	expectStatus(t, "second guest checks in", otto.api(http.MethodPost, "/api/v1/consultations/"+other.Consultation+"/check-in", nil), http.StatusOK)
	staff.waitEval(`document.querySelector("#call-waiting-list").textContent.includes("Otto Other") ? "shown" : ""`, "shown")
	staff.expectEval(`document.querySelector("#call-waiting-count").textContent + " " + document.title.startsWith("(1) ")`, "1 true")

	guest.fill("#chat-text", "Können Sie mich hören?")
	guest.click(`#chat-form button[type="submit"]`)
	staff.waitEvalFor(`document.querySelector("#chat-log").textContent.includes("Können Sie mich hören?") ? "got it" : ""`, "got it", callWait)

	staff.eval(`window.confirm = () => true; document.querySelector("#ctl-end").click(); "ok"`)
	guest.waitEvalFor(`document.querySelector("#call-status").textContent.trim()`, "Die Sprechstunde ist beendet. Vielen Dank.", callWait)
	guest.checkConsole("the guest's call")
	staff.checkConsole("the practitioner's call")
}
