package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/pion/webrtc/v4"

	"github.com/visite-health/visite/adapters/httpapi"
	pionsfu "github.com/visite-health/visite/adapters/pion"
	"github.com/visite-health/visite/adapters/pion/pionclient"
)

// The call end to end through the real binary (issue 5): passes only for
// the admitted, Pion clients on the media node's WebSocket, media both
// ways, removal and the end reaching the room through the live events,
// and the metadata that reaches the consultation.

// callPass is the answer of joinCall.
type callPass struct {
	URL, Ticket, Self string
	Host              bool
	ICEServers        []struct {
		URLs                 []string
		Username, Credential string
	}
}

func passFor(t *testing.T, c *client, id string) callPass {
	t.Helper()
	r := c.api(http.MethodPost, "/api/v1/consultations/"+id+"/call", nil)
	expectStatus(t, "call pass", r, http.StatusOK)
	var p callPass
	r.JSON(t, &p)
	return p
}

// joinAs connects a Pion client with the pass through the platform's
// WebSocket, as the call page does.
func joinAs(t *testing.T, p *platformUnderTest, pass callPass) *pionclient.Client {
	t.Helper()
	return joinWith(t, p, pass, pionclient.Options{PingInterval: 5 * time.Second})
}

// joinWith is joinAs with the client's options.
func joinWith(t *testing.T, p *platformUnderTest, pass callPass, opts pionclient.Options) *pionclient.Client {
	t.Helper()
	u := strings.Replace(p.URL, "http://", "ws://", 1) + pass.URL + "?ticket=" + url.QueryEscape(pass.Ticket)
	ctx := context.Background()
	conn, _, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {p.URL}}})
	if err != nil {
		t.Fatalf("dial the media node: %v", err)
	}
	c, err := pionclient.Connect(ctx, httpapi.WebSocketSignal(conn), opts)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { _ = c.Close(); conn.CloseNow() })
	return c
}

// pump sends synthetic audio and video from each client until stop.
func pump(stop <-chan struct{}, clients ...*pionclient.Client) {
	go func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		frame := make([]byte, 800)
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				for _, c := range clients {
					_ = c.Audio().Write(frame[:120])
					_ = c.Video().Write(frame)
				}
			}
		}
	}()
}

// eventually polls cond for up to 20 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("%s: not within 20 s", what)
}

// runningCall is a consultation whose practitioner and guest are in the
// call with Pion clients that send audio and video.
type runningCall struct {
	id                 string
	guest              *client
	docPass, guestPass callPass
	doc, g             *pionclient.Client
}

// startCall invites email to a consultation of pr's owner, lets the guest
// in through TAN, check-in and admit (checking that no pass comes before),
// connects both through the media node and waits until media flows both
// ways.
func startCall(t *testing.T, p *platformUnderTest, pr practiceOf, email string) runningCall {
	t.Helper()
	return startCallWith(t, p, pr, email, func(pass callPass) *pionclient.Client { return joinAs(t, p, pass) })
}

// startCallWith is startCall with the clients that join.
func startCallWith(t *testing.T, p *platformUnderTest, pr practiceOf, email string, join func(callPass) *pionclient.Client) runningCall {
	t.Helper()
	inv := sendTan(t, p, pr.Owner, email, pr.MemberID, time.Now().Add(10*time.Minute), 1)
	id := inv.Consultation
	guest := p.newClient()
	expectStatus(t, "TAN login", tanLogin(guest, inv, inv.TAN, "Gerd Gast"), http.StatusOK)
	expectStatus(t, "pass before the check-in", guest.api(http.MethodPost, "/api/v1/consultations/"+id+"/call", nil), http.StatusNotFound)
	expectStatus(t, "check in", guest.api(http.MethodPost, "/api/v1/consultations/"+id+"/check-in", nil), http.StatusOK)
	expectStatus(t, "pass while waiting", guest.api(http.MethodPost, "/api/v1/consultations/"+id+"/call", nil), http.StatusNotFound)
	expectStatus(t, "admit", pr.Owner.api(http.MethodPost, "/api/v1/consultations/"+id+"/admit", nil), http.StatusOK)

	docPass, guestPass := passFor(t, pr.Owner, id), passFor(t, guest, id)
	if !docPass.Host || guestPass.Host || docPass.URL != "/media/ws" {
		t.Fatalf("passes %+v %+v", docPass, guestPass)
	}
	doc, g := join(docPass), join(guestPass)
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	pump(stop, doc, g)
	for _, k := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecTypeVideo} {
		eventually(t, "the guest receives the practitioner's "+k.String(), func() bool { return g.Received(docPass.Self, k) > 20 })
		eventually(t, "the practitioner receives the guest's "+k.String(), func() bool { return doc.Received(guestPass.Self, k) > 20 })
	}
	return runningCall{id: id, guest: guest, docPass: docPass, guestPass: guestPass, doc: doc, g: g}
}

func TestE2ECallThroughTheMediaNode(t *testing.T) {
	p := startPlatform(t, nil)
	pr := newPracticeOf(t, p, "inhaber@praxis-ruf.test", "Praxis Ruf")
	call := startCall(t, p, pr, "gast@ruf.test")
	id, guest, guestPass, doc, g := call.id, call.guest, call.guestPass, call.doc, call.g

	// Removed: the media node drops the guest at once, and the link leads
	// nowhere any more.
	expectStatus(t, "remove", pr.Owner.api(http.MethodPost, "/api/v1/consultations/"+id+"/remove",
		map[string]string{"participant": guestPass.Self}), http.StatusNoContent)
	eventually(t, "the guest is told they were removed", func() bool { return g.Has(pionsfu.TypeRemoved, nil) })
	eventually(t, "the practitioner sees the guest leave", func() bool {
		return doc.Has(pionsfu.TypePeerLeft, func(m pionsfu.ServerMessage) bool { return m.ID == guestPass.Self })
	})
	expectStatus(t, "pass after removal", guest.api(http.MethodPost, "/api/v1/consultations/"+id+"/call", nil), http.StatusNotFound)

	// Ended: the room closes for everyone; the consultation keeps start,
	// end and the number of participants, and nothing else.
	expectStatus(t, "end", pr.Owner.api(http.MethodPost, "/api/v1/consultations/"+id+"/end", nil), http.StatusOK)
	eventually(t, "the practitioner's room closes", func() bool { return doc.Has(pionsfu.TypeEnded, nil) })
	var c struct {
		State        string `json:"state"`
		Participants int    `json:"participants"`
	}
	r := pr.Owner.api(http.MethodGet, "/api/v1/consultations/"+id, nil)
	r.JSON(t, &c)
	if c.State != "ended" || c.Participants != 2 {
		t.Errorf("after the call: %+v, want ended with 2 participants", c)
	}
	expectStatus(t, "pass after the end", pr.Owner.api(http.MethodPost, "/api/v1/consultations/"+id+"/call", nil), http.StatusGone)
}

// TestE2EResendInvitationForANewDevice: a TAN works once, so a guest who
// joins from a second device gets a new link and TAN from the practice;
// the old ones stop working and the admission to the running call carries
// over: the new device goes straight into the call.
func TestE2EResendInvitationForANewDevice(t *testing.T) {
	p := startPlatform(t, nil)
	pr := newPracticeOf(t, p, "inhaber@praxis-neu.test", "Praxis Neu")
	const email = "gast@neu.test"
	inv := sendTan(t, p, pr.Owner, email, pr.MemberID, time.Now().Add(10*time.Minute), 1)
	id := inv.Consultation
	laptop := p.newClient()
	expectStatus(t, "TAN login", tanLogin(laptop, inv, inv.TAN, "Gerd Gast"), http.StatusOK)
	expectStatus(t, "check in", laptop.api(http.MethodPost, "/api/v1/consultations/"+id+"/check-in", nil), http.StatusOK)
	expectStatus(t, "admit", pr.Owner.api(http.MethodPost, "/api/v1/consultations/"+id+"/admit", nil), http.StatusOK)

	phone := p.newClient()
	if r := tanLogin(phone, inv, inv.TAN, "Gerd Gast"); r.Status == http.StatusOK {
		t.Fatal("the used TAN opened a second device")
	}
	var c struct {
		Invitations []struct{ ID string } `json:"invitations"`
	}
	pr.Owner.api(http.MethodGet, "/api/v1/consultations/"+id, nil).JSON(t, &c)
	if len(c.Invitations) != 1 {
		t.Fatalf("invitations %+v", c.Invitations)
	}
	other := newPracticeOf(t, p, "inhaber@praxis-andere.test", "Praxis Andere")
	expectStatus(t, "another practice resends", other.Owner.api(http.MethodPost,
		"/api/v1/consultations/"+id+"/invitations/"+c.Invitations[0].ID+"/resend", map[string]string{}), http.StatusNotFound)
	expectStatus(t, "resend", pr.Owner.api(http.MethodPost,
		"/api/v1/consultations/"+id+"/invitations/"+c.Invitations[0].ID+"/resend", map[string]string{"language": "de"}), http.StatusNoContent)

	m := mails(t, p, email, subjTanDE, 2)[1]
	g := groupedTAN.FindStringSubmatch(m.Text)
	u, err := url.Parse(linkIn(t, m.Text, "/login?tab=tan"))
	if g == nil || err != nil {
		t.Fatalf("no new link and TAN in:\n%s", m.Text)
	}
	renewed := tanInvite{Consultation: id, Invitation: u.Query().Get("invitation"), TAN: g[1] + g[2]}
	p.forbid(renewed.Invitation, renewed.TAN)
	if renewed.Invitation == inv.Invitation || renewed.TAN == inv.TAN {
		t.Fatal("the resent invitation has the old link or TAN")
	}
	if r := tanLogin(p.newClient(), renewed, inv.TAN, "Gerd Gast"); r.Status == http.StatusOK {
		t.Fatal("the old TAN works with the new link")
	}
	expectStatus(t, "new device's TAN login", tanLogin(phone, renewed, renewed.TAN, "Gerd Gast"), http.StatusOK)
	var back struct {
		Admitted bool `json:"admitted"`
	}
	r := phone.api(http.MethodPost, "/api/v1/consultations/"+id+"/check-in", nil)
	expectStatus(t, "new device checks in", r, http.StatusOK)
	r.JSON(t, &back)
	if !back.Admitted {
		t.Error("the admission did not carry over to the new device")
	}
	expectStatus(t, "new device's call pass", phone.api(http.MethodPost, "/api/v1/consultations/"+id+"/call", nil), http.StatusOK)
}

// TestE2EMediaNodeDrainsOnSIGTERM: a stopping process with the media role
// takes no new calls, keeps the running one going for VISITE_MEDIA_DRAIN,
// then tells its participants to reconnect elsewhere and exits cleanly.
func TestE2EMediaNodeDrainsOnSIGTERM(t *testing.T) {
	p := startPlatform(t, map[string]string{"VISITE_MEDIA_DRAIN": "4s"})
	pr := newPracticeOf(t, p, "inhaber@praxis-drain.test", "Praxis Drain")
	call := startCall(t, p, pr, "gast@drain.test")
	later := sendTan(t, p, pr.Owner, "spaeter@drain.test", pr.MemberID, time.Now().Add(40*time.Minute), 1)
	laterPass := passFor(t, pr.Owner, later.Consultation)

	stopped := time.Now()
	p.stop()
	before := call.g.Received(call.docPass.Self, webrtc.RTPCodecTypeVideo)
	eventually(t, "media keeps flowing while the node drains", func() bool {
		return call.g.Received(call.docPass.Self, webrtc.RTPCodecTypeVideo) > before+30
	})
	fresh := joinAs(t, p, laterPass)
	eventually(t, "a new call is refused while draining", func() bool {
		return fresh.Has(pionsfu.TypeError, func(m pionsfu.ServerMessage) bool { return m.Code == pionsfu.CodeDraining })
	})
	select {
	case code := <-p.exited:
		p.exited <- code
		if code != 0 {
			t.Fatalf("exit code %d; logs:\n%s", code, p.Logs.String())
		}
		if waited := time.Since(stopped); waited < 4*time.Second {
			t.Errorf("the node stopped after %s, before the drain limit of 4 s", waited)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the node did not stop after draining")
	}
	eventually(t, "the running call's participants are told to go", func() bool {
		return call.doc.Has(pionsfu.TypeError, nil) || call.doc.Has(pionsfu.TypeEnded, nil) || isDone(call.doc)
	})
}

func isDone(c *pionclient.Client) bool {
	select {
	case <-c.Done():
		return true
	default:
		return false
	}
}
