package services_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/reports"
	"github.com/saathi-bot/saathi/store/roster"
)

// SHG members and groups of the sample roster.
const (
	anitaC    = "+919888718033" // अनीता चौहान, उन्नति (मैथा-1/1), cluster मैथा-1, block मैथा
	anitaM    = "+919878017598" // अनीता मौर्य, the same SHG
	shanti    = "+919675136134" // शांति मौर्य, सरस्वती (मैथा-1/2)
	babita    = "+919706589481" // बबीता दुबे, दुर्गा (मैथा-2/1)
	seema     = "+919008838737" // सीमा वर्मा, लक्ष्मी (रसूलाबाद-1/1), block रसूलाबाद
	unnati    = "उन्नति स्वयं सहायता समूह (मैथा-1/1)"
	saraswati = "सरस्वती स्वयं सहायता समूह (मैथा-1/2)"
	laxmiSHG  = "लक्ष्मी स्वयं सहायता समूह (रसूलाबाद-1/1)"
	december  = "2026-12"
)

// openDecember opens December 2026 for the district कानपुर देहात, due 5 January.
func openDecember(t *testing.T, f *fixture) *reports.Store {
	t.Helper()
	rs := reports.New(f.rdb)
	err := rs.OpenPeriod(f.ctx, reports.Period{ID: december, Due: ist("2027-01-05 18:00"), Level: roster.LevelDistrict,
		Value: "कानपुर देहात", OpenedBy: dmm, At: ist("2026-12-01 09:00")})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// conversation is one chat driven through the engine.
type conversation struct {
	t    *testing.T
	f    *fixture
	eng  *flows.Engine
	user string
	now  time.Time
	st   flows.State
	last flows.Result
	n    int
	// typed is every text input so far (flowstest.NoEnglish).
	typed []string
}

func (f *fixture) conversation(t *testing.T, user string, now time.Time) *conversation {
	return &conversation{t: t, f: f, eng: flowstest.Engine(t, nil, nil).WithServices(f.svc), user: user, now: now}
}

// input applies one input and returns the replies' texts, joined.
func (c *conversation) input(in flows.Input) string {
	c.t.Helper()
	c.n++
	in.Channel, in.User, in.ID = "telegram", c.user, c.user+"-"+strconv.Itoa(c.n)
	res, err := c.eng.Step(c.f.ctx, c.st, in, c.now)
	if err != nil {
		c.t.Fatalf("step %q: %v", in.Text, err)
	}
	c.typed = append(c.typed, in.Text)
	flowstest.NoEnglish(c.t, c.st, res, c.typed)
	c.st, c.last = res.State, res
	var texts []string
	for _, r := range res.Replies {
		texts = append(texts, r.Text)
	}
	return strings.Join(texts, "\n")
}

func (c *conversation) say(text string) string {
	c.t.Helper()
	return c.input(flows.Input{Text: text})
}

// expect says text and fails unless every want is in the replies.
func (c *conversation) expect(text string, want ...string) string {
	c.t.Helper()
	got := c.say(text)
	for _, w := range want {
		if !strings.Contains(got, w) {
			c.t.Errorf("after %q: replies %q, want them to hold %q", text, got, w)
		}
	}
	return got
}

func (f *fixture) hi(id string, data map[string]string) string { return f.cat.Text("hi", id, data) }

// TestSHGReportThroughTheEngine: an SHG member fills the monthly report in
// everyday Hindi (Devanagari digits, "5 हज़ार", "₹20,000"); a number out of
// range and more accounts than members are asked again; one answer is
// corrected from the summary; the stored report is the answers. A second
// member of the same SHG reports again: it replaces the first, both stay
// in the history, and no field of the flow is left in the conversation.
func TestSHGReportThroughTheEngine(t *testing.T) {
	f := setup(t)
	rs := openDecember(t, f)
	f.link(t, tg("5001"), anitaC)
	f.link(t, tg("5002"), anitaM)
	now := ist("2026-12-28 10:00")

	c := f.conversation(t, "5001", now)
	c.expect("समूह रिपोर्ट", unnati, "दिसंबर 2026", "5 जनवरी", f.hi("report.ask_members", nil))
	c.expect("६०", f.hi("common.retry_number", map[string]string{"min": "1", "max": "50"}), f.hi("report.ask_members", nil))
	c.expect("१२ सदस्य", f.hi("report.ask_meetings", nil))
	c.expect("दो", f.hi("report.ask_last_meeting", nil))
	c.expect("20 दिसंबर को", f.hi("report.ask_savings", nil))
	c.expect("5 हज़ार", f.hi("report.ask_accounts", nil))
	c.expect("15", f.hi("report.check_too_many", map[string]string{"accounts": "15", "members": "12"}), f.hi("report.ask_accounts", nil))
	c.expect("१०", f.hi("report.ask_loans", nil))
	c.expect("2", f.hi("report.ask_loans_amount", nil))
	c.expect("₹20,000", f.hi("report.ask_nutrition", nil))
	c.expect("हाँ जी", f.hi("report.ask_problem", nil))
	c.expect("पानी की टंकी ख़राब है", "सदस्य: 12", "बैठकें: 2, आख़िरी रविवार, 20 दिसंबर 2026", "₹5,000", "खाते वाले सदस्य: 10", "क़र्ज़: 2, कुल ₹20,000",
		"पोषण वाटिका: हाँ", "पानी की टंकी ख़राब है", f.hi("report.ask_confirm", nil))
	c.expect("नहीं", f.hi("report.ask_which", nil))
	c.expect("बचत", f.hi("report.ask_savings", nil))
	c.expect("६ हजार", "₹6,000", f.hi("report.ask_confirm", nil))
	c.expect("हाँ", f.hi("report.sent", map[string]string{"shg": unnati, "period_label": "दिसंबर 2026"}))

	got, ok, err := rs.Get(f.ctx, december, unnati)
	if err != nil || !ok {
		t.Fatalf("stored report: %v %v", ok, err)
	}
	want := reports.Report{SHG: unnati, Period: december, Members: 12, Meetings: 2, LastMeeting: "2026-12-20", Savings: 6000, Accounts: 10,
		LoansCount: 2, LoansAmount: 20000, Nutrition: true, Problem: "पानी की टंकी ख़राब है", By: anitaC, At: now}
	if !got.At.Equal(want.At) {
		t.Errorf("report at %v, want %v", got.At, want.At)
	}
	got.At, want.At = time.Time{}, time.Time{}
	if got != want {
		t.Errorf("stored report\n %+v\nwant\n %+v", got, want)
	}
	if len(c.st.Stack) != 0 {
		t.Errorf("flow still running: %+v", c.st.Stack)
	}
	for _, k := range []string{"members", "savings", "accounts", "loans_count", "problem", "period", "reviewing"} {
		if v, ok := c.st.Fields[k]; ok {
			t.Errorf("field %s=%q left in the conversation", k, v)
		}
	}

	// Another member of the group sends the month's report again: no loans
	// (the amount is not asked), no problem.
	later := now.Add(2 * time.Hour)
	c2 := f.conversation(t, "5002", later)
	c2.expect("रिपोर्ट", "की दिसंबर 2026 की रिपोर्ट आ चुकी है।", "पूरी रिपोर्ट फिर से भरनी है?")
	c2.expect("पूरी फिर से भरनी है", f.hi("report.ask_members", nil), "पहले आ चुकी है")
	c2.expect("11", f.hi("report.ask_meetings", nil))
	c2.expect("4", f.hi("report.ask_last_meeting", nil))
	c2.expect("पता नहीं", f.hi("report.ask_savings", nil))
	c2.expect("5500", f.hi("report.ask_accounts", nil))
	c2.expect("11", f.hi("report.ask_loans", nil))
	c2.expect("0", f.hi("report.ask_nutrition", nil))
	c2.expect("नहीं", f.hi("report.ask_problem", nil))
	summary := c2.expect("कोई नहीं", "क़र्ज़: 0\n", "पोषण वाटिका: नहीं")
	if strings.Contains(summary, "कुल ₹") {
		t.Errorf("summary shows a loan amount with no loans: %q", summary)
	}
	c2.expect("✅ भेजें", f.hi("report.replaced", map[string]string{"shg": unnati, "period_label": "दिसंबर 2026"}))

	got, _, _ = rs.Get(f.ctx, december, unnati)
	want = reports.Report{SHG: unnati, Period: december, Members: 11, Meetings: 4, Savings: 5500, Accounts: 11, By: anitaM, At: got.At}
	if got != want || !got.At.Equal(later) {
		t.Errorf("replacing report\n %+v\nwant\n %+v", got, want)
	}
	hist, err := rs.History(f.ctx, december, unnati)
	if err != nil || len(hist) != 2 || hist[0].By != anitaC || hist[1].By != anitaM {
		t.Errorf("history %+v %v, want the two reports in order", hist, err)
	}
}

// TestSHGReportCorrectionsKeepRules: corrections from the summary go
// through the same checks: fewer members than accounts asks the accounts
// again, loans where there were none ask their amount, and each comes back
// to the summary rather than through the rest of the questions.
func TestSHGReportCorrectionsKeepRules(t *testing.T) {
	f := setup(t)
	openDecember(t, f)
	f.link(t, tg("5003"), shanti)
	c := f.conversation(t, "5003", ist("2026-12-20 18:00"))
	c.say("/shg")
	for _, s := range []string{"10", "1", "याद नहीं", "0", "8", "0", "नहीं"} {
		c.say(s)
	}
	c.expect("कोई नहीं", f.hi("report.ask_confirm", nil))

	c.say("✏️ कुछ बदलना है")
	c.expect("सदस्य", f.hi("report.ask_members", nil))
	c.expect("6", f.hi("report.check_too_many", map[string]string{"accounts": "8", "members": "6"}), f.hi("report.ask_accounts", nil))
	c.expect("5", "सदस्य: 6", "खाते वाले सदस्य: 5", f.hi("report.ask_confirm", nil))

	c.say("नहीं")
	c.expect("क़र्ज़ की गिनती", f.hi("report.ask_loans", nil))
	c.expect("9", f.hi("report.check_too_many_loans", map[string]string{"loans_count": "9", "members": "6"}), f.hi("report.ask_loans", nil))
	c.expect("3", f.hi("report.ask_loans_amount", nil))
	c.expect("15 हज़ार", "क़र्ज़: 3, कुल ₹15,000", f.hi("report.ask_confirm", nil))

	c.say("नहीं")
	c.say("क़र्ज़ की गिनती")
	c.expect("0", "क़र्ज़: 0\n", f.hi("report.ask_confirm", nil))
	c.expect("हाँ", f.hi("report.sent", map[string]string{"shg": saraswati, "period_label": "दिसंबर 2026"}))
	got, _, _ := reports.New(f.rdb).Get(f.ctx, december, saraswati)
	if got.Members != 6 || got.Accounts != 5 || got.LoansCount != 0 || got.LoansAmount != 0 || got.Savings != 0 || got.Meetings != 1 {
		t.Errorf("stored %+v", got)
	}
}

// TestReportOpenAndSubmitRefusals: only SHG members report, only for a
// period open for them, and only the period they were shown.
func TestReportOpenAndSubmitRefusals(t *testing.T) {
	f := setup(t)
	f.link(t, tg("1001"), sarita)
	f.link(t, tg("2002"), bmm)
	f.link(t, tg("5001"), anitaC)
	f.link(t, tg("5010"), seema)
	now := ist("2026-12-20 10:00")
	// Only रसूलाबाद is asked for December.
	rs := reports.New(f.rdb)
	if err := rs.OpenPeriod(f.ctx, reports.Period{ID: december, Due: ist("2026-12-31 18:00"), Level: roster.LevelBlock, Value: "रसूलाबाद"}); err != nil {
		t.Fatal(err)
	}
	args := map[string]string{"period": december, "members": "10", "meetings": "2", "savings": "100", "accounts": "3",
		"loans_count": "0", "loans_amount": "0", "nutrition": "no", "problem": "कोई नहीं"}
	for _, tc := range []struct {
		name string
		chat chat
		call string
		want string
	}{
		{"a sabhasad", tg("1001"), "report.open", services.NotSHG},
		{"a coordinator", tg("2002"), "report.open", services.NotSHG},
		{"a stranger", tg("1999"), "report.open", services.NotSHG},
		{"an SHG member of another block", tg("5001"), "report.open", services.None},
		{"an SHG member of the block", tg("5010"), "report.open", services.OK},
		{"a sabhasad submits", tg("1001"), "report.submit", services.NotSHG},
		{"another block submits", tg("5001"), "report.submit", services.Closed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if res := f.call(t, tc.chat, tc.call, now, args); res.Status != tc.want {
				t.Errorf("%s: %+v, want %s", tc.call, res, tc.want)
			}
		})
	}
	if res := f.call(t, tg("5010"), "report.submit", now, map[string]string{"period": "2026-11"}); res.Status != services.Closed {
		t.Errorf("submit for another month: %+v", res)
	}
	bad := map[string]string{"period": december, "members": "10", "meetings": "2", "savings": "100", "accounts": "3",
		"loans_count": "2", "loans_amount": "0", "nutrition": "no"}
	if res := f.call(t, tg("5010"), "report.submit", now, bad); res.Status != services.Invalid {
		t.Errorf("loans without an amount: %+v", res)
	}
	if res := f.call(t, tg("5010"), "report.submit", now, args); res.Status != services.OK {
		t.Errorf("submit: %+v", res)
	}
	// The same transition computed again keeps one report, not two.
	if res := f.call(t, tg("5010"), "report.submit", now, args); res.Status != services.OK {
		t.Errorf("submit again: %+v", res)
	}
	if h, _ := rs.History(f.ctx, december, laxmiSHG); len(h) != 1 || h[0].Problem != "" {
		t.Errorf("history %+v, want one report with no problem", h)
	}
	// After the grace the period is closed.
	late := ist("2027-01-08 10:00")
	if res := f.call(t, tg("5010"), "report.open", late, nil); res.Status != services.None {
		t.Errorf("open after the grace: %+v", res)
	}
}

// TestReportRollupScope: a coordinator sees the roll-up of their area
// only: the BMM of मैथा its clusters and its total, the coordinator of
// another block nothing of मैथा, the DMM the blocks, the admin the
// district; others are refused. Reminders go to members of the SHGs of
// their area that have not reported, once a day.
func TestReportRollupScope(t *testing.T) {
	f := setup(t)
	rs := openDecember(t, f)
	const rasoolabadBMM = "+919811100077"
	if err := f.svc.Roster.Put(f.ctx, roster.Person{Name: "रमेश यादव", Phone: rasoolabadBMM, Role: roster.RoleCoordinator,
		Division: "कानपुर", District: "कानपुर देहात", Block: "रसूलाबाद", Language: "hi"}); err != nil {
		t.Fatal(err)
	}
	chats := map[string]chat{"participant": tg("1001"), "member": tg("5001"), "bmm": tg("2002"), "other bmm": tg("2005"),
		"dmm": tg("2001"), "eo": tg("2003"), "admin": tg("2004"), "stranger": tg("1999")}
	for who, phone := range map[string]string{"participant": sarita, "member": anitaC, "bmm": bmm, "other bmm": rasoolabadBMM,
		"dmm": dmm, "eo": eo, "admin": admin} {
		f.link(t, chats[who], phone)
	}
	for _, r := range []reports.Report{
		{SHG: unnati, Members: 12, Meetings: 2, Savings: 5000, Accounts: 9, LoansCount: 1, LoansAmount: 10000, Nutrition: true, By: anitaC},
		{SHG: saraswati, Members: 10, Meetings: 1, Savings: 2000, Accounts: 6, By: shanti},
		{SHG: laxmiSHG, Members: 8, Meetings: 3, Savings: 800, Accounts: 8, Nutrition: true, By: seema},
	} {
		r.Period, r.At = december, ist("2026-12-15 12:00")
		if _, err := rs.Submit(f.ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	now := ist("2026-12-28 10:00")
	rollup := func(who, arg string) flows.CallResult {
		return f.call(t, chats[who], "report.rollup", now, map[string]string{"arg": arg})
	}

	before := snapshot(t, f)
	for who, want := range map[string]string{"participant": services.Forbidden, "member": services.Forbidden,
		"stranger": services.Forbidden, "eo": services.None} {
		if res := rollup(who, ""); res.Status != want || len(res.Fields) > 0 {
			t.Errorf("%s: %+v, want %s and no fields", who, res, want)
		}
		if res := f.call(t, chats[who], "report.nudge", now, map[string]string{"period": december}); res.Status != want || len(res.Fields) > 0 {
			t.Errorf("%s nudges: %+v, want %s and no fields", who, res, want)
		}
	}
	if res := rollup("bmm", "2026-11"); res.Status != services.None {
		t.Errorf("a month with no period: %+v", res)
	}
	sameKeys(t, before, snapshot(t, f))

	other := rollup("other bmm", "")
	if other.Status != services.OK || strings.Contains(other.Fields["report_text"], "मैथा") ||
		!strings.Contains(other.Fields["report_text"], "रसूलाबाद-1: 2 में से 1 समूह ने रिपोर्ट दी") {
		t.Errorf("the coordinator of रसूलाबाद sees %+v", other)
	}

	res := rollup("bmm", "२०२६-१२")
	text := res.Fields["report_text"]
	for _, want := range []string{
		"मैथा-1: सभी 2 समूहों ने रिपोर्ट दी · खाते 15/22 (68%) · बचत ₹7,000 · क़र्ज़ 1 (₹10,000) · पोषण वाटिका 1/2",
		"मैथा-2: 2 में से किसी समूह ने रिपोर्ट नहीं दी",
		"कुल, मैथा: 4 में से 2 समूहों ने रिपोर्ट दी · खाते 15/22 (68%)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("BMM roll-up %q lacks %q", text, want)
		}
	}
	if res.Status != services.OK || res.Fields["missing"] != "2" || res.Fields["period"] != december ||
		strings.Contains(text, "रसूलाबाद") || strings.Contains(text, "कानपुर देहात:") {
		t.Errorf("BMM roll-up: %+v", res)
	}

	dmmText := rollup("dmm", "").Fields["report_text"]
	for _, want := range []string{"मैथा: 4 में से 2 समूहों ने रिपोर्ट दी", "रसूलाबाद: 2 में से 1 समूह ने रिपोर्ट दी",
		"सरवनखेड़ा: 2 में से किसी समूह ने रिपोर्ट नहीं दी", "कुल, कानपुर देहात: 8 में से 3 समूहों ने रिपोर्ट दी · खाते 23/30 (77%)"} {
		if !strings.Contains(dmmText, want) {
			t.Errorf("DMM roll-up %q lacks %q", dmmText, want)
		}
	}
	if adminText := rollup("admin", "").Fields["report_text"]; !strings.Contains(adminText, "कानपुर देहात: 8 में से 3 समूहों ने रिपोर्ट दी") ||
		strings.Contains(adminText, "मैथा") {
		t.Errorf("admin roll-up %q", adminText)
	}

	// Reminders: members of दुर्गा (मैथा-2/1, 2/2) with a chat; not of
	// the groups that reported, nor of रसूलाबाद.
	f.link(t, tg("6001"), babita)
	f.link(t, tg("6002"), anitaM) // उन्नति has reported
	f.link(t, tg("6003"), "+919374071881")
	nudge := f.call(t, chats["bmm"], "report.nudge", now, map[string]string{"period": december})
	if nudge.Status != services.OK || nudge.Fields["nudged"] != "1" || nudge.Fields["unreachable"] != "5" || nudge.Fields["groups"] != "1" {
		t.Errorf("nudge: %+v", nudge)
	}
	again := f.call(t, chats["bmm"], "report.nudge", now.Add(time.Hour), map[string]string{"period": december})
	if again.Status != services.OK {
		t.Errorf("nudge again: %+v", again)
	}
	var ids []string
	for _, ev := range f.published(t, "shg_report") {
		ids = append(ids, ev.ID)
		if ev.Phone != babita || ev.Vars["nudge"] != "yes" || !ev.NoHold || !ev.Bulk {
			t.Errorf("nudge event %+v", ev)
		}
	}
	want := "shgnudge:" + december + ":" + babita + ":2026-12-28"
	if len(ids) != 2 || ids[0] != want || ids[1] != want {
		t.Errorf("nudge events %v, want %s twice (the same id: applied once)", ids, want)
	}

	// The nudge opens the report for the member, with a reminder line.
	c := f.conversation(t, "6001", now)
	got := c.input(flows.Input{Event: &flows.Event{Flow: "shg_report", Vars: map[string]string{"nudge": "yes"}}})
	if !strings.Contains(got, f.hi("report.nudge_note", map[string]string{"period_label": "दिसंबर 2026"})) ||
		!strings.Contains(got, f.hi("report.ask_members", nil)) {
		t.Errorf("nudged member sees %q", got)
	}
}

// TestReportViewThroughTheEngine: "/report" shows the BMM their roll-up
// and offers the reminder; a participant gets the refusal.
func TestReportViewThroughTheEngine(t *testing.T) {
	f := setup(t)
	openDecember(t, f)
	f.link(t, tg("2002"), bmm)
	f.link(t, tg("1001"), sarita)
	now := ist("2026-12-28 10:00")
	c := f.conversation(t, "2002", now)
	c.expect("प्रगति", "क्लस्टर के हिसाब से", "मैथा-1: 2 में से किसी समूह ने रिपोर्ट नहीं दी", f.hi("rview.ask_nudge", map[string]string{"missing": "4"}))
	c.expect("अभी नहीं", f.hi("rview.done", nil))
	p := f.conversation(t, "1001", now)
	p.expect("/report", f.hi("coord.forbidden", nil))
}

// TestJJMSurveyRecord: the Jal Jeevan Mission survey, flow and messages
// only, keeps its answers as a jjm_problem record numbered 1, committed
// with the transition like any other record. A district coordinator's
// area has one district: it is not asked. The photo is kept.
func TestJJMSurveyRecord(t *testing.T) {
	f := setup(t)
	f.link(t, tg("2001"), dmm)
	f.svc.Files["telegram"] = files{"doc-1": "%PDF-1.4 फोटो"}
	now := ist("2026-12-01 11:00")
	c := f.conversation(t, "2001", now)
	c.expect("जल जीवन मिशन", f.hi("jjm.ask_kind", nil))
	c.expect("पाइपलाइन टूटी है", f.hi("jjm.ask_details", nil))
	c.expect("रसूलपुर गाँव में मुख्य पाइप दो जगह फटी है", f.hi("jjm.ask_since", nil))
	// A past date without a year, typed on 1 December: this 30 November.
	c.expect("30 नवंबर से", f.hi("jjm.ask_doc", nil))
	c.expect("ठीक है", f.hi("jjm.retry_doc", nil))
	got := c.input(flows.Input{Media: "document", File: &flows.File{ID: "doc-1", Name: "फोटो.pdf"}})
	for _, want := range []string{"कानपुर देहात", f.hi("jjm.kind_pipeline", nil), "सोमवार, 30 नवंबर 2026", "फोटो.pdf", f.hi("jjm.ask_confirm", nil)} {
		if !strings.Contains(got, want) {
			t.Errorf("summary %q lacks %q", got, want)
		}
	}
	c.expect("हाँ", f.hi("jjm.thanks", map[string]string{"name": "सुनील वर्मा (जिला मिशन प्रबंधक)", "number": "1"}))
	if len(c.last.Records) != 1 {
		t.Fatalf("records %+v, want one", c.last.Records)
	}
	st := store.New(f.rdb, 0)
	if _, err := st.Commit(f.ctx, store.Commit{Channel: "telegram", User: "2001", MsgID: "jjm-1", Expected: 0,
		State: flows.State{Version: 1}, Records: c.last.Records, At: now}); err != nil {
		t.Fatal(err)
	}
	rec, err := st.Record(f.ctx, "jjm_problem", "1")
	if err != nil || rec == nil {
		t.Fatalf("record 1: %v %v", rec, err)
	}
	want := map[string]string{"number": "1", "person": dmm, "name": "सुनील वर्मा (जिला मिशन प्रबंधक)", "district": "कानपुर देहात", "kind": "pipeline",
		"details": "रसूलपुर गाँव में मुख्य पाइप दो जगह फटी है", "since": "2026-11-30", "doc_id": "doc-1", "doc_name": "फोटो.pdf", "status": "new"}
	for k, v := range want {
		if rec[k] != v {
			t.Errorf("record %s = %q, want %q", k, rec[k], v)
		}
	}
	if data, err := f.svc.KeptFiles.Get(f.ctx, rec["file_ref"]); err != nil || string(data) != "%PDF-1.4 फोटो" {
		t.Errorf("the kept file %q: %q, %v", rec["file_ref"], data, err)
	}
	if keys, _ := st.RecordKeys(f.ctx, "jjm_problem"); len(keys) != 1 || keys[0] != "1" {
		t.Errorf("record keys %v", keys)
	}
	// No division coordinator of कानपुर on the roster: the admin is told.
	if evs := f.published(t, "notice"); len(evs) != 1 || evs[0].Phone != admin || !strings.Contains(evs[0].Vars["text"], "नई समस्या, नंबर 1: कानपुर देहात") {
		t.Errorf("notices %+v", evs)
	}

	// Someone not on the roster is told to join first.
	s := f.conversation(t, "1999", now)
	s.expect("/jjm", f.hi("jjm.unknown", nil))
}
