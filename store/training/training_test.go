package training

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/storetest"
)

// ist is a time in IST.
func ist(month time.Month, day, hour, min int) time.Time {
	return time.Date(2026, month, day, hour, min, 0, 0, locales.IST)
}

func newStore(t *testing.T) *Store {
	t.Helper()
	return New(storetest.Redis(t, storetest.DBTraining, nil))
}

// twoDays is a valid spec: 5 and 6 December 2026, 10:00 to 17:00 IST.
func twoDays() Spec {
	lat, lon := 26.8467, 80.9462
	return Spec{
		Title: "अमृत 2.0 प्रशिक्षण", Topic: "जल आपूर्ति", Venue: "क्षेत्रीय नगर एवं पर्यावरण अध्ययन केंद्र, लखनऊ",
		Lat: &lat, Lon: &lon, Start: "2026-12-05T10:00", Days: 2, Batch: "चरण 1",
		Modules: SplitList("जल आपूर्ति, सीवेज,,बजट,सीवेज"), Invite: "role=sabhasad,body=नगर पंचायत अनपरा",
	}
}

// create stores a training made from spec with the given capacity.
func create(t *testing.T, s *Store, spec Spec, capacity int) Training {
	t.Helper()
	spec.Capacity = capacity
	tr, err := spec.Training()
	if err != nil {
		t.Fatal(err)
	}
	tr.CreatedBy = "cli"
	tr, err = s.Create(context.Background(), tr)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// phones makes n distinct E.164 phones.
func phones(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("+9190181%05d", i)
	}
	return out
}

// fields lists the Field of every FieldError in err.
func fieldsOf(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if fe, ok := e.(*FieldError); ok {
			out = append(out, fe.Field)
			return
		}
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		if u := errors.Unwrap(e); u != nil {
			walk(u)
		}
	}
	walk(err)
	sort.Strings(out)
	return out
}

func TestSpecTraining(t *testing.T) {
	tr, err := twoDays().Training()
	if err != nil {
		t.Fatal(err)
	}
	wantDays := []Day{{ist(12, 5, 10, 0), ist(12, 5, 17, 0)}, {ist(12, 6, 10, 0), ist(12, 6, 17, 0)}}
	if !reflect.DeepEqual(tr.Days, wantDays) {
		t.Errorf("days = %v, want %v", tr.Days, wantDays)
	}
	if want := []string{"जल आपूर्ति", "सीवेज", "बजट"}; !reflect.DeepEqual(tr.Modules, want) {
		t.Errorf("modules = %q, want %q", tr.Modules, want)
	}
	if tr.Radius != DefaultRadius || !tr.HasLocation || tr.Lat != 26.8467 || tr.Capacity != 0 {
		t.Errorf("radius %d, location %v %v, capacity %d", tr.Radius, tr.HasLocation, tr.Lat, tr.Capacity)
	}

	custom := twoDays()
	custom.Start, custom.Days, custom.End, custom.Radius, custom.Lat, custom.Lon = "2026-12-31 09:30", 3, "13:15", 150, nil, nil
	tr, err = custom.Training()
	if err != nil {
		t.Fatal(err)
	}
	wantDays = []Day{{ist(12, 31, 9, 30), ist(12, 31, 13, 15)}, {time.Date(2027, 1, 1, 9, 30, 0, 0, locales.IST), time.Date(2027, 1, 1, 13, 15, 0, 0, locales.IST)}, {time.Date(2027, 1, 2, 9, 30, 0, 0, locales.IST), time.Date(2027, 1, 2, 13, 15, 0, 0, locales.IST)}}
	if !reflect.DeepEqual(tr.Days, wantDays) || tr.Radius != 150 || tr.HasLocation {
		t.Errorf("custom: days %v radius %d location %v", tr.Days, tr.Radius, tr.HasLocation)
	}

	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name   string
		change func(*Spec)
		fields []string
	}{
		{"no title", func(s *Spec) { s.Title = "  " }, []string{"title"}},
		{"no venue", func(s *Spec) { s.Venue = "" }, []string{"venue"}},
		{"no start", func(s *Spec) { s.Start = "" }, []string{"start"}},
		{"start not a date", func(s *Spec) { s.Start = "5 दिसंबर" }, []string{"start"}},
		{"start without time", func(s *Spec) { s.Start = "2026-12-05" }, []string{"start"}},
		{"negative days", func(s *Spec) { s.Days = -1 }, []string{"days"}},
		{"too many days", func(s *Spec) { s.Days = MaxDays + 1 }, []string{"days"}},
		{"end not a time", func(s *Spec) { s.End = "5pm" }, []string{"end"}},
		{"end before start", func(s *Spec) { s.End = "09:00" }, []string{"end"}},
		{"end at start", func(s *Spec) { s.End = "10:00" }, []string{"end"}},
		{"negative capacity", func(s *Spec) { s.Capacity = -3 }, []string{"capacity"}},
		{"negative radius", func(s *Spec) { s.Radius = -1 }, []string{"radius"}},
		{"lat without lon", func(s *Spec) { s.Lon = nil }, []string{"lat"}},
		{"lat out of range", func(s *Spec) { s.Lat = f(91) }, []string{"lat"}},
		{"lon out of range", func(s *Spec) { s.Lon = f(-181) }, []string{"lon"}},
		{"all problems at once", func(s *Spec) { s.Title, s.Start, s.Capacity = "", "kal", -1 }, []string{"capacity", "start", "title"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := twoDays()
			tc.change(&s)
			_, err := s.Training()
			if err == nil {
				t.Fatal("no error")
			}
			if got := fieldsOf(err); !reflect.DeepEqual(got, tc.fields) {
				t.Errorf("fields in error = %q, want %q (error: %v)", got, tc.fields, err)
			}
		})
	}
}

func TestLoadYAML(t *testing.T) {
	const file = `
- title: अमृत 2.0 प्रशिक्षण
  topic: जल आपूर्ति
  venue: लखनऊ
  lat: 26.8467
  lon: 80.9462
  start: 2026-12-05T10:00
  days: 2
  batch: चरण 1
  capacity: 8
  modules: [जल आपूर्ति, सीवेज, बजट]
  invite: "role=sabhasad,body=नगर पंचायत अनपरा"
- title: कर्मयोगी कार्यशाला
  venue: वाराणसी
  start: "2026-11-20 11:00"
  end: 16:30
  radius: 500
---
title: RGSA प्रधान प्रशिक्षण
venue: गोरखपुर
start: 2027-01-10T10:00:00
`
	ts, err := LoadYAML(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 3 {
		t.Fatalf("got %d trainings, want 3", len(ts))
	}
	a, b, c := ts[0], ts[1], ts[2]
	if a.Title != "अमृत 2.0 प्रशिक्षण" || a.Capacity != 8 || len(a.Days) != 2 || !a.HasLocation || a.Lon != 80.9462 ||
		!reflect.DeepEqual(a.Modules, []string{"जल आपूर्ति", "सीवेज", "बजट"}) || a.Invite != "role=sabhasad,body=नगर पंचायत अनपरा" || a.Batch != "चरण 1" {
		t.Errorf("first training = %+v", a)
	}
	if !a.Days[1].End.Equal(ist(12, 6, 17, 0)) {
		t.Errorf("first training ends %v, want 6 Dec 17:00 IST (default end)", a.Days[1].End)
	}
	if want := (Day{ist(11, 20, 11, 0), ist(11, 20, 16, 30)}); len(b.Days) != 1 || !b.Days[0].Start.Equal(want.Start) || !b.Days[0].End.Equal(want.End) || b.Radius != 500 {
		t.Errorf("second training days %v radius %d, want [%v] 500", b.Days, b.Radius, want)
	}
	if !c.First().Equal(time.Date(2027, 1, 10, 10, 0, 0, 0, locales.IST)) || c.Radius != DefaultRadius {
		t.Errorf("third training starts %v radius %d", c.First(), c.Radius)
	}

	bad := []struct {
		name, yaml string
		want       []string // substrings of the error
	}{
		{"unknown key", "title: x\nvenue: y\nstart: 2026-12-05T10:00\ntitel: z\n", []string{"training 1", "titel", "line 4"}},
		{"bad start in the second", "- {title: a, venue: v, start: 2026-12-05T10:00}\n- {title: b, venue: v, start: tomorrow}\n", []string{"training 2", "start", "tomorrow"}},
		{"both bad", "- {venue: v, start: 2026-12-05T10:00}\n- {title: b, venue: v, start: 2026-12-05T10:00, capacity: -1}\n", []string{"training 1", "title", "training 2", "capacity"}},
		{"wrong type", "title: x\nvenue: y\nstart: 2026-12-05T10:00\ndays: two\n", []string{"training 1"}},
		{"not a mapping", "- just a string\n", []string{"line 1", "mapping"}},
		{"scalar document", "hello\n", []string{"want a training"}},
		{"empty", "", []string{"no trainings"}},
		{"syntax", "title: [unclosed\n", []string{"read trainings yaml"}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadYAML(strings.NewReader(tc.yaml))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestCreateGetListUpdate(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	later := create(t, s, twoDays(), 8)
	early := twoDays()
	early.Start, early.Title = "2026-11-01T10:00", "पहले वाला"
	first := create(t, s, early, 0)

	for _, tr := range []Training{later, first} {
		if !ValidID(tr.ID) || len(tr.Secret) != 32 {
			t.Errorf("id %q secret %q", tr.ID, tr.Secret)
		}
	}
	if later.ID == first.ID || later.Secret == first.Secret {
		t.Error("two trainings share an id or a secret")
	}
	got, ok, err := s.Get(ctx, later.ID)
	if err != nil || !ok {
		t.Fatalf("get: %v %v", ok, err)
	}
	if !reflect.DeepEqual(got, later) {
		t.Errorf("get = %+v\nwant  %+v", got, later)
	}
	for _, id := range []string{"t000000", "tabc", "x}:*", ""} {
		if _, ok, err := s.Get(ctx, id); ok || err != nil {
			t.Errorf("get %q: ok %v err %v", id, ok, err)
		}
	}

	list, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != first.ID || list[1].ID != later.ID {
		t.Errorf("list is not by first day: %v", list)
	}

	// Update: move the later one before the first, cancel it; an empty
	// secret keeps the stored one.
	moved := later
	moved.Secret, moved.Capacity, moved.Cancelled = "", 3, true
	moved.Days = []Day{{ist(10, 1, 10, 0), ist(10, 1, 17, 0)}}
	if err := s.Update(ctx, moved); err != nil {
		t.Fatal(err)
	}
	got, _, _ = s.Get(ctx, later.ID)
	if got.Secret != later.Secret || got.Capacity != 3 || !got.Cancelled || !got.First().Equal(ist(10, 1, 10, 0)) {
		t.Errorf("after update: %+v", got)
	}
	list, _ = s.List(ctx)
	if len(list) != 2 || list[0].ID != later.ID {
		t.Errorf("list after moving: %v", list)
	}

	missing := later
	missing.ID = "t000000"
	if err := s.Update(ctx, missing); !errors.Is(err, ErrNotFound) {
		t.Errorf("update unknown: %v, want ErrNotFound", err)
	}
	invalid := later
	invalid.Days = nil
	if err := s.Update(ctx, invalid); err == nil || !reflect.DeepEqual(fieldsOf(err), []string{"days"}) {
		t.Errorf("update without days: %v", err)
	}
	if _, err := s.Create(ctx, Training{Days: wantOneDay()}); err == nil || !reflect.DeepEqual(fieldsOf(err), []string{"title", "venue"}) {
		t.Errorf("create without title and venue: %v", err)
	}
}

func wantOneDay() []Day { return []Day{{ist(12, 5, 10, 0), ist(12, 5, 17, 0)}} }

func TestInvite(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	tr := create(t, s, twoDays(), 0)
	other := create(t, s, twoDays(), 0)
	p := phones(3)
	p[0], p[2] = p[2], p[0] // invitation order is not the sorted order

	added, err := s.Invite(ctx, tr.ID, p[:2])
	if err != nil || !reflect.DeepEqual(added, p[:2]) {
		t.Fatalf("first invite: %q %v", added, err)
	}
	added, err = s.Invite(ctx, tr.ID, []string{p[1], p[2], p[2], p[0]})
	if err != nil || !reflect.DeepEqual(added, []string{p[2]}) {
		t.Fatalf("second invite: added %q (%v), want only %q", added, err, p[2])
	}
	if _, err := s.Answer(ctx, tr.ID, p[0], StatusYes, "", ist(12, 1, 9, 0)); err != nil {
		t.Fatal(err)
	}
	if added, err := s.Invite(ctx, tr.ID, p); err != nil || len(added) != 0 {
		t.Fatalf("invite again: %q %v", added, err)
	}
	got, err := s.Invitees(ctx, tr.ID)
	want := map[string]string{p[0]: StatusYes, p[1]: StatusInvited, p[2]: StatusInvited}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("invitees = %v %v, want %v (re-inviting must not reset an answer)", got, err, want)
	}
	rows, _ := s.Rows(ctx, tr.ID)
	var order []string
	for _, r := range rows {
		order = append(order, r.Phone)
	}
	if !reflect.DeepEqual(order, p) {
		t.Errorf("rows in order %q, want invitation order %q", order, p)
	}

	if _, err := s.Invite(ctx, other.ID, p[1:2]); err != nil {
		t.Fatal(err)
	}
	for phone, wantIDs := range map[string][]string{p[0]: {tr.ID}, p[1]: {tr.ID, other.ID}, "+919999999999": nil} {
		ts, err := s.ForPerson(ctx, phone)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, x := range ts {
			ids = append(ids, x.ID)
		}
		sort.Strings(ids)
		sort.Strings(wantIDs)
		if !reflect.DeepEqual(ids, wantIDs) {
			t.Errorf("for person %d: %q, want %q", len(wantIDs), ids, wantIDs)
		}
	}

	if _, err := s.Invite(ctx, tr.ID, []string{"9018159083"}); err == nil || strings.Contains(err.Error(), "9018159083") {
		t.Errorf("invite a non-E.164 phone: %v (want an error that does not show the number)", err)
	}
	if _, err := s.Invite(ctx, "t000000", p); !errors.Is(err, ErrNotFound) {
		t.Errorf("invite to unknown training: %v", err)
	}
	if _, err := s.Invitees(ctx, "t000000"); !errors.Is(err, ErrNotFound) {
		t.Errorf("invitees of unknown training: %v", err)
	}
	other.Cancelled = true
	if err := s.Update(ctx, other); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Invite(ctx, other.ID, p); !errors.Is(err, ErrCancelled) {
		t.Errorf("invite to cancelled training: %v", err)
	}
}

func TestAnswer(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	tr := create(t, s, twoDays(), 2)
	p := phones(6)
	a, b, c, d, e, outsider := p[0], p[1], p[2], p[3], p[4], p[5]
	if _, err := s.Invite(ctx, tr.ID, p[:5]); err != nil {
		t.Fatal(err)
	}
	at := func(minute int) time.Time { return ist(12, 1, 10, minute) }
	steps := []struct {
		name                  string
		phone, answer, reason string
		now                   time.Time
		want                  Outcome
		err                   error
	}{
		{"a yes", a, "yes", "", at(1), Outcome{Status: "yes", Changed: true}, nil},
		{"b yes", b, "yes", "", at(2), Outcome{Status: "yes", Changed: true}, nil},
		{"d yes past capacity: waitlist", d, "yes", "", at(3), Outcome{Status: "waitlist", Changed: true}, nil},
		{"c yes past capacity: waitlist after d", c, "yes", "", at(4), Outcome{Status: "waitlist", Changed: true}, nil},
		{"a yes again", a, "yes", "", at(5), Outcome{Status: "yes"}, nil},
		{"c yes again keeps the place", c, "yes", "", at(6), Outcome{Status: "waitlist"}, nil},
		{"b no frees a seat for d (earliest yes)", b, "no", "घर में शादी", at(7), Outcome{Status: "no", Promoted: d, Changed: true}, nil},
		{"b no again: the same promotion reported, no second one", b, "no", "", at(8), Outcome{Status: "no", Promoted: d}, nil},
		{"e maybe", e, "maybe", "", at(9), Outcome{Status: "maybe", Changed: true}, nil},
		{"e yes: full, waitlist", e, "yes", "", at(10), Outcome{Status: "waitlist", Changed: true}, nil},
		{"a maybe frees a seat for c", a, "maybe", "", at(11), Outcome{Status: "maybe", Promoted: c, Changed: true}, nil},
		{"a maybe again: the same promotion reported", a, "maybe", "", at(12), Outcome{Status: "maybe", Promoted: c}, nil},
		{"e (waitlisted) says no: leaves the waitlist", e, "no", "बीमार", at(13), Outcome{Status: "no", Changed: true}, nil},
		{"c no: nobody waiting", c, "no", "", at(14), Outcome{Status: "no", Changed: true}, nil},
		{"b changes to yes: seat free", b, "yes", "", at(15), Outcome{Status: "yes", Changed: true}, nil},
		{"not invited", outsider, "yes", "", at(16), Outcome{}, ErrNotInvited},
		{"one ms before the start", a, "yes", "", tr.First().Add(-time.Millisecond), Outcome{Status: "waitlist", Changed: true}, nil},
		{"at the start: closed", e, "yes", "", tr.First(), Outcome{}, ErrClosed},
		{"after the start: closed", e, "maybe", "", tr.First().Add(time.Hour), Outcome{}, ErrClosed},
	}
	for _, st := range steps {
		got, err := s.Answer(ctx, tr.ID, st.phone, st.answer, st.reason, st.now)
		if !errors.Is(err, st.err) || (st.err == nil && err != nil) {
			t.Fatalf("%s: error %v, want %v", st.name, err, st.err)
		}
		if got != st.want {
			t.Fatalf("%s: outcome %+v, want %+v", st.name, got, st.want)
		}
	}
	got, _ := s.Invitees(ctx, tr.ID)
	want := map[string]string{a: "waitlist", b: "yes", c: "no", d: "yes", e: "no"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("invitees = %v, want %v", got, want)
	}
	rows, err := s.Rows(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	byPhone := map[string]Row{}
	for _, r := range rows {
		byPhone[r.Phone] = r
	}
	if r := byPhone[e]; r.Reason != "बीमार" || !r.AnsweredAt.Equal(at(13)) {
		t.Errorf("e: reason %q at %v, want बीमार at %v", r.Reason, r.AnsweredAt, at(13))
	}
	if r := byPhone[b]; r.Reason != "" || !r.AnsweredAt.Equal(at(15)) {
		t.Errorf("b said yes after no: reason %q (want none) at %v", r.Reason, r.AnsweredAt)
	}
	if r := byPhone[c]; !r.AnsweredAt.Equal(at(14)) {
		t.Errorf("c answered at %v, want %v", r.AnsweredAt, at(14))
	}

	// A repeated "no" with a reason keeps the status and records the reason.
	if o, err := s.Answer(ctx, tr.ID, c, "no", "बस नहीं मिली", at(20)); err != nil || o.Changed {
		t.Fatalf("c no again with reason: %+v %v", o, err)
	}
	if rows, _ := s.Rows(ctx, tr.ID); rows[2].Reason != "बस नहीं मिली" || !rows[2].AnsweredAt.Equal(at(14)) {
		t.Errorf("c: reason %q at %v", rows[2].Reason, rows[2].AnsweredAt)
	}

	if _, err := s.Answer(ctx, tr.ID, a, "haan", "", at(21)); err == nil {
		t.Error("answer haan: no error")
	}
	if _, err := s.Answer(ctx, "t000000", a, "yes", "", at(21)); !errors.Is(err, ErrNotFound) {
		t.Errorf("answer to unknown training: %v", err)
	}
	tr.Cancelled = true
	if err := s.Update(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Answer(ctx, tr.ID, a, "no", "", at(22)); !errors.Is(err, ErrCancelled) {
		t.Errorf("answer to cancelled training: %v", err)
	}
}

// A "yes" that comes in later but was given earlier is ahead on the
// waitlist: the order is by the time of the yes.
func TestWaitlistByTimeOfYes(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	tr := create(t, s, twoDays(), 1)
	p := phones(3)
	if _, err := s.Invite(ctx, tr.ID, p); err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		phone string
		at    time.Time
	}{{p[0], ist(12, 1, 9, 0)}, {p[1], ist(12, 1, 11, 0)}, {p[2], ist(12, 1, 10, 0)}} {
		if _, err := s.Answer(ctx, tr.ID, x.phone, "yes", "", x.at); err != nil {
			t.Fatal(err)
		}
	}
	o, err := s.Answer(ctx, tr.ID, p[0], "no", "", ist(12, 1, 12, 0))
	if err != nil || o.Promoted != p[2] {
		t.Errorf("promoted %q (%v), want the one who said yes at 10:00", o.Promoted, err)
	}
}

func TestAnswerConcurrent(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	tr := create(t, s, twoDays(), 5)
	p := phones(20)
	if _, err := s.Invite(ctx, tr.ID, p); err != nil {
		t.Fatal(err)
	}
	now := ist(12, 1, 10, 0)
	answerAll := func(phones []string, answer string) []Outcome {
		out := make([]Outcome, len(phones))
		var wg sync.WaitGroup
		for i, phone := range phones {
			wg.Go(func() {
				o, err := s.Answer(ctx, tr.ID, phone, answer, "", now)
				if err != nil {
					t.Error(err)
				}
				out[i] = o
			})
		}
		wg.Wait()
		return out
	}
	count := func(status string) []string {
		inv, err := s.Invitees(ctx, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for phone, st := range inv {
			if st == status {
				out = append(out, phone)
			}
		}
		return out
	}
	outcomes := answerAll(p, "yes")
	n := map[string]int{}
	for _, o := range outcomes {
		n[o.Status]++
	}
	if n["yes"] != 5 || n["waitlist"] != 15 {
		t.Fatalf("outcomes: %v, want 5 yes and 15 waitlist", n)
	}
	confirmed := count("yes")
	if len(confirmed) != 5 || len(count("waitlist")) != 15 {
		t.Fatalf("stored: %d yes, %d waitlist", len(confirmed), len(count("waitlist")))
	}

	// All five give up their seats at once: five distinct people move up.
	promoted := map[string]bool{}
	for _, o := range answerAll(confirmed, "no") {
		if o.Promoted == "" || promoted[o.Promoted] {
			t.Errorf("promotion %q missing or twice", o.Promoted)
		}
		promoted[o.Promoted] = true
	}
	if y, w := len(count("yes")), len(count("waitlist")); y != 5 || w != 10 {
		t.Errorf("after five declines: %d yes, %d waitlist; want 5 and 10", y, w)
	}
	st, err := s.Status(ctx, tr.ID)
	if err != nil || st.Yes != 5 || st.Waitlist != 10 || st.No != 5 {
		t.Errorf("status %+v %v", st, err)
	}
}

func TestCode(t *testing.T) {
	tr := Training{ID: "tabc123", Secret: "s3cr3t", Days: make([]Day, 30)}
	seen := map[string]int{}
	for d := range 30 {
		c := Code(tr, d)
		if len(c) != 4 || strings.Trim(c, "0123456789") != "" {
			t.Fatalf("day %d: code %q is not 4 digits", d, c)
		}
		if c != Code(tr, d) {
			t.Fatalf("day %d: code not stable", d)
		}
		if prev, ok := seen[c]; ok {
			t.Fatalf("days %d and %d share code %s", prev, d, c)
		}
		seen[c] = d
	}
	other := tr
	other.Secret = "another"
	same := 0
	for d := range 30 {
		if Code(other, d) == Code(tr, d) {
			same++
		}
	}
	if same > 2 {
		t.Errorf("%d of 30 codes do not depend on the secret", same)
	}
	// A secret whose first HMAC candidates for days 0 and 1 clash (about
	// one in 10,000 do): the two days still get different codes.
	clash := Training{ID: "tabc123"}
	for i := 0; ; i++ {
		clash.Secret = fmt.Sprint("clash", i)
		if rawCode(clash, 0, 0) == rawCode(clash, 1, 0) {
			break
		}
		if i > 1_000_000 {
			t.Fatal("no clashing secret found")
		}
	}
	if Code(clash, 0) == Code(clash, 1) || Code(clash, 0) != rawCode(clash, 0, 0) {
		t.Errorf("secret %q: day codes %s and %s", clash.Secret, Code(clash, 0), Code(clash, 1))
	}
	if Code(Training{ID: "tabc123"}, 0) != "" {
		t.Error("a training without a secret has a code")
	}

	code := Code(tr, 1)
	deva := strings.Map(func(r rune) rune { return '०' + r - '0' }, code)
	for input, want := range map[string]bool{
		code: true, deva: true, code[:2] + " " + code[2:]: true, " " + code + " ": true,
		Code(tr, 0): false, code + "0": false, "": false, "abcd": false,
	} {
		if got := MatchCode(tr, 1, input); got != want {
			t.Errorf("MatchCode(%q) = %v, want %v", input, got, want)
		}
	}
}

func TestDayAt(t *testing.T) {
	tr, err := twoDays().Training()
	if err != nil {
		t.Fatal(err)
	}
	utc := func(day, h, m, s int) time.Time { return time.Date(2026, 12, day, h, m, s, 0, time.UTC) }
	tests := []struct {
		name string
		now  time.Time
		day  int
		open bool
	}{
		{"a day before", ist(12, 4, 10, 0), 0, false},
		{"one second before the window", ist(12, 5, 8, 59).Add(59 * time.Second), 0, false},
		{"an hour before the start", ist(12, 5, 9, 0), 0, true},
		{"the same instant in UTC", utc(5, 3, 30, 0), 0, true},
		{"03:29:59 UTC is before it", utc(5, 3, 29, 59), 0, false},
		{"during day 1", ist(12, 5, 13, 0), 0, true},
		{"last second of day 1", ist(12, 5, 16, 59).Add(59 * time.Second), 0, true},
		{"day 1 end", ist(12, 5, 17, 0), 1, false},
		{"11:30 UTC is 17:00 IST", utc(5, 11, 30, 0), 1, false},
		{"night between", ist(12, 6, 2, 0), 1, false},
		{"window of day 2", ist(12, 6, 9, 0), 1, true},
		{"day 2 end", ist(12, 6, 17, 0), 2, false},
		{"after", ist(12, 20, 10, 0), 2, false},
	}
	for _, tc := range tests {
		day, open := DayAt(tr, tc.now)
		if day != tc.day || open != tc.open {
			t.Errorf("%s: DayAt = %d, %v; want %d, %v", tc.name, day, open, tc.day, tc.open)
		}
	}
}

func TestNear(t *testing.T) {
	// One degree of latitude is 6371 km × π/180 = 111.195 km.
	if d := Distance(26, 80, 27, 80); d < 111194 || d > 111196 {
		t.Errorf("one degree of latitude = %.0f m", d)
	}
	venue := Training{Lat: 26.8467, Lon: 80.9462, HasLocation: true, Radius: 300}
	deg := func(m float64) float64 { return m / 111195 } // metres north in degrees
	tests := []struct {
		name     string
		t        Training
		lat, lon float64
		want     bool
	}{
		{"at the venue", venue, 26.8467, 80.9462, true},
		{"200 m north", venue, 26.8467 + deg(200), 80.9462, true},
		{"290 m north", venue, 26.8467 + deg(290), 80.9462, true},
		{"310 m north", venue, 26.8467 + deg(310), 80.9462, false},
		{"another city", venue, 25.3176, 82.9739, false},
		{"310 m with a 500 m radius", Training{Lat: 26.8467, Lon: 80.9462, HasLocation: true, Radius: 500}, 26.8467 + deg(310), 80.9462, true},
		{"no radius means the default", Training{Lat: 26.8467, Lon: 80.9462, HasLocation: true}, 26.8467 + deg(290), 80.9462, true},
		{"no venue location", Training{Radius: 300}, 0, 0, false},
	}
	for _, tc := range tests {
		if got := Near(tc.t, tc.lat, tc.lon); got != tc.want {
			t.Errorf("%s: Near = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestCheckIn(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	tr := create(t, s, twoDays(), 1)
	p := phones(6)
	yes, no, silent, maybe, waiting, outsider := p[0], p[1], p[2], p[3], p[4], p[5]
	if _, err := s.Invite(ctx, tr.ID, p[:5]); err != nil {
		t.Fatal(err)
	}
	before := ist(12, 1, 10, 0)
	for phone, answer := range map[string]string{yes: "yes", no: "no", maybe: "maybe"} {
		if _, err := s.Answer(ctx, tr.ID, phone, answer, "", before); err != nil {
			t.Fatal(err)
		}
	}
	if o, _ := s.Answer(ctx, tr.ID, waiting, "yes", "", before.Add(time.Minute)); o.Status != StatusWaitlist {
		t.Fatalf("setup: %v", o)
	}

	day1 := ist(12, 5, 10, 5)
	tests := []struct {
		name   string
		phone  string
		day    int
		method string
		now    time.Time
		first  bool
		err    error
	}{
		{"confirmed, by code", yes, 0, MethodCode, day1, true, nil},
		{"again later: kept", yes, 0, MethodLocation, day1.Add(time.Hour), false, nil},
		{"silent person turns up", silent, 0, MethodLocation, day1, true, nil},
		{"maybe turns up", maybe, 0, MethodCode, ist(12, 5, 9, 0), true, nil},
		{"declined", no, 0, MethodCode, day1, false, ErrNotAttending},
		{"waitlisted", waiting, 0, MethodCode, day1, false, ErrNotAttending},
		{"not invited", outsider, 0, MethodCode, day1, false, ErrNotInvited},
		{"code before the window", yes, 1, MethodCode, ist(12, 6, 8, 59), false, ErrCheckInClosed},
		{"code for another day", yes, 1, MethodCode, day1, false, ErrCheckInClosed},
		{"code after the end", silent, 1, MethodCode, ist(12, 6, 17, 0), false, ErrCheckInClosed},
		{"coordinator marks day 2 afterwards", silent, 1, MethodCoordinator, ist(12, 7, 11, 0), true, nil},
		{"day 2 in its window", yes, 1, MethodCode, ist(12, 6, 9, 30), true, nil},
	}
	for _, tc := range tests {
		first, err := s.CheckIn(ctx, tr.ID, tc.phone, tc.day, tc.method, tc.now)
		if !errors.Is(err, tc.err) || (tc.err == nil && err != nil) {
			t.Fatalf("%s: error %v, want %v", tc.name, err, tc.err)
		}
		if first != tc.first {
			t.Errorf("%s: first = %v, want %v", tc.name, first, tc.first)
		}
	}
	for _, tc := range []struct {
		phone string
		day   int
		want  bool
	}{{yes, 0, true}, {yes, 1, true}, {silent, 1, true}, {maybe, 1, false}, {no, 0, false}, {outsider, 0, false}} {
		if got, err := s.CheckedIn(ctx, tr.ID, tc.phone, tc.day); got != tc.want || err != nil {
			t.Errorf("CheckedIn(day %d) = %v, %v; want %v", tc.day, got, err, tc.want)
		}
	}
	for _, bad := range []struct {
		day    int
		method string
	}{{2, MethodCoordinator}, {-1, MethodCoordinator}, {0, "selfie"}} {
		if _, err := s.CheckIn(ctx, tr.ID, yes, bad.day, bad.method, day1); err == nil {
			t.Errorf("day %d method %q: no error", bad.day, bad.method)
		}
	}
	if _, err := s.CheckIn(ctx, "t000000", yes, 0, MethodCode, day1); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown training: %v", err)
	}

	rows, err := s.Rows(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]CheckIn{}
	for _, r := range rows {
		got[r.Phone] = r.CheckIns
	}
	want := map[string][]CheckIn{
		yes:     {{At: day1, Method: MethodCode}, {At: ist(12, 6, 9, 30), Method: MethodCode}},
		no:      {{}, {}},
		silent:  {{At: day1, Method: MethodLocation}, {At: ist(12, 7, 11, 0), Method: MethodCoordinator}},
		maybe:   {{At: ist(12, 5, 9, 0), Method: MethodCode}, {}},
		waiting: {{}, {}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("check-ins:\n got %v\nwant %v", got, want)
	}
	if st, _ := s.Status(ctx, tr.ID); !reflect.DeepEqual(st.Attended, []int{3, 2}) {
		t.Errorf("attended %v, want [3 2]", st.Attended)
	}
}

func TestFeedback(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	tr := create(t, s, twoDays(), 0)
	p := phones(2)
	if _, err := s.Invite(ctx, tr.ID, p[:1]); err != nil {
		t.Fatal(err)
	}
	after := ist(12, 6, 18, 0)
	save := func(f Feedback) error { return s.SaveFeedback(ctx, tr.ID, p[0], f) }
	if err := save(Feedback{Rating: 3, Module: "बजट", Missing: "समय कम था", FollowUp: "no", At: after}); err != nil {
		t.Fatal(err)
	}
	newer := Feedback{Rating: 5, Module: "सीवेज", FollowUp: "yes", At: after.Add(10 * time.Minute)}
	if err := save(newer); err != nil {
		t.Fatal(err)
	}
	if err := save(Feedback{Rating: 1, At: after.Add(5 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Rows(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if f := rows[0].Feedback; f == nil || !reflect.DeepEqual(*f, newer) {
		t.Errorf("feedback = %+v, want the later one %+v", f, newer)
	}

	for name, f := range map[string]Feedback{
		"rating 0":       {Rating: 0, At: after},
		"rating 6":       {Rating: 6, At: after},
		"follow-up haan": {Rating: 4, FollowUp: "haan", At: after},
		"no time":        {Rating: 4},
	} {
		if err := save(f); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if err := s.SaveFeedback(ctx, tr.ID, p[1], Feedback{Rating: 4, At: after}); !errors.Is(err, ErrNotInvited) {
		t.Errorf("feedback from someone not invited: %v", err)
	}
}

// scenario builds a training with known answers, check-ins and feedback.
func scenario(t *testing.T, s *Store) (Training, []string) {
	t.Helper()
	ctx := context.Background()
	tr := create(t, s, twoDays(), 3)
	p := phones(8)
	if _, err := s.Invite(ctx, tr.ID, p); err != nil {
		t.Fatal(err)
	}
	answers := []struct{ answer, reason string }{
		{"yes", ""}, {"yes", ""}, {"yes", ""}, {"yes", ""}, // the fourth waits
		{"no", "घर में शादी"}, {"no", " घर में शादी "}, {"maybe", ""}, // p[7] is silent
	}
	for i, a := range answers {
		if _, err := s.Answer(ctx, tr.ID, p[i], a.answer, a.reason, ist(12, 1, 10, i)); err != nil {
			t.Fatal(err)
		}
	}
	checkins := []struct {
		phone  int
		day    int
		method string
		at     time.Time
	}{
		{0, 0, MethodCode, ist(12, 5, 10, 5)}, {1, 0, MethodLocation, ist(12, 5, 9, 40)}, {6, 0, MethodCode, ist(12, 5, 11, 0)},
		{0, 1, MethodCode, ist(12, 6, 9, 55)},
	}
	for _, c := range checkins {
		if _, err := s.CheckIn(ctx, tr.ID, p[c.phone], c.day, c.method, c.at); err != nil {
			t.Fatal(err)
		}
	}
	feedback := map[int]Feedback{
		0: {Rating: 5, Module: "बजट", Missing: "फ़ील्ड विज़िट", FollowUp: "yes", At: ist(12, 6, 17, 30)},
		1: {Rating: 4, Module: "बजट", FollowUp: "no", At: ist(12, 6, 17, 20), Experience: "बजट की मद समझ आई",
			ExperienceFile: "sha256:0000000000000000000000000000000000000000000000000000000000000000", ExperienceFileName: "voice.ogg"},
		6: {Rating: 2, Module: "सीवेज", Missing: "=HYPERLINK(\"http://x\")", At: ist(12, 6, 17, 10)},
	}
	for i, f := range feedback {
		if err := s.SaveFeedback(ctx, tr.ID, p[i], f); err != nil {
			t.Fatal(err)
		}
	}
	return tr, p
}

func TestStatus(t *testing.T) {
	s := newStore(t)
	tr, p := scenario(t, s)
	if _, err := store.NewOptOut(s.rdb).Set(context.Background(), p[1], true); err != nil {
		t.Fatal(err)
	}
	got, err := s.Status(context.Background(), tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := Status{
		Invited: 8, Yes: 3, No: 2, Maybe: 1, NoAnswer: 1, Waitlist: 1,
		Attended:      []int{3, 1},
		NoReasons:     map[string]int{"घर में शादी": 2},
		FeedbackCount: 3, RatingAvg: 11.0 / 3, RatingDist: [5]int{0, 1, 0, 1, 1},
		TopModules:  []ModuleCount{{"बजट", 2}, {"सीवेज", 1}},
		Missing:     []string{"=HYPERLINK(\"http://x\")", "फ़ील्ड विज़िट"},
		Experiences: []string{"बजट की मद समझ आई"}, VoiceNotes: 1,
		OptedOut: 1,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("status\n got %+v\nwant %+v", got, want)
	}
	if _, err := s.Status(context.Background(), "t000000"); !errors.Is(err, ErrNotFound) {
		t.Errorf("status of unknown training: %v", err)
	}
}

func TestExport(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, locales.IST) // the days are 5 and 6 December 2026
	s := newStore(t)
	tr, p := scenario(t, s)
	if _, err := store.NewOptOut(s.rdb).Set(context.Background(), p[2], true); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Rows(context.Background(), tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	people := map[string]roster.Person{
		p[0]: {Name: "सुनीता देवी", Phone: p[0], Role: "sabhasad", Body: "नगर पंचायत अनपरा", Ward: "4"},
		p[1]: {Name: "रमेश कुमार", Phone: p[1], Role: "parshad", Body: "नगर पंचायत अनपरा", Ward: "7"},
		p[6]: {Name: "-अजय", Phone: p[6], Role: "sabhasad", Body: "नगर पंचायत अनपरा", Ward: "2"},
		// the others are not in the roster
	}
	hiHead := []string{"नाम", "मोबाइल", "पद", "मंडल", "जनपद", "विकासखंड", "निकाय", "वार्ड", "जवाब", "न आने का कारण", "दिन 1 हाज़िरी (शनिवार, 5 दिसंबर)", "दिन 2 हाज़िरी (रविवार, 6 दिसंबर)", "रेटिंग", "सबसे उपयोगी विषय", "क्या कमी रही", "आगे संपर्क", "संदेश बंद", "अनुभव", "अनुभव (आवाज़ या फ़ाइल)"}
	hiRows := [][]string{
		{"सुनीता देवी", p[0], "सभासद", "", "", "", "नगर पंचायत अनपरा", "4", "आएँगे", "", "10:05", "09:55", "5", "बजट", "फ़ील्ड विज़िट", "हाँ", "", "", ""},
		{"रमेश कुमार", p[1], "पार्षद", "", "", "", "नगर पंचायत अनपरा", "7", "आएँगे", "", "09:40", "", "4", "बजट", "", "नहीं", "", "बजट की मद समझ आई", "sha256:0000000000000000000000000000000000000000000000000000000000000000"},
		{"", p[2], "", "", "", "", "", "", "आएँगे", "", "", "", "", "", "", "", "हाँ", "", ""},
		{"", p[3], "", "", "", "", "", "", "प्रतीक्षा सूची", "", "", "", "", "", "", "", "", "", ""},
		{"", p[4], "", "", "", "", "", "", "नहीं आएँगे", "घर में शादी", "", "", "", "", "", "", "", "", ""},
		{"", p[5], "", "", "", "", "", "", "नहीं आएँगे", " घर में शादी ", "", "", "", "", "", "", "", "", ""},
		{"-अजय", p[6], "सभासद", "", "", "", "नगर पंचायत अनपरा", "2", "पता नहीं", "", "11:00", "", "2", "सीवेज", "=HYPERLINK(\"http://x\")", "", "", "", ""},
		{"", p[7], "", "", "", "", "", "", "जवाब नहीं", "", "", "", "", "", "", "", "", "", ""},
	}
	enHead := []string{"Name", "Phone", "Designation", "Division", "District", "Block", "Body", "Ward", "RSVP", "Reason", "Day 1 attendance (Saturday, 5 December)", "Day 2 attendance (Sunday, 6 December)", "Rating", "Most useful module", "What was missing", "Follow-up", "Messages stopped", "Experience shared", "Experience (voice or file)"}
	enRows := [][]string{
		{"सुनीता देवी", p[0], "ward member (sabhasad)", "", "", "", "नगर पंचायत अनपरा", "4", "yes", "", "10:05", "09:55", "5", "बजट", "फ़ील्ड विज़िट", "yes", "", "", ""},
		{"रमेश कुमार", p[1], "councillor (parshad)", "", "", "", "नगर पंचायत अनपरा", "7", "yes", "", "09:40", "", "4", "बजट", "", "no", "", "बजट की मद समझ आई", "sha256:0000000000000000000000000000000000000000000000000000000000000000"},
		{"", p[2], "", "", "", "", "", "", "yes", "", "", "", "", "", "", "", "yes", "", ""},
		{"", p[3], "", "", "", "", "", "", "waitlist", "", "", "", "", "", "", "", "", "", ""},
		{"", p[4], "", "", "", "", "", "", "no", "घर में शादी", "", "", "", "", "", "", "", "", ""},
		{"", p[5], "", "", "", "", "", "", "no", " घर में शादी ", "", "", "", "", "", "", "", "", ""},
		{"-अजय", p[6], "ward member (sabhasad)", "", "", "", "नगर पंचायत अनपरा", "2", "maybe", "", "11:00", "", "2", "सीवेज", "=HYPERLINK(\"http://x\")", "", "", "", ""},
		{"", p[7], "", "", "", "", "", "", "no answer", "", "", "", "", "", "", "", "", "", ""},
	}

	for _, lang := range []struct {
		lang, sheet string
		head        []string
		rows        [][]string
	}{{"hi", "प्रशिक्षण", hiHead, hiRows}, {"en", "Training", enHead, enRows}} {
		t.Run("xlsx "+lang.lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := (ExportOptions{Now: now}).Export(&buf, "xlsx", lang.lang, tr, rows, people); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if sheets := f.GetSheetList(); !reflect.DeepEqual(sheets, []string{lang.sheet, map[string]string{"hi": "सारांश", "en": "Summary"}[lang.lang]}) {
				t.Fatalf("sheets %q, want %q", sheets, lang.sheet)
			}
			// The summary opens with the training: title, dates with the
			// year, venue, batch; then a blank row, then the counts.
			sum, err := f.GetRows(f.GetSheetList()[1])
			if err != nil {
				t.Fatal(err)
			}
			wantAbout := map[string][][]string{
				"hi": {{"अमृत 2.0 प्रशिक्षण"}, {"तारीख़", "शनिवार, 5 दिसंबर 2026 – रविवार, 6 दिसंबर 2026"}, {"जगह", "क्षेत्रीय नगर एवं पर्यावरण अध्ययन केंद्र, लखनऊ"}, {"चरण", "चरण 1"}, nil},
				"en": {{"अमृत 2.0 प्रशिक्षण"}, {"Dates", "Saturday, 5 December 2026 – Sunday, 6 December 2026"}, {"Venue", "क्षेत्रीय नगर एवं पर्यावरण अध्ययन केंद्र, लखनऊ"}, {"Batch", "चरण 1"}, nil},
			}[lang.lang]
			if len(sum) < len(wantAbout)+2 || !reflect.DeepEqual(sum[:len(wantAbout)], wantAbout) {
				t.Errorf("summary head:\n%q\nwant\n%q", sum, wantAbout)
			}
			if idx, _ := f.GetCellStyle(f.GetSheetList()[1], fmt.Sprintf("A%d", len(wantAbout)+1)); idx == 0 {
				t.Error("the counts' header row is not bold")
			}
			got, err := f.GetRows(lang.sheet)
			if err != nil {
				t.Fatal(err)
			}
			want := [][]string{lang.head}
			for _, r := range lang.rows {
				want = append(want, trimRight(r)) // GetRows drops trailing empty cells
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("rows:\n got %q\nwant %q", got, want)
			}
			panes, err := f.GetPanes(lang.sheet)
			if err != nil || !panes.Freeze || panes.YSplit != 1 {
				t.Errorf("header row not frozen: %+v %v", panes, err)
			}
			for _, cell := range []string{"A1", "P1"} {
				idx, err := f.GetCellStyle(lang.sheet, cell)
				if err != nil {
					t.Fatal(err)
				}
				st, err := f.GetStyle(idx)
				if err != nil || st.Font == nil || !st.Font.Bold {
					t.Errorf("header %s not bold: %v", cell, err)
				}
			}
			if idx, _ := f.GetCellStyle(lang.sheet, "A2"); idx != 0 {
				if st, _ := f.GetStyle(idx); st != nil && st.Font != nil && st.Font.Bold {
					t.Error("data row is bold")
				}
			}
			if typ, _ := f.GetCellType(lang.sheet, "O8"); typ == excelize.CellTypeFormula {
				t.Error("free text became a formula")
			}
			if formula, _ := f.GetCellFormula(lang.sheet, "O8"); formula != "" {
				t.Errorf("free text became formula %q", formula)
			}
			if w, _ := f.GetColWidth(lang.sheet, "O"); w < 30 {
				t.Errorf("comment column width %v", w)
			}
		})
		t.Run("csv "+lang.lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := (ExportOptions{Now: now}).Export(&buf, "csv", lang.lang, tr, rows, people); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(buf.Bytes(), []byte("\xef\xbb\xbf")) {
				t.Fatal("no UTF-8 byte order mark")
			}
			got, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			want := [][]string{lang.head}
			for _, r := range lang.rows {
				r = append([]string(nil), r...)
				for i, c := range r {
					if strings.HasPrefix(c, "=") || strings.HasPrefix(c, "-") {
						r[i] = "'" + c // defused for Excel
					}
				}
				want = append(want, r)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("rows:\n got %q\nwant %q", got, want)
			}
		})
	}

	// Exported in another year, the days are written with theirs.
	for lang, want := range map[string]string{"hi": "दिन 2 हाज़िरी (रविवार, 6 दिसंबर 2026)", "en": "Day 2 attendance (Sunday, 6 December 2026)"} {
		var buf bytes.Buffer
		if err := (ExportOptions{Now: now.AddDate(1, 0, 0)}).Export(&buf, "csv", lang, tr, rows, people); err != nil {
			t.Fatal(err)
		}
		head, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).Read()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(head, want) {
			t.Errorf("%s header exported a year later %q, want %q in it", lang, head, want)
		}
	}

	var buf bytes.Buffer
	if err := Export(&buf, "pdf", "hi", tr, rows, people); err == nil {
		t.Error("format pdf: no error")
	}
	if err := Export(&buf, "csv", "bho", tr, rows, people); err == nil {
		t.Error("language bho: no error")
	}
}

func trimRight(r []string) []string {
	n := len(r)
	for n > 0 && r[n-1] == "" {
		n--
	}
	return r[:n]
}

func TestSplitListTakesCommasAndLines(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"जल आपूर्ति, सीवेज,,बजट,सीवेज", []string{"जल आपूर्ति", "सीवेज", "बजट"}},
		{"जल आपूर्ति\nसीवेज\r\nबजट\n", []string{"जल आपूर्ति", "सीवेज", "बजट"}},
		{"जल आपूर्ति। सीवेज", []string{"जल आपूर्ति", "सीवेज"}},
		{" , \n ", nil},
	} {
		if got := SplitList(c.in); !slices.Equal(got, c.want) {
			t.Errorf("SplitList(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
