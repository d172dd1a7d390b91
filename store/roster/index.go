package roster

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/redis/go-redis/v9"
)

// The roster's indexes answer every question the product asks of it (who
// matches a filter, who is in a scope, who approves whom, who the admins
// are) from sets, so that no question reads the whole roster.
//
// Keys are made for Redis Cluster: the braces are hash tags.
//
//	saathi:p:{+91…}                  a person, packed (pack.go)
//	saathi:ix:{part}:r:role/des      phones of that role and designation in part
//	saathi:ix:{part}:rds             the role/des pairs part has
//	saathi:ix:{part}:v:|b:|y:<name>  phones with that division, block, body in part
//	saathi:ix:{part}:s:|c:<name>     phones of that SHG, cluster in part
//	saathi:ix:{part}:also            phones in part by a further place only (Count)
//	saathi:ix:{places}:parts         every part
//	saathi:ix:{places}:v:|b:|y:|s:|c:<name>  the parts where that name is
//	saathi:ix:{staff}:admins|coords  admins; coordinators and admins
//	saathi:ix:{staff}:c:<level>:<name>  coordinators of that scope
//
// A part is a district ("d:<district>"), or for a place with no district
// its division ("v:<division>"), or "-" for no geography: a person is in
// the part of each of their places (Person.Also), with that place's names.
// Names are folded (fold). Members are phones without the "+", which Redis
// keeps as integers (intsets) in sets of up to 512.
//
// Everything a question needs of one part is in that part's slot, so it is
// one script there. A person's record and their index entries are in
// different slots: on one Redis they are written in one MULTI; on a
// cluster each slot's share is atomic, every write is idempotent (SADD,
// SREM), and `saathi roster reindex` repairs what a crash between slots
// left. An index may name someone who no longer fits (a catalogue entry, a
// set another writer raced): answers are always checked against the
// people's records, so an index only has to hold everyone who fits.
const (
	recordPrefix = "saathi:p:"
	ixPrefix     = "saathi:ix:"
	placesTag    = "places"
	staffTag     = "staff"
)

func recordKey(e164 string) string     { return recordPrefix + "{" + e164 + "}" }
func ixKey(tag, rest string) string    { return ixPrefix + "{" + tag + "}:" + rest }
func member(e164 string) string        { return strings.TrimPrefix(e164, "+") }
func phoneOfMember(m string) string    { return "+" + m }
func pairOf(role, des string) string   { return role + "/" + des }
func partKey(part, rest string) string { return ixKey(part, rest) }

// phoneOfRecord reads the phone from a record's key.
func phoneOfRecord(key string) (string, bool) {
	rest, ok := strings.CutPrefix(key, recordPrefix+"{")
	if !ok || !strings.HasSuffix(rest, "}") {
		return "", false
	}
	return strings.TrimSuffix(rest, "}"), true
}

// partOf is the part a place is indexed in.
func partOf(pl Place) string {
	switch {
	case pl.District != "":
		return "d:" + fold(pl.District)
	case pl.Division != "":
		return "v:" + fold(pl.Division)
	}
	return "-"
}

// Index letters of the geography and group levels.
var levelLetter = map[string]string{
	colDivision: "v", colBlock: "b", colBody: "y", colSHG: "s", colCluster: "c",
}

// entry is one index membership: member in the set at key. A catalogue
// entry (a part, a pair) is shared by many people: an update never removes
// it, reindex does when nobody needs it.
type entry struct {
	key, member string
	catalogue   bool
}

// entries are the index memberships p (normalized) needs.
func (p Person) entries() []entry {
	m := member(p.Phone)
	pair := pairOf(p.Role, p.Designation)
	seen := map[entry]bool{}
	var out []entry
	add := func(e entry) {
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	home := partOf(p.place())
	for _, at := range p.atEach() {
		part := partOf(at.place())
		if part != home { // counted at home: Count subtracts them here
			add(entry{partKey(part, "also"), m, false})
		}
		add(entry{ixKey(placesTag, "parts"), part, true})
		add(entry{partKey(part, "rds"), pair, true})
		add(entry{partKey(part, "r:"+pair), m, false})
		for _, lv := range [...]struct{ key, val string }{
			{colDivision, at.Division}, {colBlock, at.Block}, {colBody, at.Body}, {colSHG, at.SHG}, {colCluster, at.Cluster},
		} {
			if v := fold(lv.val); v != "" {
				l := levelLetter[lv.key]
				add(entry{partKey(part, l+":"+v), m, false})
				add(entry{ixKey(placesTag, l+":"+v), part, true})
			}
		}
	}
	if p.IsAdmin() {
		add(entry{ixKey(staffTag, "admins"), m, false})
	}
	if p.IsCoordinator() {
		add(entry{ixKey(staffTag, "coords"), m, false})
	}
	if sc, ok := p.Scope(); ok && p.Role == RoleCoordinator {
		for _, at := range p.atEach() { // a coordinator of two bodies approves for both
			if v := fold(personField(at, sc.Level)); v != "" {
				add(entry{ixKey(staffTag, "c:"+sc.Level+":"+v), m, false})
			}
		}
	}
	return out
}

// writeIndex queues, on pipe, what moves p's index entries from old's
// (nil: none) to p's: SREM of old entries p does not have, then SADD of
// all of p's, one command per key.
func writeIndex(ctx context.Context, pipe redis.Pipeliner, olds, news [][]entry) {
	rem := map[string][]any{}
	add := map[string][]any{}
	var remKeys, addKeys []string
	shared := map[entry]bool{} // a catalogue entry many people of the batch have: added once
	for i := range news {
		now := map[entry]bool{}
		for _, e := range news[i] {
			now[e] = true
			if e.catalogue {
				if shared[e] {
					continue
				}
				shared[e] = true
			}
			if add[e.key] == nil {
				addKeys = append(addKeys, e.key)
			}
			add[e.key] = append(add[e.key], e.member)
		}
		if i < len(olds) {
			for _, e := range olds[i] {
				if !e.catalogue && !now[e] {
					if rem[e.key] == nil {
						remKeys = append(remKeys, e.key)
					}
					rem[e.key] = append(rem[e.key], e.member)
				}
			}
		}
	}
	for _, k := range remKeys {
		pipe.SRem(ctx, k, rem[k]...)
	}
	for _, k := range addKeys {
		pipe.SAdd(ctx, k, add[k]...)
	}
}

// selectScript returns the members of a part that are in every group of
// sets (in any set of each): KEYS are the sets, group after group; ARGV
// the number of keys of each group. It starts from the smallest group.
//
//go:embed select.lua
var selectScript string

// query is a question to the index: a filter, kept to a scope.
type query struct {
	f     Filter
	scope *Scope
}

// ErrWardWithoutBody refuses a ward term with no body: ward numbers
// repeat in every body (ward 5 is in each town and panchayat), so a ward
// alone names nobody in particular, and answering it would read every
// district.
var ErrWardWithoutBody = errors.New("a ward number needs its body too (body=…,ward=5): every body has a ward of that number")

// ErrWholeRoster refuses a question whose answer is the whole roster (no
// filter, no scope) where a page at a time is not read: read it with Each
// or EachIn, as exports do.
var ErrWholeRoster = errors.New("no filter and no scope select the whole roster: name whom (role=…, district=…) or read it in pages")

// whole tells whether q asks for the whole roster: no term that selects
// (exclusions alone do not) and no scope narrower than all.
func (q query) whole() bool {
	f := q.f
	for _, key := range filterKeys {
		if len(*f.field(key)) > 0 {
			return false
		}
	}
	return q.scope == nil || q.scope.Level == LevelAll
}

// check refuses what the index does not answer: a ward with no body
// (ErrWardWithoutBody; a body scope or a list of phones will do), and the
// whole roster (ErrWholeRoster).
func (q query) check() error {
	f := q.f
	if len(f.Phone) > 0 {
		return nil
	}
	if len(f.Ward) > 0 && len(f.Body) == 0 && (q.scope == nil || q.scope.Level != LevelBody) {
		return ErrWardWithoutBody
	}
	if q.whole() {
		return ErrWholeRoster
	}
	return nil
}

// geographic tells whether f names a place (division, district, block or
// body): then a scope is checked on the records alone, since f and the
// scope may match a person of two places at different ones.
func (f Filter) geographic() bool {
	return len(f.Division)+len(f.District)+len(f.Block)+len(f.Body) > 0
}

// candidates are the phones (E.164) the index holds for q: everyone who
// fits q, and maybe some who do not (check their records). Three round
// trips: the parts, their pairs, one script per part.
func (r *Roster) candidates(ctx context.Context, q query) ([]string, error) {
	if len(q.f.Phone) > 0 { // a list of people: they are the candidates, once each
		phones := slices.Clone(q.f.Phone)
		slices.Sort(phones)
		return slices.Compact(phones), nil
	}
	plan, err := r.partRuns(ctx, q)
	if err != nil {
		return nil, err
	}
	runs := make([]*redis.Cmd, len(plan))
	if _, err := r.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		for i, pr := range plan {
			runs[i] = pipe.Eval(ctx, selectScript, pr.keys, pr.sizes...)
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("select from the roster's index: %w", err)
	}
	seen := map[string]bool{}
	var out []string
	for _, c := range runs {
		ms, err := c.StringSlice()
		if err != nil {
			return nil, fmt.Errorf("select from the roster's index: %w", err)
		}
		for _, m := range ms {
			if !seen[m] {
				seen[m] = true
				out = append(out, phoneOfMember(m))
			}
		}
	}
	return out, nil
}

// partRun is the script (selectScript) that asks one part of the index
// for a query's candidates: its sets, and how many sets each group has.
type partRun struct {
	keys  []string
	sizes []any
}

// partRuns are the scripts that ask the parts of the index that may hold
// someone q selects (q names no phones). Two round trips: the parts,
// their role/designation pairs.
func (r *Roster) partRuns(ctx context.Context, q query) ([]partRun, error) {
	f := q.f
	if err := q.check(); err != nil {
		return nil, err
	}
	type group struct {
		level string
		vals  []string
	}
	var groups []group // what each part's script intersects, besides the pairs
	for _, g := range []group{{colDivision, f.Division}, {colBlock, f.Block}, {colBody, f.Body}, {colSHG, f.SHG}, {colCluster, f.Cluster}} {
		if len(g.vals) > 0 {
			groups = append(groups, g)
		}
	}
	districts := f.District
	if sc := q.scope; sc != nil && sc.Level != LevelAll && !f.geographic() {
		switch sc.Level {
		case LevelDistrict:
			districts = []string{sc.Value}
		case LevelDivision, LevelBlock, LevelBody:
			groups = append(groups, group{sc.Level, []string{sc.Value}})
		default:
			return nil, nil
		}
	}

	// The parts: those every term names, or all of them.
	var partSets []*redis.StringSliceCmd
	if _, err := r.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		for _, g := range groups {
			keys := make([]string, len(g.vals))
			for i, v := range g.vals {
				keys[i] = ixKey(placesTag, levelLetter[g.level]+":"+fold(v))
			}
			partSets = append(partSets, pipe.SUnion(ctx, keys...))
		}
		if len(groups) == 0 && len(districts) == 0 {
			partSets = append(partSets, pipe.SMembers(ctx, ixKey(placesTag, "parts")))
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("find the parts of the roster: %w", err)
	}
	var parts map[string]bool
	if len(districts) > 0 {
		parts = map[string]bool{}
		for _, d := range districts {
			parts["d:"+fold(d)] = true
		}
	}
	for _, c := range partSets {
		got := map[string]bool{}
		for _, p := range c.Val() {
			if parts == nil || parts[p] {
				got[p] = true
			}
		}
		parts = got
	}
	if len(parts) == 0 {
		return nil, nil
	}
	names := slices.Sorted(maps.Keys(parts))

	// Each part's role/designation pairs that f accepts.
	pairs, err := r.pairsOf(ctx, names)
	if err != nil {
		return nil, err
	}
	roles, desigs := f.roleValues(), f.designationValues()
	var out []partRun
	for i, part := range names {
		var keys []string
		for _, pair := range pairs[i] {
			role, des, _ := strings.Cut(pair, "/")
			if (roles == nil || roles[fold(role)]) && (desigs == nil || desigs[fold(des)]) {
				keys = append(keys, partKey(part, "r:"+pair))
			}
		}
		if len(keys) == 0 {
			continue
		}
		sizes := []any{len(keys)}
		for _, g := range groups {
			for _, v := range g.vals {
				keys = append(keys, partKey(part, levelLetter[g.level]+":"+fold(v)))
			}
			sizes = append(sizes, len(g.vals))
		}
		out = append(out, partRun{keys, sizes})
	}
	return out, nil
}

// roleValues are f's roles folded, as Match reads them (nil: any role).
func (f Filter) roleValues() map[string]bool {
	if len(f.Role) == 0 {
		return nil
	}
	out := map[string]bool{}
	for _, v := range f.Role {
		if r, ok := ParseRole(v); ok {
			v = r
		}
		out[fold(v)] = true
	}
	return out
}

// designationValues are f's designations folded, as Match reads them (nil:
// any designation).
func (f Filter) designationValues() map[string]bool {
	if len(f.Designation) == 0 {
		return nil
	}
	out := map[string]bool{}
	for _, v := range f.Designation {
		if d, ok := BuiltinDesignations().Lookup(v); ok {
			v = d.ID
		}
		out[fold(v)] = true
	}
	return out
}

// selectQuery is the people q selects, checked against their records and
// sorted as Select sorts.
func (r *Roster) selectQuery(ctx context.Context, q query) ([]Person, error) {
	phones, err := r.candidates(ctx, q)
	if err != nil {
		return nil, err
	}
	people, err := r.records(ctx, phones)
	if err != nil {
		return nil, err
	}
	m := q.f.matcher()
	people = slices.DeleteFunc(people, func(p Person) bool {
		return !m.match(p) || q.scope != nil && !q.scope.Contains(p)
	})
	sortPeople(people)
	return people, nil
}

// readPage is how many records one pipeline reads.
const readPage = 1000

// records reads the people of phones (E.164), in pages; those not on the
// roster are left out.
func (r *Roster) records(ctx context.Context, phones []string) ([]Person, error) {
	out := make([]Person, 0, len(phones))
	for page := range slices.Chunk(phones, readPage) {
		cmds := make([]*redis.StringCmd, len(page))
		if _, err := r.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
			for i, ph := range page {
				cmds[i] = pipe.Get(ctx, recordKey(ph))
			}
			return nil
		}); err != nil && !errors.Is(err, redis.Nil) {
			return nil, fmt.Errorf("read %d people of the roster: %w", len(page), err)
		}
		for i, c := range cmds {
			if err := c.Err(); err != nil && !errors.Is(err, redis.Nil) {
				return nil, fmt.Errorf("read %d people of the roster: %w", len(page), err)
			}
			if p, ok := unpack(page[i], c.Val()); ok {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// membersOf reads the people whose phones are in the set at key.
func (r *Roster) membersOf(ctx context.Context, keys ...string) ([]Person, error) {
	ms, err := r.rdb.SUnion(ctx, keys...).Result()
	if err != nil {
		return nil, fmt.Errorf("read the roster's index: %w", err)
	}
	phones := make([]string, len(ms))
	for i, m := range ms {
		phones[i] = phoneOfMember(m)
	}
	people, err := r.records(ctx, phones)
	if err != nil {
		return nil, err
	}
	sortPeople(people)
	return people, nil
}

// Admins are the roster's admins.
func (r *Roster) Admins(ctx context.Context) ([]Person, error) {
	people, err := r.membersOf(ctx, ixKey(staffTag, "admins"))
	if err != nil {
		return nil, fmt.Errorf("list admins: %w", err)
	}
	return slices.DeleteFunc(people, func(p Person) bool { return !p.IsAdmin() }), nil
}

// Coordinators are the roster's coordinators and admins.
func (r *Roster) Coordinators(ctx context.Context) ([]Person, error) {
	people, err := r.membersOf(ctx, ixKey(staffTag, "coords"))
	if err != nil {
		return nil, fmt.Errorf("list coordinators: %w", err)
	}
	return slices.DeleteFunc(people, func(p Person) bool { return !p.IsCoordinator() }), nil
}

// CoordinatorsOf are the coordinators (not admins) whose scope contains p.
func (r *Roster) CoordinatorsOf(ctx context.Context, p Person) ([]Person, error) {
	keys := coordinatorKeys(p)
	if len(keys) == 0 {
		return nil, nil
	}
	people, err := r.membersOf(ctx, keys...)
	if err != nil {
		return nil, fmt.Errorf("find the coordinators of %s: %w", p.Name, err)
	}
	return coordinatorsOf(people, p), nil
}

// Approvers are the people a registration from p goes to: the coordinators
// whose scope contains p or, when no coordinator's does, the admins. Two
// round trips, whatever the roster's size: the index sets of both, then
// their records. with, when not nil, adds the caller's own commands to the
// first (a registration's writes), in a plain pipeline: they need not
// share a hash slot with the indexes; its commands' errors are returned.
func (r *Roster) Approvers(ctx context.Context, p Person, with func(redis.Pipeliner)) ([]Person, error) {
	var coords *redis.StringSliceCmd
	var admins *redis.StringSliceCmd
	_, err := r.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		if with != nil {
			with(pipe)
		}
		if keys := coordinatorKeys(p); len(keys) > 0 {
			coords = pipe.SUnion(ctx, keys...)
		}
		admins = pipe.SMembers(ctx, ixKey(staffTag, "admins"))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find the approvers of %s: %w", p.Name, err)
	}
	var fromCoords []string
	if coords != nil {
		fromCoords = coords.Val()
	}
	ms := append(slices.Clone(fromCoords), admins.Val()...)
	slices.Sort(ms)
	phones := make([]string, 0, len(ms))
	for _, m := range slices.Compact(ms) {
		phones = append(phones, phoneOfMember(m))
	}
	people, err := r.records(ctx, phones)
	if err != nil {
		return nil, fmt.Errorf("find the approvers of %s: %w", p.Name, err)
	}
	var cs, as []Person
	for _, c := range people {
		switch {
		case c.IsAdmin():
			as = append(as, c)
		case slices.Contains(fromCoords, member(c.Phone)):
			cs = append(cs, c)
		}
	}
	if cs = coordinatorsOf(cs, p); len(cs) > 0 {
		sortPeople(cs)
		return cs, nil
	}
	sortPeople(as)
	return as, nil
}

// coordinatorKeys are the index sets of the coordinators of each level of
// each place p is at.
func coordinatorKeys(p Person) []string {
	var keys []string
	for _, at := range p.atEach() {
		for _, level := range levelsDown {
			if v := fold(personField(at, level)); v != "" {
				keys = append(keys, ixKey(staffTag, "c:"+level+":"+v))
			}
		}
	}
	return keys
}

// coordinatorsOf keeps, of people read from the coordinators' index sets,
// the coordinators whose scope contains p (an index set may be stale until
// reindex).
func coordinatorsOf(people []Person, p Person) []Person {
	return slices.DeleteFunc(people, func(c Person) bool {
		sc, ok := c.Scope()
		return c.Role != RoleCoordinator || !ok || !sc.Contains(p)
	})
}

// DesignationsIn are the designations (ids) held by someone in scope s, in
// no order. Two round trips, whatever the roster's size.
func (r *Roster) DesignationsIn(ctx context.Context, s Scope) ([]string, error) {
	var parts []string
	switch s.Level {
	case LevelAll:
		all, err := r.rdb.SMembers(ctx, ixKey(placesTag, "parts")).Result()
		if err != nil {
			return nil, fmt.Errorf("designations in %s: %w", s, err)
		}
		parts = all
	case LevelDistrict:
		parts = []string{"d:" + fold(s.Value)}
	case LevelDivision, LevelBlock, LevelBody:
		ps, err := r.rdb.SMembers(ctx, ixKey(placesTag, levelLetter[s.Level]+":"+fold(s.Value))).Result()
		if err != nil {
			return nil, fmt.Errorf("designations in %s: %w", s, err)
		}
		parts = ps
	default:
		return nil, nil
	}
	type probe struct {
		des string
		n   *redis.IntCmd
	}
	var probes []probe
	held := map[string]bool{}
	pairs, err := r.pairsOf(ctx, parts)
	if err != nil {
		return nil, fmt.Errorf("designations in %s: %w", s, err)
	}
	if _, err := r.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		for i, part := range parts {
			for _, pair := range pairs[i] {
				_, des, _ := strings.Cut(pair, "/")
				pk := partKey(part, "r:"+pair)
				if s.Level == LevelAll || s.Level == LevelDistrict {
					probes = append(probes, probe{des, pipe.SCard(ctx, pk)})
					continue
				}
				probes = append(probes, probe{des, pipe.SInterCard(ctx, 1, pk, partKey(part, levelLetter[s.Level]+":"+fold(s.Value)))})
			}
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("designations in %s: %w", s, err)
	}
	for _, p := range probes {
		if p.n.Val() > 0 {
			held[p.des] = true
		}
	}
	return slices.Sorted(maps.Keys(held)), nil
}

// pairsOf reads the role/designation pairs each of parts has, in one
// round trip.
func (r *Roster) pairsOf(ctx context.Context, parts []string) ([][]string, error) {
	cmds := make([]*redis.StringSliceCmd, len(parts))
	if _, err := r.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		for i, part := range parts {
			cmds[i] = pipe.SMembers(ctx, partKey(part, "rds"))
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read the roster's roles: %w", err)
	}
	out := make([][]string, len(parts))
	for i, c := range cmds {
		out[i] = c.Val()
	}
	return out, nil
}

// Check tells whether the roster answers f for a coordinator of scope s
// (Select, SelectIn): ErrWardWithoutBody for a ward with no body,
// ErrWholeRoster for no filter in scope all, else nil.
func (f Filter) Check(s Scope) error { return query{f: f, scope: &s}.check() }

// EachIn calls fn with the people of scope s that f selects, a page of at
// most a thousand at a time, district by district (a part of the index at
// a time), in no order: for exports and roll-ups, whose memory then holds
// one district's candidates' phones and one page of people, not the
// answer. The whole roster (scope all, no filter) is read as Each reads
// it. A person of places in two districts may come twice; fn must not
// mind. A ward with no body is refused as in Select.
func (r *Roster) EachIn(ctx context.Context, s Scope, f Filter, fn func(page []Person) error) error {
	q := query{f: f, scope: &s}
	m := f.matcher()
	keep := func(people []Person) error {
		people = slices.DeleteFunc(people, func(p Person) bool { return !m.match(p) || !s.Contains(p) })
		if len(people) == 0 {
			return nil
		}
		return fn(people)
	}
	if q.whole() {
		return r.Each(ctx, keep)
	}
	read := func(phones []string) error {
		for page := range slices.Chunk(phones, readPage) {
			people, err := r.records(ctx, page)
			if err != nil {
				return err
			}
			if err := keep(people); err != nil {
				return err
			}
		}
		return nil
	}
	if len(f.Phone) > 0 {
		phones, err := r.candidates(ctx, q)
		if err != nil {
			return err
		}
		return read(phones)
	}
	plan, err := r.partRuns(ctx, q)
	if err != nil {
		return fmt.Errorf("select %s in %s: %w", f, s, err)
	}
	for _, pr := range plan {
		ms, err := r.rdb.Eval(ctx, selectScript, pr.keys, pr.sizes...).StringSlice()
		if err != nil {
			return fmt.Errorf("select %s in %s: %w", f, s, err)
		}
		phones := make([]string, len(ms))
		for i, m := range ms {
			phones[i] = phoneOfMember(m)
		}
		if err := read(phones); err != nil {
			return err
		}
	}
	return nil
}

// Count is how many people the roster holds, from the index's set sizes
// (SCARD): each part's role sets, less those there by a further place
// only (they count at their first). Three round trips, whatever the
// roster's size; exact while the index is (`saathi roster reindex`
// repairs it, and builds the further-place sets of a roster indexed
// before them).
func (r *Roster) Count(ctx context.Context) (int64, error) {
	parts, err := r.rdb.SMembers(ctx, ixKey(placesTag, "parts")).Result()
	if err != nil {
		return 0, fmt.Errorf("count the roster: %w", err)
	}
	pairs, err := r.pairsOf(ctx, parts)
	if err != nil {
		return 0, fmt.Errorf("count the roster: %w", err)
	}
	var plus, minus []*redis.IntCmd
	if _, err := r.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		for i, part := range parts {
			for _, pair := range pairs[i] {
				plus = append(plus, pipe.SCard(ctx, partKey(part, "r:"+pair)))
			}
			minus = append(minus, pipe.SCard(ctx, partKey(part, "also")))
		}
		return nil
	}); err != nil {
		return 0, fmt.Errorf("count the roster: %w", err)
	}
	var n int64
	for _, c := range plus {
		n += c.Val()
	}
	for _, c := range minus {
		n -= c.Val()
	}
	return n, nil
}
