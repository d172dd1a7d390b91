package telegram

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
)

// MenuMemory remembers which chats were given a menu of their own, by a
// sum of that menu (store.ChatMenus keeps it in Redis).
type MenuMemory interface {
	All(ctx context.Context) (map[string]string, error)
	Set(ctx context.Context, user, sum string) error
	Delete(ctx context.Context, user string) error
}

// MenuSync keeps the menus of single chats (coordinators' and admins'
// longer ones) in step with who should have one.
type MenuSync struct {
	Bot    *Bot
	Memory MenuMemory
	// Want maps each chat that should have a menu of its own to that menu.
	Want func(ctx context.Context) (map[string][]Command, error)
}

// Sync gives every chat Want names its menu, unless Memory says it has it
// already, and takes the menu away from every chat Memory names and Want
// does not. It returns how many chats it changed. A chat Telegram refuses
// (the user never started the bot, or blocked it) is skipped and tried
// again at the next Sync; any other failure stops it.
func (m *MenuSync) Sync(ctx context.Context) (changed int, err error) {
	want, err := m.Want(ctx)
	if err != nil {
		return 0, err
	}
	have, err := m.Memory.All(ctx)
	if err != nil {
		return 0, err
	}
	for user, cmds := range want {
		sum := menuSum(cmds)
		if have[user] == sum {
			continue
		}
		if err := m.Bot.SetChatCommands(ctx, user, cmds); err != nil {
			if chatRefused(err) {
				continue
			}
			return changed, err
		}
		if err := m.Memory.Set(ctx, user, sum); err != nil {
			return changed, err
		}
		changed++
	}
	for user := range have {
		if _, ok := want[user]; ok {
			continue
		}
		if err := m.Bot.DeleteChatCommands(ctx, user); err != nil && !chatRefused(err) {
			return changed, err
		}
		if err := m.Memory.Delete(ctx, user); err != nil {
			return changed, err
		}
		changed++
	}
	return changed, nil
}

func menuSum(cmds []Command) string {
	buf, _ := json.Marshal(cmds) // a slice of string pairs always marshals
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:8])
}

// chatRefused: Telegram will not set anything for this chat (chat not
// found, bot blocked), now or until the user writes again.
func chatRefused(err error) bool {
	e, ok := apiError(err)
	return ok && (e.Code == http.StatusBadRequest || e.Code == http.StatusForbidden)
}

// TokenRefused tells whether err (from New) is Telegram refusing the bot
// token, which no retry mends, rather than Telegram being out of reach.
func TokenRefused(err error) bool {
	e, ok := apiError(err)
	return ok && (e.Code == http.StatusUnauthorized || e.Code == http.StatusNotFound)
}
