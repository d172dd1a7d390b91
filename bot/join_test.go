package bot_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows"
)

func TestJoinReplies(t *testing.T) {
	yes := []flows.Option{{Data: "y", Label: "हाँ"}}
	file := &flows.File{Name: "a.pdf", ID: "x"}
	texts := func(rs []flows.Reply) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Text)
		}
		return out
	}
	t.Run("texts joined, the last one's buttons", func(t *testing.T) {
		got := bot.JoinReplies([]flows.Reply{{Text: "स्वागत है।"}, {Text: "आपका नाम?", Options: yes}})
		if len(got) != 1 || got[0].Text != "स्वागत है।\n\nआपका नाम?" || len(got[0].Options) != 1 {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("buttons end a message; a file is its own", func(t *testing.T) {
		got := bot.JoinReplies([]flows.Reply{
			{Text: "एक", Options: yes}, {Text: "दो"}, {Text: "फ़ाइल", File: file}, {Text: "तीन"}, {Text: "चार", Request: flows.RequestContact},
		})
		want := []string{"एक", "दो", "फ़ाइल", "तीन\n\nचार"}
		if strings.Join(texts(got), "|") != strings.Join(want, "|") || got[3].Request != flows.RequestContact || got[2].File == nil {
			t.Fatalf("got %q, want %q", texts(got), want)
		}
	})
	t.Run("tags are not mixed", func(t *testing.T) {
		got := bot.JoinReplies([]flows.Reply{{Text: "प्रसारण", Tag: "bc:1"}, {Text: "अगला"}})
		if len(got) != 2 || got[0].Tag != "bc:1" || got[1].Tag != "" {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("not joined beyond 4096", func(t *testing.T) {
		long := strings.Repeat("क", 3000)
		got := bot.JoinReplies([]flows.Reply{{Text: long}, {Text: long}})
		if len(got) != 2 {
			t.Fatalf("%d replies, want 2", len(got))
		}
	})
	// A 5,000-character reply goes as two, cut at the paragraph end nearest
	// below the limit, its buttons and tag with the second.
	t.Run("a long reply split at a paragraph end", func(t *testing.T) {
		p1, p2, p3 := strings.Repeat("अ", 2000), strings.Repeat("ब", 1500), strings.Repeat("स", 1496)
		got := bot.JoinReplies([]flows.Reply{{Text: p1 + "\n\n" + p2 + "\n\n" + p3, Options: yes, Tag: "bc:2"}})
		if n := utf8.RuneCountInString(p1 + p2 + p3); n != 4996 {
			t.Fatalf("test text has %d characters", n)
		}
		if len(got) != 2 || got[0].Text != p1+"\n\n"+p2 || got[1].Text != p3 {
			t.Fatalf("split into %d: %d and … characters", len(got), utf8.RuneCountInString(got[0].Text))
		}
		if len(got[0].Options) != 0 || got[0].Tag != "" || len(got[1].Options) != 1 || got[1].Tag != "bc:2" {
			t.Errorf("buttons and tag: %+v / %+v, want them on the second only", got[0].Options, got[1].Options)
		}
	})
}
