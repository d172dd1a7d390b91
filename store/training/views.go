package training

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
)

// Row is everything about one invitee of a training.
type Row struct {
	Phone      string
	Status     string    // invited, yes, no, maybe or waitlist
	Reason     string    // of a "no"
	AnsweredAt time.Time // zero: no answer yet
	CheckIns   []CheckIn // one per day; a zero At means not checked in
	Feedback   *Feedback // nil: none given
	// OptedOut: the person stopped bulk messages ("बंद करो"); notices
	// about this training still reach them.
	OptedOut bool
}

// Rows gives one row per invitee, in the order they were invited.
func (s *Store) Rows(ctx context.Context, id string) ([]Row, error) {
	t, err := s.mustGet(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("read rows of training %s: %w", id, err)
	}
	rows, err := s.rows(ctx, t)
	if err != nil {
		return nil, fmt.Errorf("read rows of training %s: %w", id, err)
	}
	return rows, nil
}

// rows reads the rows of a training in one round trip.
func (s *Store) rows(ctx context.Context, t Training) ([]Row, error) {
	id := t.ID
	var (
		order                        *redis.StringSliceCmd
		status, reason, at, feedback *redis.MapStringStringCmd
		checkins                     = make([]*redis.MapStringStringCmd, len(t.Days))
	)
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		order = p.ZRange(ctx, subKey(id, "order"), 0, -1)
		status = p.HGetAll(ctx, subKey(id, "status"))
		reason = p.HGetAll(ctx, subKey(id, "reason"))
		at = p.HGetAll(ctx, subKey(id, "at"))
		feedback = p.HGetAll(ctx, subKey(id, "feedback"))
		for d := range t.Days {
			checkins[d] = p.HGetAll(ctx, checkinKey(id, d))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	rows := make([]Row, 0, len(order.Val()))
	for _, phone := range order.Val() {
		r := Row{Phone: phone, Status: status.Val()[phone], Reason: reason.Val()[phone], CheckIns: make([]CheckIn, len(t.Days))}
		if ms, err := strconv.ParseInt(at.Val()[phone], 10, 64); err == nil {
			r.AnsweredAt = time.UnixMilli(ms).In(locales.IST)
		}
		for d, c := range checkins {
			raw, ok := c.Val()[phone]
			if !ok {
				continue
			}
			var rec checkInRecord
			if err := json.Unmarshal([]byte(raw), &rec); err != nil {
				return nil, fmt.Errorf("decode check-in of day %d: %w", d+1, err)
			}
			r.CheckIns[d] = CheckIn{At: time.UnixMilli(rec.At).In(locales.IST), Method: rec.Method, By: rec.By, ByName: rec.ByName}
		}
		if raw, ok := feedback.Val()[phone]; ok {
			var rec feedbackRecord
			if err := json.Unmarshal([]byte(raw), &rec); err != nil {
				return nil, fmt.Errorf("decode feedback: %w", err)
			}
			r.Feedback = rec.feedback()
		}
		rows = append(rows, r)
	}
	out, err := store.NewOptOut(s.rdb).Which(ctx, order.Val())
	if err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].OptedOut = out[rows[i].Phone]
	}
	return rows, nil
}

// Status is the coordinator's summary of a training.
type Status struct {
	Invited  int // everyone invited
	Yes      int
	No       int
	Maybe    int
	NoAnswer int
	Waitlist int
	Attended []int // people checked in, per day
	// NoReasons counts declines by reason (trimmed); declines without a
	// reason count under "".
	NoReasons     map[string]int
	FeedbackCount int
	RatingAvg     float64 // 0 without feedback
	RatingDist    [5]int  // RatingDist[0] is the number of 1s, ... [4] of 5s
	TopModules    []ModuleCount
	Missing       []string // the "what was missing" comments, oldest first
	Experiences   []string // the experiences shared as text, oldest first
	VoiceNotes    int      // experiences shared as a voice note (or another file)
	OptedOut      int      // invitees who stopped bulk messages
}

// ModuleCount is how many found a module the most useful.
type ModuleCount struct {
	Module string
	Count  int
}

// Status summarises a training: answers, attendance and feedback.
func (s *Store) Status(ctx context.Context, id string) (Status, error) {
	t, err := s.mustGet(ctx, id)
	if err != nil {
		return Status{}, fmt.Errorf("read status of training %s: %w", id, err)
	}
	rows, err := s.rows(ctx, t)
	if err != nil {
		return Status{}, fmt.Errorf("read status of training %s: %w", id, err)
	}
	return Summarize(t, rows), nil
}

// Summarize counts the rows of a training.
func Summarize(t Training, rows []Row) Status {
	st := Status{Invited: len(rows), Attended: make([]int, len(t.Days)), NoReasons: map[string]int{}}
	modules := map[string]int{}
	type comment struct {
		at   time.Time
		text string
	}
	var missing, experiences []comment
	for _, r := range rows {
		if r.OptedOut {
			st.OptedOut++
		}
		switch r.Status {
		case StatusYes:
			st.Yes++
		case StatusNo:
			st.No++
			st.NoReasons[strings.TrimSpace(r.Reason)]++
		case StatusMaybe:
			st.Maybe++
		case StatusWaitlist:
			st.Waitlist++
		default:
			st.NoAnswer++
		}
		for d, c := range r.CheckIns {
			if d < len(st.Attended) && !c.At.IsZero() {
				st.Attended[d]++
			}
		}
		if f := r.Feedback; f != nil {
			st.FeedbackCount++
			if f.Rating >= 1 && f.Rating <= 5 {
				st.RatingDist[f.Rating-1]++
			}
			if f.Module != "" {
				modules[f.Module]++
			}
			if f.Missing != "" {
				missing = append(missing, comment{f.At, f.Missing})
			}
			if f.Experience != "" {
				experiences = append(experiences, comment{f.At, f.Experience})
			}
			if f.ExperienceFile != "" {
				st.VoiceNotes++
			}
		}
	}
	st.RatingAvg = ratingAvg(st.RatingDist)
	st.TopModules = rankModules(modules)
	for _, cs := range []struct {
		from []comment
		to   *[]string
	}{{missing, &st.Missing}, {experiences, &st.Experiences}} {
		sort.SliceStable(cs.from, func(i, j int) bool { return cs.from[i].at.Before(cs.from[j].at) })
		for _, c := range cs.from {
			*cs.to = append(*cs.to, c.text)
		}
	}
	return st
}

// rankModules lists modules by how many named them, most first, then by
// name.
func rankModules(modules map[string]int) []ModuleCount {
	var out []ModuleCount
	for m, n := range modules {
		out = append(out, ModuleCount{m, n})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Module < b.Module
	})
	return out
}

// Attended reports whether the invitee checked in on at least one day.
func (r Row) Attended() bool {
	for _, c := range r.CheckIns {
		if !c.At.IsZero() {
			return true
		}
	}
	return false
}
