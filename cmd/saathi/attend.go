package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// runTrainingAttend is "saathi training attend ID --day N --phone … [--absent]":
// a coordinator's correction of one person's attendance on one day, kept
// with "cli" as who made it; a wrong-code lock of that day is lifted.
func runTrainingAttend(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "training attend")
	day := fs.Int("day", 0, "the day, from 1 (required)")
	phone := fs.String("phone", "", "the invitee's mobile number (required)")
	absent := fs.Bool("absent", false, "mark them absent instead of present")
	by := fs.String("by", "", "who makes the entry, as the export shows it (default: cli)")
	lang := fs.String("lang", "hi", "language of what it prints: hi or en")
	cfg, pos, err := parseInterspersed(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	const usage = "saathi training attend ID --day 1 --phone 9018159083 [--absent]"
	if len(pos) != 1 || *day < 1 || *phone == "" {
		return usageHint(usage)
	}
	p, ok := roster.NormalizePhone(*phone)
	if !ok {
		return failUsage("cli.attend_bad_phone", "flag", "--phone", "phone", strconv.Quote(*phone))
	}
	a, err := openWriter(ctx, cfg, cliLogger(e, cfg), "training attend")
	if err != nil {
		return err
	}
	defer a.Close()
	t, ok, err := a.svc.Trainings.Get(ctx, pos[0])
	if err != nil {
		return err
	}
	if !ok {
		return fail("cli.err_no_training", nil, "id", strconv.Quote(pos[0]), "command", "saathi training list")
	}
	if *day > len(t.Days) {
		return failUsage("cli.attend_no_day", "id", t.ID, "day", strconv.Itoa(*day), "days", strconv.Itoa(len(t.Days)))
	}
	now := time.Now()
	if now.Before(t.Days[*day-1].Start.Add(-training.CheckInEarly)) {
		return fail("cli.attend_not_begun", nil, "id", t.ID, "day", strconv.Itoa(*day), "start", locales.DateTime(*lang, t.Days[*day-1].Start, now))
	}
	changed, err := a.svc.MarkAttendance(ctx, t.ID, training.Correction{Phone: p, Day: *day - 1, Present: !*absent, By: "cli", ByName: *by, At: now})
	if errors.Is(err, training.ErrNotInvited) {
		return fail("cli.attend_not_invited", nil, "id", t.ID, "title", t.Title, "phone", p)
	}
	if err != nil {
		return err
	}
	id := "cli.attend_present"
	if *absent {
		id = "cli.attend_absent"
	}
	if !changed {
		id += "_already"
	}
	fmt.Fprintln(e.stdout, a.cat.Text(*lang, id, map[string]string{"id": t.ID, "title": t.Title, "day": strconv.Itoa(*day), "phone": p}))
	return nil
}
