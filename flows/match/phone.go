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
func Phone(s string) (string, bool) {
	n := Normalize(s)
	if n == "" || strings.Trim(n, "0123456789 +-.()/") != "" {
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
