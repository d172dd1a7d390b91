package flows_test

import (
	"context"
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/flows/match"
	"github.com/saathi-bot/saathi/locales"
)

// midflowServices answers the calls of the invitation (answerRecorder),
// of check-in (a day open, its code 4821; a reply with no code, or with
// a number that is no code, is no_code as bot/services answers it) and of
// marking attendance; it keeps what was called.
type midflowServices struct {
	answerRecorder
	calls   []string
	present string // attend.mark's present
}

func (m *midflowServices) Call(ctx context.Context, name string, c flows.Call) (flows.CallResult, error) {
	m.calls = append(m.calls, name)
	day := map[string]string{"title": "जल प्रबंधन", "day": "1"}
	switch name {
	case "checkin.find":
		return flows.CallResult{Status: "ok", Fields: day}, nil
	case "checkin.code":
		switch code, kind := match.CheckinCode(c.Args["code"]); {
		case kind != match.CodeGiven:
			return flows.CallResult{Status: "no_code"}, nil
		case code == "4821":
			return flows.CallResult{Status: "ok", Fields: day}, nil
		}
		return flows.CallResult{Status: "wrong", Fields: map[string]string{"tries_left": "2"}}, nil
	case "attend.mark":
		m.present = c.Args["present"]
		return flows.CallResult{Status: "ok"}, nil
	}
	return m.answerRecorder.Call(ctx, name, c)
}

// TestWordsThatWorkAnywhereMidFlow plays the words that work anywhere
// (help, cancel, a language) at the real steps of the real flows, in
// Hindi, and replies that only contain such a word: the command is obeyed
// and the question waiting is asked again (or the talk is stopped); a real
// answer with such a word in it is that answer. A reminder's button label
// typed at the invitation starts check-in; "present ji" at a coordinator's
// present-or-absent question is that answer, not a check-in.
func TestWordsThatWorkAnywhereMidFlow(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	help, _, _ := strings.Cut(cat.Text("hi", "common.help", nil), "\n")
	cancelled := cat.Text("hi", "common.cancelled", nil)
	noCode := cat.Text("hi", "checkin.no_code", nil)
	travel := cat.Text("hi", "invite.reason_travel", nil)

	type want struct {
		at     string // the step waiting after it ("" for none), flow/step
		lang   string // the conversation's language after it
		reply  string // the first reply starts with it
		answer string // the invitation's answer booked ("" for none), "|" its reason (or its start)
		calls  string // a call made (checkin.find), or ""
	}
	for _, tc := range []struct {
		lang, at, input string
		want            want
	}{
		// The command is obeyed mid-flow.
		{"hi", "invite/ask", "रद्द करो", want{reply: cancelled}},
		{"hi", "invite/ask", "cancel kar do", want{reply: cancelled}},
		{"hi", "invite/reason", "रहने दो", want{reply: cancelled}},
		{"hi", "invite/ask", "समझ नहीं आया", want{at: "invite/ask", reply: help}},
		{"hi", "invite/ask", "kuch samajh nahi aa raha", want{at: "invite/ask", reply: help}},
		{"hi", "registration/name", "help karo", want{at: "registration/name", reply: help}},
		{"hi", "registration/name", "मेरी मदद करो", want{at: "registration/name", reply: help}},
		{"hi", "invite/ask", "english mein", want{at: "invite/ask", lang: "en", reply: "Okay"}},
		{"en", "invite/ask", "मुझे अंग्रेजी नहीं आती", want{at: "invite/ask", lang: "hi", reply: "ठीक है"}},
		{"hi", "checkin/ask", "ruk jao", want{reply: cancelled}},
		// A real answer with such a word in it is the answer.
		{"hi", "invite/reason", "बस नहीं मिली", want{answer: "no|" + travel}},
		{"hi", "invite/ask", "बस नहीं मिली", want{answer: "no|बस नहीं मिली"}},
		{"hi", "invite/reason_text", "बस नहीं मिली", want{answer: "no|बस नहीं मिली"}},
		{"hi", "invite/ask", "रहने दो, नहीं आ पाऊँगा", want{at: "invite/reason"}}, // the no taken, "रहने दो" no reason: it is asked
		{"hi", "invite/ask", "बस", want{at: "invite/ask"}},
		{"hi", "feedback/missing", "ट्रेनिंग में कुछ समझ नहीं आया", want{at: "feedback/followup"}},
		{"hi", "checkin/ask", "ruk jao main code dekh ke batata hu", want{at: "checkin/ask", reply: noCode}},
		{"hi", "checkin/ask", "2 min ruko", want{at: "checkin/ask", reply: noCode}},
		{"hi", "checkin/ask", "कोड 4821 है जी", want{reply: "✅", calls: "checkin.code"}},
		// Check-in from a reminder's button typed as text, not a new answer.
		{"hi", "invite/ask", "✅ हाज़िरी लगाएँ", want{at: "checkin/ask", calls: "checkin.find"}},
		{"hi", "invite/ask", "haazri 4821", want{at: "invite/ask", reply: "✅", calls: "checkin.code"}},
		{"hi", "invite/ask", "कोड 4821", want{at: "invite/ask", reply: "✅", calls: "checkin.code"}},
		{"hi", "attendance_fix/ask_present", "present ji", want{calls: "attend.mark"}},
	} {
		svc := &midflowServices{}
		e := flowstest.Engine(t, nil, nil).WithServices(svc)
		flow, step, _ := strings.Cut(tc.at, "/")
		vars := map[string]string{"training": "t1", "phone": "+919876512345", "day": "1"}
		if step != "ask" {
			vars["answer"] = "no"
		}
		st := flows.State{Lang: tc.lang, Stack: []flows.Frame{{Flow: flow, Step: step, Vars: vars}}, Fields: map[string]string{}}
		res, err := e.Step(context.Background(), st, flows.Input{Channel: "test", User: "u1", ID: "m1", Text: tc.input}, t0)
		if err != nil {
			t.Errorf("%s %q: %v", tc.at, tc.input, err)
			continue
		}
		got := want{lang: res.State.Lang, calls: ""}
		if n := len(res.State.Stack); n > 0 {
			got.at = res.State.Stack[n-1].Flow + "/" + res.State.Stack[n-1].Step
		}
		if len(res.Replies) > 0 {
			got.reply = res.Replies[0].Text
		}
		if svc.called {
			got.answer = svc.answer + "|" + svc.reason
		}
		if tc.want.lang == "" {
			tc.want.lang = tc.lang
		}
		if got.at != tc.want.at || got.lang != tc.want.lang || !strings.HasPrefix(got.reply, tc.want.reply) ||
			!strings.HasPrefix(got.answer, tc.want.answer) || (got.answer == "") != (tc.want.answer == "") {
			t.Errorf("%s %q: at %q, language %s, answered %q, first reply %.60q; want at %q, language %s, answered %q, a reply starting %.40q",
				tc.at, tc.input, got.at, got.lang, got.answer, got.reply, tc.want.at, tc.want.lang, tc.want.answer, tc.want.reply)
		}
		if tc.want.calls != "" && !strings.Contains(strings.Join(svc.calls, " "), tc.want.calls) {
			t.Errorf("%s %q: calls %v, want %s", tc.at, tc.input, svc.calls, tc.want.calls)
		}
		if tc.at == "attendance_fix/ask_present" && svc.present != "yes" {
			t.Errorf("%s %q: marked present %q, want yes", tc.at, tc.input, svc.present)
		}
	}
}

// TestLanguageQuestionAtTheRealStep answers the language question, asked
// while an invitation waits, the ways people do: the language is switched
// and the invitation asked again, once; "hindi mein" (a word that works
// anywhere) answers the question too instead of asking it again. A reply
// that names no one language asks again.
func TestLanguageQuestionAtTheRealStep(t *testing.T) {
	e := flowstest.Engine(t, nil, nil).WithServices(&midflowServices{})
	for in, want := range map[string]string{
		"en": "en", "EN": "en", "English": "en", "english please": "en", "angreji": "en", "इंग्लिश": "en",
		"Inglish": "en", "अंग्रेजी में": "en", "English me baat karo": "en", "english wala": "en",
		"hi": "hi", "Hi": "hi", "हिन्दी": "hi", "hindee": "hi", "Hindi me": "hi", "hindi mein": "hi",
		"हिंदी ही ठीक है": "hi", "हिंदी 🙏": "hi",
		"दोनों": "", "कोई भी": "", "pata nahi": "", "हिंदी और अंग्रेजी": "",
	} {
		lang := "en" // from English to Hindi and back, to see the switch
		if want == "en" {
			lang = "hi"
		}
		st := flows.State{Lang: lang, Fields: map[string]string{}, Stack: []flows.Frame{
			{Flow: "invite", Step: "ask", Vars: map[string]string{"training": "t1"}},
			{Flow: flows.LanguageFlow, Step: "pick"},
		}}
		res, err := e.Step(context.Background(), st, flows.Input{Channel: "test", User: "u1", ID: "m1", Text: in}, t0)
		if err != nil {
			t.Fatal(err)
		}
		top := res.State.Stack[len(res.State.Stack)-1]
		switch {
		case want == "" && (top.Flow != flows.LanguageFlow || res.State.Lang != lang):
			t.Errorf("%q: language %s, waiting %s/%s; want the language question asked again", in, res.State.Lang, top.Flow, top.Step)
		case want != "" && (res.State.Lang != want || top.Flow != "invite" || top.Step != "ask" || len(res.State.Stack) != 1 || len(res.Replies) != 2):
			t.Errorf("%q: language %s, stack %v, %d replies; want %s, the invitation asked again, once", in, res.State.Lang, res.State.Stack, len(res.Replies), want)
		}
	}
}

// TestCheckinStartedAgain: the check-in word typed at check-in's own
// question starts it afresh, not above itself (after "✅ हाज़िरी लग गई"
// nothing asks for the code again); and a code typed with the word one
// day ("haazri 4821") is not tried again when the word alone comes the
// next day: no wrong code is counted for a code nobody typed.
func TestCheckinStartedAgain(t *testing.T) {
	svc := &midflowServices{}
	e := flowstest.Engine(t, nil, nil).WithServices(svc)
	st := flows.State{Lang: "hi", Fields: map[string]string{}, Stack: []flows.Frame{{Flow: "checkin", Step: "ask", Vars: map[string]string{}}}}
	for _, step := range []struct {
		in      string
		stack   int // frames waiting after it
		replies int
	}{
		{"हाज़िरी", 1, 1},     // afresh: the question once, one frame
		{"haazri 4821", 0, 1}, // done, and nothing asked after it
		{"हाज़िरी", 1, 1},     // the next day: asked for the code, 4821 not tried
	} {
		svc.calls = nil
		res, err := e.Step(context.Background(), st, flows.Input{Channel: "test", User: "u1", ID: "m1", Text: step.in}, t0)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.State.Stack) != step.stack || len(res.Replies) != step.replies {
			t.Errorf("%q: %d waiting (%v), %d replies; want %d, %d", step.in, len(res.State.Stack), res.State.Stack, len(res.Replies), step.stack, step.replies)
		}
		if step.in == "हाज़िरी" && strings.Contains(strings.Join(svc.calls, " "), "checkin.code") {
			t.Errorf("%q: calls %v: a code was tried that was not typed", step.in, svc.calls)
		}
		st = res.State
	}
}
