// Package bot holds what sits between the channels and the flow engine: the
// contract every channel adapter implements, and the dispatcher that
// de-duplicates, serialises per user, commits and delivers.
package bot

import (
	"context"
	"errors"

	"github.com/saathi-bot/saathi/flows"
)

// Handler takes inbound messages from a channel adapter. The dispatcher implements it.
type Handler interface {
	// Handle applies in and returns once its transition is committed to the
	// store, recognised as a duplicate, or (the dispatcher, after its retries)
	// set aside as a dead letter. The replies are delivered afterwards,
	// through the channel's Sender. An error means nothing was committed or
	// kept: the adapter must not acknowledge the message to its platform, so
	// that it comes again.
	Handle(ctx context.Context, in flows.Input) error
}

// Sender delivers replies to one user of one channel, in order.
type Sender interface {
	// Send delivers replies to user. The dispatcher hands it one reply at
	// a time and notes that reply delivered as soon as Send returns nil,
	// so Send returns only once the channel has taken it (for Telegram:
	// the send method was answered 200). It returns an error wrapping
	// ErrUnreachable when the user can never be reached (blocked the bot):
	// such replies are dropped, not retried. Any other error is retried later.
	Send(ctx context.Context, user string, replies []flows.Reply) error
}

// ErrUnreachable marks a user the channel can no longer deliver to.
var ErrUnreachable = errors.New("user unreachable")

// ErrRateLimited marks a message the platform refused for now (a 429): a
// sender that paces itself (delivery.Limited) waits its turn and tries again.
var ErrRateLimited = errors.New("rate limited by the platform")

// ErrFileTooLarge is wrapped by a channel's Download error when the file is
// larger than the caller takes.
var ErrFileTooLarge = errors.New("file too large")
