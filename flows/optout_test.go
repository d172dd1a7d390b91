package flows_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
)

// optOutServices answers person.optout, counting the calls, and leaves
// the rest to flowstest.Newcomer.
type optOutServices struct {
	flowstest.Newcomer
	calls []string
}

func (s *optOutServices) Call(ctx context.Context, name string, c flows.Call) (flows.CallResult, error) {
	if name == "person.optout" {
		s.calls = append(s.calls, c.Args["out"])
		return flows.CallResult{Status: "ok"}, nil
	}
	return s.Newcomer.Call(ctx, name, c)
}

var valveFlows = fstest.MapFS{"valve.yaml": {Data: []byte(`
id: valve
commands: ["/valve"]
steps:
  - id: ask
    type: ask_choice
    prompt: x.valve
    save: valve
    options:
      - {value: "on", label: x.on}
      - {value: "off", label: x.off}
    next: done
  - {id: done, type: end, message: x.valve_done}
`)}}

var valveMsgs = fstest.MapFS{
	"x.hi.yaml": {Data: []byte(`
x.valve: "पानी का वाल्व?"
x.on: "चालू करो"
x.off: "बंद करो"
x.valve_done: "ठीक है: {{.valve}}"
`)},
	"x.en.yaml": {Data: []byte(`
x.valve: "The valve?"
x.on: "Open it"
x.off: "Close it"
x.valve_done: "OK: {{.valve}}"
`)},
}

// "बंद करो" mid-question opts out and asks the question again; where the
// question itself offers "बंद करो", it is the answer.
func TestOptOutAtAnyStepButNotAnAnswer(t *testing.T) {
	svc := &optOutServices{}
	c := &convo{t: t, e: flowstest.Engine(t, valveFlows, valveMsgs).WithServices(svc), now: t0}
	c.expect("नमस्ते", "अपना नंबर भेजें")
	out := c.expect("बंद करो", "शुरू करो", "अपना नंबर भेजें")
	if len(svc.calls) != 1 || svc.calls[0] != "yes" {
		t.Fatalf("calls %v after बंद करो:\n%s", svc.calls, out)
	}
	c.wantStep("main.ask_contact")
	c.expect("STOP", "शुरू करो")
	if len(svc.calls) != 2 {
		t.Fatalf("STOP: calls %v", svc.calls)
	}

	c.say("/cancel")
	c.expect("/valve", "पानी का वाल्व?")
	c.expect("बंद करो", "ठीक है: off")
	if len(svc.calls) != 2 {
		t.Fatalf("an answer was taken for an opt-out: calls %v", svc.calls)
	}
	// A /command is always the command.
	c.expect("/valve", "पानी का वाल्व?")
	if out := c.say("/stop"); !strings.Contains(out, "शुरू करो") || len(svc.calls) != 3 {
		t.Fatalf("/stop mid-question: calls %v\n%s", svc.calls, out)
	}
}
