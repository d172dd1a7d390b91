package services_test

import (
	"slices"
	"testing"

	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// The attended segment is those checked in on any day (a coordinator's
// "absent" taking one out); "declined" and "not_sure" name the segments
// of those answers on the CLI.
func TestAttendedSegment(t *testing.T) {
	f := setup(t)
	tr := f.training(t, training.Spec{Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2026-12-10T10:00", Days: 2, Invite: "role=sabhasad,body=" + anpara, CreatedBy: eo})
	if _, err := f.svc.Trainings.CheckIn(f.ctx, tr.ID, sarita, 0, training.MethodCode, ist("2026-12-10 10:05")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Trainings.CheckIn(f.ctx, tr.ID, rajesh, 1, training.MethodCode, ist("2026-12-11 10:05")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Trainings.CheckIn(f.ctx, tr.ID, sarita, 1, training.MethodCode, ist("2026-12-11 10:06")); err != nil {
		t.Fatal(err)
	}
	a, err := services.ParseAudience(nil, "training="+tr.ID+",segment=attended")
	if err != nil {
		t.Fatal(err)
	}
	n, _, firsts, err := f.svc.AudiencePreview(f.ctx, roster.Scope{Level: roster.LevelAll}, a, 5)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range firsts {
		got = append(got, p.Phone)
	}
	slices.Sort(got)
	want := []string{sarita, rajesh}
	slices.Sort(want)
	if n != 2 || !slices.Equal(got, want) {
		t.Errorf("attended: %d %q, want %q (each once, from either day)", n, got, want)
	}
	for to, seg := range map[string]string{"declined": training.StatusNo, "not_sure": training.StatusMaybe, "present": "attended"} {
		a, err := services.ParseAudience(nil, "training="+tr.ID+",segment="+to)
		if err != nil || a.Segment != seg {
			t.Errorf("segment=%s: %+v %v, want segment %s", to, a, err, seg)
		}
	}
}
