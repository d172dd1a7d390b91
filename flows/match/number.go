package match

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Int reads a whole number as ReadNumber does, and only an Exact one (see
// there for what is understood), with a leading minus: "-5" is -5 (the
// caller range-checks). Approximations, ranges, fractions and two numbers
// are not ok.
func (wl *Words) Int(s string) (int64, bool) {
	s, neg := cutMinus(s)
	n := wl.ReadNumber(s)
	if n.Kind != Exact {
		return 0, false
	}
	if neg {
		return -n.Value, true
	}
	return n.Value, true
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
