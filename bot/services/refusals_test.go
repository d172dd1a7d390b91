package services_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// stepper drives one chat through the real engine and services.
type stepper struct {
	t   *testing.T
	f   *fixture
	eng *flows.Engine
	c   chat
	st  flows.State
	n   int
	// typed is every text input so far: echoed back, it is no English
	// of the bot's (flowstest.NoEnglish).
	typed []string
}

func (f *fixture) stepper(t *testing.T, c chat) *stepper {
	return &stepper{t: t, f: f, eng: flowstest.Engine(t, nil, nil).WithServices(f.svc), c: c}
}

// in applies one input at now: a service error (a stall) fails the test.
func (s *stepper) in(in flows.Input, now time.Time) []flows.Reply {
	s.t.Helper()
	s.n++
	in.Channel, in.User, in.ID = s.c.channel, s.c.user, s.c.user+"-"+strconv.Itoa(s.n)
	res, err := s.eng.Step(s.f.ctx, s.st, in, now)
	if err != nil {
		s.t.Fatalf("%+v: the step failed (the dispatcher would retry it): %v", in, err)
	}
	s.typed = append(s.typed, in.Text)
	flowstest.NoEnglish(s.t, s.st, res, s.typed)
	s.st = res.State
	return res.Replies
}

func (s *stepper) say(text string, now time.Time) []flows.Reply {
	s.t.Helper()
	return s.in(flows.Input{Text: text}, now)
}

// byUser is a channel whose chats each have their own sink.
type byUser struct{ sinks map[string]*sink }

func (b *byUser) Send(ctx context.Context, user string, rs []flows.Reply) error {
	return b.sinks[user].Send(ctx, user, rs)
}

func replyTexts(rs []flows.Reply) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Text
	}
	return out
}

// name is a person's name on the roster.
func (f *fixture) name(t *testing.T, phone string) string {
	t.Helper()
	p, ok, err := f.svc.Roster.Get(f.ctx, phone)
	if err != nil || !ok {
		t.Fatalf("%s on the roster: %v %v", phone, ok, err)
	}
	return p.Name
}

// TestForgedButtonsAreRefused forges every kind of keyed button (and the
// unkeyed confirmations and actions) as a participant, a rostered person
// who was not invited and a coordinator of another district, each in a
// chat with no conversation: nothing is accepted (not one key of Redis
// changes), no step fails (a failed step is what stalled the bot), and
// each is told why in the exact Hindi message for it.
func TestForgedButtonsAreRefused(t *testing.T) {
	f := setup(t)
	participant, uninvited, otherCoord, attendee := tg("1001"), tg("6001"), tg("2001"), tg("1002")
	f.link(t, participant, sarita) // invited, never checked in
	f.link(t, uninvited, hari)     // on the roster (चोपन), not invited
	f.link(t, otherCoord, dmm)     // coordinator of कानपुर देहात
	f.link(t, attendee, rajesh)    // invited, checked in: the one whose feedback counts
	f.link(t, tg("2003"), eo)
	tr := f.training(t, training.Spec{Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2026-12-10T10:00", Modules: []string{"जल", "सीवेज"}, Invite: "role=sabhasad,body=" + anpara})
	if _, err := f.svc.Trainings.CheckIn(f.ctx, tr.ID, rajesh, 0, training.MethodCode, ist("2026-12-10 10:05")); err != nil {
		t.Fatal(err)
	}
	const applicant = "+919811100001"
	register(t, f, tg("3001"), "रीना यादव", applicant, sonbhdr, anpara, ist("2026-12-01 09:00")) // for the EO of अनपरा to approve

	before, started, over := ist("2026-12-05 10:00"), ist("2026-12-10 12:00"), ist("2026-12-12 10:00")
	hello := func(name, coordinator string) string {
		return f.hi("main.hello", map[string]string{"name": name, "coordinator": coordinator})
	}
	type forger struct {
		name string
		chat chat
	}
	forgers := []forger{{"participant", participant}, {"uninvited", uninvited}, {"other-district coordinator", otherCoord}}
	// want gives each forger's message id; a missing forger is not tried.
	tests := []struct {
		kind string
		data string
		at   time.Time
		want map[string]string
	}{
		{"invitation yes before the start", "invite.ask:yes@" + tr.ID, before,
			map[string]string{"uninvited": "refusal.not_invited", "other-district coordinator": "refusal.not_invited"}},
		{"invitation yes after the start", "invite.ask:yes@" + tr.ID, started,
			map[string]string{"participant": "invite.closed", "uninvited": "refusal.not_invited", "other-district coordinator": "refusal.not_invited"}},
		{"invitation no after the start", "invite.ask:no@" + tr.ID, started,
			map[string]string{"participant": "invite.closed", "uninvited": "refusal.not_invited", "other-district coordinator": "refusal.not_invited"}},
		{"invitation reason", "invite.reason:health@" + tr.ID, started,
			map[string]string{"participant": "invite.closed", "uninvited": "refusal.not_invited", "other-district coordinator": "refusal.not_invited"}},
		{"feedback rating before the end", "feedback.rating:1@" + tr.ID, started,
			map[string]string{"participant": "refusal.not_over", "uninvited": "refusal.not_invited", "other-district coordinator": "refusal.not_invited"}},
		{"feedback rating after the end", "feedback.rating:1@" + tr.ID, over,
			map[string]string{"participant": "refusal.not_attended", "uninvited": "refusal.not_invited", "other-district coordinator": "refusal.not_invited"}},
		{"feedback follow-up", "feedback.followup:yes@" + tr.ID, over,
			map[string]string{"participant": "refusal.not_attended", "uninvited": "refusal.not_invited", "other-district coordinator": "refusal.not_invited"}},
		{"feedback of an unknown training", "feedback.rating:5@zzzzzzz", over,
			map[string]string{"participant": "refusal.unknown_training", "uninvited": "refusal.unknown_training", "other-district coordinator": "refusal.unknown_training"}},
		{"approval yes", "approve.ask:yes@" + applicant, before,
			map[string]string{"participant": "coord.forbidden", "uninvited": "coord.forbidden", "other-district coordinator": "coord.forbidden"}},
		{"approval no", "approve.ask:no@" + applicant, before,
			map[string]string{"participant": "coord.forbidden", "uninvited": "coord.forbidden", "other-district coordinator": "coord.forbidden"}},
		{"reminder", "reminder.soon:x@" + tr.ID, before,
			map[string]string{"uninvited": "refusal.not_invited", "other-district coordinator": "refusal.not_invited"}},
		{"reminder's check-in action", "cmd:/checkin", before,
			map[string]string{"participant": "checkin.none", "uninvited": "checkin.none", "other-district coordinator": "checkin.none"}},
		{"seat came free", "promoted.tell:x@" + tr.ID, before,
			map[string]string{"participant": "refusal.no_seat", "uninvited": "refusal.not_invited", "other-district coordinator": "refusal.not_invited"}},
		{"training moved", "changed.moved:x@" + tr.ID, before,
			map[string]string{"uninvited": "refusal.not_invited", "other-district coordinator": "refusal.not_invited"}},
		// Unkeyed buttons count only at the question they belong to: with
		// no conversation the chat just starts, as after "नमस्ते".
		{"broadcast confirmation", "broadcast_new.confirm:yes", before,
			map[string]string{"participant": "main.hello", "uninvited": "main.hello", "other-district coordinator": "main.hello"}},
		{"report reminder action", "report_view.ask_nudge:yes", before,
			map[string]string{"participant": "main.hello", "uninvited": "main.hello", "other-district coordinator": "main.hello"}},
		{"new training confirmation", "new_training.confirm:yes", before,
			map[string]string{"participant": "main.hello", "uninvited": "main.hello", "other-district coordinator": "main.hello"}},
		{"report confirmation", "shg_report.confirm:yes", before,
			map[string]string{"participant": "main.hello", "uninvited": "main.hello", "other-district coordinator": "main.hello"}},
	}
	names := map[string]struct{ name, coordinator string }{
		"participant": {f.name(t, sarita), ""}, "uninvited": {f.name(t, hari), ""}, "other-district coordinator": {f.name(t, dmm), "yes"},
	}
	snap := snapshot(t, f)
	tried := 0
	for _, tc := range tests {
		for _, fg := range forgers {
			id, ok := tc.want[fg.name]
			if !ok {
				continue
			}
			tried++
			t.Run(tc.kind+"/"+fg.name, func(t *testing.T) {
				s := f.stepper(t, fg.chat)
				got := replyTexts(s.in(flows.Input{Choice: tc.data}, tc.at))
				want := f.hi(id, nil)
				if id == "main.hello" {
					want = hello(names[fg.name].name, names[fg.name].coordinator)
				}
				if len(got) != 1 || got[0] != want {
					t.Errorf("replies %q, want only %s: %q", got, id, want)
				}
				if len(s.st.Stack) != 0 && id != "main.hello" {
					t.Errorf("the refused flow still waits: %+v", s.st.Stack)
				}
			})
		}
	}
	if tried < 40 {
		t.Errorf("only %d forgeries tried", tried)
	}
	sameKeys(t, snap, snapshot(t, f)) // nothing accepted, nothing recorded

	// The same through the real Dispatcher, one chat per forger: every
	// forgery is committed (Handle returns no error: nothing for the
	// channel to poll again) and answered with its refusal; only the
	// dispatcher's own keys (conversations, message ids, outbox) change.
	t.Run("through the dispatcher", func(t *testing.T) {
		var mu sync.Mutex
		now := before
		out := map[string]*sink{}
		for _, fg := range forgers {
			out[fg.chat.user] = &sink{}
		}
		senders := &byUser{out}
		st := store.New(f.rdb, time.Hour)
		d, err := bot.NewDispatcher(bot.Options{
			Engine: flowstest.Engine(t, nil, nil).WithServices(f.svc), Store: st,
			Senders: map[string]bot.Sender{"telegram": senders},
			Now:     func() time.Time { mu.Lock(); defer mu.Unlock(); return now },
		})
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close(f.ctx)
		n := 0
		for _, tc := range tests {
			for _, fg := range forgers {
				id, ok := tc.want[fg.name]
				if !ok {
					continue
				}
				mu.Lock()
				now = tc.at
				mu.Unlock()
				n++
				in := flows.Input{Channel: "telegram", User: fg.chat.user, ID: "forged-" + strconv.Itoa(n), Choice: tc.data}
				if err := d.Handle(f.ctx, in); err != nil {
					t.Errorf("%s/%s: Handle: %v (the update would be polled again)", tc.kind, fg.name, err)
					continue
				}
				if err := d.Flush(f.ctx, "telegram", fg.chat.user); err != nil {
					t.Fatal(err)
				}
				want := f.hi(id, nil)
				if id == "main.hello" {
					want = hello(names[fg.name].name, names[fg.name].coordinator)
				}
				if got := out[fg.chat.user].last(); got != want {
					t.Errorf("%s/%s: told %q, want %s: %q", tc.kind, fg.name, got, id, want)
				}
			}
		}
		if err := d.Close(f.ctx); err != nil { // its acknowledgements written: the keys stand still
			t.Fatal(err)
		}
		after := snapshot(t, f)
		for k := range after {
			for _, own := range []string{"saathi:conv:", "saathi:seen:", "saathi:outbox"} {
				if strings.HasPrefix(k, own) {
					delete(after, k)
				}
			}
		}
		sameKeys(t, snap, after)
	})

	// A coordinator in the middle of their own broadcast cannot skip to
	// its confirmation: the button is not for the question they are at.
	t.Run("broadcast confirmation mid-broadcast", func(t *testing.T) {
		s := f.stepper(t, otherCoord)
		if got := replyTexts(s.say("/broadcast", before)); len(got) != 1 || got[0] == f.hi("coord.forbidden", nil) {
			t.Fatalf("/broadcast: %q", got)
		}
		got := replyTexts(s.in(flows.Input{Choice: "broadcast_new.confirm:yes"}, before))
		if len(got) != 2 || got[0] != f.hi("common.stale_button", nil) {
			t.Errorf("replies %q, want the stale-button notice and the question again", got)
		}
		if bs := f.published(t, "broadcast"); len(bs) != 0 {
			t.Errorf("%d broadcast copies sent", len(bs))
		}
	})

	// The checks refuse the forgers, not everyone: the attendee's own
	// feedback button, after the end, is taken and saved.
	t.Run("the attendee's feedback counts", func(t *testing.T) {
		s := f.stepper(t, attendee)
		got := replyTexts(s.in(flows.Input{Choice: "feedback.rating:4@" + tr.ID}, over))
		if len(got) != 1 || !strings.HasPrefix(got[0], f.hi("feedback.ask_module", nil)) {
			t.Fatalf("after the rating: %q, want the module question", got)
		}
		s.say("1", over)
		s.say("और अभ्यास", over)
		s.say("हाँ", over)
		if got := replyTexts(s.say("नहीं", over)); len(got) != 1 || got[0] != f.hi("feedback.thanks", nil) {
			t.Fatalf("end of feedback: %q", got)
		}
		st, err := f.svc.Trainings.Status(f.ctx, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.FeedbackCount != 1 || st.RatingAvg != 4 {
			t.Errorf("feedback kept: %d, average %v; want the attendee's 4 alone", st.FeedbackCount, st.RatingAvg)
		}
	})
}

// TestFeedbackSaveRefusals: feedback.save checks again what feedback.open
// checked (a flow started before a change, or a call made by hand), and
// refuses bad values as a status, never an error.
func TestFeedbackSaveRefusals(t *testing.T) {
	f := setup(t)
	f.link(t, tg("1001"), sarita)
	f.link(t, tg("1002"), rajesh)
	f.link(t, tg("6001"), hari)
	tr := f.training(t, training.Spec{Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2026-12-10T10:00", Invite: "role=sabhasad,body=" + anpara})
	if _, err := f.svc.Trainings.CheckIn(f.ctx, tr.ID, rajesh, 0, training.MethodCode, ist("2026-12-10 10:05")); err != nil {
		t.Fatal(err)
	}
	started, over := ist("2026-12-10 12:00"), ist("2026-12-12 10:00")
	args := func(rating, followup string) map[string]string {
		return map[string]string{"training": tr.ID, "rating": rating, "module": "", "missing": "", "followup": followup}
	}
	snap := snapshot(t, f)
	for _, tc := range []struct {
		who  chat
		at   time.Time
		args map[string]string
		want string
	}{
		{tg("6001"), over, args("1", ""), services.NotInvited},
		{tg("9999"), over, args("1", ""), services.NotInvited}, // nobody on the roster
		{tg("1001"), over, args("1", ""), services.NotAttended},
		{tg("1002"), started, args("1", ""), services.NotOver},
		{tg("1002"), over, args("0", ""), services.Invalid},
		{tg("1002"), over, args("x", ""), services.Invalid},
		{tg("1002"), over, args("3", "maybe"), services.Invalid},
		{tg("1002"), over, map[string]string{"training": "zzzzzzz", "rating": "3"}, services.NotFound},
		{tg("1002"), over, map[string]string{"training": "../../x", "rating": "3"}, services.NotFound},
	} {
		if res := f.call(t, tc.who, "feedback.save", tc.at, tc.args); res.Status != tc.want {
			t.Errorf("%s at %s with %v: %+v, want %s", tc.who.user, tc.at.Format("01-02 15:04"), tc.args, res, tc.want)
		}
	}
	sameKeys(t, snap, snapshot(t, f))
	if res := f.call(t, tg("1002"), "feedback.save", over, args("5", "yes")); res.Status != services.OK {
		t.Errorf("the attendee's feedback: %+v", res)
	}
}

// TestRightsAreReadWhenUsed: coordinator and admin flows read the person's
// grants in the roster when they are used, not a copy kept in the
// conversation.
func TestRightsAreReadWhenUsed(t *testing.T) {
	now := ist("2026-12-01 10:00")
	askTitle := func(f *fixture) string { return f.hi("newt.ask_title", nil) }

	t.Run("a coordinator's very first message is नया प्रशिक्षण", func(t *testing.T) {
		f := setup(t)
		f.link(t, tg("2003"), eo)
		s := f.stepper(t, tg("2003"))
		if got := replyTexts(s.say("नया प्रशिक्षण", now)); len(got) != 1 || got[0] != askTitle(f) {
			t.Errorf("replies %q, want the first question", got)
		}
	})

	t.Run("made coordinator in chat, then नया प्रशिक्षण first", func(t *testing.T) {
		f := setup(t)
		f.link(t, tg("2004"), admin)
		f.link(t, tg("1001"), sarita)
		// सरिता greets first, as a participant: her conversation knows her so.
		s := f.stepper(t, tg("1001"))
		s.say("नमस्ते", now)
		if got := replyTexts(s.say("नया प्रशिक्षण", now)); len(got) != 1 || got[0] != f.hi("coord.forbidden", nil) {
			t.Fatalf("before the grant: %q", got)
		}
		a := f.stepper(t, tg("2004"))
		a.say("समन्वयक बनाएँ", now)
		a.say("9018159083", now)
		a.say("3", now) // body
		if got := replyTexts(a.say(anpara, now)); len(got) != 1 || got[0] != f.hi("mkc.done", map[string]string{"c_name": f.name(t, sarita), "value": anpara, "level": "body"}) {
			t.Fatalf("make coordinator: %q", got)
		}
		// In the same conversation, and in a new one, at once.
		if got := replyTexts(s.say("नया प्रशिक्षण", now)); len(got) != 1 || got[0] != askTitle(f) {
			t.Errorf("in the same conversation: %q, want the first question", got)
		}
		fresh := f.stepper(t, tg("1001"))
		if got := replyTexts(fresh.say("नया प्रशिक्षण", now)); len(got) != 1 || got[0] != askTitle(f) {
			t.Errorf("as the very first message: %q, want the first question", got)
		}
	})

	t.Run("a grant removed by re-import is refused at once, mid-conversation too", func(t *testing.T) {
		f := setup(t)
		f.link(t, tg("2003"), eo)
		f.training(t, training.Spec{Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2026-12-10T10:00", Invite: "role=sabhasad,body=" + anpara, CreatedBy: eo})
		nt := f.stepper(t, tg("2003"))
		bc := f.stepper(t, tg("2003"))
		if got := replyTexts(nt.say("नया प्रशिक्षण", now)); len(got) != 1 || got[0] != askTitle(f) {
			t.Fatalf("before: %q", got)
		}
		for _, a := range []string{"बैठक", "जल", "कार्यालय", "20 दिसंबर", "1", "1", "-", "1", "सभी", "1", "नहीं"} {
			nt.say(a, now)
		}
		bc.say("/broadcast", now)
		bc.say("1", now)
		if got := replyTexts(bc.say("कल बैठक है", now)); len(got) != 1 {
			t.Fatalf("broadcast text: %q", got)
		}
		if got := replyTexts(bc.say("नहीं", now)); len(got) < 2 { // no attachment: preview and confirm
			t.Fatalf("broadcast preview: %q", got)
		}

		// The EO is a ward member now: the roster is imported again.
		p, _, err := f.svc.Roster.Get(f.ctx, eo)
		if err != nil {
			t.Fatal(err)
		}
		p.Role, p.Ward = roster.RoleSabhasad, "7"
		if _, err := f.svc.Roster.Import(f.ctx, []roster.Person{p}, false); err != nil {
			t.Fatal(err)
		}
		snap := snapshot(t, f)
		forbidden := f.hi("coord.forbidden", nil)
		if got := replyTexts(nt.say("हाँ", now)); len(got) != 1 || got[0] != forbidden {
			t.Errorf("confirming the training: %q, want %q", got, forbidden)
		}
		if got := replyTexts(bc.say("हाँ", now)); len(got) != 1 || got[0] != forbidden {
			t.Errorf("confirming the broadcast: %q, want %q", got, forbidden)
		}
		for _, cmd := range []string{"नया प्रशिक्षण", "/broadcast", "/status", "/code"} {
			fresh := f.stepper(t, tg("2003"))
			if got := replyTexts(fresh.say(cmd, now)); len(got) != 1 || got[0] != forbidden {
				t.Errorf("%s afterwards: %q, want %q", cmd, got, forbidden)
			}
		}
		sameKeys(t, snap, snapshot(t, f))
	})

	t.Run("an unknown chat is asked who it is, then let in", func(t *testing.T) {
		f := setup(t)
		s := f.stepper(t, tg("2003")) // the EO's chat, not linked yet
		if got := replyTexts(s.say("नया प्रशिक्षण", now)); len(got) != 1 || got[0] != f.hi("main.ask_contact", nil) {
			t.Fatalf("first: %q, want to be asked for the number", got)
		}
		got := replyTexts(s.in(flows.Input{Contact: &flows.Contact{Phone: eo, Own: true}}, now))
		if len(got) != 2 || got[0] != f.hi("main.linked", map[string]string{"name": f.name(t, eo)}) || got[1] != askTitle(f) {
			t.Errorf("after the contact: %q, want linked and the first question", got)
		}
	})
}

// TestRightsAndGrantRefusals: person.rights as the roster says now, and
// admin.make_coordinator's refusals, none of them an error or a write.
func TestRightsAndGrantRefusals(t *testing.T) {
	f := setup(t)
	now := ist("2026-12-01 10:00")
	f.link(t, tg("1001"), sarita)
	f.link(t, tg("2001"), dmm)
	f.link(t, tg("2004"), admin)
	snap := snapshot(t, f)
	for _, tc := range []struct {
		who        chat
		need, want string
	}{
		{tg("1001"), "coordinator", services.Forbidden},
		{tg("1001"), "admin", services.Forbidden},
		{tg("2001"), "coordinator", services.OK},
		{tg("2001"), "admin", services.Forbidden},
		{tg("2004"), "coordinator", services.OK},
		{tg("2004"), "admin", services.OK},
		{tg("2004"), "", services.Forbidden},
		{tg("9999"), "coordinator", services.Unknown},
		{chat{"whatsapp", strings.TrimPrefix(dmm, "+")}, "coordinator", services.OK}, // a WhatsApp chat is its number
	} {
		if res := f.call(t, tc.who, "person.rights", now, map[string]string{"need": tc.need}); res.Status != tc.want {
			t.Errorf("%s:%s needs %q: %q, want %q", tc.who.channel, tc.who.user, tc.need, res.Status, tc.want)
		}
	}
	for _, tc := range []struct {
		args map[string]string
		want string
	}{
		{map[string]string{"phone": admin, "level": "district", "value": sonbhdr}, services.IsAdmin},
		{map[string]string{"phone": sarita, "level": "state", "value": sonbhdr}, services.Invalid},
		{map[string]string{"phone": sarita, "level": "district", "value": "  "}, services.Invalid},
		{map[string]string{"phone": "+919811100009", "level": "district", "value": sonbhdr}, services.NotFound},
	} {
		if res := f.call(t, tg("2004"), "admin.make_coordinator", now, tc.args); res.Status != tc.want {
			t.Errorf("make coordinator %v: %+v, want %s", tc.args, res, tc.want)
		}
	}
	sameKeys(t, snap, snapshot(t, f))
}

// TestTrainingRefusals: training.info and training.answer answer whatever
// a person can cause with a status, never an error.
func TestTrainingRefusals(t *testing.T) {
	f := setup(t)
	f.link(t, tg("1001"), sarita)
	f.link(t, tg("6001"), hari)
	tr := f.training(t, training.Spec{Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2026-12-10T10:00", Invite: "role=sabhasad,body=" + anpara})
	gone := f.training(t, training.Spec{Title: "बजट", Venue: "अनपरा", Start: "2026-12-11T10:00", Invite: "role=sabhasad,body=" + anpara})
	gone.Cancelled = true
	if err := f.svc.Trainings.Update(f.ctx, gone); err != nil {
		t.Fatal(err)
	}
	now := ist("2026-12-01 10:00")
	snap := snapshot(t, f)
	for _, tc := range []struct {
		who        chat
		call       string
		args       map[string]string
		want, mine string
	}{
		{tg("1001"), "training.info", map[string]string{"training": tr.ID}, services.OK, "invited"},
		{tg("6001"), "training.info", map[string]string{"training": tr.ID}, services.NotInvited, ""},
		{tg("9999"), "training.info", map[string]string{"training": tr.ID}, services.NotInvited, ""},
		{tg("1001"), "training.info", map[string]string{"training": "zzzzzzz"}, services.NotFound, ""},
		{tg("1001"), "training.info", map[string]string{"training": gone.ID}, services.Cancelled, ""},
		{tg("6001"), "training.info", map[string]string{"training": gone.ID}, services.NotInvited, ""}, // not "no longer happening"
		{tg("1001"), "training.answer", map[string]string{"training": tr.ID, "answer": "perhaps"}, services.Invalid, ""},
		{tg("1001"), "training.answer", map[string]string{"training": "zzzzzzz", "answer": "yes"}, services.NotFound, ""},
		{tg("1001"), "training.answer", map[string]string{"training": gone.ID, "answer": "yes"}, services.Cancelled, ""},
		{tg("6001"), "training.answer", map[string]string{"training": tr.ID, "answer": "yes"}, services.NotInvited, ""},
		{tg("1001"), "training.answer", map[string]string{"training": tr.ID, "answer": "yes"}, services.Closed, ""}, // at ist 12-10 12:00 below
	} {
		at := now
		if tc.want == services.Closed {
			at = ist("2026-12-10 12:00")
		}
		res := f.call(t, tc.who, tc.call, at, tc.args)
		if res.Status != tc.want || res.Fields["my_answer"] != tc.mine {
			t.Errorf("%s %s %v: %q (my_answer %q), want %q (%q)", tc.who.user, tc.call, tc.args, res.Status, res.Fields["my_answer"], tc.want, tc.mine)
		}
	}
	sameKeys(t, snap, snapshot(t, f))
}
