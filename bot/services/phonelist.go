package services

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store/roster"
)

// MaxListRows bounds the rows of a list of phones sent in chat: the list
// is carried in the conversation until the message is sent.
const MaxListRows = 2000

// Of a list of phones, its report names the first listNames people found
// and the first listProblems problems.
const (
	listNames    = 5
	listProblems = 20
)

// audienceReadList: args file_id, file_name. A coordinator's sheet (Excel
// or CSV) with a column of mobile numbers, as the audience of a broadcast
// or the invitees of a new training: each number is looked up by phone
// and kept when it is a person of the caller's area. Statuses: ok
// (list_phones: the people's phones, "|" between them; list_count;
// report: how many, the first names, the problems by line), none
// (report: nobody of the list can be reached), forbidden, unreadable,
// empty, no_column (reason), too_big (reason).
func (s *Services) audienceReadList(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, sc, data, refused, err := s.coordinatorSheet(ctx, c)
	if err != nil || refused != nil {
		return *refused, err
	}
	limits := s.ImportLimits
	if limits.MaxRows <= 0 || limits.MaxRows > MaxListRows {
		limits.MaxRows = MaxListRows
	}
	lines, err := limits.Phones(bytes.NewReader(data), c.Args["file_name"])
	var le *roster.LimitError
	var nc *roster.NoPhoneColumnError
	switch {
	case errors.As(err, &le):
		s.Logger.Info("phone list refused", "by", maskPhone(me.Phone), "limit", le.Kind, "err", err)
		return result(TooBig, "reason", s.limitText(c, le)), nil
	case errors.Is(err, roster.ErrEmptyFile):
		return result("empty"), nil
	case errors.As(err, &nc) && nc.Columns > 1:
		return result("no_column", "reason", s.text(c, "audience.many_columns", map[string]string{"n": strconv.Itoa(nc.Columns)})), nil
	case errors.As(err, &nc):
		return result("no_column", "reason", s.text(c, "audience.no_column", nil)), nil
	case err != nil:
		return result("unreadable"), nil
	}
	var phones []string
	for _, l := range lines {
		if l.Phone != "" && l.First == 0 {
			phones = append(phones, l.Phone)
		}
	}
	people, err := s.Roster.People(ctx, phones)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("read phone list: %w", err)
	}
	var found []roster.Person
	var problems []string
	problem := func(l roster.PhoneLine, id string) {
		problems = append(problems, s.text(c, id, map[string]string{"line": strconv.Itoa(l.Line), "cell": l.Cell, "first": strconv.Itoa(l.First)}))
	}
	for _, l := range lines {
		p, known := people[l.Phone]
		switch {
		case l.Unread:
			problem(l, "audience.line_unread")
		case l.Phone == "" && l.Cell == "":
			problem(l, "audience.line_no_number")
		case l.Phone == "":
			problem(l, "audience.line_not_number")
		case l.First > 0:
			problem(l, "audience.line_repeated")
		case !known:
			problem(l, "audience.line_unknown")
		case !sc.Contains(p):
			problem(l, "audience.line_outside")
		default:
			found = append(found, p)
		}
	}
	s.Logger.Info("phone list read", "by", maskPhone(me.Phone), "lines", len(lines), "found", len(found), "problems", len(problems))
	report := s.listReport(c, found, problems)
	if len(found) == 0 {
		return result(None, "report", report), nil
	}
	list := make([]string, len(found))
	for i, p := range found {
		list[i] = p.Phone
	}
	return result(OK, "list_phones", strings.Join(list, "|"), "list_count", strconv.Itoa(len(found)), "report", report), nil
}

// listReport says what a list of phones gave: how many people, the first
// few names, and the problems by line.
func (s *Services) listReport(c flows.Call, found []roster.Person, problems []string) string {
	names := make([]string, 0, listNames)
	for _, p := range found[:min(len(found), listNames)] {
		names = append(names, p.Name)
	}
	more := ""
	if len(found) > listNames {
		more = strconv.Itoa(len(found) - listNames)
	}
	report := s.text(c, "audience.found", map[string]string{"count": strconv.Itoa(len(found)), "names": strings.Join(names, ", "), "more": more})
	if len(problems) > 0 {
		report += "\n\n" + s.text(c, "audience.problems", map[string]string{"n": strconv.Itoa(len(problems))}) + "\n" +
			strings.Join(problems[:min(len(problems), listProblems)], "\n")
		if len(problems) > listProblems {
			report += "\n" + s.text(c, "audience.more_problems", map[string]string{"n": strconv.Itoa(len(problems) - listProblems)})
		}
	}
	return report
}

// audienceChosen: args designation. Whether the coordinator chose to send
// a list (the last item coord.designations offers) rather than a
// designation. Statuses: list, other.
func (s *Services) audienceChosen(_ context.Context, c flows.Call) (flows.CallResult, error) {
	if s.isListChoice(c.Args["designation"]) {
		return result("list"), nil
	}
	return result("other"), nil
}

// isListChoice tells whether an answer is the "send a list" item, in
// either language.
func (s *Services) isListChoice(answer string) bool {
	answer = strings.TrimSpace(answer)
	for _, lang := range []string{"hi", "en"} {
		if answer != "" && answer == s.Messages.Text(lang, "audience.send_list", nil) {
			return true
		}
	}
	return false
}

// listFilter is the filter of the people of a list of phones ("|" between
// them), kept to scope sc.
func listFilter(sc roster.Scope, phones string) string {
	f := "phone=" + strings.TrimSpace(phones)
	if sc.Level != roster.LevelAll {
		f += "," + sc.Level + "=" + sc.Value
	}
	return f
}
