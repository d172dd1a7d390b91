package services_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store/reports"
	"github.com/saathi-bot/saathi/store/roster"
)

// TestReportTargetRemindsAndListsTheGroupsBehind: December's reports are
// due on the 5th for कानपुर देहात; the block मैथा has a target, "every
// member with a bank account" by the 15th. Two of its four groups report
// by chat (उन्नति 10 accounts of 12, दुर्गा 2/1 all 10). After the due
// date the groups below the target — उन्नति, and the two that have not
// reported — are reminded daily, and nobody else; the block coordinator's
// roll-up lists them as behind. उन्नति corrects only its accounts after
// the grace week, from the reminder: the other answers stay, the report
// is replaced, and it is no longer reminded or listed. After the target
// date nobody is reminded.
func TestReportTargetRemindsAndListsTheGroupsBehind(t *testing.T) {
	f := setup(t)
	rs := reports.New(f.rdb)
	if err := rs.OpenPeriod(f.ctx, reports.Period{ID: december, Due: ist("2026-12-05 23:59"), Level: roster.LevelDistrict,
		Value: "कानपुर देहात", OpenedBy: dmm, At: ist("2026-12-01 09:00")}); err != nil {
		t.Fatal(err)
	}
	indicator, goal, err := reports.ParseGoal("खाते=सदस्य")
	if err != nil {
		t.Fatal(err)
	}
	if err := rs.SetTarget(f.ctx, reports.Target{Period: december, Indicator: indicator, Goal: goal, Level: roster.LevelBlock, Value: "मैथा",
		By: ist("2026-12-15 23:59"), SetBy: "cli"}); err != nil {
		t.Fatal(err)
	}
	f.link(t, tg("6001"), anitaC)
	f.link(t, tg("6002"), babita)
	f.link(t, tg("2002"), bmm)
	day3 := ist("2026-12-03 11:00")
	c := f.conversation(t, "6001", day3)
	for _, s := range []string{"रिपोर्ट", "12", "2", "28 नवंबर", "6000", "10", "2", "20000", "हाँ", "कोई नहीं"} {
		c.say(s)
	}
	c.expect("हाँ", "रिपोर्ट मिल गई")
	b := f.conversation(t, "6002", day3)
	for _, s := range []string{"रिपोर्ट", "10", "1", "पता नहीं", "4000", "10", "0", "नहीं", "कोई नहीं"} {
		b.say(s)
	}
	b.expect("हाँ", "रिपोर्ट मिल गई")

	// After the due date: the groups of मैथा below the target, by hand.
	behind := []string{"अनीता चौहान", "अनीता मौर्य", "सीमा दुबे", // उन्नति (मैथा-1/1), 10 of 12
		"शांति मौर्य", "सरिता शर्मा", "गीता सोनकर", // सरस्वती (मैथा-1/2), no report
		"सुनीता गुप्ता", "बबीता सोनकर", "गीता प्रजापति"} // दुर्गा (मैथा-2/2), no report
	remindedOn := func(at string) []string {
		t.Helper()
		before := len(f.published(t, "shg_report"))
		n, err := f.svc.ReportReminders(f.ctx, ist(at))
		if err != nil {
			t.Fatalf("%s: %v", at, err)
		}
		var names []string
		for _, ev := range f.published(t, "shg_report")[before:] {
			names = append(names, f.name(t, ev.Phone))
		}
		if n != len(names) {
			t.Errorf("%s: counted %d reminders, published %d", at, n, len(names))
		}
		slices.Sort(names)
		return names
	}
	want := slices.Sorted(slices.Values(behind))
	if got := remindedOn("2026-12-10 11:00"); !slices.Equal(got, want) {
		t.Errorf("reminded on the 10th %q, want %q", got, want)
	}
	if got := remindedOn("2026-12-10 15:00"); len(got) != 0 {
		t.Errorf("reminded twice on the 10th: %q", got)
	}

	k := f.conversation(t, "2002", ist("2026-12-10 12:00"))
	view := k.say("प्रगति")
	for _, w := range []string{
		"🎯 लक्ष्य से पीछे (3 समूह) — लक्ष्य: मंगलवार, 15 दिसंबर तक सभी सदस्यों के बैंक खाते खुल जाएँ।",
		"• उन्नति स्वयं सहायता समूह (मैथा-1/1): 10/12",
		"• सरस्वती स्वयं सहायता समूह (मैथा-1/2): रिपोर्ट नहीं आई",
		"• दुर्गा स्वयं सहायता समूह (मैथा-2/2): रिपोर्ट नहीं आई",
	} {
		if !strings.Contains(view, w) {
			t.Errorf("roll-up lacks %q:\n%s", w, view)
		}
	}
	if strings.Contains(view, "(मैथा-2/1): ") {
		t.Errorf("a group at its target is listed behind:\n%s", view)
	}

	// The 14th, past the grace week: उन्नति corrects only its accounts, from the reminder.
	c.now = ist("2026-12-14 11:00")
	got := c.input(flows.Input{Event: &flows.Event{Flow: "shg_report", Vars: map[string]string{"nudge": "yes"}}})
	for _, w := range []string{"रिपोर्ट आ गई है, पर लक्ष्य अभी बाकी है", "🎯 लक्ष्य: मंगलवार, 15 दिसंबर तक सभी सदस्यों के बैंक खाते खुल जाएँ। अभी आपकी रिपोर्ट में: 10/12।",
		f.hi("report.mode_fix", nil)} {
		if !strings.Contains(got+optionLabels(c.last), w) {
			t.Errorf("the reminder %q lacks %q", got, w)
		}
	}
	c.expect("एक बात ठीक करनी है", "👥 सदस्य: 12", "💰 बचत: ₹6,000", "🏦 बैंक खाते वाले सदस्य: 10", f.hi("report.ask_which", nil))
	c.expect("बैंक खाते", f.hi("report.ask_accounts", nil))
	c.expect("१२", "🏦 बैंक खाते वाले सदस्य: 12", "📄 क़र्ज़: 2, कुल ₹20,000", f.hi("report.ask_confirm", nil))
	c.expect("हाँ", "पिछली रिपोर्ट की जगह अब यह रिपोर्ट रहेगी")
	r, ok, err := rs.Get(f.ctx, december, unnati)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if r.Members != 12 || r.Meetings != 2 || r.Savings != 6000 || r.Accounts != 12 || r.LoansCount != 2 || r.LoansAmount != 20000 || !r.Nutrition || r.Problem != "" {
		t.Errorf("the corrected report %+v: only the accounts should have changed", r)
	}
	if h, _ := rs.History(f.ctx, december, unnati); len(h) != 2 {
		t.Errorf("history %d reports, want both", len(h))
	}
	want = slices.Sorted(slices.Values(behind[3:]))
	if got := remindedOn("2026-12-15 10:30"); !slices.Equal(got, want) {
		t.Errorf("reminded on the 15th %q, want %q", got, want)
	}
	if got := remindedOn("2026-12-16 11:00"); len(got) != 0 {
		t.Errorf("reminded after the target date: %q", got)
	}
	k.now = ist("2026-12-15 12:00")
	if view := k.say("प्रगति"); !strings.Contains(view, "लक्ष्य से पीछे (2 समूह)") || strings.Contains(view, "(मैथा-1/1): 10/12") {
		t.Errorf("roll-up after the correction:\n%s", view)
	}
}

// optionLabels are the labels of the last reply's options, one a line.
func optionLabels(r flows.Result) string {
	var b strings.Builder
	for _, rep := range r.Replies {
		for _, o := range rep.Options {
			b.WriteString("\n" + o.Label)
		}
	}
	return b.String()
}
