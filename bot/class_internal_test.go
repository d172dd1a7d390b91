package bot

import (
	"testing"

	"github.com/saathi-bot/saathi/flows"
)

// Every event the bot publishes is classed as issue 15 asks: the copies,
// invitations, reminders, nudges (invite events too), report reminders,
// move and cancel notices and other notices are bulk; the result of a
// coordinator's own broadcast and an operator's alert are interactive, as
// is a reply to someone who wrote (no event).
func TestEventClasses(t *testing.T) {
	for flow, bulk := range map[string]bool{
		"broadcast":           true, // a broadcast's copy
		"invite":              true, // an invitation, and a nudge to answer it (schedule.FlowNudge)
		"reminder":            true, // schedule.FlowReminder
		"changed":             true, // a training moved or cancelled (schedule.FlowChanged)
		"shg_report":          true, // an SHG report reminder
		"feedback":            true, // asking for feedback after a training
		"promoted":            true, // off the waiting list
		"approve":             true, // a registration for a coordinator to approve
		"registration_result": true, // the applicant told of the decision
		"notice":              true, // a record's status told to its reporter
		"broadcast_done":      false,
		"alert":               false,
	} {
		if got := bulkEvent(&flows.Event{Flow: flow}); got != bulk {
			t.Errorf("event %s: bulk %v, want %v", flow, got, bulk)
		}
	}
	if bulkEvent(nil) {
		t.Error("a message someone wrote is bulk")
	}
}
