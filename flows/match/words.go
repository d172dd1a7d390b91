package match

import (
	"slices"
	"strings"
	"unicode"
)

// Kinds of rune the tokenizer tells apart.
const (
	runeGap    = iota // space or punctuation: ends a token
	runeLetter        // letter, or a mark (matra, anusvara, virama) joining the token before it
	runeDigit
	runeSymbol // emoji, ₹, +: a token on its own
)

func runeKind(r rune) int {
	switch {
	case unicode.IsLetter(r) || unicode.IsMark(r):
		return runeLetter
	case unicode.IsDigit(r):
		return runeDigit
	case unicode.IsSpace(r) || unicode.IsPunct(r):
		return runeGap
	}
	return runeSymbol
}

// words splits normalised text into tokens: runs of letters and runs of
// digits ("opt2" is "opt" "2"), and, when symbols is true, every symbol
// (emoji, ₹) on its own. Spaces and punctuation only separate tokens.
func words(n string, symbols bool) []string {
	var out []string
	start, kind := -1, runeGap
	flush := func(end int) {
		if start >= 0 {
			out = append(out, n[start:end])
		}
		start, kind = -1, runeGap
	}
	for i, r := range n {
		k := runeKind(r)
		if start >= 0 && (k == kind || unicode.IsMark(r)) {
			continue // same run; a mark belongs to the token it follows
		}
		flush(i)
		switch k {
		case runeGap:
		case runeSymbol:
			if symbols {
				out = append(out, string(r))
			}
		default:
			start, kind = i, k
		}
	}
	flush(len(n))
	return out
}

// indexSeq returns the first index at or after from at which seq occurs in
// toks, or -1.
func indexSeq(toks, seq []string, from int) int {
	for i := from; i+len(seq) <= len(toks); i++ {
		if slices.Equal(toks[i:i+len(seq)], seq) {
			return i
		}
	}
	return -1
}

// squeeze shortens letters repeated for emphasis: with limit 2, "haaaan" becomes
// "haan"; with limit 1, "nahiii" becomes "nahi".
func squeeze(w string, limit int) string {
	var b strings.Builder
	var last rune
	run := 0
	for _, r := range w {
		if r == last {
			run++
		} else {
			last, run = r, 1
		}
		if run <= limit {
			b.WriteRune(r)
		}
	}
	return b.String()
}
