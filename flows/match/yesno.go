package match

import "strings"

// Answer is how a reply to a yes/no question was understood.
type Answer int

// The answers YesNo tells apart.
const (
	Unknown Answer = iota // not understood: ask again
	Yes
	No
	Maybe // "not sure" — NEVER read "पता नहीं" as No
)

// String names the answer in English, for logs and tests.
func (a Answer) String() string {
	switch a {
	case Yes:
		return "Yes"
	case No:
		return "No"
	case Maybe:
		return "Maybe"
	}
	return "Unknown"
}

// YesNo classifies a reply to a yes/no(/maybe) question. It does not look at option numbers (the caller does that).
//
// A "not sure" phrase anywhere in the reply makes it Maybe ("अभी पता नहीं",
// "mujhe nahi pata"); otherwise the reply's first words decide ("हाँ, आऊँगा"
// is Yes, "नहीं, बीमार हूँ" is No, "जी नहीं" and "बिल्कुल नहीं" are No).
// Emoji that mean neither (🙏) are skipped at the start. Anything else,
// including a bare number or an option number ("no. 2"), is Unknown.
func YesNo(s string) Answer {
	toks := words(Normalize(s), true)
	for i, t := range toks {
		toks[i] = canonWord(t)
	}
	if containsPhrase(toks, maybePhrases) {
		return Maybe
	}
	for len(toks) > 0 && isSymbol(toks[0]) && yesNoPhrases[toks[0]] == Unknown {
		toks = toks[1:]
	}
	for n := min(len(toks), maxYesNoPhrase); n > 0; n-- {
		a := yesNoPhrases[strings.Join(toks[:n], " ")]
		if a == No && toks[0] == "no" && n < len(toks) && isNumber(toks[n]) {
			return Unknown // "no. 2" is option number 2
		}
		if a != Unknown {
			return a
		}
	}
	return Unknown
}

// canonWord maps the many spellings of a word ("nahin", "nhi", "नही",
// "nahiii") to one ("nahi"); words it does not know are returned as they are.
func canonWord(w string) string {
	if c, ok := wordSpellings[w]; ok {
		return c
	}
	for limit := 2; limit > 0; limit-- { // "haaaan", "nooo", "okkk"
		if c, ok := wordSpellings[squeeze(w, limit)]; ok {
			return c
		}
	}
	return w
}

func isNumber(tok string) bool {
	return strings.Trim(tok, "0123456789") == ""
}

func isSymbol(tok string) bool {
	for _, r := range tok {
		return runeKind(r) == runeSymbol
	}
	return false
}

// containsPhrase reports whether one of phrases occurs in toks as a run of
// whole words.
func containsPhrase(toks []string, phrases [][]string) bool {
	for _, p := range phrases {
		if indexSeq(toks, p, 0) >= 0 {
			return true
		}
	}
	return false
}

// wordSpellings maps each known spelling (normalised) to its canonical word.
// Canonical words are Latin and are listed as spellings of themselves.
var wordSpellings = map[string]string{
	// हाँ
	"हां": "haan", "हा": "haan", "haan": "haan", "haa": "haan", "han": "haan", "ha": "haan", "hn": "haan",
	"हांजी": "haanji", "haanji": "haanji", "hanji": "haanji", "hnji": "haanji", "haji": "haanji",
	"जी": "ji", "ji": "ji", "jee": "ji",
	"yes": "yes", "y": "yes", "yeah": "yes", "yep": "yes", "yup": "yes", "yea": "yes",
	"ok": "ok", "okay": "ok", "ओके": "ok", "k": "ok", "okey": "ok", "oky": "ok", "okie": "ok",
	"ठीक": "theek", "theek": "theek", "thik": "theek", "thek": "theek", "tik": "theek", "theak": "theek",
	"है": "hai", "हैं": "hai", "hai": "hai", "hain": "hai", "he": "hai", "h": "hai",
	"सही": "sahi", "sahi": "sahi", "sahee": "sahi",
	"बिल्कुल": "bilkul", "बिलकुल": "bilkul", "bilkul": "bilkul", "bilkool": "bilkul",
	"जरूर": "zaroor", "zaroor": "zaroor", "jaroor": "zaroor", "zarur": "zaroor", "jarur": "zaroor",
	"अवश्य": "zaroor", "avashya": "zaroor",
	"sure": "sure", "shure": "sure",
	"problem": "problem", "prob": "problem", "prblm": "problem", "issue": "problem", "dikkat": "problem", "दिक्कत": "problem",
	// नहीं
	"नहीं": "nahi", "नही": "nahi", "नहि": "nahi", "नहिं": "nahi", "nahi": "nahi", "nahin": "nahi",
	"nahiin": "nahi", "nhi": "nahi", "nai": "nahi", "nahee": "nahi", "nhin": "nahi", "nahii": "nahi",
	"ना": "na", "न": "na", "na": "na",
	"no": "no", "n": "no", "nope": "no", "nah": "no",
	"अभी": "abhi", "abhi": "abhi", "abi": "abhi",
	// पता नहीं
	"पता": "pata", "pata": "pata", "pta": "pata",
	"मालूम": "malum", "मालुम": "malum", "malum": "malum", "maloom": "malum", "maalum": "malum",
	"पक्का": "pakka", "pakka": "pakka", "pkka": "pakka",
	"शायद": "shayad", "shayad": "shayad", "sayad": "shayad", "shaayad": "shayad",
	"maybe": "maybe", "mayb": "maybe",
	"देखेंगे": "dekhenge", "dekhenge": "dekhenge", "dekhege": "dekhenge", "dekhange": "dekhenge",
	"देखते": "dekhte", "dekhte": "dekhte",
	"सोचेंगे": "sochenge", "sochenge": "sochenge", "sochege": "sochenge",
	"हो": "ho", "ho": "ho",
	"सकता": "sakta", "सकती": "sakta", "sakta": "sakta", "skta": "sakta", "sakti": "sakta",
	"कह": "keh", "keh": "keh", "kah": "keh", "kehna": "keh", "कहना": "keh",
	"निश्चित": "pakka", "confirm": "pakka",
}

// maxYesNoPhrase is the most words a key of yesNoPhrases has.
const maxYesNoPhrase = 2

// yesNoPhrases are what a yes or no (or a hedged) reply starts with, in
// canonical words. The longest one that matches wins, so "ji nahi" is No
// though "ji" is Yes.
var yesNoPhrases = map[string]Answer{
	"haan": Yes, "haanji": Yes, "ji": Yes, "yes": Yes, "ok": Yes, "theek": Yes, "sahi": Yes,
	"bilkul": Yes, "zaroor": Yes, "sure": Yes, "pakka": Yes, "no problem": Yes,

	"nahi": No, "na": No, "no": No,
	"ji nahi": No, "bilkul nahi": No, "theek nahi": No, "sahi nahi": No, "zaroor nahi": No,
	"ok nahi": No, "abhi nahi": No,

	"👍": Yes, "✅": Yes, "✔": Yes, "☑": Yes, "✓": Yes, "👌": Yes, "🆗": Yes,
	"👎": No, "❌": No, "✖": No, "✗": No, "✘": No, "❎": No, "🙅": No, "🚫": No,

	// Only at the start: "हो सकता है" is Maybe, "नहीं हो सकता" is No.
	"ho sakta": Maybe,
}

// maybePhrases mean "not sure" wherever they are in the reply. YesNo looks
// for them before anything else, because most of them contain नहीं.
var maybePhrases = [][]string{
	{"pata", "nahi"}, {"nahi", "pata"}, {"malum", "nahi"}, {"nahi", "malum"},
	{"pakka", "nahi"}, {"sure", "nahi"}, {"not", "sure"}, {"no", "idea"},
	{"shayad"}, {"maybe"}, {"may", "be"}, {"dekhenge"}, {"dekhte", "hai"}, {"sochenge"},
	{"keh", "nahi"}, {"🤔"}, {"🤷"},
}
