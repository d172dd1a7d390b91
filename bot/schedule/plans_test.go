package schedule

import (
	"strings"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/store/training"
)

// A training's own plan: two days before at 10:00 for the journey, the
// evening before, two hours before (with the check-in); the nudges stay
// the default ones. A plan that keeps "eve" keeps its job id.
func TestPlanOfATrainingsOwnReminders(t *testing.T) {
	tr := twoDays("t1")
	tr.Reminders = []string{"2d@10:00", "eve", "2h"}
	if err := tr.Validate(); err != nil {
		t.Fatal(err)
	}
	s := &Scheduler{cfg: Config{}.withDefaults(), Now: func() time.Time { return ist(2026, 11, 20, 12, 0) }}
	checkPlan(t, s.Plan(tr), []want{
		{"saathi:rem:t1:nudge:1:48h", ist(2026, 12, 3, 10, 0), false},
		{"saathi:rem:t1:reminder:1:2d1000", ist(2026, 12, 3, 10, 0), false},
		{"saathi:rem:t1:nudge:1:24h", ist(2026, 12, 4, 10, 0), false},
		{"saathi:rem:t1:reminder:2:2d1000", ist(2026, 12, 4, 10, 0), false},
		{"saathi:rem:t1:reminder:1:eve", ist(2026, 12, 4, 18, 0), false},
		{"saathi:rem:t1:reminder:1:2h", ist(2026, 12, 5, 8, 0), true},
		{"saathi:rem:t1:reminder:2:eve", ist(2026, 12, 5, 18, 0), false},
		{"saathi:rem:t1:reminder:2:2h", ist(2026, 12, 6, 8, 0), true},
	})
	// A morning plan; 07:00 is past the quiet hours.
	tr.Reminders = []string{"0d@07:00", "90m"}
	checkPlan(t, s.Plan(tr), []want{
		{"saathi:rem:t1:nudge:1:48h", ist(2026, 12, 3, 10, 0), false},
		{"saathi:rem:t1:nudge:1:24h", ist(2026, 12, 4, 10, 0), false},
		{"saathi:rem:t1:reminder:1:0d0700", ist(2026, 12, 5, 8, 0), false},
		{"saathi:rem:t1:reminder:1:90m", ist(2026, 12, 5, 8, 30), true},
		{"saathi:rem:t1:reminder:2:0d0700", ist(2026, 12, 6, 8, 0), false},
		{"saathi:rem:t1:reminder:2:90m", ist(2026, 12, 6, 8, 30), true},
	})
}

func TestReminderPlanRefusesWhatItCannotRead(t *testing.T) {
	for _, tc := range []struct {
		plan []string
		want string
	}{
		{[]string{"kal"}, "want a time before the start"},
		{[]string{"3d@25:00"}, "want a time before the start"},
		{[]string{"20d"}, "at most 14 days"},
		{[]string{"eve", "1d@18:00"}, "twice"},
		{[]string{"1h", "2h", "3h", "4h", "5h", "6h"}, "at most 5"},
	} {
		tr := twoDays("t1")
		tr.Reminders = tc.plan
		if err := tr.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.plan, err, tc.want)
		}
	}
	if _, err := (training.Spec{Title: "x", Venue: "y", Start: "2026-12-05T10:00", Note: strings.Repeat("न", 301)}).Training(); err == nil {
		t.Error("a note of 301 characters was taken")
	}
}
