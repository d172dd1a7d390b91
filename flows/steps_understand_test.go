package flows_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/locales"
)

// okServices answers every call with ok: the step after a number, a
// rating or a date may call the services (report.check), which have
// nothing to refuse here.
type okServices struct{}

func (okServices) Call(context.Context, string, flows.Call) (flows.CallResult, error) {
	return flows.CallResult{Status: "ok"}, nil
}

// stepsAsked is when the replies of steps*.tsv are typed: Tuesday 1
// December 2026, 10:00 IST, as in flows/match's TestUnderstand.
var stepsAsked = time.Date(2026, 12, 1, 10, 0, 0, 0, locales.IST)

// TestNumbersAtTheRealSteps plays the replies of
// testdata/understand/steps*.tsv, written the way people type them, at
// the number, rating and date questions of the real flows (the SHG
// report's members, meetings, last meeting, savings, accounts, loans and
// their amount; the feedback's rating; a new training's date and days), in
// Hindi, with each step's bounds and direction: a count above the step's
// most, or a past date for a training, is asked again like a reply not
// understood. It checks that at least 98 % are understood and that none
// is saved as another value.
//
// Columns: flow/step, input, the value saved ("-" for an optional date
// left empty), or "?" for asked again.
func TestNumbersAtTheRealSteps(t *testing.T) {
	e := flowstest.Engine(t, nil, nil).WithServices(okServices{})
	files, err := filepath.Glob(filepath.Join("testdata", "understand", "steps*.tsv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/understand/steps*.tsv: %v", err)
	}
	total, ok := 0, 0
	for _, f := range files {
		for _, r := range flowstest.Rows(t, f) {
			at, input, want := r.Cols[0], r.Cols[1], r.Cols[2]
			flow, step, _ := strings.Cut(at, "/")
			got := saved(t, e, flow, step, input)
			total++
			switch {
			case got == want:
				ok++
			case got != "?":
				t.Errorf("%s: %s %q saved as %q, want %q: a misread", r.At, at, input, got, want)
			default:
				t.Logf("%s: %s %q asked again, want %q", r.At, at, input, want)
			}
		}
	}
	t.Logf("numbers, ratings and dates at the real steps: %d of %d understood (%.1f%%)", ok, total, 100*float64(ok)/float64(total))
	if float64(ok) < 0.98*float64(total) {
		t.Errorf("understood %d of %d; want at least 98%%", ok, total)
	}
}

// saved types input at flow's step in Hindi and says what the step saved,
// or "?" when it asks again.
func saved(t *testing.T, e *flows.Engine, flow, step, input string) string {
	t.Helper()
	vars := map[string]string{"training": "t1", "title": "जल जीवन मिशन", "modules": "पानी की जाँच|बजट"}
	st := flows.State{Lang: "hi", Stack: []flows.Frame{{Flow: flow, Step: step, Vars: vars}}, Fields: map[string]string{}}
	res, err := e.Step(context.Background(), st, flows.Input{Channel: "test", User: "u1", ID: "m1", Text: input}, stepsAsked)
	if err != nil {
		t.Fatalf("%s/%s %q: %v", flow, step, input, err)
	}
	n := len(res.State.Stack)
	if n == 0 || res.State.Stack[0].Flow != flow {
		t.Fatalf("%s/%s %q: the flow ended or went elsewhere: %+v", flow, step, input, res.State.Stack)
	}
	top := res.State.Stack[0]
	if top.Step == step {
		return "?"
	}
	field := step // each of these steps saves under its own id
	v, ok := top.Vars[field]
	if !ok {
		v, ok = res.State.Fields[field]
	}
	switch {
	case !ok:
		t.Fatalf("%s/%s %q: went on to %s without saving %s", flow, step, input, top.Step, field)
	case v == "":
		return "-"
	}
	return v
}

// TestEachAmountAskedForTotal: an amount of each member at the savings
// question is asked again for the total, not given back as an example.
func TestEachAmountAskedForTotal(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := flowstest.Engine(t, nil, nil).WithServices(okServices{})
	for _, in := range []string{"हर सदस्य 100 रुपये", "हर दीदी ने 100 जमा किए", "each member 100"} {
		st := flows.State{Lang: "hi", Stack: []flows.Frame{{Flow: "shg_report", Step: "savings", Vars: map[string]string{}}}, Fields: map[string]string{}}
		res, err := e.Step(context.Background(), st, flows.Input{Channel: "test", User: "u1", ID: "m1", Text: in}, stepsAsked)
		if err != nil {
			t.Fatal(err)
		}
		want := cat.Text("hi", "common.retry_number_total", nil)
		if len(res.Replies) == 0 || !strings.Contains(res.Replies[0].Text, want) {
			t.Errorf("%q at the savings: %+v, want %q", in, res.Replies, want)
		}
		if top := res.State.Stack[0]; top.Step != "savings" || top.Vars["savings"] != "" {
			t.Errorf("%q at the savings: went on to %s, saved %q", in, top.Step, top.Vars["savings"])
		}
	}
}
