package schedule

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
)

// fakeServices answer the calls the reminder, changed and checkin flows make.
type fakeServices struct {
	location bool
	calls    []string
}

func (f *fakeServices) Call(_ context.Context, name string, c flows.Call) (flows.CallResult, error) {
	f.calls = append(f.calls, name)
	switch name {
	case "training.info":
		if c.Args["training"] == "t9" && c.Args["old"] != "" {
			return flows.CallResult{Status: "cancelled", Fields: map[string]string{"title": "AMRUT 2.0 प्रशिक्षण", "old_when": "सोमवार, 5 अप्रैल 2027, सुबह 10 बजे"}}, nil
		}
		if c.Args["training"] != "t1" {
			return flows.CallResult{Status: "not_found"}, nil
		}
		fields := map[string]string{"training": "t1", "title": "AMRUT 2.0 प्रशिक्षण", "venue": "सभागार", "when": "शनिवार, 5 दिसंबर, सुबह 10 बजे", "days": "2"}
		if c.Args["old"] != "" {
			fields["old_when"] = "गुरुवार, 3 दिसंबर, सुबह 10 बजे"
		}
		if f.location {
			fields["lat"], fields["lon"] = "24.6912", "83.0680"
		}
		return flows.CallResult{Status: "ok", Fields: fields}, nil
	case "checkin.find":
		return flows.CallResult{Status: "none"}, nil
	}
	return flows.CallResult{Status: "not_found"}, nil
}

func step(t *testing.T, e *flows.Engine, st flows.State, in flows.Input) flows.Result {
	t.Helper()
	in.Channel, in.User = "telegram", "42"
	res, err := e.Step(context.Background(), st, in, time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func texts(rs []flows.Reply) string {
	var b []string
	for _, r := range rs {
		b = append(b, r.Text)
	}
	return strings.Join(b, "\n---\n")
}

func TestReminderFlow(t *testing.T) {
	svc := &fakeServices{location: true}
	e := flowstest.Engine(t, nil, nil).WithServices(svc)
	j := Job{Training: "t1", Kind: KindReminder, Day: 1, Offset: Offset{Name: "2h"}, CheckIn: true, At: ist(2026, 12, 6, 8, 0)}
	ev := jobEvent(j, "+919000000001")
	res := step(t, e, flows.State{Lang: "hi"}, flows.Input{ID: "ev:" + ev.ID, Event: &flows.Event{Flow: ev.Flow, Vars: ev.Vars}})
	if len(res.Replies) != 1 {
		t.Fatalf("replies: %q", texts(res.Replies))
	}
	r := res.Replies[0]
	for _, want := range []string{"आज AMRUT 2.0 प्रशिक्षण है (दिन 2)", "सभागार", "https://maps.google.com/?q=24.6912,83.0680", "बटन"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("reminder %q lacks %q", r.Text, want)
		}
	}
	if len(r.Options) != 1 || r.Options[0].Label != "✅ हाज़िरी लगाएँ" {
		t.Fatalf("options %+v", r.Options)
	}
	// Nothing waits for an answer: the person can write anything else.
	if len(res.State.Stack) != 0 {
		t.Errorf("the reminder left %+v waiting", res.State.Stack)
	}
	// The button starts the check-in, now or days later.
	svc.calls = nil
	res = step(t, e, res.State, flows.Input{ID: "m2", Choice: r.Options[0].Data})
	if strings.Join(svc.calls, ",") != "checkin.find" {
		t.Errorf("button did not start the check-in: calls %v, replies %q", svc.calls, texts(res.Replies))
	}

	// The evening before, no location: no question, no map.
	svc.location = false
	j = Job{Training: "t1", Kind: KindReminder, Day: 0, Offset: Offset{Name: "eve"}, At: ist(2026, 12, 4, 18, 0)}
	ev = jobEvent(j, "+919000000001")
	res = step(t, e, flows.State{Lang: "en"}, flows.Input{ID: "ev:" + ev.ID, Event: &flows.Event{Flow: ev.Flow, Vars: ev.Vars}})
	if len(res.Replies) != 1 || len(res.Replies[0].Options) != 0 || strings.Contains(res.Replies[0].Text, "maps") ||
		!strings.Contains(res.Replies[0].Text, "A reminder: AMRUT 2.0 प्रशिक्षण (day 1)") || len(res.State.Stack) != 0 {
		t.Errorf("eve reminder: %q, stack %+v", texts(res.Replies), res.State.Stack)
	}
	// A cancelled training (not found): nothing is said.
	ev.Vars["training"] = "t2"
	res = step(t, e, flows.State{Lang: "hi"}, flows.Input{ID: "ev:x", Event: &flows.Event{Flow: ev.Flow, Vars: ev.Vars}})
	if len(res.Replies) != 0 {
		t.Errorf("reminder of a gone training said %q", texts(res.Replies))
	}
}

func TestChangedFlow(t *testing.T) {
	e := flowstest.Engine(t, nil, nil).WithServices(&fakeServices{})
	moved := flows.Event{Flow: FlowChanged, Vars: map[string]string{"training": "t1", "kind": "moved", "title": "AMRUT 2.0 प्रशिक्षण"}}
	res := step(t, e, flows.State{Lang: "hi"}, flows.Input{ID: "ev:1", Event: &moved})
	if got := texts(res.Replies); !strings.Contains(got, "प्रशिक्षण की तारीख़ बदल गई है: AMRUT 2.0 प्रशिक्षण") || !strings.Contains(got, "शनिवार, 5 दिसंबर, सुबह 10 बजे") {
		t.Errorf("moved: %q", got)
	}
	if got := texts(res.Replies); strings.Contains(got, "कारण") || strings.Contains(got, "पहले:") {
		t.Errorf("a move without reason or old date: %q", got)
	}
	// With the old date and a reason (the notice of a move by place).
	moved.Vars["old"], moved.Vars["reason"] = "1764900000", "कुंभ मेला"
	res = step(t, e, flows.State{Lang: "hi"}, flows.Input{ID: "ev:3", Event: &moved})
	if got := texts(res.Replies); !strings.Contains(got, "कारण: कुंभ मेला\nपहले: गुरुवार, 3 दिसंबर, सुबह 10 बजे\nअब:\n🗓 शनिवार, 5 दिसंबर, सुबह 10 बजे") {
		t.Errorf("moved with reason: %q", got)
	}
	cancelled := flows.Event{Flow: FlowChanged, Vars: map[string]string{"training": "t9", "kind": "cancelled", "title": "AMRUT 2.0 प्रशिक्षण"}}
	res = step(t, e, flows.State{Lang: "hi"}, flows.Input{ID: "ev:2", Event: &cancelled})
	if got := texts(res.Replies); !strings.Contains(got, "प्रशिक्षण रद्द हो गया है: AMRUT 2.0 प्रशिक्षण") || strings.Contains(got, "(") {
		t.Errorf("cancelled: %q", got)
	}
	cancelled.Vars["old"], cancelled.Vars["reason"] = "1806900000", "चुनाव"
	res = step(t, e, flows.State{Lang: "hi"}, flows.Input{ID: "ev:4", Event: &cancelled})
	if got := texts(res.Replies); !strings.Contains(got, "प्रशिक्षण रद्द हो गया है: AMRUT 2.0 प्रशिक्षण (सोमवार, 5 अप्रैल 2027, सुबह 10 बजे)\nकारण: चुनाव") {
		t.Errorf("cancelled with reason: %q", got)
	}
}

// TestNudgeReplacesInvitation: a nudge is the invitation again, with a
// gentle first line; the one still waiting is replaced, not stacked (so no
// question is asked twice).
func TestNudgeReplacesInvitation(t *testing.T) {
	e := flowstest.Engine(t, nil, nil).WithServices(&fakeServices{})
	invite := flows.Event{Flow: "invite", Vars: map[string]string{"training": "t1"}}
	res := step(t, e, flows.State{Lang: "hi"}, flows.Input{ID: "ev:invite", Event: &invite})
	j := Job{Training: "t1", Kind: KindNudge, Offset: Offset{Name: "48h"}, At: ist(2026, 12, 3, 10, 0)}
	ev := jobEvent(j, "+919000000006")
	if !ev.Bulk { // not delivered to one who opted out after it was queued
		t.Errorf("a nudge is not marked bulk: %+v", ev)
	}
	if r := jobEvent(Job{Training: "t1", Kind: KindReminder, Offset: Offset{Name: "24h"}, At: j.At}, "+919000000006"); r.Bulk {
		t.Errorf("a reminder of a training they said yes to is marked bulk: %+v", r)
	}
	res = step(t, e, res.State, flows.Input{ID: "ev:" + ev.ID, Event: &flows.Event{Flow: ev.Flow, Vars: ev.Vars}})
	if len(res.State.Stack) != 1 || res.State.Stack[0].Flow != "invite" {
		t.Errorf("stack after the nudge: %+v", res.State.Stack)
	}
	// The gentle line, then the invitation with its buttons, once.
	if len(res.Replies) != 2 || !strings.Contains(res.Replies[0].Text, "जवाब अभी नहीं मिला") ||
		len(res.Replies[1].Options) != 3 || !strings.Contains(res.Replies[1].Text, "AMRUT 2.0 प्रशिक्षण") {
		t.Errorf("nudge: %q %+v", texts(res.Replies), res.Replies)
	}
}
