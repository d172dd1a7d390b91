package match

import (
	"strconv"
	"strings"
	"time"
)

// ist is India Standard Time (Asia/Kolkata, which has no daylight saving),
// fixed so that no time-zone database is needed.
var ist = time.FixedZone("IST", 5*3600+30*60)

// Date reads a calendar date in Asia/Kolkata relative to now, returning midnight IST of that date:
// आज/aaj/today; कल/kal/tomorrow (in this product कल means tomorrow); परसों/parso/parson; weekday names in Hindi
// (सोमवार … रविवार, also सोम, मंगल …) and English (monday/mon …) meaning the next such day on or after today... (today if it is that day);
// "6 दिसंबर", "६ दिसंबर", "6 dec", "6 december", "december 6", "दिसंबर 6" (year omitted: the next occurrence on or after today);
// with a year "6 दिसंबर 2026"; numeric day-first "06/12/2026", "6-12-26", "6.12.2026", "6/12" (year omitted as above); ISO "2026-12-06".
// Hindi month names with their common spellings: जनवरी फ़रवरी/फरवरी मार्च अप्रैल/अप्रेल मई जून जुलाई अगस्त सितंबर/सितम्बर अक्टूबर/अक्तूबर नवंबर/नवम्बर दिसंबर/दिसम्बर.
// Invalid dates (31/02) are rejected.
//
// Also understood: "को"/"on" and times of day around the date ("सोमवार को",
// "कल सुबह"), ordinal endings ("6th dec"), a weekday with a date ("शनिवार,
// 6 दिसंबर", rejected if the weekday is wrong), "अगले सोमवार"/"next monday"
// (the next Monday after today, so a week ahead when said on a Monday; a
// weekday that would be tomorrow or in this week, which अगले may also put
// a week later, is rejected: "अगले बुधवार" said on a Tuesday; "आने वाले
// बुधवार" is the nearest), "पिछले हफ्ते सोमवार", "अगले महीने 10 तारीख", a
// date taken back and another given ("कल नहीं परसों"),
// "6 तारीख" (the next 6th of a month on or after today), and two-digit years
// meaning 20xx. A date with a year may be in the past.
func (wl *Words) Date(s string, now time.Time) (time.Time, bool) {
	return wl.DateIn(s, now, Future)
}

// Direction says which way a question about a date looks: a training is
// in the future, a meeting that happened in the past.
type Direction int

// The directions DateIn knows.
const (
	Future Direction = iota // a date without a year is the next one on or after today; कल is tomorrow
	Past                    // a date without a year is the last one on or before today; कल is yesterday
)

// DateIn reads a date as Date does, in the direction dir: for Past, "30
// नवंबर" said on 1 December is 30 November of this year, a weekday is the
// last one on or before today ("पिछले सोमवार", "last monday": before
// today), "6 तारीख" the last 6th, and कल / परसों are yesterday and the day
// before ("yesterday" is understood either way). A date with a year is
// read as written, whatever the direction, and so is "tomorrow"; the
// caller checks the bound.
func (wl *Words) DateIn(s string, now time.Time, dir Direction) (time.Time, bool) {
	now = now.In(ist)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, ist)
	n := Normalize(s)
	if before, after, ok := wl.corrected(n); ok {
		// "कल नहीं परसों", "15 नहीं, 16 तारीख": the date after the no.
		// A no first ("नहीं, कल") may answer another question: asked again.
		if _, wrong := wl.readDate(before, today, dir); wrong || isNumber(before) {
			return wl.readDate(after, today, dir)
		}
		return time.Time{}, false
	}
	return wl.readDate(n, today, dir)
}

// readDate reads the normalised reply n as DateIn does.
func (wl *Words) readDate(n string, today time.Time, dir Direction) (time.Time, bool) {
	if n == "" {
		return time.Time{}, false
	}
	if parts, ok := numericParts(wl.withoutFillers(n)); ok {
		return numericDate(parts, today, dir)
	}
	toks := words(n, false)
	if d, ok := wl.wordDate(toks, today, dir); ok {
		return d, true
	}
	return wl.dayMonthAmong(toks, today, dir)
}

// corrected splits a reply that takes back a date and gives another at
// the one no in it: "कल नहीं परसों" is "कल" and "परसों". ok is false
// without a no, with two, or with nothing after it.
func (wl *Words) corrected(n string) (before, after string, ok bool) {
	toks := strings.Fields(n)
	at := -1
	for i, t := range toks {
		if c := wl.canonWord(strings.Trim(t, ",.;!")); c == "nahi" || c == "not" || c == "na" {
			if at >= 0 {
				return "", "", false
			}
			at = i
		}
	}
	if at < 0 || at == len(toks)-1 {
		return "", "", false
	}
	return strings.Trim(strings.Join(toks[:at], " "), ",.;! "), strings.Trim(strings.Join(toks[at+1:], " "), ",.;! "), true
}

// otherDateWord reports whether t says a date another way (a weekday, कल,
// अगले …), which with a day and month may say something else.
func (wl *Words) otherDateWord(t string) bool {
	_, weekday := wl.weekday(t)
	_, relative := wl.relativeDays[t]
	return weekday || relative || wl.yesterdays[t] || wl.nextWords[t] || wl.lastWords[t]
}

// dayMonthAmong reads the one day and month of a sentence, whatever else
// it says: "हमारी बैठक 28 नवंबर को हुई थी", "meeting 28 nov ko rakhi".
// Nothing else may look like a date or a number (but a year after the
// month), and no negation or doubt may be there ("28 नवंबर नहीं", "शायद
// 28 नवंबर"): then it is asked again.
func (wl *Words) dayMonthAmong(toks []string, today time.Time, dir Direction) (time.Time, bool) {
	at := -1
	for i, t := range toks {
		switch c := wl.canonWord(t); {
		case wl.month(t) != 0:
			if at >= 0 {
				return time.Time{}, false // two months
			}
			at = i
		case wl.intentWords[c] == sigNeg, wl.intentWords[c] == sigMaybe, wl.otherDateWord(t):
			return time.Time{}, false
		}
	}
	if at < 0 {
		return time.Time{}, false
	}
	dayAt, yearAt := -1, -1
	if at > 0 && wl.dayDigits(toks[at-1]) != "" && isNumber(wl.dayDigits(toks[at-1])) {
		dayAt = at - 1
	} else if at+1 < len(toks) && isNumber(toks[at+1]) && len(toks[at+1]) <= 2 {
		dayAt = at + 1 // "नवंबर 28"
	}
	if dayAt < 0 {
		return time.Time{}, false
	}
	if y := at + 1; y < len(toks) && y != dayAt && isNumber(toks[y]) && len(toks[y]) == 4 {
		yearAt = y
	}
	for i, t := range toks {
		if i != dayAt && i != yearAt && (isNumber(t) || wl.hindiNumbers[t] != 0) {
			return time.Time{}, false // another number: which is the day?
		}
	}
	year := ""
	if yearAt >= 0 {
		year = toks[yearAt]
	}
	return dateOf(year, strconv.Itoa(wl.month(toks[at])), wl.dayDigits(toks[dayAt]), today, dir)
}

// withoutFillers removes the filler words from n, and the spaces.
func (wl *Words) withoutFillers(n string) string {
	var b strings.Builder
	for _, f := range strings.Fields(n) {
		if !wl.dateFillers[f] {
			b.WriteString(f)
		}
	}
	return b.String()
}

// numericParts splits "06/12/2026", "6-12-26", "6.12" or "2026-12-06" into its
// numbers. There must be two or three, all with the same separator.
func numericParts(compact string) ([]string, bool) {
	at := strings.IndexAny(compact, "/-.")
	if at < 0 {
		return nil, false
	}
	parts := strings.Split(compact, compact[at:at+1])
	if len(parts) > 3 {
		return nil, false
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return nil, false
		}
	}
	return parts, true
}

// numericDate reads day-first parts (day, month, optional year) or ISO
// parts (year, month, day).
func numericDate(parts []string, today time.Time, dir Direction) (time.Time, bool) {
	if len(parts[0]) == 4 {
		if len(parts) != 3 {
			return time.Time{}, false
		}
		return dateOf(parts[0], parts[1], parts[2], today, dir)
	}
	year := ""
	if len(parts) == 3 {
		year = parts[2]
	}
	return dateOf(year, parts[1], parts[0], today, dir)
}

// wordDate reads a date written in words, with or without digits.
func (wl *Words) wordDate(toks []string, today time.Time, dir Direction) (time.Time, bool) {
	if d, ok := wl.daysAway(toks, today); ok {
		return d, true
	}
	var rest []string
	dayOfMonth, next, last, on := false, false, false, false
	week, month := false, false // "पिछले हफ्ते सोमवार", "अगले महीने 10 तारीख"
	coming := false             // "आने वाले बुधवार": the nearest
	for i, t := range toks {
		switch {
		case wl.comingWords[t]:
			coming = true
		case wl.spanWords[t] == 7:
			week = true
		case wl.monthWords[t]:
			month = true
		case wl.hourWords[t], i+1 < len(toks) && wl.hourWords[toks[i+1]] && isNumber(t):
			// "कल सुबह 10 बजे": the hour is not the date
		case wl.onWords[t]:
			on = true
		case wl.dateFillers[t]:
		case wl.dayWords[t]:
			dayOfMonth = true
		case wl.nextWords[t]:
			next = true
		case wl.lastWords[t]:
			last = true
		default:
			rest = append(rest, t)
		}
	}
	if (next || coming) && last {
		return time.Time{}, false
	}
	if on && len(rest) == 1 {
		dayOfMonth = true // "20 को", "29 ko hui thi": the 20th, the 29th
	}
	said := strings.Join(rest, " ")
	if wl.yesterdays[said] && !next && !last {
		return today.AddDate(0, 0, -1), true
	}
	if days, ok := wl.relativeDays[said]; ok && !next && !last {
		if dir == Past && wl.bothWays[said] {
			days = -days // कल is yesterday, परसों the day before
		}
		return today.AddDate(0, 0, days), true
	}
	weekday, hasWeekday := time.Weekday(0), false
	if len(rest) > 0 {
		if wd, ok := wl.weekday(rest[0]); ok {
			weekday, hasWeekday, rest = wd, true, rest[1:]
		} else if wd, ok := wl.weekday(rest[len(rest)-1]); ok {
			weekday, hasWeekday, rest = wd, true, rest[:len(rest)-1]
		}
	}
	if on && hasWeekday && len(rest) == 1 {
		dayOfMonth = true // "रविवार 29 को"
	}
	if week || month {
		return wl.inWeekOrMonth(week, month, next || coming, last, hasWeekday, weekday, dayOfMonth, rest, today)
	}
	if hasWeekday && len(rest) == 0 {
		// अगले and पिछले may name the nearest such day or the one of the
		// next or last week: said on a Tuesday, "अगले बुधवार" is tomorrow
		// or 9 days on, "पिछले सोमवार" yesterday or 8 days ago. The
		// nearest day in this week (from Monday), or tomorrow or yesterday
		// (which people call कल), is asked again; "अगले सोमवार" is not.
		if last || (dir == Past && !next && !coming) {
			days := (int(today.Weekday()) - int(weekday) + 7) % 7
			if last && days == 0 {
				days = 7 // "पिछले सोमवार" said on a Monday
			}
			d := today.AddDate(0, 0, -days)
			if last && (days == 1 || sameWeek(d, today)) {
				return time.Time{}, false
			}
			return d, true
		}
		days := (int(weekday) - int(today.Weekday()) + 7) % 7
		if (next || coming) && days == 0 {
			days = 7 // "अगले सोमवार" said on a Monday
		}
		d := today.AddDate(0, 0, days)
		if next && (days == 1 || sameWeek(d, today)) {
			return time.Time{}, false
		}
		return d, true
	}
	if next || last || coming {
		return time.Time{}, false
	}
	d, ok := wl.dayMonthYear(rest, dayOfMonth, today, dir)
	if !ok || (hasWeekday && d.Weekday() != weekday) {
		return time.Time{}, false
	}
	return d, true
}

// sameWeek reports whether a and b fall in one week from Monday to Sunday.
func sameWeek(a, b time.Time) bool {
	monday := func(t time.Time) time.Time { return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7)) }
	return monday(a).Equal(monday(b))
}

// inWeekOrMonth reads a weekday of this, the last or the next week
// ("पिछले हफ्ते सोमवार", "इस हफ्ते शुक्रवार"), or a day of this, the last or
// the next month ("अगले महीने 10 तारीख"). A week may start on a Sunday or a
// Monday: a weekday the two would put on different dates ("पिछले हफ्ते
// रविवार") is asked again.
func (wl *Words) inWeekOrMonth(week, month, next, last, hasWeekday bool, weekday time.Weekday, dayOfMonth bool, rest []string, today time.Time) (time.Time, bool) {
	step := 0
	switch {
	case next:
		step = 1
	case last:
		step = -1
	}
	switch {
	case week && !month && hasWeekday && len(rest) == 0:
		wd, now := int(weekday), int(today.Weekday())
		fromSunday := today.AddDate(0, 0, 7*step-now+wd)
		fromMonday := today.AddDate(0, 0, 7*step-(now+6)%7+(wd+6)%7)
		if !fromSunday.Equal(fromMonday) {
			return time.Time{}, false
		}
		return fromSunday, true
	case month && !week && !hasWeekday && len(rest) == 1 && (dayOfMonth || isNumber(wl.dayDigits(rest[0]))):
		d, ok := smallNumber(wl.dayDigits(rest[0]), 2)
		if !ok {
			return time.Time{}, false
		}
		first := time.Date(today.Year(), today.Month()+time.Month(step), 1, 0, 0, 0, 0, ist)
		return validDate(first.Year(), int(first.Month()), d)
	}
	return time.Time{}, false
}

// daysAway reads "2 दिन पहले", "do din pehle", "एक हफ्ते पहले", "3 din baad":
// a count of days or weeks before or after today.
func (wl *Words) daysAway(toks []string, today time.Time) (time.Time, bool) {
	var rest []string
	for _, t := range toks {
		if !wl.dateFillers[t] {
			rest = append(rest, t)
		}
	}
	if len(rest) < 3 {
		return time.Time{}, false
	}
	way, ok := wl.agoWords[rest[len(rest)-1]]
	if !ok {
		return time.Time{}, false
	}
	unit, ok := wl.spanWords[rest[len(rest)-2]]
	if !ok {
		return time.Time{}, false
	}
	n := wl.ReadNumber(strings.Join(rest[:len(rest)-2], " "))
	if n.Kind != Exact || n.Value < 1 || n.Value > 60 {
		return time.Time{}, false
	}
	return today.AddDate(0, 0, way*unit*int(n.Value)), true
}

// dayMonthYear reads "6 दिसंबर", "दिसंबर 6", either with a year after it, or
// a lone day of the month when dayOfMonth ("6 तारीख", "छह तारीख").
func (wl *Words) dayMonthYear(toks []string, dayOfMonth bool, today time.Time, dir Direction) (time.Time, bool) {
	switch {
	case len(toks) == 1 && dayOfMonth:
		return nearestDayOfMonth(wl.dayDigits(toks[0]), today, dir)
	case len(toks) < 2 || len(toks) > 3:
		return time.Time{}, false
	}
	year := ""
	if len(toks) == 3 {
		year = toks[2]
	}
	if m := wl.month(toks[1]); m != 0 {
		return dateOf(year, strconv.Itoa(m), wl.dayDigits(toks[0]), today, dir)
	}
	if m := wl.month(toks[0]); m != 0 {
		return dateOf(year, strconv.Itoa(m), wl.dayDigits(toks[1]), today, dir)
	}
	return time.Time{}, false
}

// dayDigits writes a day typed as a number word ("दस दिसंबर") in digits;
// anything else is left as it is.
func (wl *Words) dayDigits(w string) string {
	if _, ok := wl.hindiNumbers[w]; !ok {
		return w
	}
	if n := wl.ReadNumber(w); n.Kind == Exact && n.Value >= 1 && n.Value <= 31 {
		return strconv.FormatInt(n.Value, 10)
	}
	return w
}

// dateOf builds a date from its written numbers. Without a year it is the
// nearest such date on or after today, or for Past on or before it (a 29
// February may be years away).
func dateOf(year, month, day string, today time.Time, dir Direction) (time.Time, bool) {
	m, okM := smallNumber(month, 2)
	d, okD := smallNumber(day, 2)
	if !okM || !okD {
		return time.Time{}, false
	}
	if year == "" {
		for i := 0; i <= 8; i++ {
			y := today.Year() + i
			if dir == Past {
				y = today.Year() - i
			}
			t, ok := validDate(y, m, d)
			if ok && ((dir == Past && !t.After(today)) || (dir != Past && !t.Before(today))) {
				return t, true
			}
		}
		return time.Time{}, false
	}
	y, ok := smallNumber(year, 4)
	switch {
	case !ok || len(year) == 3 || len(year) == 1:
		return time.Time{}, false
	case len(year) == 2:
		y += 2000
	}
	return validDate(y, m, d)
}

// nearestDayOfMonth is the nearest date on or after today (for Past, on or
// before it) whose day of the month is day.
func nearestDayOfMonth(day string, today time.Time, dir Direction) (time.Time, bool) {
	d, ok := smallNumber(day, 2)
	if !ok {
		return time.Time{}, false
	}
	step := 1
	if dir == Past {
		step = -1
	}
	for i := 0; i <= 12; i++ {
		first := today.AddDate(0, step*i, 1-today.Day())
		t, ok := validDate(first.Year(), int(first.Month()), d)
		if ok && ((dir == Past && !t.After(today)) || (dir != Past && !t.Before(today))) {
			return t, true
		}
	}
	return time.Time{}, false
}

// validDate returns midnight IST of the date, if it exists.
func validDate(y, m, d int) (time.Time, bool) {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, ist)
	if y < 1900 || y > 2200 || t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// smallNumber parses at most maxLen Latin digits.
func smallNumber(s string, maxLen int) (int, bool) {
	if s == "" || len(s) > maxLen || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// month is the month a word names, 1 … 12, or 0. A word not in the table
// is taken by its consonants, b and v as one: "novmbr", "नबम्बर" and
// "जनबरी" are नवंबर and जनवरी as voice-to-text and quick typing write them.
// Only a skeleton of four consonants or more, and of one month alone, is
// taken (not "नंबर", nor a short मई / जून).
func (wl *Words) month(t string) int {
	if m := wl.months[t]; m != 0 {
		return m
	}
	sk := dateSkeleton(wl.PlaceKey(t))
	if len(sk) < 4 {
		return 0
	}
	found := 0
	for w, m := range wl.months {
		if dateSkeleton(wl.PlaceKey(w)) == sk {
			if found != 0 && found != m {
				return 0
			}
			found = m
		}
	}
	return found
}

// weekday is the day a word names. A word not in the table is taken by
// its spelling key of four letters or more, b and v as one ("itvaar",
// "itvar" and इतवार are one key).
func (wl *Words) weekday(t string) (time.Weekday, bool) {
	if d, ok := wl.weekdays[t]; ok {
		return d, true
	}
	k := strings.ReplaceAll(wl.PlaceKey(t), "b", "v")
	if len(k) < 4 {
		return 0, false
	}
	found, ok := time.Weekday(0), false
	for w, d := range wl.weekdays {
		if strings.ReplaceAll(wl.PlaceKey(w), "b", "v") == k {
			if ok && found != d {
				return 0, false
			}
			found, ok = d, true
		}
	}
	return found, ok
}

// dateSkeleton is a spelling key without its vowels, b and v as one.
func dateSkeleton(key string) string {
	var b strings.Builder
	for _, r := range key {
		switch r {
		case 'a', 'e', 'i', 'o', 'u':
		case 'b':
			b.WriteRune('v')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
