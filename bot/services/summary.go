package services

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// screenLines is about what a phone shows at once: the one-screen summary
// of a state admin's trainings keeps to it, the choices below it included.
const screenLines = 25

// feedbackLines writes the feedback of a breakdown by place, one line a
// place: how many gave it, their average rating, the module most found
// useful there; a place where nobody has yet, as such.
func (s *Services) feedbackLines(lang, by string, places []training.PlaceCount) string {
	m := func(id string, d map[string]string) string { return s.Messages.Text(lang, id, d) }
	lines := []string{m("summary.feedback_by", map[string]string{"level": m("place.level."+by, nil)})}
	for _, pc := range places {
		name := s.placeName(lang, pc.Place)
		if pc.Feedback == 0 {
			lines = append(lines, m("summary.feedback_none", map[string]string{"place": name}))
			continue
		}
		module := ""
		if len(pc.Modules) > 0 {
			module = pc.Modules[0].Module
		}
		lines = append(lines, m("summary.feedback_line", map[string]string{
			"place": name, "count": strconv.Itoa(pc.Feedback),
			"avg": strconv.FormatFloat(pc.RatingAvg(), 'f', 1, 64), "module": module,
		}))
	}
	return strings.Join(lines, "\n")
}

// placeSum is one place's line of an Overview: the trainings with someone
// invited there (running, coming: their ids), and the invitees there of
// them all.
type placeSum struct {
	place              string
	running, coming    map[string]bool
	invited, yes, came int
}

func newPlaceSum(place string) *placeSum {
	return &placeSum{place: place, running: map[string]bool{}, coming: map[string]bool{}}
}

// add counts pc, a place's count of training id (running or coming).
func (ps *placeSum) add(id string, running bool, pc training.PlaceCount) {
	if running {
		ps.running[id] = true
	} else {
		ps.coming[id] = true
	}
	ps.invited += pc.Invited
	ps.yes += pc.Yes
	ps.came += pc.Came
}

// merge adds o to ps: a training in both counts once.
func (ps *placeSum) merge(o *placeSum) {
	for id := range o.running {
		ps.running[id] = true
	}
	for id := range o.coming {
		ps.coming[id] = true
	}
	ps.invited += o.invited
	ps.yes += o.yes
	ps.came += o.came
}

// Overview adds up the running and upcoming trainings of ts by place at
// level (the invitees' places, as a training's status breaks them down:
// training.ByPlace): for each place, how many of those trainings have
// someone invited there, running and to come, and of their invitees
// there how many were invited, are coming (yes) and have attended so far
// (checked in on some day); then the total. The places with the most
// invited come first. With maxLines > 0 the summary keeps to that many
// lines: past them, the rest of the places are one line ("और N").
// It reads the trainings' rows and their invitees' places (in pages of
// the invitees), never the roster. "" when none of ts runs or is to come.
func (s *Services) Overview(ctx context.Context, lang string, ts []training.Training, level string, now time.Time, maxLines int) (string, error) {
	people := map[string]roster.Person{} // the invitees read so far
	sums := map[string]*placeSum{}
	total := newPlaceSum("")
	for _, t := range ts {
		phase := phaseOf(t, now)
		if phase != phaseRunning && phase != phaseComing {
			continue
		}
		running := phase == phaseRunning
		rows, err := s.Trainings.Rows(ctx, t.ID)
		if err != nil {
			return "", fmt.Errorf("summary of trainings: %w", err)
		}
		var unread []string
		for _, r := range rows {
			if _, ok := people[r.Phone]; !ok {
				unread = append(unread, r.Phone)
			}
		}
		got, err := s.Roster.People(ctx, unread)
		if err != nil {
			return "", fmt.Errorf("summary of trainings: %w", err)
		}
		for _, phone := range unread {
			people[phone] = got[phone] // a phone not on the roster: no place
		}
		total.add(t.ID, running, training.PlaceCount{})
		for _, pc := range training.ByPlace(t, rows, people, level) {
			ps := sums[pc.Place]
			if ps == nil {
				ps = newPlaceSum(pc.Place)
				sums[pc.Place] = ps
			}
			ps.add(t.ID, running, pc)
			total.invited, total.yes, total.came = total.invited+pc.Invited, total.yes+pc.Yes, total.came+pc.Came
		}
	}
	if len(total.running)+len(total.coming) == 0 {
		return "", nil
	}
	list := make([]*placeSum, 0, len(sums))
	for _, ps := range sums {
		list = append(list, ps)
	}
	slices.SortFunc(list, func(a, b *placeSum) int {
		if (a.place == "") != (b.place == "") {
			if a.place == "" {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(b.invited, a.invited), cmp.Compare(a.place, b.place))
	})
	var rest *placeSum
	if fit := maxLines - 2; maxLines > 0 && len(list) > fit { // the head and the total take two
		rest = newPlaceSum("")
		for _, ps := range list[max(fit-1, 0):] {
			rest.merge(ps)
		}
		rest.place = strconv.Itoa(len(list) - max(fit-1, 0))
		list = list[:max(fit-1, 0)]
	}
	m := func(id string, d map[string]string) string { return s.Messages.Text(lang, id, d) }
	levelName := m("place.level."+level, nil)
	counts := func(ps *placeSum, d map[string]string) map[string]string {
		n := strconv.Itoa
		d["running"], d["coming"] = n(len(ps.running)), n(len(ps.coming))
		d["invited"], d["yes"], d["came"] = n(ps.invited), n(ps.yes), n(ps.came)
		return d
	}
	lines := []string{m("summary.head", map[string]string{"level": levelName})}
	for _, ps := range list {
		name := s.placeName(lang, ps.place)
		lines = append(lines, m("summary.line", counts(ps, map[string]string{"place": name})))
	}
	if rest != nil {
		lines = append(lines, m("summary.rest", counts(rest, map[string]string{"n": rest.place, "level": levelName})))
	}
	lines = append(lines, m("summary.total", counts(total, map[string]string{})))
	return strings.Join(lines, "\n"), nil
}
