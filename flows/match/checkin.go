package match

import "strings"

// CodeKind says whether a reply gave a check-in code.
type CodeKind int

// The kinds of reply CheckinCode tells apart.
const (
	NoCode      CodeKind = iota // no digits at all: not a code, and no try is used up
	CodeGiven                   // one code: its digits are returned
	CodeUnclear                 // digits, but more than one number ("4821 और 17"): ask again
)

// String names the kind in English, for logs and tests.
func (k CodeKind) String() string {
	switch k {
	case CodeGiven:
		return "CodeGiven"
	case CodeUnclear:
		return "CodeUnclear"
	}
	return "NoCode"
}

// CheckinCode finds the check-in code in a reply, with words, punctuation
// or emoji around it: "कोड 4821", "code: 4821", "4821 ✅", "हाज़िरी ४८२१",
// "48 21", "48-21". The code is returned as Latin digits.
func CheckinCode(s string) (string, CodeKind) {
	n := Normalize(s)
	var runs []string
	joinable, last := true, -1
	for i := 0; i < len(n); {
		if !isDigit(n, i) {
			i++
			continue
		}
		j := i
		for j < len(n) && isDigit(n, j) {
			j++
		}
		if last >= 0 && strings.Trim(n[last:i], " -") != "" {
			joinable = false
		}
		runs = append(runs, n[i:j])
		last, i = j, j
	}
	code := strings.Join(runs, "")
	switch {
	case len(runs) == 0:
		return "", NoCode
	case len(runs) == 1 || (joinable && len(code) <= 8):
		return code, CodeGiven
	}
	return "", CodeUnclear
}

// IsCheckin reports whether a reply asks to check in: the check-in word in
// any spelling (हाज़िरी, हाजिरी, हाज़री, हाज़ीरी, haazri, hazri, attendance,
// present, उपस्थिति), alone or with what people put around it ("✅ हाज़िरी
// लगाएँ", "मेरी हाज़िरी लगा दो", "present sir") and perhaps the code
// ("हाज़िरी 4821"; read it with CheckinCode).
func (wl *Words) IsCheckin(s string) bool {
	found := false
	for _, w := range words(Normalize(s), false) {
		switch {
		case wl.checkinWords[w]:
			found = true
		case wl.checkinFillers[w], isNumber(w), wl.codeWords[w]:
		default:
			return false
		}
	}
	return found
}
