package flows_test

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
)

// A keyed, local invitation flow that reads its training through a call,
// a command flow, and a list question.
var eventFlows = fstest.MapFS{
	"invite.yaml": {Data: []byte(`
id: invite
local: true
key: training
steps:
  - {id: load, type: call, call: training.info, args: {training: "{{.training}}"}, on: {ok: ask, not_found: gone}}
  - {id: ask, type: ask_yesno, prompt: x.invite, maybe: true, save: answer, on_yes: save, on_no: save, on_maybe: save}
  - {id: save, type: call, call: training.answer, args: {training: "{{.training}}", answer: "{{.answer}}"}, next: done}
  - {id: done, type: end, message: x.thanks}
  - {id: gone, type: end, message: x.gone}
`)},
	"code.yaml": {Data: []byte(`
id: code
commands: ["/code", "कोड"]
steps:
  - {id: get, type: call, call: code.get, args: {day: "{{.arg}}"}, on: {forbidden: no}, next: show}
  - {id: show, type: end, message: x.code}
  - {id: no, type: end, message: x.forbidden}
`)},
	"import.yaml": {Data: []byte(` # replaces the built-in import flow
id: import
on_document: true
local: true
steps:
  - {id: read, type: call, call: doc.read, args: {id: "{{.file_id}}"}, next: send}
  - {id: send, type: send_file, file: data, name: "copy-{{.file_name}}", message: x.file, next: ""}
`)},
	"note.yaml": {Data: []byte(`
id: note
local: true
steps:
  - {id: say, type: send, message: x.note, buttons: [{label: x.pickbtn, command: /pick}], next: ""}
`)},
	"pick.yaml": {Data: []byte(`
id: pick
commands: ["/pick"]
steps:
  - {id: set, type: set, set: {modules: "जल आपूर्ति|सीवेज|बजट"}, next: which}
  - {id: which, type: ask_list, prompt: x.which, from: modules, save: module, next: done}
  - {id: done, type: end, message: x.picked}
`)},
}

var eventMsgs = fstest.MapFS{
	"x.hi.yaml": {Data: []byte(`
x.invite: "{{.title}} में आएँगे?"
x.thanks: "धन्यवाद। {{.title}}: {{.answer_label}}"
x.gone: "यह प्रशिक्षण अब नहीं है।"
x.code: "आज का कोड: {{.code}}"
x.forbidden: "यह सुविधा समन्वयकों के लिए है।"
x.which: "कौन-सा विषय?"
x.picked: "आपने चुना: {{.module}}"
x.file: "आपकी फ़ाइल"
x.note: "कल बैठक है।"
x.pickbtn: "विषय चुनें"
`)},
	"x.en.yaml": {Data: []byte(`
x.invite: "Will you come to {{.title}}?"
x.thanks: "Thank you. {{.title}}: {{.answer_label}}"
x.gone: "This training no longer exists."
x.code: "Today's code: {{.code}}"
x.forbidden: "This is for coordinators."
x.which: "Which module?"
x.picked: "You chose: {{.module}}"
x.file: "Your file"
x.note: "Meeting tomorrow."
x.pickbtn: "Pick a module"
`)},
}

// fakeServices answers calls from tables and records them.
type fakeServices struct {
	flowstest.Newcomer
	titles  map[string]string
	answers []string // training:answer, in order
	fail    bool
}

func (f *fakeServices) Call(_ context.Context, name string, c flows.Call) (flows.CallResult, error) {
	if f.fail {
		return flows.CallResult{}, errors.New("redis is down")
	}
	switch name {
	case "training.info":
		title, ok := f.titles[c.Args["training"]]
		if !ok {
			return flows.CallResult{Status: "not_found"}, nil
		}
		return flows.CallResult{Status: "ok", Fields: map[string]string{"title": title}}, nil
	case "training.answer":
		f.answers = append(f.answers, c.Args["training"]+":"+c.Args["answer"])
		return flows.CallResult{Status: "ok"}, nil
	case "doc.read":
		return flows.CallResult{Status: "ok", Fields: map[string]string{"data": base64.StdEncoding.EncodeToString([]byte("bytes of " + c.Args["id"]))}}, nil
	case "code.get":
		if c.User != "coord" {
			return flows.CallResult{Status: "forbidden"}, nil
		}
		return flows.CallResult{Status: "ok", Fields: map[string]string{"code": "4821 (" + c.Args["day"] + ")"}}, nil
	}
	return f.Newcomer.Call(context.Background(), name, c)
}

func newEventConvo(t *testing.T, svc *fakeServices) *convo {
	c := &convo{t: t, e: flowstest.Engine(t, eventFlows, eventMsgs).WithServices(svc), now: t0}
	return c
}

func (c *convo) event(flow string, vars map[string]string) string {
	return c.send(flows.Input{Event: &flows.Event{Flow: flow, Vars: vars}})
}

func TestInvitationMidRegistrationResumesIt(t *testing.T) {
	svc := &fakeServices{titles: map[string]string{"t1": "AMRUT 2.0 प्रशिक्षण"}}
	c := newEventConvo(t, svc)
	c.expect("नमस्ते", "अपना नंबर भेजें")
	c.expect("9876543210", "आपका पूरा नाम")
	c.expect("सरिता देवी", "महिला हैं या पुरुष")
	c.expect("महिला", "किस पद")
	roleButtons := c.last[0].Options

	out := c.event("invite", map[string]string{"training": "t1"})
	if !strings.Contains(out, "AMRUT 2.0 प्रशिक्षण में आएँगे?") {
		t.Fatalf("invitation: %s", out)
	}
	// The registration's role button still works, and the invitation waits.
	out = c.send(flows.Input{Choice: roleButtons[0].Data})
	if !strings.Contains(out, "किस ज़िले") {
		t.Fatalf("after the old role button: %s", out)
	}
	c.expect("सोनभद्र", "ब्लॉक या नगर निकाय")
	c.expect("नगर पंचायत अनपरा", "वार्ड नंबर")
	c.expect("७", "क्या सब सही है")
	// Registration done: the invitation is asked again, and answered.
	c.expect("हाँ", "पंजीकरण दर्ज", "AMRUT 2.0 प्रशिक्षण में आएँगे?")
	c.expect("haan", "धन्यवाद। AMRUT 2.0 प्रशिक्षण")
	if strings.Join(svc.answers, ",") != "t1:yes" {
		t.Fatalf("answers: %v", svc.answers)
	}
	if len(c.st.Stack) != 0 {
		t.Fatalf("stack left: %+v", c.st.Stack)
	}
	if c.st.Fields["answer"] != "" || c.st.Fields["title"] != "" {
		t.Fatalf("a local flow leaked fields: %v", c.st.Fields)
	}
}

func TestOldInvitationButtonReopensItsFlow(t *testing.T) {
	svc := &fakeServices{titles: map[string]string{"t1": "पहला", "t2": "दूसरा"}}
	c := newEventConvo(t, svc)
	c.event("invite", map[string]string{"training": "t1"})
	first := c.last[0].Options
	c.event("invite", map[string]string{"training": "t2"})
	second := c.last[0].Options
	if first[0].Data == second[0].Data {
		t.Fatalf("two invitations share button data %q", first[0].Data)
	}
	c.expect("नहीं", "दूसरा: नहीं") // the newer one is on top
	c.send(flows.Input{Choice: first[2].Data})
	c.expect("/start")
	// Days later: the first invitation's "yes" button changes the answer.
	out := c.send(flows.Input{Choice: first[0].Data})
	if !strings.Contains(out, "धन्यवाद। पहला: हाँ") {
		t.Fatalf("old button: %s", out)
	}
	if got := strings.Join(svc.answers, ","); got != "t2:no,t1:maybe,t1:yes" {
		t.Fatalf("answers: %s", got)
	}
}

func TestSameEventTwiceIsNotStacked(t *testing.T) {
	c := newEventConvo(t, &fakeServices{titles: map[string]string{"t1": "पहला"}})
	c.event("invite", map[string]string{"training": "t1"})
	c.event("invite", map[string]string{"training": "t1"})
	if len(c.st.Stack) != 1 {
		t.Fatalf("stack: %+v", c.st.Stack)
	}
}

func TestCallStatusBranchesAndUnknownTraining(t *testing.T) {
	c := newEventConvo(t, &fakeServices{})
	if out := c.event("invite", map[string]string{"training": "t9"}); !strings.Contains(out, "अब नहीं है") {
		t.Fatalf("unknown training: %s", out)
	}
}

func TestFlowCommandsAndCallerIdentity(t *testing.T) {
	c := newEventConvo(t, &fakeServices{})
	if out := c.say("/code 2"); !strings.Contains(out, "समन्वयकों के लिए") {
		t.Fatalf("participant /code: %s", out)
	}
	c.e = flowstest.Engine(t, eventFlows, eventMsgs).WithServices(&fakeServices{})
	res, err := c.e.Step(context.Background(), flows.State{}, flows.Input{Channel: "test", User: "coord", ID: "1", Text: "कोड"}, t0)
	if err != nil || len(res.Replies) != 1 || !strings.Contains(res.Replies[0].Text, "आज का कोड: 4821 ()") {
		t.Fatalf("coordinator कोड: %+v %v", res.Replies, err)
	}
}

func TestAskListOffersTheFieldsItems(t *testing.T) {
	c := newEventConvo(t, &fakeServices{})
	c.say("/pick")
	if len(c.last[0].Options) != 3 || c.last[0].Options[1].Label != "सीवेज" {
		t.Fatalf("options: %+v", c.last[0].Options)
	}
	c.expect("सीवर", "कौन-सा विषय") // not an item: asked again
	c.expect("२", "आपने चुना: सीवेज")
	c.say("/pick")
	c.expect("बजट", "आपने चुना: बजट")
	c.say("/pick")
	if out := c.send(flows.Input{Choice: c.last[0].Options[0].Data}); !strings.Contains(out, "जल आपूर्ति") {
		t.Fatalf("button: %s", out)
	}
}

func TestFailedCallVoidsTheStep(t *testing.T) {
	svc := &fakeServices{titles: map[string]string{"t1": "पहला"}, fail: true}
	e := flowstest.Engine(t, eventFlows, eventMsgs).WithServices(svc)
	_, err := e.Step(context.Background(), flows.State{}, flows.Input{ID: "1", Event: &flows.Event{Flow: "invite", Vars: map[string]string{"training": "t1"}}}, t0)
	if err == nil || !strings.Contains(err.Error(), "training.info") {
		t.Fatalf("err = %v", err)
	}
}

func TestMayCall(t *testing.T) {
	e := flowstest.Engine(t, eventFlows, eventMsgs)
	reg := flows.State{Stack: []flows.Frame{{Flow: "registration", Step: "name"}}}
	inv := flows.State{Stack: []flows.Frame{{Flow: "invite", Step: "ask", Vars: map[string]string{"training": "t1"}}}}
	for _, tc := range []struct {
		st   flows.State
		in   flows.Input
		want bool
	}{
		{reg, flows.Input{Text: "सरिता"}, false},
		{flows.State{Stack: []flows.Frame{{Flow: "registration", Step: "confirm"}}}, flows.Input{Text: "हाँ"}, true},
		{flows.State{}, flows.Input{Text: "नमस्ते"}, true},
		{inv, flows.Input{Text: "हाँ"}, true},
		{reg, flows.Input{Text: "/code"}, true},
		{reg, flows.Input{Choice: "invite.ask:yes@t1"}, true},
		{flows.State{}, flows.Input{Event: &flows.Event{Flow: "note"}}, false}, // no call in it: the commit's dedupe is enough
		{flows.State{}, flows.Input{Event: &flows.Event{Flow: "invite"}}, true},
	} {
		if got := e.MayCall(tc.st, tc.in); got != tc.want {
			t.Errorf("MayCall(%v, %+v) = %v", tc.st.Stack, tc.in, got)
		}
	}
}

func TestDocumentStartsItsFlowAndFileGoesBackOut(t *testing.T) {
	c := newEventConvo(t, &fakeServices{})
	c.expect("नमस्ते", "अपना नंबर भेजें")
	out := c.send(flows.Input{Media: "document", File: &flows.File{ID: "F1", Name: "roster.xlsx"}})
	if !strings.Contains(out, "आपकी फ़ाइल") || !strings.Contains(out, "अपना नंबर भेजें") {
		t.Fatalf("after the document: %s", out) // the file's reply, then the waiting question again
	}
	f := c.last[0].File
	if f == nil || f.Name != "copy-roster.xlsx" || string(f.Data) != "bytes of F1" {
		t.Fatalf("file reply %+v", c.last[0])
	}
	for _, fr := range c.st.Stack {
		if fr.Vars["data"] != "" {
			t.Fatalf("the file stayed in the state: %+v", c.st.Stack)
		}
	}
}

// TestPhotoWithFileIsNotADocument: on WhatsApp a photo carries a File (for
// a question that asks for one). Where none waits, it is media where text
// was expected, not a document for the on_document flow.
func TestPhotoWithFileIsNotADocument(t *testing.T) {
	c := newEventConvo(t, &fakeServices{})
	c.expect("नमस्ते", "अपना नंबर भेजें")
	out := c.send(flows.Input{Media: "photo", File: &flows.File{ID: "wa:P1", Name: "photo.jpg"}})
	if strings.Contains(out, "आपकी फ़ाइल") || !strings.Contains(out, "फ़ोटो") || !strings.Contains(out, "लिखकर भेज दें") {
		t.Fatalf("after a photo: %s", out)
	}
	c.wantStep("main.ask_contact")
}

func TestActionButtonStartsItsCommandAnytime(t *testing.T) {
	c := newEventConvo(t, &fakeServices{})
	c.expect("नमस्ते", "अपना नंबर भेजें")
	out := c.event("note", nil)
	btn := c.last[0].Options
	if !strings.Contains(out, "कल बैठक है।") || len(btn) != 1 || btn[0].Label != "विषय चुनें" {
		t.Fatalf("note: %q %+v", out, btn)
	}
	c.wantStep("main.ask_contact") // nothing waits for the button
	out = c.send(flows.Input{Choice: btn[0].Data})
	if !strings.Contains(out, "कौन-सा विषय?") {
		t.Fatalf("the button: %q", out)
	}
	c.expect("बजट", "आपने चुना: बजट", "अपना नंबर भेजें") // then the waiting question again
	if out := c.send(flows.Input{Choice: "cmd:/nosuch"}); !strings.Contains(out, "पुराने सवाल") {
		t.Fatalf("unknown command button: %q", out)
	}
}

// On a channel without buttons, the last invitation's options can be typed
// again later to change the answer.
func TestTypedOptionChangesTheLastInvitationAnswer(t *testing.T) {
	svc := &fakeServices{titles: map[string]string{"t1": "पहला"}}
	c := newEventConvo(t, svc)
	c.event("invite", map[string]string{"training": "t1"})
	c.expect("पता नहीं", "पहला: पता नहीं")
	if len(c.st.Stack) != 0 || len(c.st.Reopen) != 3 {
		t.Fatalf("after the answer: stack %+v, reopen %+v", c.st.Stack, c.st.Reopen)
	}
	c.expect("1", "पहला: हाँ") // the first option, typed: आऊँगा
	c.expect("नहीं", "पहला: नहीं")
	if got := strings.Join(svc.answers, ","); got != "t1:maybe,t1:yes,t1:no" {
		t.Fatalf("answers %s", got)
	}
	c.expect("नमस्ते", "अपना नंबर भेजें") // anything else starts as usual
}

func TestReasonAfterNoKeepsTheInvitationOptions(t *testing.T) {
	c := newEventConvo(t, &fakeServices{titles: map[string]string{"t1": "पहला"}})
	c.event("invite", map[string]string{"training": "t1"})
	before := c.last[0].Options
	c.expect("नहीं", "पहला: नहीं")
	if len(c.st.Reopen) != 3 || c.st.Reopen[0].Data != before[0].Data {
		t.Fatalf("reopen %+v, want the invitation's options %+v", c.st.Reopen, before)
	}
}

// readOnly says that the calls it names only read.
type readOnly struct {
	flows.Services
	reads map[string]bool
}

func (r readOnly) ReadOnly(name string) bool { return r.reads[name] }

// TestMayCallLooksPastReads: a duplicate may reach a call that only reads
// (the commit's dedupe is enough), but not one with an effect, even when it
// follows a read before the next question.
func TestMayCallLooksPastReads(t *testing.T) {
	extra := fstest.MapFS{
		"look.yaml": {Data: []byte(`
id: look
local: true
steps:
  - {id: place, type: ask_text, prompt: x.which, save: place, next: find}
  - {id: find, type: call, call: place.find, args: {name: "{{.place}}"}, on: {not_found: place}, next: more}
  - {id: more, type: ask_text, prompt: x.which, save: more, next: check}
  - {id: check, type: call, call: place.find, args: {name: "{{.more}}"}, next: keep}
  - {id: keep, type: call, call: place.keep, args: {name: "{{.more}}"}, next: last}
  - {id: last, type: ask_text, prompt: x.which, save: last, next: read_end}
  - {id: read_end, type: call, call: place.find, args: {name: "{{.last}}"}, next: done}
  - {id: done, type: end, message: x.thanks}
`)},
	}
	for name, data := range eventFlows {
		extra[name] = data
	}
	plain := flowstest.Engine(t, extra, eventMsgs)
	reads := plain.WithServices(readOnly{&fakeServices{}, map[string]bool{"place.find": true, "training.info": true}})
	at := func(step string) flows.State {
		return flows.State{Stack: []flows.Frame{{Flow: "main"}, {Flow: "look", Step: step}}}
	}
	inv := flows.State{Stack: []flows.Frame{{Flow: "invite", Step: "ask", Vars: map[string]string{"training": "t1"}}}}
	for _, tc := range []struct {
		name        string
		st          flows.State
		plain, read bool
	}{
		{"a read, then a question", at("place"), true, false},
		{"a read, then a call with an effect", at("more"), true, true},
		{"a read that ends the flow: the caller's flow goes on", at("last"), true, true},
		{"a call with an effect", inv, true, true},
	} {
		in := flows.Input{Text: "सोनभद्र"}
		if tc.st.Stack[0].Flow == "invite" {
			in.Text = "हाँ"
		}
		if got := plain.MayCall(tc.st, in); got != tc.plain {
			t.Errorf("%s: MayCall = %v with services that do not say what reads", tc.name, got)
		}
		if got := reads.MayCall(tc.st, in); got != tc.read {
			t.Errorf("%s: MayCall = %v with place.find a read", tc.name, got)
		}
	}
}
