package events_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/store/events"
	"github.com/saathi-bot/saathi/store/storetest"
)

const dbEvents = storetest.DBEvents

// collector records the events it handles and fails the first try of one.
type collector struct {
	mu     sync.Mutex
	got    []string
	failID string
	failed bool
	all    chan struct{}
	want   int
}

func (c *collector) handle(_ context.Context, ev events.Event) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ev.ID == c.failID && !c.failed {
		c.failed = true
		return errors.New("redis hiccup")
	}
	c.got = append(c.got, ev.ID)
	if len(c.got) == c.want {
		close(c.all)
	}
	return nil
}

func TestConsumeHandlesEachEventAndRetriesAFailedOne(t *testing.T) {
	rdb := storetest.Redis(t, dbEvents, nil)
	q := events.New(rdb)
	q.ClaimAfter = 200 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := &collector{failID: "b", all: make(chan struct{}), want: 3}
	if err := q.Publish(ctx, events.Event{ID: "a", Flow: "f"}, events.Event{ID: "b", Flow: "f"}, events.Event{ID: "c", Flow: "f"}); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { q.Consume(ctx, "serve", "test-1", c.handle); close(done) }()
	select {
	case <-c.all:
	case <-time.After(10 * time.Second):
		t.Fatalf("handled %v", c.got)
	}
	cancel()
	<-done
	if c.got[len(c.got)-1] != "b" || len(c.got) != 3 {
		t.Fatalf("handled %v, want a, c, then b again", c.got)
	}
	if n, err := q.Pending(context.Background(), "serve"); n != 0 || err != nil {
		t.Fatalf("%d events left pending (%v)", n, err)
	}
}

func TestHeldEventsWaitForAChat(t *testing.T) {
	ctx := context.Background()
	q := events.New(storetest.Redis(t, dbEvents, nil))
	for _, id := range []string{"invite:t1", "invite:t2"} {
		if err := q.Hold(ctx, events.Event{ID: id, Phone: "+919018159083", Flow: "invite"}); err != nil {
			t.Fatal(err)
		}
	}
	held, _ := q.Held(ctx, "+919018159083")
	if len(held) != 2 || held[1].ID != "invite:t2" {
		t.Fatalf("held %+v", held)
	}
	if n, err := q.Release(ctx, "+919018159083"); n != 2 || err != nil {
		t.Fatalf("release: %d %v", n, err)
	}
	if n, _ := q.Len(ctx); n != 2 {
		t.Fatalf("stream has %d", n)
	}
	if held, _ := q.Held(ctx, "+919018159083"); len(held) != 0 {
		t.Fatalf("still held: %+v", held)
	}
}

func TestReleaseDropsExpiredEvents(t *testing.T) {
	ctx := context.Background()
	q := events.New(storetest.Redis(t, dbEvents, nil))
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	q.Now = func() time.Time { return now }
	const phone = "+919018159083"
	for _, ev := range []events.Event{
		{ID: "invite:t1", Flow: "invite"}, // no expiry: held for ever
		{ID: "bc:old", Flow: "broadcast", Expires: now.Add(-time.Second).Unix()},
		{ID: "bc:now", Flow: "broadcast", Expires: now.Unix()}, // expires at this second: gone
		{ID: "bc:new", Flow: "broadcast", Expires: now.Add(time.Hour).Unix()},
	} {
		ev.Phone = phone
		if err := q.Hold(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := q.Release(ctx, phone); n != 2 || err != nil {
		t.Fatalf("release: %d %v, want the invitation and the broadcast still valid", n, err)
	}
	if held, _ := q.Held(ctx, phone); len(held) != 0 {
		t.Fatalf("still held: %+v", held)
	}
	if n, _ := q.Len(ctx); n != 2 {
		t.Fatalf("stream has %d, want 2", n)
	}
}

// TestReleaseGivesOneEventOfAGroup: someone who first writes after a
// training was moved twice gets its invitation alone (it shows the
// training as it is then), not the invitation, two notices of the moves
// and a nudge; events of other groups and of none all come.
func TestReleaseGivesOneEventOfAGroup(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, dbEvents, nil)
	q := events.New(rdb)
	const phone = "+919018159083"
	g1, g2 := events.TrainingGroup("t1"), events.TrainingGroup("t2")
	for _, ev := range []events.Event{
		{ID: "invite:t1", Flow: "invite", Group: g1},
		{ID: "changed:t1:moved:1", Flow: "changed", Group: g1},
		{ID: "invite:t2", Flow: "invite", Group: g2},
		{ID: "changed:t1:moved:2", Flow: "changed", Group: g1},
		{ID: "nudge:t1", Flow: "invite", Group: g1},
		{ID: "bc:1", Flow: "broadcast"},
	} {
		ev.Phone = phone
		if err := q.Hold(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := q.Release(ctx, phone); n != 3 || err != nil {
		t.Fatalf("release: %d %v, want 3", n, err)
	}
	msgs, err := rdb.XRange(ctx, "saathi:events", "-", "+").Result()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range msgs {
		var ev events.Event
		if err := json.Unmarshal([]byte(m.Values["e"].(string)), &ev); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ev.ID)
	}
	if got := strings.Join(ids, " "); got != "invite:t1 invite:t2 bc:1" {
		t.Errorf("released %s", got)
	}
}

func TestOnePersonsEventsKeepTheirOrder(t *testing.T) {
	rdb := storetest.Redis(t, dbEvents, nil)
	q := events.New(rdb)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var evs []events.Event
	for i := range 60 {
		evs = append(evs, events.Event{ID: fmt.Sprint(i), Phone: fmt.Sprint("+91900000000", i%3), Flow: "f"})
	}
	if err := q.Publish(ctx, evs...); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	got := map[string][]int{}
	all := make(chan struct{})
	n := 0
	go q.Consume(ctx, "serve", "order", func(_ context.Context, ev events.Event) error {
		mu.Lock()
		defer mu.Unlock()
		var i int
		fmt.Sscan(ev.ID, &i)
		got[ev.Phone] = append(got[ev.Phone], i)
		if n++; n == len(evs) {
			close(all)
		}
		return nil
	})
	select {
	case <-all:
	case <-time.After(10 * time.Second):
		t.Fatalf("handled %d of %d", n, len(evs))
	}
	for phone, ids := range got {
		for j := 1; j < len(ids); j++ {
			if ids[j] < ids[j-1] {
				t.Fatalf("%s's events out of order: %v", phone, ids)
			}
		}
		if len(ids) != 20 {
			t.Fatalf("%s got %d events", phone, len(ids))
		}
	}
}

// A group made later (a process with another set of channels) starts where
// the existing groups are, not at the start of the stream: it does not
// replay the week of events the others have applied. The first group ever
// reads from the start, so nothing published before any serve ran is lost.
func TestNewGroupStartsWhereTheOthersAre(t *testing.T) {
	rdb := storetest.Redis(t, dbEvents, nil)
	q := events.New(rdb)
	ctx := context.Background()
	if err := q.Publish(ctx, events.Event{ID: "before-any-group", Phone: "+91", Flow: "f"}); err != nil {
		t.Fatal(err)
	}
	consume := func(group string, want int) []string {
		t.Helper()
		c := &collector{all: make(chan struct{}), want: want}
		cctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); q.Consume(cctx, group, "c1", c.handle) }()
		select {
		case <-c.all:
		case <-time.After(5 * time.Second):
		}
		time.Sleep(200 * time.Millisecond) // room for an event too many
		cancel()
		<-done
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.got
	}
	if got := consume("serve:telegram", 1); fmt.Sprint(got) != "[before-any-group]" {
		t.Fatalf("first group got %v", got)
	}
	if err := q.Publish(ctx, events.Event{ID: "after", Phone: "+91", Flow: "f"}); err != nil {
		t.Fatal(err)
	}
	if got := consume("serve:telegram+whatsapp", 1); fmt.Sprint(got) != "[after]" {
		t.Fatalf("a group made later got %v, want only the event after the others'", got)
	}
}

func TestLiveChannels(t *testing.T) {
	q := events.New(storetest.Redis(t, dbEvents, nil))
	ctx := context.Background()
	if err := q.MarkLive(ctx, 200*time.Millisecond, "whatsapp"); err != nil {
		t.Fatal(err)
	}
	live, err := q.Live(ctx, "telegram", "whatsapp")
	if err != nil || live["telegram"] || !live["whatsapp"] {
		t.Fatalf("live %v, %v", live, err)
	}
	time.Sleep(300 * time.Millisecond)
	if live, _ := q.Live(ctx, "whatsapp"); live["whatsapp"] {
		t.Fatal("still live after its ttl")
	}
}
