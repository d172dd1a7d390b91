package services

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store/events"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// coordinator is the caller if they are a coordinator or an admin.
func (s *Services) coordinator(ctx context.Context, c flows.Call) (roster.Person, roster.Scope, bool, error) {
	me, ok, err := s.caller(ctx, c)
	if err != nil {
		return me, roster.Scope{}, false, fmt.Errorf("look up caller: %w", err)
	}
	if !ok {
		return me, roster.Scope{}, false, nil
	}
	sc, ok := me.Scope()
	return me, sc, ok, nil
}

// InScope tells whether a training is a coordinator's: they made it, or
// every invitee is inside their scope.
func (s *Services) InScope(ctx context.Context, me roster.Person, sc roster.Scope, t training.Training) (bool, error) {
	if me.IsAdmin() || t.CreatedBy == me.Phone {
		return true, nil
	}
	inv, err := s.Trainings.Invitees(ctx, t.ID)
	if err != nil {
		return false, fmt.Errorf("read invitees: %w", err)
	}
	if len(inv) == 0 {
		return false, nil
	}
	for phone := range inv {
		p, ok, err := s.Roster.Get(ctx, phone)
		if err != nil {
			return false, fmt.Errorf("look up invitee: %w", err)
		}
		if !ok || !sc.Contains(p) {
			return false, nil
		}
	}
	return true, nil
}

// myTrainings are the trainings in the coordinator's scope, the one named by
// arg (an id) alone when it is given.
func (s *Services) myTrainings(ctx context.Context, me roster.Person, sc roster.Scope, arg string) ([]training.Training, error) {
	all, err := s.Trainings.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("list trainings: %w", err)
	}
	var out []training.Training
	for _, t := range all {
		if t.Cancelled || (arg != "" && t.ID != arg) {
			continue
		}
		ok, err := s.InScope(ctx, me, sc, t)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// coordTrainings are the trainings of the calling coordinator (the one the
// "arg" id names, if given); ok is false when the caller is no coordinator.
func (s *Services) coordTrainings(ctx context.Context, c flows.Call) ([]training.Training, bool, error) {
	me, sc, ok, err := s.coordinator(ctx, c)
	if err != nil || !ok {
		return nil, false, err
	}
	ts, err := s.myTrainings(ctx, me, sc, pickedID(c.Args["arg"]))
	return ts, err == nil, err
}

// coordCode: today's check-in codes of the caller's trainings. Statuses: ok, none, forbidden.
func (s *Services) coordCode(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	ts, ok, err := s.coordTrainings(ctx, c)
	if err != nil || !ok {
		return result(Forbidden), err
	}
	var lines []string
	for _, t := range ts {
		if day, open := training.DayAt(t, c.Now); open {
			lines = append(lines, s.text(c, "coord.code_line", map[string]string{
				"title": t.Title, "day": strconv.Itoa(day + 1), "code": training.Code(t, day),
			}))
		}
	}
	if len(lines) == 0 {
		return result(None), nil
	}
	return result(OK, "codes", strings.Join(lines, "\n")), nil
}

// coordStatus: args arg (a training's id, or a label coord.pick offered).
// The status of that training, or of every training of the caller's not
// long over, each with its breakdown by the level under the caller's
// scope and who has not answered (StatusReport). Statuses: ok, none,
// forbidden.
func (s *Services) coordStatus(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, sc, ok, err := s.coordinator(ctx, c)
	if err != nil || !ok {
		return result(Forbidden), err
	}
	ts, err := s.myTrainings(ctx, me, sc, pickedID(c.Args["arg"]))
	if err != nil {
		return flows.CallResult{}, err
	}
	var parts []string
	for _, t := range ts {
		if len(t.Days) > 0 && c.Now.Sub(t.Days[len(t.Days)-1].End).Hours() > 24*30 && c.Args["arg"] == "" {
			continue // long over: ask for it by id
		}
		text, err := s.StatusReport(ctx, c.Lang, t, sc.Below(), ChatLinksCommand(c.Lang, t.ID))
		if err != nil {
			return flows.CallResult{}, err
		}
		parts = append(parts, text)
	}
	if len(parts) == 0 {
		return result(None), nil
	}
	return result(OK, "status_text", strings.Join(parts, "\n\n")), nil
}

// StatusText writes a training's status for a coordinator, in lang.
func (s *Services) StatusText(lang string, t training.Training, st training.Status) string {
	m := func(id string, kv ...string) string {
		d := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			d[kv[i]] = kv[i+1]
		}
		return s.Messages.Text(lang, id, d)
	}
	n := strconv.Itoa
	lines := []string{
		m("status.title", "title", t.Title, "id", t.ID),
		m("status.rsvp", "invited", n(st.Invited), "yes", n(st.Yes), "no", n(st.No), "maybe", n(st.Maybe), "silent", n(st.NoAnswer), "waitlist", n(st.Waitlist)),
	}
	if st.OptedOut > 0 {
		lines = append(lines, m("optout.status", "optedout", n(st.OptedOut)))
	}
	if len(st.NoReasons) > 0 {
		lines = append(lines, m("status.reasons", "reasons", countList(st.NoReasons)))
	}
	if len(st.Attended) > 0 {
		var days []string
		for i, a := range st.Attended {
			days = append(days, m("status.day", "n", n(i+1), "count", n(a)))
		}
		lines = append(lines, m("status.attended", "days", strings.Join(days, " · ")))
	}
	if st.FeedbackCount > 0 {
		var dist []string
		for i := 4; i >= 0; i-- {
			dist = append(dist, n(i+1)+"⭐ "+n(st.RatingDist[i]))
		}
		lines = append(lines, m("status.feedback", "count", n(st.FeedbackCount), "avg", strconv.FormatFloat(st.RatingAvg, 'f', 1, 64), "dist", strings.Join(dist, ", ")))
		if len(st.TopModules) > 0 {
			lines = append(lines, m("status.modules", "modules", moduleList(st)))
		}
		for _, cm := range st.Missing {
			lines = append(lines, "💬 “"+cm+"”")
		}
		if len(st.Experiences) > 0 || st.VoiceNotes > 0 {
			lines = append(lines, m("status.experiences", "n", n(len(st.Experiences)+st.VoiceNotes), "voice", n(st.VoiceNotes)))
			for _, e := range st.Experiences {
				lines = append(lines, "🌟 “"+e+"”")
			}
		}
	}
	return strings.Join(lines, "\n")
}

func moduleList(st training.Status) string {
	parts := make([]string, 0, len(st.TopModules))
	for _, m := range st.TopModules {
		parts = append(parts, m.Module+" ("+strconv.Itoa(m.Count)+")")
	}
	return strings.Join(parts, ", ")
}

func countList(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " (" + strconv.Itoa(m[k]) + ")"
	}
	return strings.Join(parts, ", ")
}

// coordCreateTraining: args title, topic, venue, date (2026-12-05), time
// (10:00), days, modules (comma list), designation (a label, alias or id;
// or role, a role key, from a flow of before designations), place; or
// instead phones, a list read by audience.read_list.
// Statuses: ok, forbidden, bad (with error), none (nobody to invite).
func (s *Services) coordCreateTraining(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, sc, ok, err := s.coordinator(ctx, c)
	if err != nil || !ok {
		return result(Forbidden), err
	}
	a := c.Args
	days, _ := strconv.Atoi(a["days"])
	var filter string
	var people []roster.Person
	if phones := strings.TrimSpace(a["phones"]); phones != "" { // a list the coordinator sent
		filter, people, err = s.listInvitees(ctx, sc, phones)
	} else {
		who, ok := s.whoTerm(a["designation"], a["role"])
		if !ok {
			return result("bad", "error", s.text(c, "designation.unknown", map[string]string{"designation": a["designation"] + a["role"], "known": s.designations().Accepted(c.Lang)})), nil
		}
		filter, people, err = s.inviteFilter(ctx, sc, who, strings.TrimSpace(a["place"]))
	}
	if err != nil {
		var bad badFilter
		if errors.As(err, &bad) {
			return result("bad", "error", bad.Error()), nil
		}
		return flows.CallResult{}, err
	}
	spec := training.Spec{
		Title: a["title"], Topic: a["topic"], Venue: a["venue"], Start: a["date"] + "T" + clock(a["time"]),
		Days: days, Modules: training.SplitList(a["modules"]), Invite: filter, CreatedBy: me.Phone,
		Reminders: reminderPlans[a["plan"]],
	}
	if !noProblem(a["note"]) {
		spec.Note = strings.TrimSpace(a["note"])
	}
	t, err := spec.Training()
	if err != nil {
		return result("bad", "error", err.Error()), nil
	}
	for _, p := range people {
		if !sc.Contains(p) {
			return result(Forbidden), nil
		}
	}
	if len(people) == 0 {
		return result(None), nil
	}
	// The same message computed twice makes the same training once: Call
	// gives a finished call's result back, and the training made is noted
	// under the same record as soon as it exists, so that a call that
	// failed after it (its invitations not all out) finishes that
	// training rather than making another.
	key := effectKey(c, "coord.create_training") + ":created"
	id, err := s.Redis.Get(ctx, key).Result()
	retry := err == nil
	switch {
	case retry: // computed before: the training exists; its invitations may not have gone out
		existing, ok, err := s.Trainings.Get(ctx, id)
		if err != nil || !ok {
			return flows.CallResult{}, fmt.Errorf("create training: read %s again: %w", id, err)
		}
		t = existing
	case errors.Is(err, redis.Nil):
		var made training.Training
		if made, err = s.Trainings.Create(ctx, t); err != nil {
			var bad *training.FieldError
			if errors.As(err, &bad) {
				return result("bad", "error", bad.Error()), nil
			}
			return flows.CallResult{}, fmt.Errorf("create training: %w", err)
		}
		t = made
		if err := s.Redis.Set(ctx, key, t.ID, s.effectTTL()).Err(); err != nil {
			return flows.CallResult{}, fmt.Errorf("create training: %w", err)
		}
	default:
		return flows.CallResult{}, fmt.Errorf("create training: %w", err)
	}
	if _, err := s.Invite(ctx, t); err != nil {
		return flows.CallResult{}, err
	}
	inv, err := s.Trainings.Invitees(ctx, t.ID)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("create training: %w", err)
	}
	if retry {
		// Invitations again to everyone (their event ids make repeats
		// no-ops): a failed publish before must not leave anyone uninvited.
		if err := s.publishInvitations(ctx, t.ID, inv); err != nil {
			return flows.CallResult{}, err
		}
	}
	return result(OK, "training", t.ID, "invited", strconv.Itoa(len(inv))), nil
}

// publishInvitations queues the invitation event of each invitee.
func (s *Services) publishInvitations(ctx context.Context, id string, invitees map[string]string) error {
	evs := make([]events.Event, 0, len(invitees))
	for phone := range invitees {
		evs = append(evs, invitationEvent(id, phone))
	}
	return s.publish(ctx, evs...)
}

// reminderPlans are the reminder plans new_training offers, by the value
// chosen: usual is the default (the evening before, 2 hours before).
var reminderPlans = map[string][]string{
	"usual":   nil,
	"travel":  {"2d@10:00", "eve", "2h"},
	"morning": {"0d@07:00", "2h"},
}

// placeLevels are the levels a place named in new_training may be at,
// narrowest first: the flow asks for "a body or a block", and an admin or
// a district coordinator may name a district too.
var placeLevels = []string{roster.LevelBody, roster.LevelBlock, roster.LevelDistrict, roster.LevelDivision}

// badFilter is a filter the coordinator's words do not make.
type badFilter struct{ error }

// inviteFilter finds whom a coordinator of scope sc means by who (a
// filter term: designation=eo, role=sabhasad) and place (a body, block,
// district or division name; "" for their whole scope): the first level,
// narrowest first and no wider than the scope, at which the place names
// anyone of that designation. The people are returned as selected,
// unchecked against the scope; the filter keeps to the scope.
func (s *Services) inviteFilter(ctx context.Context, sc roster.Scope, who, place string) (string, []roster.Person, error) {
	pin := ""
	if sc.Level != roster.LevelAll {
		pin = "," + sc.Level + "=" + sc.Value
	}
	// Each candidate selects without the pin, so that a place outside the
	// scope is found (and refused) rather than taken for nobody; the filter
	// kept with the training has it.
	type candidate struct{ sel, keep string }
	cands := []candidate{{who + pin, who + pin}}
	if place != "" {
		cands = cands[:0]
		for _, level := range placeLevels {
			sel := who + "," + level + "=" + place
			if level == sc.Level {
				cands = append(cands, candidate{sel, sel})
				break
			}
			cands = append(cands, candidate{sel, sel + pin})
		}
	}
	for _, cd := range cands {
		f, err := s.designations().ParseFilter(cd.sel)
		if err != nil {
			return "", nil, badFilter{err}
		}
		if _, err := s.designations().ParseFilter(cd.keep); err != nil {
			return "", nil, badFilter{err}
		}
		people, err := s.Roster.Select(ctx, f)
		if err != nil {
			return "", nil, fmt.Errorf("select invitees: %w", err)
		}
		people = slices.DeleteFunc(people, func(p roster.Person) bool { return !invitable(p, f) })
		if len(people) > 0 {
			return cd.keep, people, nil
		}
	}
	return cands[len(cands)-1].keep, nil, nil
}

// listInvitees is the filter of the people of a list of phones ("|"
// between them) kept to scope sc, and those of them it selects there.
func (s *Services) listInvitees(ctx context.Context, sc roster.Scope, phones string) (string, []roster.Person, error) {
	filter := listFilter(sc, phones)
	f, err := s.designations().ParseFilter(filter)
	if err != nil {
		return "", nil, badFilter{err}
	}
	people, err := s.Roster.SelectIn(ctx, sc, f)
	if err != nil {
		return "", nil, fmt.Errorf("select invitees: %w", err)
	}
	return filter, people, nil
}

// clock reads "10", "10:30", "१०:३०" as HH:MM.
func clock(s string) string {
	s = strings.TrimSpace(s)
	h, m, _ := strings.Cut(s, ":")
	hh, _ := strconv.Atoi(digits(h))
	mm, _ := strconv.Atoi(digits(m))
	return fmt.Sprintf("%02d:%02d", hh, mm)
}
