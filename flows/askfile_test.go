package flows_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/saathi-bot/saathi/flows"
)

var sheetFlow = fstest.MapFS{"sheet.yaml": {Data: []byte(`
id: sheet
commands: ["/sheet"]
steps:
  - {id: list, type: ask_file, prompt: s.ask, error: s.retry, document: true, save: list, next: got}
  - {id: got, type: end, message: s.got}
`)}}

var sheetMsgs = fstest.MapFS{
	"s.hi.yaml": {Data: []byte(`{"s.ask": "सूची भेजें", "s.retry": "फ़ाइल चाहिए, फ़ोटो नहीं", "s.got": "मिली: {{.list_name}}"}`)},
	"s.en.yaml": {Data: []byte(`{"s.ask": "Send the list", "s.retry": "A file, not a photo", "s.got": "got {{.list_name}}"}`)},
}

// An ask_file of a document only asks again, in its own words, for a
// photo (a File on WhatsApp), a voice note, a sticker or text; a document
// answers it.
func TestAskFileDocumentOnly(t *testing.T) {
	c := newConvo(t, sheetFlow, sheetMsgs)
	c.expect("/sheet", "सूची भेजें")
	for _, in := range []flows.Input{
		{Media: "photo", File: &flows.File{ID: "p1", Name: "photo.jpg"}},
		{Media: "voice", File: &flows.File{ID: "v1", Name: "voice.ogg"}},
	} {
		if out := c.send(in); !strings.Contains(out, "फ़ाइल चाहिए, फ़ोटो नहीं") {
			t.Fatalf("%s: %q, want the step's retry", in.Media, out)
		}
		c.wantStep("sheet.list")
		c.st.Stack[len(c.st.Stack)-1].Tries = 0 // not the point here
	}
	if out := c.send(flows.Input{Media: "sticker"}); !strings.Contains(out, "फ़ाइल चाहिए, फ़ोटो नहीं") {
		t.Fatalf("sticker: %q", out)
	}
	if out := c.send(flows.Input{Media: "document", File: &flows.File{ID: "d1", Name: "सूची.xlsx"}}); !strings.Contains(out, "मिली: सूची.xlsx") {
		t.Fatalf("document: %q", out)
	}
}
