package match

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NumberKind says how a reply gave a number.
type NumberKind int

// The kinds of reply ReadNumber tells apart. Only Exact may be stored; for
// the others the caller asks for the exact number, saying why.
const (
	NoNumber NumberKind = iota // no number in it
	Exact                      // one whole number: "57", "सत्तावन", "₹ 7,000.00", "कोई नहीं" (0)
	Approx                     // "लगभग 40", "40 के आसपास", "~40"
	Range                      // "30-35", "30 से 35", "दस बारह"
	MoreThan                   // "30 से ज़्यादा", "30+", "कम से कम 30"
	LessThan                   // "40 से कम", "40 तक"
	NotWhole                   // "2.5", "डेढ़": a fraction where a whole number is needed
	Several                    // two numbers that are not a range: "12 सदस्य, 3 नए"
	Negated                    // a number with a no: "12 नहीं"
	Each                       // an amount of each one, not the total: "हर सदस्य 100 रुपये"
)

// String names the kind in English, for logs and tests.
func (k NumberKind) String() string {
	switch k {
	case Exact:
		return "Exact"
	case Approx:
		return "Approx"
	case Range:
		return "Range"
	case MoreThan:
		return "MoreThan"
	case LessThan:
		return "LessThan"
	case NotWhole:
		return "NotWhole"
	case Several:
		return "Several"
	case Negated:
		return "Negated"
	case Each:
		return "Each"
	}
	return "NoNumber"
}

// Number is a number as a reply gave it. Value is the number (the first
// one of a range; the bound of MoreThan and LessThan); High is the second
// number of a Range.
type Number struct {
	Kind        NumberKind
	Value, High int64
}

// ReadNumber reads the one whole number a reply gives, in digits of either
// script or in words, Hindi (Devanagari or romanised) or English, from 0 to
// crores: "57", "सत्तावन", "दो सौ पचास", "सवा लाख", "teen sau", "2 सौ",
// "साढ़े चार हज़ार", "पंद्रह सौ", "twenty five". Money notations are read
// too: "2.5 लाख", "3k", "₹ 7,000.00", "7000/-", "Rs.500". "कोई नहीं", "none",
// "nil" and "शून्य" are 0 (the caller checks whether 0 is allowed).
//
// Words may stand around the number ("हमारे समूह में 12 सदस्य हैं"); words
// that make it approximate, a bound or a range make it so (see
// NumberKind), and are never read as the number itself. Short romanised
// words that are also everyday words ("do", "ek", "tera", "saath") count
// only in a short reply or before a scale ("do sau").
func (wl *Words) ReadNumber(s string) Number {
	if isDecimalFraction(s) {
		return Number{Kind: NotWhole}
	}
	approx := strings.ContainsAny(s, "~≈")
	toks := wl.joinEnglishTens(numTokens(Normalize(abbreviationZeros(s))))
	toks, zero := wl.cutZeroPhrase(toks)
	r := wl.scanNumbers(toks)
	if r.invalid {
		return Number{}
	}
	if zero {
		// "0 (koi nahi)" says none twice; "5, koi nahi" says two things.
		for _, p := range r.phrases {
			if p.value != 0 {
				return Number{Kind: Several}
			}
		}
		r.phrases = []phrase{{value: 0}}
	}
	if len(r.phrases) == 0 {
		return Number{}
	}
	corrected := false // "12 नहीं 13": the no is about the other number
	if v, ok, c := wl.oneOf(r, toks); ok {
		r.phrases, corrected = []phrase{{value: v}}, c
	}
	first := r.phrases[0].value
	if len(r.phrases) > 1 {
		if len(r.phrases) == 2 && r.joined {
			return Number{Kind: Range, Value: first / milli, High: r.phrases[1].value / milli}
		}
		return Number{Kind: Several, Value: first / milli}
	}
	kind := wl.boundOf(toks, r.plus)
	switch {
	case approx && kind == Exact:
		kind = Approx
	case kind == Exact && !corrected && wl.negated(toks):
		kind = Negated
	case kind == Exact && wl.perEach(toks):
		kind = Each // "हर सदस्य 100 रुपये"
	case kind == Exact && first%milli != 0:
		kind = NotWhole
	}
	return Number{Kind: kind, Value: first / milli}
}

// milli is the unit of the arithmetic: thousandths, so that "2.5 लाख" and
// "सवा" stay whole.
const milli = 1000

// numToken is a token of normalised text: a word, a literal number in
// digits ("7,000.00"), or a symbol ("-", "+", "₹"). touch says no space
// stands between it and the token before.
type numToken struct {
	text  string
	kind  int // runeLetter, runeDigit, runeSymbol
	touch bool
}

// numTokens splits normalised text for reading numbers. Commas and points
// inside digits belong to the number; other punctuation separates tokens,
// except the dashes and slash, which are symbols ("30-35", "4/5").
func numTokens(n string) []numToken {
	var out []numToken
	touch := false
	for i := 0; i < len(n); {
		r, size := utf8.DecodeRuneInString(n[i:])
		k := runeKind(r)
		switch {
		case k == runeDigit && isDigit(n, i): // digits of other scripts (٩) are symbols here
			j := i
			for j < len(n) && (isDigit(n, j) || ((n[j] == ',' || n[j] == '.') && isDigit(n, j+1))) {
				j++
			}
			out = append(out, numToken{n[i:j], runeDigit, touch})
			i, touch = j, true
			continue
		case k == runeLetter:
			j := i + size
			for j < len(n) {
				r2, s2 := utf8.DecodeRuneInString(n[j:])
				if runeKind(r2) != runeLetter {
					break
				}
				j += s2
			}
			out = append(out, numToken{n[i:j], runeLetter, touch})
			i, touch = j, true
			continue
		case strings.ContainsRune("-–—/+₹%", r), k == runeSymbol:
			out = append(out, numToken{string(r), runeSymbol, touch})
			touch = true
		default: // spaces and other punctuation
			touch = false
		}
		i += size
	}
	return out
}

// cutZeroPhrase removes a "none" phrase ("कोई नहीं", "ek bhi nahi", "एक
// भी बैठक नहीं हुई", "koi meeting nahi") and says whether there was one.
func (wl *Words) cutZeroPhrase(toks []numToken) ([]numToken, bool) {
	texts := make([]string, len(toks))
	for i, t := range toks {
		texts[i] = wl.canonWord(t.text)
	}
	for i := range texts {
		if texts[i] == "nahi" { // "नहीं हुई कोई"
			for j := i + 1; j < len(texts) && j <= i+2; j++ {
				if texts[j] == "koi" && j == len(texts)-1 {
					return toks[:i:i], true
				}
			}
		}
		n := 0 // words of "कोई" / "एक भी" / "कुछ भी"
		switch {
		case texts[i] == "koi":
			n = 1
		case i+1 < len(texts) && (texts[i] == "एक" || texts[i] == "ek" || texts[i] == "कुछ" || texts[i] == "kuch") && (texts[i+1] == "भी" || texts[i+1] == "bhi"):
			n = 2
		case i+2 < len(texts) && (texts[i] == "एक" || texts[i] == "ek") && (texts[i+2] == "भी" || texts[i+2] == "bhi") && wl.plainWord(toks[i+1]):
			n = 3 // "एक बार भी नहीं", "ek rupya bhi nahi"
		case i+2 < len(texts) && (texts[i] == "एक" || texts[i] == "ek") && texts[i+2] == "nahi" && wl.plainWord(toks[i+1]) &&
			(wl.moneyWords[toks[i+1].text] || wl.countedWords[toks[i+1].text]):
			n = 2 // "एक रुपया नहीं", "ek baar nahi": one of what is counted, not one
		}
		if n == 0 {
			continue
		}
		for j := i + n; j < len(texts) && j <= i+n+2; j++ {
			if texts[j] == "nahi" {
				return append(toks[:i:i], toks[j+1:]...), true
			}
			if toks[j].kind != runeLetter {
				break
			}
		}
	}
	for _, p := range wl.zeroPhrases { // canonical words, as build keeps them
		if at := indexSeq(texts, p, 0); at >= 0 {
			return append(toks[:at:at], toks[at+len(p):]...), true
		}
	}
	return toks, false
}

// plainWord reports whether t is a word that is no number and no scale:
// "एक बार भी नहीं" is none, "एक सौ भी नहीं" is not.
func (wl *Words) plainWord(t numToken) bool {
	if t.kind != runeLetter || wl.isNumberToken(t) {
		return false
	}
	_, scale := wl.scaleWords[t.text]
	return !scale
}

// abbreviationZeros writes as a point the Devanagari zero that marks an
// abbreviation ("रु०", "डॉ०"): after a letter and before no digit.
func abbreviationZeros(s string) string {
	if !strings.ContainsRune(s, '०') {
		return s
	}
	rs := []rune(s)
	for i, r := range rs {
		if r != '०' || i == 0 || !unicode.Is(unicode.Devanagari, rs[i-1]) || (rs[i-1] >= devaZero && rs[i-1] <= devaNine) {
			continue
		}
		if i+1 < len(rs) && unicode.IsDigit(rs[i+1]) {
			continue
		}
		rs[i] = '.'
	}
	return string(rs)
}

// phrase is one number read from a run of number tokens: its value, its
// tokens as written, and the index of the token after it.
type phrase struct {
	value int64
	text  string
	end   int
}

// scanResult is what scanNumbers found.
type scanResult struct {
	phrases []phrase
	gaps    [][]string // the words between phrase i and i+1
	joined  bool       // the two phrases are joined as a range ("30-35", "दस बारह")
	plus    bool       // a "+" right after the number ("30+")
	invalid bool       // something that looks like a number but is not one ("12a", "12,34")
}

// scanNumbers reads the number phrases of toks.
func (wl *Words) scanNumbers(toks []numToken) scanResult {
	var res scanResult
	var cur *phraseState
	gap := []string(nil) // tokens between the last phrase and now
	start := 0           // the token the phrase being read starts at
	closePhrase := func(end int) {
		if cur == nil {
			return
		}
		v, ok := cur.end()
		if !ok {
			res.invalid = true
		}
		texts := make([]string, 0, end-start)
		for _, t := range toks[start:end] {
			texts = append(texts, t.text)
		}
		res.phrases = append(res.phrases, phrase{value: v, text: strings.Join(texts, " "), end: end})
		cur = nil
		gap = gap[:0]
	}
	short := len(toks) <= 3
	for i, t := range toks {
		isNum, scale, val, english := wl.classify(toks, i, short)
		if wl.unclearAfterNumber[t.text] && i > 0 && wl.isNumberToken(toks[i-1]) {
			res.invalid = true // "तीन सै": 300 or "3 है"
			return res
		}
		if t.kind == runeDigit {
			v, ok := literalValue(t.text)
			if !ok || !wl.allowedBefore(prevWord(toks, i)) || !wl.allowedAfter(nextWord(toks, i)) {
				res.invalid = true
				return res
			}
			isNum, val = true, v
		}
		if !isNum && scale == 0 && !wl.isModifier(t.text) {
			if t.text == "+" && t.touch && cur != nil {
				res.plus = true
			}
			if cur != nil {
				closePhrase(i)
			}
			if len(res.phrases) > 0 {
				gap = append(gap, t.text)
			}
			continue
		}
		if cur == nil {
			if scale != 0 && !wl.mayStandBeforeScale(toks, i) {
				res.invalid = true // "पिचहत्तर हजार": a number word not known, and its scale
				return res
			}
			if len(res.phrases) == 1 {
				res.joined = wl.joinedByRange(gap)
			}
			if len(res.phrases) > 0 {
				res.gaps = append(res.gaps, slices.Clone(gap))
			}
			cur, start = newPhraseState(), i
		}
		var split bool
		switch {
		case scale != 0:
			if !cur.scale(scale) {
				res.invalid = true
				return res
			}
		case wl.isModifier(t.text):
			if !cur.modifier(wl.fractionModifiers[t.text]) {
				split = true
			}
		default:
			split = !cur.number(val, english)
		}
		if split { // "दस बारह": a second number right after the first
			closePhrase(i)
			if len(res.phrases) == 1 {
				res.joined = true
			}
			res.gaps = append(res.gaps, nil)
			cur, start = newPhraseState(), i
			if wl.isModifier(t.text) {
				cur.modifier(wl.fractionModifiers[t.text])
			} else {
				cur.number(val, english)
			}
		}
	}
	closePhrase(len(toks))
	return res
}

// classify says what toks[i] is as a number word: a number (val in
// thousandths), a scale, or neither.
func (wl *Words) classify(toks []numToken, i int, short bool) (isNum bool, scale, val int64, english bool) {
	t := toks[i]
	if t.kind != runeLetter {
		return false, 0, 0, false
	}
	w := t.text
	if m, ok := touchingScales[w]; ok && i > 0 && toks[i-1].kind == runeDigit {
		return false, m, 0, false
	}
	if m, ok := wl.scaleWords[w]; ok {
		return false, m, 0, false
	}
	if m, ok := wl.scalesAfterNumber[w]; ok && i > 0 && wl.isNumberToken(toks[i-1]) {
		return false, m, 0, false // "दो सो"
	}
	if v, ok := wl.wholeFractions[w]; ok {
		return true, 0, v, false
	}
	if v, ok := wl.englishNumbers[w]; ok {
		return true, 0, v * milli, true
	}
	v, ok := wl.hindiNumberValue(w)
	if !ok {
		return false, 0, 0, false
	}
	if i > 0 && (w == "दो" || w == "do") && wl.imperativeBefore[toks[i-1].text] {
		return false, 0, 0, false // "बता दो": give, not two
	}
	if ambiguousNumberWords[w] && !short && !wl.nextIsScale(toks, i) && !wl.prevIsNumber(toks, i) && !wl.nextIsCounted(toks, i) {
		return false, 0, 0, false
	}
	return true, 0, v * milli, false
}

// ambiguousNumberWords are romanised number words that are also everyday
// words: do (give), ek (a), sat, tera (your), saath (with), …
var ambiguousNumberWords = map[string]bool{
	"do": true, "ek": true, "sat": true, "sath": true, "saath": true, "tera": true, "bara": true, "tin": true,
	"bis": true, "che": true, "chha": true, "chah": true, "nao": true, "ath": true, "aat": true, "pach": true,
	"sola": true, "tis": true, "bees": true, "asi": true, "das": true, "char": true, "nau": true, "doo": true,
	"bavan": true, "tiin": true, "cheh": true, "chhe": true,
}

// nextIsCounted reports whether a word for what is counted follows
// toks[i]: "bees log", "do meeting".
func (wl *Words) nextIsCounted(toks []numToken, i int) bool {
	return i+1 < len(toks) && wl.countedWords[toks[i+1].text]
}

// isNumberToken reports whether t is digits or a number word.
func (wl *Words) isNumberToken(t numToken) bool {
	if t.kind == runeDigit {
		return true
	}
	_, english := wl.englishNumbers[t.text]
	_, fraction := wl.wholeFractions[t.text]
	_, hindi := wl.hindiNumberValue(t.text)
	return english || fraction || hindi
}

// mayStandBeforeScale reports whether the token before a scale that no
// number precedes ("हजार रुपये", "सिर्फ हजार", "कई लाख") lets it mean one
// of it: nothing, a sign, or a word about money or amounts. Another word
// may be a number word not known ("पिचहत्तर हजार", "दू सौ"), which would
// be read as one thousand or one hundred.
func (wl *Words) mayStandBeforeScale(toks []numToken, i int) bool {
	if i == 0 || toks[i-1].kind != runeLetter {
		return true
	}
	w := toks[i-1].text
	return wl.moneyWords[w] || currencyWords[w] || wl.approxWords[w] || wl.vagueWords[w] || wl.moreWords[w] || wl.lessWords[w]
}

// oneOf reads number phrases that give one number: the same number said
// twice ("बारह (12)", "15 की 15", "5,000 (पांच हजार)"), or a number
// taken back with a no and another given ("12 नहीं 13", "तेरह, बारह नहीं":
// corrected, the no is about the other). A no in a sentence ("10 आईं, 2
// नहीं आईं") answers a question of its own, which may not be this one
// (how many members in all?): not one, and so is a part of a whole ("12
// में से 10 आईं": 12 in all, 10 came). The same number written alike
// twice in a row is one for each ("100-100 रुपये", "दस दस"), not one.
func (wl *Words) oneOf(r scanResult, toks []numToken) (v int64, ok, corrected bool) {
	if len(r.phrases) < 2 || len(r.gaps) != len(r.phrases)-1 {
		return 0, false, false
	}
	same := true
	for i, p := range r.phrases[1:] {
		same = same && p.value == r.phrases[0].value
		if p.text == r.phrases[i].text && (len(r.gaps[i]) == 0 || (len(r.gaps[i]) == 1 && r.gaps[i][0] == "-")) {
			return 0, false, false // "100-100": each
		}
	}
	if same {
		return r.phrases[0].value, true, false
	}
	if len(r.phrases) != 2 {
		return 0, false, false
	}
	a, b, gap := r.phrases[0], r.phrases[1], r.gaps[0]
	negA := len(gap) == 1 && wl.isNegation(gap[0])                                   // "12 नहीं 13"
	negB := len(gap) == 0 && b.end == len(toks)-1 && wl.isNegation(toks[b.end].text) // "13, 12 नहीं"
	switch n := wl.countNegations(toks); {
	case n == 1 && negA:
		return b.value, true, true
	case n == 1 && negB:
		return a.value, true, true
	}
	return 0, false, false
}

// joinEnglishTens drops the hyphen of "twenty-five".
func (wl *Words) joinEnglishTens(toks []numToken) []numToken {
	out := toks[:0:0]
	for i, t := range toks {
		if t.text == "-" && t.touch && i > 0 && i+1 < len(toks) && toks[i+1].touch {
			tens, okT := wl.englishNumbers[toks[i-1].text]
			unit, okU := wl.englishNumbers[toks[i+1].text]
			if okT && okU && tens >= 20 && tens%10 == 0 && unit >= 1 && unit <= 9 {
				continue
			}
		}
		out = append(out, t)
	}
	return out
}

// perEach reports whether the reply gives an amount of each one ("हर
// सदस्य", "प्रति दीदी", "each member"), not of a month ("हर महीने 500").
func (wl *Words) perEach(toks []numToken) bool {
	for i, t := range toks {
		if wl.perWords[t.text] && i+1 < len(toks) && toks[i+1].kind == runeLetter && !wl.monthWords[toks[i+1].text] {
			return true
		}
	}
	return false
}

// isNegation reports whether w says no: नहीं, not, ना.
func (wl *Words) isNegation(w string) bool {
	c := wl.canonWord(w)
	return c == "nahi" || c == "not" || c == "na" || c == "mat"
}

// countNegations counts the words of toks that say no.
func (wl *Words) countNegations(toks []numToken) int {
	n := 0
	for _, t := range toks {
		if wl.isNegation(t.text) {
			n++
		}
	}
	return n
}

func (wl *Words) nextIsScale(toks []numToken, i int) bool {
	if i+1 >= len(toks) {
		return false
	}
	_, ok := wl.scaleWords[toks[i+1].text]
	return ok
}

func (wl *Words) prevIsNumber(toks []numToken, i int) bool {
	if i == 0 {
		return false
	}
	p := toks[i-1].text
	_, scale := wl.scaleWords[p]
	return scale || toks[i-1].kind == runeDigit
}

func (wl *Words) isModifier(w string) bool {
	_, ok := wl.fractionModifiers[w]
	return ok
}

// allowedBefore reports whether w may be written against the start of a
// number: nothing, or a currency ("rs500").
func (wl *Words) allowedBefore(w string) bool { return w == "" || currencyWords[w] || wl.moneyWords[w] }

// allowedAfter reports whether w may be written against the end of a
// number: nothing, an ordinal ending ("12th"), a scale ("5k") or money.
func (wl *Words) allowedAfter(w string) bool {
	_, scale := wl.scaleWords[w]
	_, short := touchingScales[w]
	return w == "" || numberEndings[w] || scale || short || wl.moneyWords[w]
}

// prevWord is the word touching token i from before, or "".
func prevWord(toks []numToken, i int) string {
	if toks[i].touch && i > 0 && toks[i-1].kind == runeLetter {
		return toks[i-1].text
	}
	return ""
}

// nextWord is the word touching token i from after, or "".
func nextWord(toks []numToken, i int) string {
	if i+1 < len(toks) && toks[i+1].touch && toks[i+1].kind == runeLetter {
		return toks[i+1].text
	}
	return ""
}

// joinedByRange reports whether the tokens between two numbers make them a
// range: "-", "से", "to", "या", alone or with "के" / "ke".
func (wl *Words) joinedByRange(gap []string) bool {
	return len(gap) == 1 && wl.rangeJoiners[gap[0]]
}

// literalValue reads digits with thousands separators and at most three
// decimals, in thousandths: "7,000.00" is 7000000.
func literalValue(lit string) (int64, bool) {
	whole, frac, hasFrac := strings.Cut(lit, ".")
	if hasFrac && (strings.ContainsAny(frac, ".,") || len(frac) > 3) {
		return 0, false
	}
	if !hasFrac && strings.Count(lit, ".") > 0 {
		return 0, false
	}
	v, ok := groupedInt(whole)
	if !ok || v > math.MaxInt64/milli {
		return 0, false
	}
	v *= milli
	if hasFrac {
		f, err := strconv.ParseInt((frac + "000")[:3], 10, 64)
		if err != nil {
			return 0, false
		}
		v += f
	}
	return v, true
}

// phraseState adds up one number written in words and digits, in
// thousandths: total holds the finished हज़ार/लाख/करोड़ groups, group the
// hundreds of the group being read, cur the number just read.
type phraseState struct {
	total, group, cur int64
	hasCur, hundreds  bool
	tens              bool // cur is an English tens word ("twenty")
	mod               *struct{ add, alone int64 }
	lastScale         int64
}

func newPhraseState() *phraseState { return &phraseState{lastScale: math.MaxInt64} }

// number reads a number; false means one was read just before, with no
// scale between ("दस बारह"), so this is a second number.
func (p *phraseState) number(v int64, english bool) bool {
	if p.hasCur {
		if p.tens && english && v < 10*milli {
			p.cur += v
			p.tens = false
			return true
		}
		return false
	}
	if p.mod != nil {
		v += p.mod.add
		p.mod = nil
	}
	p.cur, p.hasCur, p.tens = v, true, english && v%(10*milli) == 0 && v >= 20*milli
	return true
}

// modifier reads सवा, साढ़े or पौने; false if a number stands just before.
func (p *phraseState) modifier(m struct{ add, alone int64 }) bool {
	if p.hasCur || p.mod != nil {
		return false
	}
	p.mod = &m
	return true
}

// scale applies सौ, हज़ार, लाख or करोड़ to what was read before it.
func (p *phraseState) scale(m int64) bool {
	var c int64
	switch {
	case p.mod != nil:
		c, p.mod = p.mod.alone, nil
	case p.hasCur:
		c = p.cur
	}
	p.hasCur, p.tens = false, false
	if m == 100 {
		if p.hundreds {
			return false
		}
		if c == 0 {
			c = milli
		}
		p.group += c * 100
		p.hundreds = true
		return true
	}
	if m >= p.lastScale {
		return false
	}
	c += p.group
	if c == 0 {
		c = milli
	}
	if c > math.MaxInt64/m || p.total > math.MaxInt64-c*m {
		return false
	}
	p.total += c * m
	p.group, p.hundreds, p.lastScale = 0, false, m
	return true
}

// end gives the phrase's value; false if it is not a number ("साढ़े"
// alone).
func (p *phraseState) end() (int64, bool) {
	if p.mod != nil {
		return 0, false
	}
	v := p.total + p.group
	if p.hasCur {
		v += p.cur
	}
	return v, v >= 0
}

// negated reports whether a no stands in the reply: "12 नहीं".
func (wl *Words) negated(toks []numToken) bool { return wl.countNegations(toks) > 0 }

// boundOf is the kind the words around a single number give it.
func (wl *Words) boundOf(toks []numToken, plus bool) NumberKind {
	texts := make([]string, 0, len(toks))
	for _, t := range toks {
		if t.kind == runeLetter {
			texts = append(texts, t.text)
		}
	}
	for _, p := range [][]string{{"कम", "से", "कम"}, {"kam", "se", "kam"}, {"at", "least"}} {
		if indexSeq(texts, p, 0) >= 0 {
			return MoreThan
		}
	}
	for _, p := range [][]string{{"ज्यादा", "से", "ज्यादा"}, {"zyada", "se", "zyada"}, {"jyada", "se", "jyada"}, {"at", "most"}} {
		if indexSeq(texts, p, 0) >= 0 {
			return LessThan
		}
	}
	for _, p := range [][]string{{"आस", "पास"}, {"aas", "paas"}, {"as", "pas"}, {"aas", "pass"}} {
		if indexSeq(texts, p, 0) >= 0 {
			return Approx // "40 के आस पास"
		}
	}
	kind := Exact
	for _, w := range texts {
		switch {
		case wl.approxWords[w], wl.vagueWords[w]:
			return Approx
		case wl.moreWords[w]:
			kind = MoreThan
		case wl.lessWords[w] && kind == Exact:
			kind = LessThan
		}
	}
	if kind == Exact && plus {
		kind = MoreThan
	}
	return kind
}

// hindiNumberValue is the value of a Hindi number word, also when it is
// typed with a short vowel for a long one or without its ं ("पच्चिस",
// "पैतीस", "chalis"), for words of four letters or more (so that "नो",
// English no, is not नौ).
func (wl *Words) hindiNumberValue(w string) (int64, bool) {
	if v, ok := wl.hindiNumbers[w]; ok {
		return v, true
	}
	if stem, all := strings.CutSuffix(w, "ों"); all && stem != "" {
		if v, ok := wl.hindiNumbers[stem]; ok {
			return v, true // "बीसों", "दसों": all twenty, all ten
		}
	}
	if utf8.RuneCountInString(w) < 4 {
		return 0, false
	}
	v, ok := wl.foldedNumbers[foldNumberWord(w)]
	return v, ok
}

// foldNumberWord writes long vowels as short ones, and drops ं and doubled
// Latin letters: पच्चीस and पच्चिस, "pachchees" and "pachis" fold alike.
func foldNumberWord(w string) string {
	w = strings.NewReplacer("ee", "i", "oo", "u", "w", "v").Replace(w)
	var b strings.Builder
	var last rune
	for _, r := range w {
		switch r {
		case 'ी':
			r = 'ि'
		case 'ू':
			r = 'ु'
		case 'ै':
			r = 'े'
		case 'ौ':
			r = 'ो'
		case 'ं':
			continue
		}
		if r < utf8.RuneSelf && r == last {
			continue
		}
		last = r
		b.WriteRune(r)
	}
	return b.String()
}
