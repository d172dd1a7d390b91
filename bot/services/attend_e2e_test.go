package services_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// TestLockedOutParticipantMarkedPresentByTheCoordinator: सरिता types three
// wrong codes and is locked out of check-in; the body's coordinator, in
// chat (हाज़िरी सुधारें), sees her among the locked out, finds her by
// name and marks her present; her own check-in then says she is in, the
// export's day cell says it was the coordinator's entry (who, when), and
// the entry is kept. A second training day is corrected after it is over.
func TestLockedOutParticipantMarkedPresentByTheCoordinator(t *testing.T) {
	f := setup(t)
	f.link(t, tg("1001"), sarita)
	f.link(t, tg("3003"), eo)
	tr := f.training(t, training.Spec{Title: "AMRUT 2.0 प्रशिक्षण", Venue: "नगर पंचायत सभागार, अनपरा",
		Start: "2026-12-05T10:00", Days: 2, Invite: "role=sabhasad,body=" + anpara})
	if _, err := f.svc.Trainings.Answer(f.ctx, tr.ID, sarita, training.StatusYes, "", ist("2026-12-02 10:00")); err != nil {
		t.Fatal(err)
	}
	day1 := ist("2026-12-05 10:20")

	p := f.conversation(t, "1001", day1)
	p.expect("हाज़िरी", "दिन 1 की हाज़िरी: प्रशिक्षण स्थल पर दिखाया गया कोड लिखें")
	p.expect("1111", "कोड")
	p.expect("2222", "कोड")
	p.expect("3333", f.hi("checkin.locked", nil))
	p.expect("हाज़िरी "+training.Code(mustGet(t, f, tr.ID), 0), f.hi("checkin.locked", nil)) // even the right code now

	c := f.conversation(t, "3003", day1.Add(20*time.Minute))
	c.expect("हाज़िरी सुधारें", "सरिता राजभर (9018159083) · दिन 1")
	c.expect("सरिता", "सरिता राजभर (9018159083), दिन 1: अभी हाज़िरी नहीं लगी है। क्या दर्ज करें?")
	c.expect("हाज़िर थे", "✅ सरिता राजभर (9018159083) की दिन 1 की हाज़िरी लगा दी।")

	if evs := f.published(t, "notice"); len(evs) != 1 || evs[0].Phone != sarita || evs[0].Vars["text"] != "✅ AMRUT 2.0 प्रशिक्षण, दिन 1: समन्वयक ने आपकी हाज़िरी लगा दी है।" {
		t.Errorf("सरिता is told %+v", evs)
	}
	p.now = day1.Add(30 * time.Minute)
	p.expect("हाज़िरी", f.hi("checkin.already", map[string]string{"title": tr.Title, "day": "1"}))

	// Day 2 is over; राजेश came but his check-in never went in: entered the next day.
	c.now = ist("2026-12-07 09:00")
	c.expect("हाज़िरी सुधारें", f.hi("attend.ask_day", nil))
	c.expect("2", f.hi("attend.ask_who", map[string]string{"title": tr.Title}))
	c.expect("9131860913", "राजेश सोनकर (9131860913), दिन 2")
	c.expect("1", "राजेश सोनकर (9131860913) की दिन 2 की हाज़िरी लगा दी।")

	// Two लक्ष्मी: chosen from a list; a name nobody has is asked again.
	c.expect("हाज़िरी सुधारें", f.hi("attend.ask_day", nil))
	c.expect("दिन 2", f.hi("attend.ask_who", map[string]string{"title": tr.Title}))
	c.expect("गीता", f.hi("attend.nobody", map[string]string{"query": "गीता"}))
	c.expect("लक्ष्मी", f.hi("attend.ask_which", nil))
	if got := optionLabels(c.last); got != "\nलक्ष्मी दुबे (9543231948)\nलक्ष्मी निषाद (9911862527)" {
		t.Errorf("the two लक्ष्मी offered as %q", got)
	}
	c.expect("2", "लक्ष्मी निषाद (9911862527), दिन 2: अभी हाज़िरी नहीं लगी है।")
	c.expect("नहीं आए", "लक्ष्मी निषाद (9911862527) दिन 2 में पहले से ग़ैरहाज़िर दर्ज हैं। कुछ नहीं बदला।")

	rows, err := f.svc.Trainings.Rows(f.ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	people := map[string]roster.Person{}
	for _, r := range rows {
		people[r.Phone], _, _ = f.svc.Roster.Get(f.ctx, r.Phone)
	}
	var buf bytes.Buffer
	if err := training.Export(&buf, "csv", "hi", tr, rows, people); err != nil {
		t.Fatal(err)
	}
	lines, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cell := func(phone string, day int) string {
		col := -1
		for i, h := range lines[0] {
			if strings.HasPrefix(h, "दिन "+string(rune('0'+day))+" हाज़िरी (") { // and the day's date

				col = i
			}
		}
		for _, l := range lines[1:] {
			if l[1] == phone {
				return l[col]
			}
		}
		t.Fatalf("no row of %s in %q", phone, lines)
		return ""
	}
	if got, want := cell(sarita, 1), "समन्वयक ने लगाई: विनोद गुप्ता (अधिशासी अधिकारी), 2026-12-05 10:40"; got != want {
		t.Errorf("सरिता's day 1: %q, want %q", got, want)
	}
	if got, want := cell(rajesh, 2), "समन्वयक ने लगाई: विनोद गुप्ता (अधिशासी अधिकारी), 2026-12-07 09:00"; got != want {
		t.Errorf("राजेश's day 2: %q, want %q", got, want)
	}
	if got := cell(anita, 1); got != "" {
		t.Errorf("अनीता, never marked: %q", got)
	}
	cs, err := f.svc.Trainings.Corrections(f.ctx, tr.ID)
	if err != nil || len(cs) != 3 || cs[2].Changed {
		t.Fatalf("corrections %+v, %v", cs, err)
	}
	if c := cs[0]; c.Phone != sarita || c.Day != 0 || !c.Present || c.By != eo || !c.Changed {
		t.Errorf("first correction %+v", c)
	}
}

// Marking absent takes a check-in away and lifts the lock, so the person
// may check in with the right code; the same mark twice changes nothing
// the second time but is kept.
func TestAttendanceMarkAbsentAndAgain(t *testing.T) {
	f := setup(t)
	f.link(t, tg("1001"), sarita)
	tr := f.training(t, training.Spec{Title: "बजट प्रशिक्षण", Venue: "अनपरा", Start: "2026-12-05T10:00", Days: 1,
		Invite: "role=sabhasad,body=" + anpara})
	now := ist("2026-12-05 10:30")
	if _, err := f.svc.Trainings.CheckIn(f.ctx, tr.ID, sarita, 0, training.MethodCode, now); err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, false} {
		changed, err := f.svc.MarkAttendance(f.ctx, tr.ID, training.Correction{Phone: sarita, Day: 0, Present: false, By: "cli", At: now})
		if err != nil || changed != want {
			t.Fatalf("absent #%d: changed %v, %v; want %v", i+1, changed, err, want)
		}
	}
	if in, _ := f.svc.Trainings.CheckedIn(f.ctx, tr.ID, sarita, 0); in {
		t.Fatal("still checked in after marked absent")
	}
	if _, err := f.svc.MarkAttendance(f.ctx, tr.ID, training.Correction{Phone: hari, Day: 0, Present: true, By: "cli", At: now}); err == nil {
		t.Fatal("someone not invited was marked")
	}
	p := f.conversation(t, "1001", now)
	p.expect("हाज़िरी 0000", "कोड")
	p.expect("0001", "कोड")
	p.expect("0002", f.hi("checkin.locked", nil))
	if _, err := f.svc.MarkAttendance(f.ctx, tr.ID, training.Correction{Phone: sarita, Day: 0, Present: false, By: "cli", At: now}); err != nil {
		t.Fatal(err)
	}
	p.expect("हाज़िरी "+training.Code(mustGet(t, f, tr.ID), 0), "✅")
	if cs, _ := f.svc.Trainings.Corrections(f.ctx, tr.ID); len(cs) != 3 || cs[1].Changed {
		t.Fatalf("corrections %+v", cs)
	}
}

func mustGet(t *testing.T, f *fixture, id string) training.Training {
	t.Helper()
	tr, ok, err := f.svc.Trainings.Get(f.ctx, id)
	if err != nil || !ok {
		t.Fatalf("training %s: %v %v", id, ok, err)
	}
	return tr
}
