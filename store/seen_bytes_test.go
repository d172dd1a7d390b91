package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

// BenchmarkSeenBytes measures the Redis bytes the de-duplication of
// inbound message ids takes: 200 conversations of 50 messages each
// (Telegram-like and WhatsApp-like ids), the bytes of every saathi:seen:
// key by MEMORY USAGE, per message remembered, and Redis's used_memory
// grown by the whole test (conversations too), per message.
//
//	REDIS_URL=… go test -run '^$' -bench SeenBytes -benchtime 1x ./store/
func BenchmarkSeenBytes(b *testing.B) {
	ctx := context.Background()
	rdb := storetest.Redis(b, storetest.DBStore, nil)
	s := store.New(rdb, 48*time.Hour)
	const convs, msgs = 200, 50
	var before int64
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for range b.N {
		if err := rdb.FlushDB(ctx).Err(); err != nil {
			b.Fatal(err)
		}
		before = usedMemory(ctx, b, rdb)
		for u := range convs {
			channel, user := "telegram", fmt.Sprint(500000000+u)
			if u%2 == 1 {
				channel, user = "whatsapp", fmt.Sprint(919000000000+u)
			}
			for m := range msgs {
				id := fmt.Sprint(100000 + m)
				if channel == "whatsapp" {
					id = fmt.Sprintf("wamid.HBgMOTE5MDAwMDAwMDAwFQIAEhggM0VCMEQ3RjU%08dRkE0QTk5AA==", u*msgs+m)
				}
				st := flows.State{Version: int64(m + 1), Stack: []flows.Frame{{Flow: "registration", Step: "name"}}}
				if _, err := s.Commit(ctx, store.Commit{Channel: channel, User: user, MsgID: id, Expected: int64(m), State: st, At: at.Add(time.Duration(m) * time.Minute)}); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	used := usedMemory(ctx, b, rdb) - before
	var total int64
	iter := rdb.Scan(ctx, 0, "saathi:seen:*", 1000).Iterator()
	for iter.Next(ctx) {
		n, err := rdb.MemoryUsage(ctx, iter.Val(), 0).Result()
		if err != nil && err != redis.Nil {
			b.Fatal(err)
		}
		total += n
	}
	if err := iter.Err(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(total)/(convs*msgs), "seen-B/msg")
	b.ReportMetric(float64(used)/(convs*msgs), "used-B/msg")
}

// usedMemory is Redis's used_memory.
func usedMemory(ctx context.Context, b *testing.B, rdb *redis.Client) int64 {
	info, err := rdb.InfoMap(ctx, "memory").Result()
	if err != nil {
		b.Fatal(err)
	}
	var n int64
	if _, err := fmt.Sscan(info["Memory"]["used_memory"], &n); err != nil {
		b.Fatal(err)
	}
	return n
}

// TestSeenIsOneSetPerConversation: a conversation's message ids are one
// key, which refuses every id it holds (long WhatsApp ids too) and an id's
// own key of older commits, and which the conversation, idle, outlives by
// no more than the seen TTL; the conversation itself expires when idle
// for months.
func TestSeenIsOneSetPerConversation(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBStore, nil)
	s := store.New(rdb, time.Hour)
	wamid := "wamid.HBgMOTE5MDAwMDAwMDAwFQIAEhggM0VCMEQ3RjUwMDAwMDAwMVFkE0QTk5AA=="
	ids := []string{"m1", wamid, "m3"}
	for i, id := range ids {
		c := commit(int64(i), id, nil)
		if _, err := s.Commit(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	keys, err := rdb.Keys(ctx, "saathi:seen:*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("seen keys %q %v, want one for the conversation", keys, err)
	}
	if ttl := rdb.PTTL(ctx, keys[0]).Val(); ttl <= 0 || ttl > time.Hour {
		t.Errorf("seen set TTL %v, want at most the seen TTL (1h)", ttl)
	}
	if ttl := rdb.PTTL(ctx, store.ConversationKey("telegram", "42")).Val(); ttl < store.ConvTTL-time.Minute {
		t.Errorf("conversation TTL %v, want %v", ttl, store.ConvTTL)
	}
	for _, id := range ids {
		if _, seen, err := s.Seen(ctx, "telegram", "42", id, false); err != nil || !seen {
			t.Errorf("Seen(%.12s…) %v %v, want seen", id, seen, err)
		}
		if _, err := s.Commit(ctx, commit(3, id, nil)); !errors.Is(err, store.ErrDuplicate) {
			t.Errorf("commit of %.12s… again: %v, want ErrDuplicate", id, err)
		}
	}
	if _, seen, _ := s.Seen(ctx, "telegram", "42", "m4", false); seen {
		t.Error("m4 seen before it came")
	}
	// An id applied before the upgrade, as its own key.
	if err := rdb.Set(ctx, "saathi:seen:telegram:42:old7", "1", time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Commit(ctx, commit(3, "old7", nil)); !errors.Is(err, store.ErrDuplicate) {
		t.Errorf("commit of an id seen before the upgrade: %v, want ErrDuplicate", err)
	}
}

// TestSeenIsBounded: a conversation remembers its latest ids, not all of
// them: after many messages the oldest is forgotten, the latest refused.
func TestSeenIsBounded(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBStore, nil)
	s := store.New(rdb, time.Hour)
	const n = 300
	for i := range n {
		if _, err := s.Commit(ctx, commit(int64(i), fmt.Sprint("m", i), nil)); err != nil {
			t.Fatal(err)
		}
	}
	kept, err := rdb.ZCard(ctx, store.SeenKey("telegram", "42")).Result()
	if err != nil || kept >= n || kept < 100 {
		t.Fatalf("%d ids kept (%v), want at least 100 and fewer than %d", kept, err, n)
	}
	if enc := rdb.ObjectEncoding(ctx, store.SeenKey("telegram", "42")).Val(); enc != "listpack" {
		t.Errorf("seen set encoded as %q, want listpack", enc)
	}
	if _, seen, _ := s.Seen(ctx, "telegram", "42", fmt.Sprint("m", n-1), false); !seen {
		t.Error("the latest id is not remembered")
	}
	if _, seen, _ := s.Seen(ctx, "telegram", "42", "m0", false); seen {
		t.Error("the first of 300 ids is still kept: the set is not bounded")
	}
}
