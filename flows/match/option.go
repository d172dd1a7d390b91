package match

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// minPrefix is the fewest runes a typed prefix of a label must have.
const minPrefix = 3

// Option picks one of several options. labels[i] holds every acceptable label of option i (e.g. Hindi label, English label,
// aliases). It matches, in order: the option's 1-based number in Latin or Devanagari digits, possibly decorated
// ("2", "२", "2)", "2.", "no. 2", "नंबर 2", "option 2"); a label equal after Normalize; a label equal after also removing
// all spaces and matras-insensitive folding is NOT required, but a unique prefix of at least 3 runes of one label, or the input
// containing exactly one option's whole label as a word sequence, is accepted. Returns the 0-based index, or ok=false when
// nothing or more than one option matches.
//
// The rules are tried one after another and the first that matches anything
// decides: a number out of range, or a rule matched by two options, gives
// ok=false without trying the next rule. Labels are compared by their words,
// so "हाँ सही है" equals the label "✅ हाँ, सही है", and with spaces removed
// ("ग्रामप्रधान" equals "ग्राम प्रधान"). When the input holds two labels and
// one lies inside the other ("पता नहीं" holds "नहीं"), the longer one counts;
// a number beside a contained label must agree with it ("1 पार्षद" is
// rejected when पार्षद is option 2). A label followed by a negation
// ("प्रधान नहीं, वार्ड मेंबर हूँ", "ward member nahi hu") does not count.
//
// When nothing matches so, the words are compared by their spelling-free
// keys (see PlaceKey: "pardhan" and "प्रधान", "पार्सद" and "पार्षद" are one
// key), the whole reply to a whole label; and last, a reply of a few words within a
// letter or two of one label's key, and closer to it than to any other
// ("ward membar", "femail"), is that option.
func Option(s string, labels [][]string) (index int, ok bool) {
	n := Normalize(s)
	if n == "" {
		return -1, false
	}
	in := words(n, false)
	if num, isNum := optionNumber(in); isNum {
		if num < 1 || num > len(labels) {
			return -1, false
		}
		return num - 1, true
	}
	in = withoutWardNumber(in)
	forms := labelForms(labels)
	keyed, keyedForms := keyWords(in), keyedLabelForms(forms)
	var found []int
	for _, rule := range []func() ([]int, bool){
		func() ([]int, bool) { return equalLabel(n, in, forms), false },
		func() ([]int, bool) { return prefixLabel(in, forms), false },
		func() ([]int, bool) { return containedLabel(in, negations(in), forms) },
		func() ([]int, bool) { return equalLabel("", keyed, keyedForms), false },
		func() ([]int, bool) { return nearLabel(keyed, keyedForms), false },
	} {
		var denied bool
		// The first rule that finds anything decides; so does a label
		// denied ("प्रधान नहीं हूँ"): nothing looser is tried.
		if found, denied = rule(); len(found) > 0 || denied {
			break
		}
	}
	if len(found) != 1 {
		return -1, false
	}
	return found[0], true
}

// negations marks the words of in that negate what stands before them
// ("नहीं", "nahi", "not").
func negations(in []string) []bool {
	out := make([]bool, len(in))
	for i, w := range in {
		switch builtin.wordSpellings[normWord(w)] {
		case "nahi", "not", "mat":
			out[i] = true
		}
	}
	return out
}

// keyWords are the spelling-free keys of words (see PlaceKey); a number
// stays as it is.
func keyWords(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		if isNumber(w) {
			out[i] = w
		} else {
			out[i] = wordKey(w)
		}
	}
	return out
}

// keyedLabelForms are forms with each word written as its key; a label
// whose words have no key (an emoji) is left out.
func keyedLabelForms(forms [][][]string) [][][]string {
	out := make([][][]string, len(forms))
	for i, ls := range forms {
		for _, l := range ls {
			if k := keyWords(l); strings.Join(k, "") != "" {
				out[i] = append(out[i], k)
			}
		}
	}
	return out
}

// maxNearWords is the most words a reply may have to be compared with the
// labels letter by letter (nearLabel).
const maxNearWords = 3

// nearLabel finds the option with a label whose key is within a small
// spelling distance of the whole reply's (placeDistance, but never more
// than 2), when it is strictly closer than every other option's label.
func nearLabel(in []string, forms [][][]string) []int {
	if len(in) == 0 || len(in) > maxNearWords {
		return nil
	}
	typed := strings.Join(in, "")
	limit := min(placeDistance(typed), 2)
	if limit == 0 {
		return nil
	}
	best, bestDist, tie := -1, limit+1, false
	for i, labels := range forms {
		for _, l := range labels {
			d := distance(typed, strings.Join(l, ""), limit)
			switch {
			case d > limit || d > bestDist:
			case d < bestDist:
				best, bestDist, tie = i, d, false
			case i != best:
				tie = true
			}
		}
	}
	if best < 0 || tie {
		return nil
	}
	return []int{best}
}

// optionNumber reads an option number with its decoration: "2", "no. 2",
// "नंबर 2", "option 2", "2 नंबर".
func optionNumber(in []string) (int, bool) {
	num, digits := 0, 0
	for _, w := range in {
		if numberDecoration[w] {
			continue
		}
		v, err := strconv.Atoi(w) // words are digit runs or letter runs, never signed
		if err != nil {
			return 0, false
		}
		num, digits = v, digits+1
	}
	return num, digits == 1
}

// withoutWardNumber leaves out the number of a ward said with its word, and
// the "of" after it: "वार्ड नंबर 5 की सदस्या" is "वार्ड सदस्या", "ward 12 ka
// member" "ward member"; the ward's number is not an option's. The words of
// in stay when no number follows the ward's word.
func withoutWardNumber(in []string) []string {
	for i := 0; i+1 < len(in); i++ {
		if !wardWords[in[i]] {
			continue
		}
		j := i + 1
		for j < len(in) && numberDecoration[in[j]] {
			j++
		}
		if j == len(in) {
			return in
		}
		if _, err := strconv.Atoi(in[j]); err != nil {
			continue
		}
		j++
		if j < len(in) && wardOf[in[j]] {
			j++
		}
		return append(slices.Clip(in[:i+1]), in[j:]...)
	}
	return in
}

// wardWords are the word for a ward, normalised, and wardOf the "of" after
// its number.
var (
	wardWords = normalizedSet("वार्ड", "वॉर्ड", "ward", "vard")
	wardOf    = normalizedSet("का", "की", "के", "से", "ka", "ki", "ke", "se")
)

func normalizedSet(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[Normalize(w)] = true
	}
	return m
}

// numberDecoration holds the words people put around an option number.
var numberDecoration = map[string]bool{
	"no": true, "num": true, "number": true, "nr": true, "option": true, "opt": true, "choice": true,
	"नंबर": true, "नम्बर": true, "नं": true, "विकल्प": true, "vikalp": true, "nambar": true, "namber": true,
}

// labelForms returns, for each option, the word form of each of its labels;
// a label with no letters or digits (an emoji) keeps its normalised form as
// its one word.
func labelForms(labels [][]string) [][][]string {
	forms := make([][][]string, len(labels))
	for i, ls := range labels {
		for _, l := range ls {
			n := Normalize(l)
			w := words(n, false)
			if len(w) == 0 && n != "" {
				w = []string{n}
			}
			if len(w) > 0 {
				forms[i] = append(forms[i], w)
			}
		}
	}
	return forms
}

// equalLabel finds the options with a label equal to the input: the same
// normalised text, the same words, or the same words without spaces.
func equalLabel(n string, in []string, forms [][][]string) []int {
	joined := strings.Join(in, "")
	return options(forms, func(label []string) bool {
		return (len(label) == 1 && label[0] == n) || (joined != "" && strings.Join(label, "") == joined)
	})
}

// prefixLabel finds the options with a label that starts with the input,
// when the input is at least minPrefix runes long.
func prefixLabel(in []string, forms [][][]string) []int {
	typed := strings.Join(in, " ")
	if utf8.RuneCountInString(typed) < minPrefix {
		return nil
	}
	return options(forms, func(label []string) bool {
		return strings.HasPrefix(strings.Join(label, " "), typed)
	})
}

// options returns, in order and once each, the options with a label for which
// match is true.
func options(forms [][][]string, match func([]string) bool) []int {
	var found []int
	for i, labels := range forms {
		for _, l := range labels {
			if match(l) {
				found = append(found, i)
				break
			}
		}
	}
	return found
}

// containedLabel finds the options whose whole label occurs in the input as a
// run of words. A match lying inside a longer match of another option is
// dropped: "पता नहीं" is the option "पता नहीं", not "नहीं". A number beside
// the label counts as its option too, so "1 पार्षद" is ambiguous when पार्षद
// is option 2. A label followed by a negation ("प्रधान नहीं") is no
// match, and covers no other; a negation that is a label's word itself
// negates nothing ("हाँ नहीं" names two options).
//
// denied tells that a label was there, negated.
func containedLabel(in []string, negated []bool, forms [][][]string) (found []int, denied bool) {
	type span struct{ option, start, end int }
	var all []span
	labelled := make([]bool, len(in))
	for i, labels := range forms {
		for _, l := range labels {
			for at := indexSeq(in, l, 0); at >= 0; at = indexSeq(in, l, at+1) {
				all = append(all, span{i, at, at + len(l)})
				for k := at; k < at+len(l); k++ {
					labelled[k] = true
				}
			}
		}
	}
	var spans []span
	for _, a := range all {
		if a.end == len(in) || !negated[a.end] || labelled[a.end] {
			spans = append(spans, a)
		} else {
			denied = true
		}
	}
	inside := func(a, b span) bool { // a strictly inside b
		return a.option != b.option && b.start <= a.start && a.end <= b.end && b.end-b.start > a.end-a.start
	}
	for _, a := range spans {
		covered := false
		for _, b := range spans {
			covered = covered || inside(a, b)
		}
		if !covered && !slices.Contains(found, a.option) {
			found = append(found, a.option)
		}
	}
	if len(found) == 0 {
		return nil, denied
	}
	for at, w := range in {
		inLabel := slices.ContainsFunc(spans, func(s span) bool { return s.start <= at && at < s.end })
		if num, err := strconv.Atoi(w); err == nil && !inLabel && num >= 1 && num <= len(forms) && !slices.Contains(found, num-1) {
			found = append(found, num-1)
		}
	}
	return found, denied
}
