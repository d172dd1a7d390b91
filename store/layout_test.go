package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

// An upgrade from the layout before hash tags: a conversation, its seen
// ids (set and own keys) and a pending outbox entry written as the older
// version wrote them are read, moved on first write, and the entry is
// delivered once.
func TestOldLayoutSurvivesTheUpgrade(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBStore, nil)
	s := store.New(rdb, time.Hour)
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	old := flows.State{Version: 3, Fields: map[string]string{"name": "सरिता"}, Stack: []flows.Frame{{Flow: "registration", Step: "role"}}}
	stateJSON, _ := json.Marshal(old)
	entry := store.Entry{ID: "telegram:42:3", Channel: "telegram", User: "42", Replies: []flows.Reply{{Text: "एक"}, {Text: "दो"}}, At: at.UnixMilli()}
	entryJSON, _ := json.Marshal(entry)
	p := rdb.Pipeline()
	p.HSet(ctx, "saathi:conv:telegram:42", "v", 3, "s", stateJSON)
	p.PExpire(ctx, "saathi:conv:telegram:42", store.ConvTTL)
	p.ZAdd(ctx, "saathi:seen:telegram:42", redisZ(at, "m3"))
	p.Expire(ctx, "saathi:seen:telegram:42", time.Hour)
	p.Set(ctx, "saathi:seen:telegram:42:m2", "1", time.Hour)
	p.HSet(ctx, "saathi:outbox", entry.ID, entryJSON, entry.ID+"#done", 1)
	p.ZAdd(ctx, "saathi:outbox:due", redisZ(at, entry.ID))
	if _, err := p.Exec(ctx); err != nil {
		t.Fatal(err)
	}

	// Read before any write.
	st, err := s.Load(ctx, "telegram", "42")
	if err != nil || st.Version != 3 || st.Fields["name"] != "सरिता" {
		t.Fatalf("load: %+v %v, want the old conversation", st, err)
	}
	for _, id := range []string{"m2", "m3"} {
		if st, seen, err := s.Seen(ctx, "telegram", "42", id, true); err != nil || !seen || st.Version != 3 {
			t.Errorf("Seen(%s) = %v, v%d, %v; want seen, v3", id, seen, st.Version, err)
		}
	}
	if n, _ := s.OutboxLen(ctx); n != 1 {
		t.Errorf("outbox length %d, want the old entry", n)
	}

	// The first commit, from a process that had nothing cached, meets the
	// old conversation (moved) and goes on from it.
	c := store.Commit{Channel: "telegram", User: "42", MsgID: "m4", Expected: 0, State: flows.State{Version: 1}, At: at.Add(time.Minute)}
	var conflict *store.ConflictError
	if _, err := s.Commit(ctx, c); !errors.As(err, &conflict) || conflict.Current.Version != 3 || conflict.Current.Fields["name"] != "सरिता" {
		t.Fatalf("commit from v0: %v, want a conflict with the old v3", err)
	}
	c.Expected, c.State = 3, flows.State{Version: 4, Fields: map[string]string{"name": "सरिता", "role": "ward"}}
	if _, err := s.Commit(ctx, c); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"saathi:conv:telegram:42", "saathi:seen:telegram:42"} {
		if rdb.Exists(ctx, k).Val() != 0 {
			t.Errorf("%s is still there after the first commit", k)
		}
	}
	if ttl := rdb.PTTL(ctx, store.ConversationKey("telegram", "42")).Val(); ttl < store.ConvTTL-time.Hour {
		t.Errorf("moved conversation TTL %v", ttl)
	}
	if ttl := rdb.PTTL(ctx, store.SeenKey("telegram", "42")).Val(); ttl <= 0 || ttl > time.Hour {
		t.Errorf("moved seen set TTL %v", ttl)
	}
	for _, id := range []string{"m2", "m3", "m4"} {
		c := store.Commit{Channel: "telegram", User: "42", MsgID: id, Expected: 4, State: flows.State{Version: 5}, At: at.Add(2 * time.Minute)}
		if _, err := s.Commit(ctx, c); !errors.Is(err, store.ErrDuplicate) {
			t.Errorf("commit of %s again: %v, want ErrDuplicate", id, err)
		}
	}
	if st, _ := s.Load(ctx, "telegram", "42"); st.Version != 4 || st.Fields["role"] != "ward" {
		t.Fatalf("after the upgrade: %+v", st)
	}

	// The old entry is due: moved into its shard with its count, claimed,
	// acknowledged, and never due again.
	due, err := s.Due(ctx, at, 10)
	if err != nil || len(due) != 1 || due[0].ID != entry.ID || due[0].Done != 1 || len(due[0].Replies) != 2 {
		t.Fatalf("due = %+v, %v; want the old entry, 1 of 2 done", due, err)
	}
	for _, k := range []string{"saathi:outbox", "saathi:outbox:due"} {
		if rdb.Exists(ctx, k).Val() != 0 {
			t.Errorf("%s is still there after Due", k)
		}
	}
	e := due[0]
	if ok, err := s.Claim(ctx, &e, at, at.Add(time.Hour)); err != nil || !ok || e.Done != 1 {
		t.Fatalf("claim: %v %v done=%d", ok, err, e.Done)
	}
	if again, _ := s.Due(ctx, at.Add(time.Minute), 10); len(again) != 0 {
		t.Errorf("a claimed entry is due again: %+v", again)
	}
	if err := s.Ack(ctx, e.ID); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.Due(ctx, at.Add(48*time.Hour), 10); len(due) != 0 {
		t.Errorf("acknowledged, still due: %+v", due)
	}
	if n, _ := s.OutboxLen(ctx); n != 0 {
		t.Errorf("outbox length %d after the ack", n)
	}
}

// An old entry an older process is delivering now (it touched it) is not
// moved from under it; it is once the older process stops touching it.
func TestOldEntryBeingDeliveredIsLeftAlone(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBStore, nil)
	s := store.New(rdb, time.Hour)
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	entryJSON, _ := json.Marshal(store.Entry{ID: "telegram:7:1", Channel: "telegram", User: "7", Replies: []flows.Reply{{Text: "एक"}}, At: at.UnixMilli()})
	rdb.HSet(ctx, "saathi:outbox", "telegram:7:1", entryJSON)
	rdb.ZAdd(ctx, "saathi:outbox:due", redisZ(at.Add(time.Minute), "telegram:7:1")) // touched at +1m
	if due, err := s.Due(ctx, at, 10); err != nil || len(due) != 0 {
		t.Fatalf("due = %+v, %v; want nothing while it is being delivered", due, err)
	}
	if rdb.HLen(ctx, "saathi:outbox").Val() != 1 {
		t.Fatal("an entry being delivered was moved")
	}
	if due, err := s.Due(ctx, at.Add(time.Hour), 10); err != nil || len(due) != 1 {
		t.Fatalf("due later = %+v, %v; want it", due, err)
	}
}

// A crash between a commit and the write of its records loses nothing:
// the outbox entry carries them and Claim writes them back; a record
// changed since (an update) is not put back.
func TestRecordsLostAfterTheCommitAreRepairedByClaim(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	rdb := s.Client()
	c := commit(0, "m1", nil, "धन्यवाद")
	c.Records = []flows.Record{
		{Kind: "pending_person", Key: "telegram:42", Fields: map[string]string{"name": "सरिता"}},
		{Kind: "jjm_problem", Key: "9", Fields: map[string]string{"status": "new"}},
	}
	entry, err := s.Commit(ctx, c)
	if err != nil || entry == nil || len(entry.Records) != 2 {
		t.Fatalf("commit: %+v %v", entry, err)
	}
	if ok, err := store.NewRecords(rdb).Update(ctx, "jjm_problem", "9", map[string]string{"status": "done"}); err != nil || !ok {
		t.Fatalf("update: %v %v", ok, err)
	}
	// As if the process died after the script: the first record never written.
	rdb.Del(ctx, "saathi:rec:pending_person:telegram:42")
	rdb.SRem(ctx, "saathi:rec:pending_person", "telegram:42")

	due, err := s.Due(ctx, c.At, 10)
	if err != nil || len(due) != 1 || len(due[0].Records) != 2 {
		t.Fatalf("due = %+v, %v", due, err)
	}
	if ok, err := s.Claim(ctx, &due[0], c.At, c.At.Add(time.Minute)); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if rec, _ := s.Record(ctx, "pending_person", "telegram:42"); rec["name"] != "सरिता" || rec["_at"] == "" {
		t.Errorf("lost record after the claim: %v", rec)
	}
	if keys, _ := s.RecordKeys(ctx, "pending_person"); len(keys) != 1 {
		t.Errorf("record index %v", keys)
	}
	if rec, _ := s.Record(ctx, "jjm_problem", "9"); rec["status"] != "done" {
		t.Errorf("the claim put back a changed record: %v", rec)
	}
}

// A transition that saves a record and says nothing leaves no outbox entry.
func TestRecordsWithoutRepliesLeaveNoEntry(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	c := commit(0, "m1", nil)
	c.Records = []flows.Record{{Kind: "pending_person", Key: "telegram:42", Fields: map[string]string{"name": "सरिता"}}}
	if entry, err := s.Commit(ctx, c); err != nil || entry != nil {
		t.Fatalf("commit: %+v %v, want no entry", entry, err)
	}
	if n, _ := s.OutboxLen(ctx); n != 0 {
		t.Errorf("outbox length %d", n)
	}
	if rec, _ := s.Record(ctx, "pending_person", "telegram:42"); rec["name"] != "सरिता" {
		t.Errorf("record %v", rec)
	}
}

func redisZ(at time.Time, member string) redis.Z {
	return redis.Z{Score: float64(at.UnixMilli()), Member: member}
}
