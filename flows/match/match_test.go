package match

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// now is a Monday afternoon in IST.
var now = time.Date(2026, 11, 23, 15, 0, 0, 0, ist)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"HAAN", "haan"},
		{"  Theek   Hai  ", "theek hai"},
		{"हाँ!", "हां"},
		{"हाँ।", "हां"},
		{"॥ नहीं ॥", "नहीं"},
		{"nahi..", "nahi"},
		{"(2)", "2"},
		{"no. 2", "no. 2"},
		{"१७२", "172"},
		{"वार्ड नं० ३", "वार्ड नं. 3"},
		{"उ०प्र०", "उ.प्र"},
		{"वार्ड १०", "वार्ड 10"},
		{"वार्ड ०५", "वार्ड 05"},
		{"₹५,०००", "₹5,000"},
		{"ज़रूर", "जरूर"},                      // ज + nukta
		{"\u095B\u0930\u0942\u0930", "जरूर"},   // precomposed ज़ (U+095B)
		{"\u095C\u0940", "डी"},                 // precomposed ड़
		{"फ़ोटो", "फोटो"},                      // फ़
		{"आऊँगा", "आऊंगा"},                     // chandrabindu
		{"👍🏽", "👍"},                            // skin tone
		{"✔️", "✔"},                            // variation selector
		{"🤷\u200d♀️", "🤷♀"},                    // zero-width joiner
		{"न\u200cहीं", "नहीं"},                 // zero-width non-joiner
		{"हाँ\n\tजी", "हां जी"},                // any spaces
		{"+91 98765 43210", "+91 98765 43210"}, // plus is a symbol, kept
		{"-5", "5"},                            // minus is punctuation; Int keeps it itself
		{"\u0915\u093C\u0932\u092E", "कलम"},    // क़लम
		{"Ｏｋ", "ｏｋ"},                           // only case is folded for full width
		{"कल, परसों", "कल, परसों"},             // inner punctuation kept
		{"\u0939\u093e\u0901", "हां"},          // decomposed input
		{"...?!", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := Normalize(tc.in); got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestYesNo(t *testing.T) {
	tests := []struct {
		in   string
		want Answer
	}{
		// yes
		{"हाँ", Yes}, {"हां", Yes}, {"हा", Yes}, {"हाँ जी", Yes}, {"हां जी", Yes}, {"जी", Yes},
		{"जी हाँ", Yes}, {"जी हां", Yes}, {"हांजी", Yes}, {"haan", Yes}, {"HAAN", Yes}, {"Haan ji", Yes},
		{"haa", Yes}, {"han", Yes}, {"ha", Yes}, {"hn", Yes}, {"haaaan", Yes}, {"ji haan", Yes},
		{"yes", Yes}, {"Yes!", Yes}, {"y", Yes}, {"yeah", Yes}, {"yep", Yes}, {"ok", Yes}, {"Ok", Yes},
		{"OK.", Yes}, {"okay", Yes}, {"okkk", Yes}, {"ओके", Yes}, {"ठीक है", Yes}, {"ठीक", Yes},
		{"ठीक हैं", Yes}, {"theek hai", Yes}, {"thik hai", Yes}, {"thik h", Yes}, {"सही है", Yes},
		{"sahi hai", Yes}, {"bilkul", Yes}, {"बिल्कुल", Yes}, {"बिलकुल", Yes}, {"zaroor", Yes},
		{"ज़रूर", Yes}, {"जरूर", Yes}, {"👍", Yes}, {"👍🏽", Yes}, {"👍🏿", Yes}, {"👍👍", Yes}, {"✅", Yes},
		{"✔️", Yes}, {"👌", Yes}, {"🙏 हाँ जी", Yes}, {"हाँ, आऊँगा", Yes}, {"हां आऊंगा", Yes},
		{"ha bhai aa jaunga", Yes}, {"  हाँ।  ", Yes}, {"हम आइब", Yes}, {"हम जरूर आइब जी", Yes},
		// no
		{"नहीं", No}, {"नही", No}, {"नहि", No}, {"ना", No}, {"न", No}, {"nahi", No}, {"nahin", No},
		{"nahiin", No}, {"nhi", No}, {"nai", No}, {"na", No}, {"no", No}, {"NO", No}, {"n", No},
		{"nope", No}, {"nahi..", No}, {"nahiii", No}, {"Nahi!", No}, {"जी नहीं", No}, {"nahi ji", No},
		{"ji nahi", No}, {"👎", No}, {"👎🏻", No}, {"❌", No}, {"✖️", No}, {"नहीं, बीमार हूँ", No},
		{"नहीं। बीमार हूं", No}, {"बिल्कुल नहीं", No}, {"theek nahi hai", No}, {"अभी नहीं", No},
		{"ना आ पाइब", No}, {"इस बार माफ़ करें", No}, {"इस बार माफ करे सर", No}, {"is baar maaf karna", No},
		{"माफ़ कीजिए, थोड़ा देर से आऊँगी", Yes}, // sorry for being late is no no
		{"हम नाहीं आ पाइब", No}, {"नाही आ पाएब", No}, {"इस बार क्षमा करें", No}, {"अगली बार आऊंगी", No},
		{"हम आवत बानी", Yes}, {"agli baar pakka", No}, {"क्षमा करें", Unknown},
		{"अगली ट्रेनिंग में आऊंगी", No}, {"इस बार छोड़ दीजिए", No}, {"हम आ जाइब", Yes},
		// maybe
		{"पता नहीं", Maybe}, {"pata nahi", Maybe}, {"pata nhi", Maybe}, {"Pata Nahi!", Maybe},
		{"पक्का नहीं", Maybe}, {"pakka nahi", Maybe}, {"शायद", Maybe}, {"shayad", Maybe}, {"sayad", Maybe},
		{"maybe", Maybe}, {"may be", Maybe}, {"not sure", Maybe}, {"Not Sure", Maybe},
		{"अभी पता नहीं", Maybe}, {"abhi pata nahi", Maybe}, {"देखेंगे", Maybe}, {"dekhenge", Maybe},
		{"dekhte hain", Maybe}, {"🤔", Maybe}, {"मुझे नहीं पता", Maybe}, {"हो सकता है", Maybe},
		{"शायद हाँ", Maybe}, {"हाँ शायद", Maybe},
		// unknown
		{"", Unknown}, {"क्या?", Unknown}, {"hello", Unknown}, {"5", Unknown}, {"1", Unknown},
		{"🙏", Unknown}, {"?", Unknown}, {"कौन?", Unknown}, {"hai", Unknown}, {"nahi ho sakta", No},
		{"no. 2", Unknown}, {"no problem", Yes}, {"हाँ, कोई दिक्कत नहीं", Yes}, {"ok nahi aa paunga", No},
		// not sure wins over a no it overlaps
		{"अभी नहीं पता", Maybe}, {"abhi nahi pata", Maybe}, {"अभी नहीं कह सकते", Maybe},
		{"आऊँगी या नहीं", Maybe}, {"haan ya nahi", Unknown}, {"का पता", Maybe},
		// said and denied
		{"आऊँगी नहीं आऊँगी", Unknown}, {"jaungi nahi jaungi", Unknown}, {"मैं आऊँगी नहीं", No},
		// going somewhere else
		{"शादी में जाऊँगी", Unknown}, {"उस दिन मायके जाएंगे", Unknown}, {"हाँ, उस दिन मायके जा रही हूँ", Unknown},
		{"ज़रूर जाऊँगी", Yes}, {"ट्रेनिंग में जाऊँगी", Yes}, {"हाँ जी जा रही हूँ", Yes},
		// verbs made from a stem and an ending
		{"आउगी", Yes}, {"हम आउब", Yes}, {"आवेंगे", Yes}, {"आ जइबे", Yes}, {"हम न आ पाउब", No}, {"नहीं आ सकेंगी", No},
		// next time's yes, busy, wrong
		{"हाँ जी, घर में शादी है", Unknown}, {"हां पर उस दिन शादी है", Unknown}, {"हाँ पर थोड़ा देर से", Yes},
		{"हाँ जी बहुत धन्यवाद", Yes}, {"yes sir thanks for information", Yes}, {"हां जी राधे राधे", Yes}, {"हम तैयार हैं", Yes},
		{"busy nahi hu aa jaungi", Yes}, {"haan ya na", Unknown}, {"आब", Unknown}, {"हम चलब", Yes},
		{"हम ना जा पाइब", No}, {"no doubt", Yes}, {"mushkil nahi, namumkin hai", No}, {"abhi decide nahi kiya", Maybe},
		{"is baar nahi agli baar pakka", No}, {"sorry busy hu", No}, {"गलत है", No}, {"गलत नहीं है", Yes},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := builtin.YesNo(tc.in); got != tc.want {
				t.Errorf("YesNo(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestAnswerString(t *testing.T) {
	for a, want := range map[Answer]string{Unknown: "Unknown", Yes: "Yes", No: "No", Maybe: "Maybe", 9: "Unknown"} {
		if got := a.String(); got != want {
			t.Errorf("Answer(%d).String() = %q, want %q", int(a), got, want)
		}
	}
}

var (
	roles = [][]string{
		{"सभासद", "Ward member", "sabhasad", "sabhasadya", "सभासद्"},
		{"पार्षद", "Councillor", "parshad"},
		{"प्रधान", "Pradhan", "pradhan", "ग्राम प्रधान"},
		{"SHG सदस्य", "SHG member", "shg", "स्वयं सहायता समूह", "समूह सदस्य"},
		{"समन्वयक", "Coordinator", "coordinator", "samanvayak"},
		{"अन्य", "Other", "other", "anya"},
	}
	attend = [][]string{
		{"आऊँगा", "I will come", "aaunga"},
		{"नहीं आऊँगा", "I will not come"},
		{"देर से आऊँगा", "I will come late", "late"},
	}
	yesNoMaybe = [][]string{{"हाँ", "Yes"}, {"नहीं", "No"}, {"पता नहीं", "Not sure"}}
	confirm    = [][]string{{"✅ हाँ, सही है", "✅ Yes, correct"}, {"✏️ कुछ बदलना है", "✏️ Change something"}}
	languages  = [][]string{{"हिंदी", "Hindi", "hindi", "हिंदी", "हिन्दी"}, {"English", "english", "अंग्रेज़ी"}}
	emoji      = [][]string{{"👍"}, {"👎"}}
)

func TestOption(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		labels [][]string
		want   int // -1: not ok
	}{
		{"latin digit", "2", roles, 1},
		{"devanagari digit", "२", roles, 1},
		{"digit paren", "2)", roles, 1},
		{"digit dot", "2.", roles, 1},
		{"digit in parens", "(3)", roles, 2},
		{"hash digit", "#6", roles, 5},
		{"no dot", "no. 2", roles, 1},
		{"number word hindi", "नंबर 4", roles, 3},
		{"number after", "4 नंबर", roles, 3},
		{"option", "Option 5", roles, 4},
		{"nam dot", "नं. १", roles, 0},
		{"leading zero", "02", roles, 1},
		{"out of range", "7", roles, -1},
		{"zero", "0", roles, -1},
		{"devanagari out of range", "९", attend, -1},
		{"two numbers", "1 2", roles, -1},
		{"hindi label", "पार्षद", roles, 1},
		{"english label any case", "COUNCILLOR", roles, 1},
		{"english label spaces", "  ward   member ", roles, 0},
		{"alias", "samanvayak", roles, 4},
		{"alias with space", "ग्राम प्रधान", roles, 2},
		{"alias without space", "ग्रामप्रधान", roles, 2},
		{"prefix latin", "sam", roles, 4},
		{"prefix hindi", "प्र", roles, 2},
		{"prefix too short", "पा", roles, -1},
		{"contains label", "मैं पार्षद हूँ", roles, 1},
		{"contains two labels", "पार्षद और प्रधान", roles, -1},
		{"number agrees with label", "2 पार्षद", roles, 1},
		{"number disagrees with label", "1 पार्षद", roles, -1},
		{"prefix missing anusvara", "नही", yesNoMaybe, 1},
		{"mixed label", "shg सदस्य", roles, 3},
		{"nothing", "डॉक्टर", roles, -1},
		{"empty", "", roles, -1},
		{"chandrabindu to anusvara", "आऊंगा", attend, 0},
		{"exact with chandrabindu", "आऊँगा", attend, 0},
		{"longer label wins", "नहीं आऊँगा", attend, 1},
		{"contained longer label wins", "मैं नहीं आऊंगा", attend, 1},
		{"english any case", "I WILL COME", attend, 0},
		{"ambiguous prefix", "i will", attend, -1},
		{"contains late label", "देर से आऊँगा भाई", attend, 2},
		{"not sure label", "मुझे पता नहीं", yesNoMaybe, 2},
		{"no label", "नहीं", yesNoMaybe, 1},
		{"label without emoji", "हाँ सही है", confirm, 0},
		{"label with emoji", "✅ हाँ, सही है", confirm, 0},
		{"label prefix", "कुछ", confirm, 1},
		{"english label prefix", "change", confirm, 1},
		{"language prefix", "eng", languages, 1},
		{"language upper", "HINDI", languages, 0},
		{"language other spelling", "हिन्दी", languages, 0},
		{"nukta dropped", "अंग्रेजी", languages, 1},
		{"emoji label", "👍🏾", emoji, 0},
		{"emoji number", "2", emoji, 1},
		{"nil labels", "1", nil, -1},
		// a label denied does not count, and nothing looser is tried
		{"label denied", "ward member nahi hu", roles, -1},
		{"label denied, another named", "प्रधान नहीं, वार्ड मेंबर हूँ", roles, -1},
		{"denied, the other said", "प्रधान नहीं, पार्षद हूँ", roles, 1},
		{"verb denied", "आऊँगा नहीं", attend, -1},
		{"negation that is a label", "हाँ नहीं", yesNoMaybe, -1},
		// spelling-free keys, then a letter or two off
		{"key: aspirate and vowel", "pardhan", roles, 2},
		{"key: sibilant", "पार्सद", roles, 1},
		{"near: a letter off", "ward membar", roles, 0},
		{"near: two letters swapped", "पाषर्द", roles, 1},
		{"near: too short to guess", "sbh", roles, -1},
		{"near: two options as close", "parshan", [][]string{{"parshad"}, {"parsham"}}, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Option(tc.in, tc.labels)
			if !ok {
				got = -1
			}
			if got != tc.want {
				t.Errorf("Option(%q) = %d, %v; want %d", tc.in, got, ok, tc.want)
			}
		})
	}
}

func TestInt(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"12", 12, true},
		{" 12 ", 12, true},
		{"१७२", 172, true},
		{"172 खाते", 172, true},
		{"१७२ खाते", 172, true},
		{"1,23,456", 123456, true},
		{"12,34,567", 1234567, true},
		{"1,234", 1234, true},
		{"1,234,567", 1234567, true},
		{"₹5,000", 5000, true},
		{"₹ 5000", 5000, true},
		{"rs 500", 500, true},
		{"Rs. 500", 500, true},
		{"rs500", 500, true},
		{"रु 200", 200, true},
		{"रुपये 300", 300, true},
		{"5000 रुपये", 5000, true},
		{"12 सदस्य", 12, true},
		{"3 बैठकें", 3, true},
		{"वार्ड नंबर 12", 12, true},
		{"12th", 12, true},
		{"5 हज़ार", 5000, true},
		{"2 लाख", 200000, true},
		{"5k", 5000, true},
		{"0", 0, true},
		{"007", 7, true},
		{"-5", -5, true},
		{"−5", -5, true},
		{"दो", 2, true},
		{"das", 10, true},
		{"दस", 10, true},
		{"पाँच", 5, true},
		{"पांच", 5, true},
		{"छः", 6, true},
		{"shunya", 0, true},
		{"Ek", 1, true},
		{"बारह-तेरह", 0, false},
		{"10 या 12", 0, false},
		{"10-12", 0, false},
		{"abc", 0, false},
		{"", 0, false},
		{"1.5", 0, false},
		{".5", 0, false},
		{"1.5 lakh", 150000, true},
		{"12,34", 0, false},
		{"12a", 0, false},
		{"दो सौ पचास", 250, true},
		{"99999999999999999999", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := builtin.Int(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("Int(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestDate(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, ist) }
	lateDec := time.Date(2026, 12, 28, 10, 0, 0, 0, ist)
	newYearsEve := time.Date(2026, 12, 31, 20, 0, 0, 0, ist)
	utcNight := time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC) // already 24 Nov in India
	tests := []struct {
		in   string
		now  time.Time
		want time.Time // zero: not ok
	}{
		{"आज", now, day(2026, 11, 23)},
		{"aaj", now, day(2026, 11, 23)},
		{"Today", now, day(2026, 11, 23)},
		{"कल", now, day(2026, 11, 24)},
		{"kal", now, day(2026, 11, 24)},
		{"tomorrow", now, day(2026, 11, 24)},
		{"परसों", now, day(2026, 11, 25)},
		{"parso", now, day(2026, 11, 25)},
		{"parson", now, day(2026, 11, 25)},
		{"आज", utcNight, day(2026, 11, 24)},
		{"कल", lateDec, day(2026, 12, 29)},
		{"परसों", newYearsEve, day(2027, 1, 2)},
		{"सोमवार", now, day(2026, 11, 23)},
		{"सोम", now, day(2026, 11, 23)},
		{"monday", now, day(2026, 11, 23)},
		{"मंगलवार", now, day(2026, 11, 24)},
		{"मंगल", now, day(2026, 11, 24)},
		{"tue", now, day(2026, 11, 24)},
		{"बुधवार", now, day(2026, 11, 25)},
		{"गुरुवार", now, day(2026, 11, 26)},
		{"शुक्रवार", now, day(2026, 11, 27)},
		{"शनिवार", now, day(2026, 11, 28)},
		{"Sunday", now, day(2026, 11, 29)},
		{"रविवार को", now, day(2026, 11, 29)},
		{"6 दिसंबर", now, day(2026, 12, 6)},
		{"६ दिसंबर", now, day(2026, 12, 6)},
		{"6 दिसम्बर", now, day(2026, 12, 6)},
		{"6 dec", now, day(2026, 12, 6)},
		{"6 December", now, day(2026, 12, 6)},
		{"december 6", now, day(2026, 12, 6)},
		{"दिसंबर 6", now, day(2026, 12, 6)},
		{"6th Dec", now, day(2026, 12, 6)},
		{"6-dec-2026", now, day(2026, 12, 6)},
		{"6 दिसंबर 2026", now, day(2026, 12, 6)},
		{"6 दिसंबर, 2027", now, day(2027, 12, 6)},
		{"रविवार, 6 दिसंबर", now, day(2026, 12, 6)},
		{"शनिवार, 6 दिसंबर", now, time.Time{}},
		{"23 नवंबर", now, day(2026, 11, 23)},
		{"6 नवम्बर", now, day(2027, 11, 6)},
		{"10 फ़रवरी", now, day(2027, 2, 10)},
		{"10 फरवरी", now, day(2027, 2, 10)},
		{"1 अप्रैल", now, day(2027, 4, 1)},
		{"1 अप्रेल", now, day(2027, 4, 1)},
		{"15 अगस्त", now, day(2027, 8, 15)},
		{"2 अक्तूबर", now, day(2027, 10, 2)},
		{"2 अक्टूबर", now, day(2027, 10, 2)},
		{"5 सितम्बर", now, day(2027, 9, 5)},
		{"2 जनवरी", lateDec, day(2027, 1, 2)},
		{"06/12/2026", now, day(2026, 12, 6)},
		{"6-12-26", now, day(2026, 12, 6)},
		{"6.12.2026", now, day(2026, 12, 6)},
		{"6/12", now, day(2026, 12, 6)},
		{"०६/१२/२०२६", now, day(2026, 12, 6)},
		{"1/1", now, day(2027, 1, 1)},
		{"2026-12-06", now, day(2026, 12, 6)},
		{"2025-12-06", now, day(2025, 12, 6)},
		{"5 तारीख", now, day(2026, 12, 5)},
		{"पाँच तारीख", now, day(2026, 12, 5)},
		{"पच्चीस तारीख को", now, day(2026, 11, 25)},
		{"बत्तीस तारीख", now, time.Time{}},
		{"कल सुबह", now, day(2026, 11, 24)},
		{"6/12/2026 को", now, day(2026, 12, 6)},
		{"अगले सोमवार", now, day(2026, 11, 30)},
		{"next friday", now, time.Time{}}, // said on a Monday: this Friday or the next week's
		{"next sunday", now, time.Time{}},
		{"पिछले शनिवार", now, day(2026, 11, 21)},      // last week's, whichever is meant
		{"पिछले रविवार", now, time.Time{}},            // yesterday (कल), or the Sunday before
		{"आने वाले शुक्रवार", now, day(2026, 11, 27)}, // the coming one
		{"अगले 6 दिसंबर", now, time.Time{}},
		{"25 तारीख को", now, day(2026, 11, 25)},
		{"29/02", now, day(2028, 2, 29)},
		{"31/02", now, time.Time{}},
		{"31/02/2027", now, time.Time{}},
		{"29/02/2027", now, time.Time{}},
		{"31 नवंबर", now, time.Time{}},
		{"32/12", now, time.Time{}},
		{"13/13/2026", now, time.Time{}},
		{"6", now, time.Time{}},
		{"कल या परसों", now, time.Time{}},
		{"hello", now, time.Time{}},
		{"", now, time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := builtin.Date(tc.in, tc.now)
			if !ok {
				got = time.Time{}
			}
			if !got.Equal(tc.want) || (ok && got.Location() != ist) {
				t.Errorf("Date(%q, %s) = %s, %v; want %s", tc.in, tc.now, got, ok, tc.want)
			}
		})
	}
}

func TestPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"9876543210", "+919876543210"},
		{"नौ आठ सात छह पाँच चार तीन दो एक शून्य", "+919876543210"},
		{"mera number nine eight seven six five four three two one zero", "+919876543210"},
		{"98765 चार तीन दो एक शून्य", "+919876543210"},
		{"दो नंबर वाला", ""},
		{"098765 43210", "+919876543210"},
		{"+91 98765 43210", "+919876543210"},
		{"+919876543210", "+919876543210"},
		{"91-9876543210", "+919876543210"},
		{"919876543210", "+919876543210"},
		{"0091 98765 43210", "+919876543210"},
		{"98765-43210", "+919876543210"},
		{"(+91) 98765 43210", "+919876543210"},
		{"९८७६५४३२१०", "+919876543210"},
		{" 7012345678 ", "+917012345678"},
		{"12345", ""},
		{"98765", ""},
		{"+910000000000", ""},
		{"+1 202 555 0143", ""},
		{"011 2345 6789", ""}, // Delhi landline
		{"98765432101", ""},
		{"call me", ""},
		{"", ""},
		// Words or emoji around the one number are left out.
		{"mera number 9876543210 hai", "+919876543210"},
		{"मेरा नंबर ९८७६५ ४३२१० है", "+919876543210"},
		{"9876543210 ✅", "+919876543210"},
		{"9876543210 ya 9876501234", ""}, // two numbers: which one?
		{"98765abc43210", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := Phone(tc.in)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("Phone(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
			}
		})
	}
}

// TestTablesNormalized checks that every word in the lookup tables is written
// the way Normalize and words write it, or it could never match.
func TestVerbForms(t *testing.T) {
	spellings := map[string]string{"aaungi": "listed"}
	addVerbForms(spellings, map[string][]string{"aaunga": {"आ", "aa"}, "sakunga": {"सक"}}, []string{"ऊंगी", "ब", "ungi", "enge"})
	want := map[string]string{"आऊंगी": "aaunga", "सकूंगी": "sakunga", "सकब": "sakunga", "aaenge": "aaunga", "aaungi": "listed"} // not आब
	for form, canon := range want {
		if spellings[form] != canon {
			t.Errorf("%s: %q, want %q", form, spellings[form], canon)
		}
	}
	if len(spellings) != len(want) {
		t.Errorf("%d forms, want %d (a Latin ending on a Devanagari stem?): %v", len(spellings), len(want), spellings)
	}
}

func TestTablesNormalized(t *testing.T) {
	check := func(table, key string) {
		t.Helper()
		if w := words(Normalize(key), true); len(w) != 1 || w[0] != key {
			t.Errorf("%s: key %q is not one normalised word (%q)", table, key, w)
		}
	}
	for k, v := range builtin.wordSpellings {
		check("wordSpellings", k)
		if builtin.wordSpellings[v] != v {
			t.Errorf("wordSpellings: canonical word %q does not map to itself", v)
		}
	}
	for k := range builtin.intentPhrases {
		words := strings.Split(k, " ")
		for _, w := range words {
			if builtin.wordSpellings[w] != w {
				t.Errorf("intentPhrases: %q in %q is not a canonical word", w, k)
			}
		}
		if len(words) > maxIntentPhrase {
			t.Errorf("intentPhrases: %q is longer than maxIntentPhrase", k)
		}
	}
	for _, table := range []map[string]bool{builtin.reasonFillers, builtin.reasonConnectives, comeStarts} {
		for w := range table {
			if builtin.wordSpellings[w] != w {
				t.Errorf("reason words: %q is not a canonical word", w)
			}
		}
	}
	for w := range builtin.intentWords {
		if builtin.wordSpellings[w] != w && !isSymbol(w) {
			t.Errorf("intentWords: %q is not a canonical word", w)
		}
	}
	for _, table := range []map[string]bool{numberDecoration, currencyWords, numberEndings, builtin.dateFillers, builtin.dayWords, builtin.nextWords, builtin.lastWords, builtin.onWords, builtin.hourWords, builtin.monthWords,
		builtin.checkinWords, builtin.checkinFillers, builtin.codeWords} {
		for k := range table {
			check("set", k)
		}
	}
	for _, table := range []map[string]int64{builtin.hindiNumbers, builtin.englishNumbers, builtin.scaleWords, builtin.scalesAfterNumber, touchingScales, builtin.wholeFractions} {
		for k := range table {
			check("number words", k)
		}
	}
	for k := range builtin.fractionModifiers {
		check("fractionModifiers", k)
	}
	for _, table := range []map[string]bool{builtin.approxWords, builtin.moreWords, builtin.lessWords, builtin.imperativeBefore, builtin.moneyWords, ambiguousNumberWords, builtin.unclearAfterNumber, builtin.outOfWords} {
		for k := range table {
			if !isSymbol(k) {
				check("number context words", k)
			}
		}
	}
	for k := range ambiguousNumberWords {
		if _, ok := builtin.hindiNumbers[k]; !ok {
			t.Errorf("ambiguousNumberWords: %q is not a number word", k)
		}
	}
	for k := range builtin.weekdays {
		check("weekdays", k)
	}
	for k := range builtin.months {
		check("months", k)
	}
	for _, table := range []map[string]bool{builtin.ratingIntensifiers, builtin.ratingAbsolutes} {
		for k := range table {
			check("rating words", k)
		}
	}
	for _, ps := range [][][]string{builtin.neitherNor, builtin.zeroPhrases} {
		for _, p := range ps {
			for _, w := range p {
				check("phrases", w)
			}
		}
	}
	for _, table := range []map[string]int{builtin.agoWords, builtin.spanWords, builtin.ratingPhrases} {
		for k := range table {
			check("days away", k)
		}
	}
	for k := range builtin.relativeDays {
		if Normalize(k) != k {
			t.Errorf("relativeDays: key %q is not normalised", k)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"", "हाँ जी!", "  Theek   Hai  ", "क़ ख़ ग़ ज़ ड़ ढ़ फ़ य़", "\u0958\u095F", "👍🏽✔️", "🤷\u200d♀️",
		"१७२ खाते", "₹1,23,456/-", "।हाँ।", "सवा 99 करोड़ 9999999999999999", "नहीं आ पाऊँगी, बेटी की शादी है", "⭐⭐⭐⭐👍", "e\u0301", "İ", "\u0928\u093C", "a\u200d\u0301", "!\u0301x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := Normalize(s)
		if twice := Normalize(once); twice != once {
			t.Errorf("Normalize not idempotent: %q -> %q -> %q", s, once, twice)
		}
		if utf8.ValidString(s) && !utf8.ValidString(once) {
			t.Errorf("Normalize(%q) = %q is not valid UTF-8", s, once)
		}
		if strings.Contains(once, "  ") || strings.TrimSpace(once) != once {
			t.Errorf("Normalize(%q) = %q has loose spaces", s, once)
		}
		// The other readers must not panic on anything.
		builtin.YesNo(s)
		if a, reason := builtin.YesNoReason(s); a != No && reason != "" {
			t.Errorf("YesNoReason(%q) gave a reason %q with %v", s, reason, a)
		}
		Option(s, roles)
		builtin.Int(s)
		if n := builtin.ReadNumber(s); n.Kind == Exact && n.Value < 0 {
			t.Errorf("ReadNumber(%q) = %+v: negative", s, n)
		}
		if v, ok := builtin.Rating(s); ok && (v < 1 || v > 5) {
			t.Errorf("Rating(%q) = %d", s, v)
		}
		if code, kind := CheckinCode(s); (kind == CodeGiven) != (code != "") || strings.Trim(code, "0123456789") != "" {
			t.Errorf("CheckinCode(%q) = %q, %v", s, code, kind)
		}
		builtin.IsCheckin(s)
		builtin.Command(s)
		builtin.Language(s)
		builtin.Date(s, now)
		builtin.DateIn(s, now, Past)
		switch kind, found := builtin.Place(s, benchPlaces[:20]); {
		case kind == PlaceNone && found != nil, kind != PlaceNone && len(found) == 0, len(found) > MaxPlaceChoices,
			(kind == PlaceExact || kind == PlaceNear) && len(found) != 1:
			t.Errorf("Place(%q) = %v %q", s, kind, found)
		}
	})
}

// benchPlaces are 1,000 gram panchayat names, about a district's: a
// typed place is matched against names like these.
var benchPlaces = func() []string {
	stems := []string{"रसूल", "भोगनी", "बिठूर", "मैथा", "सरवन", "अकबर", "डेरा", "राज", "शिव", "पुखरा"}
	ends := []string{"पुर", "गंज", "खेड़ा", "नगर", "गढ़", "बाद", "कला", "खुर्द", "पुरवा", "ढिया"}
	var out []string
	for i := range 1000 {
		out = append(out, "ग्राम पंचायत "+stems[i%10]+ends[i/10%10]+[]string{"", " पूर्व", " पश्चिम", " उत्तर", " दक्षिण", " मध्य", " प्रथम", " द्वितीय", " तृतीय", " नया"}[i/100])
	}
	return out
}()

// BenchmarkPlace: a typed place with a typo against a district's 1,000
// gram panchayats (the cost grows with the places, never the people).
func BenchmarkPlace(b *testing.B) {
	for b.Loop() {
		builtin.Place("rasoolpur purab", benchPlaces)
	}
}

func BenchmarkYesNo(b *testing.B) {
	for b.Loop() {
		builtin.YesNo("हाँ जी, ज़रूर आऊँगा 👍🏽")
	}
}

func BenchmarkOption(b *testing.B) {
	for b.Loop() {
		Option("मैं पार्षद हूँ", roles)
	}
}

func BenchmarkInt(b *testing.B) {
	for b.Loop() {
		builtin.Int("₹1,23,456 रुपये")
	}
}

func BenchmarkDate(b *testing.B) {
	for b.Loop() {
		builtin.Date("शनिवार, 6 दिसंबर 2026", now)
	}
}

// TestNumberWordsFoldApart checks that no two Hindi numbers share a folded
// spelling, or a short-vowel typo of one could be read as the other.
func TestNumberWordsFoldApart(t *testing.T) {
	seen := map[string]int64{}
	for w, v := range builtin.hindiNumbers {
		if utf8.RuneCountInString(w) < 4 {
			continue
		}
		f := foldNumberWord(w)
		if o, ok := seen[f]; ok && o != v {
			t.Errorf("%q (%d) folds to %q, like a spelling of %d", w, v, f, o)
		}
		seen[f] = v
	}
	for w, want := range map[string]int64{"पच्चिस": 25, "पैतिस": 35, "chaalis": 40, "sattaavan": 57, "उन्निस": 19} {
		if got, ok := builtin.hindiNumberValue(w); !ok || got != want {
			t.Errorf("hindiNumberValue(%q) = %d, %v; want %d", w, got, ok, want)
		}
	}
	if _, ok := builtin.hindiNumberValue("नो"); ok {
		t.Error(`"नो" (English no) read as नौ`)
	}
}

// TestReadNumberKinds checks the kind and the numbers ReadNumber gives,
// which the re-ask uses ("30 या 35 — …").
func TestReadNumberKinds(t *testing.T) {
	tests := []struct {
		in   string
		want Number
	}{
		{"57", Number{Kind: Exact, Value: 57}},
		{"सवा लाख", Number{Kind: Exact, Value: 125000}},
		{"30-35", Number{Kind: Range, Value: 30, High: 35}},
		{"दस बारह", Number{Kind: Range, Value: 10, High: 12}},
		{"लगभग 40", Number{Kind: Approx, Value: 40}},
		{"~40", Number{Kind: Approx, Value: 40}},
		{"30 से ज़्यादा", Number{Kind: MoreThan, Value: 30}},
		{"30+", Number{Kind: MoreThan, Value: 30}},
		{"40 से कम", Number{Kind: LessThan, Value: 40}},
		{"ढाई", Number{Kind: NotWhole, Value: 2}},
		{"12 सदस्य, 3 नए", Number{Kind: Several, Value: 12}},
		{"12 नहीं", Number{Kind: Negated, Value: 12}},
		{"कोई नहीं", Number{Kind: Exact, Value: 0}},
		{"0 (koi nahi)", Number{Kind: Exact, Value: 0}},
		{"कोई नहीं, 0", Number{Kind: Exact, Value: 0}},
		{"5, कोई नहीं", Number{Kind: Several}},
		{"पता नहीं", Number{Kind: NoNumber}},
		{"हज़ार लाख", Number{Kind: NoNumber}},
		{"साढ़े", Number{Kind: NoNumber}},
	}
	for _, tc := range tests {
		if got := builtin.ReadNumber(tc.in); got != tc.want {
			t.Errorf("ReadNumber(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
	for k := NoNumber; k <= Each; k++ {
		if k.String() == "" || (k != NoNumber && k.String() == "NoNumber") {
			t.Errorf("NumberKind(%d) has no name", k)
		}
	}
}

// TestYesNoReasonText checks the reason kept with a no, in the person's own
// spelling (nukta and all).
func TestYesNoReasonText(t *testing.T) {
	for in, want := range map[string]string{
		"नहीं आ पाऊँगा, उस दिन बोर्ड बैठक है":        "उस दिन बोर्ड बैठक है",
		"नहीं, दफ़्तर में ज़रूरी ऑडिट है 🙏":          "दफ़्तर में ज़रूरी ऑडिट है",
		"बोर्ड बैठक है, इसलिए नहीं आ पाऊँगी":         "बोर्ड बैठक है",
		"नहीं जी, गाड़ी नहीं है":                     "गाड़ी नहीं है",
		"sorry ji nahi aa paungi because of harvest": "harvest",
		"नहीं":                     "",
		"नहीं आऊँगी":               "",
		"हमरा से ना होई":           "",
		"हम लोग आ नहीं पाएंगे":     "",
		"नहीं आ सकेंगी हम":         "",
		"nahi pahunch paungi":      "",
		"न हो सकी":                 "",
		"ना बाबा ना":               "",
		"ना हो पाई, बेटी बीमार है": "बेटी बीमार है",
		"नहीं आ सकते, उस दिन चुनाव ड्यूटी है": "उस दिन चुनाव ड्यूटी है",
	} {
		a, got := builtin.YesNoReason(in)
		if a != No || got != want {
			t.Errorf("YesNoReason(%q) = %v, %q; want No, %q", in, a, got, want)
		}
	}
	if a, r := builtin.YesNoReason("हाँ, आऊँगी"); a != Yes || r != "" {
		t.Errorf("a yes has no reason: %v %q", a, r)
	}
}

func TestCheckinCodeKinds(t *testing.T) {
	for in, want := range map[string]struct {
		code string
		kind CodeKind
	}{
		"कोड 4821 ✅": {"4821", CodeGiven}, "४८ २१": {"4821", CodeGiven}, "हाज़िरी": {"", NoCode},
		"4821 और 4822": {"", CodeUnclear}, "": {"", NoCode},
	} {
		if code, kind := CheckinCode(in); code != want.code || kind != want.kind {
			t.Errorf("CheckinCode(%q) = %q, %v; want %q, %v", in, code, kind, want.code, want.kind)
		}
	}
}

func TestLexiconMatch(t *testing.T) {
	lex := Lexicon{"r": {"health": {"बीमार*", "तबीयत ठीक नहीं"}, "work": {"ठीक", "काम"}, "family": {"~बेटी", "शादी"}}}
	for in, want := range map[string]string{
		"बीमारी है": "health", "तबीयत ठीक नहीं": "health", "बेटी की शादी": "family", "बेटी": "family",
		"बेटी बीमार है": "health", "काम है": "work", "बीमार हूँ और काम भी": "", "कुछ और": "",
	} {
		got, ok := lex.Match("r", in)
		if (want == "") == ok || got != want {
			t.Errorf("Match(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if ps := lex.Check(); len(ps) != 0 {
		t.Errorf("a sound lexicon has problems: %v", ps)
	}
}

// TestPlaceChoicesAreFew: many names sharing a word are offered at most
// MaxPlaceChoices at a time; an empty or kind-only reply matches nothing.
func TestPlaceChoicesAreFew(t *testing.T) {
	var names []string
	for _, w := range []string{"कला", "खुर्द", "पूर्व", "पश्चिम", "उत्तर", "दक्षिण", "मध्य"} {
		names = append(names, "ग्राम पंचायत बिठूर "+w)
	}
	if kind, found := builtin.Place("bithur", names); kind != PlaceMany || len(found) != MaxPlaceChoices {
		t.Errorf("bithur among %d: %v %q, want %d choices", len(names), kind, found, MaxPlaceChoices)
	}
	for _, in := range []string{"", "  ", "🙏", "ग्राम पंचायत"} {
		if kind, found := builtin.Place(in, names); kind != PlaceNone {
			t.Errorf("%q: %v %q, want nothing", in, kind, found)
		}
	}
}

// BenchmarkPlaces: the same against names keyed once (what place.match
// keeps between messages).
func BenchmarkPlaces(b *testing.B) {
	places := builtin.NewPlaces(benchPlaces)
	for b.Loop() {
		places.Match("rasoolpur purab")
	}
}

// TestPlaceKeyEnglishSpellings: the English spellings of Hindi names key
// as the Devanagari does, or one letter off (then Place confirms them).
func TestPlaceKeyEnglishSpellings(t *testing.T) {
	for _, c := range []struct {
		latin, deva string
		apart       int
	}{
		{"unnao", "उन्नाव", 0},
		{"etah", "एटा", 0},
		{"etawah", "इटावा", 0},
		{"pratapgarh", "प्रतापगढ़", 0},
		{"hapur", "हापुड़", 0},
		{"sarwankhera", "सरवनखेड़ा", 0},
		{"lucknow", "लखनऊ", 1},
		{"hydergarh", "हैदरगढ़", 1},
		{"bareilly", "बरेली", 0},
	} {
		lk, dk := builtin.PlaceKey(c.latin), builtin.PlaceKey(c.deva)
		if d := distance(lk, dk, 3); d != c.apart {
			t.Errorf("PlaceKey(%q) = %q, PlaceKey(%q) = %q: %d letters apart, want %d", c.latin, lk, c.deva, dk, d, c.apart)
		}
	}
}

// TestPersonName: the words people put around their name are left out,
// and a name without them is kept whole.
func TestPersonName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"सुनीता देवी", "सुनीता देवी"},
		{"Ramesh Kumar", "Ramesh Kumar"},
		{"मेरा नाम सुनीता देवी है", "सुनीता देवी"},
		{"मेरा नाम सुनीता देवी है।", "सुनीता देवी"},
		{"ji mera naam Ramesh hai", "Ramesh"},
		{"जी सर, मेरा नाम है राम प्रसाद", "राम प्रसाद"},
		{"नाम: गीता", "गीता"},
		{"नाम - कमला", "कमला"},
		{"my name is Asha Devi", "Asha Devi"},
		{"मैं सुनीता हूँ", "सुनीता"},
		{"main kamla hu ji", "kamla"},
		{"🙏 नमस्ते जी मेरा नाम रीना है 🙏", "रीना"},
		{"श्रीमती सरोज देवी", "सरोज देवी"},
		{"Smt. Anita Singh", "Anita Singh"},
		{"मेरा नाम श्रीमती उर्मिला देवी है", "उर्मिला देवी"},
		{"kiran devi ji", "kiran devi"},
		{"🙏 सुमन लता", "सुमन लता"},
		{"मैं ममता यादव बोल रही हूँ", "ममता यादव"},
		{"Rakesh bol raha hu", "Rakesh"},
		{"हमार नाम रामरती ह", "रामरती"},
		{"i am Vinod", "Vinod"},
		{"myself Pooja", "Pooja"},
		{"नमस्कार मैं सावित्री देवी", "सावित्री देवी"},
		{"ham Phoolmati hain", "Phoolmati"},
		{"mera naam hai Dinesh", "Dinesh"},
		{"मेरा नाम सुमन है और मैं सभासद हूँ", "सुमन"},
		{"नाम बताना जरूरी है?", ""},
		// kept whole: no frame, or "I" without "am"
		{"Mai Devi", "Mai Devi"},
		{"Naina Singh", "Naina Singh"},
		{"Nahid Bano", "Nahid Bano"},
		{"Sahi Ram", "Sahi Ram"},
		// no one named: nothing left, or an answer
		{"नाम", ""},
		{"मेरा नाम है", ""},
		{"जी", ""},
		{"हाँ", ""},
		{"ok ji", ""},
		{"नहीं", ""},
	} {
		if got := PersonName(c.in); got != c.want {
			t.Errorf("PersonName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestPlaceFormerNames: a district's former name is the district it names
// now, offered to confirm, not taken; only where the roster holds the
// present name and no place of the former name.
func TestPlaceFormerNames(t *testing.T) {
	names := []string{"प्रयागराज", "अयोध्या", "प्रतापगढ़"}
	for _, c := range []struct{ in, want string }{
		{"allahabad", "प्रयागराज"}, {"इलाहाबाद", "प्रयागराज"}, {"Allahbad", "प्रयागराज"},
		{"जिला इलाहाबाद", "प्रयागराज"}, {"faizabad", "अयोध्या"}, {"फ़ैज़ाबाद", "अयोध्या"},
	} {
		if kind, found := Place(c.in, names); kind != PlaceNear || len(found) != 1 || found[0] != c.want {
			t.Errorf("%q: %v %q, want %s to confirm", c.in, kind, found, c.want)
		}
	}
	if kind, found := Place("prayagraj", names); kind != PlaceExact || found[0] != "प्रयागराज" {
		t.Errorf("prayagraj: %v %q, want it taken", kind, found)
	}
	// A roster without the present name has nothing for the former one.
	if kind, found := Place("allahabad", []string{"प्रतापगढ़", "कौशाम्बी"}); kind != PlaceNone {
		t.Errorf("allahabad without प्रयागराज: %v %q, want nothing", kind, found)
	}
	// A place of the former name itself (a block named so) is that place.
	if kind, found := Place("faizabad", []string{"अयोध्या", "फैजाबाद"}); kind != PlaceExact || found[0] != "फैजाबाद" {
		t.Errorf("faizabad with a place of that name: %v %q, want it taken", kind, found)
	}
}

// TestPlaceGenericAndParts: a word that ends many names names none of
// them alone; a reply holding a place and more ("हैदरगढ़ ब्लॉक, बाराबंकी")
// offers the place it holds to confirm, never takes it, and a part more
// than a letter off counts for nothing.
func TestPlaceGenericAndParts(t *testing.T) {
	districts := []string{"अम्बेडकर नगर", "कानपुर नगर", "संत कबीर नगर", "बाराबंकी"}
	for _, in := range []string{"नगर", "nagar", "नगर जिला"} {
		if kind, found := Place(in, districts); kind != PlaceNone {
			t.Errorf("%q: %v %q, want nothing", in, kind, found)
		}
	}
	blocks := []string{"हैदरगढ़", "बंकी", "देवा", "सिद्धौर"}
	for _, c := range []struct {
		in   string
		kind PlaceKind
		want []string
	}{
		{"haidergarh block, barabanki", PlaceNear, []string{"हैदरगढ़"}},
		{"बाराबंकी जिला का हैदरगढ ब्लॉक", PlaceNear, []string{"हैदरगढ़"}},
		{"dewa ya banki", PlaceMany, []string{"देवा", "बंकी"}},
		{"barabanki ke banki", PlaceNear, []string{"बंकी"}}, // not बंकी twice, nor बाराबंकी as बंकी
	} {
		kind, found := Place(c.in, blocks)
		if kind != c.kind || !slices.Equal(found, c.want) {
			t.Errorf("%q: %v %q, want %v %q", c.in, kind, found, c.kind, c.want)
		}
	}
}

// TestPlaceDenied: a place followed by a negation is not the place meant;
// what follows the negation is offered to confirm, never taken; a word of
// a roster's name that is also a spelling of नहीं (नई) is the name's.
func TestPlaceDenied(t *testing.T) {
	names := []string{"लखनऊ", "सीतापुर", "नई बस्ती"}
	for _, c := range []struct {
		in   string
		kind PlaceKind
		want []string
	}{
		{"lucknow nahi, sitapur", PlaceNear, []string{"सीतापुर"}},
		{"सीतापुर नहीं", PlaceNone, nil},
		{"नई बस्ती", PlaceExact, []string{"नई बस्ती"}},
		{"सीतापुर", PlaceExact, []string{"सीतापुर"}},
	} {
		kind, found := Place(c.in, names)
		if kind != c.kind || !slices.Equal(found, c.want) {
			t.Errorf("%q: %v %q, want %v %q", c.in, kind, found, c.kind, c.want)
		}
	}
}
