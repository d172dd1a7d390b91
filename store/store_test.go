package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

func newStore(t *testing.T) (*store.Store, *store.RoundTrips) {
	rt := &store.RoundTrips{}
	return store.New(storetest.Redis(t, storetest.DBStore, rt), time.Hour), rt
}

func commit(expected int64, msgID string, fields map[string]string, replies ...string) store.Commit {
	c := store.Commit{
		Channel: "telegram", User: "42", MsgID: msgID, Expected: expected,
		State: flows.State{Version: expected + 1, Fields: fields, Stack: []flows.Frame{{Flow: "registration", Step: "name"}}},
		At:    time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC),
	}
	for _, r := range replies {
		c.Replies = append(c.Replies, flows.Reply{Text: r})
	}
	return c
}

func TestCommitAndLoad(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	st, err := s.Load(ctx, "telegram", "42")
	if err != nil || st.Version != 0 || st.Stack != nil {
		t.Fatalf("unknown user: %+v, %v; want the zero state", st, err)
	}
	if _, err := s.Commit(ctx, commit(0, "m1", map[string]string{"name": "सरिता"}, "नमस्ते")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Commit(ctx, commit(1, "m2", map[string]string{"name": "सरिता राजभर"})); err != nil {
		t.Fatal(err)
	}
	st, err = s.Load(ctx, "telegram", "42")
	if err != nil {
		t.Fatal(err)
	}
	if st.Version != 2 || st.Fields["name"] != "सरिता राजभर" || st.Stack[0].Step != "name" {
		t.Fatalf("loaded %+v", st)
	}
}

func TestDuplicateWritesNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	if _, err := s.Commit(ctx, commit(0, "m1", map[string]string{"n": "1"}, "a")); err != nil {
		t.Fatal(err)
	}
	_, err := s.Commit(ctx, commit(1, "m1", map[string]string{"n": "2"}, "b"))
	if !errors.Is(err, store.ErrDuplicate) {
		t.Fatalf("second commit of m1: %v, want ErrDuplicate", err)
	}
	st, _ := s.Load(ctx, "telegram", "42")
	if st.Version != 1 || st.Fields["n"] != "1" {
		t.Fatalf("duplicate changed the state: %+v", st)
	}
	if n, _ := s.OutboxLen(ctx); n != 1 {
		t.Fatalf("outbox has %d entries, want 1", n)
	}
}

// WhatsApp and Telegram message ids are only unique per chat: the same id
// from two users is two messages.
func TestSameMessageIDFromTwoUsersAppliesBoth(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	a := commit(0, "m1", map[string]string{"n": "a"}, "a")
	b := commit(0, "m1", map[string]string{"n": "b"}, "b")
	b.User = "43"
	for _, c := range []store.Commit{a, b} {
		if _, err := s.Commit(ctx, c); err != nil {
			t.Fatalf("commit for user %s: %v", c.User, err)
		}
	}
	for user, want := range map[string]string{"42": "a", "43": "b"} {
		if st, _ := s.Load(ctx, "telegram", user); st.Fields["n"] != want {
			t.Errorf("user %s: %+v, want n=%s", user, st, want)
		}
	}
}

func TestConflictWritesNothingAndReturnsCurrent(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	if _, err := s.Commit(ctx, commit(0, "m1", map[string]string{"n": "1"})); err != nil {
		t.Fatal(err)
	}
	// Computed from a stale version 0: refused, and told the current state.
	_, err := s.Commit(ctx, commit(0, "m2", map[string]string{"n": "stale"}, "x"))
	var conflict *store.ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("stale commit: %v, want a conflict", err)
	}
	if conflict.Current.Version != 1 || conflict.Current.Fields["n"] != "1" {
		t.Fatalf("conflict carries %+v", conflict.Current)
	}
	if n, _ := s.OutboxLen(ctx); n != 0 {
		t.Fatalf("conflict wrote %d outbox entries", n)
	}
	// The message id was not consumed: redone from the current state it commits.
	if _, err := s.Commit(ctx, commit(1, "m2", map[string]string{"n": "2"})); err != nil {
		t.Fatalf("retry after conflict: %v", err)
	}
}

func TestConcurrentCommitsOneWins(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	var wg sync.WaitGroup
	results := make(chan error, 20)
	for i := range 20 {
		wg.Go(func() {
			_, err := s.Commit(ctx, commit(0, fmt.Sprint("m", i), map[string]string{"who": fmt.Sprint(i)}))
			results <- err
		})
	}
	wg.Wait()
	close(results)
	ok := 0
	for err := range results {
		var conflict *store.ConflictError
		switch {
		case err == nil:
			ok++
		case !errors.As(err, &conflict):
			t.Fatalf("unexpected error %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d commits from version 0 succeeded, want exactly 1", ok)
	}
}

func TestOutboxDueAndAck(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	c := commit(0, "m1", nil, "पहला", "दूसरा")
	entry, err := s.Commit(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if entry == nil || len(entry.Replies) != 2 {
		t.Fatalf("entry %+v", entry)
	}
	if due, _ := s.Due(ctx, c.At.Add(-time.Second), 10); len(due) != 0 {
		t.Fatalf("entry is due before it was committed: %+v", due)
	}
	due, err := s.Due(ctx, c.At, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || due[0].ID != entry.ID || due[0].Replies[1].Text != "दूसरा" || due[0].User != "42" {
		t.Fatalf("due = %+v", due)
	}
	if err := s.Ack(ctx, entry.ID); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.Due(ctx, c.At.Add(time.Hour), 10); len(due) != 0 {
		t.Fatalf("acked entry still due: %+v", due)
	}
}

func TestRecordsCommittedWithTransition(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	c := commit(0, "m1", nil, "धन्यवाद")
	c.Records = []flows.Record{{Kind: "pending_person", Key: "telegram:42", Fields: map[string]string{"name": "सरिता", "phone": "+919018159083"}}}
	if _, err := s.Commit(ctx, c); err != nil {
		t.Fatal(err)
	}
	rec, err := s.Record(ctx, "pending_person", "telegram:42")
	if err != nil {
		t.Fatal(err)
	}
	if rec["name"] != "सरिता" || rec["phone"] != "+919018159083" || rec["_at"] == "" {
		t.Fatalf("record = %v", rec)
	}
	keys, _ := s.RecordKeys(ctx, "pending_person")
	if len(keys) != 1 || keys[0] != "telegram:42" {
		t.Fatalf("record keys = %v", keys)
	}
}

func TestCommitIsOneRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, rt := newStore(t)
	if _, err := s.Commit(ctx, commit(0, "warm", nil, "x")); err != nil { // loads the script
		t.Fatal(err)
	}
	before := rt.Count()
	for i := range 10 {
		if _, err := s.Commit(ctx, commit(int64(i+1), fmt.Sprint("m", i), nil, "y")); err != nil {
			t.Fatal(err)
		}
	}
	if n := rt.Count() - before; n != 10 {
		t.Fatalf("10 commits took %d round trips, want 10", n)
	}
}

func TestUnreachable(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	if ok, _ := s.Unreachable(ctx, "telegram", "7"); ok {
		t.Fatal("unknown user reported unreachable")
	}
	if err := s.MarkUnreachable(ctx, "telegram", "7"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.Unreachable(ctx, "telegram", "7"); !ok {
		t.Fatal("marked user not reported unreachable")
	}
}

func TestSeenChecksTheIDAndLoadsInOneRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, rt := newStore(t)
	if _, err := s.Commit(ctx, commit(0, "m1", map[string]string{"name": "सरिता"}, "नमस्ते")); err != nil {
		t.Fatal(err)
	}
	s.Seen(ctx, "telegram", "42", "m0", true) // a pipeline may open a connection of its own: not counted
	before := rt.Count()
	st, seen, err := s.Seen(ctx, "telegram", "42", "m1", true)
	if err != nil || !seen || st.Version != 1 || st.Fields["name"] != "सरिता" {
		t.Fatalf("m1: %+v seen=%v %v", st, seen, err)
	}
	if n := rt.Count() - before; n != 1 {
		t.Fatalf("took %d round trips", n)
	}
	if st, seen, err := s.Seen(ctx, "telegram", "42", "m2", false); err != nil || seen || st.Version != 0 {
		t.Fatalf("m2 without load: %+v seen=%v %v", st, seen, err)
	}
}

// TestTouchKeepsManyEntriesFromTheSweepInOneRoundTrip: the dispatcher
// touches every entry it holds together; entries of many users (so of
// many outbox shards) leave the due list in one round trip, and an entry
// acknowledged meanwhile is not brought back.
func TestTouchKeepsManyEntriesFromTheSweepInOneRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, rt := newStore(t)
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	var ids []string
	for i := range 40 {
		c := commit(0, "m1", nil, "नमस्ते")
		c.User = fmt.Sprint("u", i)
		e, err := s.Commit(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	if err := s.Ack(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	later := at.Add(time.Minute)
	before := rt.Count()
	if err := s.Touch(ctx, later, ids...); err != nil {
		t.Fatal(err)
	}
	if n := rt.Count() - before; n != 1 {
		t.Errorf("touching 40 entries took %d round trips, want 1", n)
	}
	if due, _ := s.Due(ctx, later.Add(-time.Second), 100); len(due) != 0 {
		t.Errorf("%d touched entries still due before the touch", len(due))
	}
	if due, _ := s.Due(ctx, later, 100); len(due) != 39 {
		t.Errorf("%d entries due at the touch, want 39 (the acknowledged one gone)", len(due))
	}
}
