package match

import (
	"testing"
	"time"
)

// TestReadNumberSaidTwiceOrMisspelt: a number said twice, or taken back
// and another given, is one number; a scale in a spelling known only after a number is
// one there; a word not known before a scale is not taken as one of it.
func TestReadNumberSaidTwiceOrMisspelt(t *testing.T) {
	tests := []struct {
		in   string
		want Number
	}{
		{"बारह (12)", Number{Kind: Exact, Value: 12}},
		{"5,000 (पांच हजार)", Number{Kind: Exact, Value: 5000}},
		{"15 की 15 आईं", Number{Kind: Exact, Value: 15}},
		{"12 में से 10 आईं", Number{Kind: Several, Value: 12}}, // 12 in all or 10 came: which is asked?
		{"10 out of 12", Number{Kind: Several, Value: 10}},
		{"12 से 10", Number{Kind: Range, Value: 12, High: 10}},
		{"दो सो", Number{Kind: Exact, Value: 200}},
		{"5 हजर", Number{Kind: Exact, Value: 5000}},
		{"सो", Number{Kind: NoNumber}}, // सो alone is sleep
		{"दू सौ", Number{Kind: Exact, Value: 200}},
		{"तीन सै", Number{Kind: NoNumber}}, // 300, or "3 है"
		{"12 सै", Number{Kind: NoNumber}},
		{"पिचहत्तर हजार", Number{Kind: Exact, Value: 75000}},
		{"फलाना हजार", Number{Kind: NoNumber}}, // not one thousand
		{"बचत हजार", Number{Kind: NoNumber}},
		{"हजार रुपये", Number{Kind: Exact, Value: 1000}},
		{"सिर्फ हजार", Number{Kind: Exact, Value: 1000}},
		{"कई हजार", Number{Kind: Approx, Value: 1000}},
		{"एक बार भी नहीं", Number{Kind: Exact, Value: 0}},
		{"ek rupya bhi nahi", Number{Kind: Exact, Value: 0}},
		{"एक सौ भी नहीं", Number{Kind: Negated, Value: 100}},
		{"5000 रु०", Number{Kind: Exact, Value: 5000}},
		{"रु० 500", Number{Kind: Exact, Value: 500}},
		{"५००० रु०", Number{Kind: Exact, Value: 5000}},
		{"निल", Number{Kind: Exact, Value: 0}},
		// blind17
		{"एक दर्जन", Number{Kind: Exact, Value: 12}},
		{"डेढ़ दर्जन", Number{Kind: Exact, Value: 18}},
		{"दर्जनों", Number{Kind: NoNumber}},
		{"बीसों आईं", Number{Kind: Exact, Value: 20}},
		{"दोनों", Number{Kind: Exact, Value: 2}},
		{"लोगों", Number{Kind: NoNumber}},
		{"twenty-five", Number{Kind: Exact, Value: 25}},
		{"20-25", Number{Kind: Range, Value: 20, High: 25}},
		{"12 होंगी", Number{Kind: Approx, Value: 12}},
		{"अधिकतम 10", Number{Kind: LessThan, Value: 10}},
		{"12 नहीं 13", Number{Kind: Exact, Value: 13}},
		{"तेरह. बारह नहीं", Number{Kind: Exact, Value: 13}},
		{"13, 12 नहीं", Number{Kind: Exact, Value: 13}},
		{"12 नहीं, 13 सदस्य हैं", Number{Kind: Exact, Value: 13}},
		{"10 आईं, 2 नहीं आईं", Number{Kind: Several, Value: 10}}, // 10 of 12, or 10 in all?
		{"12 लोग थे पर 2 नहीं आए", Number{Kind: Several, Value: 12}},
		{"do so", Number{Kind: NoNumber}}, // दो सौ, or "do so"
		{"do sao", Number{Kind: Exact, Value: 200}},
		{"12 नहीं 13 नहीं", Number{Kind: Several, Value: 12}},
		{"12 में से 2 नहीं आईं", Number{Kind: Several, Value: 12}},
		{"100-100 रुपये", Number{Kind: Range, Value: 100, High: 100}}, // each
		{"दस दस", Number{Kind: Range, Value: 10, High: 10}},
		{"हर सदस्य 100 रुपये", Number{Kind: Each, Value: 100}},
		{"each member 100", Number{Kind: Each, Value: 100}},
		{"हर महीने 500", Number{Kind: Exact, Value: 500}},
		{"दर्जन भर", Number{Kind: Approx, Value: 12}}, // a dozen or so
		{"sirf hazar", Number{Kind: Exact, Value: 1000}},
	}
	for _, tc := range tests {
		if got := builtin.ReadNumber(tc.in); got != tc.want {
			t.Errorf("ReadNumber(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

// TestRatingNotWholeOrSaidTwice: a rating with a fraction word is asked
// again; the same rating in words and digits is that rating.
func TestRatingNotWholeOrSaidTwice(t *testing.T) {
	tests := []struct {
		in   string
		want int // 0: asked again
	}{
		{"साढ़े चार", 0},
		{"sadhe 4", 0},
		{"ढाई", 0},
		{"चार (4)", 4},
		{"5 - पांच", 5},
		{"3 या 4", 0},
		{"4/5", 4},
		{"५ में ४", 4},
		{"****", 4},
		{"* * *", 3},
		{"*bahut accha*", 5}, // emphasis, not two stars
		{"सबसे अच्छा", 5},
		{"सबसे खराब", 1},
		{"v good", 5},
		{"medium", 3},
	}
	for _, tc := range tests {
		got, ok := builtin.Rating(tc.in)
		if !ok {
			got = 0
		}
		if got != tc.want {
			t.Errorf("Rating(%q) = %d, %v; want %d", tc.in, got, ok, tc.want)
		}
	}
}

// TestDateInWeekMonthCorrected: a weekday of the last or next week, a day
// of the last or next month, a date taken back and another given, and
// Bhojpuri words for tomorrow, yesterday and the weekdays.
func TestDateInWeekMonthCorrected(t *testing.T) {
	tuesday := time.Date(2026, 12, 1, 10, 0, 0, 0, ist)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, ist) }
	tests := []struct {
		in   string
		dir  Direction
		want time.Time // zero: asked again
	}{
		{"अगले महीने 10 तारीख", Future, day(2027, 1, 10)},
		{"10 tarikh next month", Future, day(2027, 1, 10)},
		{"पिछले महीने की 20 तारीख", Past, day(2026, 11, 20)},
		{"इस महीने 20 तारीख", Future, day(2026, 12, 20)},
		{"अगले महीने 31 तारीख", Future, day(2027, 1, 31)},
		{"पिछले महीने 31 तारीख", Past, time.Time{}}, // no 31 November
		{"अगले महीने", Future, time.Time{}},
		{"पिछले हफ्ते सोमवार", Past, day(2026, 11, 23)},
		{"pichle hafte shukravar", Past, day(2026, 11, 27)},
		{"अगले हफ्ते सोमवार", Future, day(2026, 12, 7)},
		{"इस हफ्ते शुक्रवार", Future, day(2026, 12, 4)},
		{"पिछले हफ्ते रविवार", Past, time.Time{}}, // 22 or 29 November, by where a week starts
		{"पिछले हफ्ते", Past, time.Time{}},
		{"कल नहीं परसों", Future, day(2026, 12, 3)},
		{"कल नहीं, परसों", Past, day(2026, 11, 29)},
		{"15 नहीं 16 तारीख", Future, day(2026, 12, 16)},
		{"कल नहीं", Future, time.Time{}},
		{"नहीं, कल", Future, time.Time{}}, // a no first may answer another question
		{"पक्का नहीं, शायद कल", Future, time.Time{}},
		{"कल नहीं परसों नहीं", Future, time.Time{}},
		{"काल्ह", Past, day(2026, 11, 30)},
		{"काल्ह", Future, day(2026, 12, 2)},
		{"बिहान", Future, day(2026, 12, 2)},
		{"सोमार", Future, day(2026, 12, 7)},
		{"सनिचर को", Past, day(2026, 11, 28)},
		{"एतवार", Future, day(2026, 12, 6)},
		// अगले / पिछले with a weekday that may be a week off
		{"अगले बुधवार", Future, time.Time{}}, // tomorrow, or 9 December
		{"अगले शुक्रवार", Future, time.Time{}},
		{"अगले सोमवार", Future, day(2026, 12, 7)},
		{"अगले मंगलवार", Future, day(2026, 12, 8)},
		{"पिछले सोमवार", Past, time.Time{}}, // yesterday, or 23 November
		{"पिछले रविवार", Past, day(2026, 11, 29)},
		{"पिछले शुक्रवार", Past, day(2026, 11, 27)},
		{"आने वाले बुधवार", Future, day(2026, 12, 2)},
		{"aane wale shukravar", Future, day(2026, 12, 4)},
		{"आने वाले महीने 10 तारीख", Future, day(2027, 1, 10)},
		{"रविवार 29 को", Past, day(2026, 11, 29)},
		{"सोमवार 29 को", Past, time.Time{}}, // 29 November is a Sunday
	}
	for _, tc := range tests {
		got, ok := builtin.DateIn(tc.in, tuesday, tc.dir)
		if !ok {
			got = time.Time{}
		}
		if !got.Equal(tc.want) {
			t.Errorf("DateIn(%q, %v) = %v, %v; want %v", tc.in, tc.dir, got, ok, tc.want)
		}
	}
}
