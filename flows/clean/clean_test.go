package clean

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

func TestText(t *testing.T) {
	cases := []struct {
		name, in  string
		multiline bool
		want      string
	}{
		{"normal Hindi is untouched", "सरिता देवी", false, "सरिता देवी"},
		{"Hindi with matras and nukta is untouched", "ज़िला सोनभद्र, नगर पंचायत अनपरा", false, "ज़िला सोनभद्र, नगर पंचायत अनपरा"},
		{"Latin is untouched", "Sarita Devi", false, "Sarita Devi"},
		{"NUL inside a name", "सरि\x00ता", false, "सरिता"},
		{"terminal colour codes leave nothing behind", "\x1b[31mसरिता\x1b[0m देवी", false, "सरिता देवी"},
		{"CSI with parameters and a cursor move", "Ram\x1b[2;5HLal\x1b[1A", false, "RamLal"},
		{"OSC title sequence", "\x1b]0;hacked\x07Sita", false, "Sita"},
		{"OSC ended by ESC backslash", "\x1b]8;;http://x\x1b\\link", false, "link"},
		{"C1 CSI", "a\u009b31mb", false, "ab"},
		{"two-character escape", "\x1bcReset", false, "Reset"},
		{"a lone ESC at the end", "Ram\x1b", false, "Ram"},
		{"RLO in a name cannot reorder what follows", "Ram\u202Eलाल\u202C", false, "Ramलाल"},
		{"every bidi control goes", "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061Cअनपरा", false, "अनपरा"},
		{"zero-width characters go", "स\u200Bरि\uFEFFता\u2060 दे\u00ADवी", false, "सरिता देवी"},
		{"zero-width space only", "\u200B\u200B\u200B", false, ""},
		{"ZWJ inside a Devanagari conjunct stays", "क्\u200Dष", false, "क्\u200Dष"},
		{"ZWNJ inside a Devanagari word stays", "क्\u200Cष", false, "क्\u200Cष"},
		{"ZWJ at a word's edge goes", "\u200Dराम\u200D लाल", false, "राम लाल"},
		{"ZWJ between Latin letters goes", "Ra\u200Dm", false, "Ram"},
		{"two joiners in a row keep one", "क्\u200D\u200Dष", false, "क्\u200Dष"},
		{"a joiner beside a zero-width space still joins Devanagari", "क्\u200D\u200Bष", false, "क्\u200Dष"},
		{"ZWJ in an emoji sequence stays", "👨\u200D👩\u200D👧", false, "👨\u200D👩\u200D👧"},
		{"NFD becomes NFC", "e\u0301", false, "é"},
		{"Devanagari NFD (qa with nukta) becomes NFC", norm.NFD.String("क़"), false, norm.NFC.String("क़")},
		{"runs of spaces collapse, ends trimmed", "  सरिता\t\t  देवी  ", false, "सरिता देवी"},
		{"no-break and ideographic spaces are spaces", "सरिता\u00A0देवी\u3000", false, "सरिता देवी"},
		{"one line: a line break is a space", "सरिता\nफ़ोन: 9999999999", false, "सरिता फ़ोन: 9999999999"},
		{"one line: paragraph separator too", "सरिता\u2029फ़ोन", false, "सरिता फ़ोन"},
		{"long text keeps line breaks", "पहली बात\r\nदूसरी बात", true, "पहली बात\nदूसरी बात"},
		{"long text: lines trimmed, blank lines at most one", "  एक  \n\n\n\n दो \n", true, "एक\n\nदो"},
		{"long text: CR and line separators are breaks", "एक\rदो\u2028तीन", true, "एक\nदो\nतीन"},
		{"long text still loses control characters", "एक\x00\x07\nदो\x1b[1m", true, "एक\nदो"},
		{"invalid UTF-8 is dropped", "Ram\xff\xfeLal", false, "RamLal"},
		{"Hangul filler is not a name", "\u3164\u3164", false, ""},
		{"tag characters hide no text", "hi\U000E0041\U000E0042", false, "hi"},
		{"DEL and C1 controls go", "a\x7fb\u0085c", false, "ab c"},
		{"emoji stay", "🙏 धन्यवाद", false, "🙏 धन्यवाद"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Text(tc.in, tc.multiline); got != tc.want {
				t.Errorf("Text(%+q, %v) = %+q, want %+q", tc.in, tc.multiline, got, tc.want)
			}
		})
	}
}

// TestTextLeavesNothingHostile runs hostile pieces through Text in every
// combination of two and checks the result holds none of them.
func TestTextLeavesNothingHostile(t *testing.T) {
	pieces := []string{"\x00", "\x1b[31m", "\x1b]0;x\x07", "\u202E", "\u2066", "\u200F", "\u200B", "\uFEFF", "\u00AD", "\u2060", "\r", "\u2028", "\t", "\u200D", "\u200C", "ab", "क्", "ष", "🙂"}
	for _, a := range pieces {
		for _, b := range pieces {
			for _, multi := range []bool{false, true} {
				got := Text(a+b+a, multi)
				for _, r := range got {
					bad := unicode.IsControl(r) && !(multi && r == '\n') ||
						unicode.Is(unicode.Cf, r) && r != zwj && r != zwnj
					if bad {
						t.Fatalf("Text(%+q, %v) = %+q keeps %U", a+b+a, multi, got, r)
					}
				}
				if strings.Contains(got, "[31m") || strings.Contains(got, "0;x") {
					t.Fatalf("Text(%+q) = %+q leaves an escape's rest", a+b+a, got)
				}
				if got != Text(got, multi) {
					t.Fatalf("Text is not stable on %+q: %+q then %+q", a+b+a, got, Text(got, multi))
				}
			}
		}
	}
}

func TestHasLetter(t *testing.T) {
	cases := map[string]bool{
		"सरिता":                      true,
		"Ram":                        true,
		"क्ष":                        true,
		"Ward 5":                     true,
		"":                           false,
		"🙏🙏":                         false,
		"😀 🏠":                        false,
		"123":                        false,
		"...!?":                      false,
		"-":                          false,
		"९०१":                        false, // Devanagari digits
		"ा":                          false, // a vowel sign alone
		Text("\u200B\u200B", false):  false,
		Text("\u3164", false):        false,
		Text("\u202E🙂\u202C", false): false,
		Text("\u200Dसोनभद्र\u200D", false): true,
	}
	for in, want := range cases {
		if got := HasLetter(in); got != want {
			t.Errorf("HasLetter(%+q) = %v, want %v", in, got, want)
		}
	}
}

func TestBlank(t *testing.T) {
	for in, want := range map[string]bool{
		"": true, "  \t\n": true, "\u200B\uFEFF\u202E": true, "\x00\x1b": true, "\u3164": true,
		"a": false, "क": false, "🙂": false, " . ": false, "\x1b[31m": false, // an escape's rest is text to Blank
	} {
		if got := Blank(in); got != want {
			t.Errorf("Blank(%+q) = %v, want %v", in, got, want)
		}
		if want && Text(in, true) != "" {
			t.Errorf("Blank(%+q) but Text is %+q", in, Text(in, true))
		}
	}
}
