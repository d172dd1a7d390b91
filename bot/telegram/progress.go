package telegram

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Post sends a plain text message outside any conversation (a broadcast's
// progress) and returns its message id, in decimal, so that Edit can
// change it.
func (b *Bot) Post(ctx context.Context, user, text string) (string, error) {
	chat, err := strconv.ParseInt(user, 10, 64)
	if err != nil {
		return "", fmt.Errorf("post to %q: not a Telegram chat id", user)
	}
	m, err := b.client(ctx).Send(tgbotapi.NewMessage(chat, text))
	if err != nil {
		return "", fmt.Errorf("post to %s: %w", user, b.redact(err))
	}
	return strconv.Itoa(m.MessageID), nil
}

// Edit replaces the text of message id (as Post returned it) in user's
// chat. Telegram's "message is not modified" (the same text again) is not
// an error.
func (b *Bot) Edit(ctx context.Context, user, id, text string) error {
	chat, err := strconv.ParseInt(user, 10, 64)
	if err != nil {
		return fmt.Errorf("edit in %q: not a Telegram chat id", user)
	}
	msg, err := strconv.Atoi(id)
	if err != nil {
		return fmt.Errorf("edit in %s: %q is not a Telegram message id", user, id)
	}
	if _, err := b.client(ctx).Request(tgbotapi.NewEditMessageText(chat, msg, text)); err != nil {
		if strings.Contains(err.Error(), "message is not modified") {
			return nil
		}
		return fmt.Errorf("edit message %d in %s: %w", msg, user, b.redact(err))
	}
	return nil
}

// EditPace: a bot may edit its own messages in a private chat at any time,
// so progress is edited whenever its numbers change (serve looks every few
// seconds).
func (b *Bot) EditPace() (every, window time.Duration) { return 0, 0 }
