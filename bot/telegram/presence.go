package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Presence is how the bot shows itself in one language: the "/" menu for
// everyone and the texts a new user sees before pressing START.
type Presence struct {
	// Lang is the language (IETF code, "en"); "" is the default, shown to
	// every user whose Telegram language has none of its own.
	Lang string
	// Commands is the menu for everyone.
	Commands []Command
	// Description is shown in an empty chat with the bot (up to 512
	// characters); ShortDescription on its profile and in shared links (up
	// to 120).
	Description, ShortDescription string
}

// Command is one entry of a command menu: the command without its slash
// (a-z, 0-9 and _, up to 32) and what it does (up to 256 characters).
type Command struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// SetPresence sets, for each language, the menu for everyone and the two
// descriptions. Setting the same again changes nothing, so it is done at
// every start. go-telegram-bot-api v5.5.1 has no scopes and no
// descriptions: every request goes through MakeRequest with Telegram's
// own parameters.
func (b *Bot) SetPresence(ctx context.Context, ps []Presence) error {
	for _, p := range ps {
		if err := b.setCommands(ctx, scopeDefault, p.Lang, p.Commands); err != nil {
			return err
		}
		if err := b.request(ctx, "setMyDescription", p.Lang, tgbotapi.Params{"description": p.Description}); err != nil {
			return err
		}
		if err := b.request(ctx, "setMyShortDescription", p.Lang, tgbotapi.Params{"short_description": p.ShortDescription}); err != nil {
			return err
		}
	}
	return nil
}

// SetChatCommands gives one private chat a menu of its own (scope chat),
// in whatever language the user's Telegram is set to: a coordinator's
// longer menu.
func (b *Bot) SetChatCommands(ctx context.Context, user string, cmds []Command) error {
	scope, err := scopeChat(user)
	if err != nil {
		return err
	}
	return b.setCommands(ctx, scope, "", cmds)
}

// DeleteChatCommands takes a chat's own menu away: it sees the menu for
// everyone again.
func (b *Bot) DeleteChatCommands(ctx context.Context, user string) error {
	scope, err := scopeChat(user)
	if err != nil {
		return err
	}
	return b.request(ctx, "deleteMyCommands", "", tgbotapi.Params{"scope": scope})
}

const scopeDefault = `{"type":"default"}`

func scopeChat(user string) (string, error) {
	chat, err := strconv.ParseInt(user, 10, 64)
	if err != nil {
		return "", fmt.Errorf("telegram: menu for %q: not a chat id", user)
	}
	return fmt.Sprintf(`{"type":"chat","chat_id":%d}`, chat), nil
}

func (b *Bot) setCommands(ctx context.Context, scope, lang string, cmds []Command) error {
	buf, err := json.Marshal(cmds)
	if err != nil {
		return fmt.Errorf("telegram: set commands: %w", err)
	}
	return b.request(ctx, "setMyCommands", lang, tgbotapi.Params{"commands": string(buf), "scope": scope})
}

// request makes one Bot API request with language_code when lang is set.
func (b *Bot) request(ctx context.Context, method, lang string, params tgbotapi.Params) error {
	if lang != "" {
		params["language_code"] = lang
	}
	if _, err := b.client(ctx).MakeRequest(method, params); err != nil {
		where := method
		if lang != "" {
			where += " (" + lang + ")"
		}
		return fmt.Errorf("telegram: %s: %w", where, b.redact(err))
	}
	return nil
}
