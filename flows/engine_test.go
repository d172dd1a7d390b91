package flows_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/locales"
)

var t0 = time.Date(2026, 11, 23, 11, 0, 0, 0, locales.IST)

// convo is one user's conversation with an engine, for tests.
type convo struct {
	t    *testing.T
	e    *flows.Engine
	st   flows.State
	now  time.Time
	n    int
	recs []flows.Record
	last []flows.Reply
	// typed is every text input so far (flowstest.NoEnglish).
	typed []string
}

func newConvo(t *testing.T, extraFlows, extraMsgs fstest.MapFS) *convo {
	t.Helper()
	return &convo{t: t, e: flowstest.Engine(t, extraFlows, extraMsgs), now: t0}
}

func (c *convo) send(in flows.Input) string {
	c.t.Helper()
	c.n++
	in.Channel, in.User, in.ID = "test", "u1", string(rune('a'+c.n))
	res, err := c.e.Step(context.Background(), c.st, in, c.now)
	if err != nil {
		c.t.Fatalf("step: %v", err)
	}
	c.typed = append(c.typed, in.Text)
	flowstest.NoEnglish(c.t, c.st, res, c.typed)
	c.st, c.last = res.State, res.Replies
	c.recs = append(c.recs, res.Records...)
	c.now = c.now.Add(time.Minute)
	var b strings.Builder
	for _, r := range res.Replies {
		b.WriteString(r.Text)
		for i, o := range r.Options {
			b.WriteString("\n" + string(rune('1'+i)) + ") " + o.Label)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func (c *convo) say(text string) string { return c.send(flows.Input{Text: text}) }

// expect says text and checks every want appears in the replies.
func (c *convo) expect(text string, wants ...string) string {
	c.t.Helper()
	out := c.say(text)
	for _, w := range wants {
		if !strings.Contains(out, w) {
			c.t.Fatalf("after %q: replies lack %q:\n%s", text, w, out)
		}
	}
	return out
}

func (c *convo) step() string {
	if len(c.st.Stack) == 0 {
		return ""
	}
	top := c.st.Stack[len(c.st.Stack)-1]
	return top.Flow + "." + top.Step
}

func (c *convo) wantStep(step string) {
	c.t.Helper()
	if got := c.step(); got != step {
		c.t.Fatalf("at step %q, want %q", got, step)
	}
}

func TestRegistrationInHindi(t *testing.T) {
	c := newConvo(t, nil, nil)
	c.expect("नमस्ते", "मैं साथी हूँ", "अपना नंबर भेजें")
	if c.last[0].Request != flows.RequestContact || c.last[0].RequestLabel == "" {
		t.Fatalf("phone question asks no contact: %+v", c.last[0])
	}
	out := c.send(flows.Input{Contact: &flows.Contact{Phone: "919018159083", Own: true}})
	if !strings.Contains(out, "पंजीकरण कर लेते हैं") || !strings.Contains(out, "आपका पूरा नाम क्या है?") {
		t.Fatalf("not on the roster: %s", out)
	}
	c.expect("सरिता राजभर", "आप महिला हैं या पुरुष?", "1) 👩 महिला", "3) नहीं बताना")
	c.expect("महिला", "आप किस पद पर हैं?", "1) सभासद", "4) SHG सदस्य")
	c.expect("१", "किस ज़िले")
	c.expect("सोनभद्र", "ब्लॉक या नगर निकाय")
	c.expect("नगर पंचायत अनपरा", "वार्ड नंबर")
	c.expect("172 खाते", "1 से 150 के बीच", "वार्ड नंबर") // out of range: re-asked
	out = c.expect("३", "क्या सब सही है?")                // the shared number is not asked again
	for _, want := range []string{"नाम: सरिता राजभर", "पद: सभासद", "वार्ड: 3", "मोबाइल: 90181 59083", "क्या सब सही है?"} {
		if !strings.Contains(out, want) {
			t.Fatalf("summary lacks %q:\n%s", want, out)
		}
	}
	c.expect("haan", "धन्यवाद, सरिता राजभर जी", "पंजीकरण दर्ज")
	if len(c.st.Stack) != 0 || c.st.Fields["status"] != "pending" {
		t.Fatalf("after registration: %+v", c.st)
	}
	want := map[string]string{"name": "सरिता राजभर", "gender": "f", "role": "sabhasad", "district": "सोनभद्र", "body": "नगर पंचायत अनपरा", "ward": "3", "phone": "+919018159083"}
	if len(c.recs) != 1 || c.recs[0].Kind != "pending_person" || c.recs[0].Key != "test:u1" {
		t.Fatalf("records = %+v", c.recs)
	}
	for k, v := range want {
		if c.recs[0].Fields[k] != v {
			t.Errorf("record %s = %q, want %q", k, c.recs[0].Fields[k], v)
		}
	}
	// Writing again now: waiting for approval.
	c.expect("hello", "मंज़ूरी के लिए")
}

func TestRegistrationSkipsWardForPradhanAndTakesTypedPhone(t *testing.T) {
	c := newConvo(t, nil, nil)
	c.expect("/start", "अपना नंबर भेजें")
	c.expect("12345", "सही नहीं लगता", "अपना नंबर भेजें")
	c.expect("+91 98765 43210", "आपका पूरा नाम")
	c.say("रामू यादव")
	c.say("पुरुष")
	c.expect("प्रधान", "किस ज़िले") // the label typed
	c.say("सोनभद्र")
	out := c.expect("मैथा", "मोबाइल: 98765 43210", "पद: प्रधान") // no ward for a pradhan
	if strings.Contains(out, "वार्ड") {
		t.Fatalf("summary shows a ward for a pradhan:\n%s", out)
	}
	c.expect("👍", "धन्यवाद")
}

func TestCorrectOneFieldFromSummary(t *testing.T) {
	c := newConvo(t, nil, nil)
	for _, s := range []string{"hi", "9018159083", "Sarita", "1", "1", "सोनभद्र", "अनपरा", "1"} {
		c.say(s)
	}
	c.wantStep("registration.confirm")
	c.expect("नही", "क्या बदलना है?", "1) नाम")
	c.expect("1", "आपका पूरा नाम क्या है?")
	c.expect("सरिता राजभर", "नाम: सरिता राजभर", "क्या सब सही है?") // back to the summary, not on to role
	c.expect("2", "क्या बदलना है?")                                // 2 = the second option, "कुछ बदलना है"
	c.expect("पद", "आप किस पद पर हैं?")
	c.expect("पार्षद", "पद: पार्षद", "क्या सब सही है?")
	c.expect("जी हाँ", "धन्यवाद, सरिता राजभर जी")
	if c.recs[0].Fields["role"] != "parshad" || c.recs[0].Fields["name"] != "सरिता राजभर" {
		t.Fatalf("record = %+v", c.recs[0].Fields)
	}
}

func TestButtonsAndStaleButtons(t *testing.T) {
	c := newConvo(t, nil, nil)
	c.say("नमस्ते")
	c.say("9018159083")
	c.say("सरिता")
	c.say("नहीं बताना")
	role := c.last[0]
	if len(role.Options) != 6 || role.Options[2].Data != "registration.role:pradhan" {
		t.Fatalf("role options = %+v", role.Options)
	}
	c.send(flows.Input{Choice: role.Options[1].Data})
	c.wantStep("registration.district")
	if c.st.Fields["role"] != "parshad" {
		t.Fatalf("role = %q", c.st.Fields["role"])
	}
	// The role button pressed again, now that the question is the district.
	out := c.send(flows.Input{Choice: role.Options[0].Data})
	if !strings.Contains(out, "पुराने सवाल") || !strings.Contains(out, "किस ज़िले") || c.st.Fields["role"] != "parshad" {
		t.Fatalf("stale button: %q, role %q", out, c.st.Fields["role"])
	}
}

func TestRetriesEndPolitely(t *testing.T) {
	c := newConvo(t, nil, nil)
	c.say("नमस्ते")
	c.say("9018159083")
	c.say("सरिता")
	c.say("👩 महिला")
	c.expect("क्या?", "समझ नहीं आया", "1) सभासद")
	c.expect("blah", "अब बस 1 मौका बचा है", "1) सभासद")
	c.expect("???", "कोई बात नहीं", "'नमस्ते' लिखकर")
	if len(c.st.Stack) != 0 {
		t.Fatalf("stack after giving up: %+v", c.st.Stack)
	}
	c.expect("नमस्ते", "अपना नंबर भेजें") // and starts again when they come back
}

func TestMediaWhereTextExpected(t *testing.T) {
	c := newConvo(t, nil, nil)
	c.say("नमस्ते")
	c.say("9018159083")
	for _, media := range []string{"voice", "sticker", "photo", "voice"} {
		out := c.send(flows.Input{Media: media})
		if !strings.Contains(out, "लिखकर भेज दें") || !strings.Contains(out, "आपका पूरा नाम") {
			t.Fatalf("%s: %q", media, out)
		}
	}
	c.wantStep("registration.name") // never gave up: media is not a wrong answer
	if !strings.Contains(c.send(flows.Input{Media: "voice"}), "आवाज़ वाला संदेश") {
		t.Fatal("voice hint does not name the voice message")
	}
}

func TestContactMustBeOwn(t *testing.T) {
	c := newConvo(t, nil, nil)
	c.say("hi")
	c.wantStep("main.ask_contact")
	out := c.send(flows.Input{Contact: &flows.Contact{Phone: "919131860913", Own: false}})
	if !strings.Contains(out, "अपना ही नंबर") {
		t.Fatalf("someone else's contact: %q", out)
	}
	c.wantStep("main.ask_contact")
}

func TestGlobalCommands(t *testing.T) {
	c := newConvo(t, nil, nil)
	c.say("नमस्ते")
	c.say("9018159083")
	c.say("Sarita")
	c.say("f")
	c.expect("मदद", "मैं साथी हूँ", "रद्द", "आप किस पद पर हैं?") // help, then the question again
	c.wantStep("registration.role")
	c.expect("/language", "किस भाषा", "English")
	c.expect("2", "we will talk in English", "What is your post?", "1) Ward member") // question again, in English
	c.expect("3", "Which district")
	c.expect("cancel", "stopped")
	if len(c.st.Stack) != 0 {
		t.Fatalf("cancel left %+v", c.st.Stack)
	}
	c.expect("/cancel", "Nothing is going on")
	c.expect("भाषा", "Which language")
	c.expect("हिंदी", "हिंदी में बात करेंगे")
	c.expect("/start", "अपना नंबर भेजें")
	if c.st.Fields["name"] != "Sarita" {
		t.Fatal("fields lost")
	}
	c.expect("/help@saathi_bot", "मैं साथी हूँ")
}

func TestIdleConversationExpires(t *testing.T) {
	c := newConvo(t, nil, nil)
	c.say("नमस्ते")
	c.say("9018159083")
	c.say("Sarita")
	c.now = c.now.Add(31 * time.Minute)
	c.expect("1", "बहुत देर से रुकी", "अपना नंबर भेजें")
	c.wantStep("main.ask_contact")
	c.expect("9018159083", "आपका पूरा नाम")
	c.now = c.now.Add(29 * time.Minute)
	c.expect("Sarita", "आप महिला हैं या पुरुष?")
}

func TestStartsInRequestedLanguage(t *testing.T) {
	c := newConvo(t, nil, nil)
	out := c.send(flows.Input{Text: "hi", Lang: "en"})
	if !strings.Contains(out, "press the button below to send your number") {
		t.Fatalf("lang en: %q", out)
	}
}

// rsvp is a small flow for the kinds registration does not use.
var rsvpFlow = fstest.MapFS{"rsvp.yaml": {Data: []byte(`
id: rsvp
max_tries: 2
steps:
  - {id: come, type: ask_yesno, prompt: t.come, maybe: true, save: come, on_yes: when, on_no: why, on_maybe: later,
     labels: {yes: t.yes, no: t.no, maybe: t.maybe}}
  - {id: why, type: ask_text, prompt: t.why, max_len: 10, save: why, next: bye}
  - {id: later, type: end, message: t.later}
  - {id: when, type: ask_date, prompt: t.when, future: true, save: day, next: where}
  - {id: where, type: ask_location, prompt: t.where, save: at, next: count}
  - {id: count, type: ask_number, prompt: t.count, min: 0, save: n, next: bye}
  - {id: bye, type: end, message: t.bye}
`)}, "main.yaml": {Data: []byte(`
id: main
steps:
  - {id: go, type: start_flow, flow: rsvp}
`)}}

var rsvpMsgs = fstest.MapFS{
	"t.hi.yaml": {Data: []byte(`{"t.come": "आएँगे?", "t.yes": "आऊँगा", "t.no": "नहीं आ पाऊँगा", "t.maybe": "अभी पता नहीं", "t.why": "क्यों?", "t.later": "बाद में बताइए", "t.when": "कब?", "t.where": "कहाँ?", "t.count": "कितने?", "t.bye": "दिन {{.day_label}}"}`)},
	"t.en.yaml": {Data: []byte(`{"t.come": "Coming?", "t.yes": "Coming", "t.no": "Cannot come", "t.maybe": "Not sure", "t.why": "Why?", "t.later": "Tell later", "t.when": "When?", "t.where": "Where?", "t.count": "How many?", "t.bye": "day {{.day_label}}"}`)},
}

func TestYesNoNeverReadsNotSureAsNo(t *testing.T) {
	for _, answer := range []string{"पता नहीं", "pata nahi", "शायद", "3", "अभी पता नहीं"} {
		c := newConvo(t, rsvpFlow, rsvpMsgs)
		c.expect("hi", "आएँगे?", "1) आऊँगा", "3) अभी पता नहीं")
		c.expect(answer, "बाद में बताइए")
		if c.st.Fields["come"] != "maybe" {
			t.Errorf("%q saved as %q, want maybe", answer, c.st.Fields["come"])
		}
	}
	for answer, want := range map[string]string{"नही": "no", "nahi": "no", "👎": "no", "नहीं आ पाऊँगा": "no", "haan": "yes", "आऊंगा": "yes", "1": "yes", "2": "no"} {
		c := newConvo(t, rsvpFlow, rsvpMsgs)
		c.say("hi")
		c.say(answer)
		if c.st.Fields["come"] != want {
			t.Errorf("%q saved as %q, want %s", answer, c.st.Fields["come"], want)
		}
	}
}

func TestDateLocationNumberAndTextLimits(t *testing.T) {
	c := newConvo(t, rsvpFlow, rsvpMsgs)
	c.say("hi")
	c.say("हाँ")
	c.expect("1/1/2020", "बीत चुकी", "अब बस 1 मौका बचा है", "कब?")
	c.expect("कल्पना", "कोई बात नहीं") // the second bad answer of max_tries 2 ends the flow
	c.wantStep("")
	c.say("hi")
	c.say("हाँ")
	c.expect("5 दिसंबर", "कहाँ?")
	if c.st.Fields["day"] != "2026-12-05" {
		t.Fatalf("day = %q", c.st.Fields["day"])
	}
	c.expect("सोनभद्र", "जगह भेजें")
	c.send(flows.Input{Location: &flows.Location{Lat: 24.2, Lon: 82.8}})
	if c.st.Fields["at"] != "24.200000,82.800000" {
		t.Fatalf("at = %q", c.st.Fields["at"])
	}
	c.expect("-3", "0 या उससे ज़्यादा")
	c.expect("चार", "दिन शनिवार, 5 दिसंबर")
	if c.st.Fields["n"] != "4" {
		t.Fatalf("n = %q", c.st.Fields["n"])
	}
	c = newConvo(t, rsvpFlow, rsvpMsgs)
	c.say("hi")
	c.say("no")
	c.expect("बहुत लंबा जवाब है यह", "10 अक्षरों", "क्यों?")
}

func TestLoadReportsProblemsWithFileAndStep(t *testing.T) {
	bad := fstest.MapFS{"broken.yaml": {Data: []byte(`
id: broken
steps:
  - {id: a, type: ask_text, prompt: reg.ask_name, next: nowhere}
  - {id: island, type: send, message: reg.welcome}
  - {id: odd, type: teleport}
  - {id: b, type: start_flow, flow: ghost}
`)}}
	_, err := flows.Load(bad)
	if err == nil {
		t.Fatal("no problems reported")
	}
	msg := err.Error()
	for _, want := range []string{
		`broken.yaml: step a: goes to unknown step "nowhere"`,
		`broken.yaml: step island: unreachable`,
		`broken.yaml: step odd: unknown step type "teleport"`,
		`broken.yaml: step b: starts unknown flow "ghost"`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("problems lack %q:\n%s", want, msg)
		}
	}
}

func TestCheckMessagesNamesMissingTranslation(t *testing.T) {
	set, err := flows.Load(rsvpFlow)
	if err != nil {
		t.Fatal(err)
	}
	onlyHindi := fstest.MapFS{"t.hi.yaml": rsvpMsgs["t.hi.yaml"], "t.en.yaml": {Data: []byte(`{"t.come": "Coming?"}`)}}
	cat, err := locales.Load(onlyHindi)
	if err != nil {
		t.Fatal(err)
	}
	ps := set.CheckMessages(cat)
	if !strings.Contains(ps.Error(), `rsvp.yaml: step why: message "t.why" is missing in "en"`) {
		t.Fatalf("problems:\n%v", ps)
	}
	full, _ := locales.Load(rsvpMsgs)
	if ps := set.CheckMessages(full); len(ps) != 0 {
		t.Fatalf("complete messages reported: %v", ps)
	}
}

func TestEmbeddedFlowsAreClean(t *testing.T) {
	set, err := flows.Load()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	if ps := set.CheckMessages(cat); len(ps) > 0 {
		t.Fatal(ps)
	}
}

// BenchmarkRegistration runs one whole registration, eight messages, per
// iteration through the engine, with in-memory services (no store, no channel).
func BenchmarkRegistration(b *testing.B) {
	e := flowstest.Engine(b, nil, nil)
	script := []string{"नमस्ते", "9876543210", "सरिता देवी", "1", "सोनभद्र", "नगर पंचायत अनपरा", "७", "हाँ"}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		user := strconv.Itoa(n) // the services remember who registered
		var st flows.State
		for i, text := range script {
			res, err := e.Step(context.Background(), st, flows.Input{Channel: "bench", User: user, ID: string(rune('a' + i)), Text: text}, t0)
			if err != nil {
				b.Fatal(err)
			}
			st = res.State
		}
		if len(st.Stack) != 0 || st.Fields["status"] != "pending" {
			b.Fatalf("registration did not finish: %+v", st)
		}
	}
}

// On a channel without buttons (WhatsApp, the terminal) the same flows say
// "type it" where Telegram says "press the button below".
func TestPlainChannelsAreNotToldOfButtons(t *testing.T) {
	for _, plain := range []bool{false, true} {
		c := newConvo(t, nil, nil)
		if plain {
			c.e = c.e.WithPlainChannels("test")
		}
		outs := []string{c.say("/start"), c.say("12345"), c.say("मदद")}
		for i, out := range outs {
			if strings.Contains(out, "बटन") != !plain {
				t.Errorf("plain %v: reply %d should mention a button: %v; it says:\n%s", plain, i, !plain, out)
			}
		}
		if plain && !strings.Contains(outs[0], "10 अंकों का मोबाइल नंबर लिखकर भेजें") {
			t.Errorf("plain: the first question does not say to type the number:\n%s", outs[0])
		}
	}
}

func TestChoiceValue(t *testing.T) {
	for data, want := range map[string]string{
		"invite.ask:yes@T1": "yes", "feedback.rating:4": "4", "cmd:/checkin": "", "junk": "",
	} {
		if got := flows.ChoiceValue(data); got != want {
			t.Errorf("ChoiceValue(%q) = %q, want %q", data, got, want)
		}
	}
}

// The Hindi cancel texts tell people to write नमस्ते (not /start), and
// नमस्ते does start the conversation again when nothing is going on.
func TestCancelledSaysNamasteAndNamasteStarts(t *testing.T) {
	c := newConvo(t, nil, nil)
	c.say("नमस्ते")
	c.say("9018159083")
	c.expect("रद्द करो", "'नमस्ते' लिखें")
	if len(c.st.Stack) != 0 {
		t.Fatalf("cancel left %+v", c.st.Stack)
	}
	c.expect("रद्द", "अभी कोई बातचीत नहीं चल रही", "'नमस्ते' लिखें")
	c.expect("नमस्ते", "अपना नंबर भेजें")
	c.wantStep("main.ask_contact")
}

// A registration as समन्वयक or अन्य shows the Hindi label in the summary
// (another flow saves a field "role" from fewer options), and the phone as
// people read it.
func TestRegistrationSummaryInHindiWords(t *testing.T) {
	for typed, label := range map[string]string{"समन्वयक": "पद: समन्वयक", "अन्य": "पद: अन्य"} {
		c := newConvo(t, nil, nil)
		c.say("नमस्ते")
		c.say("9876512345")
		c.say("रामू यादव")
		c.say("पुरुष")
		c.say(typed)
		c.say("सोनभद्र")
		out := c.expect("मैथा", label, "मोबाइल: 98765 12345")
		if strings.Contains(out, "+91") || strings.Contains(out, "coordinator") || strings.Contains(out, "other") {
			t.Fatalf("summary has English or +91:\n%s", out)
		}
	}
}

// TestLabelsKeptPerLanguageAndGender: the engine keeps rendered labels,
// and a label kept for one person is never shown to another of another
// gender or language.
func TestLabelsKeptPerLanguageAndGender(t *testing.T) {
	msgs := fstest.MapFS{
		"t.hi.yaml": {Data: []byte(`{"t.come": "आएँगे?", "t.yes": "{{if eq .gender \"f\"}}आऊँगी{{else if eq .gender \"m\"}}आऊँगा{{else}}हाँ, ज़रूर{{end}}", "t.no": "नहीं", "t.maybe": "पता नहीं", "t.why": "क्यों?", "t.later": "बाद में", "t.when": "कब?", "t.where": "कहाँ?", "t.count": "कितने?", "t.bye": "ठीक"}`)},
		"t.en.yaml": {Data: []byte(`{"t.come": "Coming?", "t.yes": "{{if eq .gender \"f\"}}Yes (f){{else}}Yes{{end}}", "t.no": "No", "t.maybe": "Not sure", "t.why": "Why?", "t.later": "Later", "t.when": "When?", "t.where": "Where?", "t.count": "How many?", "t.bye": "OK"}`)},
	}
	e := flowstest.Engine(t, rsvpFlow, msgs)
	for _, tc := range []struct{ lang, gender, want string }{
		{"hi", "f", "आऊँगी"}, {"hi", "m", "आऊँगा"}, {"hi", "", "हाँ, ज़रूर"}, {"hi", "f", "आऊँगी"},
		{"en", "f", "Yes (f)"}, {"en", "m", "Yes"}, {"hi", "m", "आऊँगा"}, {"hi", "x", "हाँ, ज़रूर"},
	} {
		st := flows.State{Lang: tc.lang, Fields: map[string]string{"gender": tc.gender}}
		res, err := e.Step(context.Background(), st, flows.Input{Channel: "test", User: "u", ID: "1", Text: "hi"}, t0)
		if err != nil {
			t.Fatal(err)
		}
		last := res.Replies[len(res.Replies)-1]
		if len(last.Options) == 0 || last.Options[0].Label != tc.want {
			t.Errorf("%s, gender %q: options %+v, want the first %q", tc.lang, tc.gender, last.Options, tc.want)
		}
	}
}
