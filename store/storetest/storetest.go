// Package storetest gives tests a real Redis: the one REDIS_URL names.
package storetest

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/store"
)

// Databases: each package that tests against Redis uses its own database
// number, so packages tested in parallel do not see each other's keys.
const (
	DBStore    = 1
	DBBot      = 2
	DBTelegram = 3
	DBCommand  = 4
	DBRoster   = 5
	DBTraining = 6
	DBE2E      = 7
	DBIdentity = 8
	DBEvents   = 9
)

// URL returns REDIS_URL pointed at database db. Without REDIS_URL the test
// is skipped, except under CI (CI=true), where that is a failure.
func URL(t testing.TB, db int) string {
	t.Helper()
	raw := os.Getenv("REDIS_URL")
	if raw == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("REDIS_URL is not set: store and end-to-end tests need a real Redis")
		}
		t.Skip("REDIS_URL is not set: this test needs a real Redis (see README)")
	}
	opt, err := redis.ParseURL(raw)
	if err != nil {
		t.Fatalf("REDIS_URL: %v", err)
	}
	return fmt.Sprintf("redis://%s/%d", opt.Addr, db)
}

// Redis connects to database db of REDIS_URL and empties it; the client
// closes at the end of the test. rt may be nil.
func Redis(t testing.TB, db int, rt *store.RoundTrips) *redis.Client {
	t.Helper()
	rdb, err := store.Open(URL(t, db), rt)
	if err != nil {
		t.Fatal(err)
	}
	rdb.AddHook(SlotCheck{})
	if err := rdb.FlushDB(context.Background()).Err(); err != nil {
		t.Fatalf("flush test database %d: %v", db, err)
	}
	t.Cleanup(func() { rdb.Close() })
	return rdb
}
