package schedule

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/events"
	"github.com/saathi-bot/saathi/store/storetest"
	"github.com/saathi-bot/saathi/store/training"
)

// dbSchedule is this package's Redis test database.
const dbSchedule = 11

// clock is a test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }
func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

type fixture struct {
	ctx       context.Context
	rdb       *redis.Client
	trainings *training.Store
	s         *Scheduler
	clock     *clock
	t         training.Training
}

// Phones of the invitees and their answers.
const (
	yes1     = "+919000000001"
	yes2     = "+919000000002"
	waitlist = "+919000000003"
	no       = "+919000000004"
	maybe    = "+919000000005"
	silent   = "+919000000006"
)

var everyone = []string{yes1, yes2, waitlist, no, maybe, silent}

// setup makes the two-day training of 5–6 December 2026 (2 seats), invites
// six people and records their answers; the clock is 20 November.
func setup(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	rdb := storetest.Redis(t, dbSchedule, nil)
	opt, err := asynq.ParseRedisURI(storetest.URL(t, dbSchedule))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{ctx: ctx, rdb: rdb, trainings: training.New(rdb), clock: &clock{t: ist(2026, 11, 20, 12, 0)}}
	f.s = New(opt, f.trainings, events.New(rdb), Config{})
	f.s.Now = f.clock.Now
	t.Cleanup(func() { f.s.Close() })
	tr := twoDays("")
	tr.Capacity = 2
	if f.t, err = f.trainings.Create(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if _, err := f.trainings.Invite(ctx, f.t.ID, everyone); err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct{ phone, answer, status string }{
		{yes1, "yes", "yes"}, {yes2, "yes", "yes"}, {waitlist, "yes", "waitlist"}, {no, "no", "no"}, {maybe, "maybe", "maybe"},
	} {
		out, err := f.trainings.Answer(ctx, f.t.ID, a.phone, a.answer, "", f.clock.Now())
		if err != nil || out.Status != a.status {
			t.Fatalf("answer %s %s: %+v, %v", a.phone, a.answer, out, err)
		}
	}
	return f
}

// scheduled lists the scheduled tasks: id -> time.
func (f *fixture) scheduled(t *testing.T) map[string]time.Time {
	t.Helper()
	infos, err := f.s.inspector.ListScheduledTasks(f.s.Queue(), asynq.PageSize(1000))
	if err != nil && !strings.Contains(err.Error(), "queue not found") {
		t.Fatal(err)
	}
	out := map[string]time.Time{}
	for _, i := range infos {
		out[i.ID] = i.NextProcessAt
	}
	return out
}

// task is the scheduled task id, as the asynq server would hand it over.
func (f *fixture) task(t *testing.T, id string) *asynq.Task {
	t.Helper()
	info, err := f.s.inspector.GetTaskInfo(f.s.Queue(), id)
	if err != nil {
		t.Fatalf("task %s: %v", id, err)
	}
	return asynq.NewTask(info.Type, info.Payload)
}

// published reads the event stream.
func (f *fixture) published(t *testing.T) []events.Event {
	t.Helper()
	msgs, err := f.rdb.XRange(f.ctx, "saathi:events", "-", "+").Result()
	if err != nil {
		t.Fatal(err)
	}
	var out []events.Event
	for _, m := range msgs {
		var ev events.Event
		if err := json.Unmarshal([]byte(m.Values["e"].(string)), &ev); err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
	return out
}

func phonesOf(evs []events.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Phone)
	}
	sort.Strings(out)
	return out
}

func flowOf(evs []events.Event, flow string) []events.Event {
	var out []events.Event
	for _, e := range evs {
		if e.Flow == flow {
			out = append(out, e)
		}
	}
	return out
}

func equal(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }

func checkScheduled(t *testing.T, got map[string]time.Time, want map[string]time.Time) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d tasks scheduled, want %d: %v", len(got), len(want), got)
	}
	for id, at := range want {
		if g, ok := got[id]; !ok || !g.Equal(at) {
			t.Errorf("task %s at %v (there: %v), want %v", id, g, ok, at)
		}
	}
}

func (f *fixture) id(kind string, day int, offset string) string {
	return JobID(f.t.ID, kind, day, offset)
}

func TestScheduleTraining(t *testing.T) {
	f := setup(t)
	want := map[string]time.Time{
		f.id(KindNudge, 0, "48h"):    ist(2026, 12, 3, 10, 0),
		f.id(KindNudge, 0, "24h"):    ist(2026, 12, 4, 10, 0),
		f.id(KindReminder, 0, "eve"): ist(2026, 12, 4, 18, 0),
		f.id(KindReminder, 0, "2h"):  ist(2026, 12, 5, 8, 0),
		f.id(KindReminder, 1, "eve"): ist(2026, 12, 5, 18, 0),
		f.id(KindReminder, 1, "2h"):  ist(2026, 12, 6, 8, 0),
	}
	for range 2 { // the second time changes nothing
		if err := f.s.ScheduleTraining(f.ctx, f.t); err != nil {
			t.Fatal(err)
		}
		checkScheduled(t, f.scheduled(t), want)
	}

	// The training changed behind the scheduler's back: scheduling again
	// replaces the tasks whose time changed.
	moved := f.t
	for i := range moved.Days {
		moved.Days[i].Start = moved.Days[i].Start.Add(time.Hour)
		moved.Days[i].End = moved.Days[i].End.Add(time.Hour)
	}
	if err := f.s.ScheduleTraining(f.ctx, moved); err != nil {
		t.Fatal(err)
	}
	for id, at := range want {
		if !strings.Contains(id, ":eve") {
			want[id] = at.Add(time.Hour)
		}
	}
	checkScheduled(t, f.scheduled(t), want)

	if err := f.s.Unschedule(f.ctx, f.t.ID); err != nil {
		t.Fatal(err)
	}
	checkScheduled(t, f.scheduled(t), nil)
}

func TestHandleReminderAndNudge(t *testing.T) {
	f := setup(t)
	if err := f.s.ScheduleTraining(f.ctx, f.t); err != nil {
		t.Fatal(err)
	}

	// The evening before day 1: only those who said yes.
	f.clock.Set(ist(2026, 12, 4, 18, 0))
	eve := f.task(t, f.id(KindReminder, 0, "eve"))
	if err := f.s.HandleJob(f.ctx, eve); err != nil {
		t.Fatal(err)
	}
	evs := f.published(t)
	if got := phonesOf(evs); !equal(got, []string{yes1, yes2}) {
		t.Fatalf("eve reminder went to %v, want the two who said yes", got)
	}
	for _, e := range evs {
		if e.Flow != FlowReminder || e.Vars["training"] != f.t.ID || e.Vars["day"] != "1" || e.Vars["checkin"] != "no" {
			t.Errorf("eve reminder event %+v", e)
		}
		if want := "reminder:" + f.t.ID + ":1:eve:202612041800:" + e.Phone; e.ID != want {
			t.Errorf("event id %q, want %q", e.ID, want)
		}
	}
	// Run twice (asynq retried it): the same event ids, applied once.
	if err := f.s.HandleJob(f.ctx, eve); err != nil {
		t.Fatal(err)
	}
	again := f.published(t)[len(evs):]
	if len(again) != len(evs) || again[0].ID != evs[0].ID || again[1].ID != evs[1].ID {
		t.Errorf("second run published %+v, want the same ids as %+v", again, evs)
	}

	// Two hours before day 2: with the check-in.
	f.clock.Set(ist(2026, 12, 6, 8, 0))
	n := len(f.published(t))
	if err := f.s.HandleJob(f.ctx, f.task(t, f.id(KindReminder, 1, "2h"))); err != nil {
		t.Fatal(err)
	}
	soon := f.published(t)[n:]
	if got := phonesOf(soon); !equal(got, []string{yes1, yes2}) || soon[0].Vars["checkin"] != "yes" || soon[0].Vars["day"] != "2" {
		t.Errorf("day 2 reminder: %+v", soon)
	}

	// A nudge: only the one who has not answered (not "maybe").
	f2 := setup(t)
	if err := f2.s.ScheduleTraining(f2.ctx, f2.t); err != nil {
		t.Fatal(err)
	}
	f2.clock.Set(ist(2026, 12, 3, 10, 0))
	if err := f2.s.HandleJob(f2.ctx, f2.task(t, f2.id(KindNudge, 0, "48h"))); err != nil {
		t.Fatal(err)
	}
	nudges := f2.published(t)
	if got := phonesOf(nudges); !equal(got, []string{silent}) {
		t.Fatalf("nudge went to %v, want only %s", got, silent)
	}
	if e := nudges[0]; e.Flow != FlowNudge || e.Vars["training"] != f2.t.ID || e.Vars["nudge"] != "yes" || e.Vars["offset"] != "48h" ||
		e.ID != "nudge:"+f2.t.ID+":48h:202612031000:"+silent {
		t.Errorf("nudge event %+v", e)
	}
	// Held for one who has not written yet, a nudge is of no use once
	// the training has started.
	if e := nudges[0]; e.Expires != f2.t.Days[0].Start.Unix() {
		t.Errorf("nudge expires %v, want the first day's start %v", time.Unix(e.Expires, 0), f2.t.Days[0].Start)
	}
	if e := soon[0]; e.Expires != f.t.Days[1].Start.Unix() {
		t.Errorf("day 2 reminder expires %v, want day 2's start %v", time.Unix(e.Expires, 0), f.t.Days[1].Start)
	}
}

func TestMove(t *testing.T) {
	f := setup(t)
	if err := f.s.ScheduleTraining(f.ctx, f.t); err != nil {
		t.Fatal(err)
	}
	oldEve := f.task(t, f.id(KindReminder, 0, "eve"))

	f.clock.Set(ist(2026, 11, 25, 12, 0))
	if err := f.s.Move(f.ctx, f.t.ID, ist(2026, 12, 12, 10, 0)); err != nil {
		t.Fatal(err)
	}
	got, _, _ := f.trainings.Get(f.ctx, f.t.ID)
	if !got.Days[0].Start.Equal(ist(2026, 12, 12, 10, 0)) || !got.Days[0].End.Equal(ist(2026, 12, 12, 17, 0)) ||
		!got.Days[1].Start.Equal(ist(2026, 12, 13, 10, 0)) || !got.Days[1].End.Equal(ist(2026, 12, 13, 17, 0)) {
		t.Errorf("moved days: %+v", got.Days)
	}
	checkScheduled(t, f.scheduled(t), map[string]time.Time{
		f.id(KindNudge, 0, "48h"):    ist(2026, 12, 10, 10, 0),
		f.id(KindNudge, 0, "24h"):    ist(2026, 12, 11, 10, 0),
		f.id(KindReminder, 0, "eve"): ist(2026, 12, 11, 18, 0),
		f.id(KindReminder, 0, "2h"):  ist(2026, 12, 12, 8, 0),
		f.id(KindReminder, 1, "eve"): ist(2026, 12, 12, 18, 0),
		f.id(KindReminder, 1, "2h"):  ist(2026, 12, 13, 8, 0),
	})
	notices := f.published(t)
	if got := phonesOf(notices); !equal(got, everyone) {
		t.Fatalf("move told %v, want every invitee", got)
	}
	for _, e := range notices {
		if e.Flow != FlowChanged || e.Vars["kind"] != "moved" || e.Vars["training"] != f.t.ID || e.Vars["title"] != f.t.Title ||
			e.ID != "changed:"+f.t.ID+":moved:1:"+e.Phone {
			t.Errorf("move notice %+v", e)
		}
	}

	// The same move again (a retried command): nobody is told twice.
	if err := f.s.Move(f.ctx, f.t.ID, ist(2026, 12, 12, 10, 0)); err != nil {
		t.Fatal(err)
	}
	repeat := f.published(t)[len(notices):]
	for i, e := range repeat {
		if e.ID != notices[i].ID {
			t.Errorf("repeated move published a new notice %s", e.ID)
		}
	}

	// The old evening-before task fires at its old time: nothing happens.
	n := len(f.published(t))
	f.clock.Set(ist(2026, 12, 4, 18, 0))
	if err := f.s.HandleJob(f.ctx, oldEve); err != nil {
		t.Fatal(err)
	}
	if extra := f.published(t)[n:]; len(extra) != 0 {
		t.Errorf("a job of the old date sent %+v", extra)
	}

	// A second, different move tells everyone again, under new ids.
	f.clock.Set(ist(2026, 11, 26, 12, 0))
	if err := f.s.Move(f.ctx, f.t.ID, ist(2026, 12, 19, 11, 0)); err != nil {
		t.Fatal(err)
	}
	second := flowOf(f.published(t)[n:], FlowChanged)
	if got := phonesOf(second); !equal(got, everyone) || second[0].ID != "changed:"+f.t.ID+":moved:2:"+second[0].Phone {
		t.Errorf("second move: %+v", second)
	}
	if at := f.scheduled(t)[f.id(KindReminder, 0, "2h")]; !at.Equal(ist(2026, 12, 19, 9, 0)) {
		t.Errorf("after the second move the day-1 reminder is at %v", at)
	}
}

// TestMoveKeepsEachDaysHours is the regression test of a start moved from
// 10:00 to 15:05 that took the end to 22:05: each day still ends at 17:00,
// the reminders follow the new start, and the notice carries the old date
// and the reason — the same on a retry.
func TestMoveKeepsEachDaysHours(t *testing.T) {
	f := setup(t)
	if err := f.s.Move(f.ctx, f.t.ID, ist(2026, 12, 5, 15, 5)); err != nil {
		t.Fatal(err)
	}
	got, _, _ := f.trainings.Get(f.ctx, f.t.ID)
	if !got.Days[0].Start.Equal(ist(2026, 12, 5, 15, 5)) || !got.Days[0].End.Equal(ist(2026, 12, 5, 17, 0)) ||
		!got.Days[1].Start.Equal(ist(2026, 12, 6, 15, 5)) || !got.Days[1].End.Equal(ist(2026, 12, 6, 17, 0)) {
		t.Fatalf("moved to 15:05: %+v", got.Days)
	}
	if at := f.scheduled(t)[f.id(KindReminder, 0, "2h")]; !at.Equal(ist(2026, 12, 5, 13, 5)) {
		t.Errorf("the 2h reminder is at %v", at)
	}
	// A move by days, with a reason.
	days := training.Shift(got, 0, 7)
	if err := f.s.MoveDays(f.ctx, f.t.ID, days, "चुनाव"); err != nil {
		t.Fatal(err)
	}
	second := flowOf(f.published(t), FlowChanged)
	second = second[len(everyone):]
	if len(second) != len(everyone) {
		t.Fatalf("second move told %d", len(second))
	}
	for _, e := range second {
		if e.Vars["reason"] != "चुनाव" || e.Vars["old"] != strconv.FormatInt(ist(2026, 12, 5, 15, 5).Unix(), 10) || e.Group != events.TrainingGroup(f.t.ID) {
			t.Errorf("notice %+v", e)
		}
	}
	// Retried (the same days): the same notices, with the same old date.
	if err := f.s.MoveDays(f.ctx, f.t.ID, days, ""); err != nil {
		t.Fatal(err)
	}
	again := flowOf(f.published(t), FlowChanged)[2*len(everyone):]
	for i, e := range again {
		if e.ID != second[i].ID || e.Vars["old"] != second[i].Vars["old"] || e.Vars["reason"] != "चुनाव" {
			t.Errorf("retried notice %+v, first %+v", e, second[i])
		}
	}
	if err := f.s.MoveDays(f.ctx, f.t.ID, days[:1], ""); err == nil {
		t.Error("a move with fewer days was taken")
	}
}

func TestCancel(t *testing.T) {
	f := setup(t)
	if err := f.s.ScheduleTraining(f.ctx, f.t); err != nil {
		t.Fatal(err)
	}
	eve := f.task(t, f.id(KindReminder, 0, "eve"))
	if err := f.s.Cancel(f.ctx, f.t.ID); err != nil {
		t.Fatal(err)
	}
	checkScheduled(t, f.scheduled(t), nil)
	got, _, _ := f.trainings.Get(f.ctx, f.t.ID)
	if !got.Cancelled {
		t.Error("training not cancelled")
	}
	notices := f.published(t)
	if ph := phonesOf(notices); !equal(ph, everyone) {
		t.Fatalf("cancel told %v, want every invitee", ph)
	}
	for _, e := range notices {
		if e.Flow != FlowChanged || e.Vars["kind"] != "cancelled" || e.Vars["title"] != f.t.Title || e.ID != "changed:"+f.t.ID+":cancelled:"+e.Phone {
			t.Errorf("cancel notice %+v", e)
		}
	}
	// A job that was already running fires: nothing.
	f.clock.Set(ist(2026, 12, 4, 18, 0))
	if err := f.s.HandleJob(f.ctx, eve); err != nil {
		t.Fatal(err)
	}
	if n := len(f.published(t)); n != len(notices) {
		t.Errorf("a job of a cancelled training published %d events", n-len(notices))
	}
	// Cancelling again only repeats the same notice ids.
	if err := f.s.Cancel(f.ctx, f.t.ID); err != nil {
		t.Fatal(err)
	}
	for i, e := range f.published(t)[len(notices):] {
		if e.ID != notices[i].ID {
			t.Errorf("second cancel: new notice %s", e.ID)
		}
	}
	if err := f.s.Move(f.ctx, f.t.ID, ist(2026, 12, 20, 10, 0)); err == nil {
		t.Error("a cancelled training moved")
	}
	if err := f.s.Cancel(f.ctx, "tzzzzzz"); err == nil {
		t.Error("cancelled a training that does not exist")
	}
}

func TestQuietHoursAtFireTime(t *testing.T) {
	f := setup(t)
	if err := f.s.ScheduleTraining(f.ctx, f.t); err != nil {
		t.Fatal(err)
	}
	// The evening-before reminder is late (the server was down): at 22:30
	// it is quiet, so it comes back at 08:00.
	f.clock.Set(ist(2026, 12, 4, 22, 30))
	if err := f.s.HandleJob(f.ctx, f.task(t, f.id(KindReminder, 0, "eve"))); err != nil {
		t.Fatal(err)
	}
	if evs := f.published(t); len(evs) != 0 {
		t.Fatalf("sent in quiet hours: %+v", evs)
	}
	deferredID := f.id(KindReminder, 0, "eve") + ":q:" + itoa(ist(2026, 12, 5, 8, 0).Unix())
	at, ok := f.scheduled(t)[deferredID]
	if !ok || !at.Equal(ist(2026, 12, 5, 8, 0)) {
		t.Fatalf("deferred task %s at %v (there: %v); scheduled: %v", deferredID, at, ok, f.scheduled(t))
	}
	// At 08:00 it goes out, still as the evening-before reminder.
	f.clock.Set(ist(2026, 12, 5, 8, 0))
	if err := f.s.HandleJob(f.ctx, f.task(t, deferredID)); err != nil {
		t.Fatal(err)
	}
	evs := f.published(t)
	if got := phonesOf(evs); !equal(got, []string{yes1, yes2}) || !strings.Contains(evs[0].ID, ":eve:202612041800:") {
		t.Errorf("deferred reminder: %+v", evs)
	}
	// The deferred task is unscheduled with the rest.
	if err := f.s.Cancel(f.ctx, f.t.ID); err != nil {
		t.Fatal(err)
	}
	checkScheduled(t, f.scheduled(t), nil)

	// A job that fires after its day has started does nothing.
	g := setup(t)
	if err := g.s.ScheduleTraining(g.ctx, g.t); err != nil {
		t.Fatal(err)
	}
	g.clock.Set(ist(2026, 12, 5, 10, 5))
	if err := g.s.HandleJob(g.ctx, g.task(t, g.id(KindReminder, 0, "2h"))); err != nil {
		t.Fatal(err)
	}
	if evs := g.published(t); len(evs) != 0 {
		t.Errorf("a reminder after the start sent %+v", evs)
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestBadPayload(t *testing.T) {
	f := setup(t)
	err := f.s.HandleJob(f.ctx, asynq.NewTask(TaskType, []byte("{")))
	if err == nil || !strings.Contains(err.Error(), asynq.SkipRetry.Error()) {
		t.Errorf("bad payload: %v, want SkipRetry", err)
	}
}

// TestServerRunsJobs runs a job through a real asynq server and mux.
func TestServerRunsJobs(t *testing.T) {
	f := setup(t)
	if err := f.s.ScheduleTraining(f.ctx, f.t); err != nil {
		t.Fatal(err)
	}
	opt, _ := asynq.ParseRedisURI(storetest.URL(t, dbSchedule))
	srv := asynq.NewServer(opt, asynq.Config{Queues: map[string]int{f.s.Queue(): 1}, Concurrency: 2, LogLevel: asynq.ErrorLevel})
	mux := asynq.NewServeMux()
	f.s.Register(mux)
	if err := srv.Start(mux); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	f.clock.Set(ist(2026, 12, 3, 10, 0))
	if err := f.s.inspector.RunTask(f.s.Queue(), f.id(KindNudge, 0, "48h")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if evs := f.published(t); len(evs) > 0 {
			if got := phonesOf(evs); !equal(got, []string{silent}) {
				t.Errorf("server's nudge went to %v", got)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the server did not run the task")
}

// Someone who said "बंद करो" gets no nudge, but the reminder of a training
// they said they will come to, and its cancel notice.
func TestOptedOutGetNoNudge(t *testing.T) {
	f := setup(t)
	// A second silent invitee, who keeps getting nudges.
	const silent2 = "+919000000007"
	if _, err := f.trainings.Invite(f.ctx, f.t.ID, []string{silent2}); err != nil {
		t.Fatal(err)
	}
	optOut := store.NewOptOut(f.rdb)
	for _, p := range []string{silent, yes1} {
		if _, err := optOut.Set(f.ctx, p, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.s.ScheduleTraining(f.ctx, f.t); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(ist(2026, 12, 3, 10, 0))
	if err := f.s.HandleJob(f.ctx, f.task(t, f.id(KindNudge, 0, "48h"))); err != nil {
		t.Fatal(err)
	}
	if got := phonesOf(f.published(t)); !equal(got, []string{silent2}) {
		t.Fatalf("nudge went to %v, want only %s (%s opted out)", got, silent2, silent)
	}
	f.clock.Set(ist(2026, 12, 4, 18, 0))
	n := len(f.published(t))
	if err := f.s.HandleJob(f.ctx, f.task(t, f.id(KindReminder, 0, "eve"))); err != nil {
		t.Fatal(err)
	}
	if got := phonesOf(f.published(t)[n:]); !equal(got, []string{yes1, yes2}) {
		t.Fatalf("eve reminder went to %v, want both who said yes", got)
	}
	n = len(f.published(t))
	if err := f.s.Cancel(f.ctx, f.t.ID); err != nil {
		t.Fatal(err)
	}
	if got := phonesOf(f.published(t)[n:]); !slices.Contains(got, silent) || !slices.Contains(got, yes1) {
		t.Fatalf("cancel notices went to %v, not to those who opted out", got)
	}
}
