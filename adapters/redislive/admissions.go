package redislive

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// Admission states in the hash.
const (
	admittedIn  = "in"
	admittedOut = "out" // removed by the practitioner; still counts as taken part
)

// revokedTTL bounds a list that only ever saw a removal.
const revokedTTL = 24 * time.Hour

// admitScript marks participants admitted without bringing back one who
// was removed. KEYS: the hash. ARGV: ttl (ms), then the participant ids.
// The key's expiry is only ever extended.
var admitScript = redis.NewScript(`
for i = 2, #ARGV do
  if redis.call('HGET', KEYS[1], ARGV[i]) ~= 'out' then
    redis.call('HSET', KEYS[1], ARGV[i], 'in')
  end
end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return 1
`)

// Admissions is the Redis implementation of ports.Admissions: one hash
// per consultation from participant id to "in" or "out" (removed).
type Admissions struct {
	rdb    redis.UniversalClient
	prefix string
}

var _ ports.Admissions = (*Admissions)(nil)

// NewAdmissions returns Admissions on rdb whose keys start with prefix.
func NewAdmissions(rdb redis.UniversalClient, prefix string) *Admissions {
	return &Admissions{rdb: rdb, prefix: prefix}
}

func (a *Admissions) key(pid practice.ID, cid consultation.ID) (string, error) {
	if !ids.Valid(string(pid)) || !ids.Valid(string(cid)) {
		return "", errs.E(errs.NotFound, "not_found")
	}
	return a.prefix + "visite:admitted:" + string(pid) + ":" + string(cid), nil
}

// Admit lets participants in for ttl; a removed participant stays out.
func (a *Admissions) Admit(ctx context.Context, pid practice.ID, cid consultation.ID, participants []string, ttl time.Duration) error {
	key, err := a.key(pid, cid)
	if err != nil {
		return err
	}
	if len(participants) == 0 {
		return nil
	}
	if ttl <= 0 {
		return fmt.Errorf("admit: ttl must be positive")
	}
	args := make([]any, 0, len(participants)+1)
	args = append(args, ttl.Milliseconds())
	for _, p := range participants {
		if p == "" {
			return fmt.Errorf("admit: empty participant id")
		}
		args = append(args, p)
	}
	if err := admitScript.Run(ctx, a.rdb, []string{key}, args...).Err(); err != nil {
		return fmt.Errorf("admit: %w", err)
	}
	return nil
}

// Admitted reports whether participant is let in and not removed.
func (a *Admissions) Admitted(ctx context.Context, pid practice.ID, cid consultation.ID, participant string) (bool, error) {
	key, err := a.key(pid, cid)
	if err != nil {
		return false, err
	}
	v, err := a.rdb.HGet(ctx, key, participant).Result()
	if err == redis.Nil {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("admitted: %w", err)
	}
	return v == admittedIn, nil
}

// Revoke marks one participant removed; unknown participants are recorded
// too, so that a later Admit cannot let them in.
func (a *Admissions) Revoke(ctx context.Context, pid practice.ID, cid consultation.ID, participant string) error {
	key, err := a.key(pid, cid)
	if err != nil {
		return err
	}
	_, err = a.rdb.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		pipe.HSet(ctx, key, participant, admittedOut)
		pipe.ExpireNX(ctx, key, revokedTTL)
		return nil
	})
	if err != nil {
		return fmt.Errorf("revoke admission: %w", err)
	}
	return nil
}

// Count is how many participants were admitted, removed ones included.
func (a *Admissions) Count(ctx context.Context, pid practice.ID, cid consultation.ID) (int, error) {
	key, err := a.key(pid, cid)
	if err != nil {
		return 0, err
	}
	n, err := a.rdb.HLen(ctx, key).Result()
	if err != nil {
		return 0, fmt.Errorf("count admissions: %w", err)
	}
	return int(n), nil
}

// Clear forgets the consultation's admissions.
func (a *Admissions) Clear(ctx context.Context, pid practice.ID, cid consultation.ID) error {
	key, err := a.key(pid, cid)
	if err != nil {
		return err
	}
	if err := a.rdb.Del(ctx, key).Err(); err != nil {
		return fmt.Errorf("clear admissions: %w", err)
	}
	return nil
}
