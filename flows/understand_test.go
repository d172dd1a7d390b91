package flows_test

import (
	"testing"
	"testing/fstest"
)

// understandFlow asks what the wired readers understand: a yes/no/maybe,
// a count, and the date of something that happened.
var understandFlow = fstest.MapFS{"u.yaml": {Data: []byte(`
id: u
steps:
  - {id: come, type: ask_yesno, prompt: u.come, maybe: true, save: come, on_yes: count, on_no: count, on_maybe: count}
  - {id: count, type: ask_number, prompt: u.count, min: 0, max: 500, save: n, next: held}
  - {id: held, type: ask_date, prompt: u.held, past: true, save: held, next: bye}
  - {id: bye, type: end, message: u.bye}
`)}, "main.yaml": {Data: []byte(`
id: main
steps:
  - {id: go, type: start_flow, flow: u}
`)}}

var understandMsgs = fstest.MapFS{
	"u.hi.yaml": {Data: []byte(`{"u.come": "आएँगी?", "u.count": "कितने?", "u.held": "बैठक कब हुई?", "u.bye": "धन्यवाद"}`)},
	"u.en.yaml": {Data: []byte(`{"u.come": "Coming?", "u.count": "How many?", "u.held": "When was it held?", "u.bye": "Thanks"}`)},
}

// TestYesNoKeepsTheReasonOfANo: a no typed with its reason keeps the
// reason beside the answer, so the flow need not ask for it again.
func TestYesNoKeepsTheReasonOfANo(t *testing.T) {
	c := newConvo(t, understandFlow, understandMsgs)
	c.say("hi")
	c.expect("नहीं आ पाऊँगी, उस दिन बोर्ड बैठक है", "कितने?")
	if c.st.Fields["come"] != "no" || c.st.Fields["come_reason"] != "उस दिन बोर्ड बैठक है" {
		t.Fatalf("come = %q, come_reason = %q", c.st.Fields["come"], c.st.Fields["come_reason"])
	}
}

// TestYesNoReasksNamingAllThree: a contradiction or a condition is not
// booked as yes; the re-ask of a three-option question names all three.
func TestYesNoReasksNamingAllThree(t *testing.T) {
	c := newConvo(t, understandFlow, understandMsgs)
	c.say("hi")
	c.expect("हाँ नहीं", "हाँ, नहीं या पता नहीं")
	c.wantStep("u.come")
	c.expect("अगर छुट्टी मिली तो आऊँगी", "कितने?")
	if c.st.Fields["come"] != "maybe" {
		t.Fatalf("a conditional yes saved as %q, want maybe", c.st.Fields["come"])
	}
	for _, yes := range []string{"आ रही हूँ", "हम सब आएँगे", "zaroor aaungi"} {
		c := newConvo(t, understandFlow, understandMsgs)
		c.say("hi")
		c.say(yes)
		if c.st.Fields["come"] != "yes" {
			t.Errorf("%q saved as %q, want yes", yes, c.st.Fields["come"])
		}
	}
}

// TestNumberAsksForTheExactNumber: an approximation or a bound is asked
// again, never stored as the number; number words are read.
func TestNumberAsksForTheExactNumber(t *testing.T) {
	c := newConvo(t, understandFlow, understandMsgs)
	c.say("hi")
	c.say("हाँ")
	for _, vague := range []string{"३० से ज़्यादा", "30-35"} {
		c.expect(vague, "पक्की संख्या")
		c.wantStep("u.count")
	}
	c.expect("दो सौ पचास", "बैठक कब हुई?")
	if c.st.Fields["n"] != "250" {
		t.Fatalf("n = %q, want 250", c.st.Fields["n"])
	}
}

// TestPastDateWithoutYear: asked on 23 November, "20 नवंबर" for something
// that happened is 20 November of this year, not of next year; कल is
// yesterday; a date still to come is refused.
func TestPastDateWithoutYear(t *testing.T) {
	c := newConvo(t, understandFlow, understandMsgs)
	c.say("hi")
	c.say("हाँ")
	c.say("12")
	c.expect("tomorrow", "अभी आई नहीं")
	c.expect("20 नवंबर", "धन्यवाद")
	if c.st.Fields["held"] != "2026-11-20" {
		t.Fatalf("held = %q, want 2026-11-20", c.st.Fields["held"])
	}
	c = newConvo(t, understandFlow, understandMsgs)
	c.say("hi")
	c.say("हाँ")
	c.say("12")
	c.say("कल")
	if c.st.Fields["held"] != "2026-11-22" {
		t.Fatalf("कल for a past meeting = %q, want 2026-11-22", c.st.Fields["held"])
	}
}

// TestCommandsInAnyForm: help, cancel and a language switch work mid-flow
// in the forms people type.
func TestCommandsInAnyForm(t *testing.T) {
	c := newConvo(t, understandFlow, understandMsgs)
	c.say("hi")
	c.expect("मदद चाहिए", "आएँगी?")
	c.wantStep("u.come")
	c.expect("english mein", "English", "Coming?")
	c.expect("हिंदी में", "हिंदी में बात करेंगे", "आएँगी?")
	c.expect("बस करो", "रोक")
	if len(c.st.Stack) != 0 {
		t.Fatalf("बस करो left %+v", c.st.Stack)
	}
}

// ratingFlow is a feedback-like rating question.
var ratingFlow = fstest.MapFS{"r.yaml": {Data: []byte(`
id: r
steps:
  - id: rate
    type: ask_choice
    prompt: r.ask
    save: rating
    rating: true
    options:
      - {value: "1", label: r.s1}
      - {value: "2", label: r.s2}
      - {value: "3", label: r.s3}
      - {value: "4", label: r.s4}
      - {value: "5", label: r.s5}
    next: bye
  - {id: bye, type: end, message: r.bye}
`)}, "main.yaml": {Data: []byte(`
id: main
steps:
  - {id: go, type: start_flow, flow: r}
`)}}

var ratingMsgs = fstest.MapFS{
	"r.hi.yaml": {Data: []byte(`{"r.ask": "कैसा लगा?", "r.s1": "⭐", "r.s2": "⭐⭐", "r.s3": "⭐⭐⭐", "r.s4": "⭐⭐⭐⭐", "r.s5": "⭐⭐⭐⭐⭐", "r.bye": "धन्यवाद"}`)},
	"r.en.yaml": {Data: []byte(`{"r.ask": "How was it?", "r.s1": "⭐", "r.s2": "⭐⭐", "r.s3": "⭐⭐⭐", "r.s4": "⭐⭐⭐⭐", "r.s5": "⭐⭐⭐⭐⭐", "r.bye": "Thanks"}`)},
}

// TestRatingInWords: a rating question takes words, "5 में से 4" and stars
// among other emoji, not only the option's number or label.
func TestRatingInWords(t *testing.T) {
	for in, want := range map[string]string{"अच्छा लगा": "4", "5 में से 4": "4", "⭐⭐⭐⭐⭐🙏": "5", "ठीक-ठाक": "3", "बिल्कुल अच्छा नहीं": "1", "2": "2"} {
		c := newConvo(t, ratingFlow, ratingMsgs)
		c.say("hi")
		c.expect(in, "धन्यवाद")
		if c.st.Fields["rating"] != want {
			t.Errorf("%q saved as %q, want %s", in, c.st.Fields["rating"], want)
		}
	}
}

var numberArgFlows = fstest.MapFS{"hz.yaml": {Data: []byte(`
id: hz
commands: ["पहुँची"]
number_arg: true
steps:
  - {id: done, type: end, message: n.hz}
`)}, "kd.yaml": {Data: []byte(`
id: kd
commands: ["नंबर"]
steps:
  - {id: done, type: end, message: n.kd}
`)}, "main.yaml": {Data: []byte(`
id: main
steps:
  - {id: what, type: ask_text, prompt: n.what, save: what, next: bye}
  - {id: bye, type: end, message: n.bye}
`)}}

var numberArgMsgs = fstest.MapFS{
	"n.hi.yaml": {Data: []byte(`{"n.hz": "हाज़िरी कोड {{.arg}}", "n.kd": "कोड फ़्लो", "n.what": "क्या?", "n.bye": "लिखा: {{.what}}"}`)},
	"n.en.yaml": {Data: []byte(`{"n.hz": "check-in code {{.arg}}", "n.kd": "code flow", "n.what": "What?", "n.bye": "wrote: {{.what}}"}`)},
}

// TestCommandWithANumber: a flow with number_arg starts from its word with
// a number after it, the number as arg (as "हाज़िरी ४८२१" does check-in);
// another flow's word with a number is not its command, but an answer.
func TestCommandWithANumber(t *testing.T) {
	c := newConvo(t, numberArgFlows, numberArgMsgs)
	c.expect("पहुँची ४८२१", "हाज़िरी कोड 4821")
	c = newConvo(t, numberArgFlows, numberArgMsgs)
	c.expect("hello", "क्या?")
	c.expect("नंबर 4821", "लिखा: नंबर 4821")
	c.expect("नंबर", "कोड फ़्लो")
}

var reasonFlow = fstest.MapFS{"why.yaml": {Data: []byte(`
id: why
steps:
  - id: reason
    type: ask_choice
    prompt: w.ask
    save: kind
    words: reasons
    other: other
    note: note
    options:
      - {value: health, label: w.health}
      - {value: other, label: w.other, next: text}
    next: bye
  - {id: text, type: ask_text, prompt: w.text, save: note, next: bye}
  - {id: bye, type: end, message: w.bye}
`)}, "main.yaml": {Data: []byte(`
id: main
steps:
  - {id: go, type: start_flow, flow: why}
`)}}

var reasonMsgs = fstest.MapFS{
	"w.hi.yaml": {Data: []byte(`{"w.ask": "क्यों नहीं?", "w.health": "तबीयत", "w.other": "कुछ और", "w.text": "लिखिए", "w.bye": "ठीक: {{.kind}} {{.note}}"}`)},
	"w.en.yaml": {Data: []byte(`{"w.ask": "Why not?", "w.health": "Health", "w.other": "Other", "w.text": "Write it", "w.bye": "ok: {{.kind}} {{.note}}"}`)},
}

// TestTypedReasonAtTheReasonQuestion: the word lists pick the listed
// reason; a reason they do not know is "other", kept as typed; a question,
// a yes or a no is asked again, never kept as a reason.
func TestTypedReasonAtTheReasonQuestion(t *testing.T) {
	for in, want := range map[string]string{
		"बुखार है": "ठीक: health",
		"उस दिन गाँव में मेला है": "ठीक: other उस दिन गाँव में मेला है",
		"कुछ और":   "लिखिए",
		"कब है?":   "क्यों नहीं?",
		"हाँ":      "क्यों नहीं?",
		"पता नहीं": "क्यों नहीं?",
	} {
		c := newConvo(t, reasonFlow, reasonMsgs)
		c.say("hi")
		c.expect(in, want)
	}
}

// checkinAnyFormFlows puts a stand-in for the check-in flow (no services)
// in the place of the built-in one.
var checkinAnyFormFlows = fstest.MapFS{"checkin.yaml": {Data: []byte(`
id: checkin
commands: ["हाज़िरी"]
number_arg: true
on_checkin: true
steps:
  - {id: done, type: end, message: n.hz}
`)}, "main.yaml": {Data: []byte(`
id: main
steps:
  - {id: count, type: ask_number, prompt: n.count, min: 0, max: 500, save: n, next: bye}
  - {id: bye, type: end, message: n.bye}
`)}}

var checkinAnyFormMsgs = fstest.MapFS{
	"n.hi.yaml": {Data: []byte(`{"n.hz": "हाज़िरी, कोड {{.arg}}", "n.count": "कितने आए?", "n.bye": "लिखा: {{.n}}"}`)},
	"n.en.yaml": {Data: []byte(`{"n.hz": "check-in, code {{.arg}}", "n.count": "How many came?", "n.bye": "wrote: {{.n}}"}`)},
}

// TestCheckinInAnyForm: a flow with on_checkin starts from every way of
// asking to check in, not only its command words, with a code in the reply
// as arg; a count with the word ("12 present") stays the answer it is.
func TestCheckinInAnyForm(t *testing.T) {
	for in, want := range map[string]string{
		"मेरी हाज़िरी लगा दो": "हाज़िरी, कोड\n", "haazri laga do 4821": "हाज़िरी, कोड 4821", "present sir": "हाज़िरी, कोड\n",
		"हाजरी लगानी है ४८२१": "हाज़िरी, कोड 4821", "attendance mark karo": "हाज़िरी, कोड\n",
	} {
		c := newConvo(t, checkinAnyFormFlows, checkinAnyFormMsgs)
		c.expect("hi", "कितने आए?")
		c.expect(in, want)
	}
	c := newConvo(t, checkinAnyFormFlows, checkinAnyFormMsgs)
	c.expect("hi", "कितने आए?")
	c.expect("12 present", "लिखा: 12")
}
