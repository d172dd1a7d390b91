package match

import (
	"strings"
	"unicode"
)

// PersonName is the name in a reply to "what is your name", with the words
// people put around it left out: "मेरा नाम सुनीता देवी है" and "ji mera naam
// Ramesh hai" are "सुनीता देवी" and "Ramesh". The name keeps the letters
// as typed. A reply with no such words is returned as it is; so is one
// that would be left empty.
func (wl *Words) PersonName(s string) string {
	toks := strings.Fields(s)
	keys := make([]string, len(toks))
	for i, t := range toks {
		keys[i] = Normalize(strings.TrimFunc(t, isNamePunct))
	}
	from, to := 0, len(toks)
	for from < to { // "🙏 नमस्ते जी सर, …"
		n := prefixLen(keys[from:to], wl.namePadding)
		if keys[from] == "" {
			n = 1
		}
		if n == 0 {
			break
		}
		from += n
	}
	self := false
	if n := prefixLen(keys[from:to], wl.nameFrames); n > 0 {
		from += n
	} else if n = prefixLen(keys[from:to], wl.nameSelf); n > 0 {
		from, self = from+n, true
	} else {
		return s
	}
	for from < to && keys[from] == "" { // "नाम - कमला"
		from++
	}
	ended := false
	for to > from {
		n := suffixLen(keys[from:to], wl.namePadding)
		if keys[to-1] == "" {
			n = 1
		}
		if n == 0 {
			n = suffixLen(keys[from:to], wl.nameEndings)
			ended = ended || n > 0
		}
		if n == 0 {
			break
		}
		to -= n
	}
	if from >= to || self && !ended {
		return s
	}
	name := strings.Join(toks[from:to], " ")
	return strings.TrimFunc(name, isNamePunct)
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
