package redislimit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/visite-health/visite/ports"
)

// testDB is this package's Redis database, apart from other packages' tests.
const testDB = 13

// newLimiter returns a Limiter with a random prefix on the local Redis and
// deletes its keys when t ends.
func newLimiter(t *testing.T) (*Limiter, *redis.Client) {
	t.Helper()
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379", DB: testDB})
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Fatalf("Redis is needed for this test and does not answer at 127.0.0.1:6379: %v (start it as ../shared/SERVICES.md says)", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	prefix := "test-" + hex.EncodeToString(b) + ":"
	l := New(rdb, prefix)
	t.Cleanup(func() {
		for _, k := range keys(t, rdb, l) {
			rdb.Del(ctx, k)
		}
		_ = rdb.Close()
	})
	return l, rdb
}

func keys(t *testing.T, rdb *redis.Client, l *Limiter) []string {
	t.Helper()
	ks, err := rdb.Keys(context.Background(), l.prefix+"*").Result()
	if err != nil {
		t.Fatalf("list keys: %v", err)
	}
	return ks
}

func allow(t *testing.T, l *Limiter, key string, limit ports.Limit) time.Duration {
	t.Helper()
	retry, err := l.Allow(context.Background(), key, limit)
	if err != nil {
		t.Fatalf("Allow: %v", err)
	}
	return retry
}

func TestAllowCountsPerWindow(t *testing.T) {
	l, _ := newLimiter(t)
	limit := ports.Limit{N: 3, Window: 300 * time.Millisecond}
	for i := 1; i <= 3; i++ {
		if retry := allow(t, l, "login:ip:192.0.2.1", limit); retry != 0 {
			t.Fatalf("attempt %d: retryAfter = %v, want 0", i, retry)
		}
	}
	retry := allow(t, l, "login:ip:192.0.2.1", limit)
	if retry <= 0 || retry > limit.Window {
		t.Fatalf("attempt 4: retryAfter = %v, want within (0, %v]", retry, limit.Window)
	}
	if other := allow(t, l, "login:ip:192.0.2.2", limit); other != 0 {
		t.Errorf("another key: retryAfter = %v, want 0", other)
	}
	time.Sleep(retry + 20*time.Millisecond)
	if retry := allow(t, l, "login:ip:192.0.2.1", limit); retry != 0 {
		t.Errorf("after the window: retryAfter = %v, want 0", retry)
	}
}

func TestResetForgetsAttempts(t *testing.T) {
	l, _ := newLimiter(t)
	limit := ports.Limit{N: 1, Window: time.Minute}
	allow(t, l, "k", limit)
	if retry := allow(t, l, "k", limit); retry <= 0 {
		t.Fatalf("second attempt: retryAfter = %v, want > 0", retry)
	}
	if err := l.Reset(context.Background(), "k"); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	if retry := allow(t, l, "k", limit); retry != 0 {
		t.Errorf("after Reset: retryAfter = %v, want 0", retry)
	}
	if err := l.Reset(context.Background(), "never-seen"); err != nil {
		t.Errorf("Reset of an unknown key: %v", err)
	}
}

func TestRedisNeverHoldsTheKeyItself(t *testing.T) {
	l, rdb := newLimiter(t)
	allow(t, l, "login:account:alice@example.com", ports.Limit{N: 5, Window: time.Minute})
	ks := keys(t, rdb, l)
	if len(ks) != 1 {
		t.Fatalf("keys = %v, want one", ks)
	}
	if strings.Contains(ks[0], "alice") || strings.Contains(ks[0], "@") {
		t.Errorf("Redis key %q contains the address", ks[0])
	}
	if !strings.HasPrefix(ks[0], KeyPrefix) || len(ks[0]) != len(l.prefix)+64 {
		t.Errorf("Redis key %q: want %s<prefix><sha256 hex>", ks[0], KeyPrefix)
	}
	if ttl := rdb.PTTL(context.Background(), ks[0]).Val(); ttl <= 0 || ttl > time.Minute {
		t.Errorf("key TTL = %v, want within (0, 1m]", ttl)
	}
}

func TestAllowCountsConcurrentAttemptsOnce(t *testing.T) {
	l, _ := newLimiter(t)
	limit := ports.Limit{N: 10, Window: time.Minute}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		allowed int
	)
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			retry, err := l.Allow(context.Background(), "burst", limit)
			if err != nil {
				t.Error(err)
				return
			}
			if retry == 0 {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if allowed != limit.N {
		t.Errorf("allowed %d of 40 concurrent attempts, want %d", allowed, limit.N)
	}
}

func TestAllowRejectsBadLimitsAndReportsRedisFailure(t *testing.T) {
	l, _ := newLimiter(t)
	for _, limit := range []ports.Limit{{N: 0, Window: time.Minute}, {N: 1, Window: 0}, {N: -1, Window: time.Second}} {
		if _, err := l.Allow(context.Background(), "k", limit); err == nil {
			t.Errorf("limit %+v: no error", limit)
		}
	}
	down := New(redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 200 * time.Millisecond, MaxRetries: -1}), "")
	if _, err := down.Allow(context.Background(), "k", ports.Limit{N: 1, Window: time.Second}); err == nil {
		t.Error("Allow without Redis: no error")
	}
	if err := down.Reset(context.Background(), "k"); err == nil {
		t.Error("Reset without Redis: no error")
	}
}
