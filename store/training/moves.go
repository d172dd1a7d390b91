package training

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
)

// MoveTo gives t's days with the first one starting at start. The days
// keep their dates relative to the first (the gaps between them too); a
// day that started at the first day's time of day starts at start's, one
// that started at another time keeps it; every day's end keeps its time of
// day — moving a 10:00–17:00 day to 15:05 gives 15:05–17:00, not 22:05 —
// unless end (HH:MM) is given, which then ends every day. An end that is
// not after its day's start is an error naming the day.
func MoveTo(t Training, start time.Time, end string) ([]Day, error) {
	if len(t.Days) == 0 {
		return nil, fmt.Errorf("training %s has no days", t.ID)
	}
	start = start.In(locales.IST)
	var endClock *clock
	if end = strings.TrimSpace(end); end != "" {
		c, err := parseClock(end)
		if err != nil {
			return nil, &FieldError{Field: "end", Problem: fmt.Sprintf("%q is not a time of day HH:MM (e.g. 17:00)", end),
				Hindi: fmt.Sprintf("%q समझ नहीं आया। समय ऐसे लिखें: 17:00", end)}
		}
		endClock = &c
	}
	first := clockOf(t.Days[0].Start)
	firstDate := dateOf(t.Days[0].Start)
	days := make([]Day, len(t.Days))
	for i, d := range t.Days {
		offset := int(dateOf(d.Start).Sub(firstDate).Hours()/24 + 0.5)
		date := dateOf(start).AddDate(0, 0, offset)
		sc := clockOf(d.Start)
		if sc == first {
			sc = clockOf(start)
		}
		ec := clockOf(d.End)
		if endClock != nil {
			ec = *endClock
		}
		days[i] = Day{Start: sc.on(date), End: ec.on(date.AddDate(0, 0, int(dateOf(d.End).Sub(dateOf(d.Start)).Hours()/24+0.5)))}
		if !days[i].End.After(days[i].Start) {
			return nil, &FieldError{Field: "end", Problem: fmt.Sprintf("day %d would end at %s, not after its new start %s: give the end too", i+1, days[i].End.Format("15:04"), days[i].Start.Format("15:04")),
				Hindi: fmt.Sprintf("दिन %d %s बजे ख़त्म होता, जो नए समय %s के बाद नहीं है: ख़त्म होने का समय भी दें", i+1, days[i].End.Format("15:04"), days[i].Start.Format("15:04"))}
		}
	}
	return days, nil
}

// Shift gives t's days moved by months and days (a month later is the
// same date, or the month's last day for the 31st of a shorter month),
// every time of day kept.
func Shift(t Training, months, days int) []Day {
	out := make([]Day, len(t.Days))
	for i, d := range t.Days {
		out[i] = Day{Start: shiftTime(d.Start, months, days), End: shiftTime(d.End, months, days)}
	}
	return out
}

func shiftTime(t time.Time, months, days int) time.Time {
	t = t.In(locales.IST)
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, locales.IST)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), t.Hour(), t.Minute(), t.Second(), 0, locales.IST).AddDate(0, 0, days)
}

// ParseShift reads a shift as --shift takes it: "5mo" (months), "2w"
// (weeks), "10d" (days), with a sign for earlier ("-1mo"); Hindi "5 महीने",
// "2 हफ़्ते", "10 दिन" too.
func ParseShift(s string) (months, days int, err error) {
	in := strings.TrimSpace(s)
	num := strings.TrimLeft(in, "+-0123456789")
	n, err := strconv.Atoi(strings.TrimSpace(in[:len(in)-len(num)]))
	if err != nil || n == 0 {
		return 0, 0, fmt.Errorf("%q is not a shift like 5mo, 2w or 10d", s)
	}
	switch strings.TrimSpace(num) {
	case "mo", "month", "months", "महीना", "महीने", "माह":
		return n, 0, nil
	case "w", "week", "weeks", "हफ़्ता", "हफ़्ते", "हफ्ता", "हफ्ते", "सप्ताह":
		return 0, 7 * n, nil
	case "d", "day", "days", "दिन":
		return 0, n, nil
	}
	return 0, 0, fmt.Errorf("%q is not a shift like 5mo, 2w or 10d", s)
}

// ParseMonth reads a month "2027-04" in IST: its first moment.
func ParseMonth(s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01", strings.TrimSpace(s), locales.IST)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a month like 2027-04", s)
	}
	return t, nil
}

// MonthsBetween is how many months lie from month a to month b (negative
// when b is earlier).
func MonthsBetween(a, b time.Time) int {
	return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
}

// CommonPlace is the place every one of people shares, from the division
// down: a level where two differ is empty, and so is every narrower one.
func CommonPlace(people []roster.Person) roster.Place {
	if len(people) == 0 {
		return roster.Place{}
	}
	p0 := people[0]
	levels := []string{p0.Division, p0.District, p0.Block, p0.Body}
	n := len(levels)
	for _, p := range people[1:] {
		other := []string{p.Division, p.District, p.Block, p.Body}
		for i := range n {
			if !roster.SameName(levels[i], other[i]) {
				n = i
				break
			}
		}
	}
	for i := n; i < len(levels); i++ {
		levels[i] = ""
	}
	return roster.Place{Division: levels[0], District: levels[1], Block: levels[2], Body: levels[3]}
}

// In reports whether the training's place lies inside the scope: its place
// at the scope's level has the scope's name. A training whose invitees
// span several places at that level is in none of them; every training is
// in the scope "all".
func (t Training) In(s roster.Scope) bool {
	if s.Level == roster.LevelAll {
		return true
	}
	return s.Value != "" && roster.SameName(t.Place.Field(s.Level), s.Value)
}

// PlaceLine writes the training's place, narrowest first: "ग्राम पंचायत
// बहादराबाद, बहादराबाद, हरिद्वार" (body, block, district), or "" when its
// invitees have no place in common.
func (t Training) PlaceLine() string {
	var parts []string
	for _, s := range []string{t.Place.Body, t.Place.Block, t.Place.District} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 && t.Place.Division != "" {
		parts = append(parts, t.Place.Division)
	}
	return strings.Join(parts, ", ")
}

// clock is a time of day in minutes.
type clock int

func clockOf(t time.Time) clock {
	t = t.In(locales.IST)
	return clock(t.Hour()*60 + t.Minute())
}

func (c clock) on(date time.Time) time.Time {
	return time.Date(date.Year(), date.Month(), date.Day(), int(c)/60, int(c)%60, 0, 0, locales.IST)
}

func dateOf(t time.Time) time.Time {
	t = t.In(locales.IST)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, locales.IST)
}

func parseClock(s string) (clock, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	return clock(t.Hour()*60 + t.Minute()), nil
}
