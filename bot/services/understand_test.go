package services_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store/training"
)

// declineReason is the reason stored for phone's no to tr.
func (f *fixture) declineReason(t *testing.T, tr training.Training, phone string) (status, reason string) {
	t.Helper()
	rows, err := f.svc.Trainings.Rows(f.ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Phone == phone {
			return r.Status, r.Reason
		}
	}
	t.Fatalf("%s is not invited", phone)
	return "", ""
}

// saritaInvited: सरिता, linked on Telegram, invited to a training at
// अनपरा on 10 December, and her chat.
func saritaInvited(t *testing.T) (*fixture, training.Training, *stepper) {
	f := setup(t)
	c := tg("1001")
	f.link(t, c, sarita)
	tr := f.training(t, training.Spec{Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2026-12-10T10:00", Modules: []string{"जल"}, Invite: "role=sabhasad,body=" + anpara})
	return f, tr, f.stepper(t, c)
}

// TestDeclineWithItsReasonInOneMessage: at the real invitation, a no typed
// with its reason, in a woman's words, is stored with that reason and the
// person is not asked for it again; a reason the word lists do not know is
// kept as typed too.
func TestDeclineWithItsReasonInOneMessage(t *testing.T) {
	f, tr, s := saritaInvited(t)
	at := ist("2026-12-05 10:00")
	s.in(flows.Input{Event: &flows.Event{Flow: "invite", Vars: map[string]string{"training": tr.ID}}}, at)
	out := strings.Join(replyTexts(s.say("नहीं आ पाऊँगी, उस दिन बेटी की शादी है", at)), "\n")
	if want := f.hi("invite.said_no", nil); !strings.Contains(out, want) {
		t.Fatalf("after a no with its reason: %q, want %q (the reason is not asked again)", out, want)
	}
	if status, reason := f.declineReason(t, tr, sarita); status != "no" || reason != "उस दिन बेटी की शादी है" {
		t.Fatalf("stored %q with reason %q", status, reason)
	}
	if len(s.st.Stack) != 0 {
		t.Fatalf("the invitation still waits: %+v", s.st.Stack)
	}

	// A reason no list names: stored as typed, under "something else".
	s.in(flows.Input{Event: &flows.Event{Flow: "invite", Vars: map[string]string{"training": tr.ID}}}, at)
	s.say("nahi aa paungi, us din gaon me mela hai", at)
	if status, reason := f.declineReason(t, tr, sarita); status != "no" || reason != "us din gaon me mela hai" {
		t.Fatalf("stored %q with reason %q", status, reason)
	}
}

// TestDeclineReasonTypedAtTheReasonQuestion: a plain no asks the reason;
// the reason typed as people write it picks the listed reason.
func TestDeclineReasonTypedAtTheReasonQuestion(t *testing.T) {
	f, tr, s := saritaInvited(t)
	at := ist("2026-12-05 10:00")
	s.in(flows.Input{Event: &flows.Event{Flow: "invite", Vars: map[string]string{"training": tr.ID}}}, at)
	out := strings.Join(replyTexts(s.say("नहीं", at)), "\n")
	if want := f.hi("invite.ask_reason", nil); !strings.Contains(out, want) {
		t.Fatalf("after a plain no: %q, want the reason question", out)
	}
	s.say("कटाई चल रही है", at)
	if status, reason := f.declineReason(t, tr, sarita); status != "no" || reason != f.hi("invite.reason_work", nil) {
		t.Fatalf("stored %q with reason %q, want work's label", status, reason)
	}
}

// TestInvitationAnswersInEveryForm: at the real invitation, a woman's and a
// group's yes, a conditional and a contradiction are read as a person
// would: yes, yes, not sure, and asked again.
func TestInvitationAnswersInEveryForm(t *testing.T) {
	f, tr, s := saritaInvited(t) // one chat: its message ids go on, as on the wire
	at := ist("2026-12-05 10:00")
	for _, tc := range []struct{ say, status string }{
		{"हाँ जी, आ रही हूँ", "yes"},
		{"हम सब आएँगे", "yes"},
		{"अगर छुट्टी मिली तो आऊँगी", "maybe"},
		{"zaroor aaungi 👍", "yes"},
	} {
		s.in(flows.Input{Event: &flows.Event{Flow: "invite", Vars: map[string]string{"training": tr.ID}}}, at)
		s.say(tc.say, at)
		if status, _ := f.declineReason(t, tr, sarita); status != tc.status {
			t.Errorf("%q stored as %q, want %q", tc.say, status, tc.status)
		}
	}
	s.in(flows.Input{Event: &flows.Event{Flow: "invite", Vars: map[string]string{"training": tr.ID}}}, at)
	out := strings.Join(replyTexts(s.say("हाँ नहीं", at)), "\n")
	if want := f.hi("common.retry_yesno_maybe", nil); !strings.Contains(out, want) {
		t.Errorf("a contradiction: %q, want it asked again naming all three answers", out)
	}
}

// TestCheckinCodeRightAfterTheWord: on the training day "हाज़िरी 4821"
// (the word and the code in one message, any spelling of the word, either
// digits) checks in at once; the reminder's label typed as text starts
// check-in too.
func TestCheckinCodeRightAfterTheWord(t *testing.T) {
	f, tr, s := saritaInvited(t)
	at := ist("2026-12-10 10:05")
	out := strings.Join(replyTexts(s.say("✅ हाज़िरी लगाएँ", at)), "\n")
	if !strings.Contains(out, "प्रशिक्षण स्थल पर दिखाया गया कोड") {
		t.Fatalf("the reminder's label typed: %q, want the check-in question", out)
	}
	s.say("/cancel", at)
	devanagari := strings.Map(func(r rune) rune { return '०' + (r - '0') }, training.Code(tr, 0))
	out = strings.Join(replyTexts(s.say("haazri "+devanagari, at)), "\n")
	if !strings.Contains(out, "हाज़िरी लग गई") {
		t.Fatalf("haazri with the code: %q, want checked in", out)
	}
	if !f.checkedIn(t, tr, sarita) {
		t.Fatal("sarita is not checked in")
	}
}

// checkedIn tells whether phone has checked in on the first day of tr.
func (f *fixture) checkedIn(t *testing.T, tr training.Training, phone string) bool {
	t.Helper()
	rows, err := f.svc.Trainings.Rows(f.ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(rows, func(r training.Row) bool { return r.Phone == phone })
	return i >= 0 && len(rows[i].CheckIns) > 0 && !rows[i].CheckIns[0].At.IsZero()
}

// TestCheckinAskedInOtherWords: on the training day a request to check in
// that is not one of the flow's command words ("मेरी हाज़िरी लगा दो", with
// the code or without) starts check-in at the real services too.
func TestCheckinAskedInOtherWords(t *testing.T) {
	f, tr, s := saritaInvited(t)
	at := ist("2026-12-10 10:05")
	out := strings.Join(replyTexts(s.say("मेरी हाज़िरी लगा दो", at)), "\n")
	if !strings.Contains(out, "प्रशिक्षण स्थल पर दिखाया गया कोड") {
		t.Fatalf("मेरी हाज़िरी लगा दो: %q, want the check-in question", out)
	}
	s.say("/cancel", at)
	out = strings.Join(replyTexts(s.say("haazri laga do sir "+training.Code(tr, 0), at)), "\n")
	if !strings.Contains(out, "हाज़िरी लग गई") {
		t.Fatalf("with the code: %q, want checked in", out)
	}
	if !f.checkedIn(t, tr, sarita) {
		t.Fatal("sarita is not checked in")
	}
}

// TestDeclineReasonNoListNames: at the reason question a reason the lists
// do not know is taken as it is, not asked for twice.
func TestDeclineReasonNoListNames(t *testing.T) {
	f, tr, s := saritaInvited(t)
	at := ist("2026-12-05 10:00")
	s.in(flows.Input{Event: &flows.Event{Flow: "invite", Vars: map[string]string{"training": tr.ID}}}, at)
	s.say("नहीं", at)
	out := strings.Join(replyTexts(s.say("उस दिन गाँव में मेला है", at)), "\n")
	if want := f.hi("invite.said_no", nil); !strings.Contains(out, want) {
		t.Fatalf("a reason no list names: %q, want %q", out, want)
	}
	if status, reason := f.declineReason(t, tr, sarita); status != "no" || reason != "उस दिन गाँव में मेला है" {
		t.Fatalf("stored %q with reason %q", status, reason)
	}
}

// TestCheckinCodeInsideASentence: at the real check-in question a reply
// with no digits is asked again without using up a try (three of them
// leave the code still open), and the code inside a sentence ("मेरा कोड
// ४८२१ है") checks in.
func TestCheckinCodeInsideASentence(t *testing.T) {
	f, tr, s := saritaInvited(t)
	at := ist("2026-12-10 10:05")
	s.say("हाज़िरी", at)
	for _, noCode := range []string{"कोड कहाँ लिखा है?", "हाँ जी", "ok"} {
		out := strings.Join(replyTexts(s.say(noCode, at)), "\n")
		if want := f.hi("checkin.no_code", nil); !strings.Contains(out, want) {
			t.Fatalf("%q at the check-in question: %q, want %q", noCode, out, want)
		}
	}
	code := strings.Map(func(r rune) rune { return '०' + (r - '0') }, training.Code(tr, 0))
	out := strings.Join(replyTexts(s.say("मेरा कोड "+code+" है", at)), "\n")
	if !strings.Contains(out, "हाज़िरी लग गई") {
		t.Fatalf("the code inside a sentence, after three replies without one: %q, want checked in", out)
	}
}

// TestRegistrationConfirmsANearPlace: at the real registration a district
// typed with a typo is confirmed with a question and taken as the roster
// writes it; a no asks again and the declined name is not offered twice;
// the body typed without its prefix, in Latin letters, is taken as the
// roster's name; one with a typo is confirmed.
func TestRegistrationConfirmsANearPlace(t *testing.T) {
	f := setup(t)
	c := f.conversation(t, "7001", ist("2026-12-01 10:00"))
	c.say("नमस्ते")
	c.expect("9000000001", f.hi("reg.ask_name", nil))
	c.expect("सरिता देवी", f.hi("reg.ask_gender", nil))
	c.expect("महिला", f.hi("reg.ask_role", nil))
	c.expect("1", f.hi("reg.ask_district", nil))
	c.expect("sobhadra", f.hi("place.ask_near", map[string]string{"place_guess": "सोनभद्र"}))
	c.expect("नहीं", f.hi("reg.ask_district", nil))
	// The same typo again: the declined guess is not offered, it is kept as typed.
	c.expect("sobhadra", f.hi("reg.ask_body", nil))
	if c.st.Fields["district"] != "sobhadra" {
		t.Fatalf("district = %q, want it kept as typed", c.st.Fields["district"])
	}
	c.expect("/cancel")

	c = f.conversation(t, "7002", ist("2026-12-01 10:00"))
	c.say("नमस्ते")
	c.say("9000000002")
	c.say("सरिता देवी")
	c.say("नहीं बताना")
	c.say("1")
	c.expect("सोनभदर जिला", f.hi("reg.ask_body", nil)) // the same name once spelling is set aside: taken
	c.expect("अनपला", f.hi("place.ask_near", map[string]string{"place_guess": "नगर पंचायत अनपरा"}))
	c.expect("हाँ जी", f.hi("reg.ask_ward", nil))
	got := c.expect("5", "ज़िला: सोनभद्र", "ब्लॉक/निकाय: नगर पंचायत अनपरा")
	if c.st.Fields["district"] != "सोनभद्र" || c.st.Fields["body"] != "नगर पंचायत अनपरा" {
		t.Fatalf("district %q, body %q; summary %q", c.st.Fields["district"], c.st.Fields["body"], got)
	}

	// A correction from the summary comes through the check too.
	c.say("नहीं")
	c.say(f.hi("reg.field_body", nil))
	c.expect("anpara", "ब्लॉक/निकाय: नगर पंचायत अनपरा", f.hi("reg.ask_confirm", nil))
}

// TestInvitationSpeaksInThePersonsGender: the real invitation asks a woman
// "क्या आप आएँगी?" with आऊँगी / नहीं आ पाऊँगी, a man with आऊँगा, and
// someone whose gender the roster does not give in neutral words; a
// woman's typed "आ जाऊँगी" and the feminine label typed back are her yes.
func TestInvitationSpeaksInThePersonsGender(t *testing.T) {
	f := setup(t)
	const hari = "+919703423667" // हरि मौर्य, नगर पंचायत चोपन: no gender on the roster
	tr := f.training(t, training.Spec{Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2026-12-10T10:00", Modules: []string{"जल"},
		Invite: "role=sabhasad,body=" + anpara + "|नगर पंचायत चोपन"})
	at := ist("2026-12-05 10:00")
	for _, tc := range []struct {
		chat, phone string
		want        []string
	}{
		{"1001", sarita, []string{"क्या आप आएँगी?", "✅ आऊँगी", "❌ नहीं आ पाऊँगी"}},
		{"1002", rajesh, []string{"क्या आप आएँगे?", "✅ आऊँगा", "❌ नहीं आ पाऊँगा"}},
		{"1003", hari, []string{"क्या आपका आना हो पाएगा?", "✅ हाँ, ज़रूर", "❌ इस बार नहीं"}},
	} {
		c := tg(tc.chat)
		f.link(t, c, tc.phone)
		s := f.stepper(t, c)
		replies := s.in(flows.Input{Event: &flows.Event{Flow: "invite", Vars: map[string]string{"training": tr.ID}}}, at)
		var shown []string
		for _, r := range replies {
			shown = append(shown, r.Text)
			for _, o := range r.Options {
				shown = append(shown, o.Label)
			}
		}
		out := strings.Join(shown, "\n")
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s's invitation %q lacks %q", tc.phone, out, w)
			}
		}
		if tc.phone == sarita {
			s.say("✅ आऊँगी", at) // the label typed back
			if status, _ := f.declineReason(t, tr, sarita); status != "yes" {
				t.Errorf("her label typed: stored %q, want yes", status)
			}
		}
	}
}

// TestRegistrationOffersPlacesToChoose: a name that is both a block and a
// body (मैथा) is offered as choices; the one chosen is kept as the roster
// writes it.
func TestRegistrationOffersPlacesToChoose(t *testing.T) {
	f := setup(t)
	c := f.conversation(t, "7003", ist("2026-12-01 10:00"))
	for _, say := range []string{"नमस्ते", "9000000003", "गीता देवी", "महिला", "1", "कानपुर देहात"} {
		c.say(say)
	}
	c.expect("maitha", f.hi("place.ask_pick", nil))
	var labels []string
	for _, o := range c.last.Replies[len(c.last.Replies)-1].Options {
		labels = append(labels, o.Label)
	}
	if strings.Join(labels, "|") != "ग्राम पंचायत मैथा|मैथा" {
		t.Fatalf("choices %q, want the body and the block", labels)
	}
	c.expect("1", f.hi("reg.ask_ward", nil))
	if c.st.Fields["body"] != "ग्राम पंचायत मैथा" {
		t.Fatalf("body = %q", c.st.Fields["body"])
	}
}
