package roster

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// A person is stored as one Redis string, packed: a version byte, then the
// fields of packFields separated by fieldSep, each text in packText's
// encoding. One value, not a hash: a hash whose values pass Redis's
// hash-max-listpack-value (64 bytes, about 21 Devanagari letters: an SHG's
// name) is kept as a hash table, at about twice the bytes.
const (
	packVersion = '1'
	fieldSep    = 0x1f // between fields
	placeSep    = 0x1e // between the places of Also
	partSep     = 0x1d // between the parts of a place
	escape      = 0x01 // a rune packText does not shorten follows, in UTF-8
)

// pack writes p (phone excluded: it is the key) as stored.
func (p Person) pack() string {
	var b strings.Builder
	b.Grow(64 + len(p.Name) + len(p.Body) + len(p.SHG)) // packed text is shorter than UTF-8
	b.WriteByte(packVersion)
	for _, s := range [...]string{p.Name, p.Role, p.Designation, p.Division, p.District, p.Block, p.Body, p.Ward, p.SHG, p.Cluster, p.Language, p.Gender} {
		b.WriteByte(fieldSep)
		packText(&b, s)
	}
	b.WriteByte(fieldSep)
	for i, pl := range p.Also {
		if i > 0 {
			b.WriteByte(placeSep)
		}
		for j, s := range [...]string{pl.Division, pl.District, pl.Block, pl.Body} {
			if j > 0 {
				b.WriteByte(partSep)
			}
			packText(&b, s)
		}
	}
	return b.String()
}

// unpack reads a value pack wrote for phone; ok is false for anything else.
func unpack(phone, v string) (p Person, ok bool) {
	if len(v) == 0 || v[0] != packVersion {
		return Person{}, false
	}
	fields := strings.Split(v[1:], string(rune(fieldSep)))[1:] // v[1:] starts with a separator
	if len(fields) == 12 {                                     // packed before the gender: none
		fields = slices.Insert(fields, 11, "")
	}
	if len(fields) != 13 {
		return Person{}, false
	}
	dst := [...]*string{&p.Name, &p.Role, &p.Designation, &p.Division, &p.District, &p.Block, &p.Body, &p.Ward, &p.SHG, &p.Cluster, &p.Language, &p.Gender}
	for i, d := range dst {
		*d = unpackText(fields[i])
	}
	if fields[12] != "" {
		for pl := range strings.SplitSeq(fields[12], string(rune(placeSep))) {
			parts := strings.Split(pl, string(rune(partSep)))
			if len(parts) != 4 {
				return Person{}, false
			}
			p.Also = append(p.Also, Place{unpackText(parts[0]), unpackText(parts[1]), unpackText(parts[2]), unpackText(parts[3])})
		}
	}
	p.Phone = phone
	if p.Designation == "" && p.Participant() {
		p.Designation = p.Role
	}
	return p, true
}

// packText writes s in one byte per Devanagari letter (U+0900–U+097F as
// 0x80–0xFF) where UTF-8 takes three; ASCII stays as it is; any other rune
// is escaped and written in UTF-8, and the control bytes packing uses are
// escaped as the letter 0x40 above them.
func packText(b *strings.Builder, s string) {
	for _, r := range s {
		switch {
		case r >= 0x0900 && r <= 0x097F:
			b.WriteByte(byte(0x80 + r - 0x0900))
		case r < 0x80 && r != escape && r != fieldSep && r != placeSep && r != partSep:
			b.WriteByte(byte(r))
		case r < 0x20: // a control byte packing uses, as a letter: no separator inside a field
			b.WriteByte(escape)
			b.WriteByte(byte(r + 0x40))
		default:
			b.WriteByte(escape)
			b.WriteRune(r)
		}
	}
}

// unpackText reads what packText wrote.
func unpackText(s string) string {
	var b strings.Builder
	b.Grow(3 * len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			b.WriteRune(0x0900 + rune(c-0x80))
		case c == escape && i+1 < len(s) && s[i+1] < 0x80:
			b.WriteByte(s[i+1] - 0x40)
			i++
		case c == escape && i+1 < len(s):
			r, n := utf8.DecodeRuneInString(s[i+1:])
			b.WriteRune(r)
			i += n
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
