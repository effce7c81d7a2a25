package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// sseEvent is one server-sent event as the test reads it.
type sseEvent struct {
	kind string
	data liveEventDTO
}

// stream opens /live with the client's cookies on a real HTTP server and
// returns the events as they come; it waits until the subscription stands.
func (c *client) stream(t *testing.T, srv *httptest.Server) <-chan sseEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/live", nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("/live: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	sc := bufio.NewScanner(res.Body)
	if !sc.Scan() || !strings.HasPrefix(sc.Text(), ":") {
		t.Fatalf("/live does not open with a comment: %q", sc.Text())
	}
	out := make(chan sseEvent, 16)
	go func() {
		defer res.Body.Close()
		defer close(out)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.kind = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				_ = json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev.data)
			case line == "" && ev.kind != "":
				out <- ev
				ev = sseEvent{}
			}
		}
	}()
	return out
}

// next waits for the next event of kind, skipping others.
func next(t *testing.T, events <-chan sseEvent, kind string) sseEvent {
	t.Helper()
	timeout := time.After(3 * time.Second)
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatalf("stream closed before %s", kind)
			}
			if ev.kind == kind {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %s event", kind)
		}
	}
}

// TestLiveStream: the practitioner sees the guest check in, the guest gets
// the practice's message (and not one addressed to someone else), and
// practice B hears nothing of practice A.
func TestLiveStream(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.engine)
	t.Cleanup(srv.Close) // after the streams' contexts end (cleanups run last first)
	guest, id := e.guest()
	doc := e.client()
	doc.login(practitionerEmail)
	b := e.otherPractice()

	docEvents := doc.stream(t, srv)
	guestEvents := guest.stream(t, srv)
	bEvents := b.stream(t, srv)

	guest.do(http.MethodPost, "/api/v1/consultations/"+id+"/check-in", nil)
	ev := next(t, docEvents, "checked_in")
	if ev.data.Consultation != id || ev.data.Name != "Gerda Gast" || ev.data.Participant == "" {
		t.Errorf("checked_in %+v", ev.data)
	}
	if r := doc.post("/app/waiting", "/app/waiting/"+id+"/message", url2("participant", "someone-else", "text", "Nicht für Sie")); r.Code != http.StatusSeeOther {
		t.Fatalf("private message: %d", r.Code)
	}
	if r := doc.post("/app/waiting", "/app/waiting/"+id+"/message", url2("text", "Etwa 10 Minuten später")); r.Code != http.StatusSeeOther {
		t.Fatalf("message: %d", r.Code)
	}
	ev = next(t, guestEvents, "message")
	if ev.data.Text != "Etwa 10 Minuten später" || ev.data.Consultation != id || ev.data.Name != "" {
		t.Errorf("guest got %+v", ev.data)
	}
	select {
	case ev := <-bEvents:
		t.Errorf("practice B got %s %+v", ev.kind, ev.data)
	case <-time.After(100 * time.Millisecond):
	}
}

// TestLiveNeedsLogin: /live without a session is 401.
func TestLiveNeedsLogin(t *testing.T) {
	e := newEnv(t)
	if r := e.client().get("/live"); r.Code != http.StatusUnauthorized {
		t.Errorf("anonymous /live: %d", r.Code)
	}
	assistant := e.client()
	assistant.login(assistantEmail)
	if r := assistant.get("/live"); r.Code != http.StatusForbidden {
		t.Errorf("assistant /live: %d", r.Code)
	}
}

// url2 builds a form from key, value pairs.
func url2(kv ...string) map[string][]string {
	f := map[string][]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i]] = []string{kv[i+1]}
	}
	return f
}
