package match

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Answer is how a reply to a yes/no question was understood.
type Answer int

// The answers YesNo tells apart.
const (
	Unknown Answer = iota // not understood, or contradictory ("हाँ नहीं"): ask again
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

// YesNo classifies a reply to a yes/no(/maybe) question. It does not look at
// option numbers (the caller does that). See YesNoReason.
func (wl *Words) YesNo(s string) Answer {
	a, _ := wl.YesNoReason(s)
	return a
}

// YesNoReason classifies a reply to a yes/no(/maybe) question, such as an
// invitation, and with a No gives the reason typed with it: "नहीं आ
// पाऊँगा, उस दिन बोर्ड बैठक है" is No with "उस दिन बोर्ड बैठक है".
//
// The whole reply is read, in Devanagari or romanised, in any person and
// gender ("आ रही हूँ", "आऊँगी", "हम सब आएँगे", "zaroor aaunga", "nai aa
// sakunga", "नहीं आ पाऊँगी"):
//   - "not sure" wins: "पता नहीं", "शायद", "बाद में बताऊँगा", "देखती हूँ",
//     "कोशिश करूँगा", and conditions ("अगर छुट्टी मिली तो आऊँगा") are Maybe;
//   - a negation makes it No ("नहीं", "मैं नहीं आऊँगी", "ok nahi aa paunga",
//     👎), except that a plain yes with it ("हाँ नहीं", "yes no") is a
//     contradiction, Unknown;
//   - a yes word or a verb of coming ("हाँ", "ज़रूर", "आ जाएँगे", 👍) is Yes;
//   - someone else coming ("मेरी जगह पति आएँगे", "कोई और आएगा", "बेटा
//     आएगा") is Unknown: ask again.
//
// "कोई दिक्कत नहीं", "no problem" and "क्यों नहीं" say yes. 🙏 alone, a bare
// number or an option number ("no. 2") is Unknown.
func (wl *Words) YesNoReason(s string) (Answer, string) {
	clean, toks := wl.intentTokens(s)
	sig := wl.readSignals(toks)
	switch {
	case sig.maybe:
		return Maybe, ""
	case sig.optionNumber, sig.contradiction:
		return Unknown, ""
	case sig.neg && sig.yes:
		return Unknown, ""
	case sig.neg: // "नहीं, मेरी जगह पति आएँगे" is still her no
		return No, wl.reasonText(clean, toks, sig)
	case sig.hedge:
		return Maybe, ""
	case sig.unclear:
		return Unknown, ""
	case sig.yes || sig.weakYes:
		return Yes, ""
	}
	return Unknown, ""
}

// intentToken is a word or symbol of the reply, with where it stands in
// clean and its canonical spelling.
type intentToken struct {
	start, end int
	canon      string
	signal     signal
}

// intentTokens cleans s (NFC, invisible characters removed, nukta kept for
// the reason text) and splits it into canonical tokens.
func (wl *Words) intentTokens(s string) (string, []intentToken) {
	clean := norm.NFC.String(strings.Map(func(r rune) rune {
		if r != nukta && dropped(r) {
			return -1
		}
		return r
	}, s))
	var toks []intentToken
	start, kind := -1, runeGap
	flush := func(end int) {
		if start >= 0 {
			toks = append(toks, intentToken{start: start, end: end, canon: wl.canonWord(Normalize(clean[start:end]))})
		}
		start, kind = -1, runeGap
	}
	for i, r := range clean {
		k := runeKind(r)
		if start >= 0 && (k == kind || unicode.IsMark(r)) {
			continue
		}
		flush(i)
		switch k {
		case runeGap:
		case runeSymbol:
			toks = append(toks, intentToken{start: i, end: i + len(string(r)), canon: wl.canonWord(string(foldRune(r)))})
		default:
			start, kind = i, k
		}
	}
	flush(len(clean))
	return clean, toks
}

// signal is what a word or phrase says about the answer.
type signal int

const (
	sigNone    signal = iota
	sigYes            // haan, zaroor, 👍, "koi dikkat nahi"
	sigWeakYes        // ok, theek, ji: yes, unless a negation says otherwise
	sigCome           // a verb of coming: aaunga, aa jayenge, aa rahi
	sigNeg            // nahi, no, 👎
	sigMaybe          // pata nahi, shayad, agar
	sigFiller         // consumed, says nothing
	sigUnclear        // someone else in the person's place: "मेरी जगह पति आएँगे", "कोई और आएगा"
	sigGo             // going somewhere: "जा रही हूँ", "जाना है"
	sigHedge          // not sure, unless a negation says no: "मुश्किल है"
)

// signals is what readSignals found in a reply.
type signals struct {
	yes, weakYes, neg, maybe, optionNumber, unclear bool
	// hedge is a doubt that a negation makes a no: "मुश्किल है" is not
	// sure, "मुश्किल है, नहीं आ पाऊँगा" is no.
	hedge bool
	// contradiction is a verb of coming said and denied: "आऊँगी नहीं आऊँगी".
	contradiction bool
}

// readSignals marks the phrases of toks with their signal, longest first;
// the phrases of not sure first of all, so that "अभी नहीं पता" is not
// read as "अभी नहीं" and a पता left over.
func (wl *Words) readSignals(toks []intentToken) signals {
	var sig signals
	canon := make([]string, len(toks))
	for i, t := range toks {
		canon[i] = t.canon
	}
	maybe := wl.maybeSpans(canon)
	var nextTime, going, goFuture, comes bool
	for i := 0; i < len(toks); {
		n, s := maybe[i], sigMaybe
		if n == 0 {
			end := i + 1
			for end < len(toks) && maybe[end] == 0 {
				end++
			}
			n, s = wl.longestPhrase(canon[:end], i)
		}
		if n == 0 {
			n, s = 1, wl.wordSignal(canon, i)
		}
		for j := i; j < i+n; j++ {
			toks[j].signal = s
		}
		afterAa := i > 0 && (canon[i-1] == "aa" || canon[i-1] == "pahunch")
		switch {
		case s == sigGo && i > 0 && toks[i-1].signal == sigCome:
			// "हमनी के आइब जा": जा after a verb of coming is Bhojpuri's "we".
		case nextTime && (s == sigYes || s == sigWeakYes || s == sigCome):
			// "इस बार नहीं, अगली बार पक्का": the yes is for next time.
		case s == sigGo && !afterAa:
			going = true // "मायके जा रही हूँ" says no yes
		case s == sigCome && canon[i] == "jaunga" && !afterAa:
			goFuture = true // "जाऊँगी", but where: "शादी में जाऊँगी"?
		case s == sigYes:
			sig.yes = true
		case s == sigWeakYes, s == sigCome:
			sig.weakYes = true
			comes = comes || s == sigCome
		case s == sigNeg:
			sig.neg = true
			if canon[i] == "no" && i+1 < len(canon) && isNumber(canon[i+1]) {
				sig.optionNumber = true // "no. 2"
			}
			if canon[i] == "agli" {
				nextTime = true
			}
		case s == sigMaybe:
			sig.maybe = true
		case s == sigHedge:
			sig.hedge = true
		case s == sigUnclear:
			sig.unclear = true
		}
		i += n
	}
	// Going somewhere with words this table does not know ("शादी में
	// जाऊँगी", "हाँ, उस दिन मायके जा रही हूँ") may be going elsewhere: ask
	// again. "ज़रूर जाऊँगी" and "ट्रेनिंग में जाऊँगी" are yes.
	unknown := wl.unknownWords(toks)
	switch {
	case (going || goFuture) && unknown > 0:
		sig.unclear, sig.yes, sig.weakYes = true, false, false
	case goFuture:
		sig.weakYes = true
	case (sig.yes || sig.weakYes) && !comes && unknown >= 2:
		// A yes that says no coming, with words besides ("हाँ जी, घर में
		// शादी है", "हां पर उस दिन शादी है"), may be a yes to having read
		// the invitation: ask again.
		sig.unclear = true
	}
	sig.contradiction = saidAndDenied(toks)
	if wl.condition(toks) {
		sig.maybe = true // "घर वाले मानेंगे तो आऊँगी"
	}
	first := firstWordToken(toks)
	if first >= 0 && toks[first].canon == "ho" && first+1 < len(toks) && toks[first+1].canon == "sakta" {
		sig.maybe = true // "हो सकता है"; "नहीं हो सकता" is No
	}
	if first >= 0 && first+1 < len(toks) && toks[first].signal == sigNeg && toks[first+1].canon == toks[first].canon && comesAfter(toks[first+2:]) {
		// "नहीं नहीं, मैं आऊँगी" may deny a no that was not said: ask again.
		sig.yes = true
	}
	return sig
}

// comesAfter reports whether toks hold a verb of coming with no negation
// before it (fillers such as आ aside): the "आऊँगी" of "नहीं नहीं, मैं
// आऊँगी", not the "आ पाऊँगी" of "नहीं नहीं, नहीं आ पाऊँगी".
func comesAfter(toks []intentToken) bool {
	for i, t := range toks {
		if t.signal != sigCome {
			continue
		}
		j := i - 1
		for j >= 0 && toks[j].signal == sigFiller {
			j--
		}
		if j < 0 || toks[j].signal != sigNeg {
			return true
		}
	}
	return false
}

// maybeSpans marks where a phrase of not sure starts, with its length,
// left to right, longest first. A longer phrase holding one is not it
// ("हाँ या नहीं" is no "या नहीं"); a phrase it overlaps gives way ("अभी
// नहीं पता" is "अभी" and "नहीं पता", not "अभी नहीं" and "पता").
func (wl *Words) maybeSpans(canon []string) []int {
	spans := make([]int, len(canon))
	phraseAt := func(i int) (int, signal) {
		for n := min(maxIntentPhrase, len(canon)-i); n > 1; n-- {
			if s, ok := wl.intentPhrases[strings.Join(canon[i:i+n], " ")]; ok {
				return n, s
			}
		}
		return 0, sigNone
	}
	for i := 0; i < len(canon); i++ {
		n, s := phraseAt(i)
		switch {
		case s == sigMaybe:
			spans[i] = n
			i += n - 1
		case n > 1 && !overlapped(i, n, phraseAt, len(canon)):
			i += n - 1
		}
	}
	return spans
}

// overlapped reports whether a phrase of not sure starts inside the
// phrase of n words at i and ends after it.
func overlapped(i, n int, phraseAt func(int) (int, signal), total int) bool {
	for j := i + 1; j < i+n && j < total; j++ {
		if m, s := phraseAt(j); s == sigMaybe && j+m > i+n {
			return true
		}
	}
	return false
}

// unknownWords counts the words of toks the yes/no table does not know
// (a symbol or a number is no word).
func (wl *Words) unknownWords(toks []intentToken) int {
	n := 0
	for _, t := range toks {
		if _, known := wl.wordSpellings[t.canon]; !known && t.signal == sigNone && !isSymbol(t.canon) && !isNumber(t.canon) {
			n++
		}
	}
	return n
}

// saidAndDenied reports a verb of coming on both sides of a negation,
// "आऊँगी नहीं आऊँगी": said and denied, which is no answer.
func saidAndDenied(toks []intentToken) bool {
	for i := 0; i+2 < len(toks); i++ {
		if toks[i].signal == sigCome && toks[i+1].signal == sigNeg && toks[i+2].canon == toks[i].canon {
			return true
		}
	}
	return false
}

// condition reports a verb of condition before तो and a verb of coming
// after it ("घर वाले मानेंगे तो आऊँगी", "chhutti mili to aaungi"): a verb
// the table does not know, in the future (-गा/-गी/-गे, -ga/-gi/-ge), or
// one of coming ("वो आएँगे तो मैं भी आऊँगी").
// "ठीक है तो आऊँगी", "फिर तो आऊँगी" and "आपने बुलाया तो आऊँगी ही" are no
// condition; a past one ("बस मिली तो") is a phrase of the table.
func (wl *Words) condition(toks []intentToken) bool {
	for i := 1; i+1 < len(toks); i++ {
		if toks[i].canon != "to" {
			continue
		}
		j := i + 1 // over "मैं भी": words that say nothing
		for j < len(toks) && j <= i+3 && (toks[j].signal == sigFiller || toks[j].signal == sigNone) {
			j++
		}
		if j == len(toks) || toks[j].signal != sigCome {
			continue
		}
		prev := toks[i-1]
		if prev.signal == sigCome {
			return true // "वो आएँगे तो मैं भी आऊँगी"
		}
		if _, known := wl.wordSpellings[prev.canon]; known || prev.signal != sigNone {
			continue
		}
		for _, end := range []string{"गा", "गी", "गे", "ga", "gi", "ge"} {
			if strings.HasSuffix(prev.canon, end) {
				return true
			}
		}
	}
	return false
}

func firstWordToken(toks []intentToken) int {
	for i, t := range toks {
		if !isSymbol(t.canon) {
			return i
		}
	}
	return -1
}

// longestPhrase finds the longest phrase of intentPhrases starting at i.
func (wl *Words) longestPhrase(canon []string, i int) (int, signal) {
	for n := min(maxIntentPhrase, len(canon)-i); n > 1; n-- {
		if s, ok := wl.intentPhrases[strings.Join(canon[i:i+n], " ")]; ok {
			return n, s
		}
	}
	return 0, sigNone
}

// wordSignal is the signal of the single word canon[i]. "ना" is a
// negation at the start or before a verb ("ना आ पाऊँगी", "ना जा पाइब"), but emphasis
// after one ("आऊँगी ना").
func (wl *Words) wordSignal(canon []string, i int) signal {
	w := canon[i]
	if w == "na" {
		if i == 0 || (i+1 < len(canon) && (comeStarts[canon[i+1]] || wl.intentWords[canon[i+1]] == sigCome || wl.intentWords[canon[i+1]] == sigGo)) {
			return sigNeg
		}
		return sigFiller
	}
	return wl.intentWords[w]
}

// comeStarts are the words a verb of coming starts with.
var comeStarts = map[string]bool{"ho": true, "aa": true, "aaunga": true, "jaunga": true, "pahunch": true, "paunga": true, "sakunga": true}

// reasonText is the reason given with a No: the text after the first
// negative phrase, or before it when nothing follows ("बोर्ड बैठक है, इसलिए नहीं
// आ पाऊँगा").
func (wl *Words) reasonText(clean string, toks []intentToken, sig signals) string {
	first := -1
	for i, t := range toks {
		if t.signal == sigNeg {
			first = i
			break
		}
	}
	if first < 0 {
		return ""
	}
	last := first
	// The negative phrase goes on over the verb and its helpers, and हो
	// ("ना हो पाई", "ना होई").
	for last+1 < len(toks) && (toks[last+1].signal == sigCome || toks[last+1].canon == "ho" || toks[last+1].signal == sigNeg || toks[last+1].signal == sigFiller || (wl.reasonFillers[toks[last+1].canon] && toks[last+1].canon != "main")) {
		last++
	}
	for first > 0 && (toks[first-1].signal == sigCome || toks[first-1].signal == sigWeakYes || toks[first-1].signal == sigFiller || wl.reasonFillers[toks[first-1].canon]) {
		first--
	}
	after, before := wl.trimReason(toks[last+1:]), wl.trimReason(toks[:first])
	if len(after) > 0 && len(before) > 0 && !hasCome(toks[first:last+1]) {
		// A "not" inside the sentence, with no verb of coming, is the
		// reason's own: "बस नहीं मिली", "छुट्टी नहीं मिली".
		return cutReason(clean, wl.trimReason(toks))
	}
	if len(after) > 0 && !wl.onlyFillers(after) {
		return cutReason(clean, after)
	}
	if len(before) > 0 && !wl.onlyFillers(before) {
		return cutReason(clean, before)
	}
	return ""
}

// onlyFillers reports whether toks are words around an answer and no
// reason: the "हम लोग" of "हम लोग आ नहीं पाएंगे", the "हम" of "नहीं आ
// सकेंगी हम".
func (wl *Words) onlyFillers(toks []intentToken) bool {
	for _, t := range toks {
		if !wl.reasonFillers[t.canon] && t.signal != sigFiller && t.signal != sigCome && t.signal != sigNeg {
			return false
		}
	}
	return true
}

// hasCome reports whether toks hold a verb of coming.
func hasCome(toks []intentToken) bool {
	for _, t := range toks {
		if t.signal == sigCome {
			return true
		}
	}
	return false
}

// trimReason drops connectives ("क्योंकि", "इसलिए") and emoji at both ends
// of the reason, and fillers ("sorry", "जी") at its start.
func (wl *Words) trimReason(toks []intentToken) []intentToken {
	drop := func(t intentToken) bool { // "मैं" stays: "मैं ससुराल में हूँ"
		return (wl.reasonFillers[t.canon] && t.canon != "main") || wl.reasonConnectives[t.canon] || isSymbol(t.canon)
	}
	for len(toks) > 0 && drop(toks[0]) {
		toks = toks[1:]
	}
	for len(toks) > 0 && (wl.reasonConnectives[toks[len(toks)-1].canon] || isSymbol(toks[len(toks)-1].canon)) {
		toks = toks[:len(toks)-1]
	}
	return toks
}

func cutReason(clean string, toks []intentToken) string {
	return strings.TrimFunc(clean[toks[0].start:toks[len(toks)-1].end], func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r)
	})
}

// canonWord maps the many spellings of a word ("nahin", "nhi", "नही",
// "nahiii") to one ("nahi"); words it does not know are returned as they are.
func (wl *Words) canonWord(w string) string {
	if c, ok := wl.wordSpellings[w]; ok {
		return c
	}
	for limit := 2; limit > 0; limit-- { // "haaaan", "nooo", "okkk"
		if c, ok := wl.wordSpellings[squeeze(w, limit)]; ok {
			return c
		}
	}
	return w
}

func isNumber(tok string) bool {
	return tok != "" && strings.Trim(tok, "0123456789") == ""
}

func isSymbol(tok string) bool {
	for _, r := range tok {
		return runeKind(r) == runeSymbol
	}
	return false
}

// addVerbForms adds to spellings the forms of the verbs of yesno.yaml's
// verb_stems: every stem with every ending of its script ("आ" + "ऊंगी" is
// आऊंगी, "aa" + "ungi" is aaungi), each a spelling of the stem's
// canonical word. After a consonant an ending's first vowel is written as
// its sign ("सक" + "ऊंगी" is सकूंगी). A form already listed keeps its word,
// and one shorter than minVerbForm is left out.
func addVerbForms(spellings map[string]string, stems map[string][]string, endings []string) {
	for _, canon := range sortedKeys(stems) {
		for _, stem := range stems[canon] {
			stem = normWord(stem)
			for _, end := range endings {
				end = normWord(end)
				if stem == "" || end == "" || isASCII(stem) != isASCII(end) {
					continue
				}
				form := normWord(joinVerb(stem, end))
				if _, ok := spellings[form]; !ok && utf8.RuneCountInString(form) >= minVerbForm {
					spellings[form] = canon
				}
			}
		}
	}
}

// addFoldedSpellings adds to spellings each Devanagari spelling with its
// vowels' length folded (foldVowels: नई is also नइ, आऊंगी also आउंगी), as
// people type either. A folded form two words share is left out, and one
// already listed keeps its word.
func addFoldedSpellings(spellings map[string]string) {
	folded := map[string]string{}
	for _, w := range sortedKeys(spellings) {
		if isASCII(w) {
			continue
		}
		f := foldVowels(w)
		if _, listed := spellings[f]; listed {
			continue
		}
		if c, ok := folded[f]; ok && c != spellings[w] {
			folded[f] = ""
			continue
		}
		folded[f] = spellings[w]
	}
	for f, c := range folded {
		if c != "" {
			spellings[f] = c
		}
	}
}

// minVerbForm is the fewest letters a made form has: आ + ब is आब, which
// is also "now", not a verb.
const minVerbForm = 3

// vowelSigns are the signs of the Devanagari vowels, written after a
// consonant; अ has none.
var vowelSigns = map[rune]string{'अ': "", 'आ': "ा", 'इ': "ि", 'ई': "ी", 'उ': "ु", 'ऊ': "ू", 'ए': "े", 'ऐ': "ै", 'ओ': "ो", 'औ': "ौ"}

// joinVerb writes stem and ending as one word.
func joinVerb(stem, end string) string {
	last, _ := utf8.DecodeLastRuneInString(stem)
	first, size := utf8.DecodeRuneInString(end)
	if sign, ok := vowelSigns[first]; ok && isDevanagariConsonant(last) {
		return stem + sign + end[size:]
	}
	return stem + end
}

func isDevanagariConsonant(r rune) bool {
	return (r >= 'क' && r <= 'ह') || (r >= 0x0958 && r <= 0x095F)
}
