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
func Phone(s string) (string, bool) {
	n := phonePart(Normalize(s))
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
