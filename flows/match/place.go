package match

import (
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// PlaceKind says how a typed place matched the names of the roster.
type PlaceKind int

// The kinds of match Place tells apart.
const (
	PlaceNone  PlaceKind = iota // nothing close: keep what was typed, or ask again
	PlaceExact                  // one name, the same once spelling is set aside: take it
	PlaceNear                   // one name close to what was typed: confirm it ("क्या आप … की बात कर रहे हैं?")
	PlaceMany                   // several names fit: offer them as choices
)

// String names the kind in English, for logs and tests.
func (k PlaceKind) String() string {
	switch k {
	case PlaceExact:
		return "PlaceExact"
	case PlaceNear:
		return "PlaceNear"
	case PlaceMany:
		return "PlaceMany"
	}
	return "PlaceNone"
}

// MaxPlaceChoices is the most names Place offers as choices.
const MaxPlaceChoices = 5

// Place matches a typed place against the names of places (a district,
// block or body of the roster). People type a name without its prefix
// ("अनपरा" for "नगर पंचायत अनपरा"), with a suffix ("मैथा ब्लॉक", "jila
// sonbhadra"), in Latin letters ("anpara"), without a matra or a nukta,
// with a typo. Both sides are put on one footing by PlaceKey, and then:
//   - the one name with the same key is PlaceExact; several are PlaceMany;
//   - else the names one of whose words has that key ("कानपुर" for कानपुर
//     देहात and कानपुर नगर): one is PlaceNear, several PlaceMany;
//   - else the names within a small spelling distance of it, the closest
//     first: one is PlaceNear, several PlaceMany;
//   - else the names whose key starts with it ("sonbh"): one is
//     PlaceNear, several PlaceMany.
//
// found holds the names, at most MaxPlaceChoices, in the order of names
// for equally good ones.
func (wl *Words) Place(typed string, names []string) (kind PlaceKind, found []string) {
	return wl.NewPlaces(names).Match(typed)
}

// Places are place names keyed once, to match many replies against: see
// Place. It is not changed after NewPlaces, and safe for concurrent use.
type Places struct {
	words       *Words
	names, keys []string
	wordKeys    [][]string
	// former maps the key of a former name (इलाहाबाद) to the name it
	// has now (प्रयागराज), for the names held whose former name is not.
	former map[string]string
}

// NewPlaces keys names for Match.
func (wl *Words) NewPlaces(names []string) *Places {
	p := &Places{words: wl, names: names, keys: make([]string, len(names)), wordKeys: make([][]string, len(names))}
	held := make(map[string]string, len(names))
	for i, n := range names {
		p.keys[i], p.wordKeys[i] = wl.placeKeys(n)
		if _, ok := held[p.keys[i]]; !ok {
			held[p.keys[i]] = n
		}
	}
	for _, f := range wl.formerPlaceNames {
		name, ok := held[f.present]
		if !ok {
			continue
		}
		for _, k := range f.former {
			if _, taken := held[k]; !taken {
				if p.former == nil {
					p.former = map[string]string{}
				}
				p.former[k] = name
			}
		}
	}
	return p
}

// Len is how many names p holds.
func (p *Places) Len() int { return len(p.names) }

// Match is Place of typed against p's names.
func (p *Places) Match(typed string) (kind PlaceKind, found []string) {
	rest, denied := p.afterDenial(typed)
	key, typedWords := p.words.placeKeys(rest)
	kind, found = p.matchKey(key, typedWords, true)
	if denied && kind == PlaceExact {
		kind = PlaceNear // "lucknow nahi, sitapur": confirmed, never taken
	}
	return kind, found
}

// afterDenial is what follows the last negation of typed ("lucknow nahi,
// sitapur" is "sitapur"; "सीतापुर नहीं" is nothing), and whether there was
// one. A word of one of p's names (नई of नई बस्ती) is no negation.
func (p *Places) afterDenial(typed string) (string, bool) {
	fields := strings.Fields(typed)
	for i := len(fields) - 1; i >= 0; i-- {
		ws := words(Normalize(fields[i]), false)
		if len(ws) != 1 || !negations(ws)[0] || p.hasWordKey(wordKey(ws[0])) {
			continue
		}
		return strings.Join(fields[i+1:], " "), true
	}
	return typed, false
}

// hasWordKey tells whether one of p's names has a word of that key.
func (p *Places) hasWordKey(k string) bool {
	for _, wks := range p.wordKeys {
		if slices.Contains(wks, k) {
			return true
		}
	}
	return false
}

// matchKey is Match of a reply of that key, and its words' keys; with
// parts, a part of the reply is looked at when the whole names nothing.
func (p *Places) matchKey(key string, typedWords []string, parts bool) (kind PlaceKind, found []string) {
	if key == "" || p.words.allGeneric(typedWords) {
		return PlaceNone, nil
	}
	if name, ok := p.former[key]; ok { // confirmed: the person sees the name it has now
		return PlaceNear, []string{name}
	}
	type cand struct {
		name string
		dist int
	}
	var same, word, near, prefix []cand
	limit := placeDistance(key)
	for i, name := range p.names {
		nk, wks := p.keys[i], p.wordKeys[i]
		switch {
		case nk == "":
		case nk == key:
			same = append(same, cand{name, 0})
		case len(key) >= minPrefix && slices.Contains(wks, key):
			word = append(word, cand{name, 0})
		default:
			if d := distance(key, nk, limit); d <= limit {
				// Letters left out are likelier than letters changed:
				// the whole reply "shahjanpur" is शाहजहाँपुर (an h left
				// out) before सहारनपुर (a letter changed), at the same
				// distance; a part of a reply is no such guess ("ya
				// bareilly" is not रायबरेली).
				changed := 1
				if parts && len(nk)-len(key) == d {
					changed = 0
				}
				near = append(near, cand{name, 2*d + changed})
			} else if len(key) >= minPrefix && strings.HasPrefix(nk, key) {
				prefix = append(prefix, cand{name, 0})
			}
		}
	}
	pick := func(cs []cand) []string {
		slices.SortStableFunc(cs, func(a, b cand) int { return a.dist - b.dist })
		var out []string
		for _, c := range cs {
			if len(out) == MaxPlaceChoices {
				break
			}
			if !slices.Contains(out, c.name) {
				out = append(out, c.name)
			}
		}
		return out
	}
	switch {
	case len(same) > 0:
		if out := pick(same); len(out) > 1 {
			return PlaceMany, out
		}
		return PlaceExact, []string{same[0].name}
	case len(word) > 0:
		return nearOrMany(pick(word))
	case len(near) > 0:
		out := pick(near)
		if len(out) == 1 || near[0].dist < near[1].dist {
			return PlaceNear, out[:1]
		}
		return PlaceMany, out
	case len(prefix) > 0:
		return nearOrMany(pick(prefix))
	}
	if kind, found := p.nearFormer(key); kind != PlaceNone {
		return kind, found
	}
	if !parts {
		return PlaceNone, nil
	}
	return p.inPart(typedWords)
}

// allGeneric tells whether every one of the keys of a reply's words is
// a generic word: "नगर" alone names none of the नगर's.
func (wl *Words) allGeneric(keys []string) bool {
	for _, k := range keys {
		if !wl.genericPlaceWords[k] {
			return false
		}
	}
	return len(keys) > 0
}

// keyOf is the key of one of p's names.
func (p *Places) keyOf(name string) string {
	if i := slices.Index(p.names, name); i >= 0 {
		return p.keys[i]
	}
	return ""
}

// maxPartWords is the most words of a reply inPart looks into.
const maxPartWords = 6

// inPart finds the name spelt by a part of a reply of several words, when
// the whole names none: "haidergarh block, barabanki" holds the block
// हैदरगढ़ and the district after it. One part naming one name (the same
// or a letter off) gives that name to confirm; parts naming several give them to
// choose from.
func (p *Places) inPart(keys []string) (PlaceKind, []string) {
	if len(keys) > maxPartWords {
		return PlaceNone, nil
	}
	var out []string
	for from := range keys {
		for to := from + 1; to <= len(keys); to++ {
			if to-from == len(keys) {
				continue
			}
			part := strings.Join(keys[from:to], "")
			kind, found := p.matchKey(part, keys[from:to], false)
			if kind != PlaceExact && kind != PlaceNear || distance(part, p.keyOf(found[0]), 1) > 1 {
				continue // a part may be a letter off, no more ("barabanki" is not बंकी)
			}
			if !slices.Contains(out, found[0]) && len(out) < MaxPlaceChoices {
				out = append(out, found[0])
			}
		}
	}
	if len(out) == 0 {
		return PlaceNone, nil
	}
	return nearOrMany(out)
}

// nearFormer is the present name of the one former name near key
// ("Allahbad"), to confirm; none when no or several are near.
func (p *Places) nearFormer(key string) (PlaceKind, []string) {
	best, dist, tie := "", 0, false
	for fk, name := range p.former {
		limit := placeDistance(fk)
		d := distance(key, fk, limit)
		switch {
		case d > limit:
		case best == "" || d < dist:
			best, dist, tie = name, d, false
		case d == dist && name != best:
			tie = true
		}
	}
	if best == "" || tie {
		return PlaceNone, nil
	}
	return PlaceNear, []string{best}
}

// nearOrMany is one name to confirm, or several to choose from.
func nearOrMany(names []string) (PlaceKind, []string) {
	if len(names) == 1 {
		return PlaceNear, names
	}
	return PlaceMany, names
}

// placeDistance is how many letters of a key of that length may differ
// for a name to be near: none for a short key, more for a long one.
func placeDistance(key string) int {
	switch n := len(key); {
	case n <= 3:
		return 0
	case n <= 5:
		return 1
	case n <= 8:
		return 2
	}
	return 3
}

// PlaceKey is the spelling-free key of a place name, the same for
// Devanagari and Latin letters and for the usual ways of writing one:
// "नगर पंचायत अनपरा", "अनपरा", "Anpara", "anpaara" and "अनपारा" are all
// "anpr". The words that only say what kind of place it is (नगर पंचायत,
// ब्लॉक, जिला, gram panchayat …) and the words around a name (से, में,
// hai …) are left out, unless nothing else is left; each word is written
// in Latin letters with the aspiration, vowel length and the inherent a
// left out (only a word's first vowel a stays), e as i and o as u (the
// vowels people write either way), doubled letters once, ड़ and ढ़ as r
// (garh, khera). The English spellings of names are folded to the Hindi
// sounds (see latinKey): "Lucknow" and "लखनऊ", "Unnao" and "उन्नाव" are
// one key or one letter apart.
func (wl *Words) PlaceKey(s string) string {
	key, _ := wl.placeKeys(s)
	return key
}

// placeKeys is PlaceKey of s, and the key of each of its words but the
// kind words (none when only kind words are there).
func (wl *Words) placeKeys(s string) (key string, wordKeys []string) {
	if !isASCII(s) {
		// ड़ and ढ़ are written r in Latin letters (Aligarh, Hapur,
		// Sarwankhera): key them so before Normalize drops the nukta.
		s = flaps.Replace(norm.NFD.String(s))
	}
	ws := words(Normalize(s), false)
	core := wl.dropPlaceWords(ws)
	wordKeys = make([]string, len(core))
	for i, w := range core {
		wordKeys[i] = wordKey(w)
	}
	if len(core) == 0 {
		return keyOf(ws), nil
	}
	return strings.Join(wordKeys, ""), wordKeys
}

// keyOf is the key of words, run together.
func keyOf(ws []string) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(wordKey(w))
	}
	return b.String()
}

// dropPlaceWords leaves out of ws the phrases of placeWords.
func (wl *Words) dropPlaceWords(ws []string) []string {
	var out []string
	for i := 0; i < len(ws); {
		n := 0
		for _, p := range wl.placeWords {
			if len(p) > n && i+len(p) <= len(ws) && slices.Equal(ws[i:i+len(p)], p) {
				n = len(p)
			}
		}
		if n == 0 {
			if isNumber(ws[i]) {
				n = 1 // "वार्ड 5" is no part of a place's name
			} else {
				out = append(out, ws[i])
				n = 1
			}
		}
		i += n
	}
	return out
}

// wordKey writes one normalised word as its key: see PlaceKey.
func wordKey(w string) string {
	var raw string
	if isASCII(w) {
		raw = latinKey(w)
	} else {
		raw = devanagariKey(w)
	}
	// Only a word's first a stays: the inherent a is written in Latin
	// letters and not in Devanagari, and long and short a are one.
	var b strings.Builder
	var last byte
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == 'a' && i > 0 {
			continue
		}
		switch c {
		case 'm':
			if i+1 < len(raw) && (raw[i+1] == 'p' || raw[i+1] == 'b') {
				c = 'n' // चंपा: champa, chanpa
			}
		case 'e':
			c = 'i' // खीरी: kheri, khiri
		case 'o':
			c = 'u' // मऊ: mau; जौनपुर: jonpur, jaunpur, जोनपुर
		}
		if c == last || c == 'y' && last == 'i' {
			continue // doubled letters once (allahabad, इलाहाबाद); ghaziabad, गाजियाबाद
		}
		b.WriteByte(c)
		last = c
	}
	return b.String()
}

// flaps writes the flapped ड़ and ढ़ (decomposed) as र, the way they are
// spelt in Latin letters.
var flaps = strings.NewReplacer("\u0921\u093C", "\u0930", "\u0922\u093C", "\u0930")

// latinReplacements fold the usual spellings of Hindi in Latin letters:
// aspirates to plain consonants, long vowels to short ones.
var latinReplacements = strings.NewReplacer(
	"ck", "k", "chh", "c", "ch", "c", "sh", "s", "ph", "f", "kh", "k", "gh", "g", "th", "t", "dh", "d", "bh", "b", "jh", "j", "rh", "r",
	"aa", "a", "ee", "i", "ii", "i", "oo", "u", "uu", "u", "ai", "e", "ei", "e", "au", "o", "ou", "o",
	"w", "v", "z", "j", "q", "k", "x", "ks",
)

// latinKey writes a Latin word as its key, before wordKey's folds. The
// English spellings of Hindi names are folded too: a y where no vowel
// follows is an i (Hyderabad, हैदराबाद), and at the end of a word ow is ो
// or ू (Lucknow, लखनऊ), ao is आव (Unnao, उन्नाव), ah is आ (Etah, एटा), aun is
// आयूँ (Budaun, बदायूँ).
func latinKey(w string) string {
	w = englishEndings(w)
	if strings.IndexByte(w, 'y') >= 0 {
		b := []byte(w)
		for i, c := range b {
			if c == 'y' && i > 0 && !isLatinVowel(b[i-1]) && (i+1 == len(b) || !isLatinVowel(b[i+1])) {
				b[i] = 'i'
			}
		}
		w = string(b)
	}
	w = latinReplacements.Replace(w)
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r
		}
		return -1
	}, w)
}

// englishEndings folds the English spellings of a word's last sounds: see
// latinKey.
func englishEndings(w string) string {
	if len(w) < 4 {
		return w // "mau", "ah", "dao": too short to tell
	}
	switch {
	case strings.HasSuffix(w, "ow"):
		return w[:len(w)-1]
	case strings.HasSuffix(w, "ao"):
		return w[:len(w)-1] + "v"
	case strings.HasSuffix(w, "ah") && !isLatinVowel(w[len(w)-3]):
		return w[:len(w)-1]
	case strings.HasSuffix(w, "aun") && !isLatinVowel(w[len(w)-4]):
		return w[:len(w)-2] + "yun" // Budaun, बदायूँ
	}
	return w
}

func isLatinVowel(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }

// devanagariLetters writes a Devanagari letter, vowel sign or mark (after
// Normalize: no nukta, ँ as ं) in Latin letters, the aspirates as plain
// consonants, without the inherent a.
var devanagariLetters = map[rune]string{
	'क': "k", 'ख': "k", 'ग': "g", 'घ': "g", 'ङ': "n", 'च': "c", 'छ': "c", 'ज': "j", 'झ': "j", 'ञ': "n",
	'ट': "t", 'ठ': "t", 'ड': "d", 'ढ': "d", 'ण': "n", 'त': "t", 'थ': "t", 'द': "d", 'ध': "d", 'न': "n",
	'प': "p", 'फ': "f", 'ब': "b", 'भ': "b", 'म': "m", 'य': "y", 'र': "r", 'ल': "l", 'ळ': "l", 'व': "v",
	'श': "s", 'ष': "s", 'स': "s", 'ह': "h",
	'अ': "a", 'आ': "a", 'इ': "i", 'ई': "i", 'उ': "u", 'ऊ': "u", 'ऋ': "ri", 'ए': "e", 'ऐ': "e", 'ओ': "o", 'औ': "o", 'ऑ': "o", 'ऍ': "e",
	'ा': "a", 'ि': "i", 'ी': "i", 'ु': "u", 'ू': "u", 'ृ': "ri", 'े': "e", 'ै': "e", 'ो': "o", 'ौ': "o", 'ॉ': "o", 'ॅ': "e",
	'ं': "n", 'ः': "", '्': "",
}

func devanagariKey(w string) string {
	var b strings.Builder
	for _, r := range w {
		if s, ok := devanagariLetters[r]; ok {
			b.WriteString(s)
		} else if r < utf8.RuneSelf {
			b.WriteString(latinKey(string(r)))
		}
	}
	return b.String()
}

// distance is the spelling distance of two keys (bytes: keys are ASCII):
// the letters put in, left out or changed, and two letters swapped
// ("psrd" for "prsd": पाषर्द for पार्षद) counting as one; or limit+1 as
// soon as it is sure to be more than limit.
func distance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	back := make([]int, len(b)+1) // the row before prev, for a swap
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], back[j-2]+1)
			}
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		back, prev, cur = prev, cur, back
	}
	return prev[len(b)]
}
