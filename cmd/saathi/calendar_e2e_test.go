package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/bot/schedule"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/events"
	"github.com/saathi-bot/saathi/store/storetest"
	"github.com/saathi-bot/saathi/store/training"
)

// gp is a gram panchayat of the test's roster: its block, district and
// how many representatives it has.
type gp struct {
	name, block, district string
	people                int
}

var calendarGPs = []gp{
	{"ग्राम पंचायत अलीपुर", "बहादराबाद", "हरिद्वार", 3},
	{"ग्राम पंचायत बहादराबाद", "बहादराबाद", "हरिद्वार", 2},
	{"ग्राम पंचायत सलेमपुर", "बहादराबाद", "हरिद्वार", 2},
	{"ग्राम पंचायत माधोपुर", "रुड़की", "हरिद्वार", 2},
	{"ग्राम पंचायत सोहलपुर", "रुड़की", "हरिद्वार", 2},
	{"ग्राम पंचायत भानियावाला", "डोईवाला", "देहरादून", 2},
	{"ग्राम पंचायत माजरी", "डोईवाला", "देहरादून", 2},
	{"ग्राम पंचायत सभावाला", "सहसपुर", "देहरादून", 2},
	{"ग्राम पंचायत शंकरपुर", "सहसपुर", "देहरादून", 2},
	{"ग्राम पंचायत नागणी", "चंबा", "टिहरी गढ़वाल", 2},
	{"ग्राम पंचायत जड़धार", "चंबा", "टिहरी गढ़वाल", 2},
	{"ग्राम पंचायत लंबगांव", "प्रतापनगर", "टिहरी गढ़वाल", 2}, // no training planned
}

// calendarRoster writes the roster: the representatives of every GP (a
// pradhan, then ward members), phones 91000001xx in order, and a district
// coordinator of हरिद्वार. It returns the phones of each GP (E.164).
func calendarRoster(t *testing.T, dir string) (string, map[string][]string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("नाम,मोबाइल,भूमिका,मंडल,जनपद,विकासखंड,निकाय\n")
	phones := map[string][]string{}
	n := 0
	for _, g := range calendarGPs {
		for i := range g.people {
			n++
			role := "ward_member"
			if i == 0 {
				role = "pradhan"
			}
			phone := fmt.Sprintf("91000001%02d", n)
			fmt.Fprintf(&b, "व्यक्ति %d,%s,%s,गढ़वाल,%s,%s,%s\n", n, phone, role, g.district, g.block, g.name)
			phones[g.name] = append(phones[g.name], "+91"+phone)
		}
	}
	b.WriteString("रमेश नेगी,9100000199,coordinator,गढ़वाल,हरिद्वार,,\n")
	file := filepath.Join(dir, "roster.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return file, phones
}

// calendarWorld is a Redis of the tests' own with the calendar roster
// imported, and the year their trainings are planned for (the next).
type calendarWorld struct {
	vars   map[string]string
	rdb    redis.UniversalClient
	dir    string
	year   int
	phones map[string][]string
}

func newCalendarWorld(t *testing.T) calendarWorld {
	t.Helper()
	c := calendarWorld{vars: map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}, rdb: storetest.Redis(t, storetest.DBCommand, nil),
		dir: t.TempDir(), year: time.Now().In(locales.IST).Year() + 1}
	rosterFile, phones := calendarRoster(t, c.dir)
	if out, err := runCmd(t, c.vars, "", "import", rosterFile); err != nil || !strings.Contains(out, "26 लोग जोड़े गए") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	c.phones = phones
	return c
}

// calendarRow is one training of the test's calendar.
type calendarRow struct {
	code, title, venue, latlon string
	start                      time.Time
	startText                  string // instead of start, as typed
	days                       int
	batch, invite              string
}

// calendarRows: two trainings (चरण 1 in April, चरण 2 in May) for every GP
// but the last, 22 in all.
func calendarRows(year int) []calendarRow {
	var rows []calendarRow
	short := map[string]string{"हरिद्वार": "HR", "देहरादून": "DD", "टिहरी गढ़वाल": "TG"}
	count := map[string]int{}
	for i, g := range calendarGPs[:len(calendarGPs)-1] {
		for phase := 1; phase <= 2; phase++ {
			count[g.district]++
			start := time.Date(year, 4, 5+i, 10, 0, 0, 0, locales.IST)
			days := 2
			if phase == 2 {
				start, days = time.Date(year, 5, 10+i, 11, 0, 0, 0, locales.IST), 1
			}
			latlon := ""
			if i%3 == 0 {
				latlon = fmt.Sprintf("29.9%d, 78.1%d", i, phase)
			}
			rows = append(rows, calendarRow{
				code:  fmt.Sprintf("RGSA-%d-%s-%02d", year, short[g.district], count[g.district]),
				title: fmt.Sprintf("ग्राम पंचायत विकास योजना, चरण %d", phase), venue: g.name + " पंचायत भवन", latlon: latlon,
				start: start, days: days, batch: fmt.Sprintf("चरण %d", phase), invite: "body=" + g.name,
			})
		}
	}
	return rows
}

// writeCalendarXLSX writes rows as the coordinators' Excel calendar, with
// Hindi headers; the first rows' starts are Excel date cells, the others
// text as people type it (day first).
func writeCalendarXLSX(t *testing.T, path string, rows []calendarRow) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Sheet1"
	head := []any{"कोड", "शीर्षक", "विषय", "स्थान", "अक्षांश/देशांतर", "प्रारंभ", "दिन", "समाप्ति", "बैच", "क्षमता", "मॉड्यूल", "किसे बुलाना है"}
	if err := f.SetSheetRow(sheet, "A1", &head); err != nil {
		t.Fatal(err)
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 22}) // m/d/yy h:mm
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		var start any = r.start.Format("02/01/2006 15:04")
		if r.startText != "" {
			start = r.startText
		} else if i < 3 { // a date cell: Excel keeps a number
			start = time.Date(r.start.Year(), r.start.Month(), r.start.Day(), r.start.Hour(), r.start.Minute(), 0, 0, time.UTC)
		}
		line := []any{r.code, r.title, "GPDP", r.venue, r.latlon, start, r.days, "16:00", r.batch, 30, "GPDP, बजट", r.invite}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, cell, &line); err != nil {
			t.Fatal(err)
		}
		if i < 3 {
			c, _ := excelize.CoordinatesToCellName(6, i+2)
			if err := f.SetCellStyle(sheet, c, c, dateStyle); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// TestCalendarImportCoverageAndMoveByPlace is issue 16's acceptance, end
// to end on a real Redis through the commands and the real flows: a
// GP-wise calendar of 22 trainings for 3 districts imported from Excel
// with Hindi headers (checked first, a bad copy refused whole); imported
// again with one training moved: one move told to its invitees, nothing
// duplicated; coverage by block equal to a table worked out by hand (text,
// chat and Excel); a district moved by a window with a reason: its
// invitees and nobody else told, once a training, with the old and the
// new date and the year; its reminders moved.
func TestCalendarImportCoverageAndMoveByPlace(t *testing.T) {
	c := newCalendarWorld(t)
	vars, rdb, dir, year, phones := c.vars, c.rdb, c.dir, c.year, c.phones
	ctx := context.Background()
	Y := strconv.Itoa(year)
	rows := calendarRows(year)
	if len(rows) != 22 {
		t.Fatalf("%d rows", len(rows))
	}
	cal := filepath.Join(dir, "calendar.xlsx")
	writeCalendarXLSX(t, cal, rows)

	count := func(flow string) []events.Event {
		t.Helper()
		var out []events.Event
		for _, ev := range published(t, rdb) {
			if ev.Flow == flow {
				out = append(out, ev)
			}
		}
		return out
	}
	list := func(args ...string) []string {
		t.Helper()
		out, err := runCmd(t, vars, "", append([]string{"training", "list"}, args...)...)
		if err != nil {
			t.Fatalf("training list %v: %v\n%s", args, err, out)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		return lines[1:]
	}

	// A bad copy: a date nobody can read, a row without its code, a code
	// twice, a gram panchayat misspelt. Every bad row is named by its
	// line (the misspelt place with the roster's name for it); nothing is
	// created.
	bad := slices.Clone(rows)
	bad[3].startText = "31/02/" + Y + " 10:00"
	bad[7].code = ""
	bad[10].code = bad[9].code
	bad[12].invite = "body=ग्राम पंचायत सलेमपूर" // सलेमपुर, misspelt
	badFile := filepath.Join(dir, "bad.xlsx")
	writeCalendarXLSX(t, badFile, bad)
	out, err := runCmd(t, vars, "", "training", "add", "--file", badFile)
	for _, want := range []string{"पंक्ति 5: प्रारंभ «31/02/" + Y + " 10:00» सही तारीख़ नहीं है", "पंक्ति 9: कोड ख़ाली है", "पंक्ति 12: कोड " + rows[9].code + " पंक्ति 11 में पहले से है",
		"पंक्ति 14: किसे बुलाना है: लोगों की सूची में निकाय «ग्राम पंचायत सलेमपूर» का कोई नहीं है, क्या «ग्राम पंचायत सलेमपुर» लिखना था?",
		"4 पंक्तियाँ ग़लत हैं, इसलिए कुछ नहीं बदला"} {
		if err == nil || !strings.Contains(out+err.Error(), want) {
			t.Fatalf("bad calendar lacks %q: %v\n%s", want, err, out)
		}
	}
	if got := list(); len(got) != 0 || len(count("invite")) != 0 {
		t.Fatalf("a refused calendar created %q", got)
	}

	// --dry-run says what would happen and writes nothing.
	out, err = runCmd(t, vars, "", "training", "add", "--dry-run", "--file", cal)
	if err != nil || !strings.Contains(out, "जाँच: 22 नए बनते, 0 की तारीख़ बदलती, 0 बदलते, 0 पहले जैसे रहते; नए प्रशिक्षणों के 46 निमंत्रण जाते। कुछ लिखा नहीं गया।") ||
		!strings.Contains(out, "-\tग्राम पंचायत विकास योजना, चरण 1\t"+locales.DateTime("hi", rows[0].start, time.Now())+"\tनया बनेगा, 3 लोगों को निमंत्रण जाएगा\tकोड "+rows[0].code+", पंक्ति 2") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	if got := list(); len(got) != 0 {
		t.Fatalf("a dry run created %q", got)
	}

	// The import: 22 trainings, everyone of their GP invited.
	out, err = runCmd(t, vars, "", "training", "add", "--file", cal)
	if err != nil || !strings.Contains(out, "कैलेंडर: 22 नए, 0 की तारीख़ बदली, 0 बदले, 0 पहले जैसे। 46 लोगों को नया निमंत्रण गया।") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	// The Excel date cells and the typed dates alike, in IST, with the year.
	if !strings.Contains(out, "\tग्राम पंचायत विकास योजना, चरण 1\t"+locales.DateTime("hi", rows[0].start, time.Now())+"\tनया, 3 लोगों को बुलाया\tकोड "+rows[0].code+", पंक्ति 2") ||
		!strings.Contains(out, locales.DateTime("hi", rows[5].start, time.Now())) || !strings.Contains(locales.DateTime("hi", rows[0].start, time.Now()), Y) {
		t.Fatalf("import lines:\n%s", out)
	}
	if got := list(); len(got) != 22 {
		t.Fatalf("%d trainings listed:\n%s", len(got), strings.Join(got, "\n"))
	}
	invitations := len(count("invite"))
	if invitations != 46 {
		t.Fatalf("%d invitations", invitations)
	}

	// Again, with one training (Tehri's third) a week later: one move, told
	// to its two invitees; nothing new, nothing twice.
	moved := 20
	if rows[moved].code != "RGSA-"+Y+"-TG-03" {
		t.Fatalf("row %d is %s", moved, rows[moved].code)
	}
	oldStart := rows[moved].start
	rows[moved].start = oldStart.AddDate(0, 0, 7)
	writeCalendarXLSX(t, cal, rows)
	out, err = runCmd(t, vars, "", "training", "add", "--file", cal)
	if err != nil || !strings.Contains(out, "कैलेंडर: 0 नए, 1 की तारीख़ बदली, 0 बदले, 21 पहले जैसे। 0 लोगों को नया निमंत्रण गया।") ||
		!strings.Contains(out, "तारीख़ बदली (पहले "+locales.DateTime("hi", oldStart, time.Now())+"), सबको बता दिया\tकोड RGSA-"+Y+"-TG-03") {
		t.Fatalf("re-import: %v\n%s", err, out)
	}
	if got := list(); len(got) != 22 {
		t.Fatalf("after the re-import %d trainings", len(got))
	}
	if n := len(count("invite")); n != invitations {
		t.Fatalf("the re-import sent %d invitations more", n-invitations)
	}
	notices := count(schedule.FlowChanged)
	if len(notices) != 2 || !equalSets(phonesOf(notices), phones["ग्राम पंचायत जड़धार"]) {
		t.Fatalf("re-import notices: %+v", notices)
	}

	// Answers and attendance, for the coverage.
	a := testApp(t, vars)
	byCode := map[string]training.Training{}
	for _, r := range rows {
		tr, ok, err := a.svc.Trainings.ByCode(ctx, r.code)
		if err != nil || !ok {
			t.Fatalf("code %s: %v %v", r.code, ok, err)
		}
		byCode[r.code] = tr
	}
	alipur, bahadrabad, bhaniyawala := phones["ग्राम पंचायत अलीपुर"], phones["ग्राम पंचायत बहादराबाद"], phones["ग्राम पंचायत भानियावाला"]
	answer := func(code, phone, ans string, came bool) {
		t.Helper()
		id := byCode[code].ID
		if _, err := a.svc.Trainings.Answer(ctx, id, phone, ans, "", time.Now()); err != nil {
			t.Fatal(err)
		}
		if came {
			if _, err := a.svc.Trainings.CheckIn(ctx, id, phone, 0, training.MethodCoordinator, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	answer("RGSA-"+Y+"-HR-01", alipur[0], "yes", true)
	answer("RGSA-"+Y+"-HR-01", alipur[1], "yes", false)
	answer("RGSA-"+Y+"-HR-01", alipur[2], "no", false)
	answer("RGSA-"+Y+"-HR-02", alipur[0], "yes", true) // the same person, counted once
	answer("RGSA-"+Y+"-HR-03", bahadrabad[0], "yes", true)
	answer("RGSA-"+Y+"-DD-01", bhaniyawala[0], "yes", true)
	answer("RGSA-"+Y+"-DD-01", bhaniyawala[1], "yes", false)

	// Coverage by block, worked out by hand: people, planned, invited, confirmed, attended.
	hand := map[string][5]int{
		"प्रतापनगर": {2, 0, 0, 0, 0},
		"बहादराबाद": {7, 6, 7, 3, 2},
		"रुड़की":    {4, 4, 4, 0, 0},
		"डोईवाला":   {4, 4, 4, 2, 1},
		"सहसपुर":    {4, 4, 4, 0, 0},
		"चंबा":      {4, 4, 4, 0, 0},
		"कुल":       {25, 22, 23, 5, 3},
	}
	xlsx := filepath.Join(dir, "coverage.xlsx")
	out, err = runCmd(t, vars, "", "coverage", "--level", "block", "-o", xlsx)
	if err != nil {
		t.Fatalf("coverage: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[1], "प्रतापनगर ") {
		t.Errorf("the block with no training is not first:\n%s", out)
	}
	wb, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	sheetRows, err := wb.GetRows("कवरेज")
	wb.Close()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(sheetRows[0], "|") != "विकासखंड|जनपद|कुल प्रतिनिधि|तय प्रशिक्षण|बुलाए गए|आने की हाँ|कम से कम एक दिन आए|प्रशिक्षित (%)" {
		t.Errorf("coverage header %q", sheetRows[0])
	}
	if len(sheetRows) != len(hand)+1 || sheetRows[1][0] != "प्रतापनगर" {
		t.Fatalf("coverage sheet: %q", sheetRows)
	}
	for _, r := range sheetRows[1:] {
		w, ok := hand[r[0]]
		if !ok {
			t.Errorf("coverage row %q is not in the hand table", r)
			continue
		}
		var got [5]int
		for i := range got {
			got[i], _ = strconv.Atoi(r[2+i])
		}
		share := 0.0
		if w[0] > 0 {
			share = float64(int(1000*float64(w[4])/float64(w[0])+0.5)) / 10
		}
		if got != w || r[7] != strconv.FormatFloat(share, 'f', -1, 64) {
			t.Errorf("coverage of %s: %v %s%%, by hand %v %v%%", r[0], got, r[7], w, share)
		}
		// The text shows the same figures.
		text := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(r[0]) + ` +\S.*? +` + fmt.Sprintf("%d +%d +%d +%d +%d ", w[0], w[1], w[2], w[3], w[4]))
		if !text.MatchString(out) {
			t.Errorf("coverage text lacks %s %v:\n%s", r[0], w, out)
		}
	}

	// The district coordinator asks in chat: their blocks.
	if err := a.svc.Identity.Link(ctx, "telegram", "c1", "+919100000199"); err != nil {
		t.Fatal(err)
	}
	res, err := a.engine.Step(ctx, flows.State{Lang: "hi"}, flows.Input{Channel: "telegram", User: "c1", ID: "m1", Text: "कवरेज"}, time.Now())
	if err != nil || len(res.Replies) != 2 || res.Replies[1].File == nil {
		t.Fatalf("कवरेज: %v %+v", err, res.Replies)
	}
	// Then the same figures as an Excel file: her district's blocks, and the total.
	chatBook, err := excelize.OpenReader(bytes.NewReader(res.Replies[1].File.Data))
	if err != nil || !strings.HasSuffix(res.Replies[1].File.Name, ".xlsx") || res.Replies[1].Text != "यही आँकड़े एक्सेल में, हर जगह की एक पंक्ति।" {
		t.Fatalf("the coverage file %q %q: %v", res.Replies[1].File.Name, res.Replies[1].Text, err)
	}
	chatRows, err := chatBook.GetRows("कवरेज")
	chatBook.Close()
	if err != nil || len(chatRows) != 4 || strings.Join(chatRows[0], "|") != strings.Join(sheetRows[0], "|") {
		t.Fatalf("the coverage file's rows: %q, %v", chatRows, err)
	}
	for _, r := range chatRows[1:] {
		w := hand[r[0]]
		if r[0] == "कुल" {
			w = [5]int{11, 10, 11, 3, 2}
		}
		if got := strings.Join(r[2:7], " "); got != fmt.Sprintf("%d %d %d %d %d", w[0], w[1], w[2], w[3], w[4]) {
			t.Errorf("the coverage file's %s: %s, by hand %v", r[0], got, w)
		}
	}
	for _, want := range []string{
		"📊 हरिद्वार में प्रशिक्षण कहाँ तक पहुँचा (विकासखंड के हिसाब से):",
		"• बहादराबाद: 7 में से 2 प्रशिक्षित (29%) · 6 प्रशिक्षण · बुलाए 7 · हाँ 3",
		"• रुड़की: 4 में से 0 प्रशिक्षित (0%) · 4 प्रशिक्षण · बुलाए 4 · हाँ 0",
		"कुल: 11 में से 2 प्रशिक्षित (18%) · 10 प्रशिक्षण · बुलाए 11 · हाँ 3",
	} {
		if !strings.Contains(res.Replies[0].Text, want) {
			t.Errorf("chat coverage lacks %q:\n%s", want, res.Replies[0].Text)
		}
	}
	if strings.Contains(res.Replies[0].Text, "डोईवाला") {
		t.Errorf("chat coverage goes outside the coordinator's district:\n%s", res.Replies[0].Text)
	}
	// A representative may not.
	if err := a.svc.Identity.Link(ctx, "telegram", "r1", alipur[1]); err != nil {
		t.Fatal(err)
	}
	res, err = a.engine.Step(ctx, flows.State{Lang: "hi"}, flows.Input{Channel: "telegram", User: "r1", ID: "m2", Text: "कवरेज"}, time.Now())
	if err != nil || len(res.Replies) != 1 || !strings.Contains(res.Replies[0].Text, "सिर्फ़ अपने क्षेत्र के समन्वयकों के लिए") {
		t.Errorf("a representative's कवरेज: %v %+v", err, res.Replies)
	}
	// By gram panchayat: टिहरी's GP with no training first, its block beside it.
	out, err = runCmd(t, vars, "", "coverage", "--scope", "जनपद=टिहरी गढ़वाल", "--level", "gp", "--lang", "en")
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if err != nil || len(lines) != 5 || !strings.HasPrefix(lines[0], "Gram panchayat / body") ||
		!regexp.MustCompile(`^ग्राम पंचायत लंबगांव +प्रतापनगर +2 +0 +0 +0 +0 +0.0$`).MatchString(lines[1]) ||
		!regexp.MustCompile(`^Total +- +6 +4 +4 +0 +0 +0.0$`).MatchString(lines[4]) {
		t.Errorf("coverage by GP:\n%s", out)
	}

	// By division: the state's one division, no column for what it is in.
	out, err = runCmd(t, vars, "", "coverage", "--level", "division", "--lang", "en")
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if err != nil || len(lines) != 3 || !regexp.MustCompile(`^Division +Representatives on the roster +Trainings planned`).MatchString(lines[0]) ||
		!regexp.MustCompile(`^गढ़वाल +25 +22 +23 +5 +3 +12.0$`).MatchString(lines[1]) {
		t.Errorf("coverage by division:\n%s", out)
	}

	// The reminders are scheduled, as serve's minute loop does.
	sched := a.scheduler()
	defer sched.Close()
	if n, err := sched.SyncAll(ctx); err != nil || n != 22 {
		t.Fatalf("scheduled %d trainings: %v", n, err)
	}

	// हरिद्वार moves from April to September, with a reason: first a dry run.
	before := len(count(schedule.FlowChanged))
	reason := "कुंभ मेला और चुनाव"
	out, err = runCmd(t, vars, "", "training", "move", "--scope", "district=हरिद्वार", "--from", Y+"-04", "--to", Y+"-09", "--reason", reason, "--dry-run")
	if err != nil || !strings.Contains(out, "10 प्रशिक्षण, 22 लोगों को बताया जाता। कुछ नहीं बदला।") {
		t.Fatalf("move --dry-run: %v\n%s", err, out)
	}
	if n := len(count(schedule.FlowChanged)); n != before {
		t.Fatalf("a dry run told %d people", n-before)
	}
	out, err = runCmd(t, vars, "", "training", "move", "--scope", "district=हरिद्वार", "--from", Y+"-04", "--to", Y+"-09", "--reason", reason)
	if err != nil || !strings.Contains(out, "10 प्रशिक्षण, 22 लोगों को बता दिया।") ||
		!strings.Contains(out, locales.DateTime("hi", rows[0].start, time.Now())+" → "+locales.DateTime("hi", rows[0].start.AddDate(0, 5, 0), time.Now())) {
		t.Fatalf("move: %v\n%s", err, out)
	}
	told := count(schedule.FlowChanged)[before:]
	var haridwar []string
	perPhone := map[string]int{}
	pairs := map[string]int{}
	for _, g := range calendarGPs[:5] {
		haridwar = append(haridwar, phones[g.name]...)
	}
	for _, ev := range told {
		perPhone[ev.Phone]++
		pairs[ev.Vars["training"]+" "+ev.Phone]++
		if ev.Vars["reason"] != reason || ev.Vars["old"] == "" {
			t.Errorf("notice without the reason or the old date: %+v", ev)
		}
	}
	if !equalSets(keys(perPhone), haridwar) {
		t.Fatalf("told %v, want हरिद्वार's invitees %v", keys(perPhone), haridwar)
	}
	for pair, n := range pairs {
		if n != 1 {
			t.Errorf("%s told %d times", pair, n)
		}
	}
	for phone, n := range perPhone {
		if n != 2 { // each is invited to their GP's two trainings
			t.Errorf("%s told %d times, want once for each of their 2 trainings", phone, n)
		}
	}
	// Run again: the window [April, September) is empty now; nobody is told twice.
	out, err = runCmd(t, vars, "", "training", "move", "--scope", "district=हरिद्वार", "--from", Y+"-04", "--to", Y+"-09", "--reason", reason)
	if err != nil || !strings.Contains(out, "ऐसा कोई प्रशिक्षण नहीं मिला") || len(count(schedule.FlowChanged)) != before+len(told) {
		t.Fatalf("the move again: %v\n%s", err, out)
	}

	// The notice through the real flow, as one of them reads it: the
	// reason, the old date and the new, both with the year.
	person := alipur[0]
	if err := a.svc.Identity.Link(ctx, "telegram", "p1", person); err != nil {
		t.Fatal(err)
	}
	var notice events.Event
	for _, ev := range told {
		if ev.Phone == person && ev.Vars["training"] == byCode["RGSA-"+Y+"-HR-01"].ID {
			notice = ev
		}
	}
	res, err = a.engine.Step(ctx, flows.State{Lang: "hi"}, flows.Input{Channel: "telegram", User: "p1", ID: "ev:" + notice.ID, Event: &flows.Event{Flow: notice.Flow, Vars: notice.Vars}}, time.Now())
	if err != nil || len(res.Replies) != 1 {
		t.Fatalf("notice: %v %+v", err, res.Replies)
	}
	newStart := rows[0].start.AddDate(0, 5, 0)
	for _, want := range []string{
		"📅 प्रशिक्षण की तारीख़ बदल गई है: ग्राम पंचायत विकास योजना, चरण 1",
		"कारण: कुंभ मेला और चुनाव",
		"पहले: " + locales.DateTime("hi", rows[0].start, time.Now()),
		"🗓 दिन 1: " + locales.DateTime("hi", newStart, time.Now()) + " – शाम 4 बजे",
		"सितंबर " + Y, "अप्रैल " + Y,
	} {
		if !strings.Contains(res.Replies[0].Text, want) {
			t.Errorf("notice lacks %q:\n%s", want, res.Replies[0].Text)
		}
	}

	// Its reminders moved: every job the moved training plans is scheduled
	// at its new time, and none of the old times is left.
	s := sched
	insp := asynq.NewInspectorFromRedisClient(a.rdb)
	tasks, err := insp.ListScheduledTasks(s.Queue(), asynq.PageSize(1000))
	if err != nil {
		t.Fatal(err)
	}
	scheduled := map[string]time.Time{}
	for _, ti := range tasks {
		scheduled[ti.ID] = ti.NextProcessAt
	}
	for _, code := range []string{"RGSA-" + Y + "-HR-01", "RGSA-" + Y + "-HR-10"} {
		tr, _, err := a.svc.Trainings.ByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if tr.First().Month() < time.September {
			t.Fatalf("%s still starts %v", code, tr.First())
		}
		plan := s.Plan(tr)
		if len(plan) == 0 {
			t.Fatalf("%s plans no reminders", code)
		}
		for _, j := range plan {
			if at, ok := scheduled[j.ID]; !ok || !at.Equal(j.At) {
				t.Errorf("%s: job %s scheduled at %v, want %v", code, j.ID, at, j.At)
			}
		}
		for id, at := range scheduled {
			if strings.Contains(id, ":"+tr.ID+":") && at.Before(tr.First().AddDate(0, 0, -7)) {
				t.Errorf("%s: job %s still at %v", code, id, at)
			}
		}
	}
	// The other districts kept their dates.
	if got, _, _ := a.svc.Trainings.ByCode(ctx, "RGSA-"+Y+"-DD-01"); !got.First().Equal(rows[10].start) {
		t.Errorf("देहरादून's training moved to %v", got.First())
	}

	// The list by place, month and batch.
	if got := list("--scope", "district=हरिद्वार"); len(got) != 10 || !strings.Contains(got[0], "ग्राम पंचायत अलीपुर, बहादराबाद, हरिद्वार") {
		t.Errorf("list of हरिद्वार:\n%s", strings.Join(got, "\n"))
	}
	if got := list("--from", Y+"-05", "--to", Y+"-05", "--batch", "चरण 2"); len(got) != 6 {
		t.Errorf("May's चरण 2 (देहरादून and टिहरी): %d\n%s", len(got), strings.Join(got, "\n"))
	}
	if got := list("--scope", "block=बहादराबाद"); len(got) != 6 || !regexp.MustCompile(`अलीपुर, बहादराबाद, हरिद्वार +\S.* +चरण 1 +3 +2 +1$`).MatchString(got[0]) {
		t.Errorf("list of बहादराबाद: %q", got)
	}

	// Next year's plan from this year's: a calendar file that imports.
	next := filepath.Join(dir, "next.xlsx")
	out, err = runCmd(t, vars, "", "calendar", "copy", "--from", Y, "--to", strconv.Itoa(year+1), "--scope", "district=देहरादून", "-o", next)
	if err != nil || !strings.Contains(out, ": "+Y+" के 8 प्रशिक्षण, "+strconv.Itoa(year+1)+" की तारीख़ों के साथ।") {
		t.Fatalf("calendar copy: %v\n%s", err, out)
	}
	out, err = runCmd(t, vars, "", "training", "add", "--dry-run", "--file", next)
	if err != nil || !strings.Contains(out, "जाँच: 8 नए बनते") || !strings.Contains(out, "RGSA-"+strconv.Itoa(year+1)+"-DD-01") ||
		!strings.Contains(out, locales.DateTime("hi", rows[10].start.AddDate(1, 0, 0), time.Now())) {
		t.Fatalf("the copy, checked: %v\n%s", err, out)
	}
}

// testApp opens the app on vars' Redis, as a command would.
func testApp(t *testing.T, vars map[string]string) *app {
	t.Helper()
	e := env{getenv: func(k string) string { return vars[k] }}
	fs, cfgOf := commandFlags(e, "test")
	cfg, err := parseFlags(fs, cfgOf, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := openApp(context.Background(), cfg, newLogger(cfg, os.Stderr), false, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func phonesOf(evs []events.Event) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Phone)
	}
	return out
}

// published is every event on the stream, in order.
func published(t *testing.T, rdb redis.UniversalClient) []events.Event {
	t.Helper()
	msgs, err := rdb.XRange(context.Background(), "saathi:events", "-", "+").Result()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]events.Event, 0, len(msgs))
	for _, m := range msgs {
		var ev events.Event
		if err := json.Unmarshal([]byte(m.Values["e"].(string)), &ev); err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
	return out
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func equalSets(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b)) && len(a) == len(b)
}

// TestCancelByPlaceAndMoveOne: a block's trainings cancelled with a
// reason (a dry run first), only theirs; one training moved by id to
// 15:05 keeps its end at 16:00, and --end gives new hours.
func TestCancelByPlaceAndMoveOne(t *testing.T) {
	c := newCalendarWorld(t)
	vars, rdb, dir, year := c.vars, c.rdb, c.dir, c.year
	ctx := context.Background()
	cal := filepath.Join(dir, "calendar.xlsx")
	writeCalendarXLSX(t, cal, calendarRows(year))
	if out, err := runCmd(t, vars, "", "training", "add", "--file", cal); err != nil {
		t.Fatalf("training add: %v\n%s", err, out)
	}
	told := func() int {
		n, err := rdb.XLen(ctx, "saathi:events").Result()
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	before := told()
	out, err := runCmd(t, vars, "", "training", "cancel", "--scope", "block=रुड़की", "--reason", "बाढ़", "--dry-run", "--lang", "en")
	if err != nil || !strings.Contains(out, "4 trainings, 8 people would be told. Nothing changed.") || told() != before {
		t.Fatalf("cancel --dry-run: %v\n%s", err, out)
	}
	// A place nobody on the roster is at is refused, with the name meant.
	for _, args := range [][]string{
		{"training", "cancel", "--scope", "block=रुड़कीं", "--reason", "बाढ़"},
		{"training", "move", "--scope", "block=रुड़कीं", "--shift", "1w"},
		{"training", "list", "--scope", "block=रुड़कीं"},
		{"coverage", "--scope", "block=रुड़कीं"},
	} {
		if out, err := runCmd(t, vars, "", args...); err == nil || !strings.Contains(err.Error(), "लोगों की सूची में विकासखंड «रुड़कीं» का कोई नहीं है, क्या «रुड़की» लिखना था?") || told() != before {
			t.Errorf("%q: %v\n%s", args, err, out)
		}
	}
	out, err = runCmd(t, vars, "", "training", "cancel", "--scope", "block=रुड़की", "--reason", "बाढ़")
	if err != nil || !strings.Contains(out, "4 प्रशिक्षण, 8 लोगों को बता दिया।") || told() != before+8 {
		t.Fatalf("cancel: %v\n%s", err, out)
	}
	a := testApp(t, vars)
	ts, err := a.svc.Trainings.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cancelled := 0
	for _, tr := range ts {
		if tr.Cancelled {
			cancelled++
			if tr.Place.Block != "रुड़की" {
				t.Errorf("%s of %s cancelled", tr.ID, tr.Place.Block)
			}
		}
	}
	if cancelled != 4 {
		t.Errorf("%d cancelled", cancelled)
	}
	// A shift into the past moves nothing, and says which training.
	dd1, _, _ := a.svc.Trainings.ByCode(ctx, fmt.Sprintf("RGSA-%d-DD-01", year))
	if out, err := runCmd(t, vars, "", "training", "move", "--scope", "district=देहरादून", "--shift", "-24mo", "--reason", "x"); err == nil ||
		!strings.Contains(err.Error(), dd1.ID+" (ग्राम पंचायत विकास योजना, चरण 1) की नई तारीख़ ") || !strings.Contains(err.Error(), "जो बीत चुकी है। कुछ नहीं बदला।") || told() != before+8 {
		t.Fatalf("a move into the past: %v\n%s", err, out)
	}
	// टिहरी गढ़वाल two weeks later: its four trainings, their eight invitees told.
	tg1, _, _ := a.svc.Trainings.ByCode(ctx, fmt.Sprintf("RGSA-%d-TG-01", year))
	out, err = runCmd(t, vars, "", "training", "move", "--scope", "district=टिहरी गढ़वाल", "--shift", "2w", "--reason", "सड़क बंद")
	if err != nil || !strings.Contains(out, "4 प्रशिक्षण, 8 लोगों को बता दिया।") || told() != before+16 {
		t.Fatalf("move --shift 2w: %v\n%s", err, out)
	}
	if got, _, _ := a.svc.Trainings.Get(ctx, tg1.ID); !got.First().Equal(tg1.First().AddDate(0, 0, 14)) || !got.Days[1].End.Equal(tg1.Days[1].End.AddDate(0, 0, 14)) {
		t.Errorf("shifted 2w: %v, was %v", got.Days, tg1.Days)
	}
	// The calendar as it is now, the shift in it: imported, it changes nothing.
	now := filepath.Join(dir, "now.xlsx")
	if out, err := runCmd(t, vars, "", "calendar", "copy", "--from", strconv.Itoa(year), "--to", strconv.Itoa(year), "-o", now); err != nil ||
		!strings.Contains(out, ": "+strconv.Itoa(year)+" के 18 प्रशिक्षण, जैसे वे अभी हैं।") {
		t.Fatalf("calendar copy to the same year: %v\n%s", err, out)
	}
	if out, err := runCmd(t, vars, "", "training", "add", "--file", now); err != nil || !strings.Contains(out, "कैलेंडर: 0 नए, 0 की तारीख़ बदली, 0 बदले, 18 पहले जैसे। 0 लोगों को नया निमंत्रण गया।") ||
		told() != before+16 {
		t.Fatalf("the calendar as it is, imported: %v\n%s", err, out)
	}
	// Re-importing the calendar leaves them cancelled, and says so.
	out, err = runCmd(t, vars, "", "training", "add", "--file", cal)
	if err != nil || !strings.Contains(out, "4 की तारीख़ बदली, 0 बदले, 14 पहले जैसे, 4 रद्द (छोड़े)") {
		t.Fatalf("re-import: %v\n%s", err, out)
	}

	// One training by id: 10:00 to 15:05, its 16:00 end kept.
	tr, _, _ := a.svc.Trainings.ByCode(ctx, fmt.Sprintf("RGSA-%d-DD-01", year))
	newStart := time.Date(year, 4, 20, 15, 5, 0, 0, locales.IST)
	out, err = runCmd(t, vars, "", "training", "move", tr.ID, "--start", newStart.Format("2006-01-02T15:04"), "--reason", "सभागार ख़ाली नहीं")
	if err != nil || !strings.Contains(out, "अब "+locales.DateTime("hi", newStart, time.Now())+" से\t2 लोगों को बता दिया") {
		t.Fatalf("move: %v\n%s", err, out)
	}
	got, _, _ := a.svc.Trainings.Get(ctx, tr.ID)
	if !got.Days[0].End.Equal(time.Date(year, 4, 20, 16, 0, 0, 0, locales.IST)) || !got.Days[1].End.Equal(time.Date(year, 4, 21, 16, 0, 0, 0, locales.IST)) {
		t.Errorf("after the move to 15:05 the days end %v, %v; want 16:00", got.Days[0].End, got.Days[1].End)
	}
	if out, err := runCmd(t, vars, "", "training", "move", tr.ID, "--end", "18:30"); err != nil {
		t.Fatalf("move --end: %v\n%s", err, out)
	}
	got, _, _ = a.svc.Trainings.Get(ctx, tr.ID)
	if !got.Days[0].Start.Equal(newStart) || !got.Days[1].End.Equal(time.Date(year, 4, 21, 18, 30, 0, 0, locales.IST)) {
		t.Errorf("--end 18:30: %+v", got.Days)
	}
	if _, err := runCmd(t, vars, "", "training", "move", tr.ID, "--start", newStart.Format("2006-01-02")+"T19:00"); err == nil || !strings.Contains(err.Error(), "ख़त्म होने का समय भी दें") {
		t.Errorf("a start after the end: %v", err)
	}
}
