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
func IsCheckin(s string) bool {
	found := false
	for _, w := range words(Normalize(s), false) {
		switch {
		case checkinWords[w]:
			found = true
		case checkinFillers[w], isNumber(w), codeWords[w]:
		default:
			return false
		}
	}
	return found
}

// checkinWords name the check-in, in every common spelling (normalised:
// हाज़िरी is हाजिरी).
var checkinWords = map[string]bool{
	"हाजिरी": true, "हाजरी": true, "हाजीरी": true, "हाजिरि": true, "हाजरि": true, "हाजिर": true,
	"उपस्थिति": true, "उपस्थित": true, "अटेंडेंस": true, "चेकइन": true, "प्रेजेंट": true,
	"haziri": true, "hajiri": true, "hazri": true, "haazri": true, "hajri": true, "haajri": true, "haaziri": true,
	"hazari": true, "hazir": true, "haazir": true, "upasthiti": true, "upasthit": true,
	"attendance": true, "attendence": true, "attendnce": true, "present": true, "checkin": true, "check": true,
}

// checkinFillers are the words around a check-in word: "मेरी हाज़िरी लगा दो".
var checkinFillers = map[string]bool{
	"लगाएं": true, "लगाये": true, "लगाए": true, "लगा": true, "लगाओ": true, "लगाना": true, "लगानी": true,
	"लगाइए": true, "लगाइये": true, "लगाई": true, "दर्ज": true, "करें": true, "करो": true, "कर": true, "करना": true, "करनी": true,
	"दो": true, "दें": true, "दीजिए": true, "दीजिये": true, "है": true, "हूं": true, "मेरी": true, "मेरा": true, "मैं": true,
	"आज": true, "की": true, "का": true, "जी": true, "सर": true, "मैडम": true, "यहां": true, "पर": true, "में": true, "हम": true,
	"lagaye": true, "lagaen": true, "lagao": true, "laga": true, "lagana": true, "lagani": true, "lagado": true, "lagaiye": true,
	"karo": true, "kar": true, "karen": true, "karna": true, "do": true, "de": true, "dijiye": true, "hai": true, "hun": true,
	"meri": true, "mera": true, "main": true, "mai": true, "aaj": true, "ki": true, "ka": true, "ji": true, "sir": true,
	"madam": true, "mam": true, "in": true, "mark": true, "my": true, "i": true, "am": true, "here": true, "please": true,
	"plz": true, "pls": true, "yes": true, "today": true,
}

// codeWords introduce a code: "कोड 4821", "code no. 4821".
var codeWords = map[string]bool{
	"कोड": true, "code": true, "kod": true, "no": true, "number": true, "नंबर": true, "otp": true, "pin": true,
}
