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
	// The names read a moment ago answer a reply that names one of them
	// exactly (most replies): the roster only ever adds names, so one of
	// them is still there. Anything else is matched against the names as
	// they are now.
	if places := s.places.fresh(levels+"|in:"+within, now); places != nil && declined == "" {
		if kind, found := places.Match(text); kind == match.PlaceExact {
			return s.placeFound(c, found[0]), nil
		}
	}
	names, err := s.placeNames(ctx, levels, within)
	if err == nil && len(names) == 0 && within != "" {
		within = "" // a district not on the roster: its places are anyone's
		names, err = s.placeNames(ctx, levels, "")
	}
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("match a typed place: %w", err)
	}
	places := s.places.put(levels+"|in:"+within, names, now)
	if declined != "" && slices.Contains(names, declined) {
		// Rare (a guess was said no to): keyed again without it.
		places = match.NewPlaces(slices.DeleteFunc(names, func(n string) bool { return n == declined }))
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

// placeFound is place.match's ok: name, the roster's, saved in <save>.
func (s *Services) placeFound(c flows.Call, name string) flows.CallResult {
	r := result(OK, "place_guess", "", "place_choices", "")
	if save := c.Args["save"]; save != "" {
		r.Fields[save] = name
	}
	return r
}

// placeNames are the roster's names of the levels ("block|body"), within
// a district if it is not "", sorted, each once: one round trip.
func (s *Services) placeNames(ctx context.Context, levels, within string) ([]string, error) {
	var ls []string
	for _, level := range strings.Split(levels, "|") {
		ls = append(ls, strings.TrimSpace(level))
	}
	sets, err := s.Roster.PlaceNamesOf(ctx, within, ls...)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, ns := range sets {
		names = append(names, ns...)
	}
	slices.Sort(names) // the same choices in the same order every time
	return slices.Compact(names), nil
}

// placeCache keeps the keyed place names of each level place.match was
// asked for, so that a reply is not matched by keying every name again,
// and, for placeFresh after they were read, to match a reply without
// reading them. Its keys are the levels and a district of the roster (a
// district with no names is not kept), so it stays small.
type placeCache struct {
	mu sync.Mutex
	by map[string]keyedPlaces // by the level argument and district: "district|in:", "block|body|in:सोनभद्र"
}

// keyedPlaces are place names keyed for matching, and when they were read.
type keyedPlaces struct {
	places *match.Places
	read   time.Time
}

// placeFresh is how long names read from the roster answer an exact
// match without reading them again.
const placeFresh = 30 * time.Second

// fresh is the keyed names of levels if they were read less than
// placeFresh before now, else nil.
func (c *placeCache) fresh(levels string, now time.Time) *match.Places {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, ok := c.by[levels]; ok && now.Sub(k.read) < placeFresh && !now.Before(k.read) {
		return k.places
	}
	return nil
}

// put is the keyed names of levels, read at now: keyed again when names
// has changed.
func (c *placeCache) put(levels string, names []string, now time.Time) *match.Places {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.by == nil {
		c.by = map[string]keyedPlaces{}
	}
	k, ok := c.by[levels]
	if !ok || k.places.Len() != len(names) {
		k.places = match.NewPlaces(names)
	}
	k.read = now
	if len(names) > 0 {
		c.by[levels] = k
	}
	return k.places
}
