package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/locales"
)

// TestFlowsCheckFindsLoops: a flow file whose steps go round without
// asking fails the check, which names the file and the steps.
func TestFlowsCheckFindsLoops(t *testing.T) {
	dir := t.TempDir()
	loop := `
id: spin
commands: ["/spin"]
steps:
  - {id: hello, type: send, message: common.help, next: again}
  - {id: again, type: set, set: {x: "1"}, next: hello}
`
	if err := os.WriteFile(filepath.Join(dir, "spin.yaml"), []byte(loop), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, nil, "", "flows", "check", dir)
	if err == nil {
		t.Fatalf("flows check passed a looping flow:\n%s", out)
	}
	if want := "spin.yaml: step hello: loops without asking anything: hello → again → hello"; !strings.Contains(out, want) {
		t.Errorf("flows check output lacks %q:\n%s", want, out)
	}
}

// TestFlowsCheckWordLists: a coordinator's word list beside the messages
// is checked too; a word filed under two reasons is named with its file
// and line, and where the other one stands.
func TestFlowsCheckWordLists(t *testing.T) {
	dir := t.TempDir()
	words := filepath.Join(dir, "locales", "words")
	if err := os.MkdirAll(words, 0o755); err != nil {
		t.Fatal(err)
	}
	bad := "reasons:\n  family: [बुखार]\n"
	if err := os.WriteFile(filepath.Join(words, "mine.hi.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, nil, "", "flows", "check", dir)
	if err == nil {
		t.Fatalf("flows check passed a word under two reasons:\n%s", out)
	}
	if want := filepath.Join(words, "mine.hi.yaml") + ":2: “बुखार” “reasons.family” में है और “reasons.health” में भी (locales/words/reasons.hi.yaml की पंक्ति"; !strings.Contains(out, want) {
		t.Errorf("flows check output lacks %q:\n%s", want, out)
	}
	good := "reasons:\n  work: [बकरी चराने]\n"
	if err := os.WriteFile(filepath.Join(words, "mine.hi.yaml"), []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, nil, "", "flows", "check", dir); err != nil {
		t.Fatalf("flows check refused a sound word list: %v\n%s", err, out)
	}
}

// TestLoadWordsOfTheFlowsDir: the words of DIR/locales/words are the ones
// the running bot uses, beside the built-in ones.
func TestLoadWordsOfTheFlowsDir(t *testing.T) {
	dir := t.TempDir()
	words := filepath.Join(dir, "locales", "words")
	if err := os.MkdirAll(words, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(words, "mine.hi.yaml"), []byte("reasons:\n  work: [बकरी चराने]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	lex, _, err := loadWords(dir, cat)
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]string{"बकरी चराने जाना है": "work", "बुखार है": "health"} {
		if got, ok := lex.Match("reasons", text); !ok || got != want {
			t.Errorf("Match(%q) = %q, %v; want %q", text, got, ok, want)
		}
	}
}
