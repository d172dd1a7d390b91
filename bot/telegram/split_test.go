package telegram

import (
	"strings"
	"testing"
)

func TestSplitText(t *testing.T) {
	cases := []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{"short", "hello", 10, []string{"hello"}},
		{"blank", " \n ", 10, nil},
		{"at line ends", "aaaa\nbbbb\ncccc", 9, []string{"aaaa\nbbbb", "cccc"}},
		{"long line at a space", "aaa bbb ccc", 8, []string{"aaa bbb ", "ccc"}},
		{"long word between runes", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"surrogate pairs kept whole", "😀😀😀", 3, []string{"😀", "😀", "😀"}},
		{"Devanagari", "नमस्ते दुनिया", 8, []string{"नमस्ते ", "दुनिया"}},
		{"blank lines dropped between parts", "aaaa\n\n\nbbbb", 4, []string{"aaaa", "bbbb"}},
		{"at paragraph ends first", "aaaa\nbb\n\ncccc\ndd", 12, []string{"aaaa\nbb", "cccc\ndd"}},
		{"paragraphs packed", "aa\n\nbb\n\ncc", 6, []string{"aa\n\nbb", "cc"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := splitText(c.text, c.limit)
			if strings.Join(got, "|") != strings.Join(c.want, "|") || len(got) != len(c.want) {
				t.Errorf("splitText(%q, %d) = %q, want %q", c.text, c.limit, got, c.want)
			}
			for _, part := range got {
				if n := utf16Len(part); n > c.limit {
					t.Errorf("part %q has %d units, limit %d", part, n, c.limit)
				}
			}
		})
	}
}
