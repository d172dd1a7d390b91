package bot

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store/events"
	"github.com/saathi-bot/saathi/store/identity"
)

// EventRouter applies queued events (invitations, prompts) in the
// conversations of the people they are for, through the dispatcher, on the
// channels this process runs. An event's id becomes the input's message id,
// so an event published or handled twice is applied once.
type EventRouter struct {
	Dispatcher *Dispatcher
	Identity   *identity.Identity
	Queue      *events.Queue
	// Channels this process delivers to, in order of preference: a person
	// with chats on several gets the event on the first.
	Channels []string
	Logger   *slog.Logger
	// NoChat, when set, is told of NoHold events for people with no chat.
	NoChat func(ctx context.Context, ev events.Event) error
	// MaxDelivering holds new events back while this many deliveries are
	// under way (default 2000): a broadcast to 100,000 is applied as fast
	// as it can be sent, not all at once.
	MaxDelivering int
}

// Handle applies one event. A person with no chat at all gets it held
// until they write; one whose chats are all on channels this process does
// not run is left to the process that runs them.
func (r *EventRouter) Handle(ctx context.Context, ev events.Event) error {
	channel, user := ev.Channel, ev.User
	if channel == "" {
		chats, err := r.Identity.Chats(ctx, ev.Phone)
		if err != nil {
			return fmt.Errorf("route event %s: %w", ev.ID, err)
		}
		if len(chats) == 0 {
			if ev.NoHold {
				if r.NoChat != nil {
					return r.NoChat(ctx, ev)
				}
				return nil
			}
			return r.Queue.Hold(ctx, ev)
		}
		for _, want := range r.Channels {
			for _, c := range chats {
				if c.Channel == want && channel == "" {
					channel, user = c.Channel, c.User
				}
			}
		}
	}
	if !r.runs(channel) {
		return nil // another process's channel
	}
	limit := r.MaxDelivering
	if limit <= 0 {
		limit = 2000
	}
	for r.Dispatcher.Delivering() >= limit {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	in := flows.Input{Channel: channel, User: user, ID: "ev:" + ev.ID, Event: &flows.Event{Flow: ev.Flow, Vars: ev.Vars}}
	if err := r.Dispatcher.Handle(ctx, in); err != nil {
		r.Logger.Warn("event not applied; will retry", "event", ev.ID, "err", err)
		return err
	}
	return nil
}

func (r *EventRouter) runs(channel string) bool {
	for _, c := range r.Channels {
		if c == channel && channel != "" {
			return true
		}
	}
	return false
}
