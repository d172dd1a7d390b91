package services

import (
	"context"
	"fmt"
	"time"

	"github.com/saathi-bot/saathi/store/events"
)

// AlertAdmins tells the admins, in their chats on channel, that another
// channel stopped for good (WhatsApp logged out or banned): the "alert"
// flow with vars channel and reason. Admins with no chat on channel are
// skipped; it returns how many were told. Alerts of one minute share their
// ids, so a hook that fires twice tells each admin once.
func (s *Services) AlertAdmins(ctx context.Context, channel, down, reason string, now time.Time) (int, error) {
	admins, err := s.Roster.Admins(ctx)
	if err != nil {
		return 0, fmt.Errorf("alert admins: %w", err)
	}
	minute := now.UTC().Format("200601021504")
	var evs []events.Event
	for _, p := range admins {
		chats, err := s.Identity.Chats(ctx, p.Phone)
		if err != nil {
			return 0, fmt.Errorf("alert admins: %w", err)
		}
		for _, c := range chats {
			if c.Channel != channel {
				continue
			}
			evs = append(evs, events.Event{
				ID:      "alert:" + down + ":" + minute + ":" + c.User,
				Channel: c.Channel, User: c.User, Flow: "alert", NoHold: true,
				Vars: map[string]string{"channel": down, "reason": reason},
			})
		}
	}
	if len(evs) == 0 {
		return 0, nil
	}
	if err := s.publish(ctx, evs...); err != nil {
		return 0, fmt.Errorf("alert admins: %w", err)
	}
	return len(evs), nil
}
