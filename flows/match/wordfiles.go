package match

import (
	"fmt"
	"io/fs"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	wordfiles "github.com/saathi-bot/saathi/locales/words"
)

// Problem is what is wrong with one place of a word file: the file (as
// named to ReadWords: "yesno.yaml"), its line (0 for the whole file), and
// the message id and values that say what, in the user's language
// (locales/wordcheck.*.yaml).
type Problem struct {
	File string
	Line int
	ID   string
	Args map[string]string
}

// String says the problem in English, for logs and tests.
func (p Problem) String() string {
	keys := sortedKeys(p.Args)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + p.Args[k]
	}
	return fmt.Sprintf("%s:%d: %s %s", p.File, p.Line, p.ID, strings.Join(parts, " "))
}

// The message ids of Problem.
const (
	ProblemFileName   = "words.bad_file_name" // args: names
	ProblemUnreadable = "words.unreadable"    // args: err
	ProblemUnknownKey = "words.unknown_key"   // args: key, known
	ProblemNotList    = "words.not_list"      // args: key
	ProblemBadValue   = "words.bad_value"     // args: key, value, known
	ProblemEmpty      = "words.empty"         // args: key
	ProblemOneWord    = "words.one_word"      // args: key, word
	ProblemDuplicate  = "words.duplicate"     // args: key, word, in (the earlier one's file when another), at (its line)
	ProblemCollision  = "words.collision"     // args: key, word, other (its list), in, at
	ProblemStarInside = "words.star_inside"   // args: key, word
	ProblemShortStem  = "words.short_stem"    // args: key, word, min
	ProblemNoLetters  = "words.no_letters"    // args: key, word
	ProblemListName   = "words.bad_list_name" // args: example
	ProblemLang       = "words.bad_lang"      // args: lang, langs
)

// problemAt is the problem id at file and line, with args as name, value, …
func problemAt(file string, line int, id string, args ...string) Problem {
	p := Problem{File: file, Line: line, ID: id, Args: map[string]string{}}
	for i := 0; i+1 < len(args); i += 2 {
		p.Args[args[i]] = args[i+1]
	}
	return p
}

// entry is one word of a word file, where it stands and what it means.
type entry struct {
	file  string
	line  int
	field string // "words", or "words.yes" under a value
	value string // "yes"; "" in a plain list
	word  string
	key   string // what the word is compared by: word, once normalised
}

// readTables reads the built-in table files and then those of extra, adds
// each file's words to its table, and checks the whole.
func readTables(extra []fs.FS) (*tableFiles, []Problem) {
	t := &tableFiles{}
	var problems []Problem
	entries := map[string][]entry{} // table → its words, in order
	builtinKeys := map[string]map[string][]string{}
	read := func(fsys fs.FS, path, name, table string, builtin bool) {
		buf, err := fs.ReadFile(fsys, path)
		if err != nil {
			problems = append(problems, Problem{File: name, ID: ProblemUnreadable, Args: map[string]string{"err": err.Error()}})
			return
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(buf, &doc); err != nil {
			problems = append(problems, Problem{File: name, Line: yamlErrLine(err), ID: ProblemUnreadable, Args: map[string]string{"err": err.Error()}})
			return
		}
		if len(doc.Content) == 0 {
			return // an empty file adds nothing
		}
		var keys map[string][]string
		if !builtin {
			keys = builtinKeys[table]
		}
		es, ps := fileEntries(name, doc.Content[0], reflect.TypeOf(t.file(table)).Elem(), keys)
		problems = append(problems, ps...)
		if len(ps) > 0 {
			return
		}
		if builtin {
			builtinKeys[table] = valueKeys(es)
		}
		entries[table] = append(entries[table], es...)
		part := reflect.New(reflect.TypeOf(t.file(table)).Elem())
		if err := doc.Content[0].Decode(part.Interface()); err != nil {
			problems = append(problems, Problem{File: name, ID: ProblemUnreadable, Args: map[string]string{"err": err.Error()}})
			return
		}
		mergeInto(reflect.ValueOf(t.file(table)).Elem(), part.Elem())
	}
	for _, table := range tableNames {
		read(wordfiles.Match, "match/"+table+".yaml", "locales/words/match/"+table+".yaml", table, true)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	for _, fsys := range extra {
		names, err := fs.Glob(fsys, "*.yaml")
		if err != nil {
			problems = append(problems, Problem{File: ".", ID: ProblemUnreadable, Args: map[string]string{"err": err.Error()}})
			continue
		}
		for _, name := range names {
			table, lang, _ := strings.Cut(strings.TrimSuffix(name, ".yaml"), ".")
			if t.file(table) == nil || strings.Contains(lang, ".") {
				problems = append(problems, Problem{File: name, ID: ProblemFileName, Args: map[string]string{"names": strings.Join(tableNames, ", ")}})
				continue
			}
			read(fsys, name, name, table, false)
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	spell := &Words{wordSpellings: byWord(t.yesno.Spellings, normWord)}
	// Former names are compared as places are, by PlaceKey.
	placeKeys := &Words{placeWords: placeWordsOf(t.places)}
	for _, table := range tableNames {
		es := entries[table]
		for i, e := range es {
			f, _, _ := strings.Cut(e.field, ".")
			switch {
			case table == "yesno" && f != "spellings" && f != "verb_stems" && f != "verb_endings":
				es[i].key = spell.canonPhrase(e.word)
			case table == "places" && f == "former_names":
				es[i].key = placeKeys.PlaceKey(e.word)
			case table == "places" || table == "names" || f == "zero" || f == "neither_nor":
				es[i].key = strings.Join(words(Normalize(e.word), false), " ")
			default:
				es[i].key = normWord(e.word)
			}
		}
		problems = append(problems, clashes(table, es)...)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return t, nil
}

// yamlErrLine is the line a YAML error names, or 0.
func yamlErrLine(err error) int {
	var line int
	if _, e := fmt.Sscanf(strings.TrimPrefix(err.Error(), "yaml: "), "line %d:", &line); e != nil {
		return 0
	}
	return line
}

// valueKeys are the values of each field of a built-in file: "words" →
// yes, no, maybe, …
func valueKeys(es []entry) map[string][]string {
	out := map[string][]string{}
	for _, e := range es {
		f, _, _ := strings.Cut(e.field, ".")
		if e.value != "" && !slices.Contains(out[f], e.value) {
			out[f] = append(out[f], e.value)
		}
	}
	return out
}

// openFields are the fields of a coordinator's file that may bring values
// the built-in file does not have: a new canonical word with its
// spellings, a place with its former names.
var openFields = map[string]bool{"spellings": true, "former_names": true}

// fileEntries lists the words of one file whose top mapping is top, for a
// file type typ. known, for a coordinator's file, holds the values each
// field of the built-in file has: another value is a problem.
func fileEntries(file string, top *yaml.Node, typ reflect.Type, known map[string][]string) ([]entry, []Problem) {
	var es []entry
	var ps []Problem
	problem := func(line int, id string, args ...string) {
		ps = append(ps, problemAt(file, line, id, args...))
	}
	if top.Kind != yaml.MappingNode {
		problem(top.Line, ProblemNotList, "key", file)
		return nil, ps
	}
	fields := map[string]reflect.StructField{}
	var names []string
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		fields[name] = f
		names = append(names, name)
	}
	list := func(key string, n *yaml.Node, field reflect.StructField, value string) {
		if n.Kind != yaml.SequenceNode {
			problem(n.Line, ProblemNotList, "key", key)
			return
		}
		if len(n.Content) == 0 {
			problem(n.Line, ProblemEmpty, "key", key)
		}
		for _, w := range n.Content {
			switch {
			case w.Kind != yaml.ScalarNode:
				problem(w.Line, ProblemNotList, "key", key)
			case strings.TrimSpace(w.Value) == "":
				problem(w.Line, ProblemEmpty, "key", key)
			case field.Tag.Get("words") != "phrase" && len(strings.Fields(normWord(w.Value))) > 1:
				problem(w.Line, ProblemOneWord, "key", key, "word", w.Value)
			default:
				es = append(es, entry{file: file, line: w.Line, field: key, value: value, word: w.Value})
			}
		}
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		field, ok := fields[k.Value]
		if !ok {
			problem(k.Line, ProblemUnknownKey, "key", k.Value, "known", strings.Join(names, ", "))
			continue
		}
		if field.Type.Kind() == reflect.Slice {
			list(k.Value, v, field, "")
			continue
		}
		if v.Kind != yaml.MappingNode {
			problem(v.Line, ProblemNotList, "key", k.Value)
			continue
		}
		for j := 0; j+1 < len(v.Content); j += 2 {
			vk, vv := v.Content[j], v.Content[j+1]
			value := vk.Value
			if !goodValue(k.Value, value, field.Type.Key().Kind()) || (known != nil && !openFields[k.Value] && !slices.Contains(known[k.Value], value)) {
				problem(vk.Line, ProblemBadValue, "key", k.Value, "value", value, "known", listed(known[k.Value]))
				continue
			}
			list(k.Value+"."+value, vv, field, value)
		}
	}
	return es, ps
}

// listed joins names for a message, the first dozen of a long list.
func listed(names []string) string {
	if len(names) > 12 {
		return strings.Join(names[:12], ", ") + ", …"
	}
	return strings.Join(names, ", ")
}

// goodValue reports whether value can be a key of field: a number where
// the file's values are numbers, a decimal fraction for the fractions.
func goodValue(field, value string, kind reflect.Kind) bool {
	switch {
	case kind == reflect.Int || kind == reflect.Int64:
		_, err := strconv.ParseInt(value, 10, 64)
		return err == nil
	case field == "fractions" || field == "modifiers":
		_, ok := thousandths(value)
		return ok
	}
	return value != ""
}

// exclusive are the lists of a table whose words must differ: a word in
// both would say two opposite things.
var exclusive = map[string][][2]string{
	"numbers":  {{"more", "less"}},
	"dates":    {{"last", "next"}, {"last", "coming"}},
	"counting": {{"fractions", "modifiers"}},
}

// clashes finds, among the words of one table, a word listed twice in one
// list of one file (a duplicate), and a word under two values of one list, or in two
// lists that exclude each other (a collision: a yes-word that is also a
// no-word). The later one is named, with where the earlier one stands.
func clashes(table string, es []entry) []Problem {
	var ps []Problem
	seen := map[string]entry{} // group + "\x00" + key → first entry
	group := func(field string) string {
		f, _, _ := strings.Cut(field, ".")
		for _, pair := range exclusive[table] {
			if f == pair[1] {
				return pair[0]
			}
		}
		return f
	}
	for _, e := range es {
		id := group(e.field) + "\x00" + e.key
		old, ok := seen[id]
		if !ok {
			seen[id] = e
			continue
		}
		in := ""
		if old.file != e.file {
			in = old.file
		}
		at := strconv.Itoa(old.line)
		switch {
		case old.field == e.field && (old.file != e.file || strings.HasPrefix(e.field, "former_names.")):
			// The word is known already (the built-in list has it, or
			// another language's), or is another spelling of a former
			// name ("इलाहाबाद", "allahabad" key alike): no harm.
		case old.field == e.field:
			ps = append(ps, Problem{File: e.file, Line: e.line, ID: ProblemDuplicate, Args: map[string]string{"key": e.field, "word": e.word, "in": in, "at": at}})
		default:
			ps = append(ps, Problem{File: e.file, Line: e.line, ID: ProblemCollision, Args: map[string]string{"key": e.field, "word": e.word, "other": old.field, "in": in, "at": at}})
		}
	}
	return ps
}

// mergeInto adds the lists of src to those of dst, two values of one table
// file type: a list's words after dst's, a value's words after dst's words
// of that value.
func mergeInto(dst, src reflect.Value) {
	for i := range dst.NumField() {
		d, s := dst.Field(i), src.Field(i)
		switch d.Kind() {
		case reflect.Slice:
			d.Set(reflect.AppendSlice(d, s))
		case reflect.Map:
			if d.IsNil() {
				d.Set(reflect.MakeMap(d.Type()))
			}
			for _, k := range s.MapKeys() {
				old := d.MapIndex(k)
				if !old.IsValid() {
					old = reflect.Zero(d.Type().Elem())
				}
				d.SetMapIndex(k, reflect.AppendSlice(old, s.MapIndex(k)))
			}
		}
	}
}
