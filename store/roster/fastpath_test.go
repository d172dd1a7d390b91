package roster

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/nyaruka/phonenumbers"

	textclean "github.com/saathi-bot/saathi/flows/clean"
)

// TestMobileAgreesWithPhonenumbers: the fast path for 10-digit numbers
// says what phonenumbers says, for every five-digit prefix from 60000 to
// 99999 (the IN numbering plan goes by prefixes) and random endings — so
// an update of phonenumbers' metadata that makes some of them invalid
// fails here.
func TestMobileAgreesWithPhonenumbers(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 14))
	for prefix := 60000; prefix < 100000; prefix++ {
		s := fmt.Sprintf("%d%05d", prefix, r.IntN(100000))
		if prefix%97 == 0 {
			s = "+91" + s
		}
		{
			national, ok := mobile(s)
			num, err := phonenumbers.Parse(s, "IN")
			valid := err == nil && phonenumbers.IsValidNumberForRegion(num, "IN")
			if !ok || !valid || "+91"+national != phonenumbers.Format(num, phonenumbers.E164) {
				t.Fatalf("%s: fast path %q %v, phonenumbers valid %v", s, national, ok, valid)
			}
		}
	}
	for _, s := range []string{"5876543210", "987654321", "98765432100", "+92 9876543210", "98765 43210", "+9198765432١0"} {
		if _, ok := mobile(s); ok {
			t.Errorf("mobile(%q) took it", s)
		}
	}
}

// FuzzPlainIsClean: text plain lets through is what cleaning makes of it.
func FuzzPlainIsClean(f *testing.F) {
	for _, s := range []string{"सरिता राजभर", "ज़िला", "नगर  पंचायत", " a", "Chopan", "ग्राम पंचायत खैराही", "क\u093c", "\u0915\u093c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if plain(s) && textclean.Text(s, false) != s {
			t.Errorf("plain(%q), but cleaning makes it %q", s, textclean.Text(s, false))
		}
	})
}

// FuzzFolded: text folded lets through is what fold makes of it.
func FuzzFolded(f *testing.F) {
	for _, s := range []string{"सरिता राजभर", "ज़िला", "जिला", "नगर  पंचायत", "chopan", "Chopan", "ग्राम पंचायत खैराही", "वार्ड १०", "गाँव", "\u0929"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if folded(s) && fold(s) != s {
			t.Errorf("folded(%q), but fold makes it %q", s, fold(s))
		}
	})
}
