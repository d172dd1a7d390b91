package schedule

import (
	"time"

	"github.com/saathi-bot/saathi/store/training"
)

// checkInWindow: a reminder this close to the start offers the check-in.
const checkInWindow = 3 * time.Hour

// PlanOf is a training's own reminder plan (Training.Reminders) over base:
// its reminders instead of base's, base's nudges; ok is false for a
// training without a plan (or one that does not read, which Validate
// keeps out of the store). It answers the same for the same training in
// every process, as Config.For must.
func PlanOf(t training.Training, base Schedule) (Schedule, bool) {
	rs, err := training.ReminderPlan(t.Reminders)
	if err != nil || len(rs) == 0 {
		return Schedule{}, false
	}
	sch := Schedule{Nudges: base.Nudges}
	for _, r := range rs {
		o := Before(r.Name, r.Before)
		if r.OnClock {
			o = DaysBefore(r.Name, r.DaysBefore, Clock(r.Clock))
		} else {
			o.CheckIn = r.Before <= checkInWindow
		}
		sch.Reminders = append(sch.Reminders, o)
	}
	return sch, true
}
