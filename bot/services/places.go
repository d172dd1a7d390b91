package services

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/match"
)

// Statuses of place.match.
const (
	PlaceNear = "near" // one name close to what was typed: confirm it
	PlaceMany = "many" // several names fit: choose
)

// placeMatch: args level (district, block or body; "block|body" for
// either), text (the reply), save (the field the roster's name goes in),
// declined (a name the person said was not theirs: not offered again),
// within (the district already chosen: a block or body is matched among
// that district's only, or among all when the roster has none there).
// Statuses: ok (<save> is the roster's name), near (place_guess: the name
// to confirm), many (place_choices: the names to choose from, "|"
// between them), none (nothing close: <save> stays as typed). It reads the
// roster's place names of the levels (roster.PlaceNames), never the people.
func (s *Services) placeMatch(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	levels, within := c.Args["level"], strings.TrimSpace(c.Args["within"])
	text, declined := c.Args["text"], c.Args["declined"]
	now := c.Now
	if now.IsZero() {
		now = s.now()
	}
	places, names, err := s.keyedPlaces(ctx, levels, within, text, now)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("match a typed place: %w", err)
	}
	if declined != "" && slices.Contains(names, declined) {
		// Rare (a guess was said no to): keyed again without it.
		places = s.words().NewPlaces(slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == declined }))
	}
	kind, found := places.Match(text)
	switch kind {
	case match.PlaceExact:
		return s.placeFound(c, found[0]), nil
	case match.PlaceNear:
		return result(PlaceNear, "place_guess", found[0], "place_choices", ""), nil
	case match.PlaceMany:
		return result(PlaceMany, "place_guess", "", "place_choices", strings.Join(found, "|")), nil
	}
	return result(None, "place_guess", "", "place_choices", ""), nil
}

// keyedPlaces are the roster's names of the levels within a district (or
// the roster's, for a district with none), keyed for matching, and the
// names. Names read a moment ago (placeFresh) answer a reply that names
// one of them exactly with no round trip: the roster only adds names, so
// it is still there. Otherwise the sets' sizes are asked (one small round
// trip) and the names kept are used while the sizes are those they had;
// only a set that grew is read again.
func (s *Services) keyedPlaces(ctx context.Context, levels, within, text string, now time.Time) (*match.Places, []string, error) {
	key := levels + "|in:" + within
	if k, ok := s.places.get(key); ok {
		age := now.Sub(k.read)
		if age >= 0 && age < placeFresh {
			if kind, _ := k.places.Match(text); kind == match.PlaceExact {
				return k.places, k.names, nil
			}
		}
		if age >= 0 && age < placeKept {
			sizes, err := s.Roster.PlaceNameCounts(ctx, within, levelsOf(levels)...)
			if err != nil {
				return nil, nil, err
			}
			if slices.Equal(sizes, k.sizes) {
				s.places.touch(key, now)
				return k.places, k.names, nil
			}
		}
	}
	names, sizes, err := s.placeNames(ctx, levels, within)
	if err == nil && len(names) == 0 && within != "" {
		within = "" // a district not on the roster: its places are anyone's
		return s.keyedPlaces(ctx, levels, within, text, now)
	}
	if err != nil {
		return nil, nil, err
	}
	return s.places.put(s.words(), key, names, sizes, now), names, nil
}

// levelsOf are the levels of place.match's level argument ("block|body").
func levelsOf(levels string) []string {
	var ls []string
	for _, level := range strings.Split(levels, "|") {
		ls = append(ls, strings.TrimSpace(level))
	}
	return ls
}

// placeFound is place.match's ok: name, the roster's, saved in <save>.
func (s *Services) placeFound(c flows.Call, name string) flows.CallResult {
	r := result(OK, "place_guess", "", "place_choices", "")
	if save := c.Args["save"]; save != "" {
		r.Fields[save] = name
	}
	return r
}

// placeNames are the roster's names of the levels ("block|body"), within
// a district if it is not "", sorted, each once, and the size of each
// level's set: one round trip.
func (s *Services) placeNames(ctx context.Context, levels, within string) ([]string, []int64, error) {
	sets, err := s.Roster.PlaceNamesOf(ctx, within, levelsOf(levels)...)
	if err != nil {
		return nil, nil, err
	}
	var names []string
	sizes := make([]int64, len(sets))
	for i, ns := range sets {
		names = append(names, ns...)
		sizes[i] = int64(len(ns))
	}
	slices.Sort(names) // the same choices in the same order every time
	return slices.Compact(names), sizes, nil
}

// placeCache keeps the keyed place names of each level place.match was
// asked for, so that a reply is not matched by keying every name again,
// nor the names read again while their sets keep their sizes. Its keys
// are the levels and a district of the roster (a district with no names
// is not kept), so it stays small.
type placeCache struct {
	mu sync.Mutex
	by map[string]keyedNames // by the level argument and district: "district|in:", "block|body|in:सोनभद्र"
}

// keyedNames are place names keyed for matching, the sizes of the sets
// they came from, and when they were last known to be the sets' names.
type keyedNames struct {
	places *match.Places
	names  []string
	sizes  []int64
	read   time.Time
}

const (
	// placeFresh is how long names known to be the roster's answer an
	// exact match without asking Redis anything.
	placeFresh = 30 * time.Second
	// placeKept is how long names are trusted while their sets keep their
	// sizes (a reindex may drop a name as an import adds one).
	placeKept = 10 * time.Minute
)

func (c *placeCache) get(key string) (keyedNames, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.by[key]
	return k, ok
}

// touch notes that the names of key were found unchanged at now.
func (c *placeCache) touch(key string, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, ok := c.by[key]; ok && now.After(k.read) {
		k.read = now
		c.by[key] = k
	}
}

// put keeps names (from sets of sizes) of key, read at now, keyed again
// unless they are the names kept.
func (c *placeCache) put(words *match.Words, key string, names []string, sizes []int64, now time.Time) *match.Places {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.by == nil {
		c.by = map[string]keyedNames{}
	}
	k, ok := c.by[key]
	if !ok || !slices.Equal(k.names, names) {
		k.places, k.names = words.NewPlaces(names), names
	}
	k.sizes, k.read = sizes, now
	if len(names) > 0 {
		c.by[key] = k
	}
	return k.places
}

// words are the word tables typed places are read with.
func (s *Services) words() *match.Words {
	if s.Words == nil {
		return match.BuiltinWords()
	}
	return s.Words
}
