package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/store/storetest"
)

// writeWordTable writes a coordinator's word table file into
// dir/locales/words/match.
func writeWordTable(t *testing.T, dir, name, data string) {
	t.Helper()
	tables := filepath.Join(dir, "locales", "words", "match")
	if err := os.MkdirAll(tables, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tables, name), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestAddedWordsInChat: a yes-word and a command word that a coordinator
// adds in SAATHI_FLOWS_DIR/locales/words/match are understood by the bot
// as it runs (the engine serve and chat build), with no rebuild; without
// the folder the same replies are asked again.
func TestAddedWordsInChat(t *testing.T) {
	dir := t.TempDir()
	writeWordTable(t, dir, "yesno.hi.yaml", "# हव: हाँ, जैसे घर में बोलते हैं\nwords:\n  yes: [\"हव\"]\n")
	writeWordTable(t, dir, "commands.yaml", "words:\n  help:\n    - मार्गदर्शन\n")
	registration := "नमस्ते\n9000000001\nसरिता राजभर\nमहिला\n१\nसोनभद्र\nनगर पंचायत अनपरा\n5\nहव\n"
	const done = "धन्यवाद, सरिता राजभर जी"

	vars := map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}
	storetest.Redis(t, storetest.DBCommand, nil)
	out, err := runCmd(t, vars, registration, "chat", "--user", "9000000001")
	if err != nil {
		t.Fatalf("chat: %v\n%s", err, out)
	}
	if strings.Contains(out, done) {
		t.Fatalf("the built-in words took “हव” for yes already; pick another word for this test:\n%s", out)
	}

	storetest.Redis(t, storetest.DBCommand, nil) // a new person again
	vars["SAATHI_FLOWS_DIR"] = dir
	out, err = runCmd(t, vars, registration, "chat", "--user", "9000000001")
	if err != nil {
		t.Fatalf("chat with the added words: %v\n%s", err, out)
	}
	if !strings.Contains(out, done) {
		t.Errorf("the added yes-word “हव” did not confirm the registration:\n%s", out)
	}
	help, err := runCmd(t, vars, "मार्गदर्शन\n", "chat", "--user", "9000000001")
	if err != nil {
		t.Fatalf("chat: %v\n%s", err, out)
	}
	plain, err := runCmd(t, map[string]string{"REDIS_URL": vars["REDIS_URL"]}, "मदद\n", "chat", "--user", "9000000001")
	if err != nil {
		t.Fatalf("chat: %v\n%s", err, plain)
	}
	if _, after, _ := strings.Cut(plain, "👤 मदद"); after == "" || !strings.Contains(help, strings.TrimSpace(after)) {
		t.Errorf("the added command word “मार्गदर्शन” did not answer as “मदद” does:\n%s\n-- मदद --\n%s", help, plain)
	}
}

// TestFlowsCheckWordTables: saathi flows check names the file and line of
// every problem of a coordinator's word tables, in Hindi unless --lang
// says otherwise, and passes sound ones.
func TestFlowsCheckWordTables(t *testing.T) {
	for _, tc := range []struct {
		name, file, data string
		want, wantEn     string
	}{
		{"a yes-word that is also a no-word", "yesno.yaml", "words:\n  yes:\n    - हव\n    - नहीं\n",
			"yesno.yaml:4: “नहीं” “words.yes” में है और “words.no” में भी (locales/words/match/yesno.yaml की पंक्ति",
			"yesno.yaml:4: “नहीं” is in “words.yes” and also in “words.no” (locales/words/match/yesno.yaml line"},
		{"an unknown key", "dates.yaml", "months:\n  1: [जनवरि]\nweekday:\n  1: [सोमबार]\n",
			"dates.yaml:3: “weekday” कोई सूची नहीं है", "dates.yaml:3: “weekday” is no list"},
		{"an unknown value", "commands.yaml", "words:\n  madad: [सहायता करो]\n",
			"commands.yaml:2: “words” के नीचे “madad” नहीं चलेगा", "commands.yaml:2: “madad” cannot stand under “words”"},
		{"an empty word", "checkin.hi.yaml", "words:\n  - हाजरी\n  - \"\"\n",
			"checkin.hi.yaml:3: “words” में कोई शब्द या पूरी सूची खाली है", "checkin.hi.yaml:3: “words” has an empty word or an empty list"},
		{"a word twice", "counting.yaml", "counted:\n  - बकरी\n  - बकरी\n",
			"counting.yaml:3: “बकरी” “counted” में दोबारा लिखा है; पहले यह पंक्ति 2 पर है", "counting.yaml:3: “बकरी” is listed twice in “counted”; first on line 2"},
		{"two words where one goes", "numbers.yaml", "more:\n  - से ऊपर\n",
			"numbers.yaml:2: “more” में हर पंक्ति में एक ही शब्द लिखें", "numbers.yaml:2: “more” takes one word a line"},
		{"a language that is none", "yesno.hindi.yaml", "words:\n  yes: [हव]\n",
			"yesno.hindi.yaml: फ़ाइल के नाम में “hindi” कोई भाषा नहीं है", "yesno.hindi.yaml: “hindi” in the file's name is no language"},
		{"a file of no table", "haan.yaml", "words: [हव]\n",
			"haan.yaml: इस नाम की कोई शब्द-सूची नहीं है", "haan.yaml: no word list has this name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeWordTable(t, dir, tc.file, tc.data)
			where := filepath.Join(dir, "locales", "words", "match") + string(filepath.Separator)
			out, err := runCmd(t, nil, "", "flows", "check", dir)
			if err == nil || !strings.Contains(out, where+tc.want) {
				t.Errorf("flows check: %v; want %q:\n%s", err, where+tc.want, out)
			}
			out, err = runCmd(t, nil, "", "flows", "check", "--lang", "en", dir)
			if err == nil || !strings.Contains(out, where+tc.wantEn) {
				t.Errorf("flows check --lang en: %v; want %q:\n%s", err, where+tc.wantEn, out)
			}
		})
	}
	dir := t.TempDir()
	writeWordTable(t, dir, "yesno.hi.yaml", "words:\n  yes: [हव]\nspellings:\n  hav: [hav, हौ]\n")
	writeWordTable(t, dir, "places.yaml", "kinds: [पुरवा, टोला]\n")
	if out, err := runCmd(t, nil, "", "flows", "check", dir); err != nil {
		t.Errorf("flows check refused sound word tables: %v\n%s", err, out)
	}
}

// TestBadWordFileStopsTheBot: the bot does not start with a word file
// flows check would refuse; it says which file and line, in Hindi.
func TestBadWordFileStopsTheBot(t *testing.T) {
	dir := t.TempDir()
	writeWordTable(t, dir, "ratings.yaml", "ratings:\n  5:\n    - झकास\n  1:\n    - झकास\n")
	out, err := runCmd(t, map[string]string{"SAATHI_FLOWS_DIR": dir}, "नमस्ते\n", "chat", "--user", "9000000001")
	want := filepath.Join(dir, "locales", "words", "match", "ratings.yaml") + ":5: “झकास” “ratings.1” में है और “ratings.5” में भी (पंक्ति 3)"
	if err == nil || !strings.Contains(err.Error()+out, want) {
		t.Errorf("chat with a bad word file: %v; want %q:\n%s", err, want, out)
	}
}
