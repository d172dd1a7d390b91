package reports

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/storetest"
)

// dbReports is this package's test database.
const dbReports = 15

// The SHGs of the sample roster.
const (
	maitha11  = "उन्नति स्वयं सहायता समूह (मैथा-1/1)"
	maitha12  = "सरस्वती स्वयं सहायता समूह (मैथा-1/2)"
	maitha21  = "दुर्गा स्वयं सहायता समूह (मैथा-2/1)"
	maitha22  = "दुर्गा स्वयं सहायता समूह (मैथा-2/2)"
	rasul11   = "लक्ष्मी स्वयं सहायता समूह (रसूलाबाद-1/1)"
	rasul12   = "उन्नति स्वयं सहायता समूह (रसूलाबाद-1/2)"
	sarvan11  = "उन्नति स्वयं सहायता समूह (सरवनखेड़ा-1/1)"
	sarvan12  = "प्रेरणा स्वयं सहायता समूह (सरवनखेड़ा-1/2)"
	district  = "कानपुर देहात"
	division  = "कानपुर"
	period    = "2026-12"
	reporter  = "+919888718033"
	problemL1 = "बैंक मित्र नहीं आए"
)

func sample(t *testing.T) []roster.Person {
	t.Helper()
	people, bad, err := roster.ParseCSV(bytes.NewReader(roster.Sample))
	if err != nil || len(bad) > 0 {
		t.Fatalf("sample roster: %v %v", err, bad)
	}
	return people
}

func person(t *testing.T, people []roster.Person, name string) roster.Person {
	t.Helper()
	for _, p := range people {
		if strings.HasPrefix(p.Name, name) {
			return p
		}
	}
	t.Fatalf("no %q in the sample roster", name)
	return roster.Person{}
}

func at(day, hour int) time.Time { return time.Date(2026, 12, day, hour, 0, 0, 0, locales.IST) }

// valid is a report that passes Validate.
func valid() Report {
	return Report{SHG: maitha11, Period: period, Members: 12, Meetings: 4, Savings: 4500, Accounts: 9,
		LoansCount: 1, LoansAmount: 10000, Nutrition: true, By: reporter, At: at(3, 10)}
}

func TestValidate(t *testing.T) {
	if err := valid().Validate(); err != nil {
		t.Fatalf("valid report: %v", err)
	}
	edge := valid()
	edge.Members, edge.Accounts, edge.LoansCount, edge.LoansAmount = 50, 50, 0, 0
	edge.Meetings, edge.Savings = 31, MaxSavings
	if err := edge.Validate(); err != nil {
		t.Fatalf("report at the limits: %v", err)
	}
	withDay := valid()
	withDay.Meetings, withDay.LastMeeting = 2, "2026-11-30"
	if err := withDay.Validate(); err != nil {
		t.Fatalf("a report with its last meeting's day: %v", err)
	}
	for _, tc := range []struct {
		name, field string
		edit        func(*Report)
	}{
		{"no SHG", "SHG", func(r *Report) { r.SHG = "  " }},
		{"period not a month", "Period", func(r *Report) { r.Period = "2026-13" }},
		{"period as a date", "Period", func(r *Report) { r.Period = "2026-12-01" }},
		{"period missing", "Period", func(r *Report) { r.Period = "" }},
		{"no members", "Members", func(r *Report) { r.Members, r.Accounts, r.LoansCount, r.LoansAmount = 0, 0, 0, 0 }},
		{"51 members", "Members", func(r *Report) { r.Members = 51 }},
		{"negative meetings", "Meetings", func(r *Report) { r.Meetings = -1 }},
		{"32 meetings", "Meetings", func(r *Report) { r.Meetings = 32 }},
		{"negative savings", "Savings", func(r *Report) { r.Savings = -1 }},
		{"savings over 10 lakh", "Savings", func(r *Report) { r.Savings = MaxSavings + 1 }},
		{"accounts over members", "Accounts", func(r *Report) { r.Accounts = 13 }},
		{"negative accounts", "Accounts", func(r *Report) { r.Accounts = -2 }},
		{"loans over members", "LoansCount", func(r *Report) { r.LoansCount = 13 }},
		{"negative loans", "LoansCount", func(r *Report) { r.LoansCount, r.LoansAmount = -1, 0 }},
		{"negative loan amount", "LoansAmount", func(r *Report) { r.LoansAmount = -5 }},
		{"loan amount too large", "LoansAmount", func(r *Report) { r.LoansAmount = MaxLoansAmount + 1 }},
		{"loans without amount", "LoansAmount", func(r *Report) { r.LoansAmount = 0 }},
		{"amount without loans", "LoansAmount", func(r *Report) { r.LoansCount = 0 }},
		{"long problem", "Problem", func(r *Report) { r.Problem = strings.Repeat("क", MaxProblem+1) }},
		{"last meeting not a date", "LastMeeting", func(r *Report) { r.LastMeeting = "30 नवंबर" }},
		{"last meeting without meetings", "LastMeeting", func(r *Report) { r.Meetings, r.LastMeeting = 0, "2026-11-30" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := valid()
			tc.edit(&r)
			err := r.Validate()
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Validate = %v, want a FieldError", err)
			}
			if fe.Field != tc.field {
				t.Errorf("field %q, want %q (%v)", fe.Field, tc.field, err)
			}
			if !strings.Contains(err.Error(), strings.ToLower(tc.field)+":") {
				t.Errorf("error %q does not name %s", err, tc.field)
			}
		})
	}
	// Several problems are all reported.
	r := valid()
	r.Members, r.Meetings = 0, 40
	err := r.Validate()
	if err == nil || !strings.Contains(err.Error(), "members:") || !strings.Contains(err.Error(), "meetings:") {
		t.Errorf("two problems: %v", err)
	}
}

func TestOpenPeriod(t *testing.T) {
	ctx := context.Background()
	s := New(storetest.Redis(t, dbReports, nil))
	p := Period{ID: period, Due: at(7, 23), Level: roster.LevelBlock, Value: "मैथा", OpenedBy: "bmm", At: at(1, 9)}
	for range 2 {
		if err := s.OpenPeriod(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	again := p
	again.OpenedBy, again.Value, again.Due = "someone else", " मैथा ", at(20, 23)
	if err := s.OpenPeriod(ctx, again); err != nil {
		t.Fatal(err)
	}
	ps, err := s.Periods(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].OpenedBy != "bmm" || !ps[0].Due.Equal(p.Due) || !ps[0].At.Equal(p.At) {
		t.Fatalf("after opening three times: %+v, want only the first", ps)
	}
	if err := s.OpenPeriod(ctx, Period{ID: period, Due: at(7, 23), Level: roster.LevelAll, OpenedBy: "cli"}); err != nil {
		t.Fatal(err)
	}
	if ps, _ = s.Periods(ctx); len(ps) != 2 {
		t.Fatalf("another scope: %d periods, want 2", len(ps))
	}
	for _, bad := range []Period{
		{ID: "2026-1", Due: at(7, 23), Level: roster.LevelAll},
		{ID: period, Level: roster.LevelAll},
		{ID: period, Due: at(7, 23), Level: roster.LevelBlock},
		{ID: period, Due: at(7, 23), Level: roster.LevelAll, Value: "मैथा"},
		{ID: period, Due: at(7, 23), Level: roster.LevelBody, Value: "नगर पंचायत अनपरा"},
		{ID: period, Due: at(7, 23), Level: "shg", Value: maitha11},
	} {
		if err := s.OpenPeriod(ctx, bad); err == nil {
			t.Errorf("OpenPeriod(%+v) took a bad period", bad)
		}
	}
	if ps, _ = s.Periods(ctx); len(ps) != 2 {
		t.Fatalf("bad periods were stored: %+v", ps)
	}
}

func TestOpenFor(t *testing.T) {
	ctx := context.Background()
	s := New(storetest.Redis(t, dbReports, nil))
	people := sample(t)
	inMaitha := person(t, people, "अनीता चौहान")
	inRasul := person(t, people, "सीमा वर्मा")
	elsewhere := person(t, people, "सरिता राजभर") // सोनभद्र
	nov := time.Date(2026, 11, 30, 23, 59, 0, 0, locales.IST)
	for _, p := range []Period{
		{ID: "2026-11", Due: nov, Level: roster.LevelBlock, Value: "मैथा"},
		{ID: period, Due: at(7, 23), Level: roster.LevelDistrict, Value: district},
		{ID: period, Due: at(10, 23), Level: roster.LevelBlock, Value: "रसूलाबाद"},
		{ID: "2027-01", Due: time.Date(2027, 1, 7, 23, 0, 0, 0, locales.IST), Level: roster.LevelDivision, Value: "मिर्जापुर"},
	} {
		p.OpenedBy = "cli"
		if err := s.OpenPeriod(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name   string
		who    roster.Person
		now    time.Time
		id     string
		scope  string
		wantOK bool
	}{
		{"both open: the one due last", inMaitha, at(5, 12), period, "district=" + district, true},
		{"november still in its grace", inMaitha, at(3, 12), period, "district=" + district, true},
		{"district period in its grace", inMaitha, at(14, 22), period, "district=" + district, true},
		{"district period past its grace", inMaitha, at(15, 0), "", "", false},
		{"block due later than the district", inRasul, at(5, 12), period, "block=रसूलाबाद", true},
		{"block period in its grace", inRasul, at(17, 22), period, "block=रसूलाबाद", true},
		{"all closed", inRasul, at(18, 0), "", "", false},
		{"another division", elsewhere, at(5, 12), "2027-01", "division=मिर्जापुर", true},
		{"another division, past", elsewhere, time.Date(2027, 1, 15, 0, 0, 0, 0, locales.IST), "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, ok, err := s.OpenFor(ctx, tc.who, tc.now)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tc.wantOK || p.ID != tc.id || (ok && p.Scope().String() != tc.scope) {
				t.Errorf("OpenFor = %+v, %v; want %s %s, %v", p, ok, tc.id, tc.scope, tc.wantOK)
			}
		})
	}
	// Scope all reaches everyone.
	if err := s.OpenPeriod(ctx, Period{ID: "2027-02", Due: time.Date(2027, 2, 7, 23, 0, 0, 0, locales.IST), Level: roster.LevelAll}); err != nil {
		t.Fatal(err)
	}
	if p, ok, err := s.OpenFor(ctx, inMaitha, time.Date(2027, 2, 1, 0, 0, 0, 0, locales.IST)); err != nil || !ok || p.ID != "2027-02" {
		t.Errorf("scope all: %+v %v %v", p, ok, err)
	}
}

func TestSubmitReplacesAndKeepsHistory(t *testing.T) {
	ctx := context.Background()
	s := New(storetest.Redis(t, dbReports, nil))
	first := valid()
	replaced, err := s.Submit(ctx, first)
	if err != nil || replaced {
		t.Fatalf("first Submit = %v, %v", replaced, err)
	}
	second := valid()
	second.SHG = "  उन्नति  स्वयं सहायता समूह (मैथा-1/1) " // the same SHG, spaced differently
	second.Savings, second.At, second.Problem = 5000, at(4, 10), " बैंक दूर है "
	replaced, err = s.Submit(ctx, second)
	if err != nil || !replaced {
		t.Fatalf("second Submit = %v, %v", replaced, err)
	}
	got, ok, err := s.Get(ctx, period, maitha11)
	if err != nil || !ok {
		t.Fatalf("Get = %v, %v", ok, err)
	}
	if got.Savings != 5000 || got.SHG != maitha11 || got.Problem != "बैंक दूर है" || !got.At.Equal(second.At) {
		t.Errorf("current report %+v, want the second one, trimmed", got)
	}
	h, err := s.History(ctx, period, maitha11)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h[0].Savings != 4500 || h[1].Savings != 5000 {
		t.Errorf("history %+v, want both, oldest first", h)
	}
	other := valid()
	other.SHG, other.Nutrition = maitha12, false
	if _, err := s.Submit(ctx, other); err != nil {
		t.Fatal(err)
	}
	nextMonth := valid()
	nextMonth.Period = "2027-01"
	if _, err := s.Submit(ctx, nextMonth); err != nil {
		t.Fatal(err)
	}
	var paged []string // the same, a page at a time
	if err := s.EachReport(ctx, period, func(page []Report) error {
		for _, r := range page {
			paged = append(paged, r.SHG+"/"+strconv.FormatInt(r.Savings, 10))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if slices.Sort(paged); !slices.Equal(slices.Compact(paged), []string{maitha11 + "/5000", maitha12 + "/4500"}) {
		t.Errorf("EachReport gave %q, want the current report of each of two SHGs", paged)
	}
	// An area's: those of its SHGs that reported, named as people type them.
	area, err := s.ReportsOf(ctx, period, []string{" उन्नति  स्वयं सहायता समूह (मैथा-1/1)", maitha11, rasul11, ""})
	if err != nil || len(area) != 1 || area[0].SHG != maitha11 || area[0].Savings != 5000 {
		t.Errorf("ReportsOf = %+v, %v; want the current report of %s alone", area, err, maitha11)
	}
	rs, err := s.Reports(ctx, period)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].SHG != maitha11 || rs[0].Savings != 5000 || rs[1].SHG != maitha12 {
		t.Errorf("Reports = %+v, want the current report of each of two SHGs", rs)
	}
	bad := valid()
	bad.SHG, bad.Accounts = rasul11, 40
	if _, err := s.Submit(ctx, bad); err == nil {
		t.Error("Submit took an invalid report")
	}
	if _, ok, _ := s.Get(ctx, period, rasul11); ok {
		t.Error("an invalid report was stored")
	}
	if _, ok, err := s.Get(ctx, "2026-10", maitha11); ok || err != nil {
		t.Errorf("Get of another month = %v, %v", ok, err)
	}
	if h, err := s.History(ctx, period, rasul11); err != nil || len(h) != 0 {
		t.Errorf("History of an SHG that never reported = %v, %v", h, err)
	}
}

func TestSubmitConcurrent(t *testing.T) {
	ctx := context.Background()
	s := New(storetest.Redis(t, dbReports, nil))
	const n = 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	fresh := 0
	for i := range n {
		wg.Go(func() {
			r := valid()
			r.Savings = int64(1000 + i)
			replaced, err := s.Submit(ctx, r)
			if err != nil {
				t.Error(err)
				return
			}
			if !replaced {
				mu.Lock()
				fresh++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	h, err := s.History(ctx, period, maitha11)
	if err != nil {
		t.Fatal(err)
	}
	cur, _, err := s.Get(ctx, period, maitha11)
	if err != nil {
		t.Fatal(err)
	}
	if fresh != 1 || len(h) != n || h[n-1].Savings != cur.Savings {
		t.Errorf("%d submissions at once: %d not replacing (want 1), history %d, last %d, current %d",
			n, fresh, len(h), h[len(h)-1].Savings, cur.Savings)
	}
}

// sampleReports are reports for four of the sample's eight SHGs, plus an
// earlier version of one, one of another month and one of an SHG not on
// the roster.
func sampleReports() []Report {
	r := func(shg string, members, meetings int, savings int64, accounts, loans int, amount int64, nutrition bool, problem string, day int) Report {
		return Report{SHG: shg, Period: period, Members: members, Meetings: meetings, Savings: savings, Accounts: accounts,
			LoansCount: loans, LoansAmount: amount, Nutrition: nutrition, Problem: problem, By: reporter, At: at(day, 10)}
	}
	lastMonth := r(sarvan12, 10, 4, 9999, 10, 0, 0, true, "", 5)
	lastMonth.Period = "2026-11"
	return []Report{
		r(maitha11, 12, 4, 4500, 9, 1, 10000, true, "", 3),
		r(maitha21, 14, 1, 100, 1, 0, 0, false, "", 2), // replaced by the next one
		r(maitha12, 10, 2, 3000, 10, 0, 0, false, "", 3),
		r("दुर्गा स्वयं सहायता समूह (मैथा-2/1)", 15, 4, 123456, 12, 2, 50000, true, "", 4),
		r(rasul11, 11, 3, 2200, 5, 0, 0, false, problemL1, 5),
		lastMonth,
		r("अनजान स्वयं सहायता समूह", 10, 1, 100, 1, 0, 0, false, "", 5),
	}
}

// want is a row's numbers as computed by hand.
type want struct {
	name, parent                          string
	expected, reported, members, meetings int
	savings                               int64
	accounts, loans                       int
	amount                                int64
	nutrition                             int
	accountsPct, nutritionPct             float64
}

// handTables is the roll-up of sampleReports over the sample roster,
// computed by hand, each level in the order of its rows (parent, then name).
func handTables() map[string][]want {
	const (
		maitha, rasul, sarvan = "मैथा", "रसूलाबाद", "सरवनखेड़ा"
	)
	return map[string][]want{
		LevelSHG: {
			{maitha11, "मैथा-1", 1, 1, 12, 4, 4500, 9, 1, 10000, 1, 75, 100},
			{maitha12, "मैथा-1", 1, 1, 10, 2, 3000, 10, 0, 0, 0, 100, 0},
			{maitha21, "मैथा-2", 1, 1, 15, 4, 123456, 12, 2, 50000, 1, 80, 100},
			{maitha22, "मैथा-2", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
			{rasul12, "रसूलाबाद-1", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
			{rasul11, "रसूलाबाद-1", 1, 1, 11, 3, 2200, 5, 0, 0, 0, 100.0 * 5 / 11, 0},
			{sarvan11, "सरवनखेड़ा-1", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
			{sarvan12, "सरवनखेड़ा-1", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		},
		LevelCluster: {
			// 12+10 members, 9+10 accounts, 4500+3000 saved, 1 of 2 gardens.
			{"मैथा-1", maitha, 2, 2, 22, 6, 7500, 19, 1, 10000, 1, 100.0 * 19 / 22, 50},
			{"मैथा-2", maitha, 2, 1, 15, 4, 123456, 12, 2, 50000, 1, 80, 100},
			{"रसूलाबाद-1", rasul, 2, 1, 11, 3, 2200, 5, 0, 0, 0, 100.0 * 5 / 11, 0},
			{"सरवनखेड़ा-1", sarvan, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		},
		LevelBlock: {
			// मैथा: 22+15 members, 19+12 accounts, 7500+123456 saved, 3 loans of 60000, 2 of 3 gardens.
			{maitha, district, 4, 3, 37, 10, 130956, 31, 3, 60000, 2, 100.0 * 31 / 37, 100.0 * 2 / 3},
			{rasul, district, 2, 1, 11, 3, 2200, 5, 0, 0, 0, 100.0 * 5 / 11, 0},
			{sarvan, district, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		},
		LevelDistrict: {
			// 37+11 members, 31+5 accounts, 130956+2200 saved, 2 of 4 gardens.
			{district, division, 8, 4, 48, 13, 133156, 36, 3, 60000, 2, 75, 50},
		},
	}
}

func got(r Row) want {
	return want{r.Name, r.Parent, r.Expected, r.Reported, r.Members, r.Meetings, r.Savings, r.Accounts,
		r.LoansCount, r.LoansAmount, r.NutritionGroups, r.AccountsPct, r.NutritionPct}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func sameRow(g, w want) bool {
	gp, wp := g, w
	gp.accountsPct, gp.nutritionPct, wp.accountsPct, wp.nutritionPct = 0, 0, 0, 0
	return gp == wp && near(g.accountsPct, w.accountsPct) && near(g.nutritionPct, w.nutritionPct)
}

func checkTables(t *testing.T, tb Tables, hand map[string][]want) {
	t.Helper()
	for _, level := range Levels() {
		rows, w := tb.Rows(level), hand[level]
		if len(rows) != len(w) {
			t.Errorf("%s: %d rows, want %d: %+v", level, len(rows), len(w), rows)
			continue
		}
		for i, r := range rows {
			if r.Level != level {
				t.Errorf("%s row %d has level %q", level, i, r.Level)
			}
			if g := got(r); !sameRow(g, w[i]) {
				t.Errorf("%s row %d:\n got %+v\nwant %+v", level, i, g, w[i])
			}
		}
	}
}

func TestRollUp(t *testing.T) {
	people := sample(t)
	tb := RollUp(period, sampleReports(), people)
	if tb.Period != period {
		t.Errorf("period %q", tb.Period)
	}
	checkTables(t, tb, handTables())
	if len(tb.Unknown) != 1 || tb.Unknown[0] != "अनजान स्वयं सहायता समूह" {
		t.Errorf("Unknown = %q", tb.Unknown)
	}
	for _, r := range tb.SHG {
		if r.District != district || r.Division != division || r.Block == "" || r.Cluster != r.Parent {
			t.Errorf("SHG row %s lies in %q/%q/%q/%q", r.Name, r.Division, r.District, r.Block, r.Cluster)
		}
		if (r.Name == rasul11) != (r.Problem == problemL1) {
			t.Errorf("SHG row %s has problem %q", r.Name, r.Problem)
		}
	}
	// No reports: every SHG expected, none reported, all zero.
	empty := RollUp(period, nil, people)
	if d := empty.District; len(d) != 1 || d[0].Expected != 8 || d[0].Reported != 0 || d[0].AccountsPct != 0 || d[0].NutritionPct != 0 {
		t.Errorf("no reports: %+v", empty.District)
	}
	// The people's order does not change the numbers.
	rev := make([]roster.Person, len(people))
	for i, p := range people {
		rev[len(people)-1-i] = p
	}
	checkTables(t, RollUp(period, sampleReports(), rev), handTables())
}

// TestRollUpFromStore rolls up what the store keeps: the same numbers.
func TestRollUpFromStore(t *testing.T) {
	ctx := context.Background()
	s := New(storetest.Redis(t, dbReports, nil))
	for _, r := range sampleReports() {
		if _, err := s.Submit(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	rs, err := s.Reports(ctx, period)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 5 {
		t.Fatalf("%d current reports, want 5", len(rs))
	}
	checkTables(t, RollUp(period, rs, sample(t)), handTables())
}

func TestFilter(t *testing.T) {
	people := sample(t)
	tb := RollUp(period, sampleReports(), people)
	bmm, ok := person(t, people, "विजय प्रजापति").Scope()
	if !ok || bmm.String() != "block=मैथा" {
		t.Fatalf("the BMM's scope is %v", bmm)
	}
	f := tb.Filter(bmm)
	hand := handTables()
	checkTables(t, f, map[string][]want{
		LevelSHG:     hand[LevelSHG][:4],
		LevelCluster: hand[LevelCluster][:2],
		LevelBlock:   hand[LevelBlock][:1],
	})
	if len(f.Unknown) != 0 {
		t.Errorf("a block coordinator sees unknown SHGs %q", f.Unknown)
	}
	dmm, _ := person(t, people, "सुनील वर्मा").Scope()
	checkTables(t, tb.Filter(dmm), hand)
	checkTables(t, tb.Filter(roster.Scope{Level: roster.LevelDivision, Value: division}), hand)
	if all := tb.Filter(roster.Scope{Level: roster.LevelAll}); len(all.Unknown) != 1 {
		t.Errorf("scope all: unknown %q", all.Unknown)
	}
	checkTables(t, tb.Filter(roster.Scope{Level: roster.LevelBlock, Value: "रसूलाबाद"}), map[string][]want{
		LevelSHG: hand[LevelSHG][4:6], LevelCluster: hand[LevelCluster][2:3], LevelBlock: hand[LevelBlock][1:2],
	})
	for _, s := range []roster.Scope{
		{Level: roster.LevelDistrict, Value: "सोनभद्र"},
		{Level: roster.LevelBody, Value: "नगर पंचायत अनपरा"},
		{Level: roster.LevelBlock, Value: ""},
	} {
		if f := tb.Filter(s); len(f.SHG)+len(f.Cluster)+len(f.Block)+len(f.District) != 0 {
			t.Errorf("scope %v keeps %+v", s, f)
		}
	}
}

func TestRupees(t *testing.T) {
	for n, w := range map[int64]string{
		0: "₹0", 7: "₹7", 999: "₹999", 1000: "₹1,000", 4500: "₹4,500", 99999: "₹99,999",
		100000: "₹1,00,000", 123456: "₹1,23,456", 1234567: "₹12,34,567", 12345678: "₹1,23,45,678",
		1234567890: "₹1,23,45,67,890", -500: "-₹500", -123456: "-₹1,23,456",
		math.MinInt64: "-₹92,23,37,20,36,85,47,75,808",
	} {
		if g := Rupees(n); g != w {
			t.Errorf("Rupees(%d) = %q, want %q", n, g, w)
		}
	}
}

func TestText(t *testing.T) {
	tb := RollUp(period, sampleReports(), sample(t))
	for _, tc := range []struct {
		lang, level string
		lines       []string // a line ending in "…" is the start of one
	}{
		{"hi", "", []string{
			"प्रगति रिपोर्ट, दिसंबर 2026 — ब्लॉक के हिसाब से",
			"मैथा: 4 में से 3 समूहों ने रिपोर्ट दी · खाते 31/37 (84%) · बचत ₹1,30,956 · क़र्ज़ 3 (₹60,000) · पोषण वाटिका 2/3",
			"रसूलाबाद: 2 में से 1 समूह ने रिपोर्ट दी · खाते 5/11 (45%) · बचत ₹2,200 · क़र्ज़ 0 · पोषण वाटिका 0/1",
			"सरवनखेड़ा: 2 में से किसी समूह ने रिपोर्ट नहीं दी",
			"रिपोर्ट आई, पर सूची में नहीं: अनजान स्वयं सहायता समूह",
		}},
		{"hi", LevelCluster, []string{
			"प्रगति रिपोर्ट, दिसंबर 2026 — क्लस्टर के हिसाब से",
			"मैथा-1: सभी 2 समूहों ने रिपोर्ट दी · खाते 19/22 (86%) · बचत ₹7,500 · क़र्ज़ 1 (₹10,000) · पोषण वाटिका 1/2",
			"मैथा-2: 2 में से 1 समूह ने रिपोर्ट दी · खाते 12/15 (80%) · बचत ₹1,23,456 · क़र्ज़ 2 (₹50,000) · पोषण वाटिका 1/1",
			"रसूलाबाद-1: 2 में से 1 समूह ने रिपोर्ट दी · खाते 5/11 (45%) · बचत ₹2,200 · क़र्ज़ 0 · पोषण वाटिका 0/1",
			"सरवनखेड़ा-1: 2 में से किसी समूह ने रिपोर्ट नहीं दी",
		}},
		{"hi", LevelSHG, []string{
			maitha11 + ": सदस्य 12 · बैठकें 4 · खाते 9/12 (75%) · बचत ₹4,500 · क़र्ज़ 1 (₹10,000) · पोषण वाटिका: हाँ",
			maitha22 + ": रिपोर्ट नहीं आई",
			rasul11 + ": सदस्य 11 · बैठकें 3 · खाते 5/11 (45%) · बचत ₹2,200 · क़र्ज़ 0 · पोषण वाटिका: नहीं · समस्या: " + problemL1,
		}},
		{"hi", LevelDistrict, []string{
			"कानपुर देहात: 8 में से 4 समूहों ने रिपोर्ट दी · खाते 36/48 (75%) · बचत ₹1,33,156 · क़र्ज़ 3 (₹60,000) · पोषण वाटिका 2/4",
		}},
		{"en", LevelBlock, []string{
			"Progress reports, December 2026 — by block",
			"मैथा: 3 of 4 groups reported · accounts 31/37 (84%) · savings ₹1,30,956 · loans 3 (₹60,000) · nutrition gardens 2/3",
			"रसूलाबाद: 1 of 2 groups reported · accounts 5/11 (45%) · savings ₹2,200 · loans 0 · nutrition gardens 0/1",
			"सरवनखेड़ा: none of 2 groups reported",
			"Reported but not on the roster: अनजान स्वयं सहायता समूह",
		}},
		{"en", LevelSHG, []string{
			"Progress reports, December 2026 — by SHG",
			maitha22 + ": no report",
		}},
		{"en", LevelCluster, []string{
			"मैथा-1: all 2 groups reported · accounts 19/22 (86%) …",
		}},
	} {
		text := Text(tb, tc.lang, tc.level)
		have := strings.Split(text, "\n")
		for _, l := range tc.lines {
			found := false
			for _, h := range have {
				if h == l || (strings.HasSuffix(l, "…") && strings.HasPrefix(h, strings.TrimSuffix(l, "…"))) {
					found = true
				}
			}
			if !found {
				t.Errorf("Text(%s, %q) lacks the line\n%s\nin\n%s", tc.lang, tc.level, l, text)
			}
		}
		if want := len(tb.Rows(cmpOr(tc.level, LevelBlock))) + 2; len(have) != want {
			t.Errorf("Text(%s, %q) has %d lines, want %d (title, rows, unknown)", tc.lang, tc.level, len(have), want)
		}
		if tc.lang == "hi" && regexp.MustCompile(`[A-Za-z]`).MatchString(text) {
			t.Errorf("English leaks into the Hindi text:\n%s", text)
		}
	}
	// A block coordinator's view.
	f := tb.Filter(roster.Scope{Level: roster.LevelBlock, Value: "मैथा"})
	if text := Text(f, "hi", LevelBlock); strings.Count(text, "\n") != 1 || strings.Contains(text, "रसूलाबाद") || strings.Contains(text, "अनजान") {
		t.Errorf("block view:\n%s", text)
	}
	if text := Text(f, "hi", LevelDistrict); !strings.Contains(text, "यहाँ कोई समूह नहीं है।") {
		t.Errorf("district rows of a block view:\n%s", text)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestBuilderInPagesIsRollUp: people and reports a page at a time, in any
// order and some twice (as EachIn and EachReport give them), roll up as
// RollUp does with the people sorted as Select sorts them: an SHG whose
// members lie in two clusters is placed by the member that sorts first.
func TestBuilderInPagesIsRollUp(t *testing.T) {
	people := sample(t)
	split := person(t, people, "गीता प्रजापति")
	split.Phone, split.Name, split.Cluster, split.Body = "+919999900001", "अ पहले", "मैथा-9", "" // sorts first: no body
	people = append(people, split)
	sorted := slices.Clone(people)
	slices.SortStableFunc(sorted, roster.Compare)
	want := RollUp(period, sampleReports(), sorted)
	if i := slices.IndexFunc(want.SHG, func(r Row) bool { return fold(r.Name) == fold(split.SHG) }); i < 0 || want.SHG[i].Cluster != "मैथा-9" {
		t.Fatalf("the split SHG is not placed by its first member: %+v", want.SHG)
	}
	for seed := range uint64(3) {
		rnd := rand.New(rand.NewPCG(seed, 1))
		shuffled := slices.Clone(people)
		rnd.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		b := NewBuilder(period)
		for page := range slices.Chunk(shuffled, 1+rnd.IntN(7)) {
			b.AddPeople(page)
			if rnd.IntN(3) == 0 {
				b.AddPeople(page) // a person of two districts comes twice
			}
		}
		rs := sampleReports()
		rnd.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
		for page := range slices.Chunk(rs, 2) {
			b.AddReports(page)
			b.AddReports(page[:1]) // HSCAN may give one twice
		}
		if got := b.Tables(); !reflect.DeepEqual(got, want) {
			t.Errorf("seed %d: in pages\n%+v\nwant\n%+v", seed, got, want)
		}
	}
}

func TestExport(t *testing.T) {
	tb := RollUp(period, sampleReports(), sample(t))
	for _, tc := range []struct {
		lang   string
		sheets []string
	}{
		{"hi", []string{"समूह", "क्लस्टर", "ब्लॉक", "ज़िला"}},
		{"en", []string{"SHG", "Cluster", "Block", "District"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Export(&buf, tb, tc.lang); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if g := f.GetSheetList(); strings.Join(g, ",") != strings.Join(tc.sheets, ",") {
				t.Fatalf("sheets %q, want %q", g, tc.sheets)
			}
			for i, level := range Levels() {
				checkSheet(t, f, tc.sheets[i], tb.Rows(level), level == LevelSHG)
			}
		})
	}
	if err := Export(&bytes.Buffer{}, tb, "fr"); err == nil {
		t.Error("Export in French")
	}
}

// checkSheet reads a sheet back and compares it, cell by cell, with rows.
func checkSheet(t *testing.T, f *excelize.File, sheet string, rows []Row, shg bool) {
	t.Helper()
	cells, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	wantCols := 13
	if shg {
		wantCols = 15
	}
	if len(cells) != len(rows)+1 || len(cells[0]) != wantCols || cells[0][0] != sheet {
		t.Fatalf("%s: %d rows, header %q; want %d rows and %d columns", sheet, len(cells), cells[0], len(rows)+1, wantCols)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("%s: header not frozen: %+v %v", sheet, panes, err)
	}
	if id, err := f.GetCellStyle(sheet, "B1"); err != nil {
		t.Error(err)
	} else if st, err := f.GetStyle(id); err != nil || st.Font == nil || !st.Font.Bold {
		t.Errorf("%s: header not bold", sheet)
	}
	for i, r := range rows {
		line := cells[i+1]
		for len(line) < wantCols {
			line = append(line, "")
		}
		if line[0] != r.Name || line[1] != r.Parent {
			t.Errorf("%s row %d: %q, %q; want %q, %q", sheet, i, line[0], line[1], r.Name, r.Parent)
		}
		num := func(col int) float64 {
			v, err := strconv.ParseFloat(line[col], 64)
			if err != nil {
				t.Errorf("%s row %d column %d: %q is no number", sheet, i, col+1, line[col])
			}
			return v
		}
		if num(2) != float64(r.Expected) || num(3) != float64(r.Reported) {
			t.Errorf("%s row %d: expected/reported %s/%s, want %d/%d", sheet, i, line[2], line[3], r.Expected, r.Reported)
		}
		if shg && r.Reported == 0 {
			for c := 4; c < wantCols; c++ {
				if line[c] != "" {
					t.Errorf("%s row %d (no report): column %d is %q", sheet, i, c+1, line[c])
				}
			}
			continue
		}
		for c, w := range []float64{float64(r.Members), float64(r.Meetings), float64(r.Savings), float64(r.Accounts),
			r.AccountsPct / 100, float64(r.LoansCount), float64(r.LoansAmount), float64(r.NutritionGroups), r.NutritionPct / 100} {
			if g := num(c + 4); !near(g, w) {
				t.Errorf("%s row %d column %d: %v, want %v", sheet, i, c+5, g, w)
			}
		}
		// The percentage shows as Text shows it.
		cell, _ := excelize.CoordinatesToCellName(colAccountsPct, i+2)
		if shown, err := f.GetCellValue(sheet, cell); err != nil || shown != fmt.Sprintf("%d%%", Percent(r.AccountsPct)) {
			t.Errorf("%s %s shows %q, want %d%%", sheet, cell, shown, Percent(r.AccountsPct))
		}
		// Rupees are grouped the Indian way (excelize cannot render the
		// conditional format, Excel and LibreOffice do): check the format.
		for _, col := range []int{colSavings, colLoansAmount} {
			cell, _ = excelize.CoordinatesToCellName(col, i+2)
			id, err := f.GetCellStyle(sheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			if st, err := f.GetStyle(id); err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != rupeeFormat {
				t.Errorf("%s %s is not formatted as rupees: %v", sheet, cell, err)
			}
		}
		if shg {
			if line[13] != r.Problem || line[14] != r.At.In(locales.IST).Format("2006-01-02 15:04") {
				t.Errorf("%s row %d: problem %q at %q", sheet, i, line[13], line[14])
			}
		}
	}
}
