package services

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/match"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/events"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// when writes a training's days the Hindi (or English) way, one line a day.
// now is the time of the message: a day in another year shows its year.
func (s *Services) when(lang string, t training.Training, now time.Time) string {
	var b strings.Builder
	for i, d := range t.Days {
		if len(t.Days) > 1 {
			b.WriteString(s.Messages.Text(lang, "training.day_n", map[string]string{"n": strconv.Itoa(i + 1)}) + ": ")
		}
		b.WriteString(locales.DateTime(lang, d.Start, now) + " – " + locales.Clock(lang, d.End))
		if i < len(t.Days)-1 {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// trainingFields are what flows show of a training.
func (s *Services) trainingFields(lang string, t training.Training, now time.Time) []string {
	started := ""
	if len(t.Days) > 0 && !now.Before(t.Days[0].Start) {
		started = "yes"
	}
	f := []string{
		"training", t.ID, "title", t.Title, "topic", t.Topic, "venue", t.Venue, "when", s.when(lang, t, now),
		"modules", strings.Join(t.Modules, "|"), "started", started, "days", strconv.Itoa(len(t.Days)),
		"lat", coord(t.HasLocation, t.Lat), "lon", coord(t.HasLocation, t.Lon), "note", t.Note,
	}
	// The days in every language too (when@en …): a flow that keeps them
	// shows them in the language switched to halfway.
	for _, l := range s.Messages.Languages() {
		f = append(f, "when@"+l, s.when(l, t, now))
	}
	return f
}

// trainingInfo: args training. The training as its invitee sees it, for
// the flows that come to invitees (invite, reminder, changed, promoted):
// someone else, with a button forged or kept, is refused. Statuses: ok
// (with my_answer: invited, yes, no, maybe, waitlist), not_found (no such
// training), not_invited, cancelled.
func (s *Services) trainingInfo(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	inv, refused, err := s.invitedTo(ctx, c, c.Args["training"])
	if err != nil || refused != "" {
		return result(refused), err
	}
	// A notice of a move or cancellation names the old first day (arg old,
	// unix seconds): old_when.
	var old []string
	if sec, err := strconv.ParseInt(c.Args["old"], 10, 64); err == nil && sec > 0 {
		old = []string{"old_when", locales.DateTime(c.Lang, time.Unix(sec, 0), c.Now)}
	}
	if inv.t.Cancelled {
		return result(Cancelled, append([]string{"title", inv.t.Title}, old...)...), nil
	}
	f := append(s.trainingFields(c.Lang, inv.t, c.Now), "my_answer", inv.status, "gender", inv.me.Gender)
	return result(OK, append(f, old...)...), nil
}

// invitation is a caller's invitation to a training.
type invitation struct {
	me     roster.Person
	t      training.Training
	status string // invited, yes, no, maybe, waitlist
}

// invitedTo reads training id for the caller and their invitation's
// status. refused is NotFound for no such training and NotInvited when
// the caller is nobody on the roster or not its invitee; a cancelled
// training is given as it is.
func (s *Services) invitedTo(ctx context.Context, c flows.Call, id string) (invitation, string, error) {
	var inv invitation
	if !training.ValidID(id) {
		return inv, NotFound, nil
	}
	t, ok, err := s.Trainings.Get(ctx, id)
	if err != nil {
		return inv, "", fmt.Errorf("read training: %w", err)
	}
	if !ok {
		return inv, NotFound, nil
	}
	inv.t = t
	me, ok, err := s.caller(ctx, c)
	if err != nil {
		return inv, "", fmt.Errorf("look up caller: %w", err)
	}
	if !ok {
		return inv, NotInvited, nil
	}
	inv.me = me
	all, err := s.Trainings.Invitees(ctx, id)
	if errors.Is(err, training.ErrNotFound) {
		return inv, NotFound, nil
	}
	if err != nil {
		return inv, "", fmt.Errorf("read invitees: %w", err)
	}
	if inv.status, ok = all[me.Phone]; !ok {
		return inv, NotInvited, nil
	}
	return inv, "", nil
}

// trainingAnswer: args training, answer (yes|no|maybe), reason. Statuses:
// yes, waitlist, no, maybe, closed (the training has started),
// not_invited, not_found, cancelled, invalid (no such answer).
func (s *Services) trainingAnswer(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	switch c.Args["answer"] {
	case training.StatusYes, training.StatusNo, training.StatusMaybe:
	default:
		return result(Invalid), nil
	}
	me, ok, err := s.caller(ctx, c)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("look up caller: %w", err)
	}
	if !ok {
		return result(NotInvited), nil
	}
	id := c.Args["training"]
	out, err := s.Trainings.Answer(ctx, id, me.Phone, c.Args["answer"], c.Args["reason"], c.Now)
	switch {
	case errors.Is(err, training.ErrNotInvited):
		return result(NotInvited), nil
	case errors.Is(err, training.ErrClosed):
		return result(Closed), nil
	case errors.Is(err, training.ErrCancelled):
		return result(Cancelled), nil
	case errors.Is(err, training.ErrNotFound):
		return result(NotFound), nil
	case err != nil:
		return flows.CallResult{}, fmt.Errorf("answer invitation: %w", err)
	}
	if out.Promoted != "" {
		err := s.publish(ctx, events.Event{ID: "promoted:" + id + ":" + out.Promoted, Phone: out.Promoted, Flow: "promoted", Vars: map[string]string{"training": id}})
		if err != nil {
			return flows.CallResult{}, err
		}
	}
	return result(out.Status), nil
}

// Invite invites everyone the training's filter selects and queues their
// invitations. It returns how many were newly invited.
func (s *Services) Invite(ctx context.Context, t training.Training) (int, error) {
	f, err := s.designations().ParseFilter(t.Invite)
	if err != nil {
		return 0, fmt.Errorf("invite filter: %w", err)
	}
	people, err := s.Roster.Select(ctx, f)
	if err != nil {
		return 0, fmt.Errorf("select invitees: %w", err)
	}
	return s.inviteAmong(ctx, t, people)
}

// inviteAmong invites those of people the training's filter selects (and
// invitable). The training's Place becomes the place they share.
func (s *Services) inviteAmong(ctx context.Context, t training.Training, people []roster.Person) (int, error) {
	f, err := s.designations().ParseFilter(t.Invite)
	if err != nil {
		return 0, fmt.Errorf("invite filter: %w", err)
	}
	chosen := chooseInvitees(f, people)
	phones := make([]string, len(chosen))
	for i, p := range chosen {
		phones[i] = p.Phone
	}
	added, err := s.Trainings.Invite(ctx, t.ID, phones)
	if err != nil {
		return 0, fmt.Errorf("invite: %w", err)
	}
	if err := s.setPlace(ctx, t.ID, training.CommonPlace(chosen)); err != nil {
		return 0, err
	}
	evs := make([]events.Event, 0, len(added))
	for _, p := range added {
		evs = append(evs, invitationEvent(t.ID, p))
	}
	return len(added), s.publish(ctx, evs...)
}

// chooseInvitees are those of people a training's filter f selects and
// invites.
func chooseInvitees(f roster.Filter, people []roster.Person) []roster.Person {
	chosen := make([]roster.Person, 0, len(people))
	for _, p := range people {
		if f.Match(p) && invitable(p, f) {
			chosen = append(chosen, p)
		}
	}
	return chosen
}

// InvitePreview is whom Invite would invite to t, inviting nothing: how
// many, and the first of them.
func (s *Services) InvitePreview(ctx context.Context, t training.Training, first int) (int, []roster.Person, error) {
	if t.Invite == "" {
		return 0, nil, nil
	}
	f, err := s.designations().ParseFilter(t.Invite)
	if err != nil {
		return 0, nil, fmt.Errorf("invite filter: %w", err)
	}
	people, err := s.Roster.Select(ctx, f)
	if err != nil {
		return 0, nil, fmt.Errorf("select invitees: %w", err)
	}
	chosen := chooseInvitees(f, people)
	return len(chosen), chosen[:min(first, len(chosen))], nil
}

// setPlace records where a training's invitees are, when it changed.
func (s *Services) setPlace(ctx context.Context, id string, place roster.Place) error {
	if place == (roster.Place{}) {
		return nil
	}
	t, ok, err := s.Trainings.Get(ctx, id)
	if err != nil || !ok || t.Place == place {
		return err
	}
	t.Place, t.Secret = place, ""
	if err := s.Trainings.Update(ctx, t); err != nil {
		return fmt.Errorf("record the place of training %s: %w", id, err)
	}
	return nil
}

// invitable tells whether an invitation by f goes to p. Coordinators and
// admins run trainings rather than attend them, so a filter by place
// leaves them out; one that names their designation (designation=MIS
// समन्वयक: the JJM MIS coordinators of a division, who attend a workshop)
// invites them too.
func invitable(p roster.Person, f roster.Filter) bool {
	if !p.IsCoordinator() {
		return true
	}
	return p.Designation != "" && len(f.Designation) > 0 && slices.Contains(f.Designation, p.Designation) ||
		slices.Contains(f.Phone, p.Phone) // named in a list
}

// trainingMine lists the caller's trainings with their answers. Statuses: ok, none.
func (s *Services) trainingMine(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, ok, err := s.caller(ctx, c)
	if err != nil || !ok {
		return result(None), err
	}
	ts, err := s.Trainings.ForPerson(ctx, me.Phone)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("list trainings: %w", err)
	}
	var lines []string
	for _, t := range ts {
		if t.Cancelled || len(t.Days) == 0 || c.Now.After(t.Days[len(t.Days)-1].End) {
			continue
		}
		lines = append(lines, "• "+t.Title+"\n  "+strings.ReplaceAll(s.when(c.Lang, t, c.Now), "\n", "\n  ")+"\n  📍 "+t.Venue)
	}
	if len(lines) == 0 {
		return result(None), nil
	}
	return result(OK, "list", strings.Join(lines, "\n")), nil
}

// openDay finds the caller's training whose check-in is open now.
func (s *Services) openDay(ctx context.Context, c flows.Call) (roster.Person, training.Training, int, bool, error) {
	me, ok, err := s.caller(ctx, c)
	if err != nil || !ok {
		return me, training.Training{}, 0, false, err
	}
	ts, err := s.Trainings.ForPerson(ctx, me.Phone)
	if err != nil {
		return me, training.Training{}, 0, false, fmt.Errorf("list trainings: %w", err)
	}
	for _, t := range ts {
		if t.Cancelled {
			continue
		}
		if day, open := training.DayAt(t, c.Now); open {
			return me, t, day, true, nil
		}
	}
	return me, training.Training{}, 0, false, nil
}

// checkinFind: the training the caller can check in to now. Statuses: ok,
// none, not_attending (they declined or wait for a seat), already.
func (s *Services) checkinFind(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, t, day, ok, err := s.openDay(ctx, c)
	if err != nil {
		return flows.CallResult{}, err
	}
	if !ok {
		return result(None), nil
	}
	inv, err := s.Trainings.Invitees(ctx, t.ID)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("read invitees: %w", err)
	}
	if st := inv[me.Phone]; st == training.StatusNo || st == training.StatusWaitlist {
		return result(NotAttending, "title", t.Title), nil
	}
	done, err := s.Trainings.CheckedIn(ctx, t.ID, me.Phone, day)
	if err != nil {
		return flows.CallResult{}, err
	}
	if done {
		return result("already", "title", t.Title, "day", strconv.Itoa(day+1)), nil
	}
	return result(OK, "training", t.ID, "title", t.Title, "day", strconv.Itoa(day+1)), nil
}

func wrongKey(id, phone string, day int) string {
	return "saathi:checkin:wrong:" + id + ":" + phone + ":" + strconv.Itoa(day)
}

// wrongsKey is the set of who gave a wrong code on which day of training
// id ("+91…:0"), so that those locked out are found without probing every
// invitee: each member is checked against its wrongKey count.
func wrongsKey(id string) string { return "saathi:checkin:wrongs:" + id }

// wrongMember is a person's day in wrongsKey.
func wrongMember(phone string, day int) string { return phone + ":" + strconv.Itoa(day) }

// wrongScript counts one wrong code of a message, once: the count (field
// "n") and the message that made it (a field named by the message, holding
// the count it made) are one hash, written together, so a message
// computed again gets its own count back and counts nothing. KEYS: the
// count. ARGV: the message, the TTL in seconds.
var wrongScript = redis.NewScript(`
local n = redis.call('HGET', KEYS[1], ARGV[1])
if n then return tonumber(n) end
n = redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('HSET', KEYS[1], ARGV[1], n)
redis.call('EXPIRE', KEYS[1], ARGV[2])
return n
`)

// checkinCode: args code, the reply as typed ("कोड 4821", "मेरा कोड ४८२१
// है"; match.CheckinCode finds the digits). Statuses: ok, already, wrong,
// locked, none, not_attending, no_code (no digits at all, or two numbers:
// asked again without using up a try). A wrong code counts once per
// message, however often the step is computed.
func (s *Services) checkinCode(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, t, day, ok, err := s.openDay(ctx, c)
	if err != nil {
		return flows.CallResult{}, err
	}
	if !ok {
		return result(None), nil
	}
	max := s.MaxWrongCodes
	if max <= 0 {
		max = 3
	}
	wk := wrongKey(t.ID, me.Phone, day)
	wrong, err := s.Redis.HGet(ctx, wk, "n").Int()
	if err != nil && !errors.Is(err, redis.Nil) {
		return flows.CallResult{}, fmt.Errorf("read wrong codes: %w", err)
	}
	if wrong >= max {
		return result("locked"), nil
	}
	code, kind := match.CheckinCode(c.Args["code"])
	if kind != match.CodeGiven {
		return result(NoCode), nil
	}
	if !training.MatchCode(t, day, code) {
		if _, err := s.Redis.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
			pipe.SAdd(ctx, wrongsKey(t.ID), wrongMember(me.Phone, day))
			pipe.Expire(ctx, wrongsKey(t.ID), 24*time.Hour) // as long as the newest count
			return nil
		}); err != nil {
			return flows.CallResult{}, fmt.Errorf("note a wrong code: %w", err)
		}
		n, err := wrongScript.Run(ctx, s.Redis, []string{wk}, "msg:"+effectID(c), int64((24 * time.Hour).Seconds())).Int()
		if err != nil {
			return flows.CallResult{}, fmt.Errorf("count wrong codes: %w", err)
		}
		if n >= max {
			return result("locked"), nil
		}
		return result("wrong", "tries_left", strconv.Itoa(max-n)), nil
	}
	return s.checkedIn(ctx, c, me, t, day, "code")
}

func (s *Services) checkedIn(ctx context.Context, c flows.Call, me roster.Person, t training.Training, day int, method string) (flows.CallResult, error) {
	first, err := s.Trainings.CheckIn(ctx, t.ID, me.Phone, day, method, c.Now)
	switch {
	case errors.Is(err, training.ErrNotAttending):
		return result("not_attending", "title", t.Title), nil
	case errors.Is(err, training.ErrCheckInClosed), errors.Is(err, training.ErrCancelled),
		errors.Is(err, training.ErrNotInvited), errors.Is(err, training.ErrNotFound):
		return result(None), nil
	case err != nil:
		return flows.CallResult{}, fmt.Errorf("check in: %w", err)
	}
	status := OK
	if !first {
		status = "already"
	}
	return result(status, "title", t.Title, "day", strconv.Itoa(day+1)), nil
}

// checkinLocation: args location ("lat,lon"). Statuses: ok, already, far, none.
func (s *Services) checkinLocation(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, t, day, ok, err := s.openDay(ctx, c)
	if err != nil {
		return flows.CallResult{}, err
	}
	if !ok {
		return result(None), nil
	}
	latS, lonS, _ := strings.Cut(c.Args["location"], ",")
	lat, err1 := strconv.ParseFloat(latS, 64)
	lon, err2 := strconv.ParseFloat(lonS, 64)
	if err1 != nil || err2 != nil || !t.HasLocation {
		return result("far", "distance", "?"), nil
	}
	if !training.Near(t, lat, lon) {
		return result("far", "distance", strconv.Itoa(int(math.Round(training.Distance(t.Lat, t.Lon, lat, lon))))), nil
	}
	return s.checkedIn(ctx, c, me, t, day, "location")
}

// mayGiveFeedback checks the caller may give feedback on training id now:
// an invitee who checked in on at least one day, once the last day has
// ended. refused is the status saying why not: not_found, not_invited,
// cancelled, not_over, not_attended.
func (s *Services) mayGiveFeedback(ctx context.Context, c flows.Call, id string) (invitation, string, error) {
	inv, refused, err := s.invitedTo(ctx, c, id)
	if err != nil || refused != "" {
		return inv, refused, err
	}
	t := inv.t
	if t.Cancelled {
		return inv, Cancelled, nil
	}
	if len(t.Days) == 0 || c.Now.Before(t.Days[len(t.Days)-1].End) {
		return inv, NotOver, nil
	}
	for day := range t.Days {
		in, err := s.Trainings.CheckedIn(ctx, t.ID, inv.me.Phone, day)
		if err != nil {
			return inv, "", err
		}
		if in {
			return inv, "", nil
		}
	}
	return inv, NotAttended, nil
}

// feedbackOpen: args training. The feedback flow's first call, so that a
// forged or early button is refused before any question. Statuses: ok
// (with the training's fields), not_found, not_invited, cancelled,
// not_over, not_attended (each with title when the training is known).
func (s *Services) feedbackOpen(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	inv, refused, err := s.mayGiveFeedback(ctx, c, c.Args["training"])
	if err != nil {
		return flows.CallResult{}, err
	}
	if refused != "" {
		return result(refused, "title", inv.t.Title), nil
	}
	return result(OK, s.trainingFields(c.Lang, inv.t, c.Now)...), nil
}

// feedbackSave: args training, rating, module, missing, followup,
// experience (what they learnt, "नहीं" for nothing), experience_file (a
// kept file: their voice note) and experience_file_name.
// Statuses: ok, invalid (a rating not 1 to 5, a follow-up not yes or no),
// and feedback.open's refusals, checked again.
func (s *Services) feedbackSave(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	rating, err := strconv.Atoi(c.Args["rating"])
	if err != nil || rating < 1 || rating > 5 {
		return result(Invalid), nil
	}
	if f := c.Args["followup"]; f != "" && f != flows.AnswerYes && f != flows.AnswerNo {
		return result(Invalid), nil
	}
	inv, refused, err := s.mayGiveFeedback(ctx, c, c.Args["training"])
	if err != nil || refused != "" {
		return result(refused), err
	}
	fb := training.Feedback{
		Rating: rating, Module: c.Args["module"], Missing: c.Args["missing"], FollowUp: c.Args["followup"], At: c.Now,
	}
	if !noProblem(c.Args["experience"]) { // "नहीं": nothing to share
		fb.Experience = c.Args["experience"]
	}
	if ref := c.Args["experience_file"]; store.IsFileRef(ref) {
		fb.ExperienceFile, fb.ExperienceFileName = ref, c.Args["experience_file_name"]
	}
	err = s.Trainings.SaveFeedback(ctx, inv.t.ID, inv.me.Phone, fb)
	switch {
	case errors.Is(err, training.ErrNotInvited):
		return result(NotInvited), nil
	case errors.Is(err, training.ErrNotFound):
		return result(NotFound), nil
	case err != nil:
		return flows.CallResult{}, fmt.Errorf("save feedback: %w", err)
	}
	return result(OK), nil
}

// FeedbackDue asks for feedback from everyone who attended a training whose
// last day has ended, once per training. It returns how many were asked.
func (s *Services) FeedbackDue(ctx context.Context, now time.Time) (int, error) {
	ts, err := s.Trainings.List(ctx)
	if err != nil {
		return 0, fmt.Errorf("list trainings: %w", err)
	}
	n := 0
	for _, t := range ts {
		if t.Cancelled || len(t.Days) == 0 || now.Before(t.Days[len(t.Days)-1].End) {
			continue
		}
		asked := "saathi:training:" + t.ID + ":feedback_asked"
		done, err := s.Redis.Exists(ctx, asked).Result()
		if err != nil {
			return n, fmt.Errorf("read feedback asked: %w", err)
		}
		if done > 0 {
			continue
		}
		rows, err := s.Trainings.Rows(ctx, t.ID)
		if err != nil {
			return n, fmt.Errorf("read attendance: %w", err)
		}
		var evs []events.Event
		for _, r := range rows {
			if attended(r) {
				evs = append(evs, events.Event{ID: "feedback:" + t.ID + ":" + r.Phone, Phone: r.Phone, Flow: "feedback", Vars: map[string]string{"training": t.ID}})
			}
		}
		// Marked only once published: a failure in between asks again
		// under the same event ids, which are applied once.
		if err := s.publish(ctx, evs...); err != nil {
			return n, err
		}
		if err := s.Redis.Set(ctx, asked, now.Unix(), 0).Err(); err != nil {
			return n, fmt.Errorf("mark feedback asked: %w", err)
		}
		n += len(evs)
	}
	return n, nil
}

func attended(r training.Row) bool {
	for _, c := range r.CheckIns {
		if !c.At.IsZero() {
			return true
		}
	}
	return false
}

// digits keeps the digits of s, Devanagari ones as Latin.
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '०' && r <= '९':
			b.WriteRune('0' + (r - '०'))
		}
	}
	return b.String()
}

// invitationEvent is the invitation of one person to training id; its id is
// stable, so publishing it again applies it once.
func invitationEvent(id, phone string) events.Event {
	return events.Event{ID: "invite:" + id + ":" + phone, Phone: phone, Flow: "invite", Vars: map[string]string{"training": id}, Group: events.TrainingGroup(id)}
}

// coord writes a latitude or longitude for a map link ("" without one).
func coord(has bool, v float64) string {
	if !has {
		return ""
	}
	return strconv.FormatFloat(v, 'f', 6, 64)
}
