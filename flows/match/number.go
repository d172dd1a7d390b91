package match

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Int reads a whole number: Latin or Devanagari digits, Indian or western thousands separators ("1,23,456", "1,234"),
// a leading currency sign or word (₹, rs, rs., रु, रुपये) or a trailing unit or word ("172 खाते", "5000 रुपये", "12 सदस्य", "3 बैठकें"),
// and small Hindi/Hinglish number words standing alone (शून्य/zero 0, एक/ek 1, दो/do 2, तीन/teen 3, चार/char 4, पांच/पाँच/paanch 5,
// छह/छः/chhah 6, सात/saat 7, आठ/aath 8, नौ/nau 9, दस/das 10). Rejects text with two separate numbers ("10 या 12"), decimals,
// and anything with no number. Negative numbers ("-5") are returned negative (the caller range-checks).
//
// Words may stand around the number ("वार्ड नंबर 12 है"), but letters
// touching it must be a currency ("rs500"), an ordinal ending ("12th",
// "12वां") or a multiplier. Multipliers right after the number are applied:
// "5 हज़ार" and "5k" are 5000, "2 लाख" is 200000, "1 करोड़" is 10000000.
// Separators must be grouped properly: "12,34" is rejected.
func Int(s string) (int64, bool) {
	if isDecimalFraction(s) {
		return 0, false
	}
	s, neg := cutMinus(s)
	n := Normalize(s)
	v, ok := numberWords[n]
	if !ok {
		v, ok = digitsInt(n)
	}
	if !ok {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// cutMinus removes a leading minus sign that is followed by a digit
// (Normalize would trim it as punctuation).
func cutMinus(s string) (string, bool) {
	t := strings.TrimLeftFunc(s, unicode.IsSpace)
	r, size := utf8.DecodeRuneInString(t)
	if r != '-' && r != '−' {
		return s, false
	}
	rest := strings.TrimLeftFunc(t[size:], unicode.IsSpace)
	d, _ := utf8.DecodeRuneInString(rest)
	if !unicode.IsDigit(d) {
		return s, false
	}
	return rest, true
}

// isDecimalFraction reports whether s starts like ".5" or "-.5", which
// Normalize would turn into "5" by trimming the punctuation.
func isDecimalFraction(s string) bool {
	t := strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '-' || r == '−' })
	if !strings.HasPrefix(t, ".") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t[1:])
	return unicode.IsDigit(r)
}

// digitsInt reads the one number written in digits in normalised text n,
// with the words around it.
func digitsInt(n string) (int64, bool) {
	start, end, ok := soleNumber(n)
	if !ok {
		return 0, false
	}
	v, ok := groupedInt(n[start:end])
	if !ok || !touchingOK(lastWord(n[:start]), currencyWords) || !touchingOK(firstWord(n[end:]), numberEndings) {
		return 0, false
	}
	if after := words(n[end:], false); len(after) > 0 {
		if m, isMult := multipliers[after[0]]; isMult {
			if v > math.MaxInt64/m {
				return 0, false
			}
			v *= m
		}
	}
	return v, true
}

// soleNumber finds the one run of digits (with inner commas) in n. There must
// be exactly one, and no decimal point after it.
func soleNumber(n string) (start, end int, ok bool) {
	count := 0
	for i := 0; i < len(n); {
		if !isDigit(n, i) {
			i++
			continue
		}
		j := i
		for j < len(n) && (isDigit(n, j) || (n[j] == ',' && isDigit(n, j+1))) {
			j++
		}
		if j < len(n) && n[j] == '.' && isDigit(n, j+1) {
			return 0, 0, false // a decimal: "1.5"
		}
		start, end, count = i, j, count+1
		i = j
	}
	return start, end, count == 1
}

func isDigit(s string, i int) bool {
	return i < len(s) && '0' <= s[i] && s[i] <= '9'
}

// groupedInt parses digits with optional thousands separators, western
// ("1,234,567") or Indian ("12,34,567").
func groupedInt(d string) (int64, bool) {
	groups := strings.Split(d, ",")
	if len(groups) > 1 && !westernGroups(groups) && !indianGroups(groups) {
		return 0, false
	}
	v, err := strconv.ParseInt(strings.Join(groups, ""), 10, 64)
	return v, err == nil
}

func westernGroups(g []string) bool {
	return len(g[0]) <= 3 && sameLength(g[1:], 3)
}

func indianGroups(g []string) bool {
	last := len(g) - 1
	return len(g[0]) <= 2 && sameLength(g[1:last], 2) && len(g[last]) == 3
}

func sameLength(g []string, n int) bool {
	for _, x := range g {
		if len(x) != n {
			return false
		}
	}
	return true
}

// lastWord returns the letters touching the end of s ("rs" in "rs500"), or "".
func lastWord(s string) string {
	i := len(s)
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !unicode.IsLetter(r) && !unicode.IsMark(r) {
			break
		}
		i -= size
	}
	return s[i:]
}

// firstWord returns the letters touching the start of s ("th" in "th floor"), or "".
func firstWord(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) && !unicode.IsMark(r) {
			break
		}
		i += size
	}
	return s[:i]
}

// touchingOK reports whether w, the letters written against a number, is
// nothing or one of allowed.
func touchingOK(w string, allowed map[string]bool) bool {
	return w == "" || allowed[w]
}

// currencyWords may be written against the start of a number ("rs500").
var currencyWords = map[string]bool{
	"rs": true, "inr": true, "रु": true, "रू": true, "रुपये": true, "रुपए": true, "rupees": true, "rupaye": true,
}

// numberEndings may be written against the end of a number: "12th",
// "12वां", "5k", "500rs".
var numberEndings = map[string]bool{
	"st": true, "nd": true, "rd": true, "th": true, "वां": true, "वीं": true, "वें": true, "वा": true, "वी": true, "वे": true,
	"k": true, "lakh": true, "cr": true,
	"rs": true, "रु": true, "रू": true, "रुपये": true, "रुपए": true,
}

// multipliers scale the number they follow: "5 हज़ार" is 5000.
var multipliers = map[string]int64{
	"सौ": 100, "sau": 100, "hundred": 100,
	"हजार": 1000, "hazar": 1000, "hazaar": 1000, "hajar": 1000, "thousand": 1000, "k": 1000,
	"लाख": 100000, "lakh": 100000, "lac": 100000, "lakhs": 100000,
	"करोड": 10000000, "crore": 10000000, "cr": 10000000, "karod": 10000000, "karor": 10000000,
}

// numberWords are the small numbers people write as a word, alone.
var numberWords = map[string]int64{
	"शून्य": 0, "zero": 0, "shunya": 0, "sifar": 0,
	"एक": 1, "ek": 1, "one": 1,
	"दो": 2, "do": 2, "two": 2,
	"तीन": 3, "teen": 3, "three": 3,
	"चार": 4, "char": 4, "chaar": 4, "four": 4,
	"पांच": 5, "paanch": 5, "panch": 5, "five": 5,
	"छह": 6, "छः": 6, "छ": 6, "छे": 6, "chhah": 6, "chhe": 6, "chah": 6, "che": 6, "six": 6,
	"सात": 7, "saat": 7, "sat": 7, "seven": 7,
	"आठ": 8, "aath": 8, "ath": 8, "eight": 8,
	"नौ": 9, "nau": 9, "nine": 9,
	"दस": 10, "das": 10, "dus": 10, "ten": 10,
}
