package match

import "testing"

// TestCodeInASentenceHasFourDigits: a reply of the code's words alone
// gives its number as a code, perhaps a wrong one (a try); a reply that
// says more gives a code only with the code's four digits, so a time, a
// room or a mobile number is asked again without using up a try. Dots and
// commas join the digits of a reply that is only the code ("4.8.2.1").
func TestCodeInASentenceHasFourDigits(t *testing.T) {
	for in, want := range map[string]struct {
		code string
		kind CodeKind
	}{
		"कोड 482 है":                 {"482", CodeGiven},
		"12":                         {"12", CodeGiven},
		"4,821":                      {"4821", CodeGiven},
		"4.8.2.1":                    {"4821", CodeGiven},
		"4821 daal diya":             {"4821", CodeGiven},
		"4 8 2 1 daal diya":          {"4821", CodeGiven},
		"Code 4821 hai, naam Sunita": {"4821", CodeGiven},
		"2 min ruko":                 {"", CodeUnclear},
		"कमरा नंबर 12 में हूँ":         {"", CodeUnclear},
		"हम 10 बजे पहुँचे":             {"", CodeUnclear},
		"हम 10.30 बजे पहुँचे":          {"", CodeUnclear},
		"मेरा फ़ोन नंबर 9876543210 है": {"", CodeUnclear},
		"9455012345 mera number":       {"", CodeUnclear},
		"9455012345":                   {"", CodeUnclear},
		"code 12345":                   {"12345", CodeGiven},
	} {
		if code, kind := CheckinCode(in); code != want.code || kind != want.kind {
			t.Errorf("CheckinCode(%q) = %q, %v; want %q, %v", in, code, kind, want.code, want.kind)
		}
	}
}

// TestCheckinWordInTwo: "check in" and "चेक इन" are the one word; "check"
// or "चेक" (a cheque) alone is not.
func TestCheckinWordInTwo(t *testing.T) {
	for in, want := range map[string]bool{
		"check in": true, "चेक इन": true, "check in sir": true, "checkin": true,
		"check": false, "चेक": false, "चेक मिला": false, "in check": false,
		"Hazri lagwani hai": true, "present ma'am": true, "उपस्तिथि": true,
		"कोड 4821": true, "code no. 4821 hai": true, "कोड": false, "कोड 12": false, "no 4821": false, "नंबर 4821": false, "otp 4821": false,
		"हाज़िरी कैसे लगेगी": true, "hajiri lagana h": true, "उपस्थित थी": false,
	} {
		if got := IsCheckin(in); got != want {
			t.Errorf("IsCheckin(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestNotFollowing: "I don't follow" is a help, "I don't know this
// language" asks for the other one, each as the whole reply; a "not" with
// a help word, a sentence around it or a language alone is neither.
func TestNotFollowing(t *testing.T) {
	for in, want := range map[string]string{
		"समझ नहीं आया":                  CmdHelp,
		"समझ नहीं आया?":                 CmdHelp,
		"kuch samajh nahi aa raha":      CmdHelp,
		"समझ में नहीं आया जी":           CmdHelp,
		"नहीं समझा":                     CmdHelp,
		"समझ नहीं आया, मदद करो":         CmdHelp,
		"मुझे अंग्रेजी नहीं आती":        CmdHindi,
		"english nahi aati":             CmdHindi,
		"english samajh nahi aata":      CmdHindi,
		"हिंदी नहीं आती":                CmdEnglish,
		"मदद नहीं चाहिए":                "",
		"english nahi":                  "",
		"english nahi hindi":            "",
		"ट्रेनिंग में कुछ समझ नहीं आया": "",
		"समझ गया":                       "",
		"नहीं आया":                      "",
	} {
		got, ok := Command(in)
		if ok != (want != "") || got != want {
			t.Errorf("Command(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// TestLanguageAnswerWithFillers: at the language question "हिंदी ही ठीक
// है" and "english wala" name a language; the fillers name none alone.
func TestLanguageAnswerWithFillers(t *testing.T) {
	for in, want := range map[string]string{
		"हिंदी ही ठीक है": "hi", "english wala": "en", "हिंदी वाला": "hi", "hindee": "hi",
		"Reply in English": "en", "मुझे अंग्रेजी नहीं आती": "hi", "hi": "hi", "Hi ji": "hi",
		"hindi hi theek hai": "hi", "english hi": "en",
		"ठीक है": "", "वाला": "", "हिंदी और अंग्रेजी": "",
	} {
		got, ok := Language(in)
		if ok != (want != "") || got != want {
			t.Errorf("Language(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// TestNotInsideTheReason: "बस" (a bus, not "enough") and the "not" of
// "बस नहीं मिली" are the reason's own: with no verb of coming, the whole
// sentence is the reason kept with the no.
func TestNotInsideTheReason(t *testing.T) {
	for in, want := range map[string]string{
		"बस नहीं मिली":                   "बस नहीं मिली",
		"छुट्टी नहीं मिली":               "छुट्टी नहीं मिली",
		"नहीं, बस नहीं मिली":             "बस नहीं मिली",
		"नहीं आ पाऊँगा, बस नहीं मिली":    "बस नहीं मिली",
		"नहीं आ पाऊँगी, बेटी की शादी है": "बेटी की शादी है",
	} {
		if a, got := YesNoReason(in); a != No || got != want {
			t.Errorf("YesNoReason(%q) = %v, %q; want No, %q", in, a, got, want)
		}
	}
}
