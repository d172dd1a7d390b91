package services_test

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/schedule"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/training"
)

// person.optout sets and clears the flag once; a coordinator's preview,
// status and broadcast count the people who opted out and leave them out.
func TestOptOutInCoordinatorsViews(t *testing.T) {
	f := setup(t)
	now := ist("2026-12-01 10:00")
	f.link(t, tg("2003"), eo)
	f.link(t, tg("1001"), sarita)
	tr := f.training(t, training.Spec{Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2026-12-10T10:00", Invite: "role=sabhasad,body=" + anpara, CreatedBy: eo})
	inv, err := f.svc.Trainings.Invitees(f.ctx, tr.ID)
	if err != nil || inv[sarita] == "" {
		t.Fatalf("invitees %v %v", inv, err)
	}

	for _, tc := range []struct{ out, want string }{{"yes", "ok"}, {"yes", "none"}, {"no", "ok"}, {"no", "none"}, {"yes", "ok"}} {
		if got := f.call(t, tg("1001"), "person.optout", now, map[string]string{"out": tc.out}); got.Status != tc.want {
			t.Fatalf("optout %s: %s, want %s", tc.out, got.Status, tc.want)
		}
	}
	if got := f.call(t, tg("9999"), "person.optout", now, map[string]string{"out": "yes"}); got.Status != "unknown" {
		t.Fatalf("an unknown chat: %s", got.Status)
	}

	pre := f.call(t, tg("2003"), "broadcast.preview", now, map[string]string{"target": "all"})
	if pre.Status != "ok" || pre.Fields["count"] != strconv.Itoa(len(inv)-1) || pre.Fields["optedout"] != "1" {
		t.Fatalf("preview: %+v (of %d invitees)", pre, len(inv))
	}
	if text := f.hi("bnew.preview", pre.Fields); !strings.Contains(text, "1 लोगों ने संदेश बंद किए हैं") {
		t.Fatalf("the preview does not say so: %q", text)
	}
	st := f.call(t, tg("2003"), "coord.status", now, nil)
	if !strings.Contains(st.Fields["status_text"], "संदेश बंद किए: 1") {
		t.Fatalf("status: %q", st.Fields["status_text"])
	}
	sent := f.call(t, tg("2003"), "broadcast.send", now, map[string]string{"target": "all", "text": "कल बैठक है"})
	if sent.Status != "ok" || sent.Fields["count"] != strconv.Itoa(len(inv)-1) {
		t.Fatalf("send: %+v", sent)
	}
	evs := f.published(t, "broadcast")
	if len(evs) != len(inv)-1 {
		t.Fatalf("%d broadcast events, want %d", len(evs), len(inv)-1)
	}
	for _, ev := range evs {
		if ev.Phone == sarita {
			t.Fatalf("a copy for the person who opted out: %+v", ev)
		}
	}
	b, _, err := f.svc.Broadcasts.Get(f.ctx, sent.Fields["broadcast_id"])
	if err != nil || b.OptedOut != 1 {
		t.Fatalf("broadcast record: %+v %v", b, err)
	}
}

// Opting out holds when a copy goes out, not only when it is queued: a
// person who writes "बंद करो" after a broadcast was queued, before their
// copy is delivered, gets nothing of it (counted as stopped), but still
// the reply to what they write and their training's cancel notice.
func TestOptOutHoldsWhenTheCopyGoesOut(t *testing.T) {
	f := setup(t)
	now := ist("2026-12-01 10:00")
	f.link(t, tg("2003"), eo)
	f.link(t, tg("1001"), sarita)
	f.link(t, tg("1002"), rajesh)
	tr := f.training(t, training.Spec{Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2026-12-10T10:00", Invite: "role=sabhasad,body=" + anpara, CreatedBy: eo})

	out := map[string]*sink{"1001": {}, "1002": {}, "2003": {}}
	st := store.New(f.rdb, time.Hour)
	d, err := bot.NewDispatcher(bot.Options{
		Engine: flowstest.Engine(t, nil, nil).WithServices(f.svc), Store: st,
		Senders: map[string]bot.Sender{"telegram": &byUser{out}}, Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(context.Background()) })
	router := &bot.EventRouter{Dispatcher: d, Identity: f.svc.Identity, Queue: f.svc.Events, Channels: []string{"telegram"},
		Logger: slog.New(slog.DiscardHandler), NoChat: f.svc.NoChat, OptedOut: f.svc.OptedOut}
	n := 0
	say := func(user, text string) {
		t.Helper()
		n++
		if err := d.Handle(f.ctx, flows.Input{Channel: "telegram", User: user, ID: "m" + strconv.Itoa(n), Text: text}); err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		if err := d.Flush(f.ctx, "telegram", user); err != nil {
			t.Fatal(err)
		}
	}
	route := func(flow string) {
		t.Helper()
		for _, ev := range f.published(t, flow) {
			if err := router.Handle(f.ctx, ev); err != nil {
				t.Fatalf("route %s: %v", ev.ID, err)
			}
			for user := range out {
				if err := d.Flush(f.ctx, "telegram", user); err != nil {
					t.Fatal(err)
				}
			}
		}
	}

	// Queued while nobody had opted out: both copies are on their way.
	sent := f.call(t, tg("2003"), "broadcast.send", now, map[string]string{"target": "all", "text": "कल सफ़ाई अभियान है"})
	if sent.Status != "ok" || sent.Fields["optedout"] != "" {
		t.Fatalf("send: %+v", sent)
	}
	copies := 0
	for _, ev := range f.published(t, "broadcast") {
		if !ev.Bulk {
			t.Fatalf("a broadcast copy not marked bulk: %+v", ev)
		}
		if ev.Phone == sarita || ev.Phone == rajesh {
			copies++
		}
	}
	if copies != 2 {
		t.Fatalf("%d copies for सरिता and राजेश, want 2", copies)
	}

	// Then सरिता opts out, before her copy goes out.
	say("1001", "बंद करो")
	if got := out["1001"].last(); !strings.Contains(got, "शुरू करो") {
		t.Fatalf("opt-out confirmation: %q", got)
	}
	before := len(out["1001"].sent)
	route("broadcast")
	if got := out["1001"].all(); strings.Contains(got, "कल सफ़ाई अभियान है") || len(out["1001"].sent) != before {
		t.Fatalf("the copy reached the person who opted out:\n%s", got)
	}
	if got := out["1002"].all(); !strings.Contains(got, "कल सफ़ाई अभियान है") {
		t.Fatalf("the other recipient did not get it:\n%s", got)
	}
	b, c, err := f.svc.Broadcasts.Get(f.ctx, sent.Fields["broadcast_id"])
	if err != nil || c.Stopped != 1 || b.OptedOut != 0 || b.OptedOutWith(c) != 1 {
		t.Fatalf("broadcast %+v counts %+v (%v): want one stopped", b, c, err)
	}

	// What she writes is still answered …
	before = len(out["1001"].sent)
	say("1001", "मदद")
	if len(out["1001"].sent) == before {
		t.Fatal("no reply to her message after opting out")
	}
	// … and her training's cancel notice still reaches her.
	sched := schedule.New(schedule.SharedClient{UniversalClient: f.rdb}, f.svc.Trainings, f.svc.Events, schedule.Config{Logger: slog.New(slog.DiscardHandler)})
	t.Cleanup(func() { sched.Close() })
	if err := sched.Cancel(f.ctx, tr.ID); err != nil {
		t.Fatal(err)
	}
	route(schedule.FlowChanged)
	if got := out["1001"].last(); got == "" || !strings.Contains(out["1001"].all(), "रद्द") {
		t.Fatalf("no cancel notice for the person who opted out:\n%s", out["1001"].all())
	}
}
