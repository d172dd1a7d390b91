package bot_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/bot"
)

// An upgrade from the key layout before hash tags (one outbox, untagged
// conversations): a conversation half way through registration and its
// undelivered replies, as the older version left them, are delivered
// once by two processes sweeping at once, and the person goes on from
// where they were.
func TestUpgradeFromTheOldLayoutDeliversOnceAndGoesOn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rdb := f.store.Client()
	down := newRecorder()
	down.fail = func(string) error { return errors.New("network is down") }
	old, err := bot.NewDispatcher(bot.Options{Engine: f.engine, Store: f.store, Senders: map[string]bot.Sender{"test": down}, SendAttempts: 1, OutboxGrace: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range []string{"नमस्ते", "9018159083"} {
		if err := old.Handle(ctx, msg("u9", "m"+string(rune('1'+i)), text)); err != nil {
			t.Fatal(err)
		}
	}
	old.Flush(ctx, "test", "u9")
	old.Close(ctx)
	due, err := f.store.Due(ctx, time.Now().Add(time.Hour), 10)
	if err != nil || len(due) != 2 {
		t.Fatalf("undelivered: %+v %v, want 2 entries", due, err)
	}
	// Rewrite what the run left as the older version kept it.
	p := rdb.Pipeline()
	p.Rename(ctx, "saathi:conv:"+tagOf(t, f, "test", "u9")+":test:u9", "saathi:conv:test:u9")
	p.Rename(ctx, "saathi:seen:"+tagOf(t, f, "test", "u9")+":test:u9", "saathi:seen:test:u9")
	for _, e := range due {
		shard := "saathi:outbox:" + tagOf(t, f, "test", "u9")
		p.HSet(ctx, "saathi:outbox", e.ID, rdb.HGet(ctx, shard, e.ID).Val())
		p.ZAdd(ctx, "saathi:outbox:due", redis.Z{Score: rdb.ZScore(ctx, shard+":due", e.ID).Val(), Member: e.ID})
		p.HDel(ctx, shard, e.ID)
		p.ZRem(ctx, shard+":due", e.ID)
	}
	if _, err := p.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(rdb.Keys(ctx, "saathi:*{*}*").Val()); n != 0 {
		t.Fatalf("%d tagged keys left: %v", n, rdb.Keys(ctx, "saathi:*{*}*").Val())
	}

	// Two processes of the new version sweep at once.
	rec := newRecorder()
	time.Sleep(30 * time.Millisecond)
	a, b := f.dispatcher(t, rec, 20*time.Millisecond), f.dispatcher(t, rec, 20*time.Millisecond)
	na, errA := a.Sweep(ctx)
	nb, errB := b.Sweep(ctx)
	if errA != nil || errB != nil || na+nb < 2 {
		t.Fatalf("sweeps queued %d and %d (%v, %v), want the 2 old entries", na, nb, errA, errB)
	}
	a.Flush(ctx, "test", "u9")
	b.Flush(ctx, "test", "u9")
	waitOutboxEmpty(t, f.store)
	sent := rec.texts("u9")
	if len(sent) != 3 || sent[1] == sent[2] {
		t.Fatalf("delivered %q, want the 3 old replies (of 2 entries) once each", sent)
	}

	// The person goes on from the old conversation: the name question.
	if err := a.Handle(ctx, msg("u9", "m3", "सरिता")); err != nil {
		t.Fatal(err)
	}
	a.Flush(ctx, "test", "u9")
	st, _ := f.store.Load(ctx, "test", "u9")
	if st.Version != 3 || st.Fields["name"] != "सरिता" || st.Fields["phone"] == "" {
		t.Fatalf("after the upgrade: %+v", st)
	}
	if rdb.Exists(ctx, "saathi:conv:test:u9", "saathi:seen:test:u9", "saathi:outbox", "saathi:outbox:due").Val() != 0 {
		t.Error("old keys left after the first commit and sweep")
	}
	// A redelivered old message is still a duplicate.
	if err := a.Handle(ctx, msg("u9", "m2", "9018159083")); err != nil {
		t.Fatal(err)
	}
	a.Flush(ctx, "test", "u9")
	if st2, _ := f.store.Load(ctx, "test", "u9"); st2.Version != 3 {
		t.Errorf("an old message applied again: version %d", st2.Version)
	}
	if got := rec.texts("u9"); len(got) < 4 || strings.Join(got[:3], "|") != strings.Join(sent, "|") {
		t.Errorf("replies %q", got)
	}
}

// tagOf is the hash tag of a conversation's keys, read from its key name.
func tagOf(t *testing.T, f *fixture, channel, user string) string {
	t.Helper()
	keys := f.store.Client().Keys(context.Background(), "saathi:conv:{*}:"+channel+":"+user).Val()
	if len(keys) != 1 {
		t.Fatalf("conversation keys %v", keys)
	}
	return strings.Split(keys[0], ":")[2]
}
