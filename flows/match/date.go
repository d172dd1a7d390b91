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
// (the next Monday after today, so a week ahead when said on a Monday),
// "6 तारीख" (the next 6th of a month on or after today), and two-digit years
// meaning 20xx. A date with a year may be in the past.
func Date(s string, now time.Time) (time.Time, bool) {
	return DateIn(s, now, Future)
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
func DateIn(s string, now time.Time, dir Direction) (time.Time, bool) {
	now = now.In(ist)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, ist)
	n := Normalize(s)
	if parts, ok := numericParts(withoutFillers(n)); ok {
		return numericDate(parts, today, dir)
	}
	return wordDate(words(n, false), today, dir)
}

// withoutFillers removes the filler words from n, and the spaces.
func withoutFillers(n string) string {
	var b strings.Builder
	for _, f := range strings.Fields(n) {
		if !dateFillers[f] {
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
func wordDate(toks []string, today time.Time, dir Direction) (time.Time, bool) {
	if d, ok := daysAway(toks, today); ok {
		return d, true
	}
	var rest []string
	dayOfMonth, next, last := false, false, false
	for _, t := range toks {
		switch {
		case onWords[t]:
			dayOfMonth = dayOfMonth || len(toks) == 2 // "20 को": the 20th
		case dateFillers[t]:
		case dayWords[t]:
			dayOfMonth = true
		case nextWords[t]:
			next = true
		case lastWords[t]:
			last = true
		default:
			rest = append(rest, t)
		}
	}
	if next && last {
		return time.Time{}, false
	}
	said := strings.Join(rest, " ")
	if days, ok := yesterdays[said]; ok && !next && !last {
		return today.AddDate(0, 0, days), true
	}
	if days, ok := relativeDays[said]; ok && !next && !last {
		if dir == Past && bothWays[said] {
			days = -days // कल is yesterday, परसों the day before
		}
		return today.AddDate(0, 0, days), true
	}
	weekday, hasWeekday := time.Weekday(0), false
	if len(rest) > 0 {
		if wd, ok := weekdays[rest[0]]; ok {
			weekday, hasWeekday, rest = wd, true, rest[1:]
		} else if wd, ok := weekdays[rest[len(rest)-1]]; ok {
			weekday, hasWeekday, rest = wd, true, rest[:len(rest)-1]
		}
	}
	if hasWeekday && len(rest) == 0 {
		if last || (dir == Past && !next) {
			days := (int(today.Weekday()) - int(weekday) + 7) % 7
			if last && days == 0 {
				days = 7 // "पिछले सोमवार" said on a Monday
			}
			return today.AddDate(0, 0, -days), true
		}
		days := (int(weekday) - int(today.Weekday()) + 7) % 7
		if next && days == 0 {
			days = 7 // "अगले सोमवार" said on a Monday
		}
		return today.AddDate(0, 0, days), true
	}
	if next || last {
		return time.Time{}, false
	}
	d, ok := dayMonthYear(rest, dayOfMonth, today, dir)
	if !ok || (hasWeekday && d.Weekday() != weekday) {
		return time.Time{}, false
	}
	return d, true
}

// daysAway reads "2 दिन पहले", "do din pehle", "एक हफ्ते पहले", "3 din baad":
// a count of days or weeks before or after today.
func daysAway(toks []string, today time.Time) (time.Time, bool) {
	var rest []string
	for _, t := range toks {
		if !dateFillers[t] {
			rest = append(rest, t)
		}
	}
	if len(rest) < 3 {
		return time.Time{}, false
	}
	way, ok := agoWords[rest[len(rest)-1]]
	if !ok {
		return time.Time{}, false
	}
	unit, ok := spanWords[rest[len(rest)-2]]
	if !ok {
		return time.Time{}, false
	}
	n := ReadNumber(strings.Join(rest[:len(rest)-2], " "))
	if n.Kind != Exact || n.Value < 1 || n.Value > 60 {
		return time.Time{}, false
	}
	return today.AddDate(0, 0, way*unit*int(n.Value)), true
}

// dayMonthYear reads "6 दिसंबर", "दिसंबर 6", either with a year after it, or
// a lone day of the month when dayOfMonth ("6 तारीख").
func dayMonthYear(toks []string, dayOfMonth bool, today time.Time, dir Direction) (time.Time, bool) {
	switch {
	case len(toks) == 1 && dayOfMonth:
		return nearestDayOfMonth(toks[0], today, dir)
	case len(toks) < 2 || len(toks) > 3:
		return time.Time{}, false
	}
	year := ""
	if len(toks) == 3 {
		year = toks[2]
	}
	if m, ok := months[toks[1]]; ok {
		return dateOf(year, strconv.Itoa(m), dayDigits(toks[0]), today, dir)
	}
	if m, ok := months[toks[0]]; ok {
		return dateOf(year, strconv.Itoa(m), dayDigits(toks[1]), today, dir)
	}
	return time.Time{}, false
}

// dayDigits writes a day typed as a number word ("दस दिसंबर") in digits;
// anything else is left as it is.
func dayDigits(w string) string {
	if _, ok := hindiNumbers[w]; !ok {
		return w
	}
	if n := ReadNumber(w); n.Kind == Exact && n.Value >= 1 && n.Value <= 31 {
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

// relativeDays are the words for today and the days after it.
var relativeDays = map[string]int{
	"आज": 0, "aaj": 0, "aj": 0, "today": 0,
	"कल": 1, "kal": 1, "kl": 1, "tomorrow": 1, "tomorow": 1, "tmrw": 1, "tmr": 1,
	"परसों": 2, "परसो": 2, "parso": 2, "parson": 2, "parsoon": 2, "parsho": 2,
	"day after tomorrow": 2,
}

// bothWays are the Hindi words that mean a day after today or before it:
// कल is tomorrow or yesterday, परसों the day after or before.
var bothWays = map[string]bool{
	"कल": true, "kal": true, "kl": true, "परसों": true, "परसो": true, "parso": true, "parson": true, "parsoon": true, "parsho": true,
}

// yesterdays are the words that say yesterday whatever the direction.
var yesterdays = map[string]int{
	"yesterday": -1, "yesterdy": -1, "ystrdy": -1, "yday": -1,
}

// lastWords ask for a weekday before today: "पिछले सोमवार", "last monday".
var lastWords = map[string]bool{
	"पिछले": true, "पिछला": true, "pichhle": true, "pichle": true, "pichhla": true, "pichla": true, "last": true,
	"previous": true, "बीते": true, "beete": true, "bite": true,
}

// weekdays are the names of the days of the week, Hindi and English.
var weekdays = map[string]time.Weekday{
	"रविवार": time.Sunday, "रवि": time.Sunday, "इतवार": time.Sunday, "sunday": time.Sunday, "sun": time.Sunday,
	"ravivar": time.Sunday, "raviwar": time.Sunday, "itwar": time.Sunday, "itvar": time.Sunday,
	"सोमवार": time.Monday, "सोम": time.Monday, "monday": time.Monday, "mon": time.Monday,
	"somvar": time.Monday, "somwar": time.Monday,
	"मंगलवार": time.Tuesday, "मंगल": time.Tuesday, "tuesday": time.Tuesday, "tue": time.Tuesday, "tues": time.Tuesday,
	"mangalvar": time.Tuesday, "mangalwar": time.Tuesday, "mangal": time.Tuesday,
	"बुधवार": time.Wednesday, "बुध": time.Wednesday, "wednesday": time.Wednesday, "wed": time.Wednesday,
	"budhvar": time.Wednesday, "budhwar": time.Wednesday, "budh": time.Wednesday,
	"गुरुवार": time.Thursday, "गुरु": time.Thursday, "बृहस्पतिवार": time.Thursday, "वीरवार": time.Thursday,
	"thursday": time.Thursday, "thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday,
	"guruvar": time.Thursday, "guruwar": time.Thursday, "guru": time.Thursday,
	"शुक्रवार": time.Friday, "शुक्र": time.Friday, "friday": time.Friday, "fri": time.Friday,
	"shukravar": time.Friday, "shukrawar": time.Friday, "shukra": time.Friday, "sukravar": time.Friday,
	"शनिवार": time.Saturday, "शनि": time.Saturday, "saturday": time.Saturday, "sat": time.Saturday,
	"shanivar": time.Saturday, "shaniwar": time.Saturday, "shani": time.Saturday,
}

// months are the names of the months, Hindi (normalised, so फ़रवरी is
// फरवरी) and English.
var months = map[string]int{
	"जनवरी": 1, "january": 1, "jan": 1, "janvari": 1, "janwari": 1,
	"फरवरी": 2, "february": 2, "feb": 2, "febuary": 2, "farvari": 2, "farwari": 2,
	"मार्च": 3, "march": 3, "mar": 3,
	"अप्रैल": 4, "अप्रेल": 4, "april": 4, "apr": 4, "aprail": 4, "aprel": 4,
	"मई": 5, "may": 5,
	"जून": 6, "june": 6, "jun": 6,
	"जुलाई": 7, "july": 7, "jul": 7, "julai": 7,
	"अगस्त": 8, "august": 8, "aug": 8, "agast": 8, "agust": 8,
	"सितंबर": 9, "सितम्बर": 9, "september": 9, "sep": 9, "sept": 9, "sitambar": 9, "sitamber": 9,
	"अक्टूबर": 10, "अक्तूबर": 10, "october": 10, "oct": 10, "aktubar": 10, "aktoobar": 10,
	"नवंबर": 11, "नवम्बर": 11, "november": 11, "nov": 11, "navambar": 11, "navamber": 11,
	"दिसंबर": 12, "दिसम्बर": 12, "december": 12, "dec": 12, "disambar": 12, "disamber": 12, "dismber": 12,
}

// onWords say "on" a date: "सोमवार को"; with a lone number, the day of
// the month ("20 को").
var onWords = map[string]bool{"को": true, "ko": true, "on": true}

// agoWords end "2 दिन पहले" (before today) and "3 din baad" (after it).
var agoWords = map[string]int{
	"पहले": -1, "pehle": -1, "pahle": -1, "phle": -1, "pehele": -1, "ago": -1, "before": -1,
	"बाद": 1, "baad": 1, "bad": 1, "later": 1,
}

// spanWords are the days or weeks counted in "2 दिन पहले".
var spanWords = map[string]int{
	"दिन": 1, "din": 1, "day": 1, "days": 1,
	"हफ्ते": 7, "हफ्ता": 7, "सप्ताह": 7, "hafte": 7, "hafta": 7, "haftay": 7, "saptah": 7, "week": 7, "weeks": 7,
}

// dateFillers are words around a date that change nothing: "सोमवार को",
// "6th of december", "on monday", "कल सुबह", "30 नवंबर से", "कल हुई थी",
// "30 नवंबर को बैठक हुई".
var dateFillers = map[string]bool{
	"को": true, "ko": true, "on": true, "से": true, "se": true, "since": true, "from": true, "the": true, "of": true, "this": true, "इस": true, "ही": true,
	"st": true, "nd": true, "rd": true, "th": true,
	"सुबह": true, "सवेरे": true, "दोपहर": true, "शाम": true, "रात": true,
	"subah": true, "dopahar": true, "dopehar": true, "shaam": true, "sham": true, "raat": true,
	"morning": true, "afternoon": true, "evening": true, "night": true,
	"हुई": true, "हुआ": true, "हुए": true, "थी": true, "था": true, "बैठक": true, "मीटिंग": true,
	"hui": true, "hua": true, "thi": true, "tha": true, "baithak": true, "meeting": true, "was": true, "held": true,
}

// nextWords ask for a weekday after today: "अगले सोमवार", "next monday".
var nextWords = map[string]bool{
	"अगले": true, "अगला": true, "agle": true, "agla": true, "next": true,
}

// dayWords say that a lone number is a day of the month: "6 तारीख".
var dayWords = map[string]bool{
	"तारीख": true, "तारीक": true, "tarikh": true, "tareekh": true, "tarik": true, "date": true, "दिनांक": true,
}
