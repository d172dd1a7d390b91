package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

func runTrainingAdd(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "training add")
	var spec training.Spec
	var modules string
	var lat, lon float64
	file := fs.String("file", "", "a calendar of trainings (.xlsx, .csv or .yaml; see docs/calendar.md), instead of the flags below")
	dryRun := fs.Bool("dry-run", false, "create nothing: say how many would be invited and the first few names (with --file: what each row would do)")
	phones := fs.String("phones", "", "a sheet (CSV or XLSX) whose column of mobile numbers is the list of people to invite (with --invite: those of them it selects)")
	reason := fs.String("reason", "", "with --file: the reason a moved training's invitees are told")
	fs.StringVar(&spec.Title, "title", "", "title, e.g. 'AMRUT 2.0 प्रशिक्षण'")
	fs.StringVar(&spec.Topic, "topic", "", "topic")
	fs.StringVar(&spec.Venue, "venue", "", "venue")
	fs.Float64Var(&lat, "lat", 0, "venue latitude, for check-in by location")
	fs.Float64Var(&lon, "lon", 0, "venue longitude")
	fs.StringVar(&spec.Start, "start", "", "first day's start in IST, e.g. 2026-12-05T10:00")
	fs.IntVar(&spec.Days, "days", 1, "number of consecutive days")
	fs.StringVar(&spec.End, "end", "", "daily end time, e.g. 17:00 (default "+training.DefaultEnd+")")
	fs.StringVar(&spec.Batch, "batch", "", "batch (चरण)")
	fs.IntVar(&spec.Capacity, "capacity", 0, "seats; 0 for no limit (more confirmations go on a waitlist)")
	fs.StringVar(&modules, "modules", "", "modules, comma-separated: 'जल आपूर्ति,सीवेज,बजट'")
	fs.StringVar(&spec.Invite, "invite", "", "whom to invite: 'role=sabhasad,body=नगर पंचायत अनपरा'")
	fs.IntVar(&spec.Radius, "radius", 0, "check-in radius around the venue in metres")
	reminders := fs.String("reminders", "", "when reminders go before each day, comma-separated: 2d@10:00 (two days before at 10:00), eve (the evening before, 18:00), 2h; default: eve,2h")
	fs.StringVar(&spec.Note, "note", "", "travel or assembly-point note shown in the reminders, e.g. 'बस सुबह 6 बजे ब्लॉक कार्यालय से चलेगी'")
	lang := fs.String("lang", "hi", "language of what it prints: hi or en")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if *file != "" {
		return runCalendarImport(ctx, e, cfg, *file, *lang, *reason, *dryRun)
	}
	if spec.Invite, err = withPhones(spec.Invite, *phones, cfg.Import, *lang, e.stderr); err != nil {
		return err
	}
	spec.Modules = training.SplitList(modules)
	spec.Reminders = training.SplitList(*reminders)
	if lat != 0 || lon != 0 {
		spec.Lat, spec.Lon = &lat, &lon
	}
	spec.CreatedBy = "cli"
	t, err := spec.Training()
	if err != nil {
		return &failure{id: "cli.err_training_spec", cause: err, usage: true}
	}
	if t.Invite != "" {
		f, err := cfg.Import.Designations.ParseFilter(t.Invite)
		if err != nil {
			return badFilter("--invite", err)
		}
		if err := f.Check(roster.Scope{Level: roster.LevelAll}); err != nil {
			return badFilter("--invite", err) // a ward needs its body
		}
	}
	if *dryRun {
		return trainingDryRun(ctx, e, cfg, t, *lang)
	}
	a, err := openWriter(ctx, cfg, cliLogger(e, cfg), "training add")
	if err != nil {
		return err
	}
	defer a.Close()
	if t, err = a.svc.Trainings.Create(ctx, t); err != nil {
		return err
	}
	n := 0
	if t.Invite != "" {
		if n, err = a.svc.Invite(ctx, t); err != nil {
			return err
		}
	}
	fmt.Fprintln(e.stdout, a.cat.Text(*lang, "cli.training_added", map[string]string{
		"id": t.ID, "title": t.Title, "start": locales.DateTime(*lang, t.Days[0].Start, time.Now()), "n": strconv.Itoa(n)}))
	return nil
}

func runTrainingList(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "training list")
	w := windowFlags(fs, "list")
	fs.StringVar(&w.batch, "batch", "", "only the trainings of this batch (बैच), e.g. 'चरण 1'")
	lang := fs.String("lang", "hi", "language of the headers: hi or en")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	sel, err := w.selection()
	if err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, cliLogger(e, cfg), false, true)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.knownScope(ctx, sel.scope); err != nil {
		return err
	}
	ts, err := a.trainings(ctx, sel)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, a.cat.Text(*lang, "cli.training_list_head", nil))
	for _, t := range ts {
		rows, err := a.svc.Trainings.Rows(ctx, t.ID)
		if err != nil {
			return err
		}
		yes, came := 0, 0
		for _, r := range rows {
			if r.Status == training.StatusYes {
				yes++
			}
			if r.Attended() {
				came++
			}
		}
		title := t.Title
		if t.Cancelled {
			title += " " + a.cat.Text(*lang, "cli.training_cancelled", nil)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%d\t%d\t%d\n", t.ID, title, t.First().In(locales.IST).Format("2006-01-02 15:04"), len(t.Days),
			dash(t.PlaceLine()), t.Venue, dash(t.Batch), len(rows), yes, came)
	}
	return tw.Flush()
}

// dash is s, or "-" for nothing.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func runTrainingStatus(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "training status")
	lang := fs.String("lang", "hi", "language of the report: hi or en")
	by := fs.String("by", "division", "break the counts down by division, district, block or body (मंडल, जनपद, विकासखंड, निकाय); without an ID, every running and upcoming training is added up by it")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	id := fs.Arg(0)
	if fs.NArg() > 1 {
		return usageHint("saathi training status [ID] [--by division|district|block|body]")
	}
	level, ok := roster.ParseLevel(*by)
	if !ok {
		return badChoice("--by", *by, "division", "district", "block", "body")
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, cliLogger(e, cfg), false, true)
	if err != nil {
		return err
	}
	defer a.Close()
	if id == "" {
		return a.trainingsSummary(ctx, e, *lang, level)
	}
	t, ok, err := a.svc.Trainings.Get(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		return fail("cli.err_no_training", nil, "id", strconv.Quote(id), "command", "saathi training list")
	}
	text, err := a.svc.StatusReport(ctx, *lang, t, level, "saathi links --training "+t.ID+" --unreached -o links.xlsx")
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, text)
	return nil
}

// trainingsSummary prints the running and upcoming trainings, not
// cancelled, added up by place at level (services.Overview), then how to
// see one.
func (a *app) trainingsSummary(ctx context.Context, e env, lang, level string) error {
	all, err := a.svc.Trainings.List(ctx)
	if err != nil {
		return err
	}
	ts := slices.DeleteFunc(all, func(t training.Training) bool { return t.Cancelled })
	text, err := a.svc.Overview(ctx, lang, ts, level, time.Now(), 0)
	if err != nil {
		return err
	}
	if text == "" {
		fmt.Fprintln(e.stdout, a.cat.Text(lang, "summary.none", map[string]string{"list": "saathi training list"}))
		return nil
	}
	hint := a.cat.Text(lang, "summary.cli_hint", map[string]string{"status": "saathi training status ID", "list": "saathi training list"})
	fmt.Fprintln(e.stdout, text+"\n\n"+hint)
	return nil
}

// runExport is "saathi export --training ID --format xlsx|csv -o FILE".
func runExport(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "export")
	id := fs.String("training", "", "training id (this or --records)")
	records := fs.String("records", "", "instead, every record of a survey (the record kind its flow saves, e.g. jjm_problem)")
	format := fs.String("format", "", "xlsx or csv (default: from the file name, else xlsx)")
	lang := fs.String("lang", "hi", "language of the headers and answers: hi or en")
	out := fs.String("o", "", "output file (required)")
	by := fs.String("by", "division", "a training's summary sheet counts by division, district, block or body")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	level, ok := roster.ParseLevel(*by)
	if !ok {
		return badChoice("--by", *by, "division", "district", "block", "body")
	}
	if (*id == "") == (*records == "") || *out == "" {
		return usageHint("saathi export --training ID | --records KIND -o FILE [--format xlsx|csv] [--lang hi|en]")
	}
	if *format == "" {
		*format = "xlsx"
		if strings.HasSuffix(strings.ToLower(*out), ".csv") {
			*format = "csv"
		}
	}
	if *format != "xlsx" && *format != "csv" {
		return badChoice("--format", *format, "xlsx", "csv")
	}
	a, err := openApp(ctx, cfg, cliLogger(e, cfg), false, true)
	if err != nil {
		return err
	}
	defer a.Close()
	var n int
	if *records != "" {
		n, err = a.exportRecords(ctx, *records, *format, *lang, *out)
	} else {
		n, err = a.exportTraining(ctx, *id, *format, *lang, level, *out)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, a.cat.Text(*lang, "cli.rows_written", map[string]string{"file": *out, "n": strconv.Itoa(n)}))
	return nil
}

// exportTraining writes a training's rows to the file path, its summary
// sheet by level.
func (a *app) exportTraining(ctx context.Context, id, format, lang, level, path string) (int, error) {
	t, ok, err := a.svc.Trainings.Get(ctx, id)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, fail("cli.err_no_training", nil, "id", strconv.Quote(id), "command", "saathi training list")
	}
	rows, err := a.svc.Trainings.Rows(ctx, id)
	if err != nil {
		return 0, err
	}
	for i, r := range rows { // voice notes and files of shared experiences, beside the export
		if fb := r.Feedback; fb != nil && store.IsFileRef(fb.ExperienceFile) {
			rel, _, err := a.keptFile(ctx, path, lang, strings.TrimPrefix(r.Phone, "+"), fb.ExperienceFile, fb.ExperienceFileName)
			if err != nil {
				return 0, fmt.Errorf("export: %w", err)
			}
			copied := *fb
			copied.ExperienceFile = rel
			rows[i].Feedback = &copied
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	opts := training.ExportOptions{Designations: a.cfg.Import.Designations, By: level, Channels: a.svc.Identity.Channels}
	exportGC()
	if err := opts.ExportPaged(ctx, f, format, lang, t, rows, a.svc.Roster.People); err != nil { // a page of people at a time
		f.Close()
		return 0, fmt.Errorf("export: %w", err)
	}
	if err := f.Close(); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	return len(rows), nil
}

// trainingDryRun says whom training t would invite, creating nothing.
func trainingDryRun(ctx context.Context, e env, cfg Config, t training.Training, lang string) error {
	a, err := openReader(ctx, e, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	n, firsts, err := a.svc.InvitePreview(ctx, t, broadcastFirst)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, a.cat.Text(lang, "audience.training_dry_run", firstNames(n, firsts)))
	return nil
}
