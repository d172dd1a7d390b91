package delivery

import (
	"context"
	"errors"
	"fmt"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows"
)

// Limited returns a Sender that paces s with l: before each reply it waits
// for l, then hands s that one reply, so the limits hold per message.
//
// One reply counts as one message. That is not exact: Telegram splits a text
// longer than 4096 characters into several messages, and a long reply then
// goes slightly faster than the limits say. An empty reply, which s may
// drop, still takes its place.
//
// A reply s refuses with bot.ErrRateLimited (a 429: the sender paused the
// limiter) waits its turn again and is retried, up to 5 tries, so that the
// limit holds after a storm of 429s too.
//
// An error of s comes back unchanged (errors.Is sees bot.ErrUnreachable),
// and the replies after it are not sent; the ones before it were. An error
// of Wait (ctx ended, Redis failed) comes back wrapped, and is not
// ErrUnreachable, so the dispatcher tries again later.
func Limited(s bot.Sender, l *Limiter) bot.Sender {
	return &limited{s: s, l: l}
}

type limited struct {
	s bot.Sender
	l *Limiter
}

// Send waits for l before each reply and sends the replies one at a time.
func (ls *limited) Send(ctx context.Context, user string, replies []flows.Reply) error {
	if len(replies) == 0 {
		return ls.s.Send(ctx, user, replies)
	}
	for i := range replies {
		for attempt := 1; ; attempt++ {
			if err := ls.l.Wait(ctx, user); err != nil {
				return fmt.Errorf("send reply %d of %d: %w", i+1, len(replies), err)
			}
			err := ls.s.Send(ctx, user, replies[i:i+1])
			if errors.Is(err, bot.ErrRateLimited) && attempt < maxRateLimited {
				continue // the channel is paused: wait for the limiter again, with everyone else
			}
			if err != nil {
				return err
			}
			break
		}
	}
	return nil
}

// maxRateLimited bounds the tries of one reply that keeps meeting 429s.
const maxRateLimited = 5
