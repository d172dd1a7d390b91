package telegram

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Post sends a plain text message outside any conversation (a broadcast's
// progress) and returns its message id, so that Edit can change it.
func (b *Bot) Post(ctx context.Context, user, text string) (int, error) {
	chat, err := strconv.ParseInt(user, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("post to %q: not a Telegram chat id", user)
	}
	m, err := b.client(ctx).Send(tgbotapi.NewMessage(chat, text))
	if err != nil {
		return 0, fmt.Errorf("post to %s: %w", user, b.redact(err))
	}
	return m.MessageID, nil
}

// Edit replaces the text of message id in user's chat. Telegram's "message
// is not modified" (the same text again) is not an error.
func (b *Bot) Edit(ctx context.Context, user string, id int, text string) error {
	chat, err := strconv.ParseInt(user, 10, 64)
	if err != nil {
		return fmt.Errorf("edit in %q: not a Telegram chat id", user)
	}
	if _, err := b.client(ctx).Request(tgbotapi.NewEditMessageText(chat, id, text)); err != nil {
		if strings.Contains(err.Error(), "message is not modified") {
			return nil
		}
		return fmt.Errorf("edit message %d in %s: %w", id, user, b.redact(err))
	}
	return nil
}
