package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/saathi-bot/saathi/bot/schedule"
	"github.com/saathi-bot/saathi/flows/match"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// What a calendar row does to its training.
const (
	calAdd       = "add"       // a code not seen before: a new training, its invitations
	calMove      = "move"      // other days: moved as training move does, invitees told
	calUpdate    = "update"    // other fields, same days
	calSame      = "same"      // as stored
	calCancelled = "cancelled" // the code's training is cancelled: left alone
)

// calendarStep is one row of a calendar and what it does.
type calendarStep struct {
	row    training.CalendarRow
	old    training.Training // the code's stored training, unless kind is calAdd
	kind   string
	fields []string // fields other than the days that change
}

// readCalendarFile reads a calendar file (xlsx, csv or yaml) within the
// import limits, its invite filters checked against the designations.
func (a *app) readCalendarFile(path string) ([]training.CalendarRow, []roster.RowError, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	lim := roster.Limits{MaxBytes: a.cfg.Import.MaxBytes, MaxRows: a.cfg.Import.MaxRows, Designations: a.cfg.Import.Designations}
	if st.Size() > lim.MaxBytes && lim.MaxBytes > 0 {
		return nil, nil, &roster.LimitError{Kind: roster.LimitBytes, Limit: lim.MaxBytes}
	}
	rows, bad, err := training.ReadCalendar(io.NewSectionReader(f, 0, st.Size()), filepath.Base(path), training.CalendarOptions{
		Limits: lim,
		Invite: func(s string) error {
			f, err := a.cfg.Import.Designations.ParseFilter(s)
			if err != nil {
				return err
			}
			return f.Check(roster.Scope{Level: roster.LevelAll}) // a ward needs its body
		},
	})
	if err != nil {
		return nil, nil, err
	}
	return rows, bad, nil
}

// planCalendar compares each row with the training of its code. A row
// that would add or move a training into the past is bad.
func (a *app) planCalendar(ctx context.Context, rows []training.CalendarRow, now time.Time) ([]calendarStep, []roster.RowError, error) {
	var steps []calendarStep
	var bad []roster.RowError
	places := newPlaceCheck(a)
	for _, r := range rows {
		old, found, err := a.svc.Trainings.ByCode(ctx, r.Training.Code)
		if err == nil && !found {
			// A training made from YAML before codes were kept is this
			// row's when its fields give the same code: updated, not
			// made again (it gets the code when the row is applied).
			old, found, err = a.svc.Trainings.Uncoded(ctx, r.Training.Code, r.Training.First())
		}
		if err != nil {
			return nil, nil, err
		}
		st := calendarStep{row: r, old: old, kind: calAdd}
		if found {
			days, fields := training.Differences(old, r.Training)
			switch {
			case old.Cancelled:
				st.kind = calCancelled
			case days && len(old.Days) != len(r.Training.Days):
				bad = append(bad, roster.RowProblem(r.Line,
					fmt.Sprintf("code %s: the training has %d days, the row %d: the number of days cannot change (cancel it and add a new code)", old.Code, len(old.Days), len(r.Training.Days)),
					fmt.Sprintf("कोड %s: प्रशिक्षण %d दिन का है, पंक्ति में %d दिन: दिन नहीं बदले जा सकते (इसे रद्द करके नए कोड से जोड़ें)", old.Code, len(old.Days), len(r.Training.Days))))
				continue
			case days && !now.Before(old.First()):
				bad = append(bad, roster.RowProblem(r.Line,
					fmt.Sprintf("code %s: the training has started, its dates cannot change", old.Code),
					fmt.Sprintf("कोड %s: प्रशिक्षण शुरू हो चुका है, उसकी तारीख़ नहीं बदल सकती", old.Code)))
				continue
			case days:
				st.kind = calMove
			case len(fields) > 0:
				st.kind = calUpdate
			default:
				st.kind = calSame
			}
			st.fields = fields
		}
		if p, err := places.check(ctx, r); err != nil {
			return nil, nil, err
		} else if p != nil {
			bad = append(bad, *p)
			continue
		}
		if (st.kind == calAdd || st.kind == calMove) && r.Training.First().Before(now) {
			bad = append(bad, roster.RowProblem(r.Line,
				fmt.Sprintf("start %s is in the past", r.Training.First().Format("2006-01-02 15:04")),
				fmt.Sprintf("प्रारंभ %s बीत चुका है", locales.DateTime("hi", r.Training.First(), now))))
			continue
		}
		steps = append(steps, st)
	}
	return steps, bad, nil
}

// placeCheck finds the places a calendar's rows invite by that nobody on
// the roster is at (a typo: "मैथाा", "दंतेवाडा" for दंतेवाड़ा), each place
// asked of the roster's index once, and the roster's names of a level
// read only to suggest what was meant.
type placeCheck struct {
	a     *app
	known map[string]bool          // level + "\x00" + name: someone is there
	names map[string]*match.Places // by level
}

// check is the row's problem when its filter names a place the roster
// does not have, or nil.
func (c placeCheck) check(ctx context.Context, r training.CalendarRow) (*roster.RowError, error) {
	if r.Training.Invite == "" {
		return nil, nil
	}
	f, err := c.a.cfg.Import.Designations.ParseFilter(r.Training.Invite)
	if err != nil {
		return nil, nil // reading the file reported it
	}
	var en, hi []string
	for _, level := range []string{roster.LevelDivision, roster.LevelDistrict, roster.LevelBlock, roster.LevelBody} {
		var values []string
		switch level {
		case roster.LevelDivision:
			values = f.Division
		case roster.LevelDistrict:
			values = f.District
		case roster.LevelBlock:
			values = f.Block
		case roster.LevelBody:
			values = f.Body
		}
		for _, v := range values {
			guess, unknown, err := c.unknown(ctx, level, v)
			if err != nil || !unknown {
				if err != nil {
					return nil, err
				}
				continue
			}
			vars := map[string]string{"level": c.a.cat.Text("en", "place.level."+level, nil), "place": v, "guess": guess}
			en = append(en, c.a.cat.Text("en", "cli.calendar_no_place", vars))
			vars["level"] = c.a.cat.Text("hi", "place.level."+level, nil)
			hi = append(hi, c.a.cat.Text("hi", "cli.calendar_no_place", vars))
		}
	}
	if len(en) == 0 {
		return nil, nil
	}
	p := roster.RowProblem(r.Line, "invite: "+strings.Join(en, "; "), "किसे बुलाना है: "+strings.Join(hi, "; "))
	return &p, nil
}

func newPlaceCheck(a *app) placeCheck {
	return placeCheck{a: a, known: map[string]bool{}, names: map[string]*match.Places{}}
}

// unknown tells whether nobody on the roster is at the place name of
// level, and then the roster's place it may mean (guess).
func (c placeCheck) unknown(ctx context.Context, level, name string) (guess string, unknown bool, err error) {
	key := level + "\x00" + name
	there, seen := c.known[key]
	if !seen {
		if _, there, err = c.a.svc.Roster.Where(ctx, level, name); err != nil {
			return "", false, err
		}
		c.known[key] = there
	}
	if there {
		return "", false, nil
	}
	guess, err = c.guess(ctx, level, name)
	return guess, true, err
}

// knownScope refuses a --scope whose place nobody on the roster is at (a
// typo would otherwise find nothing and say only that), with the roster's
// place it may mean.
func (a *app) knownScope(ctx context.Context, sc roster.Scope) error {
	if sc.Level == roster.LevelAll {
		return nil
	}
	guess, unknown, err := newPlaceCheck(a).unknown(ctx, sc.Level, sc.Value)
	if err != nil || !unknown {
		return err
	}
	return failUsage("cli.scope_unknown", "level", sc.Level, "place", sc.Value, "guess", guess)
}

// guess is the roster's place of level that name may have meant ("" for
// none; several, joined).
func (c placeCheck) guess(ctx context.Context, level, name string) (string, error) {
	p, ok := c.names[level]
	if !ok {
		names, err := c.a.svc.Roster.PlaceNames(ctx, level)
		if err != nil {
			return "", err
		}
		slices.Sort(names)
		p = c.a.svc.Words.NewPlaces(names)
		c.names[level] = p
	}
	switch kind, found := p.Match(name); kind {
	case match.PlaceExact, match.PlaceNear, match.PlaceMany:
		return "«" + strings.Join(found, "», «") + "»", nil
	}
	return "", nil
}

// runCalendarImport is "saathi training add --file CALENDAR [--dry-run]":
// every row is checked first, and with a bad row nothing is written. Then
// each row adds, updates or moves the training of its code, and what was
// done is printed once all is done (a reader that stops early, such as
// `| head`, cannot leave the calendar half-applied).
func runCalendarImport(ctx context.Context, e env, cfg Config, path, lang, reason string, dryRun bool) error {
	a, err := openChanger(ctx, cfg, e, "training add", dryRun)
	if err != nil {
		return err
	}
	defer a.Close()
	rows, bad, err := a.readCalendarFile(path)
	if err != nil {
		return fmt.Errorf("training add: %s: %s", path, inLang(lang, err))
	}
	now := time.Now()
	steps, later, err := a.planCalendar(ctx, rows, now)
	if err != nil {
		return err
	}
	bad = append(bad, later...)
	if len(bad) > 0 {
		for _, b := range sortedRowErrors(bad) {
			fmt.Fprintln(e.stdout, inLang(lang, b))
		}
		return fail("cli.calendar_bad", nil, "file", path, "n", strconv.Itoa(len(bad)))
	}
	var out []string
	counts := map[string]int{}
	invited := 0
	s := a.scheduler()
	defer s.Close()
	msgPrefix := "cli.calendar_"
	if dryRun {
		msgPrefix = "cli.calendar_dry_"
	}
	for _, st := range steps {
		counts[st.kind]++
		t := st.row.Training
		id, n := st.old.ID, 0
		switch {
		case !dryRun:
			if id, n, err = a.applyCalendarStep(ctx, s, st, reason); err != nil {
				return fail("cli.err_calendar_step", err, "line", strconv.Itoa(st.row.Line), "code", t.Code)
			}
		case st.kind == calAdd: // whom it would invite, counted as the import selects them
			if n, _, err = a.svc.InvitePreview(ctx, t, 0); err != nil {
				return fmt.Errorf("training add: line %d (%s): %w", st.row.Line, t.Code, err)
			}
		}
		invited += n
		vars := map[string]string{
			"line": strconv.Itoa(st.row.Line), "code": t.Code, "id": id, "title": t.Title,
			"start": locales.DateTime(lang, t.First(), now), "n": strconv.Itoa(n),
			"old": locales.DateTime(lang, st.old.First(), now), "fields": fieldNames(lang, st.fields),
		}
		if id == "" {
			vars["id"] = "-"
		}
		out = append(out, a.cat.Text(lang, msgPrefix+st.kind, vars))
	}
	msg := "cli.calendar_done"
	if dryRun {
		msg = "cli.calendar_dry_run"
	}
	out = append(out, a.cat.Text(lang, msg, map[string]string{
		"added": strconv.Itoa(counts[calAdd]), "moved": strconv.Itoa(counts[calMove]), "updated": strconv.Itoa(counts[calUpdate]),
		"same": strconv.Itoa(counts[calSame]), "cancelled": strconv.Itoa(counts[calCancelled]), "invited": strconv.Itoa(invited),
	}))
	fmt.Fprintln(e.stdout, strings.Join(out, "\n"))
	return nil
}

// applyCalendarStep carries out one row: it returns the training's id and
// how many were newly invited. Every row invites whom its filter selects
// (nobody twice), so a run cut short and run again sends the invitations
// it did not.
func (a *app) applyCalendarStep(ctx context.Context, s *schedule.Scheduler, st calendarStep, reason string) (string, int, error) {
	t := st.row.Training
	switch st.kind {
	case calCancelled:
		return st.old.ID, 0, nil
	case calAdd:
		t.CreatedBy = "cli"
		made, _, err := a.svc.Trainings.CreateCoded(ctx, t)
		if err != nil {
			return "", 0, err
		}
		t = made
	default:
		u := st.old.WithFieldsOf(t)
		if st.old.Code == "" { // made before codes were kept: the row's from now on
			u.Code = t.Code
			if err := a.svc.Trainings.BindCode(ctx, u); err != nil {
				return "", 0, err
			}
		}
		if len(st.fields) > 0 {
			u.Secret = ""
			if err := a.svc.Trainings.Update(ctx, u); err != nil {
				return "", 0, err
			}
		}
		if st.kind == calMove {
			if err := s.MoveDays(ctx, u.ID, t.Days, reason); err != nil {
				return "", 0, err
			}
		}
		t = u
	}
	if t.Invite == "" || !time.Now().Before(t.First()) {
		return t.ID, 0, nil // nobody is invited to a training that has started
	}
	n, err := a.svc.Invite(ctx, t)
	return t.ID, n, err
}

// bilingual is an error that has a Hindi form.
type bilingual interface {
	error
	Hindi() string
}

// inLang is err in lang: its Hindi form for hi when it has one.
func inLang(lang string, err error) string {
	var b bilingual
	if lang == "hi" && errors.As(err, &b) {
		return b.Hindi()
	}
	return err.Error()
}

// sortedRowErrors are bad rows by line.
func sortedRowErrors(bad []roster.RowError) []error {
	bad = slices.Clone(bad)
	slices.SortStableFunc(bad, func(x, y roster.RowError) int { return x.Line - y.Line })
	out := make([]error, len(bad))
	for i, b := range bad {
		out[i] = b
	}
	return out
}

// fieldNames writes changed fields as the calendar's headers name them.
func fieldNames(lang string, fields []string) string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = training.ColumnName(lang, f)
	}
	return strings.Join(out, ", ")
}
