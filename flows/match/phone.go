package match

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Phone reads an Indian mobile number typed in any common shape ("9876543210", "098765 43210", "+91 98765 43210",
// "+919876543210", "91-9876543210", Devanagari digits) and returns it in E.164 ("+919876543210"). Use nyaruka/phonenumbers:
// Parse(s, "IN") then require IsValidNumberForRegion(num, "IN"); format with phonenumbers.E164.
//
// Only digits and the separators people type (spaces, + - . ( ) /) are
// allowed, so letters are never read as a vanity number, and the number must
// be a mobile one: an Indian landline ("011 2345 6789") is rejected.
//
// Words or emoji around the number ("mera number 98765 43210 hai", "98765
// 43210 ✅") are left out, as long as the number is the only one there.
//
// A number said digit by digit in words, as voice typing writes it ("नौ
// आठ सात छह …", "nine eight seven …"), is read as its digits.
func Phone(s string) (string, bool) {
	n := phonePart(builtin.spokenDigits(Normalize(s)))
	if n == "" {
		return "", false
	}
	num, err := phonenumbers.Parse(n, "IN")
	if err != nil || !phonenumbers.IsValidNumberForRegion(num, "IN") {
		return "", false
	}
	switch phonenumbers.GetNumberType(num) {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE:
		return phonenumbers.Format(num, phonenumbers.E164), true
	}
	return "", false
}

// phoneSigns are the characters of a typed phone number.
const phoneSigns = "0123456789 +-.()/"

// phonePart is the one stretch of n that is written as a phone number, or
// "" when there is none or more than one.
func phonePart(n string) string {
	var found string
	for _, part := range strings.FieldsFunc(n, func(r rune) bool { return !strings.ContainsRune(phoneSigns, r) }) {
		if strings.ContainsAny(part, "0123456789") {
			if found != "" {
				return ""
			}
			found = strings.TrimSpace(part)
		}
	}
	return found
}

// minSpokenDigits is the fewest digit words in a row read as digits: "दो
// नंबर" stays words.
const minSpokenDigits = 3

// spokenDigits writes each run of at least minSpokenDigits digit words
// (0 to 9, in Hindi or English) of n as its digits.
func (wl *Words) spokenDigits(n string) string {
	fields := strings.Fields(n)
	digit := func(f string) (byte, bool) {
		ws := words(f, false)
		if len(ws) != 1 {
			return 0, false
		}
		v, ok := wl.hindiNumbers[ws[0]]
		if !ok {
			v, ok = wl.englishNumbers[ws[0]]
		}
		return byte('0' + v), ok && v >= 0 && v <= 9
	}
	var out []string
	for i := 0; i < len(fields); {
		j := i
		var run []byte
		for ; j < len(fields); j++ {
			d, ok := digit(fields[j])
			if !ok {
				break
			}
			run = append(run, d)
		}
		if len(run) >= minSpokenDigits {
			out = append(out, string(run))
			i = j
			continue
		}
		out = append(out, fields[i])
		i++
	}
	return strings.Join(out, " ")
}
