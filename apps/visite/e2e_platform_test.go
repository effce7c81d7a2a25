package main

import (
	"context"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/visite-health/visite/adapters/postgres/pgtest"
	"github.com/visite-health/visite/adapters/redislimit"
	"github.com/visite-health/visite/adapters/smtp/smtptest"
)

// Look-ups of the platform's state for the end-to-end tests: rate limits in
// Redis, rows in PostgreSQL, messages in the SMTP sink.

// resetLimits forgets every rate-limit counter (all tests come from
// 127.0.0.1 and would share the per-IP limits).
func (p *platformUnderTest) resetLimits() {
	p.t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379", DB: e2eRedisDB})
	defer rdb.Close()
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, redislimit.KeyPrefix+"*").Result()
	if err == nil && len(keys) > 0 {
		err = rdb.Del(ctx, keys...).Err()
	}
	if err != nil {
		p.t.Fatalf("reset rate limits: %v", err)
	}
}

// count runs a SELECT count(*) … on the platform's database.
func (p *platformUnderTest) count(query string, args ...any) int {
	p.t.Helper()
	var n int
	p.scan(query, &n, args...)
	return n
}

// scan reads the one row of query into dest, failing the test without it.
func (p *platformUnderTest) scan(query string, dest any, args ...any) {
	p.t.Helper()
	p.mu.Lock()
	if p.db == nil {
		p.db = pgtest.Open(p.t, p.DBURL)
	}
	db := p.db
	p.mu.Unlock()
	if err := db.QueryRowContext(context.Background(), query, args...).Scan(dest); err != nil {
		p.t.Fatalf("%s: %v", query, err)
	}
}

// mail waits up to 10 s for a message to `to` whose subject starts with
// subject, and returns it.
func (p *platformUnderTest) mail(to, subject string) smtptest.Message {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		for _, m := range p.Sink.Messages() {
			if m.To == strings.ToLower(to) && strings.HasPrefix(m.Subject, subject) {
				return m
			}
		}
		if time.Now().After(deadline) {
			var got []string
			for _, m := range p.Sink.Messages() {
				got = append(got, m.To+": "+m.Subject)
			}
			p.t.Fatalf("no mail to %s with subject %q within 10 s; got %q", to, subject, got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// mailsTo returns every message delivered to addr so far.
func (p *platformUnderTest) mailsTo(addr string) []smtptest.Message {
	var out []smtptest.Message
	for _, m := range p.Sink.Messages() {
		if m.To == strings.ToLower(addr) {
			out = append(out, m)
		}
	}
	return out
}
