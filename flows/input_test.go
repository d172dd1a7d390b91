package flows_test

import (
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"github.com/saathi-bot/saathi/flows"
)

// hasHostile tells whether s holds a character clean.Text removes: a
// control character other than a line break, or a format character
// (bidi controls, zero-width characters) other than ZWJ/ZWNJ.
func hasHostile(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && r != '\n' || unicode.Is(unicode.Cf, r) && r != '\u200D' && r != '\u200C'
	})
}

// TestRegistrationCleansWhatPeopleType registers with the answers an
// attacker (or a broken keyboard) sends: a name with NUL, a colour escape,
// a right-to-left override and a fake phone line; a name of zero-width
// spaces; a district of emoji. What is kept and echoed is clean, the
// summary's lines stay in their order, and letterless answers are asked
// again in plain Hindi.
func TestRegistrationCleansWhatPeopleType(t *testing.T) {
	c := newConvo(t, nil, nil)
	c.say("नमस्ते")
	c.send(flows.Input{Contact: &flows.Contact{Phone: "919018159083", Own: true}})
	c.wantStep("registration.name")

	c.expect("\u200B\u200B\u200B", "अपना जवाब लिखकर भेज दें", "पूरा नाम") // nothing left: empty
	c.expect("🙏🙏 ...", "इसमें कोई अक्षर नहीं है", "पूरा नाम")             // no letter
	c.wantStep("registration.name")
	c.expect("सरि\x00ता \x1b[31mराजभर\x1b[0m\u202E\nमोबाइल: +911111111111", "आप महिला हैं या पुरुष?")
	c.expect("mahila", "आप किस पद पर हैं?")
	c.expect("1", "किस ज़िले")
	c.expect("😀🏠", "इसमें कोई अक्षर नहीं है", "किस ज़िले") // an emoji-only district
	c.expect("\u2066सोनभद्र\u2069", "ब्लॉक या नगर निकाय")
	c.expect("नगर पंचायत अनपरा क्\u200Dष\u200B", "वार्ड नंबर")
	out := c.expect("3", "क्या सब सही है?")

	if hasHostile(out) {
		t.Errorf("summary echoes hostile characters: %+q", out)
	}
	// Each line of the summary is the line it should be: the name's fake
	// phone line was folded into the name, the real one comes last.
	lines := strings.Split(out, "\n")
	want := []string{
		"आपने यह बताया:",
		"नाम: सरिता राजभर मोबाइल: +911111111111",
		"पद: सभासद",
		"ज़िला: सोनभद्र",
		"ब्लॉक/निकाय: नगर पंचायत अनपरा क्\u200Dष",
		"वार्ड: 3",
		"मोबाइल: 90181 59083",
	}
	if len(lines) < len(want) {
		t.Fatalf("summary:\n%s", out)
	}
	for i, w := range want {
		if lines[i] != w {
			t.Errorf("summary line %d = %+q, want %+q", i+1, lines[i], w)
		}
	}
	c.expect("हाँ", "पंजीकरण दर्ज")
	rec := c.recs[0].Fields
	if rec["name"] != "सरिता राजभर मोबाइल: +911111111111" || rec["district"] != "सोनभद्र" || rec["body"] != "नगर पंचायत अनपरा क्\u200Dष" {
		t.Errorf("saved %+q", rec)
	}
}

var (
	notesFlow = fstest.MapFS{"notes.yaml": {Data: []byte(`
id: notes
commands: ["/notes"]
steps:
  - {id: title, type: ask_text, prompt: x.title, max_len: 40, save: title, next: body}
  - {id: body, type: ask_text, prompt: x.body, max_len: 500, save: body, next: show}
  - {id: show, type: end, message: x.show}
`)}, "doc.yaml": {Data: []byte(`
id: doc
commands: ["/doc"]
steps:
  - {id: file, type: ask_file, prompt: x.file, save: doc, next: show}
  - {id: show, type: end, message: x.got}
`)}}
	notesMsgs = fstest.MapFS{
		"x.hi.yaml": {Data: []byte(`{"x.title": "शीर्षक?", "x.body": "बात?", "x.show": "[{{.title}}]\n[{{.body}}]", "x.file": "फ़ाइल?", "x.got": "<{{.doc_name}}>"}`)},
		"x.en.yaml": {Data: []byte(`{"x.title": "Title?", "x.body": "Text?", "x.show": "[{{.title}}]\n[{{.body}}]", "x.file": "File?", "x.got": "<{{.doc_name}}>"}`)},
	}
)

// TestLongTextKeepsLineBreaks: an answer allowed 300 characters or more
// keeps its lines (still cleaned); a short one is one line; an ask_text
// without letters: true takes an answer of digits or emoji.
func TestLongTextKeepsLineBreaksShortTextIsOneLine(t *testing.T) {
	c := newConvo(t, notesFlow, notesMsgs)
	c.say("/notes")
	c.wantStep("notes.title")
	c.expect("एक\r\nदो\t तीन", "बात?")
	out := c.expect("  पहली बात\u202E \r\n\r\n\r\n\x1b[1mदूसरी\x00 बात 🙂 ", "[एक दो तीन]\n[पहली बात\n\nदूसरी बात 🙂]")
	if hasHostile(out) {
		t.Errorf("echo holds hostile characters: %+q", out)
	}
	c.say("/notes")
	c.expect("123", "बात?") // no letters needed here
	c.expect("👍", "[123]\n[👍]")
}

// TestFileNamesAreCleaned: the name of a file a person sends is kept
// and echoed without control or bidi characters, and the caller's Input
// is not changed.
func TestFileNamesAreCleaned(t *testing.T) {
	c := newConvo(t, notesFlow, notesMsgs)
	c.say("/doc")
	in := flows.Input{Media: "document", File: &flows.File{ID: "F1", Name: "list\u202Exslx.exe\x00"}, Name: "Ram\u202E\x1b[31m"}
	if out := c.send(in); !strings.Contains(out, "<listxslx.exe>") {
		t.Fatalf("echo of the file name: %+q", out)
	}
	if in.File.Name != "list\u202Exslx.exe\x00" {
		t.Fatalf("the caller's input was changed: %+q", in.File.Name)
	}
}
