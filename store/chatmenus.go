package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"
)

// chatMenusKey is a hash: "<channel>:<user>" -> the sum of the menu that
// chat was given.
const chatMenusKey = "saathi:chatmenus"

// ChatMenus remembers which chats were given a menu of their own (a
// coordinator's), and which, so that a restart sends only what changed.
type ChatMenus struct {
	rdb     redis.UniversalClient
	channel string
}

// NewChatMenus keeps the menus of channel's chats in rdb.
func NewChatMenus(rdb redis.UniversalClient, channel string) *ChatMenus {
	return &ChatMenus{rdb: rdb, channel: channel}
}

// All maps each chat (user) that has a menu of its own to its sum.
func (m *ChatMenus) All(ctx context.Context) (map[string]string, error) {
	h, err := m.rdb.HGetAll(ctx, chatMenusKey).Result()
	if err != nil {
		return nil, fmt.Errorf("read chat menus: %w", err)
	}
	out := make(map[string]string, len(h))
	prefix := m.channel + ":"
	for k, v := range h {
		if len(k) > len(prefix) && k[:len(prefix)] == prefix {
			out[k[len(prefix):]] = v
		}
	}
	return out, nil
}

// Set notes that user's chat was given the menu whose sum is sum.
func (m *ChatMenus) Set(ctx context.Context, user, sum string) error {
	if err := m.rdb.HSet(ctx, chatMenusKey, m.channel+":"+user, sum).Err(); err != nil {
		return fmt.Errorf("note chat menu: %w", err)
	}
	return nil
}

// Delete notes that user's chat has no menu of its own any more.
func (m *ChatMenus) Delete(ctx context.Context, user string) error {
	if err := m.rdb.HDel(ctx, chatMenusKey, m.channel+":"+user).Err(); err != nil {
		return fmt.Errorf("forget chat menu: %w", err)
	}
	return nil
}

// touchedKey is a set of chats ("<channel>:<user>") whose menu of their
// own may have to change now: the chat was linked to a coordinator, or its
// person became or stopped being one.
const touchedKey = "saathi:chatmenus:touched"

// TouchChatMenus notes chats of channel (users) whose menu of their own may
// have to change, so that the process keeping the menus (serve with
// Telegram) looks at them within seconds rather than at its next full check.
func TouchChatMenus(ctx context.Context, rdb redis.UniversalClient, channel string, users ...string) error {
	if len(users) == 0 {
		return nil
	}
	members := make([]any, len(users))
	for i, u := range users {
		members[i] = channel + ":" + u
	}
	if err := rdb.SAdd(ctx, touchedKey, members...).Err(); err != nil {
		return fmt.Errorf("note chats whose menu may change: %w", err)
	}
	return nil
}

// Touched takes up to n of the chats TouchChatMenus noted and returns the
// users of this channel among them; those of other channels are dropped,
// since no other channel has chat menus. Each noted chat is taken once,
// by one process.
func (m *ChatMenus) Touched(ctx context.Context, n int) ([]string, error) {
	got, err := m.rdb.SPopN(ctx, touchedKey, int64(n)).Result()
	if err != nil {
		return nil, fmt.Errorf("take chats whose menu may change: %w", err)
	}
	prefix := m.channel + ":"
	users := make([]string, 0, len(got))
	for _, k := range got {
		if u, ok := strings.CutPrefix(k, prefix); ok && u != "" {
			users = append(users, u)
		}
	}
	return users, nil
}
