package services_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// --to names designations of the designations in use (an operator's added
// to the built-in ones), every RSVP segment, and exclusions.
func TestParseAudience(t *testing.T) {
	ds, err := roster.LoadDesignations([]byte("designations:\n  - {id: ward_clerk, hi: वार्ड लिपिक, en: Ward clerk, kind: urban, role: other}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := services.ParseAudience(nil, "पद=वार्ड लिपिक"); err == nil {
		t.Fatal("the built-in designations know वार्ड लिपिक")
	}
	for _, to := range []string{"पद=वार्ड लिपिक", "पद=अधिशासी अधिकारी|वार्ड लिपिक,-निकाय=नगर पंचायत चोपन", "training=t1,segment=maybe", "training=t1,segment=no", "training=t1"} {
		if _, err := services.ParseAudience(ds, to); err != nil {
			t.Errorf("ParseAudience(%q): %v", to, err)
		}
	}
	if _, err := services.ParseAudience(ds, "training=t1,segment=waitlist"); err == nil || !strings.Contains(err.Error(), "maybe") {
		t.Errorf("an unknown segment: %v, want the segments listed", err)
	}
	// A ward needs its body: ward 5 is in every body.
	if _, err := services.ParseAudience(ds, "role=sabhasad,ward=5"); !errors.Is(err, roster.ErrWardWithoutBody) {
		t.Errorf("a ward alone: %v, want %v", err, roster.ErrWardWithoutBody)
	}
	for _, to := range []string{"body=नगर पंचायत अनपरा,ward=5", "phone=9018159083,ward=2", ""} {
		if _, err := services.ParseAudience(ds, to); err != nil {
			t.Errorf("ParseAudience(%q): %v", to, err)
		}
	}
}

// Everyone (no filter, scope all) is the whole roster, read a page at a
// time: every person once, in phone order.
func TestAudienceOfEveryone(t *testing.T) {
	f := setup(t)
	all := roster.Scope{Level: roster.LevelAll}
	phones, _, firsts, err := f.svc.AudiencePreview(f.ctx, all, services.Audience{}, 3)
	if err != nil {
		t.Fatal(err)
	}
	n := len(phones)
	want, err := f.svc.Roster.Count(f.ctx)
	if err != nil || int64(n) != want || n == 0 || len(firsts) != 3 || !slices.IsSortedFunc(firsts, func(a, b roster.Person) int { return strings.Compare(a.Phone, b.Phone) }) {
		t.Errorf("everyone: %d people, first %+v, %v; the roster has %d", n, firsts, err, want)
	}
}

// A dry run counts and names whom a broadcast would reach, sends nothing;
// a training's segments select by answer, "not sure" and "declined" too.
func TestAudiencePreview(t *testing.T) {
	f := setup(t)
	now := ist("2026-12-01 10:00")
	f.link(t, tg("1001"), sarita)
	f.link(t, tg("1002"), rajesh)
	tr := f.training(t, training.Spec{Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2026-12-10T10:00", Invite: "role=sabhasad,body=" + anpara, CreatedBy: eo})
	for phone, st := range map[string]string{sarita: training.StatusMaybe, rajesh: training.StatusNo, anita: training.StatusYes} {
		if _, err := f.svc.Trainings.Answer(f.ctx, tr.ID, phone, st, "", now); err != nil {
			t.Fatal(err)
		}
	}
	all := roster.Scope{Level: roster.LevelAll}
	for seg, want := range map[string][]string{"maybe": {sarita}, "no": {rajesh}, "yes": {anita}} {
		phones, _, firsts, err := f.svc.AudiencePreview(f.ctx, all, services.Audience{Training: tr.ID, Segment: seg}, 5)
		if err != nil || !slices.Equal(phones, want) || len(firsts) != 1 || firsts[0].Phone != want[0] {
			t.Errorf("segment %s: %v %+v %v, want %v", seg, phones, firsts, err, want)
		}
	}
	if _, err := f.svc.OptOut.Set(f.ctx, rajesh, true); err != nil {
		t.Fatal(err)
	}
	phones, out, firsts, err := f.svc.AudiencePreview(f.ctx, all, services.Audience{Filter: "role=sabhasad,body=" + anpara + ",-ward=3"}, 2)
	if n := len(phones); err != nil || n != 6 || out != 1 || len(firsts) != 2 {
		t.Fatalf("preview: %d people, %d opted out, %+v, %v; want 6 (8 less ward 3 and राजेश), 1, two names", len(phones), out, firsts, err)
	}
	names := []string{firsts[0].Name, firsts[1].Name}
	if !slices.Contains(names, f.name(t, sarita)) || slices.Contains(names, f.name(t, rajesh)) {
		t.Errorf("first names %q", names)
	}
	if evs := f.published(t, "broadcast"); len(evs) != 0 {
		t.Errorf("a preview published %d copies", len(evs))
	}
}
