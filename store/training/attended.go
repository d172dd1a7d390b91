package training

import (
	"context"
	"fmt"
	"slices"

	"github.com/redis/go-redis/v9"
)

// Attended gives the phones of those checked in on any day of training id
// (a coordinator's corrections counted), sorted, each once.
func (s *Store) Attended(ctx context.Context, id string) ([]string, error) {
	t, err := s.mustGet(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("read attendance of %s: %w", id, err)
	}
	days := make([]*redis.StringSliceCmd, len(t.Days))
	if _, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for d := range t.Days {
			days[d] = p.HKeys(ctx, checkinKey(id, d))
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read attendance of %s: %w", id, err)
	}
	var out []string
	for _, d := range days {
		out = append(out, d.Val()...)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
