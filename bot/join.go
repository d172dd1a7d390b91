package bot

import (
	"strings"
	"unicode/utf16"

	"github.com/saathi-bot/saathi/flows"
)

// MaxJoinedText is the longest text (in UTF-16 units, as Telegram counts)
// JoinReplies makes by joining replies: Telegram's limit of a message.
const MaxJoinedText = 4096

// JoinReplies makes the replies of one transition as few messages as the
// channels allow: consecutive texts are joined with a blank line between
// them, a reply with buttons (or a contact or location request) ends its
// message, with its buttons, and a reply with a file stays a message of
// its own. Replies of different tags (broadcasts) or classes are not
// joined, nor texts that together would be longer than MaxJoinedText. A
// text longer than that is split at paragraph ends (blank lines) into
// replies of their own, its buttons and tag with the last; a paragraph
// longer still is left for the channel to cut.
func JoinReplies(rs []flows.Reply) []flows.Reply {
	if len(rs) == 1 && utf16Len(rs[0].Text) <= MaxJoinedText {
		return rs
	}
	out := make([]flows.Reply, 0, len(rs))
	open := false // the last reply of out may take more
	for _, r := range splitLong(rs) {
		if open && joinable(out[len(out)-1], r) {
			last := &out[len(out)-1]
			if last.Text != "" && r.Text != "" {
				last.Text += "\n\n"
			}
			last.Text += r.Text
			last.Options, last.Request, last.RequestLabel = r.Options, r.Request, r.RequestLabel
		} else {
			out = append(out, r)
		}
		open = r.File == nil && len(r.Options) == 0 && r.Request == ""
	}
	return out
}

// joinable tells whether r may be joined to last, a plain text.
func joinable(last, r flows.Reply) bool {
	return r.File == nil && r.Tag == last.Tag && r.Bulk == last.Bulk &&
		utf16Len(last.Text)+2+utf16Len(r.Text) <= MaxJoinedText
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += max(utf16.RuneLen(r), 1) // invalid UTF-8 becomes U+FFFD, one unit
	}
	return n
}

// splitLong splits the texts of rs longer than MaxJoinedText at paragraph
// ends. A reply with a file is left whole (the channel sends a long
// caption as a text of its own).
func splitLong(rs []flows.Reply) []flows.Reply {
	var out []flows.Reply
	for _, r := range rs {
		if r.File != nil || utf16Len(r.Text) <= MaxJoinedText {
			out = append(out, r)
			continue
		}
		var parts []string
		cur, curLen := "", 0
		for _, para := range strings.Split(r.Text, "\n\n") {
			n := utf16Len(para)
			if cur != "" && curLen+2+n > MaxJoinedText {
				parts = append(parts, cur)
				cur, curLen = "", 0
			}
			if cur != "" {
				cur += "\n\n"
				curLen += 2
			}
			cur += para
			curLen += n
		}
		parts = append(parts, cur)
		for i, text := range parts {
			part := flows.Reply{Text: text, Bulk: r.Bulk}
			if i == len(parts)-1 {
				part = r
				part.Text = text
			}
			out = append(out, part)
		}
	}
	return out
}
