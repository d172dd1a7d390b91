package main

import (
	"context"
	"flag"
	"strconv"
	"strings"
	"time"

	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// window is the flags that choose trainings by place, month and batch.
type window struct {
	scope, from, until, batch string
	untilFlag                 string // --until or --to
}

// windowFlags adds --scope, --from and the window's last month to fs:
// --until for a move (whose --to says where to), --to otherwise.
func windowFlags(fs *flag.FlagSet, verb string) *window {
	w := &window{untilFlag: "--to"}
	fs.StringVar(&w.scope, "scope", "", "the trainings of a place: district=हरिद्वार, block=…, body=… (gp=…), division=… or all")
	fs.StringVar(&w.from, "from", "", "only trainings starting in this month or later, e.g. 2027-04")
	last := "to"
	if verb == "move" {
		last, w.untilFlag = "until", "--until"
	}
	fs.StringVar(&w.until, last, "", "only trainings starting in this month or earlier, e.g. 2027-06")
	return w
}

// selection is what a window's flags choose.
type selection struct {
	scope      roster.Scope
	from, upto time.Time // zero: open; upto is exclusive
	batch      string
}

func (w *window) selection() (selection, error) {
	var sel selection
	var err error
	if sel.scope, err = parseScope(w.scope); err != nil {
		return sel, err
	}
	if w.from != "" {
		if sel.from, err = training.ParseMonth(w.from); err != nil {
			return sel, badMonth("--from", w.from)
		}
	}
	if w.until != "" {
		m, err := training.ParseMonth(w.until)
		if err != nil {
			return sel, badMonth(w.untilFlag, w.until)
		}
		sel.upto = m.AddDate(0, 1, 0)
	}
	if !sel.from.IsZero() && !sel.upto.IsZero() && !sel.from.Before(sel.upto) {
		return sel, failUsage("cli.err_months_reversed", "until", w.until, "from", w.from)
	}
	sel.batch = strings.TrimSpace(w.batch)
	return sel, nil
}

// has tells whether the selection takes t (cancelled or not).
func (sel selection) has(t training.Training) bool {
	first := t.First()
	return t.In(sel.scope) && (sel.from.IsZero() || !first.Before(sel.from)) && (sel.upto.IsZero() || first.Before(sel.upto)) &&
		(sel.batch == "" || roster.SameName(t.Batch, sel.batch))
}

// trainings are the trainings the selection takes, by their first day.
func (a *app) trainings(ctx context.Context, sel selection) ([]training.Training, error) {
	all, err := a.svc.Trainings.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []training.Training
	for _, t := range all {
		if sel.has(t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// upcoming are the selection's trainings that are not cancelled and have
// not started: those a move or cancellation by place changes.
func (a *app) upcoming(ctx context.Context, sel selection, now time.Time) ([]training.Training, error) {
	ts, err := a.trainings(ctx, sel)
	if err != nil {
		return nil, err
	}
	out := ts[:0]
	for _, t := range ts {
		if !t.Cancelled && now.Before(t.First()) {
			out = append(out, t)
		}
	}
	return out, nil
}

// parseScope reads --scope: all (or empty), or level=value with the level
// in English or Hindi (division/मंडल, district/जनपद/जिला, block/विकासखंड,
// body/निकाय, gp/ग्राम पंचायत).
func parseScope(s string) (roster.Scope, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, roster.LevelAll) || s == "सभी" {
		return roster.Scope{Level: roster.LevelAll}, nil
	}
	k, v, ok := strings.Cut(s, "=")
	v = strings.TrimSpace(v)
	if !ok || v == "" {
		return roster.Scope{}, failUsage("cli.err_scope", "flag", "--scope", "value", strconv.Quote(s), "all", "“all”", "places", "“district=सोनभद्र”, “block=मैथा”, “body=…”, “division=…”")
	}
	level, ok := parseLevel(k)
	if !ok {
		return roster.Scope{}, failUsage("cli.err_scope_key", "flag", "--scope", "value", strconv.Quote(s), "key", strconv.Quote(k), "choices", "division|district|block|body")
	}
	return roster.Scope{Level: level, Value: v}, nil
}

// parseLevel is roster.ParseLevel that also takes a gram panchayat (gp,
// ग्राम पंचायत, ग्रा.पं.) for a body.
func parseLevel(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "gp", "ग्राम पंचायत", "ग्रा.पं.", "ग्राम पंचायतें", "panchayat":
		return roster.LevelBody, true
	}
	return roster.ParseLevel(s)
}
