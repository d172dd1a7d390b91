package telegram_test

import (
	"context"
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/bot/schedule"
	"github.com/saathi-bot/saathi/store/training"
)

// TestFirstWriteAfterSeveralChangesIsOneMessage: मैथा's pradhans are
// invited before any of them has written, and the training then moves
// twice (the second time with a reason). गीता writes for the first time
// afterwards: she gets one message about the training — the invitation,
// with its date as it is now — not the invitation, "the date has changed"
// twice, and the invitation again.
func TestFirstWriteAfterSeveralChangesIsOneMessage(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	svc, c, clk := w.svc, w.c, w.clk
	w.importSample(t)
	const gita = "+919516761222"
	spec := training.Spec{Title: "समूह खाता प्रशिक्षण", Venue: "ब्लॉक सभागार, मैथा", Start: "2026-12-10T10:00", Days: 1, Invite: "role=pradhan,block=मैथा"}
	tr, err := spec.Training()
	if err != nil {
		t.Fatal(err)
	}
	if tr, err = svc.Trainings.Create(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Invite(ctx, tr); err != nil {
		t.Fatal(err)
	}
	waitHeld(t, svc, gita, 1)
	s := schedule.New(schedule.SharedClient{UniversalClient: w.rdb}, svc.Trainings, svc.Events, schedule.Config{})
	defer s.Close()
	s.Now = clk.Now
	if err := s.Move(ctx, tr.ID, ist("2026-12-12 10:00")); err != nil {
		t.Fatal(err)
	}
	moved, _, _ := svc.Trainings.Get(ctx, tr.ID)
	if err := s.MoveDays(ctx, tr.ID, training.Shift(moved, 0, 7), "ब्लॉक में चुनाव"); err != nil {
		t.Fatal(err)
	}
	waitHeld(t, svc, gita, 3) // the invitation and two notices

	w.link(t, 5001, gita, "गीता सोनकर")
	c.wait(5001, "शनिवार, 19 दिसंबर, सुबह 10 बजे")
	c.say(5001, "प्रशिक्षण", "समूह खाता प्रशिक्षण") // her trainings: after everything held
	about := 0
	for _, m := range w.fake.SentTo(5001) {
		if strings.Contains(m.Text, "तारीख़ बदल गई") || strings.Contains(m.Text, "10 दिसंबर") || strings.Contains(m.Text, "12 दिसंबर") {
			t.Errorf("an old date or a change notice: %q", m.Text)
		}
		if strings.Contains(m.Text, "समूह खाता प्रशिक्षण") {
			about++
		}
	}
	if about != 2 { // the invitation, and the answer to प्रशिक्षण
		t.Errorf("%d messages about the training, want the invitation once (and the list asked for)", about)
	}
	if held, _ := svc.Events.Held(ctx, gita); len(held) != 0 {
		t.Errorf("still held: %+v", held)
	}
}
