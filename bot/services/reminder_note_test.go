package services_test

import (
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store/training"
)

// The travel note of a training's reminder plan is in its reminders, both
// the one two days before and the one with the check-in.
func TestReminderShowsTheTravelNote(t *testing.T) {
	f := setup(t)
	f.link(t, tg("1001"), sarita)
	tr := f.training(t, training.Spec{Title: "AMRUT 2.0 प्रशिक्षण, लखनऊ", Venue: "RCUES सभागार, लखनऊ", Start: "2026-12-10T10:00",
		Reminders: []string{"2d@10:00", "eve", "2h"}, Note: "बस 8 दिसंबर सुबह 6 बजे अनपरा नगर पंचायत कार्यालय से चलेगी",
		Invite: "role=sabhasad,body=" + anpara})
	if got, _, _ := f.svc.Trainings.Get(f.ctx, tr.ID); len(got.Reminders) != 3 || got.Note == "" {
		t.Fatalf("stored plan %q, note %q", got.Reminders, got.Note)
	}
	if _, err := f.svc.Trainings.Answer(f.ctx, tr.ID, sarita, training.StatusYes, "", ist("2026-12-01 10:00")); err != nil {
		t.Fatal(err)
	}
	for _, checkin := range []string{"no", "yes"} {
		c := f.conversation(t, "1001", ist("2026-12-08 10:00"))
		got := c.input(flows.Input{Event: &flows.Event{Flow: "reminder", Vars: map[string]string{"training": tr.ID, "day": "1", "checkin": checkin}}})
		if want := "🚌 बस 8 दिसंबर सुबह 6 बजे अनपरा नगर पंचायत कार्यालय से चलेगी"; !strings.Contains(got, want) {
			t.Errorf("reminder (check-in %s) %q lacks %q", checkin, got, want)
		}
	}
}
