package match_test

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/saathi-bot/saathi/flows/match"
)

// TestReadWordsAddsToEveryTable: words a coordinator adds to the tables
// are understood by the Words ReadWords gives, each where its table is
// used, while the built-in functions do not know them; the built-in words
// still work beside them.
func TestReadWordsAddsToEveryTable(t *testing.T) {
	added := fstest.MapFS{
		"yesno.hi.yaml":   {Data: []byte("spellings:\n  hav: [hav, हव]\nwords:\n  yes: [hav]\nphrases:\n  maybe: [\"देखा जाएगा\"]\n")},
		"commands.yaml":   {Data: []byte("words:\n  help:\n    - मार्गदर्शन\n")},
		"checkin.yaml":    {Data: []byte("words: [मौजूदगी]\n")},
		"numbers.yaml":    {Data: []byte("hindi:\n  20: [कोड़ी]\n")},
		"counting.yaml":   {Data: []byte("counted: [बकरियाँ]\nfractions:\n  \"1.5\": [dedhek]\n")},
		"dates.yaml":      {Data: []byte("months:\n  12: [पूस]\n")},
		"ratings.en.yaml": {Data: []byte("ratings:\n  5: [झकास]\n")},
		"places.yaml":     {Data: []byte("kinds: [पुरवा]\nformer_names:\n  \"कानपुर देहात\": [\"माती\", \"mati\"]\n")},
		"names.yaml":      {Data: []byte("frames: [\"हमर नाम\"]\n")},
		"unrelated.txt":   {Data: []byte("not a table")},
	}
	w, problems := match.ReadWords(added)
	if len(problems) > 0 {
		t.Fatalf("ReadWords: %v", problems)
	}
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	if got := w.YesNo("हव जी"); got != match.Yes {
		t.Errorf("YesNo(हव जी) = %v, want Yes", got)
	}
	if got := w.YesNo("Hav, pakka"); got != match.Yes {
		t.Errorf("YesNo(Hav, pakka) = %v, want Yes: the added spelling", got)
	}
	if got := w.YesNo("हव पर नहीं आ पाऊँगी"); got == match.Yes {
		t.Errorf("YesNo(हव पर नहीं आ पाऊँगी) = Yes: an added word is read with the negation after it")
	}
	if got := w.YesNo("देखा जाएगा जी"); got != match.Maybe {
		t.Errorf("YesNo(देखा जाएगा जी) = %v, want Maybe", got)
	}
	if got, ok := w.Command("मार्गदर्शन चाहिए"); !ok || got != "help" {
		t.Errorf("Command(मार्गदर्शन चाहिए) = %q, %v; want help", got, ok)
	}
	if !w.IsCheckin("मेरी मौजूदगी लगा दो") {
		t.Error("IsCheckin(मेरी मौजूदगी लगा दो) = false")
	}
	if got, ok := w.Int("कोड़ी"); !ok || got != 20 {
		t.Errorf("Int(कोड़ी) = %d, %v; want 20", got, ok)
	}
	if got := w.ReadNumber("dedhek sau"); got.Kind != match.Exact || got.Value != 150 {
		t.Errorf("ReadNumber(dedhek sau) = %+v, want 150", got)
	}
	if got, ok := w.DateIn("5 पूस", now, match.Future); !ok || got.Month() != time.December || got.Day() != 5 {
		t.Errorf("DateIn(5 पूस) = %v, %v; want 5 December", got, ok)
	}
	if got, ok := w.Rating("झकास"); !ok || got != 5 {
		t.Errorf("Rating(झकास) = %d, %v; want 5", got, ok)
	}
	if kind, found := w.Place("हरिपुर पुरवा", []string{"हरिपुर", "रामपुर"}); kind != match.PlaceExact || found[0] != "हरिपुर" {
		t.Errorf("Place(हरिपुर पुरवा) = %v %v; want हरिपुर exactly", kind, found)
	}
	dehat := []string{"कानपुर देहात", "कानपुर नगर"}
	if kind, found := w.Place("mati", dehat); kind != match.PlaceNear || len(found) != 1 || found[0] != "कानपुर देहात" {
		t.Errorf("Place(mati) = %v %v; want कानपुर देहात to confirm", kind, found)
	}
	if kind, found := w.Place("allahabad", []string{"प्रयागराज"}); kind != match.PlaceNear || found[0] != "प्रयागराज" {
		t.Errorf("Place(allahabad) = %v %v; want the built-in former name still there", kind, found)
	}
	if got := w.PersonName("हमर नाम सुनीता देवी"); got != "सुनीता देवी" {
		t.Errorf("PersonName(हमर नाम सुनीता देवी) = %q, want सुनीता देवी", got)
	}
	// The built-in tables are as they were (they do not know these words,
	// so the checks above show the added ones at work), and still in w.
	b := match.BuiltinWords()
	if b.YesNo("हव") == match.Yes || b.YesNo("देखा जाएगा जी") == match.Maybe {
		t.Error("the built-in tables know the added yes and not-sure words")
	}
	if _, ok := b.Command("मार्गदर्शन चाहिए"); ok || b.IsCheckin("मेरी मौजूदगी लगा दो") {
		t.Error("the built-in tables know the added command or check-in word")
	}
	if _, ok := b.Int("कोड़ी"); ok || b.ReadNumber("dedhek sau").Value == 150 {
		t.Error("the built-in tables know the added number words")
	}
	if _, ok := b.DateIn("5 पूस", now, match.Future); ok {
		t.Error("the built-in tables know the added month word")
	}
	if _, ok := b.Rating("झकास"); ok {
		t.Error("the built-in tables know the added rating word")
	}
	if kind, _ := b.Place("हरिपुर पुरवा", []string{"हरिपुर", "रामपुर"}); kind == match.PlaceExact {
		t.Error("the built-in tables know the added place word")
	}
	if kind, _ := b.Place("mati", dehat); kind != match.PlaceNone {
		t.Error("the built-in tables know the added former name")
	}
	if got := b.PersonName("हमर नाम सुनीता देवी"); got != "हमर नाम सुनीता देवी" {
		t.Errorf("the built-in tables know the added name frame: %q", got)
	}
	if w.YesNo("हाँ जी") != match.Yes || w.YesNo("नहीं") != match.No {
		t.Error("the built-in yes and no words are lost beside the added ones")
	}
}

// TestReadWordsProblems: every problem of a coordinator's table file is
// named with its file and line.
func TestReadWordsProblems(t *testing.T) {
	for _, tc := range []struct{ name, file, data, want string }{
		{"unreadable", "yesno.yaml", "words: [", "yesno.yaml:1: words.unreadable"},
		{"unknown table", "haan.yaml", "words: [हव]\n", "haan.yaml:0: words.bad_file_name"},
		{"unknown key", "dates.yaml", "months:\n  1: [जनवरि]\nweekday:\n  1: [सोमबार]\n", "dates.yaml:3: words.unknown_key"},
		{"unknown value", "yesno.yaml", "words:\n  haan: [हव]\n", "yesno.yaml:2: words.bad_value"},
		{"not a number", "numbers.yaml", "hindi:\n  bees: [कोड़ी]\n", "numbers.yaml:2: words.bad_value"},
		{"not a list", "checkin.yaml", "words: हाजरी\n", "checkin.yaml:1: words.not_list"},
		{"empty list", "commands.yaml", "words:\n  help: []\n", "commands.yaml:2: words.empty"},
		{"empty word", "ratings.yaml", "ratings:\n  5:\n    - \"  \"\n", "ratings.yaml:3: words.empty"},
		{"two words", "dates.yaml", "last:\n  - पिछले वाले\n", "dates.yaml:2: words.one_word"},
		{"twice", "counting.yaml", "counted:\n  - बकरी\n  - बकरी\n", "counting.yaml:3: words.duplicate"},
		{"yes and no", "yesno.yaml", "words:\n  yes:\n    - हव\n    - नहीं\n", "yesno.yaml:4: words.collision"},
		{"yes and no spelled alike", "yesno.yaml", "words:\n  yes:\n    - nahin\n", "yesno.yaml:3: words.collision"},
		{"more and less", "numbers.yaml", "more:\n  - तक\n", "numbers.yaml:2: words.collision"},
		{"a former name of two places", "places.yaml", "former_names:\n  प्रयागराज: [fyzabad]\n", "places.yaml:2: words.collision"},
		{"a former name spelled as another's", "places.yaml", "former_names:\n  प्रयागराज: [faizabaad]\n", "places.yaml:2: words.collision"},
		{"a name frame twice", "names.yaml", "frames:\n  - हमर नाम\n  - हमर  नाम\n", "names.yaml:3: words.duplicate"},
		{"a name word in no list", "names.yaml", "before: [जी]\n", "names.yaml:1: words.unknown_key"},
		{"two months", "dates.yaml", "months:\n  1: [\"दिसंबर\"]\n", "dates.yaml:2: words.collision"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, problems := match.ReadWords(fstest.MapFS{tc.file: {Data: []byte(tc.data)}})
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			if len(got) == 0 || !strings.HasPrefix(got[0], tc.want) {
				t.Errorf("ReadWords(%s) = %q; want a problem %q", tc.file, got, tc.want)
			}
		})
	}
}
