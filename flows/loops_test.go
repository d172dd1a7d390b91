package flows_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
)

func TestLoadFindsLoopsWithoutAnAsk(t *testing.T) {
	files := fstest.MapFS{
		// send → branch → send, forever.
		"spin.yaml": {Data: []byte(`
id: spin
steps:
  - {id: hello, type: send, message: common.help, next: again}
  - {id: again, type: branch, field: x, cases: {"1": done}, default: hello}
  - {id: done, type: end}
`)},
		// A flow that starts itself before asking anything.
		"self.yaml": {Data: []byte(`
id: self
steps:
  - {id: go, type: start_flow, flow: self, next: q}
  - {id: q, type: ask_text, prompt: common.help, next: ""}
`)},
		// Round two flows: outer starts inner, which ends without asking,
		// and outer goes back to start it again.
		"outer.yaml": {Data: []byte(`
id: outer
steps:
  - {id: call, type: start_flow, flow: inner, next: back}
  - {id: back, type: set, set: {x: "1"}, next: call}
`)},
		"inner.yaml": {Data: []byte(`
id: inner
steps:
  - {id: note, type: send, message: common.help, next: ""}
`)},
		// An ask_list is skipped when its field is empty, so it does not
		// break a loop.
		"list.yaml": {Data: []byte(`
id: list
steps:
  - {id: pick, type: ask_list, prompt: common.help, from: items, save: it, next: again}
  - {id: again, type: send, message: common.help, next: pick}
`)},
		// Loops that ask are fine: the person answers each time round.
		"menu.yaml": {Data: []byte(`
id: menu
steps:
  - {id: show, type: send, message: common.help, next: ask}
  - {id: ask, type: ask_yesno, prompt: common.help, on_yes: show, on_no: done}
  - {id: done, type: end}
`)},
		// A flow that starts one which always asks, then goes round: fine.
		"twice.yaml": {Data: []byte(`
id: twice
steps:
  - {id: call, type: start_flow, flow: menu, next: back}
  - {id: back, type: set, set: {x: "1"}, next: call}
`)},
	}
	_, err := flows.Load(files)
	var ps flows.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load: %v, want problems", err)
	}
	got := ps.Error()
	for _, want := range []string{
		"spin.yaml: step hello: loops without asking anything: hello → again → hello",
		"self.yaml: step go: loops without asking anything: go → go",
		"outer.yaml: step call: loops without asking anything: call → back → call",
		"list.yaml: step pick: loops without asking anything: pick → again → pick",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
	for _, clean := range []string{"menu.yaml", "twice.yaml", "inner.yaml"} {
		if strings.Contains(got, clean) {
			t.Errorf("a flow that asks (or ends) is reported as a loop:\n%s", got)
		}
	}
	if n := strings.Count(got, "loops without asking"); n != 4 {
		t.Errorf("%d loops reported, want 4:\n%s", n, got)
	}
}

// noModules answers the feedback flow's calls for a training made without
// modules, and keeps what feedback.save was given.
type noModules struct{ saved map[string]string }

func (n *noModules) Call(_ context.Context, name string, c flows.Call) (flows.CallResult, error) {
	switch name {
	case "feedback.open": // the person attended, the training is over
		return flows.CallResult{Status: "ok", Fields: map[string]string{"title": "AMRUT 2.0", "modules": ""}}, nil
	case "feedback.save":
		n.saved = c.Args
		return flows.CallResult{Status: "ok"}, nil
	case "file.keep": // no file sent
		return flows.CallResult{Status: "none"}, nil
	}
	return flows.CallResult{}, fmt.Errorf("no call %q", name)
}

// TestFeedbackWithoutModulesCompletes runs the real feedback flow for a
// training that has no modules: the "most useful topic" question has
// nothing to offer, so it is not asked, and the feedback is saved.
func TestFeedbackWithoutModulesCompletes(t *testing.T) {
	svc := &noModules{}
	c := &convo{t: t, e: flowstest.Engine(t, nil, nil).WithServices(svc), now: t0}
	c.event("feedback", map[string]string{"training": "T1"})
	c.wantStep("feedback.rating")
	out := c.expect("4", "क्या कुछ छूट गया")
	if strings.Contains(out, "कौन-सा विषय") {
		t.Fatalf("the empty topic question was asked:\n%s", out)
	}
	c.expect("और समय चाहिए था", "और प्रशिक्षण चाहिए")
	c.expect("हाँ", "अपना अनुभव बताइए")
	c.expect("नहीं", "आपकी राय दर्ज हो गई")
	if len(c.st.Stack) != 0 {
		t.Fatalf("the flow did not end: %+v", c.st.Stack)
	}
	want := map[string]string{"training": "T1", "rating": "4", "module": "", "missing": "और समय चाहिए था", "followup": "yes"}
	for k, v := range want {
		if svc.saved[k] != v {
			t.Errorf("feedback.save %s = %q, want %q (all: %v)", k, svc.saved[k], v, svc.saved)
		}
	}
}

// TestEmptyListWaitingIsAnsweredByAnything: someone already waiting at a
// list question whose items are gone is not stuck: any reply goes on.
func TestEmptyListWaitingIsAnsweredByAnything(t *testing.T) {
	svc := &noModules{}
	c := &convo{t: t, e: flowstest.Engine(t, nil, nil).WithServices(svc), now: t0}
	c.event("feedback", map[string]string{"training": "T1"})
	c.st.Stack[len(c.st.Stack)-1].Step = "module" // as saved by an older version
	c.expect("कुछ भी", "क्या कुछ छूट गया")
	c.wantStep("feedback.missing")
}

// TestMayCallSeesPastAnEmptyList: a list question may be skipped, so the
// answer before it may reach the call after it.
func TestMayCallSeesPastAnEmptyList(t *testing.T) {
	e := flowstest.Engine(t, fstest.MapFS{"pickone.yaml": {Data: []byte(`
id: pickone
steps:
  - {id: q, type: ask_text, prompt: common.help, save: a, next: l}
  - {id: l, type: ask_list, prompt: common.help, from: items, save: it, next: c}
  - {id: c, type: call, call: x.save, next: done}
  - {id: done, type: end}
`)}}, nil)
	st := flows.State{Stack: []flows.Frame{{Flow: "pickone", Step: "q"}}}
	if !e.MayCall(st, flows.Input{Text: "कुछ"}) {
		t.Error("MayCall says no call can follow, but an empty list goes straight on to one")
	}
}
