package services

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// placeIndent sets a place's second line under its first.
const placeIndent = "   "

// maxSilentNames is how many of those who have not answered status names.
const maxSilentNames = 20

// StatusReport is a training's status for a coordinator, in lang: the
// totals (StatusText) and how many can be written to on Telegram, on
// WhatsApp and not yet; then the same counts by place at level by
// (division, district, block, body: the level under the coordinator's
// scope) when the invitees are in more than one place, and their feedback
// by place when there is any, then the names of those who have not
// answered (up to 20, then how many more: the export lists them all),
// then, when some cannot be reached yet, how to get their personal links:
// linksCommand ("लिंक t8j3dq5" in chat, see ChatLinksCommand; "" says
// nothing).
func (s *Services) StatusReport(ctx context.Context, lang string, t training.Training, by, linksCommand string) (string, error) {
	rows, err := s.Trainings.Rows(ctx, t.ID)
	if err != nil {
		return "", fmt.Errorf("training status: %w", err)
	}
	phones := make([]string, len(rows))
	for i, r := range rows {
		phones[i] = r.Phone
	}
	people, err := s.Roster.People(ctx, phones)
	if err != nil {
		return "", fmt.Errorf("training status: %w", err)
	}
	chans, err := s.Identity.Channels(ctx, phones)
	if err != nil {
		return "", fmt.Errorf("training status: %w", err)
	}
	places := training.ByPlaceReach(t, rows, people, chans, by)
	reach := totalReach(places)
	st := training.Summarize(t, rows)
	parts := []string{s.StatusText(lang, t, st)}
	if len(phones) > 0 {
		parts = append(parts, s.reachLine(lang, reach))
	}
	if len(places) > 1 {
		parts = append(parts, s.placeLines(lang, by, places))
		if st.FeedbackCount > 0 {
			parts = append(parts, s.feedbackLines(lang, by, places))
		}
	}
	if names := silentNames(rows, people, by); len(names) > 0 {
		parts = append(parts, s.silentLine(lang, names))
	}
	if hint := s.linksHint(lang, reach, linksCommand); hint != "" {
		parts = append(parts, hint)
	}
	return strings.Join(parts, "\n"), nil
}

// placeLines writes a breakdown by place, two lines a place: the
// answers, and the reach (ByPlaceReach's).
func (s *Services) placeLines(lang, by string, places []training.PlaceCount) string {
	m := func(id string, d map[string]string) string { return s.Messages.Text(lang, id, d) }
	n := strconv.Itoa
	lines := []string{m("place.by", map[string]string{"level": m("place.level."+by, nil)})}
	for _, pc := range places {
		name := s.placeName(lang, pc.Place)
		attended := ""
		if anyAttended(pc.Attended) {
			days := make([]string, len(pc.Attended))
			for i, a := range pc.Attended {
				days[i] = m("status.day", map[string]string{"n": n(i + 1), "count": n(a)})
			}
			attended = m("place.attended", map[string]string{"days": strings.Join(days, ", ")})
		}
		lines = append(lines, m("place.line", map[string]string{
			"place": name, "invited": n(pc.Invited), "yes": n(pc.Yes), "no": n(pc.No), "maybe": n(pc.Maybe),
			"silent": n(pc.NoAnswer), "attended": attended,
		}), placeIndent+s.reachLine(lang, pc.Reach))
	}
	return strings.Join(lines, "\n")
}

func anyAttended(days []int) bool {
	for _, a := range days {
		if a > 0 {
			return true
		}
	}
	return false
}

// silentNames are the names of the invitees who have not answered, place
// by place at level by as the breakdown has them, then by name (a phone's
// end for one not on the roster, after everyone else).
func silentNames(rows []training.Row, people map[string]roster.Person, by string) []string {
	type silent struct{ place, name string }
	var list []silent
	for _, r := range rows {
		if r.Status != training.StatusInvited {
			continue
		}
		p, ok := people[r.Phone]
		if !ok {
			list = append(list, silent{"\uffff", "…" + r.Phone[max(0, len(r.Phone)-4):]})
			continue
		}
		place := p.At(by)
		if place == "" {
			place = "\ufffe" // places first, as in the breakdown
		}
		list = append(list, silent{place, p.Name})
	}
	slices.SortStableFunc(list, func(a, b silent) int { return cmp.Or(cmp.Compare(a.place, b.place), cmp.Compare(a.name, b.name)) })
	names := make([]string, len(list))
	for i, x := range list {
		names[i] = x.name
	}
	return names
}

// silentLine names those who have not answered, up to maxSilentNames.
func (s *Services) silentLine(lang string, names []string) string {
	shown := names[:min(len(names), maxSilentNames)]
	line := s.Messages.Text(lang, "place.silent", map[string]string{"names": strings.Join(shown, ", ")})
	if more := len(names) - len(shown); more > 0 {
		line += " " + s.Messages.Text(lang, "place.silent_more", map[string]string{"n": strconv.Itoa(more)})
	}
	return line
}
