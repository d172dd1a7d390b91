package roster

import (
	"context"
	"fmt"
	"slices"

	"github.com/redis/go-redis/v9"
)

// The names of the roster's places, kept apart from the people so that a
// typed place can be matched without reading the roster: one set
// saathi:pn:{places}:<level> a level (division, district, block, body) of every
// name a person has been put at, at any of their places. Names are only
// added: a place nobody is at any more stays a known name (it was one).
// saathi:pn:{places}:built marks that the sets hold the people written before
// they were kept (see PlaceNames).
const (
	placeNamesPrefix = "saathi:pn:{" + placesTag + "}:"
	placeNamesBuilt  = placeNamesPrefix + "built"
)

// addPlaceNames queues, in pipe, the names of the places of people.
func addPlaceNames(ctx context.Context, pipe redis.Pipeliner, people []Person) {
	seen := map[[2]string]bool{}
	names := map[string][]any{}
	for _, p := range people {
		for _, at := range p.atEach() {
			for _, level := range levelsDown {
				if v := personField(at, level); v != "" && !seen[[2]string{level, v}] {
					seen[[2]string{level, v}] = true
					names[level] = append(names[level], v)
				}
			}
		}
	}
	for level, vs := range names {
		pipe.SAdd(ctx, placeNamesPrefix+level, vs...)
	}
}

// PlaceNames lists the distinct names of places at level (division,
// district, block or body) that the roster's people are at, in no order:
// a set of a few hundred or thousand names, read in one round trip,
// whatever the roster's size. Only the first call on a roster written
// before the sets were kept reads the whole roster, once, to fill them.
func (r *Roster) PlaceNames(ctx context.Context, level string) ([]string, error) {
	if !slices.Contains(levelsDown, level) {
		return nil, fmt.Errorf("place names: no level %q", level)
	}
	var names *redis.StringSliceCmd
	var built *redis.IntCmd
	if _, err := r.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		names = pipe.SMembers(ctx, placeNamesPrefix+level)
		built = pipe.Exists(ctx, placeNamesBuilt)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read the %s names of the roster: %w", level, err)
	}
	if built.Val() == 1 {
		return names.Val(), nil
	}
	if err := r.buildPlaceNames(ctx); err != nil {
		return nil, err
	}
	out, err := r.rdb.SMembers(ctx, placeNamesPrefix+level).Result()
	if err != nil {
		return nil, fmt.Errorf("read the %s names of the roster: %w", level, err)
	}
	return out, nil
}

// buildPlaceNames fills the name sets from everyone on the roster and
// marks them built, a page of people at a time.
func (r *Roster) buildPlaceNames(ctx context.Context) error {
	err := r.Each(ctx, func(page []Person) error {
		_, err := r.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
			addPlaceNames(ctx, pipe, page)
			return nil
		})
		return err
	})
	if err == nil {
		err = r.rdb.Set(ctx, placeNamesBuilt, "1", 0).Err()
	}
	if err != nil {
		return fmt.Errorf("fill the place names: %w", err)
	}
	return nil
}
