package services

import (
	"context"
	"fmt"
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
// reported for the period), none (no period open), not_shg.
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
	_, had, err := s.reportStore().Get(ctx, p.ID, me.SHG)
	if err != nil {
		return flows.CallResult{}, err
	}
	already := ""
	if had {
		already = "yes"
	}
	return result(OK, "shg", strings.TrimSpace(me.SHG), "period", p.ID, "period_label", s.periodLabel(c, p.ID),
		"due_label", locales.Date(c.Lang, p.Due, c.Now), "already", already), nil
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
// loans_amount, nutrition (yes|no), problem. Statuses: ok, replaced (an
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
	all, err := s.Roster.All(ctx)
	if err != nil {
		return sc, p, nil, "", fmt.Errorf("read roster: %w", err)
	}
	for _, x := range all {
		if x.Role == roster.RoleSHGMember && strings.TrimSpace(x.SHG) != "" && sc.Contains(x) {
			people = append(people, x)
		}
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
	rs, err := s.reportStore().Reports(ctx, p.ID)
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
		evs = append(evs, events.Event{
			ID: "shgnudge:" + p.ID + ":" + x.Phone + ":" + day, Phone: x.Phone, Flow: "shg_report",
			Vars: map[string]string{"nudge": "yes"}, NoHold: true, Bulk: true,
		})
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
	people, err := s.Roster.All(ctx)
	if err != nil {
		return 0, fmt.Errorf("read roster: %w", err)
	}
	n := 0
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
		sc := p.Scope()
		reported := map[string]bool{}
		var evs []events.Event
		for _, x := range people {
			if x.SHG == "" || x.Role != roster.RoleSHGMember || !sc.Contains(x) {
				continue
			}
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
			evs = append(evs, events.Event{
				ID: "shgnudge:" + p.ID + ":" + x.Phone + ":" + day, Phone: x.Phone, Flow: "shg_report",
				Vars: map[string]string{"nudge": "yes"}, NoHold: true, Bulk: true,
			})
		}
		if evs, _, err = s.withoutOptedOut(ctx, evs); err != nil {
			return n, fmt.Errorf("report reminders: %w", err)
		}
		if err := s.publish(ctx, evs...); err != nil {
			return n, err
		}
		n += len(evs)
	}
	return n, nil
}
