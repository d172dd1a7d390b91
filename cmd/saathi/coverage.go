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
	"github.com/saathi-bot/saathi/store/training"
)

// runCoverage is "saathi coverage --scope district=… [--level block|gp]
// [--from 2027-04 --to 2027-06] [-o coverage.xlsx]": per block (or gram
// panchayat), the representatives on the roster, the trainings planned,
// invited, confirmed, attended at least one day and the share trained,
// the places with no training planned first; -o writes the same figures
// to Excel.
func runCoverage(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "coverage")
	w := windowFlags(fs, "coverage")
	levelFlag := fs.String("level", "", "count by block (विकासखंड), gp (ग्राम पंचायत / body), district or division (default: the level under --scope)")
	out := fs.String("o", "", "also write the table to this Excel file (.xlsx)")
	lang := fs.String("lang", "hi", "language of the table: hi or en")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageHint("saathi coverage --scope district=… [--level block|gp] [--from 2027-04] [--to 2027-06] [-o FILE.xlsx]")
	}
	sel, err := w.selection()
	if err != nil {
		return err
	}
	level := sel.scope.Below()
	if *levelFlag != "" {
		var ok bool
		if level, ok = parseLevel(*levelFlag); !ok {
			return badChoice("--level", *levelFlag, "block", "gp", "district", "division")
		}
	}
	a, err := openApp(ctx, cfg, cliLogger(e, cfg), false, true)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.knownScope(ctx, sel.scope); err != nil {
		return err
	}
	places, total, err := a.svc.Coverage(ctx, sel.scope, level, sel.from, sel.upto)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(training.CoverageHeaders(*lang, level), "\t"))
	line := func(r training.CoverageRow, place string) {
		n := strconv.Itoa
		cells := []string{place, dash(r.Parent), n(r.People), n(r.Planned), n(r.Invited), n(r.Confirmed), n(r.Attended), strconv.FormatFloat(r.Share(), 'f', 1, 64)}
		if !training.CoverageHasParent(level) {
			cells = slices.Delete(cells, 1, 2)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	for _, r := range places {
		line(r, dash(r.Place))
	}
	line(total, a.cat.Text(*lang, "cli.coverage_total", nil))
	if err := tw.Flush(); err != nil {
		return err
	}
	if *out == "" {
		return nil
	}
	f, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("coverage: %w", err)
	}
	sheet := a.cat.Text(*lang, "cli.coverage_sheet", nil)
	if err := training.WriteCoverageXLSX(f, *lang, level, sheet, places, total); err != nil {
		f.Close()
		return fmt.Errorf("coverage: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("coverage: %w", err)
	}
	fmt.Fprintln(e.stdout, a.cat.Text(*lang, "cli.rows_written", map[string]string{"file": *out, "n": strconv.Itoa(len(places) + 1)}))
	return nil
}

// runCalendar is "saathi calendar copy --from 2027 --to 2028 [--scope …]
// -o plan-2028.xlsx": this year's trainings as next year's calendar file,
// every date a year on, to correct and import with training add --file.
// With --to the same year, the calendar as it is now (moves and all), the
// file to keep editing after a move by place.
func runCalendar(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "copy" {
		return usageHint("saathi calendar copy --from 2027 --to 2028 [--scope …] -o FILE.xlsx")
	}
	fs, cfgOf := commandFlags(e, "calendar copy")
	from := fs.Int("from", 0, "the year whose trainings are copied, e.g. 2027")
	to := fs.Int("to", 0, "the year they are copied to, e.g. 2028")
	scope := fs.String("scope", "", "only the trainings of a place: district=…, block=…, body=… or all")
	out := fs.String("o", "", "the calendar file to write (.xlsx or .csv), to correct and import with saathi training add --file")
	lang := fs.String("lang", "hi", "language of the headers and of what it prints: hi or en")
	cfg, err := parseFlags(fs, cfgOf, args[1:])
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if *from < 2000 || *to < 2000 || *out == "" || fs.NArg() > 0 {
		return usageHint("saathi calendar copy --from 2027 --to 2028 [--scope …] -o FILE.xlsx")
	}
	sc, err := parseScope(*scope)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, cliLogger(e, cfg), false, true)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.knownScope(ctx, sc); err != nil {
		return err
	}
	start := time.Date(*from, 1, 1, 0, 0, 0, 0, locales.IST)
	ts, err := a.trainings(ctx, selection{scope: sc, from: start, upto: start.AddDate(1, 0, 0)})
	if err != nil {
		return err
	}
	var copies []training.Training
	for _, t := range ts {
		if t.Cancelled {
			continue
		}
		c := t
		c.Days = training.Shift(t, 12*(*to-*from), 0)
		c.Code = copiedCode(t, *from, *to)
		copies = append(copies, c)
	}
	format := "xlsx"
	if strings.HasSuffix(strings.ToLower(*out), ".csv") {
		format = "csv"
	}
	f, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("calendar copy: %w", err)
	}
	if err := training.WriteCalendar(f, format, *lang, copies); err != nil {
		f.Close()
		return fmt.Errorf("calendar copy: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("calendar copy: %w", err)
	}
	msg := "cli.calendar_copied"
	if *from == *to {
		msg = "cli.calendar_as_now"
	}
	fmt.Fprintln(e.stdout, a.cat.Text(*lang, msg, map[string]string{
		"file": *out, "n": strconv.Itoa(len(copies)), "from": strconv.Itoa(*from), "to": strconv.Itoa(*to),
		"command": "saathi training add --file " + *out}))
	return nil
}

// copiedCode is a copied training's code: the old one with its year
// replaced ("RGSA-2027-HR-01" → "RGSA-2028-HR-01"), or with the new year
// added; a training of no code gets its id and the year.
func copiedCode(t training.Training, from, to int) string {
	code := t.Code
	if code == "" {
		code = strings.ToUpper(t.ID)
	}
	if from == to {
		return code
	}
	if y := strconv.Itoa(from); strings.Contains(code, y) {
		return strings.ReplaceAll(code, y, strconv.Itoa(to))
	}
	return code + "-" + strconv.Itoa(to)
}
