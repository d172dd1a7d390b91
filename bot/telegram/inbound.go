package telegram

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows"
)

// chosenMark starts the line added to a message whose button was pressed.
const chosenMark = "✔ "

// deliver hands u to h as a flows.Input. Updates the bot does not take
// (other chats, edits, other update types) are skipped and count as
// delivered (handled false). An error means u must not be acknowledged to
// Telegram. After a nil error the caller runs followUp.
func (b *Bot) deliver(ctx context.Context, h bot.Handler, u tgbotapi.Update) (handled bool, err error) {
	in, ok := b.input(u)
	if !ok {
		b.log.Debug("telegram: update skipped", "update_id", u.UpdateID)
		return false, nil
	}
	if err := h.Handle(ctx, in); err != nil {
		return true, fmt.Errorf("telegram: handle update %d: %w", u.UpdateID, err)
	}
	return true, nil
}

// input turns u into a flows.Input; false when the bot does not take u.
func (b *Bot) input(u tgbotapi.Update) (flows.Input, bool) {
	switch {
	case u.Message != nil:
		return b.messageInput(u.UpdateID, u.Message)
	case u.CallbackQuery != nil:
		return callbackInput(u.UpdateID, u.CallbackQuery)
	default:
		return flows.Input{}, false
	}
}

// messageInput reads a message of a private chat: a contact, a location,
// media (with its caption as text; a document also as File, to Download)
// or text.
func (b *Bot) messageInput(updateID int, m *tgbotapi.Message) (flows.Input, bool) {
	if !isPrivate(m) {
		return flows.Input{}, false
	}
	in := flows.Input{
		Channel: Channel,
		User:    strconv.FormatInt(m.Chat.ID, 10),
		ID:      strconv.Itoa(updateID),
		Name:    displayName(m.From),
	}
	switch {
	case m.Contact != nil:
		in.Contact = &flows.Contact{
			Phone: m.Contact.PhoneNumber,
			Own:   m.From != nil && m.Contact.UserID != 0 && m.Contact.UserID == m.From.ID,
		}
	case m.Location != nil:
		in.Location = &flows.Location{Lat: m.Location.Latitude, Lon: m.Location.Longitude}
	case mediaKind(m) != "":
		in.Media = mediaKind(m)
		in.Text = m.Caption
		switch {
		case in.Media == "document":
			in.File = &flows.File{ID: m.Document.FileID, Name: m.Document.FileName, Size: int64(m.Document.FileSize)}
		case m.Voice != nil: // a voice note is a file too, for a question that takes one
			in.File = &flows.File{ID: m.Voice.FileID, Name: "voice.ogg", Size: int64(m.Voice.FileSize)}
		case m.Audio != nil:
			in.File = &flows.File{ID: m.Audio.FileID, Name: cmp.Or(m.Audio.FileName, "audio"), Size: int64(m.Audio.FileSize)}
		}
	case m.Text != "":
		in.Text = b.withoutMention(m)
	default:
		return flows.Input{}, false // dice, polls, games, service messages
	}
	return in, true
}

// callbackInput reads a button press on a message of a private chat.
func callbackInput(updateID int, q *tgbotapi.CallbackQuery) (flows.Input, bool) {
	if !isPrivate(q.Message) || q.Data == "" {
		return flows.Input{}, false
	}
	return flows.Input{
		Channel: Channel,
		User:    strconv.FormatInt(q.Message.Chat.ID, 10),
		ID:      strconv.Itoa(updateID),
		Choice:  q.Data,
		Name:    displayName(q.From),
	}, true
}

func isPrivate(m *tgbotapi.Message) bool {
	return m != nil && m.Chat != nil && m.Chat.Type == "private"
}

func displayName(u *tgbotapi.User) string {
	if u == nil {
		return ""
	}
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}

// mediaKind names the media a message carries, as flows.Input.Media does.
func mediaKind(m *tgbotapi.Message) string {
	switch {
	case m.Voice != nil, m.Audio != nil:
		return "voice"
	case len(m.Photo) > 0:
		return "photo"
	case m.Sticker != nil:
		return "sticker"
	// An animation also carries a Document, so it is checked first.
	case m.Video != nil, m.VideoNote != nil, m.Animation != nil:
		return "video"
	case m.Document != nil:
		return "document"
	default:
		return ""
	}
}

// withoutMention returns the message text with "@botusername" removed from a
// leading command ("/start@saathi_bot abc" → "/start abc"). Like
// Message.IsCommand, it trusts the bot_command entity Telegram sets.
func (b *Bot) withoutMention(m *tgbotapi.Message) string {
	text := m.Text
	if !m.IsCommand() {
		return text
	}
	end := strings.IndexFunc(text, unicode.IsSpace)
	if end < 0 {
		end = len(text)
	}
	command, mention, found := strings.Cut(text[:end], "@")
	if found && strings.EqualFold(mention, b.Username()) {
		return command + text[end:]
	}
	return text
}

// followUp finishes an update the handler has taken: a pressed button's
// callback query is answered, which stops its spinner, and the message is
// edited to show the choice (which also removes its keyboard). Failures are
// logged only: the update is committed already.
func (b *Bot) followUp(ctx context.Context, u tgbotapi.Update) {
	q := u.CallbackQuery
	if q == nil {
		return
	}
	if _, err := b.client(ctx).Request(tgbotapi.NewCallback(q.ID, "")); err != nil {
		b.log.Warn("telegram: answer callback query failed", "update_id", u.UpdateID, "err", b.redact(err))
	}
	if _, ok := callbackInput(u.UpdateID, q); !ok {
		return
	}
	label, ok := buttonLabel(q.Message.ReplyMarkup, q.Data)
	if !ok {
		b.log.Debug("telegram: pressed button not in the message's keyboard", "update_id", u.UpdateID)
		return
	}
	edit := tgbotapi.NewEditMessageText(q.Message.Chat.ID, q.Message.MessageID,
		q.Message.Text+"\n\n"+chosenMark+label)
	if _, err := b.client(ctx).Request(edit); err != nil {
		b.log.Warn("telegram: mark chosen option failed", "update_id", u.UpdateID, "err", b.redact(err))
	}
}

// buttonLabel finds the text of the inline button carrying data.
func buttonLabel(kb *tgbotapi.InlineKeyboardMarkup, data string) (string, bool) {
	if kb == nil {
		return "", false
	}
	for _, row := range kb.InlineKeyboard {
		for _, button := range row {
			if button.CallbackData != nil && *button.CallbackData == data {
				return button.Text, true
			}
		}
	}
	return "", false
}
