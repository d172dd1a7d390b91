package locales

import (
	"io/fs"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// hindiTexts are the texts of every Hindi message file, plural forms
// included, by message id.
func hindiTexts(t *testing.T) map[string][]string {
	t.Helper()
	names, err := fs.Glob(Embedded(), "*.hi.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no Hindi message files: %v", err)
	}
	texts := map[string][]string{}
	var walk func(id string, v any)
	walk = func(id string, v any) {
		switch v := v.(type) {
		case string:
			texts[id] = append(texts[id], v)
		case map[string]any:
			for _, x := range v {
				walk(id, x)
			}
		}
	}
	for _, name := range names {
		buf, err := fs.ReadFile(Embedded(), name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(buf, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for id, v := range m {
			walk(id, v)
		}
	}
	return texts
}

// TestHindiMessagesHaveNoEnglish: no Hindi message holds a Latin word
// outside latinAllowed. It reads the raw texts, so every {{if}} branch and
// every plural form is scanned, not only what renders with no data.
func TestHindiMessagesHaveNoEnglish(t *testing.T) {
	texts := hindiTexts(t)
	if len(texts) < 100 {
		t.Fatalf("only %d Hindi messages read", len(texts))
	}
	var bad []string
	for id, ts := range texts {
		for _, s := range ts {
			for _, w := range EnglishWords(s) {
				bad = append(bad, id+": "+w)
			}
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Errorf("English in Hindi messages:\n%s", strings.Join(bad, "\n"))
	}
}

// TestHindiMessagesSayItInHindi: English office words written in
// Devanagari (रोस्टर, क्लस्टर) are English to the people who read them;
// the messages say लोगों की सूची, समूह … instead.
func TestHindiMessagesSayItInHindi(t *testing.T) {
	for id, ts := range hindiTexts(t) {
		for _, s := range ts {
			for _, w := range []string{"रोस्टर", "क्लस्टर", "कोऑर्डिनेटर", "ऋण"} {
				if strings.Contains(s, w) {
					t.Errorf("%s says %q: %q", id, w, s)
				}
			}
		}
	}
}

// The scan itself: it sees a Latin word, and not template fields, URLs or
// /commands.
func TestLatinWordsFindsEnglish(t *testing.T) {
	text := "पद: coordinator {{.role_label}} देखें https://t.me/saathi_bot या /start लिखें, `REDIS_URL` SHG"
	if got, want := LatinWords(text), []string{"coordinator", "SHG"}; !slices.Equal(got, want) {
		t.Fatalf("LatinWords = %q, want %q", got, want)
	}
	if got, want := EnglishWords(text), []string{"coordinator"}; !slices.Equal(got, want) {
		t.Fatalf("EnglishWords = %q, want %q", got, want)
	}
}
