package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/reports"
	"github.com/saathi-bot/saathi/store/roster"
)

// runReportOpen is "saathi report open --period 2026-12 --due 2026-12-07 --scope block=मैथा".
func runReportOpen(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "report open")
	period := fs.String("period", "", "the month reports are for, YYYY-MM (required)")
	due := fs.String("due", "", "the last day for reports, YYYY-MM-DD in IST (required); reports are taken for 7 days more")
	scope := fs.String("scope", roster.LevelAll, "who reports: all, division=…, district=… or block=…")
	lang := fs.String("lang", "hi", "language of what it prints: hi or en")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if *period == "" || *due == "" || fs.NArg() != 0 {
		return usageHint("saathi report open --period 2026-12 --due 2026-12-07 [--scope block=मैथा] [--lang hi|en]")
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if err := checkMonth("--period", *period); err != nil {
		return err
	}
	day, err := time.ParseInLocation("2006-01-02", *due, locales.IST)
	if err != nil {
		return badDate("--due", *due)
	}
	s, err := parseReportScope(*scope)
	if err != nil {
		return err
	}
	p := reports.Period{
		ID: *period, Due: day.Add(24*time.Hour - time.Minute), // 23:59 IST of the due day
		Level: s.Level, Value: s.Value, OpenedBy: "cli", At: time.Now(),
	}
	if err := p.Validate(); err != nil {
		return badValue("--period", *period, err)
	}
	a, err := openWriter(ctx, cfg, cliLogger(e, cfg), "report open")
	if err != nil {
		return err
	}
	defer a.Close()
	if err := reports.New(a.rdb).OpenPeriod(ctx, p); err != nil {
		return err
	}
	now := time.Now()
	fmt.Fprintln(e.stdout, a.cat.Text(*lang, "cli.report_opened", map[string]string{
		"period": p.ID, "scope": s.String(), "due": locales.DateTime(*lang, p.Due, now), "until": locales.Date(*lang, p.Due.Add(reports.Grace), now)}))
	return nil
}

// runReportTarget is "saathi report target --period 2026-12 --set accounts=members --by 2026-12-08 [--scope …]".
func runReportTarget(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "report target")
	period := fs.String("period", "", "the month the target is for, YYYY-MM (required; a period opened for it)")
	set := fs.String("set", "", "indicator=goal: accounts=members (every member with a bank account), meetings=2, savings=5000, loans=3, nutrition=1 (required)")
	by := fs.String("by", "", "the date to reach it, YYYY-MM-DD in IST (required): groups below it are reminded daily until then")
	scope := fs.String("scope", roster.LevelAll, "for the groups of: all, division=…, district=… or block=…")
	lang := fs.String("lang", "hi", "language of what it prints: hi or en")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	const usage = "saathi report target --period 2026-12 --set accounts=members --by 2026-12-08 [--scope block=मैथा] [--lang hi|en]"
	if *period == "" || *set == "" || *by == "" || fs.NArg() != 0 {
		return usageHint(usage)
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	indicator, goal, err := reports.ParseGoal(*set)
	if err != nil {
		return &failure{id: "cli.err_bad_goal", data: map[string]string{"flag": "--set", "value": strconv.Quote(*set),
			"examples": "`accounts=members`, `meetings=2`, `savings=5000`, `loans=3`, `nutrition=1`", "members": "`members`"}, cause: err, usage: true, enCause: true}
	}
	day, err := time.ParseInLocation("2006-01-02", *by, locales.IST)
	if err != nil {
		return badDate("--by", *by)
	}
	s, err := parseReportScope(*scope)
	if err != nil {
		return err
	}
	a, err := openWriter(ctx, cfg, cliLogger(e, cfg), "report target")
	if err != nil {
		return err
	}
	defer a.Close()
	rs := reports.New(a.rdb)
	ps, err := rs.Periods(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(ps, func(p reports.Period) bool { return p.ID == *period }) {
		return fail("cli.err_no_period", nil, "period", *period, "command", "saathi report open --period "+*period)
	}
	t := reports.Target{Period: *period, Indicator: indicator, Goal: goal, Level: s.Level, Value: s.Value,
		By: day.Add(24*time.Hour - time.Minute), SetBy: "cli", At: time.Now()}
	if err := rs.SetTarget(ctx, t); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	fmt.Fprintln(e.stdout, a.cat.Text(*lang, "cli.report_target_set", map[string]string{
		"period": t.Period, "scope": s.String(), "target": a.svc.TargetText(*lang, t, time.Now())}))
	return nil
}

// runReportList is "saathi report list": the periods opened.
func runReportList(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "report list")
	lang := fs.String("lang", "hi", "language of the headers: hi or en")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, cliLogger(e, cfg), false, true)
	if err != nil {
		return err
	}
	defer a.Close()
	ps, err := reports.New(a.rdb).Periods(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, a.cat.Text(*lang, "cli.report_list_head", nil))
	for _, p := range ps {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", p.ID, p.Scope(), p.Due.In(locales.IST).Format("2006-01-02 15:04"), p.OpenedBy)
	}
	return w.Flush()
}

// runReportStatus is "saathi report status --period 2026-12 [--lang hi|en] [--level block] [--scope …]".
func runReportStatus(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "report status")
	period := fs.String("period", "", "the month, YYYY-MM (default: this month in IST)")
	lang := fs.String("lang", "hi", "language: hi or en")
	level := fs.String("level", reports.LevelBlock, "rows of: shg, cluster, block or district")
	scope := fs.String("scope", roster.LevelAll, "only this geography: all, division=…, district=… or block=…")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageHint("saathi report status [--period 2026-12] [--lang hi|en] [--level block] [--scope block=…]")
	}
	lv, ok := reports.ParseLevel(*level)
	if !ok {
		return badChoice("--level", *level, "shg", "cluster", "block", "district")
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, cliLogger(e, cfg), false, true)
	if err != nil {
		return err
	}
	defer a.Close()
	t, err := a.reportTables(ctx, *period, *scope)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, reports.Text(t, *lang, lv))
	ts, err := reports.New(a.rdb).Targets(ctx, t.Period)
	if err != nil {
		return err
	}
	if behind := a.svc.BehindText(*lang, time.Now(), ts, t); behind != "" { // the groups below a target
		fmt.Fprintln(e.stdout, "\n"+behind)
	}
	return nil
}

// runReportExport is "saathi report export --period 2026-12 -o FILE.xlsx [--lang hi|en] [--scope …]".
func runReportExport(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "report export")
	period := fs.String("period", "", "the month, YYYY-MM (default: this month in IST)")
	lang := fs.String("lang", "hi", "language of the sheets and headers: hi or en")
	out := fs.String("o", "", "output file, .xlsx (required)")
	scope := fs.String("scope", roster.LevelAll, "only this geography: all, division=…, district=… or block=…")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if *out == "" || fs.NArg() != 0 {
		return usageHint("saathi report export [--period 2026-12] -o FILE.xlsx [--lang hi|en] [--scope block=…]")
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, cliLogger(e, cfg), false, true)
	if err != nil {
		return err
	}
	defer a.Close()
	exportGC()
	t, err := a.reportTables(ctx, *period, *scope)
	if err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("report export: %w", err)
	}
	if err := reports.Export(f, t, *lang); err != nil {
		f.Close()
		return fmt.Errorf("report export: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("report export: %w", err)
	}
	reported := 0
	for _, r := range t.SHG {
		reported += r.Reported
	}
	fmt.Fprintln(e.stdout, a.cat.Text(*lang, "cli.report_exported", map[string]string{
		"file": *out, "period": t.Period, "reported": strconv.Itoa(reported), "total": strconv.Itoa(len(t.SHG))}))
	return nil
}

// reportTables rolls up the current reports of a period (this month in
// IST if empty) over the roster, kept to the scope written as --scope.
func (a *app) reportTables(ctx context.Context, period, scope string) (reports.Tables, error) {
	s, err := parseReportScope(scope)
	if err != nil {
		return reports.Tables{}, err
	}
	if period == "" {
		period = time.Now().In(locales.IST).Format("2006-01")
	}
	if err := checkMonth("--period", period); err != nil {
		return reports.Tables{}, err
	}
	// The SHG members and the reports a page at a time: memory holds a row
	// per SHG, not the members, the reports or the sheet.
	b := reports.NewBuilder(period)
	if err := a.svc.Roster.EachIn(ctx, s, roster.Filter{Role: []string{roster.RoleSHGMember}}, func(page []roster.Person) error {
		b.AddPeople(page)
		return nil
	}); err != nil {
		return reports.Tables{}, err
	}
	if err := reports.New(a.rdb).EachReport(ctx, period, func(page []reports.Report) error {
		b.AddReports(page)
		return nil
	}); err != nil {
		return reports.Tables{}, err
	}
	return b.Tables().Filter(s), nil
}

// parseReportScope reads a scope as --scope takes it: all, or
// division=…, district=…, block=… (Hindi keys मंडल, ज़िला/जिला/जनपद,
// ब्लॉक/विकासखंड too).
func parseReportScope(s string) (roster.Scope, error) {
	sc, err := parseScope(s)
	if err == nil && sc.Level == roster.LevelBody {
		return roster.Scope{}, failUsage("cli.err_scope_report", "flag", "--scope", "value", strconv.Quote(s), "all", "“all”", "places", "“division=…”, “district=…”, “block=…”")
	}
	return sc, err
}
