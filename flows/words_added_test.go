package flows_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/locales"
)

// TestAddedWordsAtTheInvitation: a yes-word and a decline reason a
// coordinator adds in the operator's folder (locales/words beside the
// messages), read as serve reads them, answer the real invitation steps:
// "हव" books a yes, "मछली मारने जाना है" is the reason work. The built-in
// words alone ask again and keep the reason as typed.
func TestAddedWordsAtTheInvitation(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, data := range map[string]string{
		"words/match/yesno.hi.yaml": "words:\n  yes:\n    - हव\n",
		"words/mine.hi.yaml":        "reasons:\n  work:\n    - मछली मार*\n",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lists, problems := locales.ReadWordLists(os.DirFS(dir))
	tables, tableProblems := locales.LoadTables(os.DirFS(dir))
	if len(problems)+len(tableProblems) > 0 {
		t.Fatalf("word files: %v %v", problems, tableProblems)
	}
	builtin := flowstest.Engine(t, nil, nil)
	added := builtin.WithWords(lists).WithTables(tables)
	for _, tc := range []struct{ step, input, builtin, added string }{
		{"ask", "हव", "?", "yes"},
		{"ask", "हव जी, आऊँगी", "yes", "yes"},
		{"reason", "मछली मारने जाना है", "other", "work"},
		{"reason", "बुखार है", "health", "health"},
	} {
		if got := chosen(t, builtin, cat, "invite", tc.step, tc.input); got != tc.builtin {
			t.Errorf("built-in words: invite/%s %q = %q, want %q", tc.step, tc.input, got, tc.builtin)
		}
		if got := chosen(t, added, cat, "invite", tc.step, tc.input); got != tc.added {
			t.Errorf("with the added words: invite/%s %q = %q, want %q", tc.step, tc.input, got, tc.added)
		}
	}
}
