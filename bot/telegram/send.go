package telegram

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store"
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
// file id; a kept file ("sha256:…", Config.Files) by the file_id noted for
// it, else uploaded once and its file_id noted for the next recipients. One
// with neither, or with another channel's file id, is not sent (the Text
// still is).
//
// A message answered 429 is sent again after the wait Telegram asks for, up
// to MaxRetries attempts. When the user blocked the bot (403) or the chat does
// not exist, the error wraps bot.ErrUnreachable. After any error the caller
// may call Send again with the same replies: the ones sent already are sent
// again.
//
// The dispatcher hands Send one reply at a time and marks it delivered once
// Send returns nil, that is once Telegram answered 200 to its (last)
// message. A reply sent as several messages (a text over 4096 units, a
// document after a caption too long) is therefore sent whole again when the
// process dies between them.
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

// Split returns the replies Send sends r as, each one Telegram message when
// sent on its own: a text over 4096 units in parts cut as Send cuts them,
// the keyboard with the last; a document whose text is too long for a
// caption, its text first and then the document without a caption, with
// the keyboard. So a limiter (delivery.Limited) takes a turn for each.
func (b *Bot) Split(r flows.Reply) []flows.Reply { return Split(r) }

// Split is Bot.Split; it needs no bot.
func Split(r flows.Reply) []flows.Reply {
	if r.File != nil && utf16Len(r.Text) <= maxCaptionLen {
		return []flows.Reply{r}
	}
	parts := splitText(r.Text, maxTextLen)
	if r.File == nil && len(parts) <= 1 {
		return []flows.Reply{r}
	}
	out := make([]flows.Reply, 0, len(parts)+1)
	for _, p := range parts {
		out = append(out, flows.Reply{Text: p, Bulk: r.Bulk})
	}
	last := r
	if r.File != nil {
		last.Text = "" // the document, after its text
	} else {
		out, last.Text = out[:len(out)-1], parts[len(parts)-1]
	}
	return append(out, last)
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
		if _, err := b.send(ctx, chat, "sendMessage", msg); err != nil {
			return err
		}
	}
	return nil
}

// sendDocument sends r, which has a File, as a document.
func (b *Bot) sendDocument(ctx context.Context, chat int64, r flows.Reply) error {
	var data tgbotapi.RequestFileData
	kept := "" // a kept file uploaded by this send: its file_id is noted
	switch f := r.File; {
	case len(f.Data) > 0:
		data = tgbotapi.FileBytes{Name: cmp.Or(f.Name, defaultFileName), Bytes: f.Data}
	case store.IsFileRef(f.ID):
		d, upload, release, err := b.keptFile(ctx, f)
		if err != nil {
			return err
		}
		defer release()
		if d == nil {
			r.File = nil
			return b.sendReply(ctx, chat, r)
		}
		if data = d; upload {
			kept = f.ID
		}
	case f.ID != "" && !strings.Contains(f.ID, ":"): // Telegram's file ids are base64url
		data = tgbotapi.FileID(f.ID)
	default:
		// Telegram refuses an empty file, and another channel's file id;
		// retrying would not help.
		b.log.Warn("telegram: document not sendable here; only its text goes", "chat", chat, "name", f.Name, "other_channel", f.ID != "")
		r.File = nil
		return b.sendReply(ctx, chat, r)
	}
	doc := tgbotapi.NewDocument(chat, data)
	if utf16Len(r.Text) <= maxCaptionLen {
		doc.Caption = r.Text
	} else {
		for _, part := range splitText(r.Text, maxTextLen) {
			if _, err := b.send(ctx, chat, "sendMessage", tgbotapi.NewMessage(chat, part)); err != nil {
				return err
			}
		}
	}
	doc.ReplyMarkup = replyMarkup(r)
	msg, err := b.send(ctx, chat, "sendDocument", doc)
	if err != nil || kept == "" {
		return err
	}
	if msg.Document == nil || msg.Document.FileID == "" {
		b.log.Warn("telegram: upload gave no file id to note", "name", r.File.Name)
	} else if err := b.cfg.Files.SetChannelID(ctx, kept, Channel, msg.Document.FileID); err != nil {
		b.log.Warn("telegram: upload not noted; the next recipient uploads again", "name", r.File.Name, "err", err)
	}
	return nil
}

// keptFile is how to send the kept file f: by the file_id noted for it
// (from where it came, or the first send here), or its bytes to upload
// (upload true). It is nil when the file is no longer kept, or there is no
// store (Config.Files): only the text goes then. One upload at a time, so
// that a broadcast's recipients, sent to in parallel, share the first
// one's file_id: call release once the upload is sent and noted.
func (b *Bot) keptFile(ctx context.Context, f *flows.File) (data tgbotapi.RequestFileData, upload bool, release func(), err error) {
	none := func() {}
	if b.cfg.Files == nil {
		b.log.Warn("telegram: kept file but no store of them; only the text goes", "name", f.Name)
		return nil, false, none, nil
	}
	if id, err := b.cfg.Files.ChannelID(ctx, f.ID, Channel); err != nil || id != "" {
		return tgbotapi.FileID(id), false, none, err
	}
	select {
	case b.uploads <- struct{}{}:
	case <-ctx.Done():
		return nil, false, none, fmt.Errorf("wait to upload %q: %w", f.Name, ctx.Err())
	}
	release = func() { <-b.uploads }
	id, err := b.cfg.Files.ChannelID(ctx, f.ID, Channel) // uploaded meanwhile?
	if err != nil || id != "" {
		release()
		return tgbotapi.FileID(id), false, none, err
	}
	raw, err := b.cfg.Files.Get(ctx, f.ID)
	if errors.Is(err, store.ErrFileNotKept) {
		release()
		b.log.Warn("telegram: kept file gone; only the text goes", "name", f.Name, "file", f.ID)
		return nil, false, none, nil
	}
	if err != nil {
		release()
		return nil, false, none, err
	}
	return tgbotapi.FileBytes{Name: cmp.Or(f.Name, defaultFileName), Bytes: raw}, true, release, nil
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
// out 429 answers up to MaxRetries attempts, and returns the message sent.
func (b *Bot) send(ctx context.Context, chat int64, method string, c tgbotapi.Chattable) (tgbotapi.Message, error) {
	for attempt := 1; ; attempt++ {
		api := b.client(ctx)
		status := &statusClient{client: api.Client, paid: b.cfg.PaidBroadcast && bot.ClassOf(ctx) == bot.Bulk}
		api.Client = status
		msg, err := api.Send(c)
		if err == nil {
			return msg, nil
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
			return tgbotapi.Message{}, fmt.Errorf("%s: %w", method, err)
		case unreachable(apiErr):
			return tgbotapi.Message{}, fmt.Errorf("%s: %w: %w", method, bot.ErrUnreachable, err)
		case apiErr.Code == http.StatusTooManyRequests && attempt < b.cfg.MaxRetries:
			wait := max(retryAfter(err), minBackoff)
			b.log.Info("telegram: rate limited, waiting", "method", method, "chat", chat, "wait", wait, "attempt", attempt)
			if b.cfg.OnRateLimited != nil {
				// A shared limiter paces us: it waits out the pause with
				// every other message, rather than this one jumping the queue.
				b.cfg.OnRateLimited(ctx, wait)
				return tgbotapi.Message{}, fmt.Errorf("%s: %w: %w", method, bot.ErrRateLimited, err)
			}
			if err := sleep(ctx, wait); err != nil {
				return tgbotapi.Message{}, fmt.Errorf("%s: waiting out a rate limit: %w", method, err)
			}
		default:
			return tgbotapi.Message{}, fmt.Errorf("%s: %w (code %d)", method, err, apiErr.Code)
		}
	}
}

// statusClient is a tgbotapi.HTTPClient that notes the HTTP status of the
// last response. Use it for one request at a time.
type statusClient struct {
	client tgbotapi.HTTPClient
	code   int
	// paid adds allow_paid_broadcast=true, in the URL's query (go-telegram-
	// bot-api v5.5.1 has no field for it; the Bot API reads parameters from
	// the query string of a form or multipart request too).
	paid bool
}

func (c *statusClient) Do(req *http.Request) (*http.Response, error) {
	if c.paid {
		q := req.URL.Query()
		q.Set("allow_paid_broadcast", "true")
		req.URL.RawQuery = q.Encode()
	}
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

// splitText cuts text into parts of at most limit UTF-16 code units, at
// paragraph ends (a blank line) where it can, else at line ends, else at a
// space, else between runes. Parts are trimmed of surrounding newlines;
// blank parts are dropped, so a blank text gives none.
func splitText(text string, limit int) []string {
	var parts []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			parts = append(parts, splitLines(cur.String(), limit)...)
		}
		cur.Reset()
	}
	curLen := 0
	for _, para := range strings.SplitAfter(text, "\n\n") {
		visible := utf16Len(strings.TrimRight(para, "\n"))
		if curLen > 0 && curLen+visible > limit {
			flush()
			curLen = 0
		}
		cur.WriteString(para)
		curLen += utf16Len(para)
	}
	flush()
	return parts
}

// splitLines cuts text as splitText does, at line ends where it can.
func splitLines(text string, limit int) []string {
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
