package roster

import (
	"cmp"
	"context"
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"github.com/redis/go-redis/v9"
)

// PlaceCount is how many participants (Person.Participant: people with a
// role who are no coordinators or admins) the roster has at one place.
type PlaceCount struct {
	Place  string // the name at the level, as the roster writes it
	Parent string // the place above it: a block's district, a body's block
	People int
}

// Representatives counts the participants at each place at level
// (division, district, block or body) inside s, from the index sets alone:
// one round trip for the places, one for their geography, one for the
// parts' role pairs and one script a part, whatever the roster's size.
// Places of one name under two parents (a gram panchayat name in two
// blocks) are two counts. A person of two places counts at each; an index
// entry a concurrent write has not removed yet may count a moment longer.
func (r *Roster) Representatives(ctx context.Context, s Scope, level string) ([]PlaceCount, error) {
	li := slices.Index(levelsDown, level)
	if li < 0 {
		return nil, fmt.Errorf("count representatives in %s: no level %q", s, level)
	}
	names, err := r.PlacesIn(ctx, s, level)
	if err != nil {
		return nil, fmt.Errorf("count representatives in %s: %w", s, err)
	}
	if len(names) == 0 {
		return nil, nil
	}
	keys := make([]string, len(names))
	for i, n := range names {
		keys[i] = upKey(level, n)
	}
	chains, err := r.placeSets(ctx, keys...)
	if err != nil {
		return nil, fmt.Errorf("count representatives in %s: %w", s, err)
	}

	// The rows: a place at level under its parent, and where its people
	// are in the index (which parts, which sets of each).
	parent := ""
	if li > 0 {
		parent = levelsDown[li-1]
	}
	type row struct {
		count    PlaceCount
		parts    []string // parts (a division row's: those its division's catalogue set names)
		division string   // a division row's division, folded
		sets     []string // in each part: the first of these that exists ("" = the part itself)
		also     []string // sets its people are in too (a body's block)
	}
	// A scope narrower than level (a block's people by district) holds
	// part of each place: its set, or for a district its part, says which.
	narrow := s.Level != LevelAll && slices.Index(levelsDown, s.Level) > li
	var rows []*row
	byKey := map[[2]string]*row{}
	for i, name := range names {
		for _, c := range chains[i] {
			at := unchain(c)
			// A chain stops at level: a name At took from a narrower level
			// (a body with no block, at the block level) has none there.
			if v := at.At(level); !narrow && !s.Contains(at) || v != "" && fold(v) != fold(name) {
				continue
			}
			k := [2]string{fold(name), ""}
			if parent != "" {
				k[1] = fold(at.At(parent))
			}
			rw := byKey[k]
			if rw == nil {
				rw = &row{count: PlaceCount{Place: name}, sets: rowSets(at, level, name)}
				if parent != "" {
					rw.count.Parent = at.At(parent)
				}
				if level == LevelBody && at.Body != "" && at.Block != "" { // the body of that name in this block
					rw.also = []string{levelLetter[LevelBlock] + ":" + fold(at.Block)}
				}
				switch {
				case level == LevelDivision && at.Division != "":
					rw.division = fold(at.Division) // every part of the division
				case level == LevelDivision: // a district with no division
					rw.parts, rw.sets = []string{"d:" + fold(name)}, []string{""}
				}
				byKey[k] = rw
				rows = append(rows, rw)
			}
			// A place of one name under one parent may be in two parts (a
			// block of that name in two districts of a division).
			if level != LevelDivision {
				if part := partOf(at.place()); !slices.Contains(rw.parts, part) {
					rw.parts = append(rw.parts, part)
				}
			}
		}
	}
	partsOf := map[*row]*redis.StringSliceCmd{}
	if _, err := r.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		for _, rw := range rows {
			if rw.division != "" {
				partsOf[rw] = pipe.SMembers(ctx, ixKey(placesTag, "v:"+rw.division))
			}
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("count representatives in %s: read the divisions' parts: %w", s, err)
	}
	for rw, cmd := range partsOf {
		rw.parts = cmd.Val()
	}

	// Each part's role pairs of participants.
	byPart := map[string][]int{} // part -> rows
	var parts []string
	for i, rw := range rows {
		for _, p := range rw.parts {
			if s.Level == LevelDistrict && p != "d:"+fold(s.Value) {
				continue
			}
			if byPart[p] == nil {
				parts = append(parts, p)
			}
			byPart[p] = append(byPart[p], i)
		}
	}
	pairCmds := make([]*redis.StringSliceCmd, len(parts))
	if _, err := r.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		for i, p := range parts {
			pairCmds[i] = pipe.SMembers(ctx, partKey(p, "rds"))
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("count representatives in %s: read the roster's roles: %w", s, err)
	}

	// One script a part: for each row, the first of its sets that exists,
	// intersected with the scope's set and each participant pair.
	var scopeSet string
	if l, ok := levelLetter[s.Level]; ok && s.Level != LevelAll {
		scopeSet = l + ":" + fold(s.Value)
	}
	type run struct {
		cmd  *redis.Cmd
		rows []int
	}
	var runs []run
	if _, err := r.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		for i, p := range parts {
			var pairs []string
			for _, pair := range pairCmds[i].Val() {
				role, _, _ := strings.Cut(pair, "/")
				if (Person{Role: role}).Participant() {
					pairs = append(pairs, partKey(p, "r:"+pair))
				}
			}
			if len(pairs) == 0 {
				continue
			}
			keys := append([]string(nil), pairs...)
			args := []any{len(pairs), 0, len(byPart[p])}
			if scopeSet != "" {
				keys = append(keys, partKey(p, scopeSet))
				args[1] = 1
			}
			index := func(set string) int {
				if set == "" {
					return 0
				}
				keys = append(keys, partKey(p, set))
				return len(keys)
			}
			for _, ri := range byPart[p] {
				args = append(args, len(rows[ri].sets))
				for _, set := range rows[ri].sets {
					args = append(args, index(set))
				}
				args = append(args, len(rows[ri].also))
				for _, set := range rows[ri].also {
					args = append(args, index(set))
				}
			}
			runs = append(runs, run{pipe.Eval(ctx, censusScript, keys, args...), byPart[p]})
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("count representatives in %s: %w", s, err)
	}
	for _, rn := range runs {
		counts, err := rn.cmd.Int64Slice()
		if err != nil {
			return nil, fmt.Errorf("count representatives in %s: %w", s, err)
		}
		for j, ri := range rn.rows {
			if j < len(counts) {
				rows[ri].count.People += int(counts[j])
			}
		}
	}
	out := make([]PlaceCount, len(rows))
	for i, rw := range rows {
		out[i] = rw.count
	}
	slices.SortFunc(out, func(a, b PlaceCount) int {
		return cmp.Or(cmp.Compare(a.Place, b.Place), cmp.Compare(a.Parent, b.Parent))
	})
	return out, nil
}

// rowSets are the index sets, within a part, of the people at the place
// at stands for (its geography down to level): the first that exists is
// the place's. A name At gave from a narrower level (a body with no block
// stands for its block) is looked for at those levels; "" is the whole
// part (a district).
func rowSets(at Person, level, name string) []string {
	if personField(at, level) != "" {
		if level == LevelDistrict {
			return []string{""}
		}
		return []string{levelLetter[level] + ":" + fold(name)}
	}
	var sets []string
	for _, l := range levelsDown[slices.Index(levelsDown, level)+1:] {
		if l != LevelDistrict { // a district is a part, not a set: see Representatives
			sets = append(sets, levelLetter[l]+":"+fold(name))
		}
	}
	return sets
}

// censusScript counts a part's participants place by place.
//
//go:embed census.lua
var censusScript string

// Key names the place a count is of: names compared as
// the index compares them (case, nukta, spaces).
func (c PlaceCount) Key() string { return CountKey(c.Place, c.Parent) }

// CountKey is the key of a place under its parent (see PlaceCount.Key).
func CountKey(place, parent string) string { return fold(place) + chainSep + fold(parent) }

// CountPlaces are the places at level (with their parents, as
// Representatives counts them) of p's places inside s, each once: the
// counts a participant is one of (People is 0).
func (p Person) CountPlaces(s Scope, level string) []PlaceCount {
	li := slices.Index(levelsDown, level)
	if li < 0 {
		return nil
	}
	var out []PlaceCount
	for _, at := range p.atEach() {
		at.Also = nil // this place alone
		c := PlaceCount{Place: at.At(level)}
		if c.Place == "" || !s.Contains(at) {
			continue
		}
		if li > 0 {
			c.Parent = at.At(levelsDown[li-1])
		}
		if !slices.ContainsFunc(out, func(o PlaceCount) bool { return o.Key() == c.Key() }) {
			out = append(out, c)
		}
	}
	return out
}
