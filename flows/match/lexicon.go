package match

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Lexicon holds word lists kept as data (locales/words/*.yaml), so that a
// coordinator can add a word without Go: list name ("reasons") → value
// ("health") → phrases ("बीमार*", "तबीयत ठीक नहीं"). A phrase matches as
// whole words after Normalize; a word ending in * matches any word it
// begins ("बीमार*" matches बीमारी); a phrase starting with ~ is weak: it
// counts only when no other phrase matches ("~बेटी").
type Lexicon map[string]map[string][]string

// minStem is the fewest runes a word ending in * must have before the *.
const minStem = 3

// Check names the problems of the lexicon, sorted: a value without
// phrases, a phrase that is empty once normalised, a * stem that is too
// short or a * inside a word, and a phrase listed under two values of one
// list (it could never decide).
func (l Lexicon) Check() []string {
	var problems []string
	for list, values := range l {
		owner := map[string]string{}
		names := make([]string, 0, len(values))
		for v := range values {
			names = append(names, v)
		}
		sort.Strings(names) // the same problem, the same words, every time
		for _, v := range names {
			ps := values[v]
			if v == "" {
				problems = append(problems, fmt.Sprintf("%s: a value without a name", list))
			}
			if len(ps) == 0 {
				problems = append(problems, fmt.Sprintf("%s.%s: no words", list, v))
			}
			for _, p := range ps {
				ws, err := phraseWords(p)
				if err != "" {
					problems = append(problems, fmt.Sprintf("%s.%s: %q: %s", list, v, p, err))
					continue
				}
				key := fmt.Sprint(ws)
				if o, ok := owner[key]; ok && o != v {
					problems = append(problems, fmt.Sprintf("%s.%s: %q is also under %s", list, v, p, o))
				}
				owner[key] = v
			}
		}
	}
	sort.Strings(problems)
	return problems
}

// phraseWord is a word of a phrase; prefix says it ended in *.
type phraseWord struct {
	text   string
	prefix bool
}

// phraseWords splits a phrase into its normalised words, or gives the id
// of the Problem that says what is wrong with it.
func phraseWords(p string) ([]phraseWord, string) {
	p = strings.TrimPrefix(p, "~")
	var out []phraseWord
	for _, f := range strings.Fields(p) {
		star := strings.HasSuffix(f, "*")
		f = strings.TrimSuffix(f, "*")
		if strings.Contains(f, "*") {
			return nil, ProblemStarInside
		}
		ws := words(Normalize(f), true)
		if len(ws) == 0 {
			return nil, ProblemNoLetters
		}
		for i, w := range ws {
			pw := phraseWord{text: w, prefix: star && i == len(ws)-1}
			if pw.prefix && utf8.RuneCountInString(w) < minStem {
				return nil, ProblemShortStem
			}
			out = append(out, pw)
		}
	}
	if len(out) == 0 {
		return nil, ProblemNoLetters
	}
	return out, ""
}

// Match finds the value of list that text names: the one whose phrase
// occurs in it. A phrase lying inside a longer phrase of another value
// does not count ("तबीयत ठीक नहीं" is health even if "ठीक" were listed
// elsewhere); two values left is no match, and so is none.
func (l Lexicon) Match(list, text string) (string, bool) {
	in := words(Normalize(text), true)
	for i, w := range in {
		in[i] = foldVowels(squeeze(w, 2))
	}
	type span struct {
		value      string
		start, end int
	}
	var spans, weak []span
	for v, ps := range l[list] {
		for _, p := range ps {
			ws, bad := phraseWords(p)
			if bad != "" {
				continue
			}
			for i := range ws {
				ws[i].text = foldVowels(ws[i].text)
			}
			for at := 0; at+len(ws) <= len(in); at++ {
				switch {
				case !phraseAt(in, at, ws):
				case strings.HasPrefix(p, "~"):
					weak = append(weak, span{v, at, at + len(ws)})
				default:
					spans = append(spans, span{v, at, at + len(ws)})
				}
			}
		}
	}
	if len(spans) == 0 {
		spans = weak
	}
	var found []string
	for _, a := range spans {
		inside := slices.ContainsFunc(spans, func(b span) bool {
			return a.value != b.value && b.start <= a.start && a.end <= b.end && b.end-b.start > a.end-a.start
		})
		if !inside && !slices.Contains(found, a.value) {
			found = append(found, a.value)
		}
	}
	if len(found) != 1 {
		return "", false
	}
	return found[0], true
}

// foldVowels writes a word's vowels without their length, the way people
// type them either way: in Latin letters oo as u, ee as i and a doubled
// vowel as one ("kataai" is "katai", "duur" and "door" are "dur"), in
// Devanagari ी as ि, ू as ु, ई as इ, ऊ as उ and ॉ as ा ("बिमार" is
// "बीमार", "दुर" is "दूर", "कटाइ" is "कटाई", "डाक्टर" is "डॉक्टर"). Both
// the reply and the phrases are folded.
func foldVowels(w string) string {
	w = strings.NewReplacer("oo", "u", "ee", "i").Replace(w)
	var b strings.Builder
	var last rune
	for _, r := range w {
		switch r {
		case 'ी':
			r = 'ि'
		case 'ू':
			r = 'ु'
		case 'ई':
			r = 'इ'
		case 'ऊ':
			r = 'उ'
		case 'ॉ':
			r = 'ा'
		case 'ऑ':
			r = 'आ'
		}
		if r == last && strings.ContainsRune("aeiou", r) {
			continue
		}
		b.WriteRune(r)
		last = r
	}
	return b.String()
}

func phraseAt(in []string, at int, ws []phraseWord) bool {
	for i, w := range ws {
		t := in[at+i]
		if t != w.text && !(w.prefix && strings.HasPrefix(t, w.text)) {
			return false
		}
	}
	return true
}

// LexiconFile is one file of word lists (locales/words/<name>.<lang>.yaml):
// its name, as problems name it, and what it holds.
type LexiconFile struct {
	Name string
	Data []byte
}

// ReadLexicon reads files of word lists, in order, into one Lexicon: list
// name → value → phrases, the later files' phrases after the earlier
// ones'. It names every problem with its file and line: a file that does
// not read, a list or value that holds no phrases, a malformed phrase
// (see Check), a phrase twice under one value, and a phrase under two
// values of one list. With problems the Lexicon is nil.
func ReadLexicon(files ...LexiconFile) (Lexicon, []Problem) {
	lex := Lexicon{}
	var problems []Problem
	var es []entry
	problem := func(file string, line int, id string, args ...string) {
		problems = append(problems, problemAt(file, line, id, args...))
	}
	for _, f := range files {
		var doc yaml.Node
		if err := yaml.Unmarshal(f.Data, &doc); err != nil {
			problem(f.Name, yamlErrLine(err), ProblemUnreadable, "err", err.Error())
			continue
		}
		if len(doc.Content) == 0 {
			continue
		}
		top := doc.Content[0]
		if top.Kind != yaml.MappingNode {
			problem(f.Name, top.Line, ProblemNotList, "key", f.Name)
			continue
		}
		for i := 0; i+1 < len(top.Content); i += 2 {
			list, values := top.Content[i].Value, top.Content[i+1]
			if values.Kind != yaml.MappingNode || len(values.Content) == 0 {
				problem(f.Name, values.Line, ProblemNotList, "key", list)
				continue
			}
			if lex[list] == nil {
				lex[list] = map[string][]string{}
			}
			for j := 0; j+1 < len(values.Content); j += 2 {
				v, ps := values.Content[j].Value, values.Content[j+1]
				key := list + "." + v
				if ps.Kind != yaml.SequenceNode || len(ps.Content) == 0 {
					problem(f.Name, ps.Line, ProblemEmpty, "key", key)
					continue
				}
				for _, p := range ps.Content {
					ws, bad := phraseWords(p.Value)
					switch {
					case p.Kind != yaml.ScalarNode:
						problem(f.Name, p.Line, ProblemNotList, "key", key)
					case strings.TrimSpace(p.Value) == "":
						problem(f.Name, p.Line, ProblemEmpty, "key", key)
					case bad != "":
						problem(f.Name, p.Line, bad, "key", key, "word", p.Value, "min", fmt.Sprint(minStem))
					default:
						lex[list][v] = append(lex[list][v], p.Value)
						es = append(es, entry{file: f.Name, line: p.Line, field: key, value: v, word: p.Value, key: fmt.Sprint(ws)})
					}
				}
			}
		}
	}
	problems = append(problems, clashes("", es)...)
	if len(problems) > 0 {
		return nil, problems
	}
	return lex, nil
}
