package store

import (
	"context"
	"fmt"

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
