package redislive

import (
	"context"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
)

// testDB is this package's Redis database, apart from other packages' tests.
const testDB = 14

var flushOnce sync.Once

// newRedis returns a client on the local Redis test database, flushed once
// per test run, and closes it when t ends.
func newRedis(t *testing.T) *redis.Client {
	t.Helper()
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379", DB: testDB})
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Fatalf("Redis is needed for this test and does not answer at 127.0.0.1:6379: %v (start it as ../shared/SERVICES.md says)", err)
	}
	var ferr error
	flushOnce.Do(func() { ferr = rdb.FlushDB(ctx).Err() })
	if ferr != nil {
		t.Fatalf("flush test database: %v", ferr)
	}
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

func newIDs() (practice.ID, consultation.ID) {
	return practice.ID(ids.New()), consultation.ID(ids.New())
}
