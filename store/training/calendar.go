package training

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	textclean "github.com/saathi-bot/saathi/flows/clean"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/sheet"
)

// CalendarRow is one training of a calendar file, with the line it is on.
type CalendarRow struct {
	Line     int
	Training Training // Code set; no ID
}

// CalendarOptions are what reading a calendar goes by.
type CalendarOptions struct {
	// Limits bound the file as they bound a roster file.
	Limits roster.Limits
	// Invite, when set, checks a row's whom-to-invite filter (the
	// designations the file may name are the caller's).
	Invite func(filter string) error
}

// Calendar columns, the keys of calendarHeaders.
const (
	calTitle     = "title"
	calTopic     = "topic"
	calVenue     = "venue"
	calLat       = "lat"
	calLon       = "lon"
	calLatLon    = "latlon"
	calStart     = "start"
	calDays      = "days"
	calEnd       = "end"
	calBatch     = "batch"
	calCapacity  = "capacity"
	calModules   = "modules"
	calInvite    = "invite"
	calCode      = "code"
	calRadius    = "radius"
	calReminders = "reminders"
	calNote      = "note"
)

// CalendarColumns are the columns of a calendar file in their order, each
// with its Hindi and English header: what a sample or a copied calendar is
// written with.
var CalendarColumns = []struct{ Key, Hi, En string }{
	{calCode, "कोड", "code"},
	{calTitle, "शीर्षक", "title"},
	{calTopic, "विषय", "topic"},
	{calVenue, "स्थान", "venue"},
	{calLatLon, "अक्षांश/देशांतर", "lat/lon"},
	{calStart, "प्रारंभ", "start"},
	{calDays, "दिन", "days"},
	{calEnd, "समाप्ति", "end"},
	{calBatch, "बैच", "batch"},
	{calCapacity, "क्षमता", "capacity"},
	{calModules, "मॉड्यूल", "modules"},
	{calInvite, "किसे बुलाना है", "invite"},
	{calReminders, "रिमाइंडर", "reminders"},
	{calNote, "यात्रा नोट", "note"},
}

// ColumnName is the header of a calendar column (or a field Differences
// names) in lang: "शीर्षक", "title".
func ColumnName(lang, key string) string {
	switch key {
	case "location":
		key = calLatLon
	case calRadius:
		if lang == "hi" {
			return "दायरा"
		}
		return "radius"
	}
	for _, c := range CalendarColumns {
		if c.Key == key {
			if lang == "hi" {
				return c.Hi
			}
			return c.En
		}
	}
	return key
}

// calendarHeaders maps header names, English and Hindi, keyed by
// roster.HeaderKey, to columns.
var calendarHeaders = func() map[string]string {
	m := map[string]string{}
	for col, names := range map[string][]string{
		calTitle:     {"शीर्षक", "title", "प्रशिक्षण", "training", "नाम", "name"},
		calTopic:     {"विषय", "topic", "subject"},
		calVenue:     {"स्थान", "venue", "स्थल", "place", "जगह"},
		calLat:       {"अक्षांश", "lat", "latitude"},
		calLon:       {"देशांतर", "lon", "lng", "longitude", "देशान्तर"},
		calLatLon:    {"अक्षांश/देशांतर", "अक्षांश/देशान्तर", "अक्षांश देशांतर", "lat/lon", "latlon", "lat/long", "location", "निर्देशांक"},
		calStart:     {"प्रारंभ", "प्रारम्भ", "start", "शुरुआत", "तारीख", "तारीख़", "दिनांक", "date", "start date"},
		calDays:      {"दिन", "days", "कितने दिन", "अवधि"},
		calEnd:       {"समाप्ति", "end", "समाप्त", "समापन", "end time"},
		calBatch:     {"बैच", "batch", "चरण"},
		calCapacity:  {"क्षमता", "capacity", "सीटें", "seats"},
		calModules:   {"मॉड्यूल", "modules", "module", "मोड्यूल"},
		calInvite:    {"किसे बुलाना है", "invite", "किसे बुलाना", "आमंत्रित", "whom", "invitees"},
		calCode:      {"कोड", "code", "id"},
		calRadius:    {"दायरा", "radius"},
		calReminders: {"रिमाइंडर", "reminders", "याद दिलाना", "याद कब दिलाएँ", "reminder plan"},
		calNote:      {"यात्रा नोट", "note", "नोट", "यात्रा", "जुटने की जगह", "travel", "travel note", "assembly point"},
	} {
		for _, n := range names {
			m[roster.HeaderKey(n)] = col
		}
	}
	return m
}()

// DefaultStartClock is the start time of a calendar row whose प्रारंभ is
// a date alone.
const DefaultStartClock = "10:00"

// ReadCalendar reads a training calendar: an Excel workbook (.xlsx, its
// first sheet) or CSV file whose header row names the columns in Hindi or
// English (शीर्षक/title, विषय/topic, स्थान/venue, अक्षांश/lat and
// देशांतर/lon or one अक्षांश/देशांतर cell "29.95, 78.16", प्रारंभ/start,
// दिन/days, समाप्ति/end, बैच/batch, क्षमता/capacity, मॉड्यूल/modules,
// किसे बुलाना है/invite, कोड/code, रिमाइंडर/reminders, यात्रा नोट/note),
// or a YAML file (.yaml, .yml) of training specs. Every row of a
// spreadsheet needs a code, unique in the file; a YAML training without one gets a code made of its title, venue,
// batch, whom it invites and start, so that the same file run again is
// the same trainings.
//
// Good rows come back in file order; every bad row comes back as a
// RowError naming its line and all that is wrong with it, in English and
// Hindi. The error is for a file that cannot be read at all.
func ReadCalendar(r io.Reader, name string, o CalendarOptions) ([]CalendarRow, []roster.RowError, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml":
		rows, err := loadYAML(io.LimitReader(r, max(o.Limits.MaxBytes, roster.DefaultMaxBytes)))
		if err != nil {
			return nil, nil, err
		}
		var bad []roster.RowError
		seen := map[string]int{}
		for i := range rows {
			t := &rows[i].Training
			for _, f := range []*string{&t.Title, &t.Topic, &t.Venue, &t.Batch, &t.Invite} {
				*f = textclean.Text(*f, false)
			}
			modules := t.Modules[:0]
			for _, m := range t.Modules {
				if m = textclean.Text(m, false); m != "" {
					modules = append(modules, m)
				}
			}
			t.Modules = modules
			if t.Title == "" {
				bad = append(bad, roster.RowProblem(rows[i].Line, "title: nothing is left once cleaned of invisible characters", "शीर्षक में दिखने वाला कुछ नहीं है"))
			}
			if t.Code == "" {
				t.Code = derivedCode(*t)
			}
			if o.Invite != nil && t.Invite != "" {
				if err := o.Invite(t.Invite); err != nil {
					bad = append(bad, roster.RowProblem(rows[i].Line, "invite: "+err.Error(), "किसे बुलाना है: "+err.Error()))
				}
			}
			if first, dup := seen[t.Code]; dup {
				bad = append(bad, roster.RowProblem(rows[i].Line, fmt.Sprintf("code %s is repeated: it is already on line %d", t.Code, first),
					fmt.Sprintf("कोड %s पंक्ति %d में पहले से है", t.Code, first)))
			}
			seen[t.Code] = rows[i].Line
		}
		if len(bad) > 0 {
			return nil, bad, nil
		}
		return rows, nil, nil
	}
	var (
		rows  []CalendarRow
		bad   []roster.RowError
		cols  map[string]int
		seen  = map[string]int{}
		head  []string // the first row, for a file with no header
		tried int
	)
	err := o.Limits.Table(r, name, func(tr roster.TableRow) error {
		switch {
		case tr.Bad != nil:
			bad = append(bad, *tr.Bad)
		case cols == nil:
			if head == nil {
				head = tr.Cells
			}
			if c := calendarColumns(tr.Cells); c[calTitle] >= 0 && c[calStart] >= 0 && c[calCode] >= 0 {
				cols = c
			} else if tried++; tried == 10 {
				return errNoCalendarHeader(head)
			}
		default:
			row, probs := readCalendarRow(tr, cols, o)
			if row.Training.Code != "" {
				if first, dup := seen[row.Training.Code]; dup {
					probs.add(fmt.Sprintf("code %s is repeated: it is already on line %d", row.Training.Code, first),
						fmt.Sprintf("कोड %s पंक्ति %d में पहले से है", row.Training.Code, first))
				} else {
					seen[row.Training.Code] = tr.Line
				}
			}
			if len(probs.en) > 0 {
				bad = append(bad, roster.RowProblem(tr.Line, strings.Join(probs.en, "; "), strings.Join(probs.hi, "; ")))
				return nil
			}
			rows = append(rows, row)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if cols == nil {
		return nil, nil, errNoCalendarHeader(head)
	}
	return rows, bad, nil
}

// NoHeaderError is a calendar file whose first rows name no title, start
// and code columns.
type NoHeaderError struct{ First []string }

func (e *NoHeaderError) Error() string {
	return fmt.Sprintf("no title, start and code columns: the first row must name the columns (शीर्षक/title, प्रारंभ/start, कोड/code, …); the first row has %q", e.First)
}

// Hindi is the error in plain Hindi.
func (e *NoHeaderError) Hindi() string {
	return fmt.Sprintf("पहली पंक्ति में कॉलम के नाम होने चाहिए: कम से कम शीर्षक, प्रारंभ और कोड। पहली पंक्ति में है: %s", strings.Join(e.First, ", "))
}

func errNoCalendarHeader(first []string) error { return &NoHeaderError{First: first} }

// calendarColumns maps the columns a header row names to their indexes; a
// column it does not name is -1.
func calendarColumns(head []string) map[string]int {
	cols := map[string]int{}
	for _, c := range calendarHeaders {
		cols[c] = -1
	}
	for i, h := range head {
		if c, ok := calendarHeaders[roster.HeaderKey(h)]; ok && cols[c] < 0 {
			cols[c] = i
		}
	}
	return cols
}

// problems gathers what is wrong with one row, in English and Hindi.
type problems struct{ en, hi []string }

func (p *problems) add(en, hi string) {
	p.en = append(p.en, en)
	p.hi = append(p.hi, hi)
}

// readCalendarRow reads one row under the header.
func readCalendarRow(tr roster.TableRow, cols map[string]int, o CalendarOptions) (CalendarRow, problems) {
	var probs problems
	cell := func(col string) string {
		if i := cols[col]; i >= 0 && i < len(tr.Cells) {
			return strings.TrimSpace(tr.Cells[i])
		}
		return ""
	}
	spec := Spec{
		Title: cell(calTitle), Topic: cell(calTopic), Venue: cell(calVenue), Batch: cell(calBatch),
		Modules: SplitList(cell(calModules)), Invite: cell(calInvite), Code: cell(calCode),
		Reminders: SplitList(cell(calReminders)), Note: cell(calNote),
	}
	if spec.Code == "" {
		probs.add("code is empty", "कोड ख़ाली है")
	}
	if spec.Title == "" {
		probs.add("title is empty", "शीर्षक ख़ाली है")
	}
	if spec.Venue == "" {
		probs.add("venue is empty", "स्थान ख़ाली है")
	}
	if s := cell(calStart); s == "" {
		probs.add("start is empty", "प्रारंभ ख़ाली है")
	} else if start, ok := parseCalendarStart(s); ok {
		spec.Start = start.Format("2006-01-02T15:04")
	} else {
		probs.add(fmt.Sprintf("start %q is not a date and time like 2027-04-06 10:00", s),
			fmt.Sprintf("प्रारंभ «%s» सही तारीख़ नहीं है (ऐसे लिखें: 2027-04-06 10:00 या 06/04/2027 10:00)", s))
	}
	number := func(col, en, hi string, dst *int, lo, hi2 int) {
		s := cell(col)
		if s == "" {
			return
		}
		n, err := strconv.ParseFloat(roster.LatinDigits(s), 64)
		if err != nil || n != math.Trunc(n) || int(n) < lo || int(n) > hi2 {
			probs.add(fmt.Sprintf("%s %q is not a whole number from %d to %d", en, s, lo, hi2),
				fmt.Sprintf("%s «%s» %d से %d तक की पूरी संख्या होनी चाहिए", hi, s, lo, hi2))
			return
		}
		*dst = int(n)
	}
	number(calDays, "days", "दिन", &spec.Days, 1, MaxDays)
	number(calCapacity, "capacity", "क्षमता", &spec.Capacity, 0, 1_000_000)
	number(calRadius, "radius", "दायरा", &spec.Radius, 0, 100_000)
	if s := cell(calEnd); s != "" {
		if end, ok := parseCalendarClock(s); ok {
			spec.End = end
		} else {
			probs.add(fmt.Sprintf("end %q is not a time of day like 17:00", s),
				fmt.Sprintf("समाप्ति «%s» समय नहीं है (ऐसे लिखें: 17:00)", s))
		}
	}
	lat, lon := cell(calLat), cell(calLon)
	if ll := cell(calLatLon); ll != "" && lat == "" && lon == "" {
		lat, lon, _ = strings.Cut(strings.NewReplacer(";", ",", " ", ",").Replace(ll), ",")
		lon = strings.Trim(lon, ", ")
	}
	if lat != "" || lon != "" {
		la, err1 := strconv.ParseFloat(roster.LatinDigits(strings.TrimSpace(lat)), 64)
		lo, err2 := strconv.ParseFloat(roster.LatinDigits(strings.TrimSpace(lon)), 64)
		if err1 != nil || err2 != nil || la < -90 || la > 90 || lo < -180 || lo > 180 {
			probs.add(fmt.Sprintf("latitude/longitude %q, %q are not a place like 29.9457, 78.1642", lat, lon),
				fmt.Sprintf("अक्षांश/देशांतर «%s, %s» सही नहीं है (ऐसे लिखें: 29.9457, 78.1642)", lat, lon))
		} else {
			spec.Lat, spec.Lon = &la, &lo
		}
	}
	if _, err := ReminderPlan(normalizedReminders(spec.Reminders)); err != nil {
		probs.add("reminders: "+err.Error(), fmt.Sprintf("रिमाइंडर «%s» समझ नहीं आया (ऐसे लिखें: 2 दिन पहले 10:00, शाम, 2 घंटे; %d तक, 14 दिन पहले तक)",
			cell(calReminders), MaxReminders))
	}
	if n := utf8.RuneCountInString(spec.Note); n > MaxNote {
		probs.add(fmt.Sprintf("note: %d characters, at most %d", n, MaxNote), fmt.Sprintf("यात्रा नोट %d अक्षर का है, %d तक लिखें", n, MaxNote))
	}
	if spec.Invite != "" && o.Invite != nil {
		if err := o.Invite(spec.Invite); err != nil {
			probs.add("invite: "+err.Error(), "किसे बुलाना है: "+err.Error())
		}
	}
	if len(probs.en) > 0 {
		return CalendarRow{Line: tr.Line, Training: Training{Code: NormalizeCode(spec.Code)}}, probs
	}
	t, err := spec.Training()
	if err != nil {
		hi, ok := FieldsInHindi(err)
		if !ok {
			hi = strings.ReplaceAll(err.Error(), "\n", "; ")
		}
		probs.add(err.Error(), hi)
		return CalendarRow{Line: tr.Line, Training: Training{Code: NormalizeCode(spec.Code)}}, probs
	}
	return CalendarRow{Line: tr.Line, Training: t}, probs
}

// parseCalendarStart reads a start as people write it in a sheet: ISO
// ("2027-04-06 10:00", "2027-04-06T10:00"), Indian day first
// ("06/04/2027 10:00", "6-4-2027 10:00"), a date alone (DefaultStartClock),
// or the number Excel keeps for a date cell — all in IST.
func parseCalendarStart(s string) (time.Time, bool) {
	s = roster.LatinDigits(strings.Join(strings.Fields(s), " "))
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 1 {
		t, err := excelize.ExcelDateToTime(f, false)
		if err != nil {
			return time.Time{}, false
		}
		t = t.Round(time.Minute)
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, locales.IST), true
	}
	for _, layout := range []string{
		"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02 15:04:05",
		"02/01/2006 15:04", "2/1/2006 15:04", "02-01-2006 15:04", "2-1-2006 15:04", "02.01.2006 15:04", "2.1.2006 15:04",
	} {
		if t, err := time.ParseInLocation(layout, s, locales.IST); err == nil {
			return t, true
		}
	}
	for _, layout := range []string{"2006-01-02", "02/01/2006", "2/1/2006", "02-01-2006", "2-1-2006", "02.01.2006", "2.1.2006"} {
		if t, err := time.ParseInLocation(layout+" 15:04", s+" "+DefaultStartClock, locales.IST); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseCalendarClock reads an end time: "17:00", "5:30" (taken as written),
// or the fraction of a day Excel keeps for a time cell (0.7083 = 17:00).
func parseCalendarClock(s string) (string, bool) {
	s = roster.LatinDigits(strings.TrimSpace(s))
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 0 && f < 1 {
		m := int(math.Round(f * 24 * 60))
		return fmt.Sprintf("%02d:%02d", m/60, m%60), true
	}
	for _, layout := range []string{"15:04", "15:04:05", "3:04 PM", "3:04PM", "3 PM", "3PM"} {
		if t, err := time.Parse(layout, strings.ToUpper(s)); err == nil {
			return t.Format("15:04"), true
		}
	}
	return "", false
}

// derivedCode is the code of a YAML training that gives none.
func derivedCode(t Training) string {
	h := sha256.Sum256([]byte(strings.Join([]string{t.Title, t.Venue, t.Batch, t.Invite, t.First().Format(time.RFC3339)}, "\x00")))
	return "Y-" + strings.ToUpper(hex.EncodeToString(h[:5]))
}

// Differences says how a calendar row's training b differs from the
// stored training a: whether its days differ (a move), and which other
// fields do (title, topic, venue, location, batch, capacity, modules,
// invite, radius, reminders, note).
func Differences(a, b Training) (days bool, fields []string) {
	days = !SameDays(a.Days, b.Days)
	diff := func(name string, differ bool) {
		if differ {
			fields = append(fields, name)
		}
	}
	diff("title", a.Title != b.Title)
	diff("topic", a.Topic != b.Topic)
	diff("venue", a.Venue != b.Venue)
	diff("location", a.HasLocation != b.HasLocation || a.Lat != b.Lat || a.Lon != b.Lon)
	diff("batch", a.Batch != b.Batch)
	diff("capacity", a.Capacity != b.Capacity)
	diff("modules", strings.Join(a.Modules, "\x00") != strings.Join(b.Modules, "\x00"))
	diff("invite", a.Invite != b.Invite)
	diff("radius", a.Radius != b.Radius)
	diff("reminders", strings.Join(a.Reminders, "\x00") != strings.Join(b.Reminders, "\x00"))
	diff("note", a.Note != b.Note)
	return days, fields
}

// WithFieldsOf is a with every field Differences compares but the days
// taken from b.
func (a Training) WithFieldsOf(b Training) Training {
	a.Title, a.Topic, a.Venue, a.Batch, a.Invite = b.Title, b.Topic, b.Venue, b.Batch, b.Invite
	a.HasLocation, a.Lat, a.Lon = b.HasLocation, b.Lat, b.Lon
	a.Capacity, a.Modules, a.Radius = b.Capacity, b.Modules, b.Radius
	a.Reminders, a.Note = b.Reminders, b.Note
	return a
}

// SameDays reports whether two lists of days are the same days.
func SameDays(a, b []Day) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Start.Equal(b[i].Start) || !a[i].End.Equal(b[i].End) {
			return false
		}
	}
	return true
}

// CalendarCells are a training's cells in a calendar file, in the order of
// CalendarColumns: what ReadCalendar reads back as the same training.
func CalendarCells(t Training) []string {
	latlon := ""
	if t.HasLocation {
		latlon = strconv.FormatFloat(t.Lat, 'f', -1, 64) + ", " + strconv.FormatFloat(t.Lon, 'f', -1, 64)
	}
	end, capacity := "", ""
	if len(t.Days) > 0 {
		end = t.Days[0].End.In(locales.IST).Format("15:04")
	}
	if t.Capacity > 0 {
		capacity = strconv.Itoa(t.Capacity)
	}
	return []string{
		t.Code, t.Title, t.Topic, t.Venue, latlon, t.First().In(locales.IST).Format("2006-01-02 15:04"),
		strconv.Itoa(len(t.Days)), end, t.Batch, capacity, strings.Join(t.Modules, ", "), t.Invite,
		strings.Join(t.Reminders, ", "), t.Note,
	}
}

// WriteCalendar writes trainings as a calendar file ReadCalendar reads:
// format xlsx or csv (UTF-8 with a BOM, for Excel), headers in lang.
func WriteCalendar(w io.Writer, format, lang string, ts []Training) error {
	head := make([]string, len(CalendarColumns))
	for i, c := range CalendarColumns {
		head[i] = ColumnName(lang, c.Key)
	}
	lines := [][]string{head}
	for _, t := range ts {
		cells := CalendarCells(t)
		for i, c := range cells {
			cells[i] = sheet.Defuse(c)
		}
		lines = append(lines, cells)
	}
	if format == "csv" {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		if err := cw.WriteAll(lines); err != nil {
			return fmt.Errorf("write calendar: %w", err)
		}
		return nil
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := map[bool]string{true: "कैलेंडर", false: "Calendar"}[lang == "hi"]
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": text, so Excel does not turn a start into a number
	if err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(CalendarColumns))
	if err := f.SetColStyle(sheet, "A:"+last, text); err != nil {
		return err
	}
	for i, l := range lines {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		row := make([]any, len(l))
		for j, c := range l {
			row[j] = c
		}
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return fmt.Errorf("write calendar: %w", err)
		}
	}
	if err := f.SetColWidth(sheet, "A", last, 18); err != nil {
		return err
	}
	return f.Write(w)
}
