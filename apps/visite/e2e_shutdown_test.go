package main

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	asynqjobs "github.com/visite-health/visite/adapters/asynq"
	"github.com/visite-health/visite/adapters/postgres/pgtest"
)

// shutdownTimeout is VISITE_SHUTDOWN_TIMEOUT of the process under test.
const shutdownTimeout = 15 * time.Second

// TestE2EShutdownFinishesRequestsAndJobs runs the built binary, stops it
// with SIGTERM while a request is being sent and a mail job is being
// delivered, and checks that both finish and the process exits 0 in time.
func TestE2EShutdownFinishesRequestsAndJobs(t *testing.T) {
	bin := buildVisite(t)
	sink := startSlowSink(t, 2*time.Second)
	proc := startVisite(t, bin, sink)
	c := (&platformUnderTest{t: t, URL: proc.url}).newClient()

	const owner = "inhaberin@praxis-feierabend.test"
	expectStatus(t, "sign-up", c.api(http.MethodPost, "/api/v1/signup", signupBody(owner, "Praxis Feierabend")), http.StatusAccepted)
	select {
	case <-sink.receiving: // the confirmation mail's job is inside the slow delivery
	case <-time.After(20 * time.Second):
		t.Fatalf("the confirmation mail did not reach the sink within 20 s; logs:\n%s", proc.logs.String())
	}

	body, answered := slowRequest(t, proc.url+"/api/v1/password/forgot")
	if _, err := io.WriteString(body, `{"email":`); err != nil {
		t.Fatalf("send the first part of the request: %v", err)
	}
	// Connections are accepted in order: once a later one is answered, the
	// server holds the slow request's connection and Shutdown waits for it.
	expectStatus(t, "health before the stop", c.get("/healthz"), http.StatusOK)

	if err := proc.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	proc.waitRefusing(t) // the listener is closed: the shutdown has begun
	if _, err := io.WriteString(body, `"niemand@praxis-feierabend.test"}`); err != nil {
		t.Fatalf("send the rest of the request: %v", err)
	}
	_ = body.Close()

	select {
	case r := <-answered:
		if r.err != nil || r.status != http.StatusAccepted {
			t.Errorf("request in flight at SIGTERM: %d %v, want 202", r.status, r.err)
		}
	case <-time.After(shutdownTimeout):
		t.Errorf("request in flight at SIGTERM not answered within %v", shutdownTimeout)
	}
	select {
	case to := <-sink.delivered:
		if to != owner {
			t.Errorf("delivered to %q, want %q", to, owner)
		}
	case <-time.After(shutdownTimeout):
		t.Errorf("the mail job running at SIGTERM did not finish within %v", shutdownTimeout)
	}
	if err := proc.wait(shutdownTimeout); err != nil {
		t.Errorf("after SIGTERM: %v; logs:\n%s", err, proc.logs.String())
	}
	// The job ended as done, not returned to the queue for lack of time.
	insp := asynq.NewInspector(asynq.RedisClientOpt{Addr: "127.0.0.1:6379", DB: e2eRedisDB})
	defer insp.Close()
	q, err := insp.GetQueueInfo(asynqjobs.QueueMail)
	if err != nil || q.Size != 0 || q.Processed != 1 || q.Failed != 0 {
		t.Errorf("mail queue after the stop: %+v, %v; want empty with 1 job processed, none failed", q, err)
	}
	if logs := proc.logs.String(); strings.Contains(logs, owner) {
		t.Errorf("the logs name the owner's address:\n%s", logs)
	}
}

// buildVisite builds the visite binary into a temporary directory.
func buildVisite(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build visite for this test: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "visite")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// visiteProcess is `visite serve` running as a child process.
type visiteProcess struct {
	cmd    *exec.Cmd
	url    string
	addr   string
	logs   *syncBuffer
	exited chan struct{} // closed when the process ended; err is then set
	err    error
}

// startVisite runs `visite serve --migrate` with a fresh database, this
// package's Redis database and sink as mail relay, and waits until it is
// healthy. The process is killed when the test ends, if still running.
func startVisite(t *testing.T, bin string, sink *slowSink) *visiteProcess {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379", DB: e2eRedisDB})
	if err := rdb.FlushDB(context.Background()).Err(); err != nil {
		t.Fatalf("Redis is needed at 127.0.0.1:6379 and does not answer: %v (run deploy/dev/test)", err)
	}
	_ = rdb.Close()
	addr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	p := &visiteProcess{url: "http://" + addr, addr: addr, logs: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd = exec.Command(bin, "serve", "--migrate")
	p.cmd.Env = []string{
		"VISITE_HTTP_ADDR=" + addr,
		"VISITE_BASE_URL=" + p.url,
		"VISITE_DATABASE_URL=" + pgtest.NewURL(t),
		"VISITE_REDIS_DB=" + strconv.Itoa(e2eRedisDB),
		"VISITE_SMTP_HOST=127.0.0.1",
		"VISITE_SMTP_PORT=" + strconv.Itoa(sink.port),
		"VISITE_LOG_FORMAT=json",
		"VISITE_SHUTDOWN_TIMEOUT=" + shutdownTimeout.String(),
		"VISITE_WORKER_POLL=100ms",
		"VISITE_MEDIA_UDP_ADDR=127.0.0.1:0",
		"VISITE_MEDIA_DRAIN=2s",
	}
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start visite: %v", err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	})
	p.waitHealthy(t)
	return p
}

// waitHealthy waits up to 60 s for /healthz to answer.
func (p *visiteProcess) waitHealthy(t *testing.T) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		select {
		case <-p.exited:
			t.Fatalf("visite exited before it was healthy (%v); logs:\n%s", p.err, p.logs.String())
		default:
		}
		if res, err := http.Get(p.url + "/healthz"); err == nil {
			_ = res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
	}
	t.Fatalf("visite was not healthy within 60 s; logs:\n%s", p.logs.String())
}

// waitRefusing waits up to 10 s until the web server refuses connections.
func (p *visiteProcess) waitRefusing(t *testing.T) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		conn, err := net.Dial("tcp", p.addr)
		if err != nil {
			return
		}
		_ = conn.Close()
	}
	t.Fatalf("visite still accepts connections 10 s after SIGTERM; logs:\n%s", p.logs.String())
}

// wait waits up to limit for the process to end and returns an error
// unless it exited with code 0.
func (p *visiteProcess) wait(limit time.Duration) error {
	select {
	case <-p.exited:
		return p.err
	case <-time.After(limit):
		return errors.New("still running after " + limit.String())
	}
}

// answer is the outcome of a request.
type answer struct {
	status int
	err    error
}

// slowRequest starts a JSON POST to url whose body the caller writes, and
// closes, at its own pace; the answer arrives on the channel.
func slowRequest(t *testing.T, url string) (io.WriteCloser, <-chan answer) {
	t.Helper()
	pr, pw := io.Pipe()
	req, err := http.NewRequest(http.MethodPost, url, pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	answered := make(chan answer, 1)
	go func() {
		res, err := (&http.Client{Timeout: time.Minute}).Do(req)
		if err != nil {
			answered <- answer{err: err}
			return
		}
		defer res.Body.Close()
		_, err = io.Copy(io.Discard, res.Body)
		answered <- answer{status: res.StatusCode, err: err}
	}()
	t.Cleanup(func() { _ = pw.CloseWithError(errors.New("test ended")) })
	return pw, answered
}

// slowSink is an SMTP server on 127.0.0.1 that takes delay to accept each
// message's data, so that a mail job is still running when the test stops
// the process. It reports the recipient when the data starts to arrive
// and again when the message was accepted.
type slowSink struct {
	port      int
	delay     time.Duration
	receiving chan string
	delivered chan string
}

func startSlowSink(t *testing.T, delay time.Duration) *slowSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &slowSink{port: ln.Addr().(*net.TCPAddr).Port, delay: delay,
		receiving: make(chan string, 8), delivered: make(chan string, 8)}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &slowSession{sink: s}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// slowSession is one SMTP connection to a slowSink.
type slowSession struct {
	sink *slowSink
	to   string
}

func (x *slowSession) Reset()                               { x.to = "" }
func (x *slowSession) Logout() error                        { return nil }
func (x *slowSession) Mail(string, *smtp.MailOptions) error { return nil }
func (x *slowSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = strings.ToLower(to)
	return nil
}

func (x *slowSession) Data(r io.Reader) error {
	x.sink.receiving <- x.to
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	time.Sleep(x.sink.delay)
	x.sink.delivered <- x.to
	return nil
}
