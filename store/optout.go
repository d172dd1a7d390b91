package store

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// optOutKey is the set of the phones (E.164) of people who asked for no
// broadcasts, nudges or report reminders ("बंद करो").
const optOutKey = "saathi:optout"

// OptOut keeps who opted out of bulk messages. Replies to what a person
// writes, and notices about their own training (moved, cancelled), are
// not bulk: they go regardless.
type OptOut struct{ rdb redis.UniversalClient }

// NewOptOut keeps the opt-outs in rdb.
func NewOptOut(rdb redis.UniversalClient) *OptOut { return &OptOut{rdb: rdb} }

// Set opts phone out (out true) or back in; changed tells whether it was
// not so already.
func (o *OptOut) Set(ctx context.Context, phone string, out bool) (changed bool, err error) {
	var n int64
	if out {
		n, err = o.rdb.SAdd(ctx, optOutKey, phone).Result()
	} else {
		n, err = o.rdb.SRem(ctx, optOutKey, phone).Result()
	}
	if err != nil {
		return false, fmt.Errorf("set opt-out: %w", err)
	}
	return n > 0, nil
}

// Is tells whether phone opted out.
func (o *OptOut) Is(ctx context.Context, phone string) (bool, error) {
	ok, err := o.rdb.SIsMember(ctx, optOutKey, phone).Result()
	if err != nil {
		return false, fmt.Errorf("read opt-out: %w", err)
	}
	return ok, nil
}

// Which returns the phones of phones that opted out, in one round trip per
// 1000 phones.
func (o *OptOut) Which(ctx context.Context, phones []string) (map[string]bool, error) {
	out := map[string]bool{}
	const batch = 1000
	for i := 0; i < len(phones); i += batch {
		part := phones[i:min(i+batch, len(phones))]
		members := make([]any, len(part))
		for j, p := range part {
			members[j] = p
		}
		got, err := o.rdb.SMIsMember(ctx, optOutKey, members...).Result()
		if err != nil {
			return nil, fmt.Errorf("read opt-outs: %w", err)
		}
		for j, in := range got {
			if in {
				out[part[j]] = true
			}
		}
	}
	return out, nil
}

// Keep returns the phones that did not opt out, in their order, and how
// many did.
func (o *OptOut) Keep(ctx context.Context, phones []string) (kept []string, optedOut int, err error) {
	which, err := o.Which(ctx, phones)
	if err != nil {
		return nil, 0, err
	}
	kept = make([]string, 0, len(phones)-len(which))
	for _, p := range phones {
		if !which[p] {
			kept = append(kept, p)
		}
	}
	return kept, len(phones) - len(kept), nil
}
