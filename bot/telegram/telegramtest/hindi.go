package telegramtest

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/saathi-bot/saathi/locales"
)

// trainingID is the shape of the ids Saathi gives trainings, shown in
// messages to be typed as they are ("स्थिति t8j3dq5").
var trainingID = regexp.MustCompile(`\bt[0-9a-hjkmnp-tv-z]{6}\b`)

// typedIn is what a person put into an update: its text or caption, a
// document's name, a contact's name. The bot may echo it back.
func typedIn(u tgbotapi.Update) []string {
	m := u.Message
	if m == nil {
		return nil
	}
	out := []string{m.Text, m.Caption}
	if m.Document != nil {
		out = append(out, m.Document.FileName)
	}
	if c := m.Contact; c != nil {
		out = append(out, c.FirstName, c.LastName)
	}
	if f := m.From; f != nil {
		out = append(out, f.FirstName, f.LastName, f.UserName)
	}
	return out
}

// EnglishInHindi is every English word of a message the bot sent in Hindi
// (one with Devanagari letters), text or button, with the message: a
// Latin word outside the allow-list of locales.EnglishWords that is not an
// echo of what was typed to the bot, a training's id, or one of also.
func (s *Server) EnglishInHindi(also ...string) []string {
	s.mu.Lock()
	typed := slices.Clone(s.typed)
	sent := cloneMessages(s.sent)
	s.mu.Unlock()
	// The longest first, so that a value inside another goes with it.
	slices.SortFunc(typed, func(a, b string) int { return len(b) - len(a) })
	var out []string
	for _, m := range sent {
		texts := []string{m.Text}
		for _, row := range m.Keyboard {
			for _, b := range row {
				texts = append(texts, b.Text)
			}
		}
		for _, b := range m.ReplyKeyboard {
			texts = append(texts, b.Text)
		}
		if !slices.ContainsFunc(texts, func(t string) bool { return strings.ContainsFunc(t, isDevanagari) }) {
			continue // a message in English
		}
		for _, text := range texts {
			text = trainingID.ReplaceAllString(text, " ")
			text = htmlTag.ReplaceAllString(text, " ") // markup, not words
			for _, v := range typed {
				if strings.ContainsFunc(v, isLatin) {
					text = strings.ReplaceAll(text, v, " ")
				}
			}
			if words := locales.EnglishWords(text, also...); len(words) > 0 {
				out = append(out, fmt.Sprintf("%q in %q", words, text))
			}
		}
	}
	return out
}

// htmlTag is an HTML tag, as a message sent with parse_mode HTML has.
var htmlTag = regexp.MustCompile(`</?[a-z]+[^>]*>`)

func isDevanagari(r rune) bool { return unicode.Is(unicode.Devanagari, r) }

func isLatin(r rune) bool { return unicode.Is(unicode.Latin, r) }
