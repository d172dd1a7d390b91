package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/store"
)

// A reply of several messages: each one the channel took is noted, Due and
// Claim hand the count on, a lower count never wins, and the ack removes it.
func TestMarkSentCarriesTheCountToDueAndClaim(t *testing.T) {
	ctx := context.Background()
	s, rt := newStore(t)
	c := commit(0, "m1", nil, "पहला", "दूसरा", "तीसरा")
	entry, err := s.Commit(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if entry.Done != 0 {
		t.Fatalf("a new entry has %d replies done", entry.Done)
	}
	done := func(at time.Time) int {
		t.Helper()
		due, err := s.Due(ctx, at, 10)
		if err != nil || len(due) != 1 || due[0].ID != entry.ID {
			t.Fatalf("due = %+v, %v", due, err)
		}
		return due[0].Done
	}
	if n := done(c.At); n != 0 {
		t.Fatalf("due with %d done before any was sent", n)
	}

	if err := s.MarkSent(ctx, entry.ID, 1, c.At); err != nil { // loads the script
		t.Fatal(err)
	}
	before := rt.Count()
	if err := s.MarkSent(ctx, entry.ID, 2, c.At.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if n := rt.Count() - before; n != 1 {
		t.Fatalf("noting a reply sent took %d round trips, want 1", n)
	}
	if err := s.MarkSent(ctx, entry.ID, 1, c.At.Add(time.Second)); err != nil { // a late, lower count
		t.Fatal(err)
	}
	// MarkSent touched the entry: not due until a grace period after.
	if due, _ := s.Due(ctx, c.At, 10); len(due) != 0 {
		t.Fatalf("a touched entry is due: %+v", due)
	}
	if n := done(c.At.Add(time.Second)); n != 2 {
		t.Fatalf("due with %d done, want 2", n)
	}

	// Claim reads the count as it is when it takes the entry over.
	stale := *entry
	if ok, err := s.Claim(ctx, &stale, c.At, c.At.Add(2*time.Second)); err != nil || ok {
		t.Fatalf("claimed an entry touched after olderThan: %v %v", ok, err)
	}
	if ok, err := s.Claim(ctx, &stale, c.At.Add(time.Second), c.At.Add(2*time.Second)); err != nil || !ok || stale.Done != 2 {
		t.Fatalf("claim: ok=%v done=%d err=%v, want true, 2", ok, stale.Done, err)
	}

	if err := s.Ack(ctx, entry.ID); err != nil {
		t.Fatal(err)
	}
	// A note arriving after the ack leaves nothing behind.
	if err := s.MarkSent(ctx, entry.ID, 3, c.At.Add(3*time.Second)); err != nil {
		t.Fatal(err)
	}
	if n, err := outboxFields(ctx, s); err != nil || n != 0 {
		t.Fatalf("outbox hash holds %d fields after the ack (%v)", n, err)
	}
	if n, _ := s.OutboxLen(ctx); n != 0 {
		t.Fatalf("outbox holds %d entries after the ack", n)
	}
	gone := store.Entry{ID: entry.ID}
	if ok, err := s.Claim(ctx, &gone, c.At.Add(time.Hour), c.At.Add(time.Hour)); err != nil || ok {
		t.Fatalf("claimed an acknowledged entry: %v %v", ok, err)
	}
}

// outboxFields counts the fields of every outbox shard hash.
func outboxFields(ctx context.Context, s *store.Store) (int64, error) {
	keys, err := s.Client().Keys(ctx, "saathi:outbox:{*}").Result()
	if err != nil {
		return 0, err
	}
	var n int64
	for _, k := range keys {
		if s.Client().Type(ctx, k).Val() == "hash" {
			n += s.Client().HLen(ctx, k).Val()
		}
	}
	return n, nil
}
