package match

import "testing"

// TestYesNoRegionalAndHedged: Bundeli हओ, Bhojpuri "आइत बानी", Awadhi
// "आ जैहें", "चिंता मत कीजिए" (don't worry: no negation of the answer), the
// Devanagari नो, and a doubt (मुश्किल) that a negated verb of coming makes a
// plain no, while the doubt alone stays not sure.
func TestYesNoRegionalAndHedged(t *testing.T) {
	for in, want := range map[string]Answer{
		"हओ": Yes, "हओ आ जैहें": Yes, "hau aa jaihen": Yes, "वो अइहें": Yes,
		"हम आइत बानी": Yes, "ham aait bani": Yes,
		"ha ji main aaunga aap chinta mat kijiye": Yes, "आ जाऊंगी, फिकर मत करो": Yes,
		"chinta mat karo nahi aa paunga": Unknown,
		"नो":                             No, "नो सर": No,
		"मुश्किल है नहीं आ पाऊंगा": No, "difficult, cant come": No,
		"मुश्किल है": Maybe, "थोड़ा मुश्किल है": Maybe, "haan par mushkil hai": Maybe,
		"मुश्किल नहीं है": Yes, "शायद मुश्किल है नहीं आ पाऊंगी": Maybe,
	} {
		if got := builtin.YesNo(in); got != want {
			t.Errorf("YesNo(%q) = %v, want %v", in, got, want)
		}
	}
	// The doubt is no reason to keep: the reason is asked for.
	if a, r := builtin.YesNoReason("मुश्किल है नहीं आ पाऊंगा"); a != No || r != "" {
		t.Errorf(`YesNoReason("मुश्किल है नहीं आ पाऊंगा") = %v, %q; want No and no reason`, a, r)
	}
}

// TestYesNoConditionsAndJoinedWords: a verb of condition before तो makes
// not sure; "aarahi" is "aa rahi"; ठिक is ठीक; सोचना पड़ेगा is not sure.
func TestYesNoConditionsAndJoinedWords(t *testing.T) {
	for in, want := range map[string]Answer{
		"घर वाले मानेंगे तो आऊंगी": Maybe, "sasuraal wale bhejenge to aaungi": Maybe,
		"ठीक है तो आऊँगी": Yes, "आपने बुलाया तो आऊंगी ही": Yes,
		"वो आएंगे तो मैं भी आऊंगी": Maybe, "आऊंगी तो जरूर": Yes, "फिर तो आऊंगी": Yes, "हाँ तो आ जाऊंगी": Yes,
		"हाँ आऊँगी ना": Yes,
		"aarahi hu":    Yes, "आरही हूं दीदी": Yes, "ठिक है": Yes,
		"sochna padega": Maybe, "सोच के बताएंगे": Maybe,
		// vowel length typed either way: नइ is नई, not a word unknown
		"नइ आ पाएंगे": No, "नहि आ पाउगी": No, "आउंगी जरुर": Yes,
	} {
		if got := builtin.YesNo(in); got != want {
			t.Errorf("YesNo(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestLexiconMatchFoldsVowelLength: vowel length is typed either way, in
// Latin letters (kataai, katai) and in Devanagari (दुर, दूर), on the
// reply's side and on the list's.
func TestLexiconMatchFoldsVowelLength(t *testing.T) {
	lex := Lexicon{"r": {"work": {"katai", "कटाई"}, "travel": {"दूर", "raasta", "door hai"}, "health": {"बीमार*"}}}
	for in, want := range map[string]string{
		"kataai chal rahi hai": "work", "कटायी": "", "बहुत दुर है": "travel", "rasta band": "travel",
		"बिमारी है": "health", "कटाइ": "work", "bahut duur hai": "travel", "raaasta kharab": "travel",
	} {
		got, ok := lex.Match("r", in)
		if (want == "") == ok || got != want {
			t.Errorf("Match(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
