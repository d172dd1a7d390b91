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
// rejected when पार्षद is option 2).
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
	forms := labelForms(labels)
	for _, rule := range []func(string, []string, [][][]string) []int{equalLabel, prefixLabel, containedLabel} {
		switch found := rule(n, in, forms); len(found) {
		case 0:
			continue
		case 1:
			return found[0], true
		default:
			return -1, false
		}
	}
	return -1, false
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
func prefixLabel(_ string, in []string, forms [][][]string) []int {
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
// is option 2.
func containedLabel(_ string, in []string, forms [][][]string) []int {
	type span struct{ option, start, end int }
	var spans []span
	for i, labels := range forms {
		for _, l := range labels {
			for at := indexSeq(in, l, 0); at >= 0; at = indexSeq(in, l, at+1) {
				spans = append(spans, span{i, at, at + len(l)})
			}
		}
	}
	inside := func(a, b span) bool { // a strictly inside b
		return a.option != b.option && b.start <= a.start && a.end <= b.end && b.end-b.start > a.end-a.start
	}
	var found []int
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
		return nil
	}
	for at, w := range in {
		inLabel := slices.ContainsFunc(spans, func(s span) bool { return s.start <= at && at < s.end })
		if num, err := strconv.Atoi(w); err == nil && !inLabel && num >= 1 && num <= len(forms) && !slices.Contains(found, num-1) {
			found = append(found, num-1)
		}
	}
	return found
}
