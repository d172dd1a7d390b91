// Package match understands the short, varied answers people type on cheap
// phones: one word, a digit, an emoji, Hindi in Devanagari or in Latin letters.
//
// Every function first folds its input with [Normalize], so the tables in this
// package are written in normalised form (a test checks that).
package match

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Devanagari code points that Normalize folds.
const (
	nukta        = '\u093C'
	chandrabindu = '\u0901'
	anusvara     = '\u0902'
	devaZero     = '\u0966'
	devaNine     = '\u096F'
)

// keycap is the combining enclosing keycap: "1️⃣2️⃣" is 12.
const keycap = '\u20E3'

// Normalize folds text for comparison: Unicode NFC, lower case, Devanagari digits to Latin (१७२ -> 172),
// nukta removed (क़->क, ज़->ज, ड़->ड, ढ़->ढ, फ़->फ, ग़->ग, ख़->ख, also precomposed forms U+0958..U+095F),
// chandrabindu folded to anusvara (ँ -> ं), zero-width joiners/non-joiners and variation selectors removed,
// emoji skin-tone modifiers removed, surrounding punctuation and spaces trimmed (keep inner digits/letters),
// runs of spaces collapsed to one, Devanagari danda (। ॥) treated as punctuation.
//
// Emoji and other symbols (👍, ₹, +) are kept; only punctuation is trimmed.
func Normalize(s string) string {
	ascii := isASCII(s)
	if !ascii {
		// Decompose first, so that precomposed nukta letters (क़ U+0958) lose
		// their nukta like the two-code-point spellings do.
		s = norm.NFD.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	var prev rune
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case dropped(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		if r == '०' && !space && isDevanagariLetter(prev) {
			r = '.' // the abbreviation mark of "नं० ३", "उ०प्र०": no zero
		}
		space, prev = false, r
		b.WriteRune(foldRune(r))
	}
	out := b.String()
	if !ascii {
		out = norm.NFC.String(out)
	}
	return strings.TrimFunc(out, trimmable)
}

// dropped reports whether Normalize removes r wherever it is: the nukta,
// invisible format characters (zero-width joiner and non-joiner, zero-width
// space, byte-order mark, direction marks), variation selectors (the
// emoji-style ️ after ✔), the keycap that makes 1️⃣ of 1, and emoji
// skin-tone modifiers.
func dropped(r rune) bool {
	switch {
	case r == nukta, r == keycap:
		return true
	case r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF: // variation selectors
		return true
	case r >= 0x1F3FB && r <= 0x1F3FF: // skin tones 🏻..🏿
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// foldRune lower-cases r, writes Devanagari digits as Latin ones and
// chandrabindu as anusvara.
func foldRune(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case r >= devaZero && r <= devaNine:
		return '0' + r - devaZero
	case r == chandrabindu:
		return anusvara
	}
	return unicode.ToLower(r)
}

// trimmable reports whether Normalize trims r from either end: spaces and
// punctuation (which includes the danda । and double danda ॥), and the ASCII
// symbols people use as decoration.
func trimmable(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || strings.ContainsRune("`^|~<>=", r)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isDevanagariLetter tells whether r is a Devanagari letter, vowel sign or
// mark (not a digit).
func isDevanagariLetter(r rune) bool {
	return r >= 0x0900 && r <= 0x097F && (r < '०' || r > '९')
}
