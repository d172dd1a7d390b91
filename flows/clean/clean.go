// Package clean makes text people type or import safe to keep and to show
// again: in NFC, without control characters, terminal escape codes,
// direction overrides or invisible characters, with single spaces.
//
// What is taken out cannot hide text, reorder the lines around an echoed
// name or break a later comparison. What Hindi needs stays: a zero-width
// joiner or non-joiner between two Devanagari characters chooses how a
// conjunct is drawn ("क्‍ष" against "क्ष"), so it is kept there, and only there
// (and between two emoji, where it joins them into one).
package clean

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Text returns s cleaned. With multiline, line breaks are kept (at most one
// empty line in a row, each line trimmed); without, every line break is a
// space. Tabs and other spaces become one space; the result is trimmed.
func Text(s string, multiline bool) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	rs := visible(stripEscapes(s))
	s = norm.NFC.String(string(joiners(rs)))
	return spaces(s, multiline)
}

// HasLetter tells whether s has a letter of any script: a name or a place
// of only digits, punctuation or emoji has none.
func HasLetter(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

// Blank tells whether s shows nothing: only spaces, control and invisible
// characters, so that Text(s, …) is "". It is cheaper than Text.
func Blank(s string) bool {
	for _, r := range s {
		if !(unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || blankLetter(r)) {
			return false
		}
	}
	return true
}

const (
	esc = 0x1B
	csi = 0x9B // the C1 form of ESC [
	bel = 0x07
	st  = 0x9C // the C1 string terminator
)

// stripEscapes removes terminal escape sequences whole, so that no "[31m"
// is left behind: CSI (ESC [ … final byte), OSC and the other strings
// (ESC ] … BEL or ESC \), and two-character escapes (ESC c).
func stripEscapes(s string) string {
	if !strings.ContainsRune(s, esc) && !strings.ContainsRune(s, csi) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == csi:
			i = skipCSI(s, i+n)
		case r == esc && i+1 < len(s) && s[i+1] == '[':
			i = skipCSI(s, i+2)
		case r == esc && i+1 < len(s) && strings.IndexByte("]PX^_", s[i+1]) >= 0:
			i = skipString(s, i+2)
		case r == esc:
			i += n
			for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2F { // intermediate bytes
				i++
			}
			if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7E { // the final byte
				i++
			}
		default:
			b.WriteString(s[i : i+n])
			i += n
		}
	}
	return b.String()
}

// skipCSI returns the index after a control sequence's parameters,
// intermediates and final byte, starting at i (after "ESC [").
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3F {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7E {
		i++
	}
	return i
}

// skipString returns the index after an escape string (OSC, DCS …) that
// starts at i: up to BEL, ESC \ or the C1 terminator, or the end.
func skipString(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == bel || r == st:
			return i + n
		case r == esc:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i + n
		}
		i += n
	}
	return i
}

// The joiners, kept only where a script needs them.
const (
	zwnj = '\u200C'
	zwj  = '\u200D'
)

// visible drops control and format characters and maps every space and
// line break to ' ' or '\n'. The joiners stay for joiners to judge.
func visible(s string) []rune {
	out := make([]rune, 0, len(s))
	prevCR := false
	for _, r := range s {
		cr := r == '\r'
		switch {
		case r == '\n' && prevCR: // "\r\n" is one break
		case r == '\n' || cr || r == '\u0085' || r == '\u2028' || r == '\u2029' || r == '\v' || r == '\f':
			out = append(out, '\n')
		case r == zwj || r == zwnj:
			out = append(out, r)
		case unicode.IsSpace(r) || unicode.Is(unicode.Zs, r):
			out = append(out, ' ')
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Cs, r), isNonCharacter(r), blankLetter(r):
			// NUL, ESC, DEL, C1; bidi embeddings, overrides, isolates and
			// marks; zero-width space, word joiner, BOM, soft hyphen, tags;
			// fillers that pass for letters but show nothing.
		default:
			out = append(out, r)
		}
		prevCR = cr
	}
	return out
}

// blankLetter: Hangul fillers (letters by category, invisible) and the
// blank braille pattern, used to make an empty name look filled in.
func blankLetter(r rune) bool {
	return r == '\u115F' || r == '\u1160' || r == '\u3164' || r == '\uFFA0' || r == '\u2800'
}

func isNonCharacter(r rune) bool {
	return r >= 0xFDD0 && r <= 0xFDEF || r&0xFFFE == 0xFFFE
}

// joiners keeps a ZWJ or ZWNJ only between two Devanagari characters (or a
// ZWJ between two emoji), one at most; every other one goes.
func joiners(rs []rune) []rune {
	out := rs[:0]
	for i, r := range rs {
		if r != zwj && r != zwnj {
			out = append(out, r)
			continue
		}
		if len(out) == 0 {
			continue
		}
		prev := out[len(out)-1]
		next := rune(-1)
		for _, n := range rs[i+1:] {
			if n != zwj && n != zwnj {
				next = n
				break
			}
		}
		if prev == zwj || prev == zwnj || next < 0 {
			continue
		}
		if devanagari(prev) && devanagari(next) || r == zwj && emojiBefore(prev) && emoji(next) {
			out = append(out, r)
		}
	}
	return out
}

// devanagari tells whether r is in the Devanagari blocks (letters, vowel
// signs, the virama, nukta).
func devanagari(r rune) bool {
	return r >= 0x0900 && r <= 0x097F || r >= 0xA8E0 && r <= 0xA8FF || r >= 0x1CD0 && r <= 0x1CFF
}

func emoji(r rune) bool { return unicode.Is(unicode.So, r) }

// emojiBefore: an emoji, or what ends one (a skin tone, the emoji variation selector).
func emojiBefore(r rune) bool {
	return emoji(r) || r >= 0x1F3FB && r <= 0x1F3FF || r == '\uFE0F'
}

// spaces collapses runs of spaces, trims lines, and keeps line breaks
// (at most two in a row) or turns them into spaces.
func spaces(s string, multiline bool) string {
	if !multiline {
		return strings.Join(strings.Fields(s), " ")
	}
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" {
			if blank++; blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.Trim(strings.Join(out, "\n"), "\n")
}
