package services_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/store/training"
)

// TestFeedbackForTrainingWithoutModulesCompletes runs the real feedback
// flow on the real services for a training made without modules: the
// topic question has no options, so it is skipped, and the feedback is
// saved.
func TestFeedbackForTrainingWithoutModulesCompletes(t *testing.T) {
	f := setup(t)
	tr := f.training(t, training.Spec{Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2026-12-10T10:00", Invite: "role=sabhasad,body=" + anpara})
	if len(tr.Modules) != 0 {
		t.Fatalf("modules %v", tr.Modules)
	}
	f.link(t, tg("1001"), sarita)
	if _, err := f.svc.Trainings.CheckIn(f.ctx, tr.ID, sarita, 0, training.MethodCode, ist("2026-12-10 10:05")); err != nil {
		t.Fatal(err)
	}
	eng := flowstest.Engine(t, nil, nil).WithServices(f.svc)
	now := ist("2026-12-11 09:00") // the day after the training
	var st flows.State
	step := func(in flows.Input) string {
		t.Helper()
		f.msg++
		in.Channel, in.User, in.ID = "telegram", "1001", "fb"+strconv.Itoa(f.msg)
		res, err := eng.Step(f.ctx, st, in, now)
		if err != nil {
			t.Fatal(err)
		}
		st = res.State
		var texts []string
		for _, r := range res.Replies {
			texts = append(texts, r.Text)
		}
		return strings.Join(texts, "\n")
	}
	if out := step(flows.Input{Event: &flows.Event{Flow: "feedback", Vars: map[string]string{"training": tr.ID}}}); !strings.Contains(out, "1 से 5 तारे") {
		t.Fatalf("feedback question: %s", out)
	}
	if out := step(flows.Input{Text: "5"}); !strings.Contains(out, "क्या कुछ छूट गया") {
		t.Fatalf("after the rating: %s", out)
	}
	step(flows.Input{Text: "कुछ नहीं"})
	if out := step(flows.Input{Text: "हाँ"}); !strings.Contains(out, f.cat.Text("hi", "feedback.ask_experience", nil)) {
		t.Fatalf("no experience question: %s", out)
	}
	if out := step(flows.Input{Text: "नहीं"}); !strings.Contains(out, f.cat.Text("hi", "feedback.thanks", nil)) {
		t.Fatalf("feedback not saved: %s", out)
	}
	status, err := f.svc.Trainings.Status(f.ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if status.FeedbackCount != 1 || status.RatingAvg != 5 {
		t.Errorf("status after feedback: %+v", status)
	}
}
