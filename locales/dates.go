package locales

import (
	"fmt"
	"time"
)

// IST is India Standard Time, the zone every date and time is shown in.
var IST = time.FixedZone("IST", 5*3600+1800)

var (
	hindiWeekdays = [...]string{"रविवार", "सोमवार", "मंगलवार", "बुधवार", "गुरुवार", "शुक्रवार", "शनिवार"}
	hindiMonths   = [...]string{"जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर"}
)

// Date writes the calendar date of t in IST: "शनिवार, 6 दिसंबर" in Hindi,
// "Saturday, 6 December" in English. The year is written whenever it is
// not the year of now (the time of the message being written, in IST):
// "मंगलवार, 6 अप्रैल 2027", "Tuesday, 6 April 2027".
func Date(lang string, t, now time.Time) string {
	t = t.In(IST)
	year := t.Year() != now.In(IST).Year()
	if lang == "en" {
		if year {
			return t.Format("Monday, 2 January 2006")
		}
		return t.Format("Monday, 2 January")
	}
	d := fmt.Sprintf("%s, %d %s", hindiWeekdays[t.Weekday()], t.Day(), hindiMonths[t.Month()-1])
	if year {
		d += fmt.Sprintf(" %d", t.Year())
	}
	return d
}

// DateWithYear writes the calendar date of t in IST as Date does, always
// with its year: "सोमवार, 30 नवंबर 2026", for a summary to be checked.
func DateWithYear(lang string, t time.Time) string {
	return Date(lang, t, time.Time{})
}

// DateTime writes t in IST the way people say it: "शनिवार, 6 दिसंबर, सुबह 10 बजे"
// or "Saturday, 6 December, 10 am"; the year as in Date.
func DateTime(lang string, t, now time.Time) string {
	return Date(lang, t, now) + ", " + Clock(lang, t)
}

// Clock writes the time of day of t in IST: "सुबह 10 बजे", "दोपहर 2:30 बजे",
// "शाम 6 बजे", "रात 9 बजे"; in English "10 am", "2:30 pm".
func Clock(lang string, t time.Time) string {
	t = t.In(IST)
	h, m := t.Hour(), t.Minute()
	if lang == "en" {
		if m == 0 {
			return t.Format("3 pm")
		}
		return t.Format("3:04 pm")
	}
	h12 := h % 12
	if h12 == 0 {
		h12 = 12
	}
	clock := fmt.Sprint(h12)
	if m != 0 {
		clock = fmt.Sprintf("%d:%02d", h12, m)
	}
	return dayPart(h) + " " + clock + " बजे"
}

// dayPart names the part of the day the Hindi way.
func dayPart(hour int) string {
	switch {
	case hour >= 4 && hour < 12:
		return "सुबह"
	case hour >= 12 && hour < 16:
		return "दोपहर"
	case hour >= 16 && hour < 20:
		return "शाम"
	default:
		return "रात"
	}
}
