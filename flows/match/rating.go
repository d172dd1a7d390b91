package match

import "strings"

// Rating reads a rating from 1 (worst) to 5 (best): a number ("4", "४",
// "चार", "4 star", "4/5", "5 में से 4", "4 out of 5"), stars ("⭐⭐⭐⭐",
// also among other emoji: "⭐⭐⭐⭐👍🙏"), or words ("बहुत बढ़िया" 5, "अच्छा
// लगा" 4, "ठीक-ठाक" 3, "अच्छा नहीं" 2, "बिल्कुल अच्छा नहीं" and "बेकार" 1).
// A number outside 1–5, two ratings that disagree, or a range ("3-4") is
// not ok.
func Rating(s string) (int, bool) {
	stars := countStars(s)
	n := Normalize(s)
	num, hasNum, ok := ratingNumber(n)
	if !ok {
		return 0, false
	}
	switch {
	case hasNum && stars > 1 && stars != num:
		return 0, false
	case hasNum:
		return inScale(num)
	case stars > 0:
		return inScale(stars)
	}
	return ratingWords(n)
}

func inScale(v int) (int, bool) {
	if v < 1 || v > 5 {
		return 0, false
	}
	return v, true
}

// countStars counts the filled stars in s.
func countStars(s string) int {
	c := 0
	for _, r := range s {
		switch r {
		case '⭐', '🌟', '★', '✭', '✮', '✯', '✩':
			c++
		}
	}
	return c
}

// ratingNumber finds the rating given as a number: one number, or "x/5",
// "x out of 5", "5 में से x". ok is false when numbers are there but do not
// make one rating.
func ratingNumber(n string) (v int, has, ok bool) {
	toks := numTokens(n)
	type num struct{ at, v int }
	var nums []num
	for i, t := range toks {
		switch {
		case t.kind == runeDigit:
			x, valid := literalValue(t.text)
			if !valid || x%milli != 0 || x > 100*milli {
				return 0, true, false
			}
			nums = append(nums, num{i, int(x / milli)})
		case t.kind == runeLetter:
			if x, isNum := hindiNumbers[t.text]; isNum && x <= 10 && !imperativeAt(toks, i) {
				nums = append(nums, num{i, int(x)})
			} else if x, isNum := englishNumbers[t.text]; isNum && x <= 10 {
				nums = append(nums, num{i, int(x)})
			}
		}
	}
	switch len(nums) {
	case 0:
		return 0, false, true
	case 1:
		return nums[0].v, true, true
	case 2:
		a, b := nums[0], nums[1]
		between := make([]string, 0, 3)
		for _, t := range toks[a.at+1 : b.at] {
			between = append(between, t.text)
		}
		gap := strings.Join(between, " ")
		switch {
		case b.v == 5 && (gap == "/" || gap == "out of" || gap == "में से" || gap == "of"):
			return a.v, true, true
		case a.v == 5 && (gap == "में से" || gap == "me se" || gap == "mein se" || gap == "mai se" || gap == "मे से"):
			return b.v, true, true
		}
	}
	return 0, true, false
}

func imperativeAt(toks []numToken, i int) bool {
	return i > 0 && (toks[i].text == "दो" || toks[i].text == "do") && imperativeBefore[toks[i-1].text]
}

// ratingWords reads a rating said in words: a word of how it was, made
// stronger by "बहुत" / "very" and turned by "नहीं" / "not".
func ratingWords(n string) (int, bool) {
	toks := words(n, false)
	for _, p := range neitherNor {
		if indexSeq(toks, p, 0) >= 0 {
			return 3, true // "ना अच्छा ना बुरा"
		}
	}
	value, intense, neg, absolute := 0, false, false, false
	for i, w := range toks {
		if v, ok := ratingPhrases[w]; ok {
			if value != 0 && value != v {
				return 0, false // two different ratings
			}
			value = v
			continue
		}
		switch c := canonWord(w); {
		case ratingIntensifiers[w]:
			intense = true
			if w == "बिल्कुल" || w == "बिलकुल" || w == "bilkul" || w == "ekdam" || w == "एकदम" {
				absolute = true
			}
		case c == "nahi" || c == "not" || (c == "na" && i > 0):
			neg = true
		}
	}
	switch {
	case value == 0:
		return 0, false
	case neg && value >= 4 && absolute:
		return 1, true // "बिल्कुल अच्छा नहीं"
	case neg && value >= 3:
		return 2, true // "अच्छा नहीं", "ठीक नहीं", "कुछ खास नहीं"
	case neg:
		return 3, true // "बुरा नहीं", "not bad"
	case intense && value == 4:
		return 5, true // "बहुत अच्छा"
	case intense && value == 2:
		return 1, true // "बहुत खराब"
	}
	return value, true
}

// neitherNor say "neither good nor bad".
var neitherNor = [][]string{
	{"ना", "अच्छा", "ना", "बुरा"}, {"न", "अच्छा", "न", "बुरा"}, {"na", "accha", "na", "bura"}, {"na", "acha", "na", "bura"},
	{"na", "achha", "na", "bura"}, {"neither", "good", "nor", "bad"},
}

// ratingPhrases are the words that say how it was, with their rating.
var ratingPhrases = map[string]int{
	"शानदार": 5, "बेहतरीन": 5, "उत्तम": 5, "जबरदस्त": 5, "कमाल": 5, "लाजवाब": 5,
	"shandar": 5, "shaandaar": 5, "shandaar": 5, "behtareen": 5, "behtarin": 5, "behtreen": 5, "behtrin": 5, "uttam": 5, "zabardast": 5, "jabardast": 5,
	"kamaal": 5, "kamal": 5, "lajawab": 5, "excellent": 5, "awesome": 5, "superb": 5, "best": 5, "great": 5,
	"outstanding": 5, "fantastic": 5, "amazing": 5, "wonderful": 5, "perfect": 5,

	"अच्छा": 4, "अच्छी": 4, "अच्छे": 4, "बढिया": 4, "खास": 4, "मजा": 4, "मजेदार": 4, "उपयोगी": 4, "फायदेमंद": 4,
	"accha": 4, "acha": 4, "achha": 4, "achchha": 4, "achcha": 4, "achhi": 4, "acchi": 4, "achi": 4, "badhiya": 4,
	"badiya": 4, "badhia": 4, "badia": 4, "good": 4, "nice": 4, "khas": 4, "khaas": 4, "maza": 4, "mazaa": 4,
	"useful": 4, "helpful": 4, "upyogi": 4,

	"ठीक": 3, "ठीकठाक": 3, "सामान्य": 3, "औसत": 3, "चलेगा": 3, "theek": 3, "thik": 3, "thek": 3, "theekthaak": 3,
	"thikthak": 3, "average": 3, "avg": 3, "okay": 3, "ok": 3, "samanya": 3, "ausat": 3, "chalega": 3, "fine": 3,

	"खराब": 2, "बुरा": 2, "बुरी": 2, "kharab": 2, "kharaab": 2, "bura": 2, "buri": 2, "bad": 2, "poor": 2,

	"बेकार": 1, "बकवास": 1, "फालतू": 1, "घटिया": 1, "bekar": 1, "bekaar": 1, "bakwas": 1, "bakwaas": 1, "faltu": 1,
	"ghatiya": 1, "worst": 1, "useless": 1, "waste": 1, "terrible": 1, "pathetic": 1,
}

// ratingIntensifiers make a rating word stronger: "बहुत अच्छा" is 5.
var ratingIntensifiers = map[string]bool{
	"बहुत": true, "बहोत": true, "एकदम": true, "बिल्कुल": true, "बिलकुल": true, "अति": true, "बेहद": true,
	"bahut": true, "bahot": true, "bohot": true, "bht": true, "bhut": true, "ekdam": true, "bilkul": true,
	"very": true, "really": true, "too": true, "so": true, "extremely": true,
}
