package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/bot/schedule"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/events"
	"github.com/saathi-bot/saathi/store/training"
)

// TestCalendarSheetSetsTheReminderPlan: a coordinator's Excel calendar
// with Hindi headers gives the trip to Lucknow its own reminders in the
// रिमाइंडर column, written the Hindi way ("2 दिन पहले सुबह 10 बजे, शाम,
// 2 घंटे पहले"), and the bus in the यात्रा नोट column; the row beside it,
// both empty, keeps the default plan. The jobs are scheduled as serve's
// minute loop does; the one two days before reaches who said yes, with the
// date and the note. The sheet imported again with a plan
// of the evening alone and another note is a change of those two fields,
// nobody invited again; the job two days before is then dropped when it
// fires, and the new note is what the reminder shows.
func TestCalendarSheetSetsTheReminderPlan(t *testing.T) {
	c := newCalendarWorld(t)
	vars, rdb, dir, year, phones := c.vars, c.rdb, c.dir, c.year, c.phones
	ctx := context.Background()
	start := time.Date(year, 4, 6, 10, 0, 0, 0, locales.IST)
	cal := filepath.Join(dir, "calendar.xlsx")
	write := func(plan, note string) {
		t.Helper()
		f := excelize.NewFile()
		defer f.Close()
		for i, row := range [][]any{
			{"कोड", "शीर्षक", "स्थान", "प्रारंभ", "दिन", "किसे बुलाना है", "रिमाइंडर", "यात्रा नोट"},
			{"LKO-1", "ग्राम पंचायत विकास योजना, लखनऊ", "पंचायती राज निदेशालय, लखनऊ", start.Format("02/01/2006 15:04"), 1, "body=ग्राम पंचायत अलीपुर", plan, note},
			{"LKO-2", "ग्राम पंचायत विकास योजना", "पंचायत भवन, माजरी", start.Format("02/01/2006 15:04"), 1, "body=ग्राम पंचायत माजरी", "", ""},
		} {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.SaveAs(cal); err != nil {
			t.Fatal(err)
		}
	}
	const bus = "बस 4 अप्रैल सुबह 6 बजे ब्लॉक कार्यालय से चलेगी"
	write("2 दिन पहले सुबह 10 बजे, शाम, 2 घंटे पहले", bus)
	if out, err := runCmd(t, vars, "", "training", "add", "--file", cal); err != nil || !strings.Contains(out, "कैलेंडर: 2 नए") {
		t.Fatalf("training add: %v\n%s", err, out)
	}
	a := testApp(t, vars)
	lko, _, err := a.svc.Trainings.ByCode(ctx, "LKO-1")
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := a.svc.Trainings.ByCode(ctx, "LKO-2")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(lko.Reminders, ",") != "2d@10:00,eve,2h" || lko.Note != bus || len(other.Reminders) != 0 || other.Note != "" {
		t.Fatalf("plans: %q %q; %q %q", lko.Reminders, lko.Note, other.Reminders, other.Note)
	}
	person := phones["ग्राम पंचायत अलीपुर"][0]
	if _, err := a.svc.Trainings.Answer(ctx, lko.ID, person, training.StatusYes, "", time.Now()); err != nil {
		t.Fatal(err)
	}

	// Scheduled as serve's minute loop does, the clock at noon on 1 April.
	sched := a.scheduler()
	defer sched.Close()
	sched.Now = func() time.Time { return time.Date(year, 4, 1, 12, 0, 0, 0, locales.IST) }
	scheduled := func() map[string]*asynq.TaskInfo {
		t.Helper()
		if _, err := sched.SyncAll(ctx); err != nil {
			t.Fatal(err)
		}
		tasks, err := asynq.NewInspectorFromRedisClient(a.rdb).ListScheduledTasks(sched.Queue(), asynq.PageSize(1000))
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]*asynq.TaskInfo{}
		for _, ti := range tasks {
			m[ti.ID] = ti
		}
		return m
	}
	jobs := scheduled()
	twoDays := schedule.JobID(lko.ID, schedule.KindReminder, 0, "2d1000")
	if ti, ok := jobs[twoDays]; !ok || !ti.NextProcessAt.Equal(time.Date(year, 4, 4, 10, 0, 0, 0, locales.IST)) {
		t.Fatalf("the reminder two days before: %+v (jobs %v)", ti, keys(jobs))
	}
	for _, j := range []string{schedule.JobID(lko.ID, schedule.KindReminder, 0, "eve"), schedule.JobID(lko.ID, schedule.KindReminder, 0, "2h"),
		schedule.JobID(other.ID, schedule.KindReminder, 0, "eve"), schedule.JobID(other.ID, schedule.KindReminder, 0, "2h")} {
		if _, ok := jobs[j]; !ok {
			t.Errorf("job %s is not scheduled", j)
		}
	}
	if _, ok := jobs[schedule.JobID(other.ID, schedule.KindReminder, 0, "2d1000")]; ok {
		t.Error("the training of no plan got the Lucknow trip's reminder")
	}

	// The job two days before fires: who said yes hears of the bus.
	fire := func(ti *asynq.TaskInfo) []events.Event {
		t.Helper()
		before := len(published(t, rdb))
		sched.Now = func() time.Time { return ti.NextProcessAt }
		if err := sched.HandleJob(ctx, asynq.NewTask(schedule.TaskType, ti.Payload)); err != nil {
			t.Fatal(err)
		}
		return published(t, rdb)[before:]
	}
	read := func(ev events.Event) string {
		t.Helper()
		res, err := a.engine.Step(ctx, flows.State{Lang: "hi"}, flows.Input{Channel: "telegram", User: "p1", ID: "ev:" + ev.ID,
			Event: &flows.Event{Flow: ev.Flow, Vars: ev.Vars}}, time.Date(year, 4, 4, 10, 0, 0, 0, locales.IST))
		if err != nil || len(res.Replies) != 1 {
			t.Fatalf("the reminder: %v %+v", err, res.Replies)
		}
		return res.Replies[0].Text
	}
	if err := a.svc.Identity.Link(ctx, "telegram", "p1", person); err != nil {
		t.Fatal(err)
	}
	evs := fire(jobs[twoDays])
	if len(evs) != 1 || evs[0].Phone != person || evs[0].Flow != schedule.FlowReminder {
		t.Fatalf("two days before: %+v", evs)
	}
	text := read(evs[0])
	for _, want := range []string{"🚌 " + bus, locales.DateTime("hi", start, start)} {
		if !strings.Contains(text, want) {
			t.Errorf("the reminder %q lacks %q", text, want)
		}
	}

	// Imported again: the evening alone, another note.
	const bus2 = "बस 5 अप्रैल सुबह 5 बजे ब्लॉक कार्यालय से चलेगी"
	write("शाम", bus2)
	out, err := runCmd(t, vars, "", "training", "add", "--file", cal)
	if err != nil || !strings.Contains(out, "बदला: रिमाइंडर, यात्रा नोट\tकोड LKO-1, पंक्ति 2") ||
		!strings.Contains(out, "कैलेंडर: 0 नए, 0 की तारीख़ बदली, 1 बदले, 1 पहले जैसे। 0 लोगों को नया निमंत्रण गया।") {
		t.Fatalf("the changed plan: %v\n%s", err, out)
	}
	sched.Now = func() time.Time { return time.Date(year, 4, 1, 12, 0, 0, 0, locales.IST) }
	old := jobs[twoDays]
	jobs = scheduled()
	if _, ok := jobs[schedule.JobID(lko.ID, schedule.KindReminder, 0, "2h")]; ok {
		// Replaced jobs stay in asynq until they fire; the 2h one must not.
		if evs := fire(jobs[schedule.JobID(lko.ID, schedule.KindReminder, 0, "2h")]); len(evs) != 0 {
			t.Errorf("the dropped 2-hour reminder went out: %+v", evs)
		}
	}
	if evs := fire(old); len(evs) != 0 {
		t.Errorf("the dropped reminder two days before went out: %+v", evs)
	}
	eve, ok := jobs[schedule.JobID(lko.ID, schedule.KindReminder, 0, "eve")]
	if !ok {
		t.Fatalf("the evening reminder is not scheduled: %v", keys(jobs))
	}
	evs = fire(eve)
	if len(evs) != 1 || !strings.Contains(read(evs[0]), "🚌 "+bus2) {
		t.Errorf("the evening reminder: %+v", evs)
	}
}
