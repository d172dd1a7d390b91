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
// "48 21", "48-21", "4.8.2.1". The code is returned as Latin digits.
//
// A reply of the code's words alone ("कोड 482 है", "12") gives its number
// as a code, perhaps a wrong one, unless it is as long as a mobile number. A reply that says more
// gives a code only when its number has the code's four digits: "2 मिनट
// रुको", "कमरा नंबर 12 में हूँ" or a mobile number is no try at a code.
func (wl *Words) CheckinCode(s string) (string, CodeKind) {
	n := Normalize(s)
	var runs, seps []string
	last := -1
	for i := 0; i < len(n); {
		if !isDigit(n, i) {
			i++
			continue
		}
		j := i
		for j < len(n) && isDigit(n, j) {
			j++
		}
		if last >= 0 {
			seps = append(seps, n[last:i])
		}
		runs = append(runs, n[i:j])
		last, i = j, j
	}
	if len(runs) == 0 {
		return "", NoCode
	}
	joined := func(between string) (string, bool) {
		for _, sep := range seps {
			if strings.Trim(sep, between) != "" {
				return "", false
			}
		}
		return strings.Join(runs, ""), true
	}
	if wl.codeOnly(n) {
		if code, ok := joined(" -.,"); ok && len(code) <= maxCodeTry {
			return code, CodeGiven
		}
	} else if code, ok := joined(" -"); ok && len(code) == codeDigits {
		return code, CodeGiven
	}
	return "", CodeUnclear
}

// codeDigits is how many digits a check-in code has; maxCodeTry the most
// a mistyped one may have (a mobile number is no try at a code).
const (
	codeDigits = 4
	maxCodeTry = 8
)

// codeOnly reports whether n, normalised, says nothing but a code: its
// numbers, the words that introduce a code ("कोड", "code no."), the
// check-in word and the words put around it ("मेरा", "है", "जी").
func (wl *Words) codeOnly(n string) bool {
	for _, w := range words(n, false) {
		if !isNumber(w) && !wl.codeWords[w] && !wl.checkinWords[w] && !wl.checkinFillers[w] {
			return false
		}
	}
	return true
}

// IsCheckin reports whether a reply asks to check in: the check-in word in
// any spelling (हाज़िरी, हाजिरी, हाज़री, हाज़ीरी, haazri, hazri, attendance,
// present, उपस्थिति), alone or with what people put around it ("✅ हाज़िरी
// लगाएँ", "मेरी हाज़िरी लगा दो", "present sir") and perhaps the code
// ("हाज़िरी 4821"; read it with CheckinCode); or a code of four digits
// with the word for a code ("कोड 4821", "code no. 4821 hai").
func (wl *Words) IsCheckin(s string) bool {
	found, codeWord, code := false, false, false
	ws := words(Normalize(s), false)
	for i := 0; i < len(ws); i++ {
		w := ws[i]
		switch {
		case wl.checkinWords[w]:
			found = true
		case i+1 < len(ws) && wl.checkinWords[w+ws[i+1]]: // "check in", "चेक इन"
			found = true
			i++
		case wl.codeWords[w]:
			codeWord = codeWord || wl.codeNames[w]
		case isNumber(w):
			code = code || len(w) == codeDigits
		case wl.checkinFillers[w]:
		default:
			return false
		}
	}
	return found || (codeWord && code)
}
