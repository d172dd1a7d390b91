package locales

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadWordsEmbedded(t *testing.T) {
	lex, err := LoadWords()
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]string{
		"बेटी की शादी है":    "family",
		"कटाई चल रही है":     "work",
		"ससुराल गई हूँ":      "away",
		"दफ़्तर में ऑडिट है": "work",
		"gaadi nahi hai": "travel",
		"बीमार हूँ":      "health",
		"तबीयत ठीक नहीं": "health",
		"बेटी बीमार है":  "health", // बेटी is weak
		"I am sick":      "health",
	} {
		if got, ok := lex.Match("reasons", text); !ok || got != want {
			t.Errorf("Match(reasons, %q) = %q, %v; want %q", text, got, ok, want)
		}
	}
}

func TestLoadWordsExtra(t *testing.T) {
	extra := fstest.MapFS{"words/mine.hi.yaml": {Data: []byte("reasons:\n  work:\n    - पंचायत का काम\n    - बकरी चराने\n")}}
	lex, err := LoadWords(extra)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := lex.Match("reasons", "बकरी चराने जाना है"); !ok || got != "work" {
		t.Errorf("a coordinator's word: got %q, %v; want work", got, ok)
	}
	if got, ok := lex.Match("reasons", "बीमार हूँ"); !ok || got != "health" {
		t.Errorf("built-in words lost after adding: got %q, %v", got, ok)
	}
}

func TestLoadWordsProblems(t *testing.T) {
	tests := map[string]struct{ file, data, want string }{
		"bad yaml":       {"words/a.hi.yaml", "reasons: [", "words/a.hi.yaml:1: words.unreadable"},
		"bad name":       {"words/reasons.yaml", "reasons: {}\n", "words/reasons.yaml:0: words.bad_list_name"},
		"empty phrase":   {"words/a.hi.yaml", "reasons:\n  work: [\"!!\"]\n", "words/a.hi.yaml:2: words.no_letters"},
		"short stem":     {"words/a.hi.yaml", "reasons:\n  work: [\"का*\"]\n", "words/a.hi.yaml:2: words.short_stem"},
		"inner star":     {"words/a.hi.yaml", "reasons:\n  work:\n    - काम\n    - \"का*म\"\n", "words/a.hi.yaml:4: words.star_inside"},
		"no words":       {"words/a.hi.yaml", "reasons:\n  work: []\n", "words/a.hi.yaml:2: words.empty"},
		"twice":          {"words/a.hi.yaml", "reasons:\n  work: [बकरी, बकरी]\n", "words/a.hi.yaml:2: words.duplicate"},
		"two reasons":    {"words/a.hi.yaml", "reasons:\n  work: [बुखार]\n", "words/a.hi.yaml:2: words.collision"},
		"nukta conflict": {"words/a.hi.yaml", "reasons:\n  family: [\"दफ़्तर\"]\n", "words/a.hi.yaml:2: words.collision"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := LoadWords(fstest.MapFS{tc.file: {Data: []byte(tc.data)}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("LoadWords = %v; want an error naming %q", err, tc.want)
			}
		})
	}
}
