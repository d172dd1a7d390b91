package broadcast_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/store/broadcast"
	"github.com/saathi-bot/saathi/store/storetest"
)

func TestEachRecipientCountedOnceAndDoneOnce(t *testing.T) {
	ctx := context.Background()
	s := broadcast.New(storetest.Redis(t, 13, nil))
	b, err := s.Create(ctx, broadcast.Broadcast{Text: "कल की बैठक 11 बजे", Audience: "role=pradhan", CreatedBy: "+919417047187", Total: 4, At: time.Now()})
	if err != nil || b.ID == "" {
		t.Fatalf("create: %+v %v", b, err)
	}
	steps := []struct {
		phone, outcome string
		counted, done  bool
	}{
		{"+911", broadcast.Sent, true, false},
		{"+911", broadcast.Sent, false, false},    // reported twice: counted once
		{"+912", broadcast.Failed, true, false},   //
		{"+912", broadcast.Blocked, false, false}, // a failed copy is not re-judged, except by a send
		{"+913", broadcast.NoChat, true, false},
		{"+914", broadcast.Blocked, true, true}, // the last one: done
		{"+912", broadcast.Sent, true, false},   // the retried copy arrived after all: done only once
	}
	for i, st := range steps {
		counted, done, err := s.Record(ctx, b.ID, st.phone, st.outcome)
		if err != nil || counted != st.counted || done != st.done {
			t.Fatalf("step %d %+v: counted %v done %v %v", i, st, counted, done, err)
		}
	}
	got, c, err := s.Get(ctx, b.ID)
	if err != nil || got.Text != b.Text || got.Audience != "role=pradhan" {
		t.Fatalf("get: %+v %v", got, err)
	}
	if c != (broadcast.Counts{Total: 4, Sent: 2, Blocked: 1, NoChat: 1}) || c.Pending() != 0 {
		t.Fatalf("counts %+v", c)
	}
	un, err := s.Undelivered(ctx, b.ID)
	if err != nil || len(un) != 2 || un[0] != [2]string{"+913", broadcast.NoChat} || un[1] != [2]string{"+914", broadcast.Blocked} {
		t.Fatalf("undelivered %v %v", un, err)
	}
	if _, _, err := s.Record(ctx, "bnope", "+911", broadcast.Sent); !errors.Is(err, broadcast.ErrNotFound) {
		t.Fatalf("unknown broadcast: %v", err)
	}
}

func TestConcurrentReportsCountEachOnce(t *testing.T) {
	ctx := context.Background()
	s := broadcast.New(storetest.Redis(t, 13, nil))
	b, _ := s.Create(ctx, broadcast.Broadcast{Text: "x", Total: 50})
	var wg sync.WaitGroup
	var mu sync.Mutex
	dones := 0
	for i := range 50 {
		for range 3 { // every delivery reported three times, at once
			wg.Go(func() {
				_, done, err := s.Record(ctx, b.ID, string(rune('A'+i)), broadcast.Sent)
				if err != nil {
					t.Error(err)
				}
				if done {
					mu.Lock()
					dones++
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	if _, c, _ := s.Get(ctx, b.ID); c.Sent != 50 || dones != 1 {
		t.Fatalf("counts %+v, done reported %d times", c, dones)
	}
}

func TestProgressMessage(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, 13, nil)
	s := broadcast.New(rdb)
	b, err := s.Create(ctx, broadcast.Broadcast{Text: "x", Channel: "whatsapp", User: "919417047187", Total: 2})
	if err != nil {
		t.Fatal(err)
	}
	if p, err := s.ProgressMessage(ctx, b.ID); err != nil || p != (broadcast.Progress{}) {
		t.Fatalf("before any: %+v %v", p, err)
	}
	posted := time.UnixMilli(time.Now().UnixMilli())
	want := broadcast.Progress{Msg: "3EB0A1B2C3D4E5F6", Text: "1 of 2", Posted: posted, Edited: posted.Add(30 * time.Second)}
	if err := s.SetProgressMessage(ctx, b.ID, want); err != nil {
		t.Fatal(err)
	}
	if p, err := s.ProgressMessage(ctx, b.ID); err != nil || !p.Posted.Equal(want.Posted) || !p.Edited.Equal(want.Edited) ||
		p.Msg != want.Msg || p.Text != want.Text {
		t.Fatalf("read back %+v %v, want %+v", p, err, want)
	}
	// A record from when the id was Telegram's int, without times.
	if err := rdb.HDel(ctx, "saathi:broadcast:{"+b.ID+"}", "progress_posted", "progress_at").Err(); err != nil {
		t.Fatal(err)
	}
	if err := rdb.HSet(ctx, "saathi:broadcast:{"+b.ID+"}", "progress_msg", 4711).Err(); err != nil {
		t.Fatal(err)
	}
	if p, err := s.ProgressMessage(ctx, b.ID); err != nil || p != (broadcast.Progress{Msg: "4711", Text: "1 of 2"}) {
		t.Fatalf("old record: %+v %v", p, err)
	}
}

func TestSettledKeepsTheFirstTime(t *testing.T) {
	ctx := context.Background()
	s := broadcast.New(storetest.Redis(t, 13, nil))
	b, err := s.Create(ctx, broadcast.Broadcast{Text: "x", Channel: "console", User: "op", Total: 1})
	if err != nil {
		t.Fatal(err)
	}
	first := time.UnixMilli(time.Now().UnixMilli())
	for i, now := range []time.Time{first, first.Add(time.Minute)} {
		if at, err := s.Settled(ctx, b.ID, now); err != nil || !at.Equal(first) {
			t.Fatalf("call %d: %v %v, want %v", i, at, err, first)
		}
	}
	if _, err := s.Settled(ctx, "bnope", first); !errors.Is(err, broadcast.ErrNotFound) {
		t.Fatalf("unknown broadcast: %v", err)
	}
	if _, _, err := s.Get(ctx, "bnope"); !errors.Is(err, broadcast.ErrNotFound) {
		t.Fatalf("Settled made a broadcast up: %v", err)
	}
}

// TestContentOnceAndFinishedExpire: a broadcast's text and file are read
// from the broadcast; a finished one, with its recipients' outcomes,
// expires after FinishedTTL.
func TestContentOnceAndFinishedExpire(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, 13, nil)
	s := broadcast.New(rdb)
	b, err := s.Create(ctx, broadcast.Broadcast{Text: "कल की बैठक 11 बजे", FileID: "doc-1", FileName: "सूची.pdf", Total: 1, At: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	text, file, name, ok, err := s.Content(ctx, b.ID)
	if err != nil || !ok || text != b.Text || file != "doc-1" || name != "सूची.pdf" {
		t.Errorf("content %q %q %q %v %v", text, file, name, ok, err)
	}
	if _, _, _, ok, err := s.Content(ctx, "nope"); ok || err != nil {
		t.Errorf("content of no broadcast: ok %v %v", ok, err)
	}
	if _, _, err := s.Record(ctx, b.ID, "+911", broadcast.Sent); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	keys, err := rdb.Keys(ctx, "saathi:broadcast:{"+b.ID+"}*").Result()
	if err != nil || len(keys) != 2 {
		t.Fatalf("keys %q %v, want the broadcast and its results", keys, err)
	}
	for _, k := range keys {
		if ttl := rdb.TTL(ctx, k).Val(); ttl <= broadcast.FinishedTTL-time.Minute || ttl > broadcast.FinishedTTL {
			t.Errorf("%s TTL %v, want %v", k, ttl, broadcast.FinishedTTL)
		}
	}
}
