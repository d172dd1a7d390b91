package services_test

import (
	"bytes"
	"math"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/store/reports"
)

// TestRollupOfChatReportsEqualsHandTable: three SHGs of two blocks report by
// chat (Hindi words, Devanagari digits, a number out of range re-asked, one
// correction at the summary); the roll-up at every level, and the Excel
// read back, equal a table worked out by hand.
func TestRollupOfChatReportsEqualsHandTable(t *testing.T) {
	f := setup(t)
	rs := openDecember(t, f)
	now := ist("2026-12-28 10:00")
	f.link(t, tg("6001"), anitaC)
	f.link(t, tg("6002"), babita)
	f.link(t, tg("6003"), seema)

	// उन्नति (मैथा-1/1): 12 members, 2 meetings, ₹6,000 (corrected from 5,000), 10 accounts, 2 loans ₹20,000, garden.
	c := f.conversation(t, "6001", now)
	for _, s := range []string{"समूह रिपोर्ट", "१२", "दो", "27/12", "5 हज़ार", "१०", "2", "₹20,000", "हाँ", "कोई नहीं"} {
		c.say(s)
	}
	c.expect("नहीं", f.hi("report.ask_which", nil))
	c.expect("बचत", f.hi("report.ask_savings", nil))
	c.expect("६ हजार", "₹6,000")
	c.expect("हाँ", "रिपोर्ट मिल गई")

	// दुर्गा (मैथा-2/1): 10 members (after 60, out of range), 1 meeting, ₹4,000, 7 accounts, no loans, no garden.
	c = f.conversation(t, "6002", now)
	for _, s := range []string{"मासिक रिपोर्ट", "60", "10", "1", "कल", "4000", "7", "0", "नहीं", "पानी की टंकी ख़राब है"} {
		c.say(s)
	}
	c.expect("हाँ", "रिपोर्ट मिल गई")

	// लक्ष्मी (रसूलाबाद-1/1): 15 members, 3 meetings, ₹7,500, 15 accounts, 1 loan ₹10,000, garden.
	c = f.conversation(t, "6003", now)
	for _, s := range []string{"रिपोर्ट", "15", "३", "२२ दिसंबर", "7,500", "15", "1", "10000", "haan", "कोई नहीं"} {
		c.say(s)
	}
	c.expect("जी हाँ", "रिपोर्ट मिल गई")

	got, err := rs.Reports(f.ctx, december)
	if err != nil || len(got) != 3 {
		t.Fatalf("reports: %d, %v", len(got), err)
	}
	for _, r := range got {
		if r.Members == 60 {
			t.Fatalf("an out-of-range number was stored: %+v", r)
		}
	}
	people, err := f.svc.Roster.All(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	tables := reports.RollUp(december, got, people)

	type want struct {
		expected, reported, members, meetings int
		savings                               int64
		accounts, loans                       int
		loansAmount                           int64
		gardens                               int
		accountsPct, gardensPct               float64
	}
	hand := map[string]map[string]want{
		reports.LevelSHG: {
			unnati: {1, 1, 12, 2, 6000, 10, 2, 20000, 1, 100 * 10 / 12.0, 100},
			"दुर्गा स्वयं सहायता समूह (मैथा-2/1)": {1, 1, 10, 1, 4000, 7, 0, 0, 0, 70, 0},
			laxmiSHG:  {1, 1, 15, 3, 7500, 15, 1, 10000, 1, 100, 100},
			saraswati: {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		},
		reports.LevelCluster: {
			"मैथा-1":      {2, 1, 12, 2, 6000, 10, 2, 20000, 1, 100 * 10 / 12.0, 100},
			"मैथा-2":      {2, 1, 10, 1, 4000, 7, 0, 0, 0, 70, 0},
			"रसूलाबाद-1":  {2, 1, 15, 3, 7500, 15, 1, 10000, 1, 100, 100},
			"सरवनखेड़ा-1": {2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		},
		reports.LevelBlock: {
			"मैथा":      {4, 2, 22, 3, 10000, 17, 2, 20000, 1, 100 * 17 / 22.0, 50},
			"रसूलाबाद":  {2, 1, 15, 3, 7500, 15, 1, 10000, 1, 100, 100},
			"सरवनखेड़ा": {2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		},
		reports.LevelDistrict: {
			"कानपुर देहात": {8, 3, 37, 6, 17500, 32, 3, 30000, 2, 100 * 32 / 37.0, 100 * 2 / 3.0},
		},
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 0.01 }
	for level, rows := range hand {
		seen := map[string]bool{}
		for _, r := range tables.Rows(level) {
			w, ok := rows[r.Name]
			if !ok {
				continue // the other SHGs of the roster: checked by count below
			}
			seen[r.Name] = true
			g := want{r.Expected, r.Reported, r.Members, r.Meetings, r.Savings, r.Accounts, r.LoansCount, r.LoansAmount, r.NutritionGroups, r.AccountsPct, r.NutritionPct}
			if g.expected != w.expected || g.reported != w.reported || g.members != w.members || g.meetings != w.meetings ||
				g.savings != w.savings || g.accounts != w.accounts || g.loans != w.loans || g.loansAmount != w.loansAmount ||
				g.gardens != w.gardens || !near(g.accountsPct, w.accountsPct) || !near(g.gardensPct, w.gardensPct) {
				t.Errorf("%s %s: got %+v, want %+v", level, r.Name, g, w)
			}
		}
		if len(seen) != len(rows) {
			t.Errorf("%s: found %v of the hand table's rows", level, seen)
		}
	}

	// The Excel: the same sums, read back.
	var buf bytes.Buffer
	if err := reports.Export(&buf, tables, "hi"); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for sheet, level := range map[string]string{"क्लस्टर": reports.LevelCluster, "ब्लॉक": reports.LevelBlock, "ज़िला": reports.LevelDistrict} {
		rows, err := x.GetRows(sheet, excelize.Options{RawCellValue: true}) // the numbers, not their display
		if err != nil || len(rows) < 2 {
			t.Fatalf("sheet %s: %v %v", sheet, rows, err)
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		for _, row := range rows[1:] {
			w, ok := hand[level][row[0]]
			if !ok {
				continue
			}
			cell := func(h string) int64 {
				i, ok := col[h]
				if !ok || i >= len(row) {
					return 0
				}
				n, _ := strconv.ParseInt(row[i], 10, 64)
				return n
			}
			if cell("सदस्य") != int64(w.members) || cell("बचत (₹)") != w.savings || cell("बैंक खाते") != int64(w.accounts) ||
				cell("क़र्ज़ (₹)") != w.loansAmount || cell("रिपोर्ट दी") != int64(w.reported) || cell("कुल समूह") != int64(w.expected) {
				t.Errorf("Excel %s %s: %v, want %+v", sheet, row[0], row, w)
			}
		}
	}
}

func TestReportRemindersUntilTheDueDate(t *testing.T) {
	f := setup(t)
	rs := openDecember(t, f) // कानपुर देहात, due 5 January 18:00
	if _, err := rs.Submit(f.ctx, reports.Report{SHG: unnati, Period: december, Members: 12, Meetings: 2, Savings: 6000,
		Accounts: 10, By: anitaC, At: ist("2026-12-20 10:00")}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		at   string
		want int
	}{
		{"2026-12-28 09:30", 0},  // not before 10:00
		{"2026-12-28 11:00", 21}, // every SHG member of the district but उन्नति's three
		{"2026-12-28 15:00", 0},  // once a day
		{"2026-12-29 10:05", 21}, // and again the next day
		{"2026-12-29 22:00", 0},  // never in quiet hours
		{"2027-01-06 11:00", 0},  // not after the due date
	} {
		n, err := f.svc.ReportReminders(f.ctx, ist(tc.at))
		if err != nil || n != tc.want {
			t.Errorf("%s: reminded %d (%v), want %d", tc.at, n, err, tc.want)
		}
	}
	for _, ev := range f.published(t, "shg_report") {
		if ev.Phone == anitaC || ev.Phone == anitaM {
			t.Fatalf("a member of a group that reported was reminded: %+v", ev)
		}
	}
}

// Report reminders skip the members who said "बंद करो", and only them.
func TestReportRemindersSkipTheOptedOut(t *testing.T) {
	f := setup(t)
	openDecember(t, f)
	n, err := f.svc.ReportReminders(f.ctx, ist("2026-12-28 11:00"))
	if err != nil || n == 0 {
		t.Fatalf("reminded %d: %v", n, err)
	}
	all := f.published(t, "shg_report")
	stopped := all[0].Phone
	if _, err := f.svc.OptOut.Set(f.ctx, stopped, true); err != nil {
		t.Fatal(err)
	}
	m, err := f.svc.ReportReminders(f.ctx, ist("2026-12-29 11:00"))
	if err != nil || m != n-1 {
		t.Fatalf("the next day reminded %d (%v), want %d", m, err, n-1)
	}
	for _, ev := range f.published(t, "shg_report")[len(all):] {
		if ev.Phone == stopped {
			t.Fatalf("reminded someone who opted out: %+v", ev)
		}
	}
}
