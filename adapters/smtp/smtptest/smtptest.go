// Package smtptest runs an in-process SMTP server that keeps every message
// it accepts, for tests of code that sends mail. It can be told to refuse
// recipients, temporarily (451) or permanently (550).
package smtptest

import (
	"errors"
	"io"
	"log"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Sink is a running SMTP server on 127.0.0.1. It is safe for concurrent use.
type Sink struct {
	server *smtp.Server
	addr   *net.TCPAddr

	mu         sync.Mutex
	messages   []Message
	attempts   map[string]int
	rejectTemp map[string]int
	rejectPerm map[string]bool
	changed    chan struct{} // closed and replaced whenever a message arrives
}

// Start runs a sink on a free port; it stops when t ends. It fails t when it
// cannot listen.
func Start(t testing.TB) *Sink {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s := &Sink{
		addr:       l.Addr().(*net.TCPAddr),
		attempts:   make(map[string]int),
		rejectTemp: make(map[string]int),
		rejectPerm: make(map[string]bool),
		changed:    make(chan struct{}),
	}
	s.server = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{sink: s}, nil
	}))
	s.server.Domain = "localhost"
	s.server.ReadTimeout = 10 * time.Second
	s.server.WriteTimeout = 10 * time.Second
	s.server.MaxMessageBytes = 10 << 20
	s.server.ErrorLog = log.New(io.Discard, "", 0)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.server.Serve(l); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			t.Logf("smtptest: serve: %v", err)
		}
	}()
	t.Cleanup(func() {
		_ = s.server.Close()
		<-done
	})
	return s
}

// Addr is "127.0.0.1:port".
func (s *Sink) Addr() string { return s.addr.String() }

// Host is the address the sink listens on, "127.0.0.1".
func (s *Sink) Host() string { return s.addr.IP.String() }

// Port is the port the sink listens on.
func (s *Sink) Port() int { return s.addr.Port }

// URL is "smtp://127.0.0.1:port", handy for configuration strings.
func (s *Sink) URL() string { return "smtp://" + net.JoinHostPort(s.Host(), strconv.Itoa(s.Port())) }

// RejectTemporarily answers the next times RCPT TO commands for addr with
// 451 (try again later).
func (s *Sink) RejectTemporarily(addr string, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectTemp[normalize(addr)] += times
}

// RejectPermanently answers every RCPT TO for addr with 550 (no such mailbox).
func (s *Sink) RejectPermanently(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectPerm[normalize(addr)] = true
}

// Attempts counts the RCPT TO commands for addr, refused ones included.
func (s *Sink) Attempts(addr string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts[normalize(addr)]
}

// Messages returns what was delivered so far, one Message per recipient, in
// order of arrival.
func (s *Sink) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// WaitFor returns the first message delivered to addr, waiting up to timeout
// for it; it fails t when none arrives in time.
func (s *Sink) WaitFor(t testing.TB, addr string, timeout time.Duration) Message {
	t.Helper()
	addr = normalize(addr)
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		for _, m := range s.messages {
			if m.To == addr {
				s.mu.Unlock()
				return m
			}
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("smtptest: no message to %s within %v (%d messages to others)", addr, timeout, len(s.Messages()))
			return Message{}
		}
	}
}

// rcpt decides on one RCPT TO.
func (s *Sink) rcpt(addr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts[addr]++
	if s.rejectPerm[addr] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unavailable"}
	}
	if s.rejectTemp[addr] > 0 {
		s.rejectTemp[addr]--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	return nil
}

func (s *Sink) deliver(ms []Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, ms...)
	close(s.changed)
	s.changed = make(chan struct{})
}

func normalize(addr string) string { return strings.ToLower(strings.TrimSpace(addr)) }

// session is one SMTP connection's transaction state.
type session struct {
	sink *Sink
	from string
	to   []string
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	to = normalize(to)
	if err := x.sink.rcpt(to); err != nil {
		return err
	}
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	parsed, err := parse(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Cannot parse message: " + err.Error()}
	}
	ms := make([]Message, 0, len(x.to))
	for _, to := range x.to {
		m := parsed
		m.To, m.EnvelopeFrom = to, x.from
		ms = append(ms, m)
	}
	x.sink.deliver(ms)
	return nil
}
