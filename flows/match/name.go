package match

import (
	"strings"
	"unicode"
)

// PersonName is the name in a reply to "what is your name", with the words
// people put around it left out: "मेरा नाम सुनीता देवी है", "ji mera naam
// Ramesh hai", "श्रीमती सरोज देवी जी" and "मैं ममता बोल रही हूँ" are "सुनीता
// देवी", "Ramesh", "सरोज देवी" and "ममता". The name keeps the letters as
// typed.
//
// Polite words ("जी", "सर", 🙏) and titles ("श्रीमती", "Smt.") are left
// out at either end; "है" / "हूँ" after the name only when something said
// a name comes ("मेरा नाम …", "मैं … हूँ", "… बोल रही हूँ"). "मैं" or "main"
// before the name needs such an ending after it, so that "Mai Devi" stays
// whole. A reply with nothing left once those words are out ("मेरा नाम",
// "जी"), or that is a yes, a no or a not sure ("हाँ", "ok"), names no one:
// it is "", to be asked again; so is a question ("नाम क्यों चाहिए?").
func (wl *Words) PersonName(s string) string {
	if strings.ContainsAny(s, "?؟") {
		return "" // "नाम बताना जरूरी है?": a question, not a name
	}
	toks := strings.Fields(s)
	keys := make([]string, len(toks))
	for i, t := range toks {
		keys[i] = Normalize(strings.TrimFunc(t, isNamePunct))
	}
	from, to := 0, len(toks)
	// skip leaves out, from the start, the empty words (an emoji, a
	// dash) and the phrases of any of lists.
	skip := func(lists ...[][]string) {
		for from < to {
			n := 0
			if keys[from] == "" {
				n = 1
			}
			for _, l := range lists {
				n = max(n, prefixLen(keys[from:to], l))
			}
			if n == 0 {
				return
			}
			from += n
		}
	}
	skip(wl.namePadding, wl.nameTitles) // "🙏 नमस्ते जी सर, …"
	framed, self := false, false
	if n := prefixLen(keys[from:to], wl.nameFrames); n > 0 {
		from, framed = from+n, true
	} else if n = prefixLen(keys[from:to], wl.nameSelf); n > 0 {
		from, self = from+n, true
	}
	if framed { // "mera naam hai Dinesh"
		for from < to && prefixLen(keys[from:to], wl.nameEndings) > 0 {
			from += prefixLen(keys[from:to], wl.nameEndings)
		}
	}
	skip(wl.namePadding, wl.nameTitles) // "मेरा नाम - श्रीमती उर्मिला देवी"
	ended := false
	if framed || self { // "मेरा नाम सुमन है और मैं सभासद हूँ": the name ends at है
		for i := from + 1; i < to; i++ {
			if prefixLen(keys[i:to], wl.nameEndings) > 0 {
				to, ended = i, true
				break
			}
		}
	}
	// "सुनीता देवी पत्नी रमेश कुमार": the name ends at the relation; "मेरे
	// पति का नाम …" and "suresh ki patni" name someone else.
	for i := from; i < to; i++ {
		if prefixLen(keys[i:to], wl.nameRelations) == 0 {
			continue
		}
		if i == from {
			// "पति का नाम …", "w/o Ramesh": someone else's; "Pati Ram" a name.
			if strings.Contains(keys[i], "/") || i+1 < to && possessive[keys[i+1]] {
				return ""
			}
			continue
		}
		if possessive[keys[i-1]] {
			return "" // "suresh ki patni", "मेरे पति"
		}
		to, ended = i, true
		break
	}
	for to > from {
		n := suffixLen(keys[from:to], wl.namePadding)
		if keys[to-1] == "" {
			n = 1
		}
		// "… बोल रही हूँ": the ending after "speaking" goes with it.
		e := suffixLen(keys[from:to], wl.nameEndings)
		if m := suffixLen(keys[from:to-e], wl.nameSpeaking); n == 0 && m > 0 {
			n, ended = m+e, true
		}
		if n == 0 && (framed || self) {
			n = e
			ended = ended || n > 0
		}
		if n == 0 {
			break
		}
		to -= n
	}
	for i := from; i < to; i++ {
		if prefixLen(keys[i:to], wl.nameNot) > 0 {
			return "" // "नाम क्या लिखें", "pradhan ramesh singh"
		}
		// "गीता, सुरेश", "गीता और सुरेश": two names, which one?
		if i > from && (twoNames[keys[i]] || strings.HasSuffix(toks[i-1], ",")) {
			return ""
		}
	}
	if self && !ended {
		return s // "Mai Devi": a name, not "I am Devi"
	}
	if from >= to {
		if strings.IndexFunc(s, unicode.IsLetter) < 0 {
			return s // "🙏🙏": not a name, and asked again for letters
		}
		return ""
	}
	if !framed && !ended && wl.onlyAnswers(keys[from:to]) {
		return "" // "हाँ", "ok ji", "हाँ सही है": an answer, not a name
	}
	return strings.TrimFunc(strings.Join(toks[from:to], " "), isNamePunct)
}

// possessive are the words before a relation that make it someone else's
// ("मेरे पति"), and twoNames the words between two names.
var (
	possessive = map[string]bool{"मेरे": true, "मेरी": true, "मेरा": true, "हमारे": true, "का": true, "के": true, "की": true, "mere": true, "meri": true, "mera": true, "hamare": true, "ka": true, "ke": true, "ki": true, "my": true}
	twoNames   = map[string]bool{"और": true, "या": true, "aur": true, "or": true, "ya": true, "and": true}
)

// onlyAnswers tells whether each word of ws is a yes, a no or a not sure,
// or "है" / "हूँ": "हाँ सही है" is an answer, "Sahi Ram" a name.
func (wl *Words) onlyAnswers(ws []string) bool {
	for _, w := range ws {
		if w != "" && wl.YesNo(w) == Unknown && prefixLen([]string{w}, wl.nameEndings) == 0 {
			return false
		}
	}
	return true
}

// isNamePunct is the punctuation and symbols (emoji) that stand around a
// name's words: "नाम:", "है।", "🙏".
func isNamePunct(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

// prefixLen is the length of the longest phrase of ps that ws start with.
func prefixLen(ws []string, ps [][]string) int {
	best := 0
	for _, p := range ps {
		if len(p) > best && len(p) <= len(ws) && equalWords(ws[:len(p)], p) {
			best = len(p)
		}
	}
	return best
}

// suffixLen is the length of the longest phrase of ps that ws end with.
func suffixLen(ws []string, ps [][]string) int {
	best := 0
	for _, p := range ps {
		if len(p) > best && len(p) <= len(ws) && equalWords(ws[len(ws)-len(p):], p) {
			best = len(p)
		}
	}
	return best
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
