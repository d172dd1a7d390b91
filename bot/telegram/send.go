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

// Longest texts Telegram takes, in UTF-16 code units.
const (
	maxTextLen    = 4096 // of a message
	maxCaptionLen = 1024 // of a document's caption
)

// defaultFileName names a document sent without a name.
const defaultFileName = "document"

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
// A reply with a File is sent as a document (sendDocument), its Text as the
// caption. A Text too long for a caption goes first, as message(s) of its
// own, and the document follows without a caption; the keyboard goes with
// the document. A File without Data but with an ID is sent by that Telegram
// file id; one with neither is not sent (the Text still is).
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
	if r.File != nil {
		return b.sendDocument(ctx, chat, r)
	}
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
		if err := b.send(ctx, chat, "sendMessage", msg); err != nil {
			return err
		}
	}
	return nil
}

// sendDocument sends r, which has a File, as a document.
func (b *Bot) sendDocument(ctx context.Context, chat int64, r flows.Reply) error {
	var data tgbotapi.RequestFileData
	switch f := r.File; {
	case len(f.Data) > 0:
		data = tgbotapi.FileBytes{Name: cmp.Or(f.Name, defaultFileName), Bytes: f.Data}
	case f.ID != "":
		data = tgbotapi.FileID(f.ID)
	default:
		// Telegram refuses an empty file; retrying would not help.
		b.log.Warn("telegram: empty document not sent", "chat", chat, "name", f.Name)
		r.File = nil
		return b.sendReply(ctx, chat, r)
	}
	doc := tgbotapi.NewDocument(chat, data)
	if utf16Len(r.Text) <= maxCaptionLen {
		doc.Caption = r.Text
	} else {
		for _, part := range splitText(r.Text, maxTextLen) {
			if err := b.send(ctx, chat, "sendMessage", tgbotapi.NewMessage(chat, part)); err != nil {
				return err
			}
		}
	}
	doc.ReplyMarkup = replyMarkup(r)
	return b.send(ctx, chat, "sendDocument", doc)
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

// send makes the request c (method names it in errors) to the chat, waiting
// out 429 answers up to MaxRetries attempts.
func (b *Bot) send(ctx context.Context, chat int64, method string, c tgbotapi.Chattable) error {
	for attempt := 1; ; attempt++ {
		api := b.client(ctx)
		status := &statusClient{client: api.Client}
		api.Client = status
		_, err := api.Send(c)
		if err == nil {
			return nil
		}
		apiErr, ok := apiError(err)
		if ok && apiErr.Code == 0 && status.code >= http.StatusBadRequest {
			// Uploads (UploadFiles) leave the code out of the error in
			// v5.5.1; Telegram answers with it as the HTTP status.
			apiErr.Code = status.code
		}
		err = b.redact(err)
		switch {
		case !ok:
			return fmt.Errorf("%s: %w", method, err)
		case unreachable(apiErr):
			return fmt.Errorf("%s: %w: %w", method, bot.ErrUnreachable, err)
		case apiErr.Code == http.StatusTooManyRequests && attempt < b.cfg.MaxRetries:
			wait := max(retryAfter(err), minBackoff)
			b.log.Info("telegram: rate limited, waiting", "method", method, "chat", chat, "wait", wait, "attempt", attempt)
			if b.cfg.OnRateLimited != nil {
				// A shared limiter paces us: it waits out the pause with
				// every other message, rather than this one jumping the queue.
				b.cfg.OnRateLimited(ctx, wait)
				return fmt.Errorf("%s: %w: %w", method, bot.ErrRateLimited, err)
			}
			if err := sleep(ctx, wait); err != nil {
				return fmt.Errorf("%s: waiting out a rate limit: %w", method, err)
			}
		default:
			return fmt.Errorf("%s: %w (code %d)", method, err, apiErr.Code)
		}
	}
}

// statusClient is a tgbotapi.HTTPClient that notes the HTTP status of the
// last response. Use it for one request at a time.
type statusClient struct {
	client tgbotapi.HTTPClient
	code   int
}

func (c *statusClient) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.client.Do(req)
	if resp != nil {
		c.code = resp.StatusCode
	}
	return resp, err
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
