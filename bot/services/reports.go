package services

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/match"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/events"
	"github.com/saathi-bot/saathi/store/reports"
	"github.com/saathi-bot/saathi/store/roster"
)

// Statuses of the report calls.
const (
	NotSHG       = "not_shg"
	TooMany      = "too_many"
	TooManyLoans = "too_many_loans"
	NeedAmount   = "need_amount"
	Replaced     = "replaced"
	Invalid      = "invalid"
)

// reportStore is the store of SHG reports on the services' Redis. It
// holds nothing but the client, so it is made when needed and Services
// needs no field for it.
func (s *Services) reportStore() *reports.Store {
	if s.Reports == nil {
		return reports.New(s.Redis)
	}
	return s.Reports
}

// reporter is the caller if they may report for an SHG: a participant
// whose roster row names one.
func (s *Services) reporter(ctx context.Context, c flows.Call) (roster.Person, bool, error) {
	me, ok, err := s.caller(ctx, c)
	if err != nil {
		return me, false, fmt.Errorf("look up caller: %w", err)
	}
	if !ok || me.IsCoordinator() || strings.TrimSpace(me.SHG) == "" {
		return me, false, nil
	}
	return me, true, nil
}

// periodLabel is a period's month as people say it: "दिसंबर 2026".
func (s *Services) periodLabel(c flows.Call, period string) string {
	t, err := time.Parse("2006-01", period)
	if err != nil {
		return period
	}
	return s.text(c, "report.month_"+strconv.Itoa(int(t.Month())), nil) + " " + strconv.Itoa(t.Year())
}

// reportOpen: the caller's SHG and the period open for them. Statuses: ok
// (shg, period, period_label, due_label, already: "yes" when this SHG has
// reported for the period, and then the last report's answers under the
// flow's names — members, meetings, savings, accounts, loans_count,
// loans_amount, nutrition, problem — for correcting one of them; and
// target_text, when a target of the period reaches the group and it is
// below it), none (no period open), not_shg.
func (s *Services) reportOpen(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, ok, err := s.reporter(ctx, c)
	if err != nil || !ok {
		return result(NotSHG), err
	}
	p, ok, err := s.reportStore().OpenFor(ctx, me, c.Now)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("find report period: %w", err)
	}
	if !ok {
		return result(None), nil
	}
	last, had, err := s.reportStore().Get(ctx, p.ID, me.SHG)
	if err != nil {
		return flows.CallResult{}, err
	}
	kv := []string{"shg", strings.TrimSpace(me.SHG), "period", p.ID, "period_label", s.periodLabel(c, p.ID),
		"due_label", locales.Date(c.Lang, p.Due, c.Now), "already", ""}
	row := reports.Row{Expected: 1}
	if had {
		row = reports.RowOf(last)
		nutrition := flows.AnswerNo
		if last.Nutrition {
			nutrition = flows.AnswerYes
		}
		problem := last.Problem
		if problem == "" {
			problem = s.text(c, "report.no_problem", nil)
		}
		kv = append(kv[:len(kv)-1], "yes",
			"members", strconv.Itoa(last.Members), "meetings", strconv.Itoa(last.Meetings), "savings", strconv.FormatInt(last.Savings, 10),
			"accounts", strconv.Itoa(last.Accounts), "loans_count", strconv.Itoa(last.LoansCount), "loans_amount", strconv.FormatInt(last.LoansAmount, 10),
			"nutrition", nutrition, "problem", problem)
	}
	ts, err := s.reportStore().Targets(ctx, p.ID)
	if err != nil {
		return flows.CallResult{}, err
	}
	if t, ok := reports.TargetFor(ts, me, c.Now); ok {
		has, goal := reports.Value(row, t.Indicator), reports.GoalOf(t, row)
		if !had || has < goal {
			kv = append(kv, "target_text", s.TargetText(c.Lang, t, c.Now)+" "+s.Messages.Text(c.Lang, "report.target_has", map[string]string{
				"has": s.indicatorValue(c.Lang, t.Indicator, has, had), "goal": s.goalWords(c.Lang, t, goal, had)}))
		}
	}
	return result(OK, kv...), nil
}

// TargetText is a target as people say it: "लक्ष्य: 8 दिसंबर तक सभी
// सदस्यों के बैंक खाते".
func (s *Services) TargetText(lang string, t reports.Target, now time.Time) string {
	id := "report.target_" + t.Indicator
	if t.Goal == reports.GoalMembers {
		id += "_members"
	}
	goal := t.Goal
	if n, err := strconv.ParseInt(goal, 10, 64); err == nil && t.Indicator == reports.IndicatorSavings {
		goal = reports.Rupees(n)
	}
	return s.Messages.Text(lang, id, map[string]string{"goal": goal, "by": locales.Date(lang, t.By, now)})
}

// indicatorValue writes what a group has of an indicator ("" when it has
// not reported).
func (s *Services) indicatorValue(lang, indicator string, v int64, reported bool) string {
	switch {
	case !reported:
		return ""
	case indicator == reports.IndicatorSavings:
		return reports.Rupees(v)
	case indicator == reports.IndicatorNutrition:
		if v > 0 {
			return s.Messages.Text(lang, "common.yes", nil)
		}
		return s.Messages.Text(lang, "common.no", nil)
	}
	return strconv.FormatInt(v, 10)
}

// goalWords writes what the target asks of a group.
func (s *Services) goalWords(lang string, t reports.Target, goal int64, reported bool) string {
	if t.Indicator == reports.IndicatorNutrition {
		return ""
	}
	if t.Indicator == reports.IndicatorSavings {
		return reports.Rupees(goal)
	}
	if t.Goal == reports.GoalMembers && !reported {
		return ""
	}
	return strconv.FormatInt(goal, 10)
}

// BehindText lists, for each target of a period, the groups of the roll-up
// t below it, in lang: "🎯 लक्ष्य से पीछे" and a line a group. "" when no
// group is behind.
func (s *Services) BehindText(lang string, now time.Time, ts []reports.Target, t reports.Tables) string {
	var parts []string
	for _, tg := range ts {
		behind := reports.BehindOf(tg, t)
		if len(behind) == 0 {
			continue
		}
		lines := []string{s.Messages.Text(lang, "rview.behind_head", map[string]string{"target": s.TargetText(lang, tg, now), "n": strconv.Itoa(len(behind))})}
		for _, b := range behind {
			lines = append(lines, s.Messages.Text(lang, "rview.behind_line", map[string]string{
				"shg": b.Row.Name, "reported": yesIf(b.Row.Reported > 0),
				"has": s.indicatorValue(lang, tg.Indicator, b.Has, b.Row.Reported > 0), "goal": s.goalWords(lang, tg, b.Goal, b.Row.Reported > 0),
			}))
		}
		parts = append(parts, strings.Join(lines, "\n"))
	}
	return strings.Join(parts, "\n\n")
}

func yesIf(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

// num reads a number a flow saved ("" and junk are 0, ok false).
func num(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n, err == nil
}

// reportCheck holds the rules between a report's answers, which single
// questions cannot: args members, accounts, loans_count, loans_amount
// (those not asked yet are empty) and savings. Statuses: ok, with
// loans_amount "0" when there are no loans, and savings_rs and
// loans_amount_rs, the amounts written the Indian way (₹1,23,456);
// too_many (accounts more than members); too_many_loans; need_amount
// (loans but no amount). A refusal carries check_msg. It reads and
// writes nothing.
func (s *Services) reportCheck(_ context.Context, c flows.Call) (flows.CallResult, error) {
	a := c.Args
	members, _ := num(a["members"])
	data := map[string]string{"members": a["members"], "accounts": a["accounts"], "loans_count": a["loans_count"]}
	if accounts, ok := num(a["accounts"]); ok && accounts > members {
		return result(TooMany, "check_msg", s.text(c, "report.check_too_many", data)), nil
	}
	amountArg := a["loans_amount"]
	var kv []string
	if loans, asked := num(a["loans_count"]); asked {
		amount, _ := num(amountArg)
		switch {
		case loans > members:
			return result(TooManyLoans, "check_msg", s.text(c, "report.check_too_many_loans", data)), nil
		case loans == 0:
			amountArg = "0"
			kv = append(kv, "loans_amount", "0")
		case amount <= 0:
			return result(NeedAmount), nil
		}
	}
	for f, v := range map[string]string{"savings_rs": a["savings"], "loans_amount_rs": amountArg} {
		if n, ok := num(v); ok {
			kv = append(kv, f, reports.Rupees(n))
		}
	}
	return result(OK, kv...), nil
}

// noProblem tells a "no problem" answer ("कोई नहीं", "नहीं", "none", "-"):
// the whole answer, so "नहीं, पानी की दिक्कत है" is a problem.
func noProblem(text string) bool {
	switch match.Normalize(text) {
	case "", "-", "नहीं", "नही", "कोई नहीं", "कोई नही", "कुछ नहीं", "कुछ नही", "कोई समस्या नहीं", "कोई परेशानी नहीं",
		"none", "nothing", "no", "nil", "na", "nahi", "nahin", "koi nahi", "koi nahin", "kuch nahi", "kuch nahin":
		return true
	}
	return false
}

// reportSubmit keeps the caller's report for their SHG: args period (as
// report.open gave it), members, meetings, savings, accounts, loans_count,
// loans_amount, nutrition (yes|no), problem, last_meeting (2006-01-02 or
// empty). Statuses: ok, replaced (an
// earlier report of the SHG for the period was replaced), invalid,
// closed (the period is no longer open for them), not_shg. The same
// report sent again (a transition computed twice) is not kept twice.
func (s *Services) reportSubmit(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, ok, err := s.reporter(ctx, c)
	if err != nil || !ok {
		return result(NotSHG), err
	}
	p, ok, err := s.reportStore().OpenFor(ctx, me, c.Now)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("find report period: %w", err)
	}
	if !ok || p.ID != c.Args["period"] {
		return result(Closed), nil
	}
	a := c.Args
	r := reports.Report{SHG: strings.TrimSpace(me.SHG), Period: p.ID, Nutrition: a["nutrition"] == flows.AnswerYes, By: me.Phone, At: c.Now}
	for _, f := range []struct {
		arg string
		to  any
	}{
		{"members", &r.Members}, {"meetings", &r.Meetings}, {"savings", &r.Savings}, {"accounts", &r.Accounts},
		{"loans_count", &r.LoansCount}, {"loans_amount", &r.LoansAmount},
	} {
		n, ok := num(a[f.arg])
		if !ok {
			return result(Invalid), nil
		}
		switch to := f.to.(type) {
		case *int:
			*to = int(n)
		case *int64:
			*to = n
		}
	}
	if r.Meetings > 0 { // a day asked before the meetings were corrected to none is not kept
		r.LastMeeting = a["last_meeting"]
	}
	if !noProblem(a["problem"]) {
		r.Problem = strings.TrimSpace(a["problem"])
	}
	if err := r.Validate(); err != nil {
		s.Logger.Info("report refused", "shg", r.SHG, "period", r.Period, "err", err)
		return result(Invalid), nil
	}
	old, had, err := s.reportStore().Get(ctx, p.ID, r.SHG)
	if err != nil {
		return flows.CallResult{}, err
	}
	if had && sameReport(old, r) {
		return result(OK), nil // this very report is in already
	}
	replaced, err := s.reportStore().Submit(ctx, r)
	if err != nil {
		return flows.CallResult{}, err
	}
	s.Logger.Info("report submitted", "shg", r.SHG, "period", r.Period, "by", maskPhone(me.Phone), "replaced", replaced)
	if replaced {
		return result(Replaced), nil
	}
	return result(OK), nil
}

// sameReport tells whether two reports say the same, whenever they came.
func sameReport(a, b reports.Report) bool {
	a.At, b.At = time.Time{}, time.Time{}
	return a == b
}

// reportScope is what a coordinator sees of reports: their scope, the
// period (the latest one whose scope reaches an SHG of theirs, or arg's
// month), and the SHG members in their scope. refused is Forbidden for
// someone who is no coordinator and None when there is no such period.
func (s *Services) reportScope(ctx context.Context, c flows.Call, arg string) (sc roster.Scope, p reports.Period, people []roster.Person, refused string, err error) {
	_, sc, ok, err := s.coordinator(ctx, c)
	if err != nil || !ok {
		return sc, p, nil, Forbidden, err
	}
	if people, err = s.shgMembers(ctx, sc); err != nil {
		return sc, p, nil, "", err
	}
	ps, err := s.reportStore().Periods(ctx)
	if err != nil {
		return sc, p, nil, "", err
	}
	arg = match.Normalize(arg) // Devanagari digits as Latin
	for _, q := range ps {     // latest month first
		if arg != "" && q.ID != arg {
			continue
		}
		if reaches(q, people) {
			return sc, q, people, "", nil
		}
	}
	return sc, p, nil, None, nil
}

// reaches tells whether a period asks any of people for a report.
func reaches(p reports.Period, people []roster.Person) bool {
	for _, x := range people {
		if p.Scope().Contains(x) {
			return true
		}
	}
	return false
}

// areaReports are the reports of a period a coordinator of sc reads: those
// of the SHGs of people (the area's members) — as many as the area has,
// whatever the state's —, or for scope all every report (the SHGs on no
// roster row are listed too).
func (s *Services) areaReports(ctx context.Context, period string, sc roster.Scope, people []roster.Person) ([]reports.Report, error) {
	if sc.Level == roster.LevelAll {
		return s.reportStore().Reports(ctx, period)
	}
	shgs := make([]string, len(people))
	for i, p := range people {
		shgs[i] = p.SHG
	}
	return s.reportStore().ReportsOf(ctx, period, shgs)
}

// below is the roll-up level a coordinator's lines are at, one below their
// scope, and own the level of their scope's total line ("" for none).
func below(sc roster.Scope) (level, own string) {
	switch sc.Level {
	case roster.LevelBlock:
		return reports.LevelCluster, reports.LevelBlock
	case roster.LevelDistrict:
		return reports.LevelBlock, reports.LevelDistrict
	default: // all, division: a line per district
		return reports.LevelDistrict, ""
	}
}

// reportRollup: the SHG reports of the coordinator's area for the latest
// period (or arg, YYYY-MM), added up one level below their scope, with
// their own total. Statuses: ok (period, period_label, report_text,
// missing: SHGs that have not reported, expected), none (no period, or no
// SHG in their area), forbidden.
func (s *Services) reportRollup(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	sc, p, people, refused, err := s.reportScope(ctx, c, c.Args["arg"])
	if err != nil || refused != "" {
		return result(refused), err
	}
	rs, err := s.areaReports(ctx, p.ID, sc, people)
	if err != nil {
		return flows.CallResult{}, err
	}
	t := reports.RollUp(p.ID, rs, people).Filter(sc)
	if len(t.SHG) == 0 {
		return result(None), nil
	}
	level, own := below(sc)
	text := reports.Text(t, c.Lang, level)
	if own != "" {
		if _, totals, ok := strings.Cut(reports.Text(reports.Tables{Period: t.Period, Block: t.Block, District: t.District}, c.Lang, own), "\n"); ok {
			for _, l := range strings.Split(totals, "\n") {
				text += "\n" + s.text(c, "rview.total", map[string]string{"line": l})
			}
		}
	}
	missing := 0
	for _, r := range t.SHG {
		if r.Reported == 0 {
			missing++
		}
	}
	ts, err := s.reportStore().Targets(ctx, p.ID)
	if err != nil {
		return flows.CallResult{}, err
	}
	if behind := s.BehindText(c.Lang, c.Now, ts, t); behind != "" {
		text += "\n\n" + behind
	}
	return result(OK, "period", p.ID, "period_label", s.periodLabel(c, p.ID), "report_text", text,
		"missing", strconv.Itoa(missing), "expected", strconv.Itoa(len(t.SHG))), nil
}

// reportNudge reminds the members of the SHGs of the coordinator's area
// that have not reported for period (arg): an shg_report event each, under
// an id of the day, so asking twice in a day reminds once. Only members
// with a chat are reminded. Statuses: ok (nudged, unreachable, groups),
// unreachable (no member to remind has a chat), none (every SHG has reported), closed (the period takes no more
// reports), forbidden.
func (s *Services) reportNudge(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	period := match.Normalize(c.Args["period"])
	if period == "" {
		return result(None), nil
	}
	_, p, people, refused, err := s.reportScope(ctx, c, period)
	if err != nil || refused != "" {
		return result(refused), err
	}
	ps, err := s.reportStore().Periods(ctx)
	if err != nil {
		return flows.CallResult{}, err
	}
	asked := func(x roster.Person) bool { // a period of this month still takes x's report
		for _, q := range ps {
			if q.ID == p.ID && q.Scope().Contains(x) && !c.Now.After(q.Due.Add(reports.Grace)) {
				return true
			}
		}
		return false
	}
	day := c.Now.In(locales.IST).Format("2006-01-02")
	reported := map[string]bool{} // by SHG as written on the roster
	groups := map[string]bool{}
	var evs []events.Event
	open, unreachable := false, 0
	for _, x := range people {
		if !asked(x) {
			continue
		}
		open = true
		done, seen := reported[x.SHG]
		if !seen {
			_, had, err := s.reportStore().Get(ctx, p.ID, x.SHG)
			if err != nil {
				return flows.CallResult{}, err
			}
			done, reported[x.SHG] = had, had
		}
		if done {
			continue
		}
		chats, err := s.Identity.Chats(ctx, x.Phone)
		if err != nil {
			return flows.CallResult{}, fmt.Errorf("find chats: %w", err)
		}
		if len(chats) == 0 {
			unreachable++
			continue
		}
		groups[x.SHG] = true
		evs = append(evs, shgReminder(p.ID, x.Phone, day))
	}
	evs, optedOut, err := s.withoutOptedOut(ctx, evs)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("report nudges: %w", err)
	}
	stopped := optedOutVar(optedOut) // they asked for no reminders
	switch {
	case !open:
		return result(Closed), nil
	case len(evs) == 0 && unreachable == 0 && optedOut == 0:
		return result(None), nil
	case len(evs) == 0 && unreachable > 0:
		return result("unreachable", "unreachable", strconv.Itoa(unreachable), "optedout", stopped), nil
	}
	if err := s.publish(ctx, evs...); err != nil {
		return flows.CallResult{}, err
	}
	s.Logger.Info("report nudges", "period", p.ID, "nudged", len(evs), "unreachable", unreachable, "opted_out", optedOut)
	return result(OK, "nudged", strconv.Itoa(len(evs)), "unreachable", strconv.Itoa(unreachable), "groups", strconv.Itoa(len(groups)), "optedout", stopped), nil
}

// ReportReminders reminds the members of SHGs that have not reported for
// an open period, once a day from 10:00 IST until the due date (manual
// nudges the same day share the event ids, so nobody hears it twice). It
// returns how many were reminded.
func (s *Services) ReportReminders(ctx context.Context, now time.Time) (int, error) {
	local := now.In(locales.IST)
	if local.Hour() < 10 || local.Hour() >= 21 {
		return 0, nil // not before mid-morning, never in quiet hours
	}
	ps, err := s.reportStore().Periods(ctx)
	if err != nil {
		return 0, err
	}
	day := local.Format("2006-01-02")
	n := 0
	reminded := map[string]bool{} // today, by phone
	for _, p := range ps {
		if now.Before(p.At) || now.After(p.Due) {
			continue
		}
		first, err := s.Redis.SetNX(ctx, "saathi:report:reminded:"+p.ID+":"+p.Level+":"+p.Value+":"+day, 1, 48*time.Hour).Result()
		if err != nil {
			return n, fmt.Errorf("mark report reminder: %w", err)
		}
		if !first {
			continue
		}
		people, err := s.shgMembers(ctx, p.Scope())
		if err != nil {
			return n, fmt.Errorf("report reminders: %w", err)
		}
		reported := map[string]bool{}
		var evs []events.Event
		for _, x := range people {
			done, seen := reported[x.SHG]
			if !seen {
				if _, done, err = s.reportStore().Get(ctx, p.ID, x.SHG); err != nil {
					return n, err
				}
				reported[x.SHG] = done
			}
			if done {
				continue
			}
			evs = append(evs, shgReminder(p.ID, x.Phone, day))
		}
		if evs, err = s.sendReminders(ctx, evs); err != nil {
			return n, err
		}
		for _, ev := range evs {
			reminded[ev.Phone] = true
		}
		n += len(evs)
	}
	m, err := s.targetReminders(ctx, now, ps, reminded)
	return n + m, err
}

// shgReminder is one member's report reminder of the day: one id for the
// day's reminders (due date, target, a coordinator's), so nobody hears two.
func shgReminder(period, phone, day string) events.Event {
	return events.Event{ID: "shgnudge:" + period + ":" + phone + ":" + day, Phone: phone, Flow: "shg_report",
		Vars: map[string]string{"nudge": "yes"}, NoHold: true, Bulk: true}
}

// sendReminders publishes report reminders but to those who opted out, and
// returns the ones published.
func (s *Services) sendReminders(ctx context.Context, evs []events.Event) ([]events.Event, error) {
	evs, _, err := s.withoutOptedOut(ctx, evs)
	if err != nil {
		return nil, fmt.Errorf("report reminders: %w", err)
	}
	return evs, s.publish(ctx, evs...)
}

// targetReminders reminds, once a day until a target's date, the members
// of the groups below it (not reported, or under the goal): the same
// event of the day as a due-date reminder, so nobody hears both.
func (s *Services) targetReminders(ctx context.Context, now time.Time, ps []reports.Period, reminded map[string]bool) (int, error) {
	day := now.In(locales.IST).Format("2006-01-02")
	n := 0
	done := map[string]bool{} // periods whose targets were looked at
	for _, p := range ps {
		if done[p.ID] || now.Before(p.At) {
			continue
		}
		done[p.ID] = true
		ts, err := s.reportStore().Targets(ctx, p.ID)
		if err != nil {
			return n, err
		}
		var rs []reports.Report // the period's reports, read once
		read := false
		for _, t := range ts {
			if now.After(t.By) {
				continue
			}
			first, err := s.Redis.SetNX(ctx, "saathi:report:target-reminded:"+p.ID+":"+t.Indicator+":"+t.Level+":"+t.Value+":"+day, 1, 48*time.Hour).Result()
			if err != nil {
				return n, fmt.Errorf("mark target reminder: %w", err)
			}
			if !first {
				continue
			}
			members, err := s.shgMembers(ctx, t.Scope())
			if err != nil {
				return n, fmt.Errorf("target reminders: %w", err)
			}
			if !read {
				if rs, err = s.reportStore().Reports(ctx, p.ID); err != nil {
					return n, err
				}
				read = true
			}
			behind := map[string]bool{}
			for _, b := range reports.BehindOf(t, reports.RollUp(p.ID, rs, members)) {
				behind[reports.SHGKey(b.Row.Name)] = true
			}
			var evs []events.Event
			for _, x := range members {
				if !behind[reports.SHGKey(x.SHG)] || reminded[x.Phone] {
					continue
				}
				reminded[x.Phone] = true
				evs = append(evs, shgReminder(p.ID, x.Phone, day))
			}
			if evs, err = s.sendReminders(ctx, evs); err != nil {
				return n, err
			}
			n += len(evs)
		}
	}
	return n, nil
}

// shgMembers are the SHG members (with an SHG) in sc, from the roster's
// index: as many reads as the scope has members, whatever the roster's size.
func (s *Services) shgMembers(ctx context.Context, sc roster.Scope) ([]roster.Person, error) {
	people, err := s.Roster.SelectIn(ctx, sc, roster.Filter{Role: []string{roster.RoleSHGMember}})
	if err != nil {
		return nil, fmt.Errorf("find SHG members: %w", err)
	}
	return slices.DeleteFunc(people, func(x roster.Person) bool { return strings.TrimSpace(x.SHG) == "" }), nil
}
