package roster

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// The names of the roster's places, kept apart from the people so that a
// typed place can be matched without reading the roster: one set
// saathi:pn:{places}:<level> a level (division, district, block, body) of every
// name a person has been put at, at any of their places. Names are only
// added: a place nobody is at any more stays a known name (it was one).
// saathi:pn:{places}:built2 marks that the sets (and the geography below)
// hold the people written before they were kept (see PlaceNames).
//
// The geography of the places, in the same slot, so that "the districts of
// this division" or "the division of this block" is one set, whatever the
// roster's size (sets as many as places, not people):
//
//	saathi:pn:{places}:at:<level>  the names at level, as Person.At says
//	saathi:pn:{places}:up:<level>:<name>  where a place of that name is:
//	    "division␟district␟block␟body" of someone at it, nothing narrower
//	saathi:pn:{places}:in:<level>:<name>:<narrower level>  the names
//	    (as the roster writes them) at the narrower level inside it
//
// Names in keys are folded; a person is at a level as Person.At says.
const (
	placeNamesPrefix = "saathi:pn:{" + placesTag + "}:"
	placeNamesBuilt  = placeNamesPrefix + "built2"
	// placeNamesBuilding is held by the one process filling the sets.
	placeNamesBuilding = placeNamesPrefix + "building"
	chainSep           = "\x1f"
)

// atKey is the set of the names at level as Person.At gives them (a body
// with no block is at the block level too).
func atKey(level string) string { return placeNamesPrefix + "at:" + level }

// upKey is the set of the places above the place name at level.
func upKey(level, name string) string { return placeNamesPrefix + "up:" + level + ":" + fold(name) }

// inKey is the set of the names at narrower inside the place name at level.
func inKey(level, name, narrower string) string {
	return placeNamesPrefix + "in:" + level + ":" + fold(name) + ":" + narrower
}

// chain is the geography of at down to level (nothing narrower), as an
// up set keeps it.
func chain(at Person, level string) string {
	f := [4]string{at.Division, at.District, at.Block, at.Body}
	i := slices.Index(levelsDown, level)
	for j := i + 1; j < len(f); j++ {
		f[j] = ""
	}
	return strings.Join(f[:], chainSep)
}

// unchain reads a chain back as a person standing there.
func unchain(s string) Person {
	f := strings.Split(s, chainSep)
	for len(f) < 4 {
		f = append(f, "")
	}
	return Person{Division: f[0], District: f[1], Block: f[2], Body: f[3]}
}

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
	geo := map[string][]any{}
	var keys []string
	add := func(key, v string) {
		if seen[[2]string{key, v}] {
			return
		}
		seen[[2]string{key, v}] = true
		if geo[key] == nil {
			keys = append(keys, key)
		}
		geo[key] = append(geo[key], v)
	}
	for _, p := range people {
		for _, at := range p.atEach() {
			for i, level := range levelsDown {
				name := at.At(level)
				if name == "" {
					continue
				}
				add(atKey(level), name)
				add(upKey(level, name), chain(at, level))
				for _, narrower := range levelsDown[i+1:] {
					if v := at.At(narrower); v != "" && personField(at, level) != "" {
						add(inKey(level, personField(at, level), narrower), v)
					}
				}
			}
		}
	}
	for _, k := range keys {
		pipe.SAdd(ctx, k, geo[k]...)
	}
}

// markPlacesBuilt notes, before the first people are written to an empty
// roster (no version yet), that the place sets will hold everyone: a new
// roster is never read whole to fill them.
func (r *Roster) markPlacesBuilt(ctx context.Context) error {
	v, err := r.Version(ctx)
	if err == nil && v == 0 {
		err = r.rdb.SetNX(ctx, placeNamesBuilt, "1", 0).Err()
	}
	if err != nil {
		return fmt.Errorf("mark the place names: %w", err)
	}
	return nil
}

// placeSets reads the sets at keys, first filling the place sets from the
// people for a roster written before they were kept.
func (r *Roster) placeSets(ctx context.Context, keys ...string) ([][]string, error) {
	for try := 0; ; try++ {
		cmds := make([]*redis.StringSliceCmd, len(keys))
		var built *redis.IntCmd
		if _, err := r.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
			for i, k := range keys {
				cmds[i] = pipe.SMembers(ctx, k)
			}
			built = pipe.Exists(ctx, placeNamesBuilt)
			return nil
		}); err != nil {
			return nil, fmt.Errorf("read the roster's places: %w", err)
		}
		building := false
		if built.Val() == 0 && try == 0 { // one caller fills them; the others read what is there meanwhile
			var err error
			if building, err = r.rdb.SetNX(ctx, placeNamesBuilding, "1", 10*time.Minute).Result(); err != nil {
				return nil, fmt.Errorf("read the roster's places: %w", err)
			}
		}
		if !building {
			out := make([][]string, len(keys))
			for i, c := range cmds {
				out[i] = c.Val()
			}
			return out, nil
		}
		err := r.buildPlaceNames(ctx)
		r.rdb.Del(context.WithoutCancel(ctx), placeNamesBuilding)
		if err != nil {
			return nil, err
		}
	}
}

// PlacesIn lists the distinct names (as the roster writes them, in no
// order) of the places at level (division, district, block or body) where
// someone inside s is: the districts of a division, the division of a
// block, the block itself. One round trip, whatever the roster's size.
func (r *Roster) PlacesIn(ctx context.Context, s Scope, level string) ([]string, error) {
	if !slices.Contains(levelsDown, level) {
		return nil, fmt.Errorf("places in %s: no level %q", s, level)
	}
	at := slices.Index(levelsDown, s.Level)
	if s.Level != LevelAll && (at < 0 || s.Value == "") {
		return nil, nil
	}
	if s.Level == LevelAll || at < slices.Index(levelsDown, level) { // narrower places: the at or in set
		key := atKey(level)
		if s.Level != LevelAll {
			key = inKey(s.Level, s.Value, level)
		}
		sets, err := r.placeSets(ctx, key)
		if err != nil {
			return nil, fmt.Errorf("places in %s: %w", s, err)
		}
		return sets[0], nil
	}
	sets, err := r.placeSets(ctx, upKey(s.Level, s.Value))
	if err != nil {
		return nil, fmt.Errorf("places in %s: %w", s, err)
	}
	seen := map[string]bool{}
	var out []string
	for _, c := range sets[0] {
		p := unchain(c)
		if v := p.At(level); v != "" && fold(personField(p, s.Level)) == fold(s.Value) && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out, nil
}

// known counts the places a chain names.
func known(c string) int {
	n := 0
	for _, f := range strings.Split(c, chainSep) {
		if f != "" {
			n++
		}
	}
	return n
}

// Where is the geography of the place named name at level, as someone on
// the roster at it has it, with nothing narrower (the division and
// district of a block): a person standing there, for Scope.Contains. ok
// is false when nobody is at such a place. Of two geographies (a block of
// that name in two districts, or someone whose row leaves the division
// out) it gives the one that names the most places, then the first.
func (r *Roster) Where(ctx context.Context, level, name string) (Person, bool, error) {
	if !slices.Contains(levelsDown, level) {
		return Person{}, false, fmt.Errorf("where is %s: no level %q", name, level)
	}
	if fold(name) == "" {
		return Person{}, false, nil
	}
	sets, err := r.placeSets(ctx, upKey(level, name))
	if err != nil {
		return Person{}, false, fmt.Errorf("where is %s: %w", name, err)
	}
	if len(sets[0]) == 0 {
		return Person{}, false, nil
	}
	best := slices.MinFunc(sets[0], func(a, b string) int { // the fullest geography, then the first
		return cmp.Or(cmp.Compare(known(b), known(a)), cmp.Compare(a, b))
	})
	return unchain(best), true, nil
}

// PlaceNames lists the distinct names of places at level (division,
// district, block or body) that the roster's people are at, in no order:
// a set of a few hundred or thousand names, read in one round trip,
// whatever the roster's size. Only the first call on a roster written
// before the sets were kept reads the whole roster, once, to fill them.
func (r *Roster) PlaceNames(ctx context.Context, level string) ([]string, error) {
	sets, err := r.PlaceNamesOf(ctx, "", level)
	if err != nil {
		return nil, err
	}
	return sets[0], nil
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

// PlaceNamesOf lists, for each of levels, the distinct names of the
// places at that level, in no order, all in one round trip: inside
// district when it is not "" (blocks and bodies only, as PlaceNamesIn),
// else the roster's (as PlaceNames).
func (r *Roster) PlaceNamesOf(ctx context.Context, district string, levels ...string) ([][]string, error) {
	keys, err := placeNameKeys(district, levels)
	if err != nil {
		return nil, err
	}
	sets, err := r.placeSets(ctx, keys...)
	if err != nil {
		return nil, fmt.Errorf("read the %s names of the roster: %w", strings.Join(levels, ", "), err)
	}
	return sets, nil
}

// PlaceNameCounts is how many names PlaceNamesOf would list for each of
// levels, in one small round trip: the sets only grow (but for a
// reindex), so names read before are the same while their counts are.
func (r *Roster) PlaceNameCounts(ctx context.Context, district string, levels ...string) ([]int64, error) {
	keys, err := placeNameKeys(district, levels)
	if err != nil {
		return nil, err
	}
	cmds := make([]*redis.IntCmd, len(keys))
	if _, err := r.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		for i, k := range keys {
			cmds[i] = pipe.SCard(ctx, k)
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("count the %s names of the roster: %w", strings.Join(levels, ", "), err)
	}
	out := make([]int64, len(cmds))
	for i, c := range cmds {
		out[i] = c.Val()
	}
	return out, nil
}

// placeNameKeys are the name sets of levels, inside district if not "".
func placeNameKeys(district string, levels []string) ([]string, error) {
	keys := make([]string, len(levels))
	for i, level := range levels {
		switch {
		case district == "" && slices.Contains(levelsDown, level):
			keys[i] = placeNamesPrefix + level
		case district != "" && (level == LevelBlock || level == LevelBody):
			keys[i] = inKey(LevelDistrict, district, level)
		default:
			return nil, fmt.Errorf("place names: no level %q here", level)
		}
	}
	return keys, nil
}

// PlaceNamesIn lists the distinct names of the blocks or bodies (level)
// inside district, as the roster writes them, in no order: one set read,
// whatever the roster's size. An unknown district has none.
func (r *Roster) PlaceNamesIn(ctx context.Context, level, district string) ([]string, error) {
	if strings.TrimSpace(district) == "" {
		return nil, nil
	}
	sets, err := r.PlaceNamesOf(ctx, district, level)
	if err != nil {
		return nil, err
	}
	return sets[0], nil
}
