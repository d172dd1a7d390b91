// Package keyscan walks the keys of a Redis, one node or a cluster, a
// page at a time: for maintenance commands that repair indexes, never for
// a message path.
package keyscan

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// Page is how many keys one SCAN asks for.
const Page = 1000

// Each calls fn with the keys matching pattern, a page at a time, on every
// master of a cluster. A key may come twice (SCAN's promise is at least
// once): fn must not mind.
func Each(ctx context.Context, rdb redis.UniversalClient, pattern string, fn func(keys []string) error) error {
	one := func(ctx context.Context, c redis.Cmdable) error {
		var cursor uint64
		for {
			keys, next, err := c.Scan(ctx, cursor, pattern, Page).Result()
			if err != nil {
				return fmt.Errorf("scan %s: %w", pattern, err)
			}
			if len(keys) > 0 {
				if err := fn(keys); err != nil {
					return err
				}
			}
			if cursor = next; cursor == 0 {
				return nil
			}
		}
	}
	if cc, ok := rdb.(*redis.ClusterClient); ok {
		return cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return one(ctx, c) })
	}
	return one(ctx, rdb)
}
