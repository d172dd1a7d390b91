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

// The fraction words (डेढ़, सवा, …), the words that join two numbers into a
// range, the verbs before दो and the words for what is counted are data:
// locales/words/match/counting.yaml (tables.go).
