package services

import (
	"context"
	"fmt"

	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/identity"
	"github.com/saathi-bot/saathi/store/roster"
)

// CoordinatorChats maps the chats on channel of every coordinator and
// admin to their roster row: who gets the longer command menu.
func (s *Services) CoordinatorChats(ctx context.Context, channel string) (map[string]roster.Person, error) {
	coords, err := s.Roster.Coordinators(ctx)
	if err != nil {
		return nil, fmt.Errorf("list coordinators: %w", err)
	}
	out := map[string]roster.Person{}
	for _, p := range coords {
		chats, err := s.Identity.Chats(ctx, p.Phone)
		if err != nil {
			return nil, fmt.Errorf("list coordinators' chats: %w", err)
		}
		for _, c := range chats {
			if c.Channel == channel {
				out[c.User] = p
			}
		}
	}
	return out, nil
}

// ChatCoordinator is the coordinator or admin whose chat (channel, user)
// is; ok is false when the chat is nobody's, or a participant's.
func (s *Services) ChatCoordinator(ctx context.Context, channel, user string) (p roster.Person, ok bool, err error) {
	phone, err := s.Identity.Phone(ctx, channel, user)
	if err != nil || phone == "" {
		return roster.Person{}, false, err
	}
	p, ok, err = s.Roster.Get(ctx, phone)
	if err != nil {
		return roster.Person{}, false, fmt.Errorf("look up the chat's person: %w", err)
	}
	return p, ok && p.IsCoordinator(), nil
}

// touchMenus has the menus of chats looked at now (store.TouchChatMenus):
// they were linked to or unlinked from someone, or their person's role
// changed.
func (s *Services) touchMenus(ctx context.Context, chats ...identity.Chat) error {
	for _, c := range chats {
		if err := store.TouchChatMenus(ctx, s.Redis, c.Channel, c.User); err != nil {
			return err
		}
	}
	return nil
}

// touchPersonMenus is touchMenus for every chat of the person with phone.
func (s *Services) touchPersonMenus(ctx context.Context, phone string) error {
	chats, err := s.Identity.Chats(ctx, phone)
	if err != nil {
		return fmt.Errorf("list chats whose menu may change: %w", err)
	}
	return s.touchMenus(ctx, chats...)
}
