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
)

// runTrainingMove is "saathi training move ID --start 2026-12-12T10:00":
// every day of the training shifts alike, its reminders follow, and every
// invitee is told.
func runTrainingMove(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "training move")
	start := fs.String("start", "", "the first day's new start in IST, e.g. 2026-12-12T10:00 (the other days shift alike)")
	lang := fs.String("lang", "hi", "language of what it prints: hi or en")
	cfg, pos, err := parseInterspersed(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if len(pos) != 1 || *start == "" {
		return usageHint("saathi training move ID --start 2026-12-12T10:00")
	}
	newStart, err := parseIST(*start)
	if err != nil {
		return fmt.Errorf("%w: --start: %v", errUsage, err)
	}
	if newStart.Before(time.Now()) {
		return fmt.Errorf("%w: --start %s is in the past", errUsage, *start)
	}
	a, err := openWriter(ctx, cfg, cliLogger(e, cfg), "training move")
	if err != nil {
		return err
	}
	defer a.Close()
	before, ok, err := a.svc.Trainings.Get(ctx, pos[0])
	if err != nil {
		return err
	}
	if !ok {
		return fail("cli.err_no_training", nil, "id", strconv.Quote(pos[0]), "command", "saathi training list")
	}
	s := a.scheduler()
	defer s.Close()
	if err := s.Move(ctx, pos[0], newStart); err != nil {
		return err
	}
	if before.First().Equal(newStart) {
		fmt.Fprintln(e.stdout, a.cat.Text(*lang, "cli.training_unmoved", map[string]string{
			"id": before.ID, "title": before.Title, "start": locales.DateTime(*lang, newStart, time.Now())}))
		return nil
	}
	return a.printChanged(ctx, e, pos[0], *lang, "cli.training_moved", locales.DateTime(*lang, newStart, time.Now()))
}

// runTrainingCancel is "saathi training cancel ID": the training is
// cancelled, its reminders deleted, and every invitee is told.
func runTrainingCancel(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "training cancel")
	lang := fs.String("lang", "hi", "language of what it prints: hi or en")
	cfg, pos, err := parseInterspersed(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageHint("saathi training cancel ID")
	}
	a, err := openWriter(ctx, cfg, cliLogger(e, cfg), "training cancel")
	if err != nil {
		return err
	}
	defer a.Close()
	s := a.scheduler()
	defer s.Close()
	if err := s.Cancel(ctx, pos[0]); err != nil {
		return err
	}
	return a.printChanged(ctx, e, pos[0], *lang, "cli.training_cancel_told", "")
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
