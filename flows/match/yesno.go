package match

import (
	"strings"
	"unicode"

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
	case sig.optionNumber:
		return Unknown, ""
	case sig.neg && sig.yes:
		return Unknown, ""
	case sig.neg: // "नहीं, मेरी जगह पति आएँगे" is still her no
		return No, wl.reasonText(clean, toks, sig)
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
)

// signals is what readSignals found in a reply.
type signals struct {
	yes, weakYes, neg, maybe, optionNumber, unclear bool
}

// readSignals marks the phrases of toks with their signal, longest first.
func (wl *Words) readSignals(toks []intentToken) signals {
	var sig signals
	canon := make([]string, len(toks))
	for i, t := range toks {
		canon[i] = t.canon
	}
	for i := 0; i < len(toks); {
		n, s := wl.longestPhrase(canon, i)
		if n == 0 {
			n, s = 1, wl.wordSignal(canon, i)
		}
		for j := i; j < i+n; j++ {
			toks[j].signal = s
		}
		switch s {
		case sigYes:
			sig.yes = true
		case sigWeakYes, sigCome:
			sig.weakYes = true
		case sigNeg:
			sig.neg = true
			if canon[i] == "no" && i+1 < len(canon) && isNumber(canon[i+1]) {
				sig.optionNumber = true // "no. 2"
			}
		case sigMaybe:
			sig.maybe = true
		case sigUnclear:
			sig.unclear = true
		}
		i += n
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
// negation at the start or before a verb ("ना आ पाऊँगी"), but emphasis
// after one ("आऊँगी ना").
func (wl *Words) wordSignal(canon []string, i int) signal {
	w := canon[i]
	if w == "na" {
		if i == 0 || (i+1 < len(canon) && comeStarts[canon[i+1]]) {
			return sigNeg
		}
		return sigFiller
	}
	return wl.intentWords[w]
}

// comeStarts are the words a verb of coming starts with.
var comeStarts = map[string]bool{"aa": true, "aaunga": true, "jaunga": true, "pahunch": true, "paunga": true, "sakunga": true}

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
	// The negative phrase goes on over the verb and its helpers.
	for last+1 < len(toks) && (toks[last+1].signal == sigCome || toks[last+1].signal == sigNeg || toks[last+1].signal == sigFiller || (wl.reasonFillers[toks[last+1].canon] && toks[last+1].canon != "main")) {
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
	if len(after) > 0 {
		return cutReason(clean, after)
	}
	if len(before) > 0 {
		return cutReason(clean, before)
	}
	return ""
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
