package flowstest

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

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
		{Text: "✅ प्रशिक्षण बन गया (twft4rj)। देखने के लिए लिखें: स्थिति twft4rj"},
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

// TestEngineWatchesForEnglish: every engine a test builds scans the
// replies of every step: an English label in a Hindi conversation is
// reported, an echo of what was typed is not, and nothing is reported
// once the test is over.
func TestEngineWatchesForEnglish(t *testing.T) {
	tb := &Recorder{TB: t}
	watch := englishWatch(tb)
	hindi := flows.State{Lang: "hi"}
	watch(hindi, flows.Input{Text: "Sarita"}, flows.Result{State: hindi, Replies: []flows.Reply{{Text: "नमस्ते Sarita जी"}}})
	if len(tb.Errors) != 0 {
		t.Fatalf("an echo of what was typed reported: %q", tb.Errors)
	}
	watch(hindi, flows.Input{Text: "1"}, flows.Result{State: hindi, Replies: []flows.Reply{{Text: "चुनें", Options: []flows.Option{{Label: "Cancel"}}}}})
	if len(tb.Errors) != 1 || !strings.Contains(tb.Errors[0], "Cancel") {
		t.Fatalf("reported %q, want the English label", tb.Errors)
	}
	tb.End()
	watch(hindi, flows.Input{Text: "1"}, flows.Result{State: hindi, Replies: []flows.Reply{{Text: "Cancel"}}})
	if len(tb.Errors) != 1 {
		t.Fatalf("reported after the test ended: %q", tb.Errors)
	}

	// And flowstest.Engine has it: a real step in Hindi is watched.
	tb = &Recorder{TB: t}
	e := Engine(tb, fstest.MapFS{"main.yaml": {Data: []byte("id: main\nsteps:\n  - {id: bye, type: end, message: w.bye}\n")}},
		fstest.MapFS{"w.hi.yaml": {Data: []byte(`{"w.bye": "फिर मिलेंगे, Goodbye"}`)}, "w.en.yaml": {Data: []byte(`{"w.bye": "Goodbye"}`)}})
	if _, err := e.Step(context.Background(), flows.State{Lang: "hi"}, flows.Input{Channel: "test", User: "u1", ID: "m1", Text: "नमस्ते"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if len(tb.Errors) != 1 || !strings.Contains(tb.Errors[0], "Goodbye") {
		t.Errorf("a step of flowstest.Engine in Hindi reported %q, want the English word", tb.Errors)
	}
}
