package match

// The words around numbers. The number words themselves (Hindi 0 to 99,
// English, the scales) and the words that make a number approximate, a
// bound or money are data: locales/words/match/numbers.yaml, read in
// tables.go. The spellings are normalised (no nukta, ँ written as ं), which
// a test checks.

// touchingScales are the short scales written against a number: "3k",
// "2.5l", "1cr".
var touchingScales = map[string]int64{
	"k": 1000, "l": 100000, "lakh": 100000, "lac": 100000, "cr": 10000000,
}

// Fraction words, in thousandths. डेढ़ (1½) and ढाई (2½) are numbers on
// their own; सवा (+¼), साढ़े (+½) and पौने (−¼) change the number after them,
// and before a scale alone mean 1¼, 1½ and ¾ of it ("सवा लाख", "पौने सौ").
var (
	wholeFractions = map[string]int64{
		"डेढ": 1500, "dedh": 1500, "derh": 1500, "ded": 1500, "dedhh": 1500,
		"ढाई": 2500, "अढाई": 2500, "dhai": 2500, "dhaai": 2500, "adhai": 2500, "dhaee": 2500,
		"आधा": 500, "आधे": 500, "aadha": 500, "adha": 500, "aadhe": 500, "adhe": 500, "half": 500,
	}
	fractionModifiers = map[string]struct{ add, alone int64 }{
		"सवा": {250, 1250}, "sava": {250, 1250}, "savaa": {250, 1250}, "sawa": {250, 1250}, "sawaa": {250, 1250},
		"साढे": {500, 1500}, "sadhe": {500, 1500}, "saadhe": {500, 1500}, "saade": {500, 1500}, "sade": {500, 1500}, "sarhe": {500, 1500},
		"पौने": {-250, 750}, "paune": {-250, 750}, "pone": {-250, 750},
	}
)

// The words that join two numbers, and the verbs before दो. The words that
// make a number approximate or a bound, money words and "none" are data,
// beside the number words (tables.go).
var (
	// Two numbers joined by one of these are a range: "30 से 35", "30 to 35".
	rangeJoiners = map[string]bool{
		"से": true, "se": true, "to": true, "या": true, "ya": true, "or": true, "-": true, "–": true, "—": true, "/": true,
	}
	// imperativeBefore are verbs after which दो means "give", not two: "बता दो".
	imperativeBefore = map[string]bool{
		"बता": true, "कर": true, "दे": true, "लिख": true, "डाल": true, "भेज": true, "bata": true, "kar": true, "de": true,
		"likh": true, "dal": true, "daal": true, "bhej": true, "chhod": true, "छोड": true,
	}
)
