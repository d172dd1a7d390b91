package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/flows"
)

// SentOptionsTTL is how long the options of a sent message are remembered.
const SentOptionsTTL = 7 * 24 * time.Hour

func sentOptionsKey(channel, chat, id string) string {
	return prefix + "sent:" + channel + ":" + chat + ":" + id
}

// SentOptions remembers the options of messages sent on a channel without
// buttons (WhatsApp, where they go as numbered lines), by the channel's id
// of the message, so that a reply quoting such a message can answer it as
// its button would. The chat is part of the key: a message is known only
// in the chat it was sent to. It is safe for concurrent use.
type SentOptions struct {
	rdb redis.UniversalClient
}

// NewSentOptions remembers options in rdb.
func NewSentOptions(rdb redis.UniversalClient) *SentOptions { return &SentOptions{rdb: rdb} }

// Remember notes, for SentOptionsTTL, that message id, sent on channel to
// chat, offered opts.
func (s *SentOptions) Remember(ctx context.Context, channel, chat, id string, opts []flows.Option) error {
	if id == "" || len(opts) == 0 {
		return nil
	}
	data, err := json.Marshal(opts)
	if err != nil {
		return fmt.Errorf("remember options of sent message %s: %w", id, err)
	}
	if err := s.rdb.Set(ctx, sentOptionsKey(channel, chat, id), data, SentOptionsTTL).Err(); err != nil {
		return fmt.Errorf("remember options of sent message %s: %w", id, err)
	}
	return nil
}

// Lookup returns the options message id, sent on channel to chat, offered;
// nil (and no error) when none are remembered.
func (s *SentOptions) Lookup(ctx context.Context, channel, chat, id string) ([]flows.Option, error) {
	if id == "" {
		return nil, nil
	}
	data, err := s.rdb.Get(ctx, sentOptionsKey(channel, chat, id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up options of sent message %s: %w", id, err)
	}
	var opts []flows.Option
	if err := json.Unmarshal(data, &opts); err != nil {
		return nil, fmt.Errorf("look up options of sent message %s: %w", id, err)
	}
	return opts, nil
}
