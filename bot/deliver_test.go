package bot_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

// crashingSender sends replies one by one, as the channel adapters do, and
// "crashes" (never returns) when asked to send a text containing at.
type crashingSender struct {
	at      string
	mu      sync.Mutex
	sent    []string
	crashed chan struct{}
	dead    chan struct{}
	once    sync.Once
}

func (c *crashingSender) Send(_ context.Context, _ string, replies []flows.Reply) error {
	for _, r := range replies {
		if strings.Contains(r.Text, c.at) {
			c.once.Do(func() { close(c.crashed) })
			<-c.dead // the process dies here: nothing after this point happens
			return errors.New("dead")
		}
		c.mu.Lock()
		c.sent = append(c.sent, r.Text)
		c.mu.Unlock()
	}
	return nil
}

// A crash between two messages of one reply: after the restart only the
// message that was in flight is sent, not the whole reply again.
func TestCrashMidReplySendsOnlyTheRestAfterRestart(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// "9018159083" is answered with two messages: welcome, then the name question.
	first := &crashingSender{at: "आपका पूरा नाम", crashed: make(chan struct{}), dead: make(chan struct{})}
	d1, err := bot.NewDispatcher(bot.Options{Engine: f.engine, Store: f.store, Senders: map[string]bot.Sender{"test": first}, SendAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { close(first.dead); d1.Close(context.Background()) })
	for i, text := range []string{"नमस्ते", "9018159083"} {
		if err := d1.Handle(ctx, msg("u1", fmt.Sprint("m", i), text)); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-first.crashed:
	case <-time.After(10 * time.Second):
		t.Fatal("the name question was never sent")
	}
	first.mu.Lock()
	before := slices.Clone(first.sent)
	first.mu.Unlock()
	if len(before) != 2 || !strings.Contains(before[1], "साथी") {
		t.Fatalf("sent before the crash: %q, want the contact question and the welcome", before)
	}

	rec := newRecorder()
	d2 := f.dispatcher(t, rec, 50*time.Millisecond)
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go d2.Run(runCtx)
	select {
	case <-rec.got:
	case <-time.After(10 * time.Second):
		t.Fatal("nothing sent after the restart")
	}
	waitOutboxEmpty(t, f.store)
	after := rec.texts("u1")
	if len(after) != 1 || !strings.Contains(after[0], "आपका पूरा नाम") {
		t.Fatalf("sent after the restart: %q, want only the name question", after)
	}
}

// Tagged replies (broadcast copies) are counted once each, whatever part of
// their entry a crash left unsent: those sent before it as sent, and the
// others as what became of them after the restart.
func TestTaggedRepliesOfAResumedEntryAreCountedOnce(t *testing.T) {
	for _, tc := range []struct {
		name string
		fail error
		want []string // outcomes of tags a, b, c
	}{
		{"sent", nil, []string{bot.Sent, bot.Sent, bot.Sent}},
		{"blocked", fmt.Errorf("send: %w", bot.ErrUnreachable), []string{bot.Sent, bot.Blocked, bot.Blocked}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			at := time.Now().Add(-time.Minute)
			entry, err := f.store.Commit(ctx, store.Commit{
				Channel: "test", User: "u5", MsgID: "bc1", Expected: 0, State: flows.State{Version: 1}, At: at,
				Replies: []flows.Reply{{Text: "एक", Tag: "a"}, {Text: "दो", Tag: "b"}, {Text: "तीन", Tag: "c"}},
			})
			if err != nil {
				t.Fatal(err)
			}
			// The process that crashed had sent the first.
			if err := f.store.MarkSent(ctx, entry.ID, 1, at); err != nil {
				t.Fatal(err)
			}
			rec := newRecorder()
			rec.fail = func(string) error { return tc.fail }
			var mu sync.Mutex
			got := map[string][]string{}
			d, err := bot.NewDispatcher(bot.Options{Engine: f.engine, Store: f.store, Senders: map[string]bot.Sender{"test": rec}, OutboxGrace: 50 * time.Millisecond,
				OnDelivered: func(_ context.Context, dl bot.Delivery) {
					mu.Lock()
					got[dl.Tag] = append(got[dl.Tag], dl.Outcome)
					mu.Unlock()
				}})
			if err != nil {
				t.Fatal(err)
			}
			if n, err := d.Sweep(ctx); err != nil || n != 1 {
				t.Fatalf("sweep queued %d (%v), want 1", n, err)
			}
			d.Flush(ctx, "test", "u5")
			if err := d.Close(ctx); err != nil {
				t.Fatal(err)
			}
			waitOutboxEmpty(t, f.store)
			if tc.fail == nil {
				if sent := rec.texts("u5"); !slices.Equal(sent, []string{"दो", "तीन"}) {
					t.Fatalf("sent %q, want the two not sent before the crash", sent)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			for i, tag := range []string{"a", "b", "c"} {
				if !slices.Equal(got[tag], []string{tc.want[i]}) {
					t.Fatalf("tag %s told %v, want once %s (all: %v)", tag, got[tag], tc.want[i], got)
				}
			}
		})
	}
}

// A reply of two messages costs one round trip more than a reply of one:
// the note that the first was taken. The last message's note is the ack.
func TestEachMessageButTheLastOfAReplyCostsOneRoundTrip(t *testing.T) {
	f := newFixture(t)
	rec := newRecorder()
	d := f.dispatcher(t, rec, time.Minute)
	ctx := context.Background()
	probe, err := store.Open(storetest.URL(t, storetest.DBBot), nil) // watches the outbox without being counted
	if err != nil {
		t.Fatal(err)
	}
	defer probe.Close()
	watch := store.New(probe, time.Hour)
	n := 0
	send := func(text string) (roundTrips int64, replies int) {
		t.Helper()
		before, sent := f.rt.Count(), len(rec.texts("rt"))
		n++
		if err := d.Handle(ctx, msg("rt", fmt.Sprint("m", n), text)); err != nil {
			t.Fatal(err)
		}
		d.Flush(ctx, "test", "rt")
		waitOutboxEmpty(t, watch) // the ack went out
		return f.rt.Count() - before, len(rec.texts("rt")) - sent
	}
	// Warm up: the cache, and every script loaded (a two-part reply on the way).
	for _, text := range []string{"नमस्ते", "9018159083", "सरिता"} {
		send(text)
	}
	// Answers from which no call follows (a district's or a body's is
	// matched against the roster's places by a call, which costs its own).
	one, parts := send("महिला") // the role question
	if parts != 1 {
		t.Fatalf("the gender's answer got %d replies, want 1", parts)
	}
	for _, text := range []string{"1", "सोनभद्र", "अनपरा"} {
		send(text)
	}
	two, parts := send("4") // the summary, then the confirmation question
	if parts != 2 {
		t.Fatalf("the ward's answer got %d replies, want 2", parts)
	}
	if two-one != 1 {
		t.Fatalf("a reply of one message took %d round trips, of two %d: want exactly one more", one, two)
	}
	t.Logf("round trips: a one-message reply %d (commit, ack), a two-message reply %d", one, two)
}
