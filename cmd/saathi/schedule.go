package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"github.com/saathi-bot/saathi/bot/schedule"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/training"
)

// runTrainingMove is "saathi training move ID --start 2026-12-12T10:00
// [--end 17:00]" — the first day starts then, the other days shift alike,
// each day ending at its own time unless --end says otherwise — or, by
// place, "saathi training move --scope district=हरिद्वार --from 2027-04
// --to 2027-09" (the scope's trainings from April on move five months) or
// "--shift 5mo". Reminders follow and every invitee is told, with the old
// date and --reason; --dry-run only says what would move.
func runTrainingMove(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "training move")
	start := fs.String("start", "", "the first day's new start in IST, e.g. 2026-12-12T10:00 (the other days shift alike)")
	end := fs.String("end", "", "every day's new end, e.g. 16:00 (default: each day ends at its own time)")
	w := windowFlags(fs, "move")
	to := fs.String("to", "", "with --scope and --from: the month the --from month moves to, e.g. 2027-09 (every training shifts as many months)")
	shift := fs.String("shift", "", "with --scope: how far to move, e.g. 5mo, 2w or 10d (-1mo: earlier)")
	reason := fs.String("reason", "", "why, told to every invitee, e.g. 'कुंभ मेला और चुनाव'")
	dryRun := fs.Bool("dry-run", false, "say what would move and whom it would tell, changing nothing")
	lang := fs.String("lang", "hi", "language of what it prints: hi or en")
	cfg, pos, err := parseInterspersed(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	usage := usageHint("saathi training move ID --start 2026-12-12T10:00 [--end 17:00] | saathi training move --scope district=… (--from 2027-04 --to 2027-09 | --shift 5mo) [--until 2027-06] [--reason …] [--dry-run]")
	now := time.Now()
	if w.scope == "" {
		if len(pos) != 1 || (*start == "" && *end == "") || *to != "" || *shift != "" || w.from != "" || w.until != "" {
			return usage
		}
		return moveOne(ctx, e, cfg, pos[0], *start, *end, *reason, *lang, *dryRun, now)
	}
	if len(pos) != 0 || *start != "" || *end != "" || (*shift == "") == (*to == "") || (*to != "" && w.from == "") {
		return usage
	}
	months, days := 0, 0
	var dest time.Time
	if *shift != "" {
		if months, days, err = training.ParseShift(*shift); err != nil {
			return &failure{id: "cli.err_bad_shift", data: map[string]string{"flag": "--shift", "value": strconv.Quote(*shift),
				"examples": "`5mo`, `2w`, `10d`, `-1mo`"}, cause: err, usage: true, enCause: true}
		}
	} else {
		from, err1 := training.ParseMonth(w.from)
		var err2 error
		dest, err2 = training.ParseMonth(*to)
		if err1 != nil {
			return badMonth("--from", w.from)
		}
		if err2 != nil {
			return badMonth("--to", *to)
		}
		if months = training.MonthsBetween(from, dest); months == 0 {
			return failUsage("cli.err_same_month", "from", "--from", "to", "--to")
		}
	}
	sel, err := w.selection()
	if err != nil {
		return err
	}
	// --from 2027-04 --to 2027-09 moves what starts from April up to
	// September, not what is there already: run twice, it moves nothing
	// the second time.
	if months > 0 && !dest.IsZero() && (sel.upto.IsZero() || sel.upto.After(dest)) {
		sel.upto = dest
	}
	a, err := openChanger(ctx, cfg, e, "training move", *dryRun)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.knownScope(ctx, sel.scope); err != nil {
		return err
	}
	ts, err := a.upcoming(ctx, sel, now)
	if err != nil {
		return err
	}
	if len(ts) == 0 {
		fmt.Fprintln(e.stdout, a.cat.Text(*lang, "cli.trainings_none", map[string]string{"scope": sel.scope.String()}))
		return nil
	}
	// Every new date is checked before anything moves.
	moved := make([][]training.Day, len(ts))
	for i, t := range ts {
		moved[i] = training.Shift(t, months, days)
		if moved[i][0].Start.Before(now) {
			return failUsage("cli.move_into_past", "id", t.ID, "title", t.Title, "start", locales.DateTime(*lang, moved[i][0].Start, now))
		}
	}
	s := a.scheduler()
	defer s.Close()
	told := 0
	for i, t := range ts {
		inv, err := a.svc.Trainings.Invitees(ctx, t.ID)
		if err != nil {
			return err
		}
		msg := "cli.training_would_move"
		if !*dryRun {
			msg = "cli.training_moved_place"
			if err := s.MoveDays(ctx, t.ID, moved[i], *reason); err != nil {
				return err
			}
		}
		told += len(inv)
		fmt.Fprintln(e.stdout, a.cat.Text(*lang, msg, map[string]string{
			"id": t.ID, "title": t.Title, "place": t.PlaceLine(), "old": locales.DateTime(*lang, t.First(), now),
			"start": locales.DateTime(*lang, moved[i][0].Start, now), "n": strconv.Itoa(len(inv))}))
	}
	return a.printSum(e, *lang, *dryRun, len(ts), told)
}

// moveOne moves the training id to start (or gives its days the end).
func moveOne(ctx context.Context, e env, cfg Config, id, start, end, reason, lang string, dryRun bool, now time.Time) error {
	a, err := openChanger(ctx, cfg, e, "training move", dryRun)
	if err != nil {
		return err
	}
	defer a.Close()
	before, ok, err := a.svc.Trainings.Get(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		return fail("cli.err_no_training", nil, "id", strconv.Quote(id), "command", "saathi training list")
	}
	newStart := before.First()
	if start != "" {
		if newStart, err = parseIST(start); err != nil {
			return badDateTime("--start", start)
		}
	}
	if newStart.Before(now) {
		return failUsage("cli.err_start_past", "flag", "--start", "start", locales.DateTime(lang, newStart, now))
	}
	days, err := training.MoveTo(before, newStart, end)
	if err != nil {
		return &failure{id: "cli.err_move_days", cause: err, usage: true}
	}
	startText := locales.DateTime(lang, newStart, now)
	if dryRun {
		inv, err := a.svc.Trainings.Invitees(ctx, id)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, a.cat.Text(lang, "cli.training_would_move", map[string]string{
			"id": id, "title": before.Title, "place": before.PlaceLine(), "old": locales.DateTime(lang, before.First(), now), "start": startText, "n": strconv.Itoa(len(inv))}))
		return nil
	}
	s := a.scheduler()
	defer s.Close()
	if err := s.MoveDays(ctx, id, days, reason); err != nil {
		return err
	}
	if training.SameDays(before.Days, days) {
		fmt.Fprintln(e.stdout, a.cat.Text(lang, "cli.training_unmoved", map[string]string{
			"id": before.ID, "title": before.Title, "start": startText}))
		return nil
	}
	return a.printChanged(ctx, e, id, lang, "cli.training_moved", startText)
}

// runTrainingCancel is "saathi training cancel ID [--reason …]", or by
// place "saathi training cancel --scope district=… [--from 2027-04]
// [--until 2027-06]": each training is cancelled, its reminders deleted,
// and every invitee told, with the reason; --dry-run only says what would be.
func runTrainingCancel(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "training cancel")
	w := windowFlags(fs, "cancel")
	reason := fs.String("reason", "", "why, told to every invitee")
	dryRun := fs.Bool("dry-run", false, "say what would be cancelled and whom it would tell, changing nothing")
	lang := fs.String("lang", "hi", "language of what it prints: hi or en")
	cfg, pos, err := parseInterspersed(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if (len(pos) == 1) == (w.scope != "") || len(pos) > 1 || (w.scope == "" && (w.from != "" || w.until != "")) {
		return usageHint("saathi training cancel ID [--reason …] | saathi training cancel --scope district=… [--from 2027-04] [--to 2027-06] [--reason …] [--dry-run]")
	}
	a, err := openChanger(ctx, cfg, e, "training cancel", *dryRun)
	if err != nil {
		return err
	}
	defer a.Close()
	now := time.Now()
	var ts []training.Training
	if len(pos) == 1 {
		t, ok, err := a.svc.Trainings.Get(ctx, pos[0])
		if err != nil {
			return err
		}
		if !ok {
			return fail("cli.err_no_training", nil, "id", strconv.Quote(pos[0]), "command", "saathi training list")
		}
		ts = append(ts, t)
	} else {
		sel, err := w.selection()
		if err != nil {
			return err
		}
		if err := a.knownScope(ctx, sel.scope); err != nil {
			return err
		}
		if ts, err = a.upcoming(ctx, sel, now); err != nil {
			return err
		}
		if len(ts) == 0 {
			fmt.Fprintln(e.stdout, a.cat.Text(*lang, "cli.trainings_none", map[string]string{"scope": sel.scope.String()}))
			return nil
		}
	}
	s := a.scheduler()
	defer s.Close()
	told := 0
	for _, t := range ts {
		inv, err := a.svc.Trainings.Invitees(ctx, t.ID)
		if err != nil {
			return err
		}
		told += len(inv)
		vars := map[string]string{"id": t.ID, "title": t.Title, "place": t.PlaceLine(), "old": locales.DateTime(*lang, t.First(), now), "n": strconv.Itoa(len(inv))}
		if *dryRun {
			fmt.Fprintln(e.stdout, a.cat.Text(*lang, "cli.training_would_cancel", vars))
			continue
		}
		if err := s.CancelBecause(ctx, t.ID, *reason); err != nil {
			return err
		}
		if len(pos) == 1 {
			return a.printChanged(ctx, e, t.ID, *lang, "cli.training_cancel_told", "")
		}
		fmt.Fprintln(e.stdout, a.cat.Text(*lang, "cli.training_cancelled_place", vars))
	}
	if len(pos) == 1 {
		return nil
	}
	return a.printSum(e, *lang, *dryRun, len(ts), told)
}

// openChanger opens the app of a command that changes data, or with
// dryRun only reads it.
func openChanger(ctx context.Context, cfg Config, e env, command string, dryRun bool) (*app, error) {
	if dryRun {
		return openApp(ctx, cfg, cliLogger(e, cfg), false, true)
	}
	return openWriter(ctx, cfg, cliLogger(e, cfg), command)
}

// printSum prints how many trainings changed and how many people were (or
// would be) told.
func (a *app) printSum(e env, lang string, dryRun bool, trainings, told int) error {
	msg := "cli.trainings_changed"
	if dryRun {
		msg = "cli.trainings_would_change"
	}
	fmt.Fprintln(e.stdout, a.cat.Text(lang, msg, map[string]string{"trainings": strconv.Itoa(trainings), "n": strconv.Itoa(told)}))
	return nil
}

// printChanged prints the message msg (cli.training_moved or
// cli.training_cancel_told) in lang for the training id, with its new
// start and how many invitees were told.
func (a *app) printChanged(ctx context.Context, e env, id, lang, msg, start string) error {
	t, _, err := a.svc.Trainings.Get(ctx, id)
	if err != nil {
		return err
	}
	inv, err := a.svc.Trainings.Invitees(ctx, id)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, a.cat.Text(lang, msg, map[string]string{
		"id": id, "title": t.Title, "start": start, "n": strconv.Itoa(len(inv))}))
	return nil
}

// parseInterspersed is parseFlags returning the arguments.
func parseInterspersed(fs *flag.FlagSet, cfgOf func() (Config, error), args []string) (Config, []string, error) {
	cfg, err := parseFlags(fs, cfgOf, args)
	return cfg, fs.Args(), err
}

// parseIST reads a date and time in IST: 2026-12-12T10:00 or "2026-12-12 10:00".
func parseIST(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, locales.IST); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date and time like 2026-12-12T10:00", s)
}

// scheduler is the reminder scheduler on the app's Redis; close it after use
// (the Redis client stays the app's).
func (a *app) scheduler() *schedule.Scheduler {
	return schedule.New(schedule.SharedClient{UniversalClient: a.rdb}, a.svc.Trainings, a.svc.Events, schedule.Config{Logger: a.log})
}

// startScheduler runs the scheduled jobs (an asynq server on the app's
// Redis) and, every minute, schedules the jobs of every training that has
// not ended (trainings created in chat or by "training add" included).
// stop ends both; call it before closing the app.
func (a *app) startScheduler(ctx context.Context) (stop func(), err error) {
	s := a.scheduler()
	srv := asynq.NewServerFromRedisClient(a.rdb, asynq.Config{
		Concurrency:     4,
		Queues:          map[string]int{s.Queue(): 1},
		Logger:          asynqLogger{a.log.With("part", "scheduler")},
		LogLevel:        asynq.WarnLevel,
		ShutdownTimeout: a.cfg.ShutdownTimeout,
	})
	mux := asynq.NewServeMux()
	s.Register(mux)
	if err := srv.Start(mux); err != nil {
		s.Close()
		return nil, fmt.Errorf("start scheduler: %w", err)
	}
	syncCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Minute)
		defer tick.Stop()
		for {
			if _, err := s.SyncAll(syncCtx); err != nil && syncCtx.Err() == nil {
				a.log.Warn("scheduling reminders", "err", err)
			}
			select {
			case <-syncCtx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		cancel()
		<-done
		srv.Shutdown()
		s.Close()
	}, nil
}

// asynqLogger writes asynq's log lines to slog.
type asynqLogger struct{ log *slog.Logger }

func (l asynqLogger) Debug(args ...any) { l.log.Debug(fmt.Sprint(args...)) }
func (l asynqLogger) Info(args ...any)  { l.log.Info(fmt.Sprint(args...)) }
func (l asynqLogger) Warn(args ...any)  { l.log.Warn(fmt.Sprint(args...)) }
func (l asynqLogger) Error(args ...any) { l.log.Error(fmt.Sprint(args...)) }
func (l asynqLogger) Fatal(args ...any) {
	l.log.Error(fmt.Sprint(args...))
	os.Exit(1)
}
