package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/visite-health/visite/adapters/memory"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

var testMediaSecret = []byte("a-test-secret-of-at-least-32-characters!")

func withCall(c *Config) { c.Call = CallOptions{Secret: testMediaSecret} }

// passOf asks for a call pass and decodes it.
func passOf(t *testing.T, c *client, id string) (callPassDTO, int) {
	t.Helper()
	r := c.do(http.MethodPost, "/api/v1/consultations/"+id+"/call", "{}")
	var p callPassDTO
	if r.Code == http.StatusOK {
		if err := json.Unmarshal([]byte(r.body), &p); err != nil {
			t.Fatal(err)
		}
	}
	return p, r.Code
}

// TestJoinCallHandsTicketsOnlyToAdmitted: the practitioner gets a pass at
// once, the guest only after admit and not after removal; the ticket names
// exactly them and their room.
func TestJoinCallHandsTicketsOnlyToAdmitted(t *testing.T) {
	e := newEnv(t, withCall)
	guest, id := e.guest()
	doc := e.client()
	doc.apiLogin(practitionerEmail)

	p, code := passOf(t, doc, id)
	if code != http.StatusOK || p.URL != mediaPath || !p.Host || p.Name != "Dr. med. Jonas Beispiel" {
		t.Fatalf("practitioner's pass: %d %+v", code, p)
	}
	claims, err := verifyTicket(testMediaSecret, p.Ticket, e.clock.Now())
	if err != nil || !claims.Host || claims.Participant != p.Self {
		t.Fatalf("practitioner's ticket: %+v %v", claims, err)
	}
	if _, cid, ok := ParseRoomKey(claims.Room); !ok || string(cid) != id {
		t.Fatalf("ticket room %q is not consultation %s", claims.Room, id)
	}
	if _, code := passOf(t, guest, id); code != http.StatusNotFound {
		t.Fatalf("guest's pass before check-in and admit: %d", code)
	}
	if r := guest.do(http.MethodPost, "/api/v1/consultations/"+id+"/check-in", nil); r.Code != http.StatusOK {
		t.Fatalf("check-in: %d", r.Code)
	}
	if _, code := passOf(t, guest, id); code != http.StatusNotFound {
		t.Fatalf("guest's pass while waiting: %d", code)
	}
	if r := doc.do(http.MethodPost, "/api/v1/consultations/"+id+"/admit", nil); r.Code != http.StatusOK {
		t.Fatalf("admit: %d %s", r.Code, r.body)
	}
	g, code := passOf(t, guest, id)
	if code != http.StatusOK || g.Host || g.Name != "Gerda Gast" {
		t.Fatalf("guest's pass after admit: %d %+v", code, g)
	}
	if r := guest.do(http.MethodPost, "/api/v1/consultations/"+id+"/check-in", nil); !strings.Contains(r.body, `"admitted":true`) {
		t.Errorf("an admitted guest's check-in does not send them back to the call: %s", r.body)
	}
	if r := guest.post("/c/"+id, "/c/"+id+"/check-in", url.Values{}); r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/call/"+id {
		t.Errorf("an admitted guest's check-in form: %d %s, want straight to the call", r.Code, r.Header().Get("Location"))
	}

	assistant := e.client()
	assistant.apiLogin(assistantEmail)
	if r := assistant.do(http.MethodPost, "/api/v1/consultations/"+id+"/remove", map[string]string{"participant": g.Self}); r.Code != http.StatusForbidden {
		t.Errorf("assistant removes: %d", r.Code)
	}
	if r := e.otherPractice().do(http.MethodPost, "/api/v1/consultations/"+id+"/remove", map[string]string{"participant": g.Self}); r.Code != http.StatusNotFound {
		t.Errorf("practice B removes: %d", r.Code)
	}
	if r := doc.do(http.MethodPost, "/api/v1/consultations/"+id+"/remove", map[string]string{"participant": ""}); r.Code != http.StatusUnprocessableEntity {
		t.Errorf("removing nobody: %d", r.Code)
	}
	if r := doc.do(http.MethodPost, "/api/v1/consultations/"+id+"/remove", map[string]string{"participant": g.Self}); r.Code != http.StatusNoContent {
		t.Fatalf("remove: %d %s", r.Code, r.body)
	}
	if _, code := passOf(t, guest, id); code != http.StatusNotFound {
		t.Errorf("removed guest's pass: %d", code)
	}
	if r := guest.get("/call/" + id); r.Code != http.StatusNotFound {
		t.Errorf("removed guest's call page: %d", r.Code)
	}
}

func TestTickets(t *testing.T) {
	now := time.Now()
	c := ticketClaims{Room: "r", Practice: "p", Participant: "u", Name: "Anna", Expires: now.Add(ticketTTL).Unix()}
	tk, err := signTicket(testMediaSecret, c)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := verifyTicket(testMediaSecret, tk, now); err != nil || got != c {
		t.Fatalf("verify: %+v %v", got, err)
	}
	if _, err := verifyTicket(testMediaSecret, tk, now.Add(ticketTTL)); err == nil {
		t.Error("an expired ticket was accepted")
	}
	if _, err := verifyTicket([]byte("another secret of at least 32 characters"), tk, now); err == nil {
		t.Error("a ticket signed with another secret was accepted")
	}
	c.Host = true
	forged, _ := signTicket([]byte("x"), c)
	payload, _, _ := strings.Cut(forged, ".")
	_, sig, _ := strings.Cut(tk, ".")
	if _, err := verifyTicket(testMediaSecret, payload+"."+sig, now); err == nil {
		t.Error("a changed payload with the old signature was accepted")
	}
	for _, bad := range []string{"", ".", "abc", "a.b", strings.Repeat("a", 5000) + ".b"} {
		if _, err := verifyTicket(testMediaSecret, bad, now); err == nil {
			t.Errorf("ticket %q accepted", bad)
		}
	}
}

func TestNodeForIsStableAndSpreads(t *testing.T) {
	if got := nodeFor(nil, "x"); got != mediaPath {
		t.Errorf("no nodes: %q", got)
	}
	nodes := []string{"wss://m1.example/media/ws", "wss://m2.example/media/ws", "wss://m3.example/media/ws"}
	count := map[string]int{}
	moved := 0
	for range 300 {
		room := RoomKey(practice.ID(ids.New()), consultation.ID(ids.New()))
		n := nodeFor(nodes, room)
		if nodeFor(nodes, room) != n {
			t.Fatal("the node of a room changed between two calls")
		}
		count[n]++
		// Without the third node, only its rooms move.
		if n != nodes[2] && nodeFor(nodes[:2], room) != n {
			moved++
		}
	}
	for _, n := range nodes {
		if count[n] < 50 {
			t.Errorf("node %s got %d of 300 rooms", n, count[n])
		}
	}
	if moved != 0 {
		t.Errorf("%d rooms moved between the nodes that stayed", moved)
	}
}

func TestICEServersGiveTURNCredentials(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	got := iceServers([]string{"stun:stun.example:3478", "turn:turn.example:3478"}, "s3cret", now)
	if len(got) != 2 || got[0].Username != "" || got[1].Username != "1800043200" || got[1].Credential == "" {
		t.Fatalf("ice servers: %+v", got)
	}
	if got := iceServers([]string{"turn:turn.example:3478"}, "", now); len(got) != 0 {
		t.Errorf("a TURN server without a secret was handed out: %+v", got)
	}
}

// fakeRooms records who was served; the real SFU is tested in adapters/pion
// and end to end in apps/visite.
type fakeRooms struct {
	mu     sync.Mutex
	served []ports.MediaPeer
}

func (f *fakeRooms) Serve(ctx context.Context, p ports.MediaPeer, conn ports.SignalConn) error {
	f.mu.Lock()
	f.served = append(f.served, p)
	f.mu.Unlock()
	return conn.Write(ctx, []byte(`{"v":1,"type":"welcome"}`))
}
func (f *fakeRooms) Remove(string, string)   {}
func (f *fakeRooms) Close(string)            {}
func (f *fakeRooms) Drain()                  {}
func (f *fakeRooms) Stats() ports.MediaStats { return ports.MediaStats{} }

func TestMediaSignalChecksTicketAndOrigin(t *testing.T) {
	rooms := &fakeRooms{}
	e := newEnv(t, withCall, func(c *Config) {
		c.Media = &MediaNode{Rooms: rooms, Live: memory.NewLiveEvents(), Secret: testMediaSecret}
	})
	srv := httptest.NewServer(e.engine)
	defer srv.Close()
	wsBase := "ws" + strings.TrimPrefix(srv.URL, "http") + mediaPath
	room := RoomKey(practice.ID(ids.New()), consultation.ID(ids.New()))
	pid, _, _ := ParseRoomKey(room)
	good, _ := signTicket(testMediaSecret, ticketClaims{Room: room, Practice: string(pid), Participant: "anna", Name: "Anna", Expires: time.Now().Add(time.Minute).Unix()})
	expired, _ := signTicket(testMediaSecret, ticketClaims{Room: room, Practice: string(pid), Participant: "anna", Expires: time.Now().Add(-time.Second).Unix()})
	otherTenant, _ := signTicket(testMediaSecret, ticketClaims{Room: room, Practice: ids.New(), Participant: "anna", Expires: time.Now().Add(time.Minute).Unix()})
	ctx := context.Background()
	for name, tk := range map[string]string{"no ticket": "", "expired": expired, "forged": good + "x", "practice not the room's": otherTenant} {
		_, resp, err := websocket.Dial(ctx, wsBase+"?ticket="+url.QueryEscape(tk), nil)
		if err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: %v %v, want 401", name, err, resp)
		}
	}
	_, resp, err := websocket.Dial(ctx, wsBase+"?ticket="+url.QueryEscape(good), &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"https://evil.example"}}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("foreign origin: %v %v, want 403", err, resp)
	}
	conn, _, err := websocket.Dial(ctx, wsBase+"?ticket="+url.QueryEscape(good), &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"https://visite.test"}}})
	if err != nil {
		t.Fatalf("good ticket from the site's origin: %v", err)
	}
	defer conn.CloseNow()
	if _, msg, err := conn.Read(ctx); err != nil || !strings.Contains(string(msg), "welcome") {
		t.Fatalf("no welcome: %q %v", msg, err)
	}
	rooms.mu.Lock()
	defer rooms.mu.Unlock()
	if len(rooms.served) != 1 || rooms.served[0] != (ports.MediaPeer{Room: room, ID: "anna", Name: "Anna"}) {
		t.Errorf("served %+v", rooms.served)
	}
}

// TestResendInvitationPage: the consultation's page offers a new link and
// TAN per invitation; sending it mails them and the old TAN stops working.
func TestResendInvitationPage(t *testing.T) {
	e := newEnv(t)
	inv := e.inviteFor(10*time.Minute, 20)
	page := "/app/consultations/" + inv.consultation
	desk := e.client()
	desk.login(assistantEmail)
	r := desk.get(page)
	m := regexp.MustCompile(`action="(` + page + `/invitations/[0-9a-f-]+/resend)"`).FindStringSubmatch(r.body)
	if m == nil || !strings.Contains(r.body, "Neuen Link und neue TAN senden") {
		t.Fatalf("no resend form:\n%s", r.body)
	}
	r = desk.post(page, m[1], url.Values{})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != page+"?notice=invitation_resent" {
		t.Fatalf("resend: %d %s", r.Code, r.Header().Get("Location"))
	}
	if r := desk.get(r.Header().Get("Location")); !strings.Contains(r.body, "mit neuem Link und neuer TAN ist verschickt") {
		t.Error("no notice after the resend")
	}
	mail := e.lastEmail(notify.TanInvitation)
	u, _ := url.Parse(mail.Data["link"])
	renewed := invitation{link: u.Query().Get("invitation"), tan: mail.Data["tan"], consultation: inv.consultation}
	if renewed.link == inv.link {
		t.Fatal("the resent mail has the old link")
	}
	if r := e.client().tanLogin(inv, inv.tan); r.Code == http.StatusSeeOther {
		t.Error("the old link and TAN still work")
	}
	if r := e.client().tanLogin(renewed, renewed.tan); r.Code != http.StatusSeeOther {
		t.Errorf("the new link and TAN: %d", r.Code)
	}
	if r := e.otherPractice().post("/app", m[1], url.Values{}); r.Code != http.StatusNotFound {
		t.Errorf("practice B resends: %d", r.Code)
	}
}
