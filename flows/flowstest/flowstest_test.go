package flowstest

import (
	"testing"

	"github.com/saathi-bot/saathi/flows"
)

// TestEnglishInReplies: English the bot writes is found, in texts and
// labels; what the person typed or a field holds, echoed back, is not;
// a conversation in English is not scanned.
func TestEnglishInReplies(t *testing.T) {
	before := flows.State{Fields: map[string]string{"name": "Sarita"}}
	res := flows.Result{State: before, Replies: []flows.Reply{
		{Text: "धन्यवाद, Sarita जी! पद: coordinator", Options: []flows.Option{{Label: "✅ OK"}, {Label: "SHG सदस्य"}}},
		{Text: "ज़िला: sobhadra, AMRUT 2.0 की PDF"},
	}}
	got := EnglishInReplies(before, res, []string{"sobhadra"})
	if len(got) != 2 {
		t.Fatalf("found %q, want coordinator and OK", got)
	}
	res.State.Lang = "en"
	if got := EnglishInReplies(before, res, nil); got != nil {
		t.Errorf("an English conversation: %q, want nothing", got)
	}
}
