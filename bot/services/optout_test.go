package services_test

import (
	"strconv"
	"strings"
	"testing"

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
