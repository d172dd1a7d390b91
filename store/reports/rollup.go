package reports

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/saathi-bot/saathi/store/roster"
)

// Levels of a roll-up, narrowest first. Block and district are the
// roster's scope levels.
const (
	LevelSHG      = "shg"
	LevelCluster  = "cluster"
	LevelBlock    = roster.LevelBlock
	LevelDistrict = roster.LevelDistrict
)

// Levels lists the levels of a roll-up, narrowest first.
func Levels() []string { return []string{LevelSHG, LevelCluster, LevelBlock, LevelDistrict} }

// Row is one SHG, cluster, block or district of a roll-up. The sums are
// over the SHGs that reported.
type Row struct {
	Level  string // LevelSHG, LevelCluster, LevelBlock or LevelDistrict
	Name   string // the SHG's, cluster's, block's or district's name ("" for SHGs with no cluster)
	Parent string // the name one level up: cluster, block, district, division

	// Where the row lies, its own level's being Name (and narrower ones empty).
	Division, District, Block, Cluster string

	Expected        int // SHGs on the roster
	Reported        int // of them, SHGs that reported
	Members         int
	Meetings        int
	Savings         int64 // ₹
	Accounts        int   // members with a bank account
	LoansCount      int
	LoansAmount     int64   // ₹
	NutritionGroups int     // reporting SHGs that started a nutrition garden
	AccountsPct     float64 // 100 × Accounts / Members, 0 with no members
	NutritionPct    float64 // 100 × NutritionGroups / Reported, 0 with no reports

	// SHG rows only: the report's problem and when it came.
	Problem string
	At      time.Time
}

// Tables is a roll-up: the rows of each level, each level's rows sorted
// by parent, then name.
type Tables struct {
	Period                        string
	SHG, Cluster, Block, District []Row
	// Unknown lists SHGs that reported but are on no roster row of an SHG
	// member; their numbers are in no row.
	Unknown []string
}

// Rows returns the rows of a level (nil for an unknown level).
func (t Tables) Rows(level string) []Row {
	switch level {
	case LevelSHG:
		return t.SHG
	case LevelCluster:
		return t.Cluster
	case LevelBlock:
		return t.Block
	case LevelDistrict:
		return t.District
	}
	return nil
}

// RollUp adds up the reports of a period SHG by SHG, then by cluster,
// block and district. The SHGs expected are those of the roster: the
// distinct non-empty SHG names of people with role shg_member (names
// compare as in the roster), each lying in the cluster, block, district
// and division of its first member in people's order. Reports of another
// period are ignored; of two reports of one SHG the later (At) counts;
// reports of an SHG not on the roster go to Unknown. Clusters and blocks
// are told apart by their district (and block) as well as their name.
func RollUp(period string, reports []Report, people []roster.Person) Tables {
	b := newBuilder(period, false)
	b.AddPeople(people)
	b.AddReports(reports)
	return b.Tables()
}

// Builder adds up a roll-up as RollUp does from people and reports given
// a page at a time (roster.Roster.EachIn, Store.EachReport): all the
// people first, then the reports. It holds a row per SHG and the names of
// its places, never the members or the reports, so that a state's
// roll-up stays within its SHGs' rows. People may come in any order, and
// twice: an SHG lies where its member that sorts first (roster.Compare)
// is, which is where RollUp puts it given the people as Select sorts them.
type Builder struct {
	period  string
	given   bool // RollUp's rule: the first member given places the SHG
	t       Tables
	byName  map[string]int    // folded SHG name -> index in t.SHG
	first   []sortKey         // per SHG, its member that placed it
	names   map[string]string // place names, kept once each
	unknown map[string]Report // folded SHG name -> its latest report, of SHGs on no roster row
}

// sortKey is what roster.Compare reads of a person.
type sortKey struct{ body, ward, name, phone string }

func (k sortKey) person() roster.Person {
	return roster.Person{Body: k.body, Ward: k.ward, Name: k.name, Phone: k.phone}
}

// NewBuilder starts the roll-up of a period.
func NewBuilder(period string) *Builder { return newBuilder(period, true) }

func newBuilder(period string, sorted bool) *Builder {
	return &Builder{period: period, given: !sorted, t: Tables{Period: period}, byName: map[string]int{},
		names: map[string]string{}, unknown: map[string]Report{}}
}

// name is s trimmed, the same string for every SHG of a place.
func (b *Builder) name(s string) string {
	s = strings.TrimSpace(s)
	if n, ok := b.names[s]; ok {
		return n
	}
	b.names[s] = s
	return s
}

// AddPeople takes the SHGs of people with role shg_member.
func (b *Builder) AddPeople(people []roster.Person) {
	for _, p := range people {
		if p.Role != roster.RoleSHGMember || strings.TrimSpace(p.SHG) == "" {
			continue
		}
		k := fold(p.SHG)
		i, ok := b.byName[k]
		if ok && (b.given || roster.Compare(p, b.first[i].person()) >= 0) {
			continue
		}
		row := Row{
			Level: LevelSHG, Name: strings.TrimSpace(p.SHG), Parent: b.name(p.Cluster),
			Division: b.name(p.Division), District: b.name(p.District),
			Block: b.name(p.Block), Cluster: b.name(p.Cluster),
			Expected: 1,
		}
		key := sortKey{p.Body, p.Ward, p.Name, p.Phone}
		if ok {
			b.t.SHG[i], b.first[i] = row, key
			continue
		}
		b.byName[k] = len(b.t.SHG)
		b.t.SHG = append(b.t.SHG, row)
		if !b.given {
			b.first = append(b.first, key)
		}
	}
}

// AddReports takes reports, after every person: of two reports of one
// SHG the later (At) counts, reports of another period are ignored, and
// those of an SHG not on the roster go to Unknown.
func (b *Builder) AddReports(reports []Report) {
	for _, r := range reports {
		if r.Period != b.period {
			continue
		}
		k := fold(r.SHG)
		i, ok := b.byName[k]
		if !ok {
			if old, seen := b.unknown[k]; !seen || r.At.After(old.At) {
				b.unknown[k] = Report{SHG: r.SHG, At: r.At}
			}
			continue
		}
		row := &b.t.SHG[i]
		if row.Reported == 1 && !r.At.After(row.At) {
			continue
		}
		row.Reported = 1
		row.Members, row.Meetings, row.Savings = r.Members, r.Meetings, r.Savings
		row.Accounts, row.LoansCount, row.LoansAmount = r.Accounts, r.LoansCount, r.LoansAmount
		row.NutritionGroups = 0
		if r.Nutrition {
			row.NutritionGroups = 1
		}
		row.Problem, row.At = r.Problem, r.At
		row.percentages()
	}
}

// Tables is the roll-up: the SHGs' rows added up by cluster, block and
// district. Call it once, when everything is added.
func (b *Builder) Tables() Tables {
	t := b.t
	t.Unknown = nil
	for _, r := range b.unknown {
		t.Unknown = append(t.Unknown, strings.TrimSpace(r.SHG))
	}
	slices.Sort(t.Unknown)
	t.Cluster = group(t.SHG, LevelCluster, func(r Row) Row {
		return Row{Name: r.Cluster, Parent: r.Block, Division: r.Division, District: r.District, Block: r.Block, Cluster: r.Cluster}
	})
	t.Block = group(t.Cluster, LevelBlock, func(r Row) Row {
		return Row{Name: r.Block, Parent: r.District, Division: r.Division, District: r.District, Block: r.Block}
	})
	t.District = group(t.Block, LevelDistrict, func(r Row) Row {
		return Row{Name: r.District, Parent: r.Division, Division: r.Division, District: r.District}
	})
	sortRows(t.SHG)
	return t
}

// group adds up rows into the rows one level up; up gives the place (name,
// parent, where) of the row a row belongs to.
func group(rows []Row, level string, up func(Row) Row) []Row {
	var out []Row
	index := map[string]int{}
	for _, r := range rows {
		u := up(r)
		k := fold(u.District) + "|" + fold(u.Block) + "|" + fold(u.Cluster)
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			u.Level = level
			out = append(out, u)
		}
		o := &out[i]
		o.Expected += r.Expected
		o.Reported += r.Reported
		o.Members += r.Members
		o.Meetings += r.Meetings
		o.Savings += r.Savings
		o.Accounts += r.Accounts
		o.LoansCount += r.LoansCount
		o.LoansAmount += r.LoansAmount
		o.NutritionGroups += r.NutritionGroups
	}
	for i := range out {
		out[i].percentages()
	}
	sortRows(out)
	return out
}

// percentages sets AccountsPct and NutritionPct from the sums.
func (r *Row) percentages() {
	r.AccountsPct, r.NutritionPct = 0, 0
	if r.Members > 0 {
		r.AccountsPct = 100 * float64(r.Accounts) / float64(r.Members)
	}
	if r.Reported > 0 {
		r.NutritionPct = 100 * float64(r.NutritionGroups) / float64(r.Reported)
	}
}

// sortRows sorts rows by parent, then name, then where they lie.
func sortRows(rows []Row) {
	slices.SortStableFunc(rows, func(a, b Row) int {
		return cmp.Or(strings.Compare(a.Parent, b.Parent), strings.Compare(a.Name, b.Name),
			strings.Compare(a.Division, b.Division), strings.Compare(a.District, b.District),
			strings.Compare(a.Block, b.Block), strings.Compare(a.Cluster, b.Cluster))
	})
}

// Filter keeps the rows inside a coordinator's scope: with a block scope,
// that block's SHGs, clusters and block row (no district row, no other
// block); with a district or division scope, everything in it down from
// the district rows; with scope all, everything (the same rows, not a
// copy). A body scope (urban local
// bodies have no SHGs) and an unknown one keep nothing. Names compare as
// in roster.Scope.Contains: only the scope's own level is looked at.
// Unknown SHGs are kept only with scope all.
func (t Tables) Filter(s roster.Scope) Tables {
	if s.Level == roster.LevelAll { // everything: the rows as they are, not a copy
		out := t
		out.Unknown = slices.Clone(t.Unknown)
		return out
	}
	keep := func(rows []Row) []Row {
		var out []Row
		for _, r := range rows {
			if s.Contains(roster.Person{Division: r.Division, District: r.District, Block: r.Block, Cluster: r.Cluster}) {
				out = append(out, r)
			}
		}
		return out
	}
	out := Tables{Period: t.Period, SHG: keep(t.SHG), Cluster: keep(t.Cluster), Block: keep(t.Block), District: keep(t.District)}
	if s.Level == roster.LevelAll {
		out.Unknown = slices.Clone(t.Unknown)
	}
	return out
}
