package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows"
)

// Server error codes of a message send that no retry cures.
var unreachableCodes = []string{
	"463", // the recipient never wrote to the bot (missing privacy token) in this whatsmeow build
}

// Send delivers replies to user (a phone number, digits only, as in
// flows.Input.User) in order. It implements bot.Sender.
//
// Each reply is preceded by "typing…" (Config.TypingDelay) and sent as one
// plain text message: its Options as numbered lines ("1) आऊँगा"), remembered
// by the message's id in Config.SentOptions for replies quoting it. A
// contact or location Request adds nothing (see Render). A reply with a File with Data is the text message
// followed by the document (uploaded). A File with an ID goes too when it
// is WhatsApp's own (a file a user sent here, sent on as WhatsApp forwards
// it) or a kept file (store.Files, Config.Files: uploaded once, and the
// upload reused for the next recipients); another channel's file id cannot
// be sent here, so only the text goes, and that is logged.
//
// A number that is not on WhatsApp, or one WhatsApp refuses because it
// never wrote first, gives an error wrapping bot.ErrUnreachable. After any
// other error the caller may call Send again: replies sent already are sent
// again. The dispatcher hands Send one reply at a time and marks it
// delivered once Send returns nil (WhatsApp's server acknowledged the
// message); a reply with a document is two messages, sent whole again when
// the process dies between them.
func (a *Adapter) Send(ctx context.Context, user string, replies []flows.Reply) error {
	to, err := chatOf(user)
	if err != nil {
		return fmt.Errorf("whatsapp: send to %s: %w", bot.MaskUser(user), err)
	}
	for i, r := range replies {
		if err := a.sendReply(ctx, to, r); err != nil {
			return fmt.Errorf("whatsapp: send to %s: reply %d of %d: %w", bot.MaskUser(to.User), i+1, len(replies), err)
		}
	}
	return nil
}

// chatOf is the private chat of user, a phone number (digits only); an
// error wrapping bot.ErrUnreachable when it is not one.
func chatOf(user string) (types.JID, error) {
	phone, ok := digitsOnly(user)
	if !ok || len(phone) < 7 || len(phone) > 15 {
		return types.EmptyJID, fmt.Errorf("not a phone number: %w", bot.ErrUnreachable)
	}
	return types.NewJID(phone, types.DefaultUserServer), nil
}

// Split returns the replies Send sends r as, each one WhatsApp message when
// sent on its own: a reply with a file and a text is its text (with its
// options) and then the document, so that a limiter (delivery.Limited)
// takes a turn for each and the chat's interval holds between them.
func (a *Adapter) Split(r flows.Reply) []flows.Reply {
	if r.File == nil || Render(r) == "" {
		return []flows.Reply{r}
	}
	text, doc := r, r
	text.File = nil
	doc.Text, doc.Options = "", nil
	return []flows.Reply{text, doc}
}

// sendReply sends one reply: typing, its text, then its document if any.
func (a *Adapter) sendReply(ctx context.Context, to types.JID, r flows.Reply) error {
	text := Render(r)
	var doc *waE2E.Message
	if f := r.File; f != nil {
		var err error
		if doc, err = a.fileMessage(ctx, f); err != nil {
			return err
		}
		if doc == nil {
			a.log.Warn("whatsapp: file not sendable here; only its text goes", "name", f.Name, "to", bot.MaskUser(to.User))
		}
	}
	if text == "" && doc == nil {
		a.log.Warn("whatsapp: empty reply not sent", "to", bot.MaskUser(to.User))
		return nil
	}
	a.typing(ctx, to)
	if text != "" {
		id, err := a.sendID(ctx, to, &waE2E.Message{Conversation: proto.String(text)})
		if err != nil {
			return err
		}
		a.rememberOptions(ctx, to, id, r.Options)
	}
	if doc != nil {
		return a.send(ctx, to, doc)
	}
	return nil
}

// rememberOptions notes the options of message id, sent to chat to, for
// replies that quote it. A failure is only logged: the message went.
func (a *Adapter) rememberOptions(ctx context.Context, to types.JID, id types.MessageID, opts []flows.Option) {
	if a.cfg.SentOptions == nil || len(opts) == 0 {
		return
	}
	if err := a.cfg.SentOptions.Remember(ctx, Channel, to.User, id, opts); err != nil {
		a.log.Warn("whatsapp: options of a sent message not remembered; a reply quoting it is read as text", "id", id, "to", bot.MaskUser(to.User), "err", err)
	}
}

// typing shows "typing…" in the chat for TypingDelay. Failures (no push
// name set yet, not connected) are only logged: the message still goes.
func (a *Adapter) typing(ctx context.Context, to types.JID) {
	if err := a.cli.SendChatPresence(ctx, to, types.ChatPresenceComposing, types.ChatPresenceMediaText); err != nil {
		a.log.Debug("whatsapp: typing presence failed", "err", err)
	}
	if a.cfg.TypingDelay <= 0 {
		return
	}
	t := time.NewTimer(a.cfg.TypingDelay)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// send sends one message, mapping errors no retry cures to bot.ErrUnreachable.
func (a *Adapter) send(ctx context.Context, to types.JID, m *waE2E.Message) error {
	_, err := a.sendID(ctx, to, m)
	return err
}

// sendID is send, returning the id of the message sent.
func (a *Adapter) sendID(ctx context.Context, to types.JID, m *waE2E.Message) (types.MessageID, error) {
	resp, err := a.cli.SendMessage(ctx, to, m)
	if err != nil {
		err = redact(err, to.User)
		if unreachable(err) {
			return "", fmt.Errorf("send message: %w: %w", bot.ErrUnreachable, err)
		}
		return "", fmt.Errorf("send message: %w", err)
	}
	return resp.ID, nil
}

// unreachable tells the send errors that mean the number cannot be written
// to: not on WhatsApp (whatsmeow finds no account for it) or refused by the
// server with a code in unreachableCodes.
func unreachable(err error) bool {
	msg := err.Error()
	if strings.Contains(msg, "no LID found for") {
		return true // GetUserInfo knows no such account
	}
	if errors.Is(err, whatsmeow.ErrServerReturnedError) {
		for _, code := range unreachableCodes {
			if strings.HasSuffix(msg, " "+code) {
				return true
			}
		}
	}
	return false
}

// Render is the text a reply is sent as on WhatsApp: its Text, then its
// Options numbered one per line ("1) आऊँगा"). A contact or location
// Request adds nothing: WhatsApp has no button for it, and the engine
// renders texts for WhatsApp with {{.plain}}, so they say what to type or
// attach instead. It is "" for a reply with nothing to say.
func Render(r flows.Reply) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(r.Text))
	para := func() {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
	}
	if len(r.Options) > 0 {
		para()
		for i, o := range r.Options {
			if i > 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "%d) %s", i+1, o.Label)
		}
	}
	return b.String()
}

// redact hides phone in err's text (whatsmeow's errors name the JID), so
// that logs of it do not show the whole number. errors.Is and errors.As
// still see err.
func redact(err error, phone string) error {
	msg := err.Error()
	if phone == "" || !strings.Contains(msg, phone) {
		return err
	}
	return &redactedError{err: err, msg: strings.ReplaceAll(msg, phone, bot.MaskUser(phone))}
}

type redactedError struct {
	err error
	msg string
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
