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
	// WantChat is Want for one chat: its menu, and whether it should have
	// one of its own.
	WantChat func(ctx context.Context, user string) ([]Command, bool, error)
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
		if have[user] == menuSum(cmds) {
			continue
		}
		done, err := m.give(ctx, user, cmds)
		if err != nil {
			return changed, err
		}
		if done {
			changed++
		}
	}
	for user := range have {
		if _, ok := want[user]; ok {
			continue
		}
		if err := m.take(ctx, user); err != nil {
			return changed, err
		}
		changed++
	}
	return changed, nil
}

// SyncChats is Sync for the chats users only (a chat just linked to a
// coordinator, a person who became or stopped being one): each gets the
// menu WantChat gives it, or loses its own. It returns how many it changed.
func (m *MenuSync) SyncChats(ctx context.Context, users []string) (changed int, err error) {
	if len(users) == 0 {
		return 0, nil
	}
	have, err := m.Memory.All(ctx)
	if err != nil {
		return 0, err
	}
	for _, user := range users {
		cmds, ok, err := m.WantChat(ctx, user)
		if err != nil {
			return changed, err
		}
		switch {
		case ok && have[user] != menuSum(cmds):
			done, err := m.give(ctx, user, cmds)
			if err != nil {
				return changed, err
			}
			if !done {
				continue
			}
		case !ok && have[user] != "":
			if err := m.take(ctx, user); err != nil {
				return changed, err
			}
		default:
			continue
		}
		changed++
	}
	return changed, nil
}

// give sets user's chat menu and notes it; done is false when Telegram
// refuses the chat (never started, blocked): it is tried again later.
func (m *MenuSync) give(ctx context.Context, user string, cmds []Command) (done bool, err error) {
	if err := m.Bot.SetChatCommands(ctx, user, cmds); err != nil {
		if chatRefused(err) {
			return false, nil
		}
		return false, err
	}
	return true, m.Memory.Set(ctx, user, menuSum(cmds))
}

// take removes user's chat menu and forgets it.
func (m *MenuSync) take(ctx context.Context, user string) error {
	if err := m.Bot.DeleteChatCommands(ctx, user); err != nil && !chatRefused(err) {
		return err
	}
	return m.Memory.Delete(ctx, user)
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
