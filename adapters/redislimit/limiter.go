// Package redislimit implements ports.RateLimiter on Redis, so that every
// process of Visite counts the same attempts. It uses fixed windows: the
// first attempt for a key starts a window of limit.Window, and the key's
// counter expires with it.
//
// Keys often name a person ("login:account:<email>"), so the limiter stores
// only their SHA-256: Redis never holds an email address.
package redislimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/visite-health/visite/ports"
)

// KeyPrefix starts every key the limiter writes.
const KeyPrefix = "visite:rl:"

// countScript counts one attempt and returns the count and the window's
// remaining milliseconds. The window starts with the first attempt; a key
// found without expiry (it should not happen) gets one, so that nobody is
// locked out for good.
var countScript = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`)

// Limiter is the Redis implementation of ports.RateLimiter. It is safe for
// concurrent use.
type Limiter struct {
	rdb    redis.UniversalClient
	prefix string
}

var _ ports.RateLimiter = (*Limiter)(nil)

// New returns a Limiter on rdb whose keys start with KeyPrefix followed by
// prefix ("" in production; tests use a random one to keep apart).
func New(rdb redis.UniversalClient, prefix string) *Limiter {
	return &Limiter{rdb: rdb, prefix: KeyPrefix + prefix}
}

// Allow records one attempt for key and returns 0 while at most limit.N
// attempts fell into the current window, else the time until the window
// ends. A limit without attempts or window is an error, and so is a Redis
// failure (wrapped); callers decide whether to fail open or closed.
func (l *Limiter) Allow(ctx context.Context, key string, limit ports.Limit) (time.Duration, error) {
	if limit.N <= 0 || limit.Window < time.Millisecond {
		return 0, errors.New("rate limit: limit needs N > 0 and a window of at least 1ms")
	}
	res, err := countScript.Run(ctx, l.rdb, []string{l.redisKey(key)}, limit.Window.Milliseconds()).Int64Slice()
	if err != nil {
		return 0, fmt.Errorf("rate limit: count attempt: %w", err)
	}
	if len(res) != 2 {
		return 0, fmt.Errorf("rate limit: count attempt: %d values, want 2", len(res))
	}
	count, ttl := res[0], time.Duration(res[1])*time.Millisecond
	if count <= int64(limit.N) {
		return 0, nil
	}
	return max(ttl, time.Millisecond), nil
}

// Reset forgets the attempts for key; it returns a wrapped Redis error.
func (l *Limiter) Reset(ctx context.Context, key string) error {
	if err := l.rdb.Del(ctx, l.redisKey(key)).Err(); err != nil {
		return fmt.Errorf("rate limit: reset: %w", err)
	}
	return nil
}

// redisKey turns a caller's key into the Redis key, hashed so that no email
// address or other personal data ends up in Redis.
func (l *Limiter) redisKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return l.prefix + hex.EncodeToString(sum[:])
}
