package services

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// Coverage is how far the trainings starting in [from, upto) (zero: open)
// reach the representatives of scope on the roster, by level (see
// training.CoverageOf). Cancelled trainings do not count.
func (s *Services) Coverage(ctx context.Context, sc roster.Scope, level string, from, upto time.Time) ([]training.CoverageRow, training.CoverageRow, error) {
	// The representatives by place, counted in the index: never the
	// area's people, who are the whole roster for a state's admin.
	census, err := s.Roster.Representatives(ctx, sc, level)
	if err != nil {
		return nil, training.CoverageRow{}, fmt.Errorf("coverage: %w", err)
	}
	all, err := s.Trainings.List(ctx)
	if err != nil {
		return nil, training.CoverageRow{}, fmt.Errorf("coverage: %w", err)
	}
	var ts []training.Training
	rows := map[string][]training.Row{}
	var invitees []string
	seen := map[string]bool{}
	for _, t := range all {
		first := t.First()
		if t.Cancelled || !from.IsZero() && first.Before(from) || !upto.IsZero() && !first.Before(upto) {
			continue
		}
		// Trainings of another place at the scope's level reach nobody in
		// it; those of no one place (or not yet invited) are read.
		if !t.In(sc) && t.Place.Field(sc.Level) != "" {
			continue
		}
		if rows[t.ID], err = s.Trainings.Rows(ctx, t.ID); err != nil {
			return nil, training.CoverageRow{}, fmt.Errorf("coverage: %w", err)
		}
		for _, r := range rows[t.ID] {
			if !seen[r.Phone] {
				seen[r.Phone] = true
				invitees = append(invitees, r.Phone)
			}
		}
		ts = append(ts, t)
	}
	// Where each invitee counts: their records, a page at a time.
	keys := make(map[string][]string, len(invitees))
	for page := range slices.Chunk(invitees, 1000) {
		people, err := s.Roster.People(ctx, page)
		if err != nil {
			return nil, training.CoverageRow{}, fmt.Errorf("coverage: %w", err)
		}
		for phone, p := range people {
			if !p.Participant() {
				continue
			}
			for _, c := range p.CountPlaces(sc, level) {
				keys[phone] = append(keys[phone], c.Key())
			}
		}
	}
	places, total := training.CoverageOf(census, func(phone string) []string { return keys[phone] }, ts, rows)
	return places, total, nil
}

// maxCoverageLines is how many places a coverage message lists.
const maxCoverageLines = 40

// coordCoverage: args arg (a level: विकासखंड, ग्राम पंचायत, …; default
// the one under the caller's scope). The coverage of the caller's area:
// the places with no training planned first, then each place's share
// trained; and the same table as an Excel workbook, base64 in file_data.
// Statuses: ok (coverage_text, file_data, file_name), none (nobody on the
// roster there), forbidden.
func (s *Services) coordCoverage(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	_, sc, ok, err := s.coordinator(ctx, c)
	if err != nil || !ok {
		return result(Forbidden), err
	}
	level := sc.Below()
	if l, ok := parseCoverageLevel(c.Args["arg"]); ok {
		level = l
	}
	places, total, err := s.Coverage(ctx, sc, level, time.Time{}, time.Time{})
	if err != nil {
		return flows.CallResult{}, err
	}
	if total.People == 0 {
		return result(None), nil
	}
	// The same figures in Excel, every place: the message lists at most
	// maxCoverageLines.
	lang := c.Lang
	if lang != "en" {
		lang = "hi"
	}
	var buf bytes.Buffer
	if err := training.WriteCoverageXLSX(&buf, lang, level, s.text(c, "coverage.sheet", nil), places, total); err != nil {
		return flows.CallResult{}, fmt.Errorf("coverage sheet: %w", err)
	}
	return result(OK, "coverage_text", s.CoverageText(c.Lang, sc, level, places, total),
		"file_data", base64.StdEncoding.EncodeToString(buf.Bytes()),
		"file_name", "saathi-coverage-"+c.Now.In(locales.IST).Format("2006-01-02")+".xlsx"), nil
}

// parseCoverageLevel reads the level a coordinator asks coverage by.
func parseCoverageLevel(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return "", false
	case "gp", "ग्राम पंचायत", "पंचायत", "ग्राम पंचायतें", "panchayat":
		return roster.LevelBody, true
	}
	return roster.ParseLevel(s)
}

// CoverageText writes coverage for a chat, in lang: a head, the places
// with no training planned on one line, then a line for each other place
// (at most maxCoverageLines), then the total.
func (s *Services) CoverageText(lang string, sc roster.Scope, level string, places []training.CoverageRow, total training.CoverageRow) string {
	m := func(id string, d map[string]string) string { return s.Messages.Text(lang, id, d) }
	scope := sc.Value
	if sc.Level == roster.LevelAll {
		scope = m("coverage.everywhere", nil)
	}
	lines := []string{m("coverage.head", map[string]string{"scope": scope, "level": m("coverage.level_"+level, nil)})}
	var none []string
	shown := 0
	for _, p := range places {
		if p.Planned == 0 {
			none = append(none, placeName(p))
			continue
		}
		if shown++; shown > maxCoverageLines {
			continue
		}
		lines = append(lines, m("coverage.line", coverageVars(p, placeName(p))))
	}
	if len(none) > 0 {
		lines = append(lines[:1], append([]string{m("coverage.unplanned", map[string]string{"n": strconv.Itoa(len(none)), "places": strings.Join(none, ", ")})}, lines[1:]...)...)
	}
	if shown > maxCoverageLines {
		lines = append(lines, m("coverage.more", map[string]string{"n": strconv.Itoa(shown - maxCoverageLines)}))
	}
	lines = append(lines, m("coverage.total", coverageVars(total, "")))
	return strings.Join(lines, "\n")
}

func placeName(p training.CoverageRow) string {
	if p.Place == "" {
		return "—"
	}
	return p.Place
}

func coverageVars(p training.CoverageRow, place string) map[string]string {
	n := strconv.Itoa
	return map[string]string{
		"place": place, "people": n(p.People), "planned": n(p.Planned), "invited": n(p.Invited),
		"confirmed": n(p.Confirmed), "attended": n(p.Attended), "share": strconv.FormatFloat(p.Share(), 'f', 0, 64),
	}
}
