// Package schedule sends the messages that belong to a training's calendar:
// reminders before each day to those who said yes, nudges before the first
// day to those who have not answered, and the notice to every invitee when
// a coordinator moves or cancels a training.
//
// Jobs are asynq tasks in Redis (not timers in a process), so they survive
// a restart and any number of processes may schedule them; one asynq server
// (in `saathi serve`) runs them. A job does not send messages itself: it
// publishes one event per recipient to the event queue (store/events), and
// the event is applied in the person's chat as a flow ("reminder",
// "invite" for a nudge, "changed"), with an id that makes a second
// publication harmless.
//
// Plan is pure: what fires when, for a training at a given time. The rest
// keeps asynq in step with it. A job checks at fire time that its training
// still plans it for the same time, so a job left behind by a move or a
// cancellation does nothing.
package schedule

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/training"
)

// Job kinds.
const (
	// KindReminder: before a training day, to those who said yes.
	KindReminder = "reminder"
	// KindNudge: before the first day, to those who have not answered.
	KindNudge = "nudge"
)

// Clock is a time of day in IST, in minutes after midnight.
type Clock int

// At is the clock time hour:min.
func At(hour, min int) Clock { return Clock(hour*60 + min) }

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// on is the time c on the IST calendar day of t.
func (c Clock) on(t time.Time) time.Time {
	t = t.In(locales.IST)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, locales.IST).Add(time.Duration(c) * time.Minute)
}

func clockOf(t time.Time) Clock {
	t = t.In(locales.IST)
	return At(t.Hour(), t.Minute())
}

// Offset says when a job fires, relative to the start of a day: either a
// duration before it, or a clock time some calendar days before it.
type Offset struct {
	// Name tells the offsets of one kind apart in job and event ids
	// ("eve", "2h"); keep it short and stable.
	Name string
	// Before: the job fires this long before the start (when not OnClock).
	Before time.Duration
	// OnClock: the job fires DaysBefore calendar days before the day, at
	// Clock (IST).
	OnClock    bool
	DaysBefore int
	Clock      Clock
	// Urgent jobs are sent even in quiet hours.
	Urgent bool
	// CheckIn: a reminder that offers the day's check-in (the one shortly
	// before the start).
	CheckIn bool
}

// Before is an offset of d before the start.
func Before(name string, d time.Duration) Offset { return Offset{Name: name, Before: d} }

// DaysBefore is an offset at clock c, days calendar days before the day.
func DaysBefore(name string, days int, c Clock) Offset {
	return Offset{Name: name, OnClock: true, DaysBefore: days, Clock: c}
}

// from is when the offset fires for a day starting at start.
func (o Offset) from(start time.Time) time.Time {
	if o.OnClock {
		s := start.In(locales.IST)
		day := time.Date(s.Year(), s.Month(), s.Day()-o.DaysBefore, 12, 0, 0, 0, locales.IST)
		return o.Clock.on(day)
	}
	return start.Add(-o.Before).In(locales.IST)
}

// Schedule is what is sent before a training. Config.Schedule is the one
// every training gets; Config.For may give a training its own.
type Schedule struct {
	// Reminders fire before each day's start, to those who said yes.
	Reminders []Offset
	// Nudges fire before the first day's start, to those who have not answered.
	Nudges []Offset
}

// DefaultSchedule: reminders at 18:00 the evening before each day and 2
// hours before each day's start (with the check-in button); nudges 48 and
// 24 hours before the first day.
func DefaultSchedule() Schedule {
	soon := Before("2h", 2*time.Hour)
	soon.CheckIn = true
	return Schedule{
		Reminders: []Offset{DaysBefore("eve", 1, At(18, 0)), soon},
		Nudges:    []Offset{Before("48h", 48*time.Hour), Before("24h", 24*time.Hour)},
	}
}

// Quiet hours: From (inclusive) to To (exclusive), IST; they may wrap past
// midnight (21:00–08:00). From == To means none.
type Quiet struct {
	From, To Clock
}

// DefaultQuiet is 21:00 to 08:00 IST.
var DefaultQuiet = Quiet{From: At(21, 0), To: At(8, 0)}

// Contains reports whether t falls in the quiet hours.
func (q Quiet) Contains(t time.Time) bool {
	if q.From == q.To {
		return false
	}
	c := clockOf(t)
	if q.From < q.To {
		return c >= q.From && c < q.To
	}
	return c >= q.From || c < q.To
}

// End is the end of the quiet hours t is in (t itself when it is not in them).
func (q Quiet) End(t time.Time) time.Time {
	if !q.Contains(t) {
		return t
	}
	end := q.To.on(t)
	if !end.After(t) { // evening part of quiet hours that wrap midnight: tomorrow morning
		end = q.To.on(t.In(locales.IST).AddDate(0, 0, 1))
	}
	return end
}

// Job is one scheduled send.
type Job struct {
	// ID is the asynq task id: "saathi:rem:<training>:<kind>:<day>:<offset>",
	// the day counted from 1.
	ID       string
	Training string
	Kind     string // KindReminder or KindNudge
	Day      int    // index into Training.Days, from 0 (0 for nudges)
	Offset   Offset
	At       time.Time // in IST, after moving out of quiet hours
	Urgent   bool
	CheckIn  bool
}

// JobID is the task id of a job.
func JobID(trainingID, kind string, day int, offset string) string {
	return "saathi:rem:" + trainingID + ":" + kind + ":" + strconv.Itoa(day+1) + ":" + offset
}

// deadline is the start of the day the job is for: it is useless from then on.
func deadline(t training.Training, j Job) time.Time { return t.Days[j.Day].Start }

// plan lists a training's jobs by time. Non-urgent jobs due in quiet hours
// move to their end; a job that would then fire at or after its day's start
// is dropped. With all false, jobs before now are dropped too (and so are
// the reminders of days that have started).
func plan(t training.Training, sch Schedule, quiet Quiet, now time.Time, all bool) []Job {
	if t.Cancelled || len(t.Days) == 0 {
		return nil
	}
	var jobs []Job
	add := func(kind string, day int, o Offset) {
		j := Job{ID: JobID(t.ID, kind, day, o.Name), Training: t.ID, Kind: kind, Day: day, Offset: o, Urgent: o.Urgent, CheckIn: o.CheckIn && kind == KindReminder}
		j.At = o.from(t.Days[day].Start)
		if !o.Urgent {
			j.At = quiet.End(j.At)
		}
		if !j.At.Before(deadline(t, j)) {
			return
		}
		if !all && j.At.Before(now) {
			return
		}
		jobs = append(jobs, j)
	}
	for i := range t.Days {
		for _, o := range sch.Reminders {
			add(KindReminder, i, o)
		}
	}
	for _, o := range sch.Nudges {
		add(KindNudge, 0, o)
	}
	sort.SliceStable(jobs, func(a, b int) bool {
		if !jobs[a].At.Equal(jobs[b].At) {
			return jobs[a].At.Before(jobs[b].At)
		}
		return jobs[a].ID < jobs[b].ID
	})
	return jobs
}
