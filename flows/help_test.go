package flows_test

import (
	"context"
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
)

// callLog answers every call a participant's word makes with a status no
// step names (so each flow takes its plain way on), and logs the calls;
// the rest goes to flowstest.Newcomer.
type callLog struct {
	flowstest.Newcomer
	calls []string
}

func (s *callLog) Call(ctx context.Context, name string, c flows.Call) (flows.CallResult, error) {
	switch name {
	case "training.mine", "checkin.find", "person.optout":
		s.calls = append(s.calls, name+c.Args["out"])
		return flows.CallResult{Status: "ok"}, nil
	}
	return s.Newcomer.Call(ctx, name, c)
}

// helpWords are the words मदद (help) lists, each with the call the
// flow it starts makes ("" for the engine's own commands) and a reply
// that shows the word was understood.
var helpWords = map[string][]struct{ word, call, reply string }{
	"hi": {
		{"प्रशिक्षण", "training.mine", ""},
		{"हाज़िरी", "checkin.find", ""},
		{"भाषा", "", "किस भाषा"},
		{"रद्द", "", "कोई बातचीत नहीं"},
		{"बंद करो", "person.optoutyes", ""},
		{"शुरू करो", "person.optoutno", ""},
		{"मदद", "", "मैं साथी हूँ"},
	},
	"en": {
		{"trainings", "training.mine", ""},
		{"check in", "checkin.find", ""},
		{"language", "", "Which language"},
		{"cancel", "", "Nothing is going on"},
		{"stop", "person.optoutyes", ""},
		{"resume", "person.optoutno", ""},
		{"help", "", "I am Saathi"},
	},
}

// TestHelpListsEveryWordAndEachWorks: help, in each language, names every
// word a participant can type, and each of those words, typed without a
// slash, does what help says: after switching to English, "trainings" and
// "check in" start their flows as /trainings and /checkin do.
func TestHelpListsEveryWordAndEachWorks(t *testing.T) {
	svc := &callLog{}
	c := &convo{t: t, e: flowstest.Engine(t, nil, nil).WithServices(svc), now: t0}
	for _, lang := range []string{"hi", "en"} {
		if lang == "en" {
			c.expect("भाषा", "English")
			c.expect("English", "we will talk in English")
		}
		help := c.say(map[string]string{"hi": "मदद", "en": "help"}[lang])
		for _, w := range helpWords[lang] {
			if !strings.Contains(help, w.word+" — ") {
				t.Errorf("%s help does not list %q:\n%s", lang, w.word, help)
			}
			c.st.Stack = nil // each word from a quiet chat
			svc.calls = nil
			out := c.say(w.word)
			if w.reply != "" && !strings.Contains(out, w.reply) {
				t.Errorf("%s %q: replies lack %q:\n%s", lang, w.word, w.reply, out)
			}
			if w.call != "" && (len(svc.calls) == 0 || svc.calls[0] != w.call) {
				t.Errorf("%s %q made calls %v, want %s first", lang, w.word, svc.calls, w.call)
			}
		}
		if c.st.Lang != lang && !(lang == "hi" && c.st.Lang == "") {
			t.Fatalf("language is %q after the %s words", c.st.Lang, lang)
		}
	}
}
