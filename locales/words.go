package locales

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/saathi-bot/saathi/flows/match"
)

//go:embed words/*.yaml
var embeddedWords embed.FS

// WordsDir is the folder, beside the message files, that holds the word
// lists: words/<name>.<lang>.yaml.
const WordsDir = "words"

// LoadWords reads the word lists that replies are matched against: the
// embedded words/*.yaml, then words/*.yaml of each extra file system (the
// same ones Load takes), whose words are added to the built-in ones. It
// fails on any problem ReadWordLists names.
func LoadWords(extra ...fs.FS) (match.Lexicon, error) {
	lex, problems := ReadWordLists(extra...)
	if len(problems) > 0 {
		lines := make([]string, len(problems))
		for i, p := range problems {
			lines[i] = p.String()
		}
		return nil, fmt.Errorf("word lists: %s", strings.Join(lines, "; "))
	}
	return lex, nil
}

// ReadWordLists is LoadWords naming every problem with its file (relative
// to the locales folder: words/mine.hi.yaml) and line: a file not named
// <name>.<lang>.yaml or that does not read, and what match.ReadLexicon
// finds. With problems the Lexicon is nil.
func ReadWordLists(extra ...fs.FS) (match.Lexicon, []match.Problem) {
	var files []match.LexiconFile
	var problems []match.Problem
	for i, fsys := range append([]fs.FS{embeddedWords}, extra...) {
		names, err := fs.Glob(fsys, WordsDir+"/*.yaml")
		if err != nil {
			problems = append(problems, match.Problem{File: WordsDir, ID: match.ProblemUnreadable, Args: map[string]string{"err": err.Error()}})
			continue
		}
		for _, name := range names {
			shown := name
			if i == 0 {
				shown = "locales/" + name // built in
			}
			parts := strings.Split(path.Base(name), ".")
			if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
				problems = append(problems, match.Problem{File: shown, ID: match.ProblemListName, Args: map[string]string{"example": "reasons.hi.yaml"}})
				continue
			}
			buf, err := fs.ReadFile(fsys, name)
			if err != nil {
				problems = append(problems, match.Problem{File: shown, ID: match.ProblemUnreadable, Args: map[string]string{"err": err.Error()}})
				continue
			}
			files = append(files, match.LexiconFile{Name: shown, Data: buf})
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return match.ReadLexicon(files...)
}

// TablesDir is the folder of the word tables replies are read with (yes
// and no, commands, numbers, dates, …), beside the word lists:
// words/match/<table>.yaml, or <table>.<lang>.yaml.
const TablesDir = WordsDir + "/match"

// LoadTables reads the built-in word tables (words/match) and adds the
// words of words/match/*.yaml of each extra file system (the same ones
// Load takes). The problems, when there are any, name the file (relative
// to the locales folder: words/match/yesno.yaml) and line; Catalog.Problem
// says one in a language.
func LoadTables(extra ...fs.FS) (*match.Words, []match.Problem) {
	subs := make([]fs.FS, 0, len(extra))
	for _, fsys := range extra {
		sub, err := fs.Sub(fsys, TablesDir)
		if err != nil {
			return nil, []match.Problem{{File: TablesDir, ID: match.ProblemUnreadable, Args: map[string]string{"err": err.Error()}}}
		}
		subs = append(subs, sub)
	}
	tables, problems := match.ReadWords(subs...)
	for i := range problems {
		problems[i].File = path.Join(TablesDir, problems[i].File)
	}
	return tables, problems
}

// Problem says p, a problem of a word file, in lang, after its file (in
// dir, the locales folder it was read from) and line:
// "dir/words/match/yesno.yaml:12: …".
func (c *Catalog) Problem(lang, dir string, p match.Problem) string {
	where := path.Join(dir, p.File)
	if p.Line > 0 {
		where += ":" + strconv.Itoa(p.Line)
	}
	return where + ": " + c.Text(lang, p.ID, p.Args)
}

// WordFileLangs names each word file of extra (words/<name>.<lang>.yaml,
// words/match/<table>.<lang>.yaml) whose language is none of c's: its
// words would be read, but the name says something untrue.
func (c *Catalog) WordFileLangs(extra ...fs.FS) []match.Problem {
	langs := c.Languages()
	var problems []match.Problem
	for _, fsys := range extra {
		for _, pattern := range []string{WordsDir + "/*.yaml", TablesDir + "/*.yaml"} {
			names, _ := fs.Glob(fsys, pattern) // a bad pattern is no coordinator's mistake
			for _, name := range names {
				parts := strings.Split(path.Base(name), ".")
				if len(parts) == 3 && parts[1] != "" && !slices.Contains(langs, parts[1]) {
					problems = append(problems, match.Problem{File: name, ID: match.ProblemLang, Args: map[string]string{"lang": parts[1], "langs": strings.Join(langs, ", ")}})
				}
			}
		}
	}
	return problems
}
