package bot_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

// heldBulk is a channel whose bulk sends wait until release is closed, as
// a broadcast copy waits for the rate limit behind thousands of others; it
// records the classes of the sends that went, in order.
type heldBulk struct {
	release chan struct{}
	mu      sync.Mutex
	went    []bot.Class
	sent    chan bot.Class
}

func (h *heldBulk) Send(ctx context.Context, _ string, replies []flows.Reply) error {
	c := bot.ClassOf(ctx)
	if c == bot.Bulk {
		select {
		case <-h.release:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	h.mu.Lock()
	for range replies {
		h.went = append(h.went, c)
	}
	h.mu.Unlock()
	h.sent <- c
	return nil
}

// A person whose copy of a broadcast (bulk) is still waiting for its turn
// writes: their message is applied and answered at once, not after the
// copy — interactive never queues behind bulk, even for the same chat. The
// copy goes afterwards, and Flush waits for it too.
func TestReplyDoesNotWaitForTheSameChatsBulk(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBBot, nil)
	ch := &heldBulk{release: make(chan struct{}), sent: make(chan bot.Class, 10)}
	d, err := bot.NewDispatcher(bot.Options{Engine: flowstest.Engine(t, nil, nil), Store: store.New(rdb, time.Hour), Senders: map[string]bot.Sender{"test": ch}})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(ctx)
	open := sync.OnceFunc(func() { close(ch.release) })
	defer open() // before Close, which waits for the bulk send
	ev := flows.Input{Channel: "test", User: "u1", ID: "ev:result", Event: &flows.Event{Flow: "registration_result", Vars: map[string]string{"result": "approved", "name": "सरिता"}}}
	if err := d.Handle(ctx, ev); err != nil {
		t.Fatal(err)
	}
	wrote, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := d.Handle(wrote, flows.Input{Channel: "test", User: "u1", ID: "m1", Text: "नमस्ते"}); err != nil {
		t.Fatalf("the person's message, written while their bulk reply waits: %v", err)
	}
	select {
	case c := <-ch.sent:
		if c != bot.Interactive {
			t.Fatalf("first send went as %v, want the interactive reply", c)
		}
	case <-wrote.Done():
		t.Fatal("no reply to the person's message while their bulk reply waits")
	}
	open()
	if err := d.Flush(ctx, "test", "u1"); err != nil {
		t.Fatal(err)
	}
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if n := len(ch.went); n < 2 || ch.went[0] != bot.Interactive || ch.went[n-1] != bot.Bulk {
		t.Errorf("sends in order: %v; want the reply first, then the bulk one (after Flush)", ch.went)
	}
}

// counting is a channel that counts the replies it sends.
type counting struct {
	mu sync.Mutex
	n  int
}

func (c *counting) Send(_ context.Context, _ string, replies []flows.Reply) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n += len(replies)
	return nil
}

// A bulk entry waiting in its user's lane, behind an earlier one that waits
// for the rate limit, is still the process's: another process's sweeper,
// which sends entries left untouched longer than the grace period, leaves
// it alone, and it goes once.
func TestQueuedBulkIsNotSweptByAnotherProcess(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBBot, nil)
	const grace = 300 * time.Millisecond
	held := &heldBulk{release: make(chan struct{}), sent: make(chan bot.Class, 10)}
	a, err := bot.NewDispatcher(bot.Options{Engine: flowstest.Engine(t, nil, nil), Store: store.New(rdb, time.Hour), Senders: map[string]bot.Sender{"test": held}, OutboxGrace: grace})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close(ctx)
	open := sync.OnceFunc(func() { close(held.release) })
	defer open()
	other := &counting{}
	b, err := bot.NewDispatcher(bot.Options{Engine: flowstest.Engine(t, nil, nil), Store: store.New(rdb, time.Hour), Senders: map[string]bot.Sender{"test": other}, OutboxGrace: grace})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close(ctx)
	for i, decision := range []string{"approved", "rejected"} {
		ev := flows.Input{Channel: "test", User: "u1", ID: fmt.Sprint("ev:result", i), Event: &flows.Event{Flow: "registration_result", Vars: map[string]string{"result": decision, "name": "सरिता"}}}
		if err := a.Handle(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(3 * grace) // both entries older than the grace period
	if _, err := b.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.Flush(ctx, "test", "u1"); err != nil {
		t.Fatal(err)
	}
	open()
	if err := a.Flush(ctx, "test", "u1"); err != nil {
		t.Fatal(err)
	}
	other.mu.Lock()
	defer other.mu.Unlock()
	if other.n != 0 {
		t.Errorf("the other process's sweeper sent %d replies that this process had queued: sent twice", other.n)
	}
	held.mu.Lock()
	defer held.mu.Unlock()
	if len(held.went) != 2 {
		t.Errorf("%d replies sent, want 2", len(held.went))
	}
}
