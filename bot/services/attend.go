package services

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/match"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// Attendance correction by a coordinator (हाज़िरी सुधारें, saathi training
// attend): a person marked present or absent on a day, today or a day long
// over. A participant locked out of check-in by wrong codes is unlocked
// by it.

// MarkAttendance records a coordinator's correction (training.Store.Mark)
// and lifts the person's wrong-code lock of that day, so that a person
// marked absent may check in again with the right code; a change is told
// to the person. changed is false when the attendance already said so.
func (s *Services) MarkAttendance(ctx context.Context, id string, c training.Correction) (changed bool, err error) {
	changed, err = s.Trainings.Mark(ctx, id, c)
	if err != nil {
		return false, err
	}
	if _, err := s.Redis.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		pipe.Del(ctx, wrongKey(id, c.Phone, c.Day))
		pipe.SRem(ctx, wrongsKey(id), wrongMember(c.Phone, c.Day))
		return nil
	}); err != nil {
		return changed, fmt.Errorf("lift the check-in lock: %w", err)
	}
	if changed { // the person hears of it: a locked-out participant knows they are in
		t, ok, err := s.Trainings.Get(ctx, id)
		if err != nil || !ok {
			return changed, err
		}
		p, _, err := s.Roster.Get(ctx, c.Phone)
		if err != nil {
			return changed, fmt.Errorf("read the person marked: %w", err)
		}
		msg := "attend.told_present"
		if !c.Present {
			msg = "attend.told_absent"
		}
		text := s.Messages.Text(s.langOf(p), msg, map[string]string{"title": t.Title, "day": strconv.Itoa(c.Day + 1)})
		ev := noticeEvent("attend:"+id+":"+c.Phone+":"+strconv.Itoa(c.Day)+":"+strconv.FormatInt(c.At.UnixMilli(), 10), c.Phone, text)
		if err := s.publish(ctx, ev); err != nil {
			return changed, err
		}
	}
	s.Logger.Info("attendance corrected", "training", id, "day", c.Day+1, "person", maskPhone(c.Phone),
		"present", c.Present, "by", maskPhone(c.By), "changed", changed)
	return changed, nil
}

// maxAttendChoices bounds the people offered to choose from.
const maxAttendChoices = 8

// attendTraining is the caller's training for a correction: args training
// (an id or a label coord.pick offered). refused is Forbidden or NotFound.
func (s *Services) attendTraining(ctx context.Context, c flows.Call) (roster.Person, training.Training, string, error) {
	me, sc, ok, err := s.coordinator(ctx, c)
	if err != nil || !ok {
		return me, training.Training{}, Forbidden, err
	}
	id := pickedID(c.Args["training"])
	ts, err := s.myTrainings(ctx, me, sc, id)
	if err != nil {
		return me, training.Training{}, "", err
	}
	if id == "" || len(ts) == 0 {
		return me, training.Training{}, NotFound, nil
	}
	return me, ts[0], "", nil
}

// dayLabel is how a day is offered: "दिन 2 · रविवार, 6 दिसंबर".
func (s *Services) dayLabel(c flows.Call, t training.Training, d int) string {
	return s.text(c, "training.day_n", map[string]string{"n": strconv.Itoa(d + 1)}) + " · " + locales.Date(c.Lang, t.Days[d].Start, c.Now)
}

var firstNumber = regexp.MustCompile(`[0-9]+`)

// pickedDay reads a day (from 0) out of a dayLabel or a typed number
// (Devanagari digits too); ok is false when t has no such day.
func pickedDay(t training.Training, s string) (int, bool) {
	n, err := strconv.Atoi(firstNumber.FindString(match.Normalize(s)))
	if err != nil || n < 1 || n > len(t.Days) {
		return 0, false
	}
	return n - 1, true
}

// attendDays: args training. The days of the training that can be
// corrected: those begun (today's too); and the people locked out of
// check-in by wrong codes (locked, one line each, "" for none). Statuses:
// one (day: "1", title), many (days: dayLabels, "|" between them, title),
// not_started (no day has begun), not_found, forbidden.
func (s *Services) attendDays(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	_, t, refused, err := s.attendTraining(ctx, c)
	if err != nil || refused != "" {
		return result(refused), err
	}
	var labels []string
	for d := range t.Days {
		if c.Now.Before(t.Days[d].Start.Add(-training.CheckInEarly)) {
			break
		}
		labels = append(labels, s.dayLabel(c, t, d))
	}
	locked, err := s.lockedOut(ctx, c, t, len(labels))
	if err != nil {
		return flows.CallResult{}, err
	}
	switch len(labels) {
	case 0:
		return result("not_started", "title", t.Title), nil
	case 1:
		return result("one", "training", t.ID, "title", t.Title, "day", "1", "locked", locked), nil
	}
	return result("many", "training", t.ID, "title", t.Title, "days", strings.Join(labels, "|"), "locked", locked), nil
}

// lockedOut lists the invitees locked out of check-in on one of the first
// days, "नाम (9018159083) · दिन 1" a line: those who gave a wrong code
// (wrongsKey), not every invitee, so that a training of 100,000 costs what
// its few wrong codes cost.
func (s *Services) lockedOut(ctx context.Context, c flows.Call, t training.Training, days int) (string, error) {
	if days == 0 {
		return "", nil
	}
	wrongs, err := s.Redis.SMembers(ctx, wrongsKey(t.ID)).Result()
	if err != nil {
		return "", fmt.Errorf("read wrong codes: %w", err)
	}
	max := s.MaxWrongCodes
	if max <= 0 {
		max = 3
	}
	p := s.Redis.Pipeline()
	type probe struct {
		phone string
		day   int
		n     *redis.StringCmd
	}
	var probes []probe
	for _, m := range wrongs {
		i := strings.LastIndexByte(m, ':')
		d, err := strconv.Atoi(m[i+1:])
		if i < 0 || err != nil || d >= days {
			continue
		}
		probes = append(probes, probe{m[:i], d, p.HGet(ctx, wrongKey(t.ID, m[:i], d), "n")})
	}
	if len(probes) == 0 {
		return "", nil
	}
	if _, err := p.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return "", fmt.Errorf("read wrong codes: %w", err)
	}
	var lines []string
	for _, pr := range probes {
		if n, err := pr.n.Int(); err != nil || n < max {
			continue
		}
		in, err := s.Trainings.CheckedIn(ctx, t.ID, pr.phone, pr.day)
		if err != nil {
			return "", err
		}
		if in {
			continue
		}
		lines = append(lines, "• "+s.personLabel(ctx, pr.phone)+" · "+s.text(c, "training.day_n", map[string]string{"n": strconv.Itoa(pr.day + 1)}))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n"), nil
}

// personLabel is "नाम (9018159083)", or the number alone for someone not
// on the roster.
func (s *Services) personLabel(ctx context.Context, phone string) string {
	local := strings.TrimPrefix(phone, "+91")
	p, ok, err := s.Roster.Get(ctx, phone)
	if err != nil || !ok || p.Name == "" {
		return local
	}
	return p.Name + " (" + local + ")"
}

// attendFind: args training, day, query (a name, part of one, or a mobile
// number; or a label attendFind offered). Whom a correction is about,
// among the training's invitees. Statuses: one (phone, person_name,
// present: "yes" when they are marked present that day), many (people:
// personLabels, "|" between them), none (nobody matches), bad_day,
// not_found, forbidden.
func (s *Services) attendFind(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	_, t, refused, err := s.attendTraining(ctx, c)
	if err != nil || refused != "" {
		return result(refused), err
	}
	day, ok := pickedDay(t, c.Args["day"])
	if !ok {
		return result("bad_day"), nil
	}
	inv, err := s.Trainings.Invitees(ctx, t.ID)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("read invitees: %w", err)
	}
	q := strings.TrimSpace(c.Args["query"])
	var found []string
	if d := digits(q); len(d) >= 10 {
		if phone, ok := roster.NormalizePhone(d[len(d)-10:]); ok {
			if _, invited := inv[phone]; invited {
				found = append(found, phone)
			}
		}
	} else if name := match.Normalize(q); name != "" {
		phones := make([]string, 0, len(inv))
		for phone := range inv {
			phones = append(phones, phone)
		}
		people, err := s.Roster.People(ctx, phones) // one round trip
		if err != nil {
			return flows.CallResult{}, fmt.Errorf("read roster: %w", err)
		}
		for phone, p := range people {
			if strings.Contains(match.Normalize(p.Name), name) {
				found = append(found, phone)
			}
		}
	}
	switch {
	case len(found) == 0:
		return result(None, "query", q), nil
	case len(found) > 1:
		labels := make([]string, 0, len(found))
		for _, phone := range found {
			labels = append(labels, s.personLabel(ctx, phone))
		}
		slices.Sort(labels)
		if len(labels) > maxAttendChoices {
			return result("too_many", "query", q, "n", strconv.Itoa(len(labels))), nil
		}
		return result("many", "people", strings.Join(labels, "|")), nil
	}
	in, err := s.Trainings.CheckedIn(ctx, t.ID, found[0], day)
	if err != nil {
		return flows.CallResult{}, err
	}
	present := ""
	if in {
		present = "yes"
	}
	return result("one", "phone", found[0], "person_name", s.personLabel(ctx, found[0]), "present", present,
		"day", strconv.Itoa(day+1)), nil
}

// attendMark: args training, day, phone, present (yes|no). The caller's
// correction, kept with their name and the time. Statuses: ok (changed),
// already (it said so already), invalid, not_found, forbidden.
func (s *Services) attendMark(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, t, refused, err := s.attendTraining(ctx, c)
	if err != nil || refused != "" {
		return result(refused), err
	}
	day, ok := pickedDay(t, c.Args["day"])
	present := c.Args["present"]
	if !ok || (present != flows.AnswerYes && present != flows.AnswerNo) || c.Now.Before(t.Days[day].Start.Add(-training.CheckInEarly)) {
		return result(Invalid), nil
	}
	changed, err := s.MarkAttendance(ctx, t.ID, training.Correction{
		Phone: c.Args["phone"], Day: day, Present: present == flows.AnswerYes, By: me.Phone, ByName: me.Name, At: c.Now,
	})
	switch {
	case errors.Is(err, training.ErrNotInvited), errors.Is(err, training.ErrNotFound), errors.Is(err, training.ErrCancelled):
		return result(NotFound), nil
	case err != nil:
		return flows.CallResult{}, fmt.Errorf("correct attendance: %w", err)
	}
	if !changed {
		return result("already"), nil
	}
	return result(OK), nil
}
