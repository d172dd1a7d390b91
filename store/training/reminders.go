package training

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/saathi-bot/saathi/store/roster"
)

// A training's reminder plan: when its reminders go before each day, as a
// coordinator writes them ("2d@10:00" two days before at 10:00 for a long
// journey, "eve" the evening before at 18:00, "2h" two hours before), and
// a travel or assembly-point note shown in them. A training without a plan
// gets the default one (the evening before and 2 hours before).

// MaxReminderBefore is the earliest a reminder may go before its day.
const MaxReminderBefore = 14 * 24 * time.Hour

// MaxReminders bounds a plan.
const MaxReminders = 5

// MaxNote bounds the travel note, in characters.
const MaxNote = 300

// ReminderAt is one reminder of a plan, relative to the start of a day:
// Before it, or on the calendar day DaysBefore days earlier at Clock
// (minutes after midnight, IST).
type ReminderAt struct {
	Name       string // stable and short: part of the job's id ("eve", "2h", "2d1000")
	Before     time.Duration
	OnClock    bool
	DaysBefore int
	Clock      int
}

// ParseReminder reads one reminder: a duration before the start ("2h",
// "90m", "2d"), or days before at a time ("1d@18:00", "2d@07:30", "0d@07:00"
// the same morning); "eve" is 1d@18:00.
func ParseReminder(s string) (ReminderAt, error) {
	s = NormalizeReminder(s)
	if s == "eve" {
		s = "1d@18:00"
	}
	bad := fmt.Errorf("reminder %q: want a time before the start (2h, 90m, 2d) or days before at a time (1d@18:00)", s)
	if days, clock, ok := strings.Cut(s, "@"); ok {
		n, err := strconv.Atoi(strings.TrimSuffix(days, "d"))
		if err != nil || !strings.HasSuffix(days, "d") || n < 0 || n > int(MaxReminderBefore/(24*time.Hour)) {
			return ReminderAt{}, bad
		}
		c, err := time.Parse("15:04", clock)
		if err != nil {
			return ReminderAt{}, bad
		}
		r := ReminderAt{Name: strconv.Itoa(n) + "d" + c.Format("1504"), OnClock: true, DaysBefore: n, Clock: c.Hour()*60 + c.Minute()}
		if n == 1 && r.Clock == 18*60 {
			r.Name = "eve" // the default's id: a plan that keeps it keeps its job
		}
		return r, nil
	}
	if len(s) < 2 {
		return ReminderAt{}, bad
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	unit := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour}[s[len(s)-1]]
	if err != nil || unit == 0 || n <= 0 {
		return ReminderAt{}, bad
	}
	d := time.Duration(n) * unit
	if d > MaxReminderBefore {
		return ReminderAt{}, fmt.Errorf("reminder %q: at most %d days before", s, int(MaxReminderBefore/(24*time.Hour)))
	}
	return ReminderAt{Name: s, Before: d}, nil
}

// hindiReminder is a reminder as a coordinator writes it in Hindi in a
// calendar sheet: "2 घंटे पहले", "90 मिनट", "2 दिन पहले 10:00",
// "2 दिन पहले सुबह 10 बजे", "उसी दिन सुबह 7 बजे", "शाम".
var hindiReminder = regexp.MustCompile(`^(?:(\d+) *(घंटे|घंटा|मिनट|दिन)|(उसी दिन))(?: *पहले)?(?: *(सुबह|दोपहर|शाम|रात)? *(\d{1,2})(?:[:.](\d{2}))? *(?:बजे)?)?$`)

// NormalizeReminder writes a reminder in the plan's own words: "eve",
// "2h", "90m", "2d", "2d@10:00". It takes those and the Hindi forms of
// hindiReminder, Devanagari digits too; anything else comes back trimmed
// and lower-cased, for ParseReminder to refuse.
func NormalizeReminder(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(roster.LatinDigits(s)), " "))
	switch s {
	case "शाम", "पिछली शाम", "एक दिन पहले शाम", "1 दिन पहले शाम", "पहले की शाम", "evening", "1d@18:00":
		return "eve"
	}
	m := hindiReminder.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	n, unit, sameDay, part, hour, minute := m[1], m[2], m[3] != "", m[4], m[5], m[6]
	if sameDay {
		n, unit = "0", "दिन"
	}
	if hour == "" {
		if sameDay || part != "" {
			return s // a day with no time of day
		}
		return n + map[string]string{"घंटे": "h", "घंटा": "h", "मिनट": "m", "दिन": "d"}[unit]
	}
	if unit != "दिन" {
		return s // "2 घंटे पहले 10 बजे" is not a reminder
	}
	h, _ := strconv.Atoi(hour)
	if (part == "दोपहर" || part == "शाम" || part == "रात") && h >= 1 && h < 12 {
		h += 12
	}
	if minute == "" {
		minute = "00"
	}
	if s = fmt.Sprintf("%sd@%02d:%s", n, h, minute); s == "1d@18:00" {
		return "eve"
	}
	return s
}

// ReminderPlan reads a training's plan; nil when it has none (the default).
func ReminderPlan(specs []string) ([]ReminderAt, error) {
	if len(specs) > MaxReminders {
		return nil, fmt.Errorf("at most %d reminders, not %d", MaxReminders, len(specs))
	}
	var out []ReminderAt
	seen := map[string]bool{}
	for _, s := range specs {
		r, err := ParseReminder(s)
		if err != nil {
			return nil, err
		}
		if seen[r.Name] {
			return nil, fmt.Errorf("reminder %q is there twice", s)
		}
		seen[r.Name] = true
		out = append(out, r)
	}
	return out, nil
}

// checkReminders validates a training's plan and note for Validate.
func (t Training) checkReminders() []error {
	var errs []error
	if _, err := ReminderPlan(t.Reminders); err != nil {
		errs = append(errs, &FieldError{Field: "reminders", Problem: err.Error(), Hindi: "याद दिलाने के समय समझ नहीं आए। ऐसे लिखें: “2d@10:00,eve,2h”"})
	}
	if n := utf8.RuneCountInString(t.Note); n > MaxNote {
		errs = append(errs, &FieldError{Field: "note", Problem: fmt.Sprintf("%d characters, at most %d", n, MaxNote),
			Hindi: fmt.Sprintf("%d अक्षर हैं, ज़्यादा से ज़्यादा %d हो सकते हैं", n, MaxNote)})
	}
	return errs
}
