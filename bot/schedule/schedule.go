package schedule

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/events"
	"github.com/saathi-bot/saathi/store/training"
)

// TaskType is the asynq task type of every job.
const TaskType = "saathi:schedule"

// Flows the events go to.
const (
	FlowReminder = "reminder"
	// FlowNudge: a nudge is the invitation again (its RSVP buttons, its
	// waiting frame replaced rather than stacked), with vars nudge=yes and
	// offset; invite.yaml may branch on nudge to say "nudge.note" first.
	FlowNudge   = "invite"
	FlowChanged = "changed"
)

// Config of a Scheduler. Zero fields get the defaults.
type Config struct {
	// Schedule every training gets (default DefaultSchedule()). Set
	// NoReminders to schedule nothing.
	Schedule    Schedule
	NoReminders bool
	// For, when set, gives a training its own schedule (e.g. from a field of
	// the training); ok false falls back to Schedule. It must answer the
	// same for the same training in every process: a job checks at fire
	// time that it is still planned.
	For func(t training.Training) (s Schedule, ok bool)
	// Quiet hours (default DefaultQuiet); NoQuiet turns them off.
	Quiet   Quiet
	NoQuiet bool
	// Queue is the asynq queue (default "saathi").
	Queue string
	// MaxRetry of a job whose events could not be published (default 10).
	MaxRetry int
	Logger   *slog.Logger
}

// DefaultQueue is the asynq queue jobs go to unless Config.Queue says otherwise.
const DefaultQueue = "saathi"

func (c Config) withDefaults() Config {
	if !c.NoReminders && len(c.Schedule.Reminders) == 0 && len(c.Schedule.Nudges) == 0 {
		c.Schedule = DefaultSchedule()
	}
	if c.NoReminders {
		c.Schedule = Schedule{}
	}
	if c.Quiet == (Quiet{}) && !c.NoQuiet {
		c.Quiet = DefaultQuiet
	}
	if c.NoQuiet {
		c.Quiet = Quiet{}
	}
	if c.Queue == "" {
		c.Queue = DefaultQueue
	}
	if c.MaxRetry <= 0 {
		c.MaxRetry = 10
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Scheduler keeps a training's jobs in asynq and runs them.
type Scheduler struct {
	client    *asynq.Client
	inspector *asynq.Inspector
	rdb       redis.UniversalClient
	ownRedis  bool
	trainings *training.Store
	events    *events.Queue
	cfg       Config
	log       *slog.Logger
	// Now is the clock (time.Now unless a test sets it).
	Now func() time.Time
}

// SharedClient is a RedisConnOpt for a Redis client the caller already has
// (and closes): the scheduler uses it instead of opening its own.
type SharedClient struct{ redis.UniversalClient }

// MakeRedisClient gives the client (asynq.RedisConnOpt).
func (c SharedClient) MakeRedisClient() any { return c.UniversalClient }

// New makes a Scheduler on the Redis redisOpt names (asynq.RedisClientOpt,
// asynq.RedisFailoverClientOpt or SharedClient). Close it when done.
func New(redisOpt asynq.RedisConnOpt, trainings *training.Store, q *events.Queue, cfg Config) *Scheduler {
	cfg = cfg.withDefaults()
	_, shared := redisOpt.(SharedClient)
	rdb, ok := redisOpt.MakeRedisClient().(redis.UniversalClient)
	if !ok {
		panic(fmt.Sprintf("schedule: %T does not make a go-redis v9 client", redisOpt))
	}
	return &Scheduler{
		client:    asynq.NewClientFromRedisClient(rdb),
		inspector: asynq.NewInspectorFromRedisClient(rdb),
		rdb:       rdb,
		ownRedis:  !shared,
		trainings: trainings,
		events:    q,
		cfg:       cfg,
		log:       cfg.Logger,
		Now:       time.Now,
	}
}

// Close closes the scheduler's Redis connections (not a SharedClient's).
func (s *Scheduler) Close() error {
	if s.ownRedis {
		return s.rdb.Close()
	}
	return nil
}

// Queue is the asynq queue the jobs go to; an asynq server must serve it.
func (s *Scheduler) Queue() string { return s.cfg.Queue }

// Register makes mux run the scheduler's jobs.
func (s *Scheduler) Register(mux *asynq.ServeMux) { mux.HandleFunc(TaskType, s.HandleJob) }

func (s *Scheduler) scheduleOf(t training.Training) Schedule {
	if s.cfg.For != nil {
		if sch, ok := s.cfg.For(t); ok {
			return sch
		}
	}
	if sch, ok := PlanOf(t, s.cfg.Schedule); ok && !s.cfg.NoReminders {
		return sch // the training's own plan
	}
	return s.cfg.Schedule
}

// Plan says which jobs of t are still to fire, by time: jobs before Now
// and reminders of days that have started are left out.
func (s *Scheduler) Plan(t training.Training) []Job {
	return plan(t, s.scheduleOf(t), s.cfg.Quiet, s.Now(), false)
}

// payload is a task's data. At is the job's planned time: a job whose
// training no longer plans it then has been moved, and does nothing.
type payload struct {
	Training string `json:"training"`
	Job      string `json:"job"`
	At       int64  `json:"at"`            // unix seconds
	Due      int64  `json:"due,omitempty"` // deferred out of quiet hours to this time
}

// jobsKey is the set of task ids enqueued for a training, for Unschedule.
func jobsKey(id string) string { return "saathi:schedule:{" + id + "}:jobs" }

// changesKey counts the moves of a training, for the ids of their notices.
func changesKey(id string) string { return "saathi:schedule:{" + id + "}:changes" }

// ScheduleTraining puts t's jobs in asynq. It may be called any number of
// times: a job already there with the same time is kept, one with another
// time is replaced. Jobs planned earlier that t no longer has are left to
// find out at fire time (Move clears them first). A cancelled training is
// unscheduled.
func (s *Scheduler) ScheduleTraining(ctx context.Context, t training.Training) error {
	if t.Cancelled {
		return s.Unschedule(ctx, t.ID)
	}
	for _, j := range s.Plan(t) {
		p := payload{Training: t.ID, Job: j.ID, At: j.At.Unix()}
		if err := s.enqueue(ctx, t, j.ID, p, j.At); err != nil {
			return err
		}
	}
	return nil
}

// enqueue puts one task in asynq under id, replacing a different one with the same id.
func (s *Scheduler) enqueue(ctx context.Context, t training.Training, id string, p payload, at time.Time) error {
	buf, err := json.Marshal(p)
	if err != nil {
		return err
	}
	// The id is kept before the task exists, so Unschedule finds every task.
	key := jobsKey(t.ID)
	_, err = s.rdb.TxPipelined(ctx, func(pp redis.Pipeliner) error {
		pp.SAdd(ctx, key, id)
		pp.ExpireAt(ctx, key, t.Last().Add(30*24*time.Hour))
		return nil
	})
	if err != nil {
		return fmt.Errorf("schedule %s: %w", id, err)
	}
	task := asynq.NewTask(TaskType, buf, asynq.TaskID(id), asynq.ProcessAt(at), asynq.Queue(s.cfg.Queue), asynq.MaxRetry(s.cfg.MaxRetry))
	for range 3 {
		_, err = s.client.EnqueueContext(ctx, task)
		if !errors.Is(err, asynq.ErrTaskIDConflict) {
			break
		}
		info, ierr := s.inspector.GetTaskInfo(s.cfg.Queue, id)
		switch {
		case errors.Is(ierr, asynq.ErrTaskNotFound):
			continue // it just ran and is gone: enqueue again
		case ierr != nil:
			return fmt.Errorf("schedule %s: %w", id, ierr)
		case bytes.Equal(info.Payload, buf):
			return nil // already there, same time
		case info.State == asynq.TaskStateActive:
			return nil // running its old time; it will find it is not planned then
		}
		if derr := s.inspector.DeleteTask(s.cfg.Queue, id); derr != nil && !errors.Is(derr, asynq.ErrTaskNotFound) {
			return fmt.Errorf("schedule %s: replace: %w", id, derr)
		}
		s.log.Info("job moved", "job", id, "at", at)
	}
	if err != nil {
		return fmt.Errorf("schedule %s: %w", id, err)
	}
	s.log.Debug("job scheduled", "job", id, "at", at)
	return nil
}

// Unschedule deletes every job of a training that has not run.
func (s *Scheduler) Unschedule(ctx context.Context, trainingID string) error {
	key := jobsKey(trainingID)
	ids, err := s.rdb.SMembers(ctx, key).Result()
	if err != nil {
		return fmt.Errorf("unschedule %s: %w", trainingID, err)
	}
	sort.Strings(ids)
	var errs []error
	for _, id := range ids {
		err := s.inspector.DeleteTask(s.cfg.Queue, id)
		switch {
		case err == nil, errors.Is(err, asynq.ErrTaskNotFound), errors.Is(err, asynq.ErrQueueNotFound):
		default:
			// An active task cannot be deleted; it checks its training when it runs.
			if info, ierr := s.inspector.GetTaskInfo(s.cfg.Queue, id); ierr == nil && info.State == asynq.TaskStateActive {
				continue
			}
			errs = append(errs, fmt.Errorf("unschedule %s: %w", id, err))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if err := s.rdb.Del(ctx, key).Err(); err != nil {
		return fmt.Errorf("unschedule %s: %w", trainingID, err)
	}
	return nil
}

// SyncAll schedules every training that has not ended (and unschedules
// cancelled ones), so that trainings created anywhere get their jobs. It
// returns how many trainings it scheduled.
func (s *Scheduler) SyncAll(ctx context.Context) (int, error) {
	ts, err := s.trainings.List(ctx)
	if err != nil {
		return 0, err
	}
	now := s.Now()
	n := 0
	var errs []error
	for _, t := range ts {
		if len(t.Days) == 0 || !now.Before(t.Last()) {
			continue
		}
		if err := s.ScheduleTraining(ctx, t); err != nil {
			errs = append(errs, err)
			continue
		}
		if !t.Cancelled {
			n++
		}
	}
	return n, errors.Join(errs...)
}

// HandleJob runs a job: it publishes the reminder or nudge events, unless
// the training is gone, cancelled or moved (then it does nothing), or it
// is quiet hours (then it comes back at their end).
func (s *Scheduler) HandleJob(ctx context.Context, task *asynq.Task) error {
	var p payload
	if err := json.Unmarshal(task.Payload(), &p); err != nil || p.Training == "" || p.Job == "" {
		return fmt.Errorf("bad schedule payload %q: %w", task.Payload(), asynq.SkipRetry)
	}
	log := s.log.With("job", p.Job)
	t, ok, err := s.trainings.Get(ctx, p.Training)
	if err != nil {
		return err
	}
	if !ok || t.Cancelled {
		log.Info("job dropped: training gone or cancelled")
		return nil
	}
	var job Job
	found := false
	for _, j := range plan(t, s.scheduleOf(t), s.cfg.Quiet, time.Time{}, true) {
		if j.ID == p.Job {
			job, found = j, true
		}
	}
	if !found || job.At.Unix() != p.At {
		log.Info("job dropped: the training no longer plans it for this time")
		return nil
	}
	now := s.Now()
	end := deadline(t, job)
	if !now.Before(end) {
		log.Info("job dropped: too late, the day has started")
		return nil
	}
	if !job.Urgent && p.Due == 0 && s.cfg.Quiet.Contains(now) { // deferred once is enough
		due := s.cfg.Quiet.End(now)
		if !due.Before(end) {
			log.Info("job dropped: quiet hours last until the day starts")
			return nil
		}
		p.Due = due.Unix()
		id := job.ID + ":q:" + strconv.FormatInt(p.Due, 10)
		log.Info("quiet hours: job deferred", "until", due)
		return s.enqueue(ctx, t, id, p, due)
	}
	inv, err := s.trainings.Invitees(ctx, t.ID)
	if err != nil {
		return err
	}
	want := training.StatusYes
	if job.Kind == KindNudge {
		want = training.StatusInvited
	}
	var phones []string
	for phone, st := range inv {
		if st == want {
			phones = append(phones, phone)
		}
	}
	sort.Strings(phones)
	if job.Kind == KindNudge {
		// A nudge is a bulk message: not for those who said "बंद करो". A
		// reminder of a training they said they will come to is theirs.
		if phones, _, err = store.NewOptOut(s.rdb).Keep(ctx, phones); err != nil {
			return err
		}
	}
	evs := make([]events.Event, 0, len(phones))
	for _, phone := range phones {
		ev := jobEvent(job, phone)
		ev.Expires = end.Unix() // held for one who has not written yet: of no use once the day starts
		evs = append(evs, ev)
	}
	if err := s.events.Publish(ctx, evs...); err != nil {
		return err
	}
	log.Info("job done", "kind", job.Kind, "people", len(evs))
	return nil
}

// stamp writes a planned time for ids: 202612041800, in IST.
func stamp(t time.Time) string { return t.In(locales.IST).Format("200601021504") }

// jobEvent is the event of one job for one person. Its id holds the
// planned time, so a job moved to another time is a new event while a
// job run twice is the same one.
func jobEvent(j Job, phone string) events.Event {
	day := strconv.Itoa(j.Day + 1)
	if j.Kind == KindNudge {
		return events.Event{
			ID: "nudge:" + j.Training + ":" + j.Offset.Name + ":" + stamp(j.At) + ":" + phone, Phone: phone, Flow: FlowNudge,
			Vars:  map[string]string{"training": j.Training, "nudge": "yes", "offset": j.Offset.Name},
			Group: events.TrainingGroup(j.Training),
			Bulk:  true, // not for one who says "बंद करो" before it goes out
		}
	}
	checkin := "no"
	if j.CheckIn {
		checkin = "yes"
	}
	return events.Event{
		ID: "reminder:" + j.Training + ":" + day + ":" + j.Offset.Name + ":" + stamp(j.At) + ":" + phone, Phone: phone, Flow: FlowReminder,
		Vars: map[string]string{"training": j.Training, "day": day, "offset": j.Offset.Name, "checkin": checkin},
	}
}

// Move moves a training so that its first day starts at newStart (see
// training.MoveTo: each day's end keeps its time of day), reschedules its
// jobs and tells every invitee. Running it again with the same start tells
// nobody twice; a later move tells everyone again.
func (s *Scheduler) Move(ctx context.Context, id string, newStart time.Time) error {
	if newStart.IsZero() {
		return fmt.Errorf("move training %s: no new start", id)
	}
	t, err := s.get(ctx, id)
	if err != nil {
		return fmt.Errorf("move training %s: %w", id, err)
	}
	days, err := training.MoveTo(t, newStart, "")
	if err != nil {
		return fmt.Errorf("move training %s: %w", id, err)
	}
	return s.MoveDays(ctx, id, days, "")
}

// change is what a move's notice says besides the new days: the old first
// day and the coordinator's reason. It is kept under the move's number, so
// that a retried notice says what the first try would have.
type change struct {
	Old    int64  `json:"old"` // unix seconds
	Reason string `json:"reason,omitempty"`
}

// changeLogKey keeps each move's change, by its number.
func changeLogKey(id string) string { return "saathi:schedule:{" + id + "}:changelog" }

// MoveDays gives a training new days (as many as it has), reschedules its
// jobs and tells every invitee, with its old first day and reason (may be
// empty). Days equal to the stored ones change nothing, and then the last
// move's notice is published again (it is the same event: nobody is told
// twice), so that a run cut short after the update still tells everyone.
func (s *Scheduler) MoveDays(ctx context.Context, id string, days []training.Day, reason string) error {
	t, err := s.get(ctx, id)
	if err != nil {
		return fmt.Errorf("move training %s: %w", id, err)
	}
	if t.Cancelled {
		return fmt.Errorf("move training %s: %w", id, training.ErrCancelled)
	}
	if len(days) != len(t.Days) || len(days) == 0 {
		return fmt.Errorf("move training %s: %d days given for a training of %d", id, len(days), len(t.Days))
	}
	var n int64
	var ch change
	if !training.SameDays(t.Days, days) {
		ch = change{Old: t.First().Unix(), Reason: reason}
		// Counted before the update: a retry after a failed update counts
		// again, a retry after a failed notice finds the count of its move.
		if n, err = s.rdb.Incr(ctx, changesKey(id)).Result(); err != nil {
			return fmt.Errorf("move training %s: %w", id, err)
		}
		buf, _ := json.Marshal(ch)
		if err := s.rdb.HSet(ctx, changeLogKey(id), strconv.FormatInt(n, 10), buf).Err(); err != nil {
			return fmt.Errorf("move training %s: %w", id, err)
		}
		for i := range days {
			days[i] = training.Day{Start: days[i].Start.In(locales.IST), End: days[i].End.In(locales.IST)}
		}
		t.Days = days
		t.Secret = ""
		if err := s.trainings.Update(ctx, t); err != nil {
			return fmt.Errorf("move training %s: %w", id, err)
		}
	} else {
		if n, err = s.rdb.Get(ctx, changesKey(id)).Int64(); err != nil && !errors.Is(err, redis.Nil) {
			return fmt.Errorf("move training %s: %w", id, err)
		}
		if n > 0 {
			raw, err := s.rdb.HGet(ctx, changeLogKey(id), strconv.FormatInt(n, 10)).Result()
			if err != nil && !errors.Is(err, redis.Nil) {
				return fmt.Errorf("move training %s: %w", id, err)
			}
			_ = json.Unmarshal([]byte(raw), &ch) // a move from before the log: no old date
		}
	}
	if err := s.Unschedule(ctx, id); err != nil {
		return err
	}
	if err := s.ScheduleTraining(ctx, t); err != nil {
		return err
	}
	if n == 0 {
		return nil // never moved: nothing to tell
	}
	vars := map[string]string{"reason": ch.Reason}
	if ch.Old > 0 {
		vars["old"] = strconv.FormatInt(ch.Old, 10)
	}
	return s.notify(ctx, t, "moved", strconv.FormatInt(n, 10), vars)
}

// Cancel cancels a training, deletes its jobs and tells every invitee.
// Running it again tells nobody twice.
func (s *Scheduler) Cancel(ctx context.Context, id string) error { return s.CancelBecause(ctx, id, "") }

// CancelBecause is Cancel with the coordinator's reason in the notice
// (the reason of the first cancellation, on a retry).
func (s *Scheduler) CancelBecause(ctx context.Context, id, reason string) error {
	t, err := s.get(ctx, id)
	if err != nil {
		return fmt.Errorf("cancel training %s: %w", id, err)
	}
	if !t.Cancelled {
		if err := s.rdb.HSet(ctx, changeLogKey(id), "cancelled", reason).Err(); err != nil {
			return fmt.Errorf("cancel training %s: %w", id, err)
		}
		t.Cancelled = true
		t.Secret = ""
		if err := s.trainings.Update(ctx, t); err != nil {
			return fmt.Errorf("cancel training %s: %w", id, err)
		}
	} else if reason, err = s.rdb.HGet(ctx, changeLogKey(id), "cancelled").Result(); err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("cancel training %s: %w", id, err)
	}
	if err := s.Unschedule(ctx, id); err != nil {
		return err
	}
	return s.notify(ctx, t, "cancelled", "", map[string]string{"reason": reason, "old": strconv.FormatInt(t.First().Unix(), 10)})
}

func (s *Scheduler) get(ctx context.Context, id string) (training.Training, error) {
	t, ok, err := s.trainings.Get(ctx, id)
	if err != nil {
		return training.Training{}, err
	}
	if !ok {
		return training.Training{}, training.ErrNotFound
	}
	return t, nil
}

// notify tells every invitee, whatever their answer, that the training
// changed: at once, quiet hours or not.
func (s *Scheduler) notify(ctx context.Context, t training.Training, kind, n string, extra map[string]string) error {
	inv, err := s.trainings.Invitees(ctx, t.ID)
	if err != nil {
		return err
	}
	phones := make([]string, 0, len(inv))
	for p := range inv {
		phones = append(phones, p)
	}
	sort.Strings(phones)
	id := "changed:" + t.ID + ":" + kind
	if n != "" {
		id += ":" + n
	}
	evs := make([]events.Event, 0, len(phones))
	for _, p := range phones {
		vars := map[string]string{"training": t.ID, "kind": kind, "title": t.Title}
		for k, v := range extra {
			if v != "" {
				vars[k] = v
			}
		}
		evs = append(evs, events.Event{ID: id + ":" + p, Phone: p, Flow: FlowChanged, Vars: vars, Group: events.TrainingGroup(t.ID)})
	}
	if err := s.events.Publish(ctx, evs...); err != nil {
		return fmt.Errorf("tell invitees of %s: %w", t.ID, err)
	}
	s.log.Info("training changed: invitees told", "training", t.ID, "change", kind, "people", len(evs))
	return nil
}
