// Package redislive implements the live waiting-room ports on Redis, so that
// every process of Visite sees the same waiting rooms: ports.Presence keeps
// who is waiting in expiring Redis entries, ports.LiveEvents carries
// waiting-room events over Redis pub/sub. Nothing here is written to the
// database.
//
// Keys and channels name the practice and the consultation by their uuids;
// a malformed id is NotFound and Redis is not asked.
package redislive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// keyGrace is how much longer than an entry's ttl a waiting room's keys
// live, so that abandoned rooms vanish from Redis by themselves.
const keyGrace = 30 * time.Second

// joinScript adds or renews one participant. KEYS: the sorted set of expiry
// times, the hash of participants. ARGV: id, now (unix ms), expiry (unix ms),
// key ttl (ms), participant JSON. A participant still present keeps the
// "since" of the first join. The keys' expiry is only ever extended.
var joinScript = redis.NewScript(`
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
local entry = ARGV[5]
if score and tonumber(score) > tonumber(ARGV[2]) then
  local old = redis.call('HGET', KEYS[2], ARGV[1])
  if old then
    local ok, prev = pcall(cjson.decode, old)
    if ok and type(prev) == 'table' and prev.since then
      local new = cjson.decode(entry)
      new.since = prev.since
      entry = cjson.encode(new)
    end
  end
end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], entry)
for i = 1, 2 do
  if redis.call('PTTL', KEYS[i]) < tonumber(ARGV[4]) then
    redis.call('PEXPIRE', KEYS[i], ARGV[4])
  end
end
return 1
`)

// listScript drops the expired participants and returns the JSON of the
// others. KEYS as for joinScript; ARGV: now (unix ms).
var listScript = redis.NewScript(`
local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if #gone > 0 then
  redis.call('ZREM', KEYS[1], unpack(gone))
  redis.call('HDEL', KEYS[2], unpack(gone))
end
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
if #ids == 0 then
  return {}
end
local vals = redis.call('HMGET', KEYS[2], unpack(ids))
local out = {}
for i, v in ipairs(vals) do
  if v then
    table.insert(out, ids[i])
    table.insert(out, v)
  end
end
return out
`)

// Presence is the Redis implementation of ports.Presence. Per consultation
// it keeps a sorted set of participant ids scored by their expiry (unix
// ms) and a hash of each participant's JSON. It is safe for concurrent use.
type Presence struct {
	rdb    redis.UniversalClient
	prefix string
}

var _ ports.Presence = (*Presence)(nil)

// NewPresence returns a Presence on rdb whose keys start with prefix ("" in
// production; tests use their own).
func NewPresence(rdb redis.UniversalClient, prefix string) *Presence {
	return &Presence{rdb: rdb, prefix: prefix}
}

// waitingJSON is how a participant is stored in the hash; the id is the
// hash field.
type waitingJSON struct {
	Name  string            `json:"name"`
	Role  consultation.Role `json:"role"`
	Since time.Time         `json:"since"`
}

func toWaitingJSON(w consultation.Waiting) waitingJSON {
	return waitingJSON{Name: w.Name, Role: w.Role, Since: w.Since.UTC()}
}

func fromWaitingJSON(id string, j waitingJSON) consultation.Waiting {
	return consultation.Waiting{ID: id, Name: j.Name, Role: j.Role, Since: j.Since}
}

// keys returns the sorted set's and the hash's key of a waiting room. The
// hash key carries the set's key as hash tag, so both land in one cluster
// slot (as long as prefix holds no braces).
func (p *Presence) keys(pid practice.ID, cid consultation.ID) (zset, hash string, err error) {
	if !ids.Valid(string(pid)) || !ids.Valid(string(cid)) {
		return "", "", errs.E(errs.NotFound, "not_found")
	}
	zset = p.prefix + "visite:wait:" + string(pid) + ":" + string(cid)
	return zset, "{" + zset + "}:who", nil
}

// Join adds or renews w in the consultation's waiting room for ttl. A
// participant still present keeps the Since of the first join; a zero
// Since becomes now. NotFound for a malformed practice or consultation id;
// an internal error for an empty participant id, a ttl that is not
// positive, or a Redis failure.
func (p *Presence) Join(ctx context.Context, pid practice.ID, cid consultation.ID, w consultation.Waiting, ttl time.Duration) error {
	zset, hash, err := p.keys(pid, cid)
	if err != nil {
		return err
	}
	if w.ID == "" || ttl <= 0 {
		return errors.New("join waiting room: empty participant id or ttl not positive")
	}
	now := time.Now()
	if w.Since.IsZero() {
		w.Since = now
	}
	entry, err := json.Marshal(toWaitingJSON(w))
	if err != nil {
		return fmt.Errorf("join waiting room: encode: %w", err)
	}
	args := []any{w.ID, now.UnixMilli(), now.Add(ttl).UnixMilli(), (ttl + keyGrace).Milliseconds(), string(entry)}
	if err := joinScript.Run(ctx, p.rdb, []string{zset, hash}, args...).Err(); err != nil {
		return fmt.Errorf("join waiting room: %w", err)
	}
	return nil
}

// Leave removes one participant; no error when absent. NotFound for a
// malformed practice or consultation id; an internal error when Redis fails.
func (p *Presence) Leave(ctx context.Context, pid practice.ID, cid consultation.ID, participant string) error {
	zset, hash, err := p.keys(pid, cid)
	if err != nil {
		return err
	}
	if participant == "" {
		return nil
	}
	_, err = p.rdb.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		pipe.ZRem(ctx, zset, participant)
		pipe.HDel(ctx, hash, participant)
		return nil
	})
	if err != nil {
		return fmt.Errorf("leave waiting room: %w", err)
	}
	return nil
}

// List returns who is waiting, earliest Since first (ties by id), after
// dropping the expired. NotFound for a malformed practice or consultation
// id; an internal error when Redis fails.
func (p *Presence) List(ctx context.Context, pid practice.ID, cid consultation.ID) ([]consultation.Waiting, error) {
	zset, hash, err := p.keys(pid, cid)
	if err != nil {
		return nil, err
	}
	now := strconv.FormatInt(time.Now().UnixMilli(), 10)
	vals, err := listScript.Run(ctx, p.rdb, []string{zset, hash}, now).StringSlice()
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("list waiting room: %w", err)
	}
	out := make([]consultation.Waiting, 0, len(vals)/2)
	for i := 0; i+1 < len(vals); i += 2 {
		var j waitingJSON
		if err := json.Unmarshal([]byte(vals[i+1]), &j); err != nil {
			continue // not ours; it expires with the key
		}
		out = append(out, fromWaitingJSON(vals[i], j))
	}
	slices.SortFunc(out, func(a, b consultation.Waiting) int {
		if c := a.Since.Compare(b.Since); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Clear empties the waiting room. NotFound for a malformed practice or
// consultation id; an internal error when Redis fails.
func (p *Presence) Clear(ctx context.Context, pid practice.ID, cid consultation.ID) error {
	zset, hash, err := p.keys(pid, cid)
	if err != nil {
		return err
	}
	if err := p.rdb.Del(ctx, zset, hash).Err(); err != nil {
		return fmt.Errorf("clear waiting room: %w", err)
	}
	return nil
}
