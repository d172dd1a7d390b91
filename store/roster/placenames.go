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
// saathi:pn:{places}:<level>:d:<district> (district folded) holds the block
// and body names of one district. saathi:pn:{places}:built2 marks that the
// sets hold the people written before they were kept (see PlaceNames); it
// was "built" before the sets by district were kept, so a roster of then
// fills them once.
const (
	placeNamesPrefix = "saathi:pn:{" + placesTag + "}:"
	placeNamesBuilt  = placeNamesPrefix + "built2"
)

// placeNamesKey is the set of the names at level, within district if it
// is not "".
func placeNamesKey(level, district string) string {
	if district == "" {
		return placeNamesPrefix + level
	}
	return placeNamesPrefix + level + ":d:" + fold(district)
}

// addPlaceNames queues, in pipe, the names of the places of people.
func addPlaceNames(ctx context.Context, pipe redis.Pipeliner, people []Person) {
	seen := map[[2]string]bool{}
	names := map[string][]any{}
	add := func(key, v string) {
		if !seen[[2]string{key, v}] {
			seen[[2]string{key, v}] = true
			names[key] = append(names[key], v)
		}
	}
	for _, p := range people {
		for _, at := range p.atEach() {
			for _, level := range levelsDown {
				v := personField(at, level)
				if v == "" {
					continue
				}
				add(placeNamesKey(level, ""), v)
				if at.District != "" && (level == LevelBlock || level == LevelBody) {
					add(placeNamesKey(level, at.District), v)
				}
			}
		}
	}
	for key, vs := range names {
		pipe.SAdd(ctx, key, vs...)
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
	return r.readPlaceNames(ctx, placeNamesKey(level, ""), level+" names")
}

// PlaceNamesIn lists, as PlaceNames does, the distinct names of the blocks
// or bodies (level) that the roster's people of district are at: the
// places a person of that district may mean. None for a district not on
// the roster. One round trip, whatever the roster's size.
func (r *Roster) PlaceNamesIn(ctx context.Context, level, district string) ([]string, error) {
	if level != LevelBlock && level != LevelBody {
		return nil, fmt.Errorf("place names in a district: no level %q below a district", level)
	}
	if district == "" {
		return nil, nil
	}
	return r.readPlaceNames(ctx, placeNamesKey(level, district), level+" names in "+district)
}

// readPlaceNames reads the names of the set at key (what names the set, for
// errors), filling the sets first for a roster written before they were
// kept.
func (r *Roster) readPlaceNames(ctx context.Context, key, what string) ([]string, error) {
	var names *redis.StringSliceCmd
	var built *redis.IntCmd
	if _, err := r.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		names = pipe.SMembers(ctx, key)
		built = pipe.Exists(ctx, placeNamesBuilt)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read the %s of the roster: %w", what, err)
	}
	if built.Val() == 1 {
		return names.Val(), nil
	}
	if err := r.buildPlaceNames(ctx); err != nil {
		return nil, err
	}
	out, err := r.rdb.SMembers(ctx, key).Result()
	if err != nil {
		return nil, fmt.Errorf("read the %s of the roster: %w", what, err)
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
