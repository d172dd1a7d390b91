package services

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/match"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/events"
	"github.com/saathi-bot/saathi/store/roster"
)

// Survey follow-up: calls any survey flow can use to turn its records
// into cases that close (the JJM problem report is one): a place chosen
// from the roster, a number of its own for each record, the coordinators
// of the place told of a new one, its status set with a note, and the
// reporter told. Message ids are the survey's, by record kind:
// record.<kind>.notice (to the coordinators), record.<kind>.line (one
// record in a list), record.<kind>.update (to the reporter); their data
// are the record's fields.

// Record statuses.
const (
	RecordNew        = "new"
	RecordInProgress = "in_progress"
	RecordResolved   = "resolved"
)

// maxPlaceChoices bounds the places offered to choose from.
const maxPlaceChoices = 20

// maxRecordLines bounds the records listed in chat.
const maxRecordLines = 15

// area is the geography a person's survey answers may be about: a
// coordinator's scope, an admin's everything, else the person's own
// division (their district when the roster gives no division).
func area(p roster.Person) (roster.Scope, bool) {
	if sc, ok := p.Scope(); ok {
		return sc, true
	}
	switch {
	case p.Division != "":
		return roster.Scope{Level: roster.LevelDivision, Value: p.Division}, true
	case p.District != "":
		return roster.Scope{Level: roster.LevelDistrict, Value: p.District}, true
	}
	return roster.Scope{}, false
}

// placeLevel reads a geography level argument (default district).
func placeLevel(s string) (string, bool) {
	if s == "" {
		return roster.LevelDistrict, true
	}
	switch s {
	case roster.LevelDivision, roster.LevelDistrict, roster.LevelBlock, roster.LevelBody:
		return s, true
	}
	return "", false
}

// placeChoices: args level (district by default; division, block or
// body), field (the field a single place is given in, "place" by
// default). The places of that level on the roster inside the caller's area
// (area), by name, so that a survey's answer names a place as the roster
// writes it. Statuses: one (place), many (places: "|" between them), none
// (no place, or the caller is nobody on the roster), too_many (more than
// 20: the flow asks for the name as text).
func (s *Services) placeChoices(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	level, ok := placeLevel(c.Args["level"])
	if !ok {
		return flows.CallResult{}, fmt.Errorf("place.choices: level %q is not division, district, block or body", c.Args["level"])
	}
	me, ok, err := s.caller(ctx, c)
	if err != nil || !ok {
		return result(None), err
	}
	sc, ok := area(me)
	if !ok {
		return result(None), nil
	}
	names, err := s.Roster.PlacesIn(ctx, sc, level)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("place.choices: %w", err)
	}
	seen := map[string]bool{}
	var places []string
	for _, v := range names {
		v = strings.TrimSpace(v)
		if v == "" || seen[match.Normalize(v)] {
			continue
		}
		seen[match.Normalize(v)] = true
		places = append(places, v)
	}
	slices.Sort(places)
	switch {
	case len(places) == 0:
		return result(None), nil
	case len(places) == 1:
		return result("one", cmp.Or(c.Args["field"], "place"), places[0]), nil
	case len(places) > maxPlaceChoices:
		return result("too_many"), nil
	}
	return result("many", "places", strings.Join(places, "|")), nil
}

// MaxSurveyFile bounds a file kept for a survey.
const MaxSurveyFile = store.MaxKeptFile

// fileKeep: args file_id (the channel's id of a file the person sent).
// The file is downloaded and kept with no end, so that the survey's export
// can give it (the channel's id is of no use outside the chat). Statuses:
// ok (file_ref: the kept file's id), none (no file), too_big, unreadable
// (the channel would not give it: the survey goes on without).
func (s *Services) fileKeep(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	id := strings.TrimSpace(c.Args["file_id"])
	if id == "" {
		return result(None), nil
	}
	if store.IsFileRef(id) { // kept already (a file sent again from another channel)
		return result(OK, "file_ref", id), nil
	}
	dl := s.Files[c.Channel]
	if dl == nil || s.KeptFiles == nil {
		return result("unreadable"), nil
	}
	data, err := dl.Download(ctx, id, MaxSurveyFile)
	if errors.Is(err, bot.ErrFileTooLarge) {
		return result(TooBig), nil
	}
	if err != nil {
		s.Logger.Warn("survey file not downloaded", "channel", c.Channel, "err", err)
		return result("unreadable"), nil
	}
	ref, err := s.KeptFiles.Keep(ctx, data)
	if errors.Is(err, store.ErrFileTooLarge) {
		return result(TooBig), nil
	}
	if err != nil {
		return flows.CallResult{}, err
	}
	return result(OK, "file_ref", ref), nil
}

// records is the follow-up store of the records flows save.
func (s *Services) records() *store.Records { return store.NewRecords(s.Redis) }

// validKind tells a record kind that may be part of a key: letters,
// digits and _.
func validKind(k string) bool {
	return k != "" && len(k) <= 40 && strings.IndexFunc(k, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) < 0
}

// recordNumber: args kind. The next number of that kind's records, for
// the record's key (save_record key "{{.number}}"), so that every report
// is a record of its own. Statuses: ok (number).
func (s *Services) recordNumber(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	kind := c.Args["kind"]
	if !validKind(kind) {
		return flows.CallResult{}, fmt.Errorf("record.number: kind %q", kind)
	}
	n, err := s.records().NextNumber(ctx, kind)
	if err != nil {
		return flows.CallResult{}, err
	}
	return result(OK, "number", strconv.FormatInt(n, 10)), nil
}

// placePerson is a person standing at the place named at level, as the
// roster places it (the division of a district …), for scope checks; a
// place nobody on the roster is at stands alone.
func (s *Services) placePerson(ctx context.Context, level, name string) (roster.Person, error) {
	p, ok, err := s.Roster.Where(ctx, level, name)
	if err != nil || ok {
		return p, err
	}
	switch level {
	case roster.LevelDivision:
		p.Division = name
	case roster.LevelDistrict:
		p.District = name
	case roster.LevelBlock:
		p.Block = name
	case roster.LevelBody:
		p.Body = name
	}
	return p, nil
}

// langOf is the language a person reads: their roster's, else Hindi.
func (s *Services) langOf(p roster.Person) string {
	if p.Language != "" && slices.Contains(s.Messages.Languages(), p.Language) {
		return p.Language
	}
	return "hi"
}

// noticeEvent is a message to one person through the notice flow; its id
// is stable, so publishing it again delivers it once.
func noticeEvent(id, phone, text string) events.Event {
	return events.Event{ID: id, Phone: phone, Flow: "notice", Vars: map[string]string{"text": text}}
}

// recordNotify: args kind, number, place (the record's place, e.g. its
// district), place_level (district by default), to (the level of the
// coordinators to tell: division by default), and the record's fields as
// the notice shows them. Every coordinator whose scope is at level to and
// holds the place gets record.<kind>.notice in their language (the admins
// when there is none). Statuses: ok (told: how many).
//
// An arg <field>_msg is a message id: <field> is its text in each
// coordinator's language (kind_label_msg: jjm.kind_quality gives the
// kind's label in theirs, not the reporter's).
func (s *Services) recordNotify(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	kind, number := c.Args["kind"], c.Args["number"]
	level, ok1 := placeLevel(c.Args["place_level"])
	to, ok2 := placeLevel(cmp.Or(c.Args["to"], roster.LevelDivision))
	if !validKind(kind) || number == "" || !ok1 || !ok2 {
		return flows.CallResult{}, fmt.Errorf("record.notify: kind %q, number %q, place_level %q, to %q", kind, number, c.Args["place_level"], c.Args["to"])
	}
	at, err := s.placePerson(ctx, level, c.Args["place"])
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("record.notify: %w", err)
	}
	coords, err := s.Roster.CoordinatorsOf(ctx, at)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("record.notify: %w", err)
	}
	to1 := slices.DeleteFunc(coords, func(p roster.Person) bool {
		sc, _ := p.Scope()
		return sc.Level != to
	})
	if len(to1) == 0 {
		if to1, err = s.Roster.Admins(ctx); err != nil {
			return flows.CallResult{}, fmt.Errorf("record.notify: %w", err)
		}
	}
	evs := make([]events.Event, 0, len(to1))
	for _, p := range to1 {
		lang := s.langOf(p)
		text := s.Messages.Text(lang, "record."+kind+".notice", inLanguage(s.Messages, lang, c.Args))
		evs = append(evs, noticeEvent("record:"+kind+":"+number+":new:"+p.Phone, p.Phone, text))
	}
	if err := s.publish(ctx, evs...); err != nil {
		return flows.CallResult{}, err
	}
	return result(OK, "told", strconv.Itoa(len(evs))), nil
}

// followUp is a coordinator's view of kind's records: those whose place
// (the field place_field, at place_level) is in their scope.
type followUp struct {
	me    roster.Person
	sc    roster.Scope
	kind  string
	field string
	level string
	// places are the places looked up already, by name: a list of records
	// names few places, each read once.
	places map[string]roster.Person
}

// followUpFor checks the caller may follow kind's records up: refused is
// Forbidden for someone who is no coordinator.
func (s *Services) followUpFor(ctx context.Context, c flows.Call) (followUp, string, error) {
	f := followUp{kind: c.Args["kind"], field: cmp.Or(c.Args["place_field"], "district")}
	level, ok := placeLevel(c.Args["place_level"])
	if !validKind(f.kind) || !ok {
		return f, "", fmt.Errorf("record follow-up: kind %q, place_level %q", f.kind, c.Args["place_level"])
	}
	f.level = level
	me, sc, ok, err := s.coordinator(ctx, c)
	if err != nil || !ok {
		return f, Forbidden, err
	}
	f.me, f.sc, f.places = me, sc, map[string]roster.Person{}
	return f, "", nil
}

// mine tells whether a record's place is in the coordinator's scope.
func (s *Services) mine(ctx context.Context, f followUp, rec map[string]string) (bool, error) {
	if f.sc.Level == roster.LevelAll {
		return true, nil
	}
	name := rec[f.field]
	at, ok := f.places[name]
	if !ok {
		var err error
		if at, err = s.placePerson(ctx, f.level, name); err != nil {
			return false, fmt.Errorf("record follow-up: %w", err)
		}
		f.places[name] = at
	}
	return f.sc.Contains(at), nil
}

// statusData are a record's fields with its status's label in lang.
func (s *Services) statusData(lang string, rec map[string]string) map[string]string {
	data := make(map[string]string, len(rec)+1)
	for k, v := range rec {
		data[k] = v
	}
	st := cmp.Or(rec["status"], RecordNew)
	data["status"] = st
	data["status_label"] = s.Messages.Text(lang, "record.status_"+st, nil)
	return data
}

// recordOpen: args kind, arg (a record's number, or ""), place_field
// (district by default), place_level. With a number: that record, if its
// place is in the caller's scope. Without: the records of their scope not
// resolved, newest first. Statuses: one (number, record_text: the record
// as record.<kind>.line writes it, status), list (list_text, n), none (no
// open record), not_found (no such record in their scope), forbidden.
func (s *Services) recordOpen(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	f, refused, err := s.followUpFor(ctx, c)
	if err != nil || refused != "" {
		return result(refused), err
	}
	if arg := digits(c.Args["arg"]); arg != "" {
		rec, err := s.records().Get(ctx, f.kind, arg)
		if err != nil {
			return flows.CallResult{}, err
		}
		if rec == nil {
			return result(NotFound, "number", arg), nil
		}
		if ok, err := s.mine(ctx, f, rec); err != nil || !ok {
			return result(NotFound, "number", arg), err
		}
		data := s.statusData(c.Lang, rec)
		data["number"] = arg
		return result("one", "number", arg, "status", data["status"], "record_text", s.text(c, "record."+f.kind+".line", data)), nil
	}
	all, err := s.records().All(ctx, f.kind)
	if err != nil {
		return flows.CallResult{}, err
	}
	keys := make([]string, 0, len(all))
	for k, rec := range all {
		if rec["status"] == RecordResolved {
			continue
		}
		ok, err := s.mine(ctx, f, rec)
		if err != nil {
			return flows.CallResult{}, err
		}
		if ok {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return result(None), nil
	}
	slices.SortFunc(keys, func(a, b string) int { // newest first
		if store.KeyLess(b, a) {
			return -1
		}
		return 1
	})
	var lines []string
	for _, k := range keys[:min(len(keys), maxRecordLines)] {
		data := s.statusData(c.Lang, all[k])
		data["number"] = k
		lines = append(lines, s.text(c, "record."+f.kind+".line", data))
	}
	return result("list", "list_text", strings.Join(lines, "\n"), "n", strconv.Itoa(len(keys))), nil
}

// recordStatus: args kind, number, status (in_progress|resolved), note,
// place_field, place_level. The caller sets a record of their scope in
// progress or resolved with a note (kept with who and when, every change
// in the record's log), and its reporter (the record's person) is told
// with record.<kind>.update in their language. Statuses: ok, invalid, not_found,
// forbidden.
func (s *Services) recordStatus(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	f, refused, err := s.followUpFor(ctx, c)
	if err != nil || refused != "" {
		return result(refused), err
	}
	number, st, note := digits(c.Args["number"]), c.Args["status"], strings.TrimSpace(c.Args["note"])
	if number == "" || (st != RecordInProgress && st != RecordResolved) {
		return result(Invalid), nil
	}
	rec, err := s.records().Get(ctx, f.kind, number)
	if err != nil {
		return flows.CallResult{}, err
	}
	if rec == nil {
		return result(NotFound), nil
	}
	if ok, err := s.mine(ctx, f, rec); err != nil || !ok {
		return result(NotFound), err
	}
	change := map[string]string{
		"status": st, "status_note": note, "status_by": f.me.Phone, "status_by_name": f.me.Name,
		"status_at": c.Now.UTC().Format("2006-01-02T15:04:05Z07:00"),
	}
	if st == RecordResolved {
		change["resolution"] = note
	}
	ok, err := s.records().Update(ctx, f.kind, number, change)
	if err != nil {
		return flows.CallResult{}, err
	}
	if !ok {
		return result(NotFound), nil
	}
	for k, v := range change {
		rec[k] = v
	}
	if phone := rec["person"]; phone != "" {
		p, _, err := s.Roster.Get(ctx, phone)
		if err != nil {
			return flows.CallResult{}, fmt.Errorf("read reporter: %w", err)
		}
		lang := s.langOf(p)
		data := s.statusData(lang, rec)
		data["number"], data["when"] = number, locales.DateTime(lang, c.Now, c.Now)
		ev := noticeEvent("record:"+f.kind+":"+number+":"+st+":"+strconv.FormatInt(c.Now.UnixMilli(), 10), phone, s.Messages.Text(lang, "record."+f.kind+".update", data))
		if err := s.publish(ctx, ev); err != nil {
			return flows.CallResult{}, err
		}
	}
	s.Logger.Info("record status", "kind", f.kind, "number", number, "status", st, "by", maskPhone(f.me.Phone))
	return result(OK, "number", number, "status_words", s.text(c, "record.status_"+st, nil)), nil
}
