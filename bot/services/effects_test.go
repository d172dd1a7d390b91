package services_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/training"
)

// conflicting are the real services, except that the first time a call
// named on runs, the conversation is changed underneath (its version
// moves on, as when another input of the chat commits first), so that the
// dispatcher's commit loses its compare-and-set and the step is computed
// again.
type conflicting struct {
	real  flows.Services
	store *store.Store
	on    string

	mu    sync.Mutex
	calls int
}

func (c *conflicting) Call(ctx context.Context, name string, call flows.Call) (flows.CallResult, error) {
	res, err := c.real.Call(ctx, name, call)
	if name != c.on {
		return res, err
	}
	c.mu.Lock()
	c.calls++
	first := c.calls == 1
	c.mu.Unlock()
	if first {
		st, lerr := c.store.Load(ctx, call.Channel, call.User)
		if lerr != nil {
			return res, lerr
		}
		expected := st.Version
		st.Version++
		if _, cerr := c.store.Commit(ctx, store.Commit{Channel: call.Channel, User: call.User, MsgID: "underneath", Expected: expected, State: st, At: call.Now}); cerr != nil {
			return res, fmt.Errorf("change the state underneath: %w", cerr)
		}
	}
	return res, err
}

// sink is a channel that keeps what it was given.
type sink struct {
	mu   sync.Mutex
	sent []string
}

func (s *sink) Send(_ context.Context, _ string, rs []flows.Reply) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range rs {
		s.sent = append(s.sent, r.Text)
	}
	return nil
}

func (s *sink) last() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.sent) == 0 {
		return ""
	}
	return s.sent[len(s.sent)-1]
}

func (s *sink) all() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.sent, "\n")
}

// TestWrongCodeCountsOnceOnAVersionConflict drives the real Dispatcher: a
// wrong check-in code whose commit loses a compare-and-set race is
// computed twice, and counts once; the count goes on from there, one per
// message, to the lock.
func TestWrongCodeCountsOnceOnAVersionConflict(t *testing.T) {
	f := setup(t)
	tr := f.training(t, training.Spec{Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2026-12-10T10:00", Invite: "role=sabhasad,body=" + anpara})
	f.link(t, tg("1001"), sarita)
	wrong := "0000"
	if training.MatchCode(tr, 0, wrong) {
		wrong = "1111"
	}
	st := store.New(f.rdb, time.Hour)
	svc := &conflicting{real: f.svc, store: st, on: "checkin.code"}
	out := &sink{}
	now := ist("2026-12-10 10:30")
	d, err := bot.NewDispatcher(bot.Options{
		Engine: flowstest.Engine(t, nil, nil).WithServices(svc), Store: st,
		Senders: map[string]bot.Sender{"telegram": out}, Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(context.Background()) })
	send := func(id, text string) {
		t.Helper()
		if err := d.Handle(f.ctx, flows.Input{Channel: "telegram", User: "1001", ID: id, Text: text}); err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		if err := d.Flush(f.ctx, "telegram", "1001"); err != nil {
			t.Fatal(err)
		}
	}
	count := func() string {
		t.Helper()
		n, err := f.rdb.HGet(f.ctx, "saathi:checkin:wrong:"+tr.ID+":"+sarita+":0", "n").Result()
		if err != nil {
			t.Fatalf("read the count: %v", err)
		}
		return n
	}

	send("m1", "हाज़िरी")
	send("m2", wrong)
	if svc.calls != 2 {
		t.Fatalf("checkin.code ran %d times; the conflict should have made the dispatcher compute the step again", svc.calls)
	}
	if n := count(); n != "1" {
		t.Errorf("after one wrong code computed twice the count is %s, want 1", n)
	}
	if got := out.all(); strings.Count(got, f.hi("checkin.wrong", nil)) != 1 {
		t.Errorf("replies %q, want the wrong-code notice once", got)
	}
	send("m3", wrong)
	if n := count(); n != "2" {
		t.Errorf("after a second wrong code the count is %s, want 2", n)
	}
	send("m4", wrong)
	if got := out.all(); !strings.HasSuffix(got, f.hi("checkin.locked", nil)) {
		t.Errorf("the third wrong code did not lock: %q", got)
	}
}

// TestWritingCallsOncePerMessage computes each writing call twice for one
// message, as the dispatcher does after a conflict: the effect happens
// once and the second computation gets the first one's answer.
func TestWritingCallsOncePerMessage(t *testing.T) {
	f := setup(t)
	tr := f.training(t, training.Spec{Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2026-12-10T10:00", Capacity: 1, Invite: "role=sabhasad,body=" + anpara})
	f.link(t, tg("1001"), sarita)
	f.link(t, tg("1002"), rajesh)
	twice := func(c chat, name, msg string, now time.Time, args map[string]string) (flows.CallResult, flows.CallResult) {
		t.Helper()
		call := flows.Call{Channel: c.channel, User: c.user, MsgID: msg, Lang: "hi", Now: now, Args: args}
		a, err := f.svc.Call(f.ctx, name, call)
		if err != nil {
			t.Fatal(err)
		}
		b, err := f.svc.Call(f.ctx, name, call)
		if err != nil {
			t.Fatal(err)
		}
		return a, b
	}
	day := ist("2026-12-10 10:30")
	// The only seat: the second computation must not find it taken by itself.
	a, b := twice(tg("1001"), "training.answer", "a1", ist("2026-12-01 10:00"), map[string]string{"training": tr.ID, "answer": "yes"})
	if a.Status != "yes" || b.Status != "yes" {
		t.Errorf("answer computed twice: %q then %q, want yes both times", a.Status, b.Status)
	}
	// A check-in: "ok" both times, not "ok" then "already".
	a, b = twice(tg("1001"), "checkin.code", "c1", day, map[string]string{"code": training.Code(tr, 0)})
	if a.Status != "ok" || b.Status != "ok" {
		t.Errorf("check-in computed twice: %q then %q, want ok both times", a.Status, b.Status)
	}
	// The same code in another message is that message's own answer.
	if res := f.call(t, tg("1001"), "checkin.code", day, map[string]string{"code": training.Code(tr, 0)}); res.Status != "already" {
		t.Errorf("the same code in a new message: %q, want already", res.Status)
	}
	// A refusal is not recorded: once the reason is gone, the same message
	// is taken (a step that failed after it and is tried again).
	f.link(t, tg("6001"), hari)
	call := flows.Call{Channel: "telegram", User: "6001", MsgID: "r1", Lang: "hi", Now: ist("2026-12-01 10:00"), Args: map[string]string{"training": tr.ID, "answer": "no"}}
	if res, err := f.svc.Call(f.ctx, "training.answer", call); err != nil || res.Status != "not_invited" {
		t.Fatalf("not invited: %+v %v", res, err)
	}
	if _, err := f.svc.Trainings.Invite(f.ctx, tr.ID, []string{hari}); err != nil {
		t.Fatal(err)
	}
	if res, err := f.svc.Call(f.ctx, "training.answer", call); err != nil || res.Status != "no" {
		t.Errorf("invited since: %+v %v, want no", res, err)
	}
	// Records last as long as message ids are remembered.
	keys, err := f.rdb.Keys(f.ctx, "saathi:effect:*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 4 {
		t.Errorf("records %v, want one per message that did something (4)", keys)
	}
	for _, k := range keys {
		if ttl := f.rdb.TTL(f.ctx, k).Val(); ttl <= 0 || ttl > store.DefaultSeenTTL {
			t.Errorf("%s expires in %v", k, ttl)
		}
	}
}
