// Package roster reads the roster coordinators keep — one person per row,
// the columns of roster-sample.csv, in a CSV file or an Excel workbook — and
// keeps it in Redis, keyed by phone number.
//
// Redis layout: a packed string saathi:p:{<e164>} per person (pack.go),
// index sets under saathi:ix: for every question asked of the roster
// (index.go), the names of places a level for matching typed places
// (placenames.go), and saathi:people:version, which counts the changes.
package roster

import (
	"cmp"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// Sample is the sample roster (invented people) the demo is seeded with.
//
//go:embed roster-sample.csv
var Sample []byte

// Person is one person of the roster: one row, or several rows of one
// phone for someone who holds several bodies.
//
// Role is the person's grant when they have one (coordinator, admin),
// else the older role their designation counts as (sabhasad, pradhan,
// shg_member, other …): code that asks "a coordinator?" or "an SHG
// member?" keeps asking Role. Designation is what the person is, a
// Designation's id (eo, nagar_ayukt, mis_coordinator); a coordinator or an
// admin may have none.
type Person struct {
	Name, Phone, Role                     string // Phone in E.164
	Designation                           string
	Division, District, Block, Body, Ward string
	SHG, Cluster, Language                string
	// Gender is the person's grammatical gender, for the Hindi the bot
	// speaks of them in ("आप आएँगी"): GenderFemale, GenderMale, or ""
	// when the roster does not say (then the texts are neutral).
	Gender string
	// Also are further bodies the person holds (an additional charge):
	// filters and scopes match a person at any of their places; counts by
	// place count them at the first (Division … Body).
	Also []Place
}

// Place is where a person holds a post.
type Place struct {
	Division, District, Block, Body string `json:",omitempty"`
}

// place is p's first place.
func (p Person) place() Place {
	return Place{Division: p.Division, District: p.District, Block: p.Block, Body: p.Body}
}

// atEach is p at each of their places: p itself, then p with each of
// p.Also for its division, district, block and body.
func (p Person) atEach() []Person {
	out := []Person{p}
	for _, pl := range p.Also {
		q := p
		q.Division, q.District, q.Block, q.Body = pl.Division, pl.District, pl.Block, pl.Body
		out = append(out, q)
	}
	return out
}

// Roles, as stored: Person.Role is one of these.
const (
	RoleSabhasad    = "sabhasad"
	RoleParshad     = "parshad"
	RolePradhan     = "pradhan"
	RoleWardMember  = "ward_member"
	RoleSHGMember   = "shg_member"
	RoleCoordinator = "coordinator"
	RoleAdmin       = "admin"
	RoleOther       = "other"
)

// Genders, as stored: Person.Gender is one of these or "".
const (
	GenderFemale = "f"
	GenderMale   = "m"
)

// IsAdmin reports whether p administers Saathi (every geography).
func (p Person) IsAdmin() bool { return p.Role == RoleAdmin }

// IsCoordinator reports whether p may use coordinator commands: a
// coordinator or an admin. What they may reach is p.Scope().
func (p Person) IsCoordinator() bool { return p.Role == RoleCoordinator || p.Role == RoleAdmin }

// Participant reports whether p is someone trainings and reports are for
// (a ward member, pradhan, SHG member …) rather than a coordinator or admin.
func (p Person) Participant() bool { return p.Role != "" && !p.IsCoordinator() }

// normalized checks p as the store keeps it: phone in E.164 (any Indian
// form is accepted and rewritten), a known role, a language (default hi).
func (p Person) normalized() (Person, error) {
	phone, ok := NormalizePhone(p.Phone)
	if !ok {
		return p, fmt.Errorf("phone %q is not a valid Indian number", p.Phone)
	}
	p.Phone = phone
	if d, ok := BuiltinDesignations().Lookup(p.Designation); ok {
		p.Designation = d.ID
		if p.Role == "" {
			p.Role = d.Role
		}
	} else if p.Designation != "" && p.Role == "" {
		p.Role = RoleOther // an operator's designation, read by Parse
	}
	role, ok := ParseRole(p.Role)
	if !ok {
		return p, fmt.Errorf("unknown role %q", p.Role)
	}
	p.Role = role
	if p.Designation == "" && p.Participant() {
		p.Designation = role // the older roles are designations' ids
	}
	lang, ok := parseLanguage(p.Language)
	if !ok {
		return p, fmt.Errorf("unknown language %q", p.Language)
	}
	p.Language = lang
	gender, ok := ParseGender(p.Gender)
	if !ok {
		return p, fmt.Errorf("unknown gender %q", p.Gender)
	}
	p.Gender = gender
	return p, nil
}

// legacyPrefix is where a person was kept before the packed records: a
// hash per person, and legacyPeople the set of their numbers. Reindex
// moves them.
const (
	legacyPrefix = "saathi:person:"
	legacyPeople = "saathi:people"
)

// personFromHash reads a legacy hash; ok is false when there is no person.
func personFromHash(h map[string]string) (Person, bool) {
	if h["phone"] == "" {
		return Person{}, false
	}
	p := Person{
		Name: h["name"], Phone: h["phone"], Role: h["role"], Division: h["division"], District: h["district"],
		Block: h["block"], Body: h["body"], Ward: h["ward"], SHG: h["shg"], Cluster: h["cluster"], Language: h["language"],
		Designation: h["designation"], Also: decodePlaces(h["also"]), Gender: h["gender"],
	}
	if p.Designation == "" && p.Participant() {
		p.Designation = p.Role // stored before designations: the role is one
	}
	return p, true
}

// decodePlaces reads a legacy hash's also field: JSON, or "" for none; a
// damaged value reads as none.
func decodePlaces(s string) []Place {
	var ps []Place
	if s != "" && json.Unmarshal([]byte(s), &ps) != nil {
		return nil
	}
	return ps
}

// Roster is the roster kept in Redis.
type Roster struct {
	rdb redis.UniversalClient
}

// New returns the roster kept in rdb.
func New(rdb redis.UniversalClient) *Roster { return &Roster{rdb: rdb} }

// Result is what an import did (or, dry, would do).
type Result struct {
	Added     int // people not on the roster before
	Updated   int // people whose row changed
	Unchanged int // people already on the roster exactly as in the file
}

// ImportBatch is how many people one write of an import holds: small
// enough that no Redis command (a MULTI/EXEC of SETs and SADDs) takes a
// noticeable time, large enough that round trips do not dominate.
const ImportBatch = 1000

// ImportOptions change how Import goes.
type ImportOptions struct {
	DryRun bool
	// Progress, when set, is called after each batch with the people
	// done so far and in all.
	Progress func(done, total int)
}

// Import adds or updates people, keyed by phone. A person already stored
// with the same fields is left alone, so importing a file twice changes
// nothing the second time. People not in the file stay on the roster. With
// dryRun, nothing is written and the result says what would change.
//
// Every person must be valid (see Parse); one that is not fails the whole
// import before anything is written. When a phone appears twice, the later
// person wins.
func (r *Roster) Import(ctx context.Context, people []Person, dryRun bool) (Result, error) {
	return r.ImportWith(ctx, people, ImportOptions{DryRun: dryRun})
}

// ImportWith is Import in batches of ImportBatch people: two round trips
// each (one pipeline reads the batch's records, one MULTI/EXEC writes the
// changed records with their index entries). A batch is written whole or
// not at all, and each is idempotent: an import stopped half-way (a crash,
// Redis gone) is finished by running it again, without duplicates. Two
// imports at once may both count a person as added; the data stays right,
// the last one wins.
func (r *Roster) ImportWith(ctx context.Context, people []Person, o ImportOptions) (Result, error) {
	byPhone := make(map[string]int, len(people))
	list := make([]Person, 0, len(people))
	for i, p := range people {
		p, err := p.normalized()
		if err != nil {
			return Result{}, fmt.Errorf("import roster: person %d (%s): %w", i+1, p.Name, err)
		}
		if j, ok := byPhone[p.Phone]; ok {
			list[j] = p
			continue
		}
		byPhone[p.Phone] = len(list)
		list = append(list, p)
	}
	clear(byPhone)
	if !o.DryRun {
		if err := r.markPlacesBuilt(ctx); err != nil {
			return Result{}, fmt.Errorf("import roster: %w", err)
		}
	}
	var res Result
	done := 0
	for batch := range slices.Chunk(list, ImportBatch) {
		got, err := r.importBatch(ctx, batch, o.DryRun)
		if err != nil {
			return res, fmt.Errorf("import roster: people %d–%d of %d: %w", done+1, done+len(batch), len(list), err)
		}
		res.Added += got.Added
		res.Updated += got.Updated
		res.Unchanged += got.Unchanged
		done += len(batch)
		if o.Progress != nil {
			o.Progress(done, len(list))
		}
	}
	return res, nil
}

// importBatch imports people (normalized, one per phone).
func (r *Roster) importBatch(ctx context.Context, people []Person, dryRun bool) (Result, error) {
	olds, err := r.records(ctx, phonesOf(people))
	if err != nil {
		return Result{}, err
	}
	stored := make(map[string]Person, len(olds))
	for _, p := range olds {
		stored[p.Phone] = p
	}
	var res Result
	var write, before []Person
	var had []bool
	for _, p := range people {
		old, ok := stored[p.Phone]
		if ok {
			p = p.blanksFrom(old)
		}
		switch {
		case !ok:
			res.Added++
		case p.pack() != old.pack():
			res.Updated++
		default:
			res.Unchanged++
			continue
		}
		write, before, had = append(write, p), append(before, old), append(had, ok)
	}
	if dryRun || len(write) == 0 {
		return res, nil
	}
	olde, newe := make([][]entry, len(write)), make([][]entry, len(write))
	for i, p := range write {
		if had[i] {
			olde[i] = before[i].entries()
		}
		newe[i] = p.entries()
	}
	if _, err := r.rdb.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		for _, p := range write {
			pipe.Set(ctx, recordKey(p.Phone), p.pack(), 0)
		}
		writeIndex(ctx, pipe, olde, newe)
		addPlaceNames(ctx, pipe, write)
		pipe.Incr(ctx, versionKey)
		return nil
	}); err != nil {
		return Result{}, fmt.Errorf("write %d people: %w", len(write), err)
	}
	return res, nil
}

// phonesOf are people's phones.
func phonesOf(people []Person) []string {
	out := make([]string, len(people))
	for i, p := range people {
		out[i] = p.Phone
	}
	return out
}

// Put adds or replaces one person (phone in any Indian form; it is stored
// in E.164), with their index entries, in one MULTI/EXEC.
func (r *Roster) Put(ctx context.Context, p Person) error {
	p, err := p.normalized()
	if err != nil {
		return fmt.Errorf("put %s on the roster: %w", p.Name, err)
	}
	olds, err := r.records(ctx, []string{p.Phone})
	if err != nil {
		return fmt.Errorf("put %s on the roster: %w", redactPhone(p.Phone), err)
	}
	if err := r.markPlacesBuilt(ctx); err != nil {
		return fmt.Errorf("put %s on the roster: %w", redactPhone(p.Phone), err)
	}
	var olde [][]entry
	if len(olds) == 1 {
		olde = [][]entry{olds[0].entries()}
	}
	if _, err := r.rdb.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		pipe.Set(ctx, recordKey(p.Phone), p.pack(), 0)
		writeIndex(ctx, pipe, olde, [][]entry{p.entries()})
		addPlaceNames(ctx, pipe, []Person{p})
		pipe.Incr(ctx, versionKey)
		return nil
	}); err != nil {
		return fmt.Errorf("put %s on the roster: %w", redactPhone(p.Phone), err)
	}
	return nil
}

// versionKey counts the roster's changes (Put, an import that wrote).
const versionKey = "saathi:people:version"

// Version changes whenever someone is put on the roster or changed on it:
// a process that keeps something derived from it (coordinators' menus)
// looks at it to know when to look again.
func (r *Roster) Version(ctx context.Context) (int64, error) {
	v, err := r.rdb.Get(ctx, versionKey).Int64()
	if err == redis.Nil {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read the roster's version: %w", err)
	}
	return v, nil
}

// Get finds a person by phone number, in E.164 or any form NormalizePhone
// accepts. ok is false when nobody has that number (or it is no number).
func (r *Roster) Get(ctx context.Context, phone string) (p Person, ok bool, err error) {
	e164, valid := NormalizePhone(phone)
	if !valid {
		return Person{}, false, nil
	}
	v, err := r.rdb.Get(ctx, recordKey(e164)).Result()
	if err == redis.Nil {
		return Person{}, false, nil
	}
	if err != nil {
		return Person{}, false, fmt.Errorf("get %s from the roster: %w", redactPhone(e164), err)
	}
	p, ok = unpack(e164, v)
	return p, ok, nil
}

// All returns everyone on the roster, sorted like Select: the whole
// roster, for tests and whole-roster exports (Each reads it in pages).
func (r *Roster) All(ctx context.Context) ([]Person, error) {
	var people []Person
	if err := r.Each(ctx, func(page []Person) error {
		people = append(people, page...)
		return nil
	}); err != nil {
		return nil, err
	}
	sortPeople(people)
	return people, nil
}

// Select returns the people f matches, sorted by body, then ward (numbers
// in numeric order), then name, then phone. It reads the index sets f
// names and the records of the people in them, never the whole roster:
// it refuses a ward with no body (ErrWardWithoutBody) and no filter at
// all (ErrWholeRoster; Each reads the whole roster in pages).
func (r *Roster) Select(ctx context.Context, f Filter) ([]Person, error) {
	people, err := r.selectQuery(ctx, query{f: f})
	if err != nil {
		return nil, fmt.Errorf("select %s: %w", f, err)
	}
	return people, nil
}

// SelectIn is Select kept to the people s contains: what a coordinator of
// scope s gets for filter f, whatever f says. A body scope gives a ward
// its body; no filter in scope all is the whole roster (ErrWholeRoster).
func (r *Roster) SelectIn(ctx context.Context, s Scope, f Filter) ([]Person, error) {
	people, err := r.selectQuery(ctx, query{f: f, scope: &s})
	if err != nil {
		return nil, fmt.Errorf("select %s in %s: %w", f, s, err)
	}
	return people, nil
}

// sortPeople orders people by body, ward, name and phone.
func sortPeople(people []Person) { slices.SortStableFunc(people, Compare) }

// Compare orders people as Select sorts them: by body, then ward (numbers
// in numeric order), then name, then phone.
func Compare(a, b Person) int {
	return cmp.Or(
		cmp.Compare(a.Body, b.Body),
		compareWards(a.Ward, b.Ward),
		cmp.Compare(a.Name, b.Name),
		cmp.Compare(a.Phone, b.Phone),
	)
}

// compareWards puts numbered wards in numeric order (2 before 10), before
// named ones.
func compareWards(a, b string) int {
	x, errA := strconv.Atoi(a)
	y, errB := strconv.Atoi(b)
	switch {
	case errA == nil && errB == nil:
		return cmp.Compare(x, y)
	case errA == nil:
		return -1
	case errB == nil:
		return 1
	}
	return cmp.Compare(a, b)
}

// redactPhone hides the middle of a number for errors and logs.
func redactPhone(e164 string) string {
	if len(e164) < 8 {
		return "***"
	}
	return e164[:5] + "*****" + e164[len(e164)-3:]
}

// blanksFrom fills p's empty places from old: a file without a district
// column, or with a blank cell, keeps what the roster has.
func (p Person) blanksFrom(old Person) Person {
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&p.Division, old.Division}, {&p.District, old.District}, {&p.Block, old.Block}, {&p.Body, old.Body},
		{&p.Ward, old.Ward}, {&p.SHG, old.SHG}, {&p.Cluster, old.Cluster}, {&p.Gender, old.Gender},
	} {
		if *f.dst == "" {
			*f.dst = f.src
		}
	}
	return p
}
