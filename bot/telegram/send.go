package telegram

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows"
)

// maxTextLen is the longest message text Telegram takes, in UTF-16 code units.
const maxTextLen = 4096

// Labels of the request buttons when a Reply names none.
const (
	defaultContactLabel  = "📞"
	defaultLocationLabel = "📍"
)

// Send delivers replies to the private chat user (a decimal chat id), in
// order, as plain text (no parse mode, so echoed user text cannot inject
// markup). A reply's Options become an inline keyboard, one button per row;
// a contact or location Request becomes a one-time reply keyboard with one
// button; any other reply removes a leftover reply keyboard. Texts longer
// than Telegram's limit are split at line ends, the keyboard going with the
// last part.
//
// A message answered 429 is sent again after the wait Telegram asks for, up
// to MaxRetries attempts. When the user blocked the bot (403) or the chat does
// not exist, the error wraps bot.ErrUnreachable. After any error the caller
// may call Send again with the same replies: the ones sent already are sent
// again.
func (b *Bot) Send(ctx context.Context, user string, replies []flows.Reply) error {
	chat, err := strconv.ParseInt(user, 10, 64)
	if err != nil {
		return fmt.Errorf("send to %q: not a Telegram chat id: %w", user, bot.ErrUnreachable)
	}
	for i, r := range replies {
		if err := b.sendReply(ctx, chat, r); err != nil {
			return fmt.Errorf("send to %s: reply %d of %d: %w", user, i+1, len(replies), err)
		}
	}
	return nil
}

// sendReply sends one reply as one or more messages.
func (b *Bot) sendReply(ctx context.Context, chat int64, r flows.Reply) error {
	parts := splitText(r.Text, maxTextLen)
	if len(parts) == 0 {
		// Telegram refuses an empty text; retrying would not help.
		b.log.Warn("telegram: empty reply not sent", "chat", chat, "options", len(r.Options))
		return nil
	}
	for i, part := range parts {
		msg := tgbotapi.NewMessage(chat, part)
		if i == len(parts)-1 {
			msg.ReplyMarkup = replyMarkup(r)
		}
		if err := b.sendMessage(ctx, msg); err != nil {
			return err
		}
	}
	return nil
}

// replyMarkup is the keyboard that goes with r.
func replyMarkup(r flows.Reply) any {
	switch {
	case len(r.Options) > 0:
		rows := make([][]tgbotapi.InlineKeyboardButton, 0, len(r.Options))
		for _, o := range r.Options {
			rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(o.Label, o.Data)))
		}
		return tgbotapi.NewInlineKeyboardMarkup(rows...)
	case r.Request == flows.RequestContact:
		return requestKeyboard(tgbotapi.KeyboardButton{
			Text: cmp.Or(r.RequestLabel, defaultContactLabel), RequestContact: true,
		})
	case r.Request == flows.RequestLocation:
		return requestKeyboard(tgbotapi.KeyboardButton{
			Text: cmp.Or(r.RequestLabel, defaultLocationLabel), RequestLocation: true,
		})
	default:
		return tgbotapi.NewRemoveKeyboard(false)
	}
}

func requestKeyboard(button tgbotapi.KeyboardButton) tgbotapi.ReplyKeyboardMarkup {
	return tgbotapi.ReplyKeyboardMarkup{
		Keyboard:        [][]tgbotapi.KeyboardButton{{button}},
		ResizeKeyboard:  true,
		OneTimeKeyboard: true,
	}
}

// sendMessage sends msg, waiting out 429 answers up to MaxRetries attempts.
func (b *Bot) sendMessage(ctx context.Context, msg tgbotapi.MessageConfig) error {
	for attempt := 1; ; attempt++ {
		_, err := b.client(ctx).Send(msg)
		if err == nil {
			return nil
		}
		err = b.redact(err)
		apiErr, ok := apiError(err)
		switch {
		case !ok:
			return fmt.Errorf("sendMessage: %w", err)
		case unreachable(apiErr):
			return fmt.Errorf("sendMessage: %w: %w", bot.ErrUnreachable, err)
		case apiErr.Code == http.StatusTooManyRequests && attempt < b.cfg.MaxRetries:
			wait := max(retryAfter(err), minBackoff)
			b.log.Info("telegram: rate limited, waiting", "chat", msg.ChatID, "wait", wait, "attempt", attempt)
			if err := sleep(ctx, wait); err != nil {
				return fmt.Errorf("sendMessage: waiting out a rate limit: %w", err)
			}
		default:
			return fmt.Errorf("sendMessage: %w (code %d)", err, apiErr.Code)
		}
	}
}

// unreachable tells the errors that no retry will cure: the user blocked
// the bot or deleted the account (403), or the chat does not exist.
func unreachable(e *tgbotapi.Error) bool {
	return e.Code == http.StatusForbidden ||
		e.Code == http.StatusBadRequest && strings.Contains(strings.ToLower(e.Message), "chat not found")
}

// splitText cuts text into parts of at most limit UTF-16 code units, at line
// ends where it can, else at a space, else between runes. Parts are trimmed
// of surrounding newlines; blank parts are dropped, so a blank text gives none.
func splitText(text string, limit int) []string {
	var parts []string
	var cur strings.Builder
	flush := func() {
		if part := strings.Trim(cur.String(), "\n"); strings.TrimSpace(part) != "" {
			parts = append(parts, part)
		}
		cur.Reset()
	}
	curLen := 0
	// visible is a line's length without its newline, which a part's end drops.
	visible := func(line string) int { return utf16Len(strings.TrimSuffix(line, "\n")) }
	for _, line := range strings.SplitAfter(text, "\n") {
		if curLen+visible(line) > limit {
			flush()
			curLen = 0
		}
		for visible(line) > limit {
			head, tail := cutLine(line, limit)
			cur.WriteString(head)
			flush()
			line = tail
		}
		cur.WriteString(line)
		curLen += utf16Len(line)
	}
	flush()
	return parts
}

// cutLine cuts line, longer than limit UTF-16 units, after its last space
// within the limit, or at the limit when there is no space in its second half.
func cutLine(line string, limit int) (head, tail string) {
	units, cut, space := 0, 0, 0
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRuneInString(line[i:])
		units += runeUnits(r)
		if units > limit && cut > 0 {
			break
		}
		i += size
		cut = i
		if r == ' ' {
			space = cut
		}
	}
	if space > cut/2 {
		cut = space
	}
	return line[:cut], line[cut:]
}

// utf16Len is the length of s in UTF-16 code units, as Telegram counts.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += runeUnits(r)
	}
	return n
}

func runeUnits(r rune) int {
	if utf16.RuneLen(r) == 2 {
		return 2
	}
	return 1 // invalid UTF-8 becomes U+FFFD on the way
}
