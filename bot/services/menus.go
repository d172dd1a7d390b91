package services

import (
	"context"
	"fmt"

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
