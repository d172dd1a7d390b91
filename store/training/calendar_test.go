package training

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
)

func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, locales.IST)
}

// TestMoveToKeepsEachDaysEnd is the regression test of the move that took
// a 10:00–17:00 day to 15:05–22:05 ("रात 10:05 बजे"): the end keeps its
// time of day unless --end gives one.
func TestMoveToKeepsEachDaysEnd(t *testing.T) {
	tr, err := twoDays().Training()
	if err != nil {
		t.Fatal(err)
	}
	days, err := MoveTo(tr, at(2026, 12, 5, 15, 5), "")
	if err != nil {
		t.Fatal(err)
	}
	want := []Day{{at(2026, 12, 5, 15, 5), at(2026, 12, 5, 17, 0)}, {at(2026, 12, 6, 15, 5), at(2026, 12, 6, 17, 0)}}
	if !SameDays(days, want) {
		t.Errorf("moved to 15:05: %v, want %v", days, want)
	}
	// Another date, the same hours: every day keeps its own.
	days, _ = MoveTo(tr, at(2026, 12, 12, 10, 0), "")
	want = []Day{{at(2026, 12, 12, 10, 0), at(2026, 12, 12, 17, 0)}, {at(2026, 12, 13, 10, 0), at(2026, 12, 13, 17, 0)}}
	if !SameDays(days, want) {
		t.Errorf("moved a week: %v, want %v", days, want)
	}
	// New hours: --end.
	days, _ = MoveTo(tr, at(2026, 12, 12, 15, 0), "19:30")
	if !days[1].End.Equal(at(2026, 12, 13, 19, 30)) || !days[1].Start.Equal(at(2026, 12, 13, 15, 0)) {
		t.Errorf("with --end 19:30: %v", days)
	}
	// A start after the day's end needs an end.
	if _, err := MoveTo(tr, at(2026, 12, 12, 18, 0), ""); err == nil || !strings.Contains(err.Error(), "give the end too") {
		t.Errorf("a start after the end: %v", err)
	}
	if _, err := MoveTo(tr, at(2026, 12, 12, 10, 0), "5 baje"); err == nil {
		t.Error("a bad --end was taken")
	}
}

func TestShiftAndParse(t *testing.T) {
	tr := Training{Days: []Day{{at(2027, 1, 31, 10, 0), at(2027, 1, 31, 17, 0)}}}
	if d := Shift(tr, 1, 0); !d[0].Start.Equal(at(2027, 2, 28, 10, 0)) || !d[0].End.Equal(at(2027, 2, 28, 17, 0)) {
		t.Errorf("31 January a month on: %v", d)
	}
	if d := Shift(tr, 5, 0); !d[0].Start.Equal(at(2027, 6, 30, 10, 0)) {
		t.Errorf("five months on: %v", d)
	}
	if d := Shift(tr, 0, -7); !d[0].Start.Equal(at(2027, 1, 24, 10, 0)) {
		t.Errorf("a week earlier: %v", d)
	}
	for in, want := range map[string][2]int{"5mo": {5, 0}, "-1mo": {-1, 0}, "2w": {0, 14}, "10d": {0, 10}, "3 महीने": {3, 0}, "1 हफ़्ता": {0, 7}} {
		m, d, err := ParseShift(in)
		if err != nil || m != want[0] || d != want[1] {
			t.Errorf("ParseShift(%q) = %d, %d, %v; want %v", in, m, d, err, want)
		}
	}
	for _, in := range []string{"", "5", "mo", "0mo", "5 years"} {
		if _, _, err := ParseShift(in); err == nil {
			t.Errorf("ParseShift(%q): no error", in)
		}
	}
	a, _ := ParseMonth("2027-04")
	b, _ := ParseMonth("2027-09")
	if n := MonthsBetween(a, b); n != 5 {
		t.Errorf("April to September: %d months", n)
	}
}

func TestCommonPlaceAndIn(t *testing.T) {
	p := func(district, block, body string) roster.Person {
		return roster.Person{Division: "गढ़वाल", District: district, Block: block, Body: body}
	}
	gp := CommonPlace([]roster.Person{p("हरिद्वार", "बहादराबाद", "ग्राम पंचायत अलीपुर"), p("हरिद्वार", "बहादराबाद", "ग्राम पंचायत अलीपुर")})
	if gp != (roster.Place{Division: "गढ़वाल", District: "हरिद्वार", Block: "बहादराबाद", Body: "ग्राम पंचायत अलीपुर"}) {
		t.Errorf("one GP: %+v", gp)
	}
	district := CommonPlace([]roster.Person{p("हरिद्वार", "बहादराबाद", "ग्राम पंचायत अलीपुर"), p("हरिद्वार", "रुड़की", "ग्राम पंचायत अलीपुर")})
	if district != (roster.Place{Division: "गढ़वाल", District: "हरिद्वार"}) {
		t.Errorf("two blocks (a GP name repeated): %+v", district)
	}
	tr := Training{Place: district}
	if !tr.In(roster.Scope{Level: roster.LevelDistrict, Value: " हरिद्वार"}) || tr.In(roster.Scope{Level: roster.LevelBlock, Value: "रुड़की"}) ||
		!tr.In(roster.Scope{Level: roster.LevelAll}) || tr.In(roster.Scope{Level: roster.LevelDistrict, Value: "देहरादून"}) {
		t.Error("In")
	}
	if s := (Training{Place: gp}).PlaceLine(); s != "ग्राम पंचायत अलीपुर, बहादराबाद, हरिद्वार" {
		t.Errorf("PlaceLine %q", s)
	}
}

// TestReadCalendar: English headers in CSV with a date alone, lat and lon
// apart; Hindi headers in Excel with a date cell, a time cell, one
// अक्षांश/देशांतर cell and Devanagari digits; bad rows in both languages.
func TestReadCalendar(t *testing.T) {
	csv := "Code,Title,Venue,Start,Days,End,Lat,Lon,Invite,Modules\n" +
		"rgsa-1,GPDP,Panchayat Bhawan,2027-04-06,2,16:30,29.94,78.16,body=ग्राम पंचायत अलीपुर,\"GPDP, बजट\"\n" +
		"RGSA-2,GPDP 2,Bhawan,06/05/2027 11:00,,,,,,\n"
	rows, bad, err := ReadCalendar(strings.NewReader(csv), "cal.csv", CalendarOptions{})
	if err != nil || len(bad) != 0 || len(rows) != 2 {
		t.Fatalf("csv: %v %v %+v", err, bad, rows)
	}
	r := rows[0].Training
	if r.Code != "RGSA-1" || rows[0].Line != 2 || !r.First().Equal(at(2027, 4, 6, 10, 0)) || !r.Days[1].End.Equal(at(2027, 4, 7, 16, 30)) ||
		!r.HasLocation || r.Lat != 29.94 || strings.Join(r.Modules, "|") != "GPDP|बजट" || r.Invite != "body=ग्राम पंचायत अलीपुर" {
		t.Errorf("row 1: %+v", r)
	}
	if r := rows[1].Training; !r.First().Equal(at(2027, 5, 6, 11, 0)) || len(r.Days) != 1 || !r.Days[0].End.Equal(at(2027, 5, 6, 17, 0)) {
		t.Errorf("row 2 (day first, defaults): %+v", r.Days)
	}

	f := excelize.NewFile()
	sheet := "Sheet1"
	for i, row := range [][]any{
		{"RGSA कैलेंडर 2027"}, // a title above the header
		{"कोड", "शीर्षक", "स्थान", "प्रारंभ", "दिन", "समाप्ति", "अक्षांश/देशांतर", "क्षमता", "बैच"},
		{"HR-01", "ग्राम पंचायत विकास योजना", "पंचायत भवन", time.Date(2027, 4, 5, 10, 30, 0, 0, time.UTC), "२", 0.6875, "29.9457, 78.1642", "३०", "चरण 1"},
		{"HR-02", "", "पंचायत भवन", "31/04/2027 10:00", "40", "5 बजे", "91, 78", "-3"},
		{"HR-01", "दोहराया", "भवन", "2027-05-01 10:00"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	rows, bad, err = ReadCalendar(bytes.NewReader(buf.Bytes()), "cal.xlsx", CalendarOptions{
		Invite: func(s string) error { _, err := roster.ParseFilter(s); return err },
	})
	if err != nil || len(rows) != 1 {
		t.Fatalf("xlsx: %v %+v", err, rows)
	}
	r = rows[0].Training
	if r.Code != "HR-01" || rows[0].Line != 3 || !r.First().Equal(at(2027, 4, 5, 10, 30)) || len(r.Days) != 2 || !r.Days[0].End.Equal(at(2027, 4, 5, 16, 30)) ||
		r.Lat != 29.9457 || r.Lon != 78.1642 || r.Capacity != 30 || r.Batch != "चरण 1" {
		t.Errorf("Excel row: %+v", r)
	}
	if len(bad) != 2 || bad[0].Line != 4 || bad[1].Line != 5 {
		t.Fatalf("bad rows: %+v", bad)
	}
	for _, want := range []string{"शीर्षक ख़ाली है", "प्रारंभ «31/04/2027 10:00» सही तारीख़ नहीं है", "दिन «40» 1 से 31 तक की पूरी संख्या होनी चाहिए",
		"समाप्ति «5 बजे» समय नहीं है", "अक्षांश/देशांतर «91, 78» सही नहीं है", "क्षमता «-3»"} {
		if !strings.Contains(bad[0].Hindi(), want) {
			t.Errorf("line 4 in Hindi lacks %q: %s", want, bad[0].Hindi())
		}
	}
	if !strings.HasPrefix(bad[0].Hindi(), "पंक्ति 4: ") || !strings.Contains(bad[0].Error(), "line 4: title is empty; start \"31/04/2027 10:00\" is not a date") {
		t.Errorf("line 4: %s / %s", bad[0].Hindi(), bad[0].Error())
	}
	if !strings.Contains(bad[1].Hindi(), "पंक्ति 5: कोड HR-01 पंक्ति 3 में पहले से है") {
		t.Errorf("a repeated code: %s", bad[1].Hindi())
	}

	// No header: said in both languages.
	_, _, err = ReadCalendar(strings.NewReader("a,b\n1,2\n"), "x.csv", CalendarOptions{})
	var nh *NoHeaderError
	if !errors.As(err, &nh) || !strings.Contains(nh.Hindi(), "शीर्षक, प्रारंभ और कोड") {
		t.Errorf("no header: %v", err)
	}

	// YAML: a training without a code gets the same code every time.
	yaml := "- {title: AMRUT, venue: अनपरा, start: 2027-04-06T10:00, invite: \"body=नगर पंचायत अनपरा\"}\n- {title: AMRUT, venue: अनपरा, start: 2027-04-06T10:00, code: a-1}\n"
	rows, bad, err = ReadCalendar(strings.NewReader(yaml), "t.yaml", CalendarOptions{})
	again, _, _ := ReadCalendar(strings.NewReader(yaml), "t.yaml", CalendarOptions{})
	if err != nil || len(bad) != 0 || len(rows) != 2 || !strings.HasPrefix(rows[0].Training.Code, "Y-") || rows[0].Training.Code != again[0].Training.Code || rows[1].Training.Code != "A-1" || rows[0].Line != 1 {
		t.Errorf("yaml: %v %v %+v", err, bad, rows)
	}
}

// TestSampleCalendar: the sample shipped in docs/ reads without a bad row.
func TestSampleCalendar(t *testing.T) {
	f, err := os.Open("../../docs/calendar-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, bad, err := ReadCalendar(f, "calendar-sample.csv", CalendarOptions{
		Invite: func(s string) error { _, err := roster.ParseFilter(s); return err },
	})
	if err != nil || len(bad) != 0 || len(rows) < 5 {
		t.Fatalf("sample: %v %v, %d rows", err, bad, len(rows))
	}
	// It shows a reminder plan and a travel note in their columns.
	if r := rows[2].Training; r.Code != "AMRUT-2027-BB-01" || strings.Join(r.Reminders, ",") != "2d@10:00,eve,2h" || r.Note == "" {
		t.Errorf("the sample's plan: %s %q %q", r.Code, r.Reminders, r.Note)
	}
}

// TestWriteCalendarReadsBack: a calendar written (calendar copy) is read
// back as the same trainings, in both formats and languages.
func TestWriteCalendarReadsBack(t *testing.T) {
	tr, err := twoDays().Training()
	if err != nil {
		t.Fatal(err)
	}
	tr.Code, tr.Capacity, tr.Invite = "RGSA-2028-01", 25, "role=sabhasad,body=नगर पंचायत अनपरा"
	tr.Reminders, tr.Note = []string{"2d@10:00", "eve", "2h"}, "बस सुबह 6 बजे ब्लॉक कार्यालय से चलेगी"
	for _, format := range []string{"xlsx", "csv"} {
		for _, lang := range []string{"hi", "en"} {
			var buf bytes.Buffer
			if err := WriteCalendar(&buf, format, lang, []Training{tr}); err != nil {
				t.Fatal(err)
			}
			rows, bad, err := ReadCalendar(bytes.NewReader(buf.Bytes()), "c."+format, CalendarOptions{})
			if err != nil || len(bad) != 0 || len(rows) != 1 {
				t.Fatalf("%s %s: %v %v %v", format, lang, err, bad, rows)
			}
			if days, fields := Differences(tr, rows[0].Training); days || len(fields) != 0 || rows[0].Training.Code != tr.Code {
				t.Errorf("%s %s: read back differs: days %v, %v", format, lang, days, fields)
			}
		}
	}
}

// TestCreateCoded: one code, one training, however often and even when a
// run stopped between reserving the code and writing the training.
func TestCreateCoded(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	tr, err := twoDays().Training()
	if err != nil {
		t.Fatal(err)
	}
	tr.Code = "rgsa-hr-01"
	a, created, err := s.CreateCoded(ctx, tr)
	if err != nil || !created || a.Code != "RGSA-HR-01" {
		t.Fatalf("first: %+v %v %v", a, created, err)
	}
	b, created, err := s.CreateCoded(ctx, tr)
	if err != nil || created || b.ID != a.ID {
		t.Fatalf("again: %+v %v %v", b, created, err)
	}
	if got, ok, err := s.ByCode(ctx, " RGSA-HR-01"); err != nil || !ok || got.ID != a.ID {
		t.Errorf("ByCode: %+v %v %v", got, ok, err)
	}
	// A code reserved by a run that stopped there.
	if err := s.rdb.HSet(ctx, codesKey, "RGSA-HR-02", "t0000aa").Err(); err != nil {
		t.Fatal(err)
	}
	tr.Code = "RGSA-HR-02"
	c, created, err := s.CreateCoded(ctx, tr)
	if err != nil || !created || c.ID != "t0000aa" {
		t.Fatalf("after a cut run: %+v %v %v", c, created, err)
	}
	ts, err := s.List(ctx)
	if err != nil || len(ts) != 2 {
		t.Errorf("%d trainings, want 2: %v", len(ts), err)
	}
	// A code whose reserved id is another training's draws a new one.
	if err := s.rdb.HSet(ctx, codesKey, "RGSA-HR-03", a.ID).Err(); err != nil {
		t.Fatal(err)
	}
	tr.Code = "RGSA-HR-03"
	d, created, err := s.CreateCoded(ctx, tr)
	if err != nil || !created || d.ID == a.ID {
		t.Fatalf("clash: %+v %v %v", d, created, err)
	}
}

// TestCoverage: people by block, each counted once however many trainings.
func TestCoverage(t *testing.T) {
	person := func(phone, block string) roster.Person {
		return roster.Person{Phone: phone, Role: roster.RolePradhan, District: "हरिद्वार", Block: block, Body: "GP " + phone}
	}
	people := []roster.Person{person("+911", "बहादराबाद"), person("+912", "बहादराबाद"), person("+913", "रुड़की"), person("+914", "लक्सर")}
	ts := []Training{{ID: "t1", Days: make([]Day, 1)}, {ID: "t2", Days: make([]Day, 1)}}
	came := []CheckIn{{At: at(2027, 4, 5, 10, 0)}}
	rows := map[string][]Row{
		"t1": {{Phone: "+911", Status: StatusYes, CheckIns: came}, {Phone: "+912", Status: StatusNo}, {Phone: "+999", Status: StatusYes, CheckIns: came}},
		"t2": {{Phone: "+911", Status: StatusYes, CheckIns: came}, {Phone: "+913", Status: StatusInvited}},
	}
	census, keysOf := censusOf(people, roster.LevelBlock)
	places, total := CoverageOf(census, keysOf, ts, rows)
	want := []CoverageRow{
		{Place: "लक्सर", Parent: "हरिद्वार", People: 1},
		{Place: "बहादराबाद", Parent: "हरिद्वार", People: 2, Planned: 2, Invited: 2, Confirmed: 1, Attended: 1},
		{Place: "रुड़की", Parent: "हरिद्वार", People: 1, Planned: 1, Invited: 1},
	}
	if len(places) != len(want) {
		t.Fatalf("places %+v", places)
	}
	for i := range want {
		if places[i] != want[i] {
			t.Errorf("place %d: %+v, want %+v", i, places[i], want[i])
		}
	}
	if total != (CoverageRow{People: 4, Planned: 2, Invited: 3, Confirmed: 1, Attended: 1}) || places[1].Share() != 50 {
		t.Errorf("total %+v, share %v", total, places[1].Share())
	}
}

// censusOf counts people by place at level as the roster's index does
// (roster.Roster.Representatives), with where each of them counts.
func censusOf(people []roster.Person, level string) ([]roster.PlaceCount, func(phone string) []string) {
	all := roster.Scope{Level: roster.LevelAll}
	var census []roster.PlaceCount
	at := map[string]int{}
	keys := map[string][]string{}
	for _, p := range people {
		for _, c := range p.CountPlaces(all, level) {
			i, ok := at[c.Key()]
			if !ok {
				i = len(census)
				at[c.Key()] = i
				census = append(census, c)
			}
			census[i].People++
			keys[p.Phone] = append(keys[p.Phone], c.Key())
		}
	}
	return census, func(phone string) []string { return keys[phone] }
}

// TestCalendarReminderColumns: a sheet's रिमाइंडर and यात्रा नोट columns
// give a training its reminder plan, written the Hindi way or the plan's
// own, and its travel note; a plan nobody can read and a note too long
// are bad rows, said in Hindi; a changed plan or note is a change.
func TestCalendarReminderColumns(t *testing.T) {
	csv := "कोड,शीर्षक,स्थान,प्रारंभ,रिमाइंडर,यात्रा नोट\n" +
		"L-1,AMRUT,लखनऊ,2027-04-06 10:00,\"२ दिन पहले सुबह 10 बजे, शाम, 2 घंटे पहले\",बस सुबह 6 बजे ब्लॉक कार्यालय से चलेगी\n" +
		"L-2,AMRUT,लखनऊ,2027-04-07 10:00,\"उसी दिन सुबह 7 बजे, 90 मिनट\",\n" +
		"L-3,AMRUT,लखनऊ,2027-04-08 10:00,,\n" +
		"L-4,AMRUT,लखनऊ,2027-04-09 10:00,कल,\n" +
		"L-5,AMRUT,लखनऊ,2027-04-10 10:00,2h," + strings.Repeat("न", MaxNote+1) + "\n"
	rows, bad, err := ReadCalendar(strings.NewReader(csv), "cal.csv", CalendarOptions{})
	if err != nil || len(rows) != 3 {
		t.Fatalf("%v, %d rows: %+v", err, len(rows), rows)
	}
	for i, want := range [][]string{{"2d@10:00", "eve", "2h"}, {"0d@07:00", "90m"}, nil} {
		if got := rows[i].Training.Reminders; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("line %d: reminders %q, want %q", rows[i].Line, got, want)
		}
	}
	if rows[0].Training.Note != "बस सुबह 6 बजे ब्लॉक कार्यालय से चलेगी" || rows[1].Training.Note != "" {
		t.Errorf("notes %q, %q", rows[0].Training.Note, rows[1].Training.Note)
	}
	if len(bad) != 2 || !strings.Contains(bad[0].Hindi(), "पंक्ति 5: रिमाइंडर «कल» समझ नहीं आया (ऐसे लिखें: 2 दिन पहले 10:00, शाम, 2 घंटे") ||
		!strings.Contains(bad[1].Hindi(), "पंक्ति 6: यात्रा नोट 301 अक्षर का है, 300 तक लिखें") {
		t.Fatalf("bad rows: %v", bad)
	}
	// The same plan another way is no change; another note is.
	again := rows[0].Training
	again.Reminders = normalizedReminders([]string{"2d@10:00", "1d@18:00", "2h"})
	if _, fields := Differences(rows[0].Training, again); len(fields) != 0 {
		t.Errorf("the same plan written otherwise differs in %v", fields)
	}
	again.Reminders, again.Note = []string{"eve", "2h"}, "बस सुबह 5 बजे"
	if _, fields := Differences(rows[0].Training, again); strings.Join(fields, ",") != "reminders,note" {
		t.Errorf("a new plan and note differ in %v", fields)
	}
	if u := rows[0].Training.WithFieldsOf(again); strings.Join(u.Reminders, ",") != "eve,2h" || u.Note != "बस सुबह 5 बजे" {
		t.Errorf("the update keeps %q, %q", u.Reminders, u.Note)
	}
}

func TestNormalizeReminder(t *testing.T) {
	for in, want := range map[string]string{
		"eve": "eve", "शाम": "eve", " 2H ": "2h", "2 घंटे": "2h", "2 घंटे पहले": "2h", "१ घंटा पहले": "1h", "90 मिनट": "90m",
		"2 दिन पहले": "2d", "2 दिन पहले 10:00": "2d@10:00", "2 दिन पहले सुबह 10 बजे": "2d@10:00", "1 दिन पहले शाम 6 बजे": "eve", "2 दिन पहले शाम 6 बजे": "2d@18:00",
		"3 दिन पहले दोपहर 2:30 बजे": "3d@14:30", "उसी दिन सुबह 7 बजे": "0d@07:00", "2d@10:00": "2d@10:00",
		"कल": "कल", "उसी दिन": "उसी दिन", "2 घंटे पहले 10 बजे": "2 घंटे पहले 10 बजे",
	} {
		if got := NormalizeReminder(in); got != want {
			t.Errorf("NormalizeReminder(%q) = %q, want %q", in, got, want)
		}
	}
	// Written either way, one reminder is one job.
	a, err1 := ParseReminder("2 दिन पहले सुबह 10 बजे")
	b, err2 := ParseReminder("2d@10:00")
	if err1 != nil || err2 != nil || a != b {
		t.Errorf("%+v %v, %+v %v", a, err1, b, err2)
	}
}

// TestCalendarRowTheSpecRefusesIsSaidInHindi: a row whose cells each read
// but whose training cannot be (it ends before it starts) is said in the
// training's own Hindi, not in English inside the Hindi line.
func TestCalendarRowTheSpecRefusesIsSaidInHindi(t *testing.T) {
	csv := "Code,Title,Venue,Start,Days,End\n" +
		"rgsa-9,GPDP,Panchayat Bhawan,2027-04-06 10:00,1,09:00\n"
	_, bad, err := ReadCalendar(strings.NewReader(csv), "cal.csv", CalendarOptions{})
	if err != nil || len(bad) != 1 {
		t.Fatalf("%v %+v", err, bad)
	}
	if words := locales.EnglishWords(bad[0].Hindi()); len(words) > 0 {
		t.Errorf("English %q in the Hindi line: %s (English: %s)", words, bad[0].Hindi(), bad[0].Error())
	}
}
