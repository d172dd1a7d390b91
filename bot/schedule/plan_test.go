package schedule

import (
	"testing"
	"time"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/training"
)

func ist(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, locales.IST)
}

// twoDays is a training of 5 and 6 December 2026, 10:00 to 17:00 IST.
func twoDays(id string) training.Training {
	return training.Training{
		ID: id, Title: "AMRUT 2.0 प्रशिक्षण", Venue: "नगर पालिका सभागार, सोनभद्र",
		Days: []training.Day{
			{Start: ist(2026, 12, 5, 10, 0), End: ist(2026, 12, 5, 17, 0)},
			{Start: ist(2026, 12, 6, 10, 0), End: ist(2026, 12, 6, 17, 0)},
		},
	}
}

type want struct {
	id      string
	at      time.Time
	checkIn bool
}

func checkPlan(t *testing.T, got []Job, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		for _, j := range got {
			t.Logf("got %s at %s", j.ID, j.At.Format("2006-01-02 15:04"))
		}
		t.Fatalf("%d jobs, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		j := got[i]
		if j.ID != w.id || !j.At.Equal(w.at) || j.CheckIn != w.checkIn {
			t.Errorf("job %d = %s at %s (check-in %v), want %s at %s (check-in %v)",
				i, j.ID, j.At.In(locales.IST).Format("2006-01-02 15:04"), j.CheckIn, w.id, w.at.Format("2006-01-02 15:04"), w.checkIn)
		}
		if j.At.Location() != locales.IST {
			t.Errorf("job %s: time in %v, want IST", j.ID, j.At.Location())
		}
	}
}

func TestPlanDefaults(t *testing.T) {
	s := &Scheduler{cfg: Config{}.withDefaults(), Now: func() time.Time { return ist(2026, 11, 20, 12, 0) }}
	checkPlan(t, s.Plan(twoDays("t1")), []want{
		{"saathi:rem:t1:nudge:1:48h", ist(2026, 12, 3, 10, 0), false},
		{"saathi:rem:t1:nudge:1:24h", ist(2026, 12, 4, 10, 0), false},
		{"saathi:rem:t1:reminder:1:eve", ist(2026, 12, 4, 18, 0), false},
		{"saathi:rem:t1:reminder:1:2h", ist(2026, 12, 5, 8, 0), true},
		{"saathi:rem:t1:reminder:2:eve", ist(2026, 12, 5, 18, 0), false},
		{"saathi:rem:t1:reminder:2:2h", ist(2026, 12, 6, 8, 0), true},
	})
	cancelled := twoDays("t1")
	cancelled.Cancelled = true
	if jobs := s.Plan(cancelled); len(jobs) != 0 {
		t.Errorf("a cancelled training plans %d jobs", len(jobs))
	}
}

func TestPlanDropsThePast(t *testing.T) {
	now := ist(2026, 12, 4, 12, 0)
	s := &Scheduler{cfg: Config{}.withDefaults(), Now: func() time.Time { return now }}
	checkPlan(t, s.Plan(twoDays("t1")), []want{
		{"saathi:rem:t1:reminder:1:eve", ist(2026, 12, 4, 18, 0), false},
		{"saathi:rem:t1:reminder:1:2h", ist(2026, 12, 5, 8, 0), true},
		{"saathi:rem:t1:reminder:2:eve", ist(2026, 12, 5, 18, 0), false},
		{"saathi:rem:t1:reminder:2:2h", ist(2026, 12, 6, 8, 0), true},
	})
	// Day 1 has started: its reminders are gone, day 2's stay.
	now = ist(2026, 12, 5, 10, 30)
	checkPlan(t, s.Plan(twoDays("t1")), []want{
		{"saathi:rem:t1:reminder:2:eve", ist(2026, 12, 5, 18, 0), false},
		{"saathi:rem:t1:reminder:2:2h", ist(2026, 12, 6, 8, 0), true},
	})
	now = ist(2026, 12, 6, 9, 0)
	if jobs := s.Plan(twoDays("t1")); len(jobs) != 0 {
		t.Errorf("after the last reminder: %d jobs", len(jobs))
	}
}

func TestPlanQuietHours(t *testing.T) {
	late := DaysBefore("late", 1, At(22, 30))
	urgent := DaysBefore("urgent", 1, At(22, 30))
	urgent.Urgent = true
	cfg := Config{Schedule: Schedule{Reminders: []Offset{late, urgent, Before("3h", 3*time.Hour)}}}.withDefaults()
	s := &Scheduler{cfg: cfg, Now: func() time.Time { return ist(2026, 11, 1, 0, 0) }}
	one := twoDays("t1")
	one.Days = one.Days[:1]
	checkPlan(t, s.Plan(one), []want{
		{"saathi:rem:t1:reminder:1:urgent", ist(2026, 12, 4, 22, 30), false}, // urgent: sent in quiet hours
		{"saathi:rem:t1:reminder:1:3h", ist(2026, 12, 5, 8, 0), false},       // 07:00 is quiet: 08:00
		{"saathi:rem:t1:reminder:1:late", ist(2026, 12, 5, 8, 0), false},     // 22:30 moves to 08:00 next day
	})

	// A day starting at 07:30: its 3-hours-before reminder (04:30) would
	// move past the start, so there is none.
	early := one
	early.Days = []training.Day{{Start: ist(2026, 12, 5, 7, 30), End: ist(2026, 12, 5, 12, 0)}}
	for _, j := range s.Plan(early) {
		if j.Offset.Name != "urgent" {
			t.Errorf("day at 07:30: %s at %s should be dropped", j.ID, j.At)
		}
	}
}

func TestQuiet(t *testing.T) {
	q := DefaultQuiet
	for _, c := range []struct {
		at, end time.Time
		quiet   bool
	}{
		{ist(2026, 12, 4, 20, 59), ist(2026, 12, 4, 20, 59), false},
		{ist(2026, 12, 4, 21, 0), ist(2026, 12, 5, 8, 0), true},
		{ist(2026, 12, 4, 23, 59), ist(2026, 12, 5, 8, 0), true},
		{ist(2026, 12, 31, 22, 30), ist(2027, 1, 1, 8, 0), true},
		{ist(2026, 12, 5, 0, 0), ist(2026, 12, 5, 8, 0), true},
		{ist(2026, 12, 5, 7, 59), ist(2026, 12, 5, 8, 0), true},
		{ist(2026, 12, 5, 8, 0), ist(2026, 12, 5, 8, 0), false},
		// The same instant written in UTC.
		{time.Date(2026, 12, 4, 17, 0, 0, 0, time.UTC), ist(2026, 12, 5, 8, 0), true},
	} {
		if got := q.Contains(c.at); got != c.quiet {
			t.Errorf("Contains(%s) = %v", c.at, got)
		}
		if got := q.End(c.at); !got.Equal(c.end) {
			t.Errorf("End(%s) = %s, want %s", c.at, got, c.end)
		}
	}
	day := Quiet{From: At(13, 0), To: At(14, 0)} // not across midnight
	if !day.Contains(ist(2026, 12, 4, 13, 30)) || day.Contains(ist(2026, 12, 4, 14, 0)) || !day.End(ist(2026, 12, 4, 13, 30)).Equal(ist(2026, 12, 4, 14, 0)) {
		t.Error("quiet hours 13:00–14:00 wrong")
	}
	if (Quiet{}).Contains(ist(2026, 12, 4, 23, 0)) {
		t.Error("no quiet hours contain 23:00")
	}
	if c := (Config{NoQuiet: true}).withDefaults(); c.Quiet != (Quiet{}) {
		t.Errorf("NoQuiet gives %v", c.Quiet)
	}
}

func TestOffsetAcrossMonths(t *testing.T) {
	if got := DaysBefore("eve", 1, At(18, 0)).from(ist(2026, 12, 1, 10, 0)); !got.Equal(ist(2026, 11, 30, 18, 0)) {
		t.Errorf("eve of 1 December = %s", got)
	}
	if got := DaysBefore("week", 7, At(9, 15)).from(ist(2027, 1, 3, 10, 0)); !got.Equal(ist(2026, 12, 27, 9, 15)) {
		t.Errorf("a week before 3 January = %s", got)
	}
	// A start given in UTC still counts IST calendar days.
	if got := DaysBefore("eve", 1, At(18, 0)).from(time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC)); !got.Equal(ist(2026, 12, 4, 18, 0)) {
		t.Errorf("eve of 5 December 00:30 IST = %s", got)
	}
}

func TestPerTrainingSchedule(t *testing.T) {
	cfg := Config{For: func(t training.Training) (Schedule, bool) {
		if t.ID != "t2" {
			return Schedule{}, false
		}
		return Schedule{Reminders: []Offset{Before("1h", time.Hour)}}, true
	}}.withDefaults()
	s := &Scheduler{cfg: cfg, Now: func() time.Time { return ist(2026, 11, 20, 12, 0) }}
	if n := len(s.Plan(twoDays("t1"))); n != 6 {
		t.Errorf("t1 (default schedule): %d jobs", n)
	}
	checkPlan(t, s.Plan(twoDays("t2")), []want{
		{"saathi:rem:t2:reminder:1:1h", ist(2026, 12, 5, 9, 0), false},
		{"saathi:rem:t2:reminder:2:1h", ist(2026, 12, 6, 9, 0), false},
	})
}
