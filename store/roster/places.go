package roster

import "context"

// levelsDown are the levels of geography, widest first.
var levelsDown = []string{LevelDivision, LevelDistrict, LevelBlock, LevelBody}

// Below is the level a breakdown for scope s goes by: the one under s's
// (everything → division → district → block → body). A body is broken
// down by body: itself.
func (s Scope) Below() string {
	switch s.Level {
	case LevelAll:
		return LevelDivision
	case LevelDivision:
		return LevelDistrict
	case LevelDistrict:
		return LevelBlock
	}
	return LevelBody
}

// At is p's place at level (division, district, block or body), at their
// first place. A person with nothing at that level but something narrower
// (the officials of an urban body have no block) is at that: their body.
// "" when p has no place at that level or under it.
func (p Person) At(level string) string {
	for i, l := range levelsDown {
		if l != level {
			continue
		}
		for _, narrower := range levelsDown[i:] {
			if v := personField(p, narrower); v != "" {
				return v
			}
		}
		return ""
	}
	return ""
}

// ParseLevel reads a level of geography in English or Hindi: division
// (मंडल), district (जिला, जनपद), block (ब्लॉक, विकासखंड) or body (निकाय).
func ParseLevel(s string) (string, bool) {
	c, ok := headerNames[headerKey(clean(s))]
	for _, l := range levelsDown {
		if ok && c == l {
			return l, true
		}
	}
	return "", false
}

// People finds the people of phones (E.164), by phone, in pages of reads;
// a phone nobody on the roster has is left out.
func (r *Roster) People(ctx context.Context, phones []string) (map[string]Person, error) {
	people, err := r.records(ctx, phones)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Person, len(people))
	for _, p := range people {
		out[p.Phone] = p
	}
	return out, nil
}

// ContainsAll reports whether every place of p (Person.Also too) is inside
// s: what a coordinator must have to change p, where Contains is enough
// to see them.
func (s Scope) ContainsAll(p Person) bool {
	for _, at := range p.atEach() {
		if !s.Contains(Person{Division: at.Division, District: at.District, Block: at.Block, Body: at.Body}) {
			return false
		}
	}
	return true
}
