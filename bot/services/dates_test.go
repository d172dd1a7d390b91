package services_test

import (
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store/training"
)

// TestInvitationDatesYearAndLanguage: an invitation sent in December for
// April writes the year; after switching to English halfway, the question
// asked again shows the days in English.
func TestInvitationDatesYearAndLanguage(t *testing.T) {
	f := setup(t)
	c := tg("1001")
	f.link(t, c, sarita)
	tr := f.training(t, training.Spec{Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2027-04-06T10:00", Modules: []string{"जल"}, Invite: "role=sabhasad,body=" + anpara})
	s := f.stepper(t, c)
	at := ist("2026-12-01 10:00")
	out := strings.Join(replyTexts(s.in(flows.Input{Event: &flows.Event{Flow: "invite", Vars: map[string]string{"training": tr.ID}}}, at)), "\n")
	if !strings.Contains(out, "मंगलवार, 6 अप्रैल 2027, सुबह 10 बजे") {
		t.Fatalf("invitation for next April: %q, want the year", out)
	}
	s.say("/language", at)
	out = strings.Join(replyTexts(s.say("English", at)), "\n")
	if !strings.Contains(out, "Tuesday, 6 April 2027, 10 am") || strings.Contains(out, "अप्रैल") {
		t.Fatalf("after switching to English: %q, want the days in English", out)
	}
}
