package services

import (
	"cmp"
	"context"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// recentDays is how long after its last day a training is still offered
// to choose.
const recentDays = 30

// maxChoices bounds the trainings offered to choose from.
const maxChoices = 8

// currentTrainings orders a coordinator's trainings for choosing: those
// running now (by first day), then those to come (soonest first), then
// those over in the last 30 days (latest first). Older ones are left out.
func currentTrainings(ts []training.Training, now time.Time) []training.Training {
	var running, coming, recent []training.Training
	for _, t := range ts {
		switch phaseOf(t, now) {
		case phaseComing:
			coming = append(coming, t)
		case phaseRunning:
			running = append(running, t)
		case phaseRecent:
			recent = append(recent, t)
		}
	}
	byStart := func(a, b training.Training) int { return a.Days[0].Start.Compare(b.Days[0].Start) }
	slices.SortStableFunc(running, byStart)
	slices.SortStableFunc(coming, byStart)
	slices.SortStableFunc(recent, func(a, b training.Training) int {
		return cmp.Compare(b.Days[len(b.Days)-1].End.Unix(), a.Days[len(a.Days)-1].End.Unix())
	})
	return append(append(running, coming...), recent...)
}

// Where a training is in its life at a moment.
const (
	phaseNone    = iota // no days, or over more than recentDays ago
	phaseRunning        // from its first day's start to its last day's end
	phaseComing         // not started
	phaseRecent         // over in the last recentDays
)

// phaseOf is where t is at now.
func phaseOf(t training.Training, now time.Time) int {
	if len(t.Days) == 0 {
		return phaseNone
	}
	start, end := t.Days[0].Start, t.Days[len(t.Days)-1].End
	switch {
	case now.Before(start):
		return phaseComing
	case !now.After(end):
		return phaseRunning
	case now.Sub(end) <= recentDays*24*time.Hour:
		return phaseRecent
	}
	return phaseNone
}

// choiceLabel is how a training is offered: its title, id and first day.
func choiceLabel(lang string, t training.Training, now time.Time) string {
	return t.Title + " (" + t.ID + ") · " + locales.Date(lang, t.Days[0].Start, now)
}

// idInLabel finds the id in a choiceLabel: "AMRUT बैच 1 (t8j3dq5) · …".
var idInLabel = regexp.MustCompile(`\(([0-9a-z]+)\)`)

// pickedID is the training id in s: s itself when it is one (typed after
// the command), or the id in a label chosen from the options; else s as it
// is, trimmed (no training has it).
func pickedID(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || training.ValidID(strings.ToLower(s)) {
		return strings.ToLower(s)
	}
	if m := idInLabel.FindAllStringSubmatch(s, -1); len(m) > 0 {
		if id := m[len(m)-1][1]; training.ValidID(id) {
			return id
		}
	}
	return s
}

// coordPick: args arg (an id typed after the command, or a training chosen
// from the options), running (yes: only trainings with a day open now, for
// check-in codes), overview (yes: a state admin choosing among several
// gets a summary first). Which of the caller's trainings a command is
// about. Statuses: one (training: its id, title), many (choices: the
// current trainings, "|" between them, for ask_list), overview (choices,
// and overview: the running and upcoming trainings by division on one
// screen, then how to see one), none (no current training, or none with
// that id), forbidden.
func (s *Services) coordPick(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, sc, ok, err := s.coordinator(ctx, c)
	if err != nil || !ok {
		return result(Forbidden), err
	}
	id := pickedID(c.Args["arg"])
	ts, err := s.myTrainings(ctx, me, sc, id)
	if err != nil {
		return flows.CallResult{}, err
	}
	if id != "" {
		if len(ts) == 0 {
			return result(None, "arg", id), nil
		}
		return result("one", "training", ts[0].ID, "title", ts[0].Title), nil
	}
	cur := currentTrainings(ts, c.Now)
	if c.Args["running"] == "yes" {
		cur = slices.DeleteFunc(cur, func(t training.Training) bool { _, open := training.DayAt(t, c.Now); return !open })
	}
	switch len(cur) {
	case 0:
		return result(None), nil
	case 1:
		return result("one", "training", cur[0].ID, "title", cur[0].Title), nil
	}
	labels := make([]string, 0, maxChoices)
	for _, t := range cur[:min(len(cur), maxChoices)] {
		labels = append(labels, choiceLabel(c.Lang, t, c.Now))
	}
	if c.Args["overview"] == "yes" && sc.Level == roster.LevelAll {
		// The summary, a blank line and how to see one, above the choices.
		text, err := s.Overview(ctx, c.Lang, cur, sc.Below(), c.Now, screenLines-2-len(labels))
		if err != nil {
			return flows.CallResult{}, err
		}
		if text != "" {
			text += "\n\n" + s.text(c, "summary.pick", map[string]string{"example": cur[0].ID})
			return result("overview", "overview", text, "choices", strings.Join(labels, "|")), nil
		}
	}
	return result("many", "choices", strings.Join(labels, "|")), nil
}
