package match

import "strings"

// Rating reads a rating from 1 (worst) to 5 (best): a number ("4", "४",
// "चार", "4 star", "4/5", "5 में से 4", "4 out of 5"), stars ("⭐⭐⭐⭐",
// also among other emoji: "⭐⭐⭐⭐👍🙏"), or words ("बहुत बढ़िया" 5, "अच्छा
// लगा" 4, "ठीक-ठाक" 3, "अच्छा नहीं" 2, "बिल्कुल अच्छा नहीं" and "बेकार" 1).
// A number outside 1–5, two ratings that disagree, or a range ("3-4") is
// not ok.
func (wl *Words) Rating(s string) (int, bool) {
	stars := countStars(s)
	n := Normalize(s)
	num, hasNum, ok := wl.ratingNumber(n)
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
	return wl.ratingWords(n)
}

func inScale(v int) (int, bool) {
	if v < 1 || v > 5 {
		return 0, false
	}
	return v, true
}

// countStars counts the filled stars in s.
func countStars(s string) int {
	if t := strings.TrimSpace(s); t != "" && strings.Trim(t, "* ") == "" {
		return strings.Count(t, "*") // "****": stars typed as asterisks, and nothing else
	}
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
func (wl *Words) ratingNumber(n string) (v int, has, ok bool) {
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
		case wl.isModifier(t.text):
			return 0, true, false // "साढ़े चार": not a whole rating
		case t.kind == runeLetter:
			if _, half := wl.wholeFractions[t.text]; half {
				return 0, true, false // "ढाई"
			}
			if x, isNum := wl.hindiNumbers[t.text]; isNum && x <= 10 && !wl.imperativeAt(toks, i) {
				nums = append(nums, num{i, int(x)})
			} else if x, isNum := wl.englishNumbers[t.text]; isNum && x <= 10 {
				nums = append(nums, num{i, int(x)})
			}
		}
	}
	same := len(nums) > 0
	for _, x := range nums {
		same = same && x.v == nums[0].v
	}
	switch {
	case len(nums) == 0:
		return 0, false, true
	case same: // "4", "चार (4)"
		return nums[0].v, true, true
	case len(nums) == 2:
		a, b := nums[0], nums[1]
		between := make([]string, 0, 3)
		for _, t := range toks[a.at+1 : b.at] {
			between = append(between, t.text)
		}
		gap := strings.Join(between, " ")
		switch {
		case b.v == 5 && (gap == "/" || gap == "out of" || gap == "में से" || gap == "of"):
			return a.v, true, true
		case a.v == 5 && wl.outOf(between):
			return b.v, true, true // "5 में से 4", "५ में ४"
		}
	}
	return 0, true, false
}

// outOf reports whether the words between two numbers say "out of" the
// first: "में से", "me se", "में".
func (wl *Words) outOf(between []string) bool {
	switch len(between) {
	case 1:
		return wl.outOfWords[between[0]]
	case 2:
		return wl.outOfWords[between[0]] && (between[1] == "से" || between[1] == "se")
	}
	return false
}

func (wl *Words) imperativeAt(toks []numToken, i int) bool {
	return i > 0 && (toks[i].text == "दो" || toks[i].text == "do") && wl.imperativeBefore[toks[i-1].text]
}

// ratingWords reads a rating said in words: a word of how it was, made
// stronger by "बहुत" / "very" and turned by "नहीं" / "not".
func (wl *Words) ratingWords(n string) (int, bool) {
	toks := words(n, false)
	for _, p := range wl.neitherNor {
		if indexSeq(toks, p, 0) >= 0 {
			return 3, true // "ना अच्छा ना बुरा"
		}
	}
	for _, p := range wl.fullMarks {
		if indexSeq(toks, p, 0) >= 0 {
			for _, w := range toks {
				if c := wl.canonWord(w); c == "nahi" || c == "not" || c == "na" {
					return 0, false // "full marks नहीं": asked again
				}
			}
			return 5, true // "full marks", "पूरे नंबर"
		}
	}
	value, intense, neg, absolute := 0, false, false, false
	for i, w := range toks {
		if v, ok := wl.ratingPhrases[w]; ok {
			if value != 0 && value != v {
				return 0, false // two different ratings
			}
			value = v
			continue
		}
		switch c := wl.canonWord(w); {
		case wl.ratingIntensifiers[w]:
			intense = true
			absolute = absolute || wl.ratingAbsolutes[w]
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
