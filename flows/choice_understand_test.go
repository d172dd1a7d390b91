package flows_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/locales"
)

// answerRecorder answers an invitation as the services would and keeps
// what was answered; everything else goes to a Newcomer.
type answerRecorder struct {
	flowstest.Newcomer
	answer, reason string
	called         bool
}

func (a *answerRecorder) Call(ctx context.Context, name string, c flows.Call) (flows.CallResult, error) {
	if name != "training.answer" {
		return a.Newcomer.Call(ctx, name, c)
	}
	a.called, a.answer, a.reason = true, c.Args["answer"], c.Args["reason"]
	return flows.CallResult{Status: "no"}, nil
}

// TestChoicesAtTheRealSteps plays the replies of
// testdata/understand/choice*.tsv, written the way people type them, at the
// choice questions of the real flows (the role and gender of registration,
// an invitation's answer and decline reason), in Hindi, and checks that at least 98 %
// are understood and none is taken for another option.
//
// Columns: flow/step, input, the option's value taken or "?" for asked
// again; at invite/ask the answer booked (yes, no, maybe). At invite/reason, a reason no option names is "other" (kept as
// typed, or asked for in the person's words).
func TestChoicesAtTheRealSteps(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := flowstest.Engine(t, nil, nil)
	total, ok := 0, 0
	files, err := filepath.Glob(filepath.Join("testdata", "understand", "choice*.tsv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/understand/choice*.tsv: %v", err)
	}
	var rows []flowstest.Row
	for _, f := range files {
		rows = append(rows, flowstest.Rows(t, f)...)
	}
	for _, r := range rows {
		at, input, want := r.Cols[0], r.Cols[1], r.Cols[2]
		flow, step, _ := strings.Cut(at, "/")
		got := chosen(t, e, cat, flow, step, input)
		total++
		switch {
		case got == want:
			ok++
		case got != "?":
			t.Errorf("%s: %s %q taken as %q, want %q: a misread", r.At, at, input, got, want)
		default:
			t.Logf("%s: %s %q not understood, want %q", r.At, at, input, want)
		}
	}
	t.Logf("choices at the real steps: %d of %d understood (%.1f%%)", ok, total, 100*float64(ok)/float64(total))
	if float64(ok) < 0.98*float64(total) {
		t.Errorf("understood %d of %d; want at least 98%%", ok, total)
	}
}

// chosen types input at flow's step in Hindi and says which option was
// taken, or "?" when the question is asked again.
func chosen(t *testing.T, e *flows.Engine, cat *locales.Catalog, flow, step, input string) string {
	t.Helper()
	rec := &answerRecorder{}
	e = e.WithServices(rec)
	vars := map[string]string{}
	switch {
	case flow == "invite" && step == "ask":
		vars = map[string]string{"training": "t1"}
	case flow == "invite":
		vars = map[string]string{"training": "t1", "answer": "no"}
	}
	st := flows.State{Lang: "hi", Stack: []flows.Frame{{Flow: flow, Step: step, Vars: vars}}, Fields: map[string]string{}}
	res, err := e.Step(context.Background(), st, flows.Input{Channel: "test", User: "u1", ID: "m1", Text: input}, t0)
	if err != nil {
		t.Fatalf("%s/%s %q: %v", flow, step, input, err)
	}
	if n := len(res.State.Stack); n > 0 && res.State.Stack[n-1].Flow == flow && res.State.Stack[n-1].Step == step {
		return "?"
	}
	if flow != "invite" {
		return res.State.Fields[step] // registration saves each answer under its step's id
	}
	if step == "ask" { // the invitation's yes, no or not sure
		switch {
		case rec.called:
			return rec.answer
		case len(res.State.Stack) > 0 && res.State.Stack[len(res.State.Stack)-1].Step == "reason":
			return "no" // the reason is asked next
		}
		return fmt.Sprintf("no answer (%+v)", res.State.Stack)
	}
	if n := len(res.State.Stack); n > 0 && res.State.Stack[n-1].Step == "reason_text" {
		return "other" // "something else": asked in the person's words
	}
	if !rec.called {
		return fmt.Sprintf("no answer (%+v)", res.State.Stack)
	}
	for _, v := range []string{"health", "work", "family", "travel", "away", "other"} {
		if rec.reason == cat.Text("hi", "invite.reason_"+v, nil) {
			return v
		}
	}
	return "other" // kept as typed
}
