package locales

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

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
// fails on a file that does not parse, is not named <name>.<lang>.yaml,
// or gives the lexicon a problem (see match.Lexicon.Check).
func LoadWords(extra ...fs.FS) (match.Lexicon, error) {
	lex, problems := loadWords(extra)
	if len(problems) > 0 {
		return nil, fmt.Errorf("word lists: %s", strings.Join(problems, "; "))
	}
	return lex, nil
}

// CheckWords names every problem of the word lists LoadWords would read,
// each with its file: for `saathi flows check`.
func CheckWords(extra ...fs.FS) []string {
	_, problems := loadWords(extra)
	return problems
}

func loadWords(extra []fs.FS) (match.Lexicon, []string) {
	lex := match.Lexicon{}
	var problems []string
	for _, fsys := range append([]fs.FS{embeddedWords}, extra...) {
		names, err := fs.Glob(fsys, WordsDir+"/*.yaml")
		if err != nil {
			problems = append(problems, fmt.Sprintf("list word files: %v", err))
			continue
		}
		for _, name := range names {
			part, err := readWords(fsys, name)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			for _, p := range part.Check() {
				problems = append(problems, path.Base(name)+": "+p)
			}
			lex.Add(part)
		}
	}
	if len(problems) == 0 { // each file is sound; do they agree?
		problems = lex.Check()
	}
	return lex, problems
}

// readWords reads one word file.
func readWords(fsys fs.FS, name string) (match.Lexicon, error) {
	base := path.Base(name)
	parts := strings.Split(base, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return nil, fmt.Errorf("%s: name a word file <name>.<lang>.yaml", base)
	}
	buf, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", base, err)
	}
	var lex match.Lexicon
	if err := yaml.Unmarshal(buf, &lex); err != nil {
		return nil, fmt.Errorf("%s: %w", base, err)
	}
	return lex, nil
}

// TablesDir is the folder of the word tables replies are read with (yes
// and no, commands, numbers, dates, …), beside the word lists:
// words/match/<table>.yaml, or <table>.<lang>.yaml.
const TablesDir = WordsDir + "/match"

// LoadTables reads the built-in word tables (words/match) and adds the
// words of words/match/*.yaml of each extra file system (the same ones
// Load takes). The problems, when there are any, name the file (relative
// to words/match) and line; Problem says one in a language.
func LoadTables(extra ...fs.FS) (*match.Words, []match.Problem) {
	subs := make([]fs.FS, 0, len(extra))
	for _, fsys := range extra {
		sub, err := fs.Sub(fsys, TablesDir)
		if err != nil {
			return nil, []match.Problem{{File: TablesDir, ID: match.ProblemUnreadable, Args: map[string]string{"err": err.Error()}}}
		}
		subs = append(subs, sub)
	}
	return match.ReadWords(subs...)
}

// Problem says p in lang, after its file (under dir) and line:
// "dir/words/match/yesno.yaml:12: …".
func (c *Catalog) Problem(lang, dir string, p match.Problem) string {
	where := path.Join(dir, TablesDir, p.File)
	if p.Line > 0 {
		where += ":" + strconv.Itoa(p.Line)
	}
	return where + ": " + c.Text(lang, p.ID, p.Args)
}
