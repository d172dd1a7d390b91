package whatsapp

import (
	"context"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"

	"github.com/saathi-bot/saathi/bot"
)

// Pacing of progress messages (services.Poster). Each edit is one more
// message to WhatsApp, outside WHATSAPP_RATE, so a progress message is
// edited rarely; and WhatsApp applies an edit only within 15 minutes of
// the message (whatsmeow.EditWindow says 20), so an older one is replaced
// by a new message.
const (
	progressEvery  = 30 * time.Second
	progressWindow = 14 * time.Minute
)

// Post sends text to user (a phone number, digits only) outside any
// conversation (a broadcast's progress), as Send sends a reply's text but
// without "typing…", and returns the message's id, for Edit.
func (a *Adapter) Post(ctx context.Context, user, text string) (string, error) {
	to, err := chatOf(user)
	if err != nil {
		return "", fmt.Errorf("whatsapp: post to %s: %w", bot.MaskUser(user), err)
	}
	id, err := a.sendID(ctx, to, &waE2E.Message{Conversation: proto.String(text)})
	if err != nil {
		return "", fmt.Errorf("whatsapp: post to %s: %w", bot.MaskUser(to.User), err)
	}
	return id, nil
}

// Edit replaces the text of message id, one Post sent to user, by sending
// an edit of it.
func (a *Adapter) Edit(ctx context.Context, user, id, text string) error {
	to, err := chatOf(user)
	if err != nil {
		return fmt.Errorf("whatsapp: edit in %s: %w", bot.MaskUser(user), err)
	}
	edit := a.cli.BuildEdit(to, id, &waE2E.Message{Conversation: proto.String(text)})
	if err := a.send(ctx, to, edit); err != nil {
		return fmt.Errorf("whatsapp: edit message %s in %s: %w", id, bot.MaskUser(to.User), err)
	}
	return nil
}

// EditPace: at most one edit every 30 s (the final numbers go at once),
// and a new message once the old one is 14 minutes old.
func (a *Adapter) EditPace() (every, window time.Duration) { return progressEvery, progressWindow }
