package services

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

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
	names, err := s.placeNames(ctx, levels, within)
	if err == nil && len(names) == 0 && within != "" {
		within = "" // a district not on the roster: its places are anyone's
		names, err = s.placeNames(ctx, levels, "")
	}
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("match a typed place: %w", err)
	}
	places := s.places.get(levels+"|in:"+within, names)
	if declined := c.Args["declined"]; declined != "" && slices.Contains(names, declined) {
		// Rare (a guess was said no to): keyed again without it.
		places = match.NewPlaces(slices.DeleteFunc(names, func(n string) bool { return n == declined }))
	}
	kind, found := places.Match(c.Args["text"])
	switch kind {
	case match.PlaceExact:
		r := result(OK, "place_guess", "", "place_choices", "")
		if save := c.Args["save"]; save != "" {
			r.Fields[save] = found[0]
		}
		return r, nil
	case match.PlaceNear:
		return result(PlaceNear, "place_guess", found[0], "place_choices", ""), nil
	case match.PlaceMany:
		return result(PlaceMany, "place_guess", "", "place_choices", strings.Join(found, "|")), nil
	}
	return result(None, "place_guess", "", "place_choices", ""), nil
}

// placeNames are the roster's names of the levels ("block|body"), within
// a district if it is not "", sorted, each once.
func (s *Services) placeNames(ctx context.Context, levels, within string) ([]string, error) {
	var names []string
	for _, level := range strings.Split(levels, "|") {
		level = strings.TrimSpace(level)
		var ns []string
		var err error
		if within != "" {
			ns, err = s.Roster.PlaceNamesIn(ctx, level, within)
		} else {
			ns, err = s.Roster.PlaceNames(ctx, level)
		}
		if err != nil {
			return nil, err
		}
		names = append(names, ns...)
	}
	slices.Sort(names) // the same choices in the same order every time
	return slices.Compact(names), nil
}

// placeCache keeps the keyed place names of each level place.match was
// asked for, so that a reply is not matched by keying every name again.
// The roster only ever adds names (roster.PlaceNames), so a set of the
// same size is the same set.
type placeCache struct {
	mu sync.Mutex
	by map[string]*match.Places // by the level argument and district: "district|in:", "block|body|in:सोनभद्र"
}

// get is the keyed names of levels, keyed again when names has changed.
func (c *placeCache) get(levels string, names []string) *match.Places {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p := c.by[levels]; p != nil && p.Len() == len(names) {
		return p
	}
	p := match.NewPlaces(names)
	if c.by == nil {
		c.by = map[string]*match.Places{}
	}
	c.by[levels] = p
	return p
}
