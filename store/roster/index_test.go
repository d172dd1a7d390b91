package roster

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/store/storetest"
)

// Small vocabularies, so that random people share places and names repeat
// across districts; variants spell a name as people type it (nukta, case,
// spaces, Devanagari digits), which the index must fold as Match does.
var (
	vocabDivision = []string{"मिर्जापुर", "मिर्ज़ापुर", "कानपुर", ""}
	vocabDistrict = []string{"सोनभद्र", "सोनभद्र ", "कानपुर देहात", "मिर्जापुर", ""}
	vocabBlock    = []string{"मैथा", "म्योरपुर", "Chopan", "chopan", ""}
	vocabBody     = []string{"नगर पंचायत अनपरा", "ग्राम पंचायत खैराही", "नगर  पंचायत अनपरा", "ग्राम पंचायत मैथा", ""}
	vocabWard     = []string{"1", "2", "१०", "10", ""}
	vocabSHG      = []string{"लक्ष्मी समूह", "दुर्गा समूह", "लक्ष्मी  समूह", ""}
	vocabCluster  = []string{"मैथा-1", "मैथा-2", ""}
	vocabRole     = []string{"sabhasad", "pradhan", "shg_member", "coordinator", "admin", "other", "सभासद", "प्रधान"}
	vocabDesig    = []string{"eo", "nagar_ayukt", "mis_coordinator", "अधिशासी अधिकारी", "sabhasad", "shg_member", ""}
)

func pick(r *rand.Rand, vs []string) string { return vs[r.IntN(len(vs))] }

// randomPerson is someone of the vocabularies, maybe with a second place.
func randomPerson(r *rand.Rand, i int) Person {
	p := Person{
		Name: fmt.Sprintf("व्यक्ति %d", i), Phone: fmt.Sprintf("+9190%08d", i),
		Role: pick(r, vocabRole), Division: pick(r, vocabDivision), District: pick(r, vocabDistrict),
		Block: pick(r, vocabBlock), Body: pick(r, vocabBody), Ward: pick(r, vocabWard),
		SHG: pick(r, vocabSHG), Cluster: pick(r, vocabCluster),
	}
	if r.IntN(3) == 0 {
		p.Role, p.Designation = "", pick(r, vocabDesig[:4])
	}
	if r.IntN(5) == 0 {
		p.Also = []Place{{Division: pick(r, vocabDivision), District: pick(r, vocabDistrict), Block: pick(r, vocabBlock), Body: pick(r, vocabBody)}}
	}
	return p
}

// randomFilter names one to three keys, with one or two values each.
func randomFilter(r *rand.Rand) Filter {
	var f Filter
	vocab := map[string][]string{
		colRole: vocabRole, colDesignation: vocabDesig[:5], colDivision: vocabDivision[:3], colDistrict: vocabDistrict[:4],
		colBlock: vocabBlock[:4], colBody: vocabBody[:4], colWard: vocabWard[:4], colSHG: vocabSHG[:3], colCluster: vocabCluster[:2],
		colPhone: {"+919000000001", "+919000000007", "+919000000150", "+919099999999"}, // the last is nobody
	}
	for range 1 + r.IntN(3) {
		key := filterKeys[r.IntN(len(filterKeys))]
		for range 1 + r.IntN(2) {
			*f.field(key) = append(*f.field(key), pick(r, vocab[key]))
		}
	}
	if len(f.Ward) > 0 && len(f.Body) == 0 && r.IntN(3) > 0 { // mostly a ward of a body, as asked
		f.Body = []string{pick(r, vocab[colBody])}
	}
	if r.IntN(10) == 0 {
		return Filter{} // everyone
	}
	if r.IntN(4) == 0 { // an exclusion: one key, as ParseFilter makes them
		var not Filter
		key := filterKeys[r.IntN(len(filterKeys))]
		*not.field(key) = []string{pick(r, vocab[key])}
		f.Not = []Filter{not}
	}
	return f
}

// everyScope lists every scope randomScope makes.
func everyScope() []Scope {
	out := []Scope{{Level: LevelAll}}
	for _, l := range []struct {
		level string
		vals  []string
	}{{LevelDivision, vocabDivision[:3]}, {LevelDistrict, vocabDistrict[:4]}, {LevelBlock, vocabBlock[:4]}, {LevelBody, vocabBody[:4]}} {
		for _, v := range l.vals {
			out = append(out, Scope{l.level, v})
		}
	}
	return out
}

func randomScope(r *rand.Rand) Scope {
	switch r.IntN(5) {
	case 0:
		return Scope{Level: LevelAll}
	case 1:
		return Scope{LevelDivision, pick(r, vocabDivision[:3])}
	case 2:
		return Scope{LevelDistrict, pick(r, vocabDistrict[:4])}
	case 3:
		return Scope{LevelBlock, pick(r, vocabBlock[:4])}
	}
	return Scope{LevelBody, pick(r, vocabBody[:4])}
}

// scanAnswers are what a full scan of all says to each question.
func phonesOfPeople(people []Person) []string {
	out := phonesOf(people)
	slices.Sort(out)
	return out
}

func keep(all []Person, f func(Person) bool) []string {
	var out []Person
	for _, p := range all {
		if f(p) {
			out = append(out, p)
		}
	}
	return phonesOfPeople(out)
}

// checkIndex asks the index random questions and compares each answer with
// a full scan of the roster.
func checkIndex(t *testing.T, ctx context.Context, r *Roster, rnd *rand.Rand, stage string) {
	t.Helper()
	all, err := r.All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := r.Count(ctx); err != nil || n != int64(len(all)) {
		t.Errorf("%s: Count = %d, %v; the roster has %d", stage, n, err, len(all))
	}
	found := 0 // questions with someone in the answer: the test must ask real ones
	for i := range 40 {
		f := randomFilter(rnd)
		got, err := r.Select(ctx, f)
		if want := refusal(f, nil); !errors.Is(err, want) || (want == nil) != (err == nil) {
			t.Fatalf("%s: Select(%s): %v, want %v", stage, f, err, want)
		}
		if err == nil {
			if len(got) > 0 {
				found++
			}
			if want := keep(all, f.matcher().match); !slices.Equal(phonesOfPeople(got), want) {
				t.Errorf("%s: Select(%s): %d people, a scan finds %d", stage, f, len(got), len(want))
			}
			if !slices.IsSortedFunc(got, Compare) {
				t.Errorf("%s: Select(%s) is not sorted", stage, f)
			}
		}
		sc := randomScope(rnd)
		m := f.matcher() // Match's own, made once for the scan
		want := keep(all, func(p Person) bool { return m.match(p) && sc.Contains(p) })
		got, err = r.SelectIn(ctx, sc, f)
		if refused := refusal(f, &sc); !errors.Is(err, refused) || (refused == nil) != (err == nil) {
			t.Fatalf("%s: SelectIn(%s, %s): %v, want %v", stage, sc, f, err, refused)
		} else if err == nil && !slices.Equal(phonesOfPeople(got), want) {
			t.Errorf("%s: SelectIn(%s, %s): %d people, a scan finds %d", stage, sc, f, len(got), len(want))
		}
		// In pages, as exports read: the same people (once each when
		// counted), and the whole roster too.
		var paged []string
		err = r.EachIn(ctx, sc, f, func(page []Person) error {
			if len(page) > readPage {
				t.Errorf("%s: EachIn(%s, %s): a page of %d", stage, sc, f, len(page))
			}
			paged = append(paged, phonesOf(page)...)
			return nil
		})
		slices.Sort(paged)
		if refused := refusal(f, &sc); refused == ErrWardWithoutBody {
			if !errors.Is(err, refused) {
				t.Errorf("%s: EachIn(%s, %s): %v, want %v", stage, sc, f, err, refused)
			}
		} else if err != nil || !slices.Equal(slices.Compact(paged), want) {
			t.Errorf("%s: EachIn(%s, %s): %d people, %v; a scan finds %d", stage, sc, f, len(slices.Compact(paged)), err, len(want))
		}
		// Approvers: anyone, on the roster or not (a registration).
		p := randomPerson(rnd, 100000+rnd.IntN(1000))
		coords, err := r.CoordinatorsOf(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if want := keep(all, func(c Person) bool {
			s, ok := c.Scope()
			return c.Role == RoleCoordinator && ok && s.Contains(p)
		}); !slices.Equal(phonesOfPeople(coords), want) {
			t.Errorf("%s: CoordinatorsOf(%+v): %d, a scan finds %d", stage, p, len(coords), len(want))
		}
		// Approvers: those coordinators, or the admins when there are none,
		// with the caller's write in the same round trip.
		mark := fmt.Sprintf("saathi:test:approvers:%d", i)
		approvers, err := r.Approvers(ctx, p, func(pl redis.Pipeliner) { pl.Set(ctx, mark, "1", time.Minute) })
		if err != nil {
			t.Fatal(err)
		}
		wantApprovers := phonesOfPeople(coords)
		if len(wantApprovers) == 0 {
			wantApprovers = keep(all, func(c Person) bool { return c.IsAdmin() })
		}
		if !slices.Equal(phonesOfPeople(approvers), wantApprovers) {
			t.Errorf("%s: Approvers(%+v): %v, a scan finds %v", stage, p, phonesOfPeople(approvers), wantApprovers)
		}
		if n, err := r.rdb.Exists(ctx, mark).Result(); err != nil || n != 1 {
			t.Errorf("%s: Approvers did not send the caller's write: %d, %v", stage, n, err)
		}
	}
	// Designations depend on the scope alone: every scope of the vocabulary, once.
	for _, sc := range everyScope() {
		des, err := r.DesignationsIn(ctx, sc)
		if err != nil {
			t.Fatal(err)
		}
		held := map[string]bool{}
		for _, p := range all {
			if sc.Contains(p) {
				held[p.Designation] = true
			}
		}
		var wantDes []string
		for d := range held {
			wantDes = append(wantDes, d)
		}
		slices.Sort(wantDes)
		if !slices.Equal(des, wantDes) {
			t.Errorf("%s: DesignationsIn(%s) = %q, a scan finds %q", stage, sc, des, wantDes)
		}
	}
	if found < 15 {
		t.Errorf("%s: only %d of 40 filters selected anyone", stage, found)
	}
	admins, err := r.Admins(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := keep(all, Person.IsAdmin); !slices.Equal(phonesOfPeople(admins), want) {
		t.Errorf("%s: %d admins, a scan finds %d", stage, len(admins), len(want))
	}
	coords, err := r.Coordinators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := keep(all, Person.IsCoordinator); !slices.Equal(phonesOfPeople(coords), want) {
		t.Errorf("%s: %d coordinators, a scan finds %d", stage, len(coords), len(want))
	}
}

// refusal is the error the roster must give f in scope sc (nil: no
// scope), said from the filter's terms: a ward needs a body (the
// filter's, or a body scope) unless phones are listed; no term at all in
// scope all is the whole roster.
func refusal(f Filter, sc *Scope) error {
	all := sc == nil || sc.Level == LevelAll
	switch {
	case len(f.Phone) > 0:
		return nil
	case len(f.Ward) > 0 && len(f.Body) == 0 && (sc == nil || sc.Level != LevelBody):
		return ErrWardWithoutBody
	case all && len(f.Role)+len(f.Designation)+len(f.Division)+len(f.District)+len(f.Block)+len(f.Body)+len(f.Ward)+len(f.SHG)+len(f.Cluster) == 0:
		return ErrWholeRoster
	}
	return nil
}

// TestIndexAnswersAsAFullScan: on random rosters, every question the index
// answers (filters, scopes, approvers, admins, designations) gets what a
// full scan gets, after an import, after people change, and after reindex
// repairs a damaged index.
func TestIndexAnswersAsAFullScan(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBRoster, nil)
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rdb.FlushDB(ctx)
			rnd := rand.New(rand.NewPCG(seed, 14))
			r := New(rdb)
			people := make([]Person, 300)
			for i := range people {
				people[i] = randomPerson(rnd, i)
			}
			if _, err := r.Import(ctx, people, false); err != nil {
				t.Fatal(err)
			}
			checkIndex(t, ctx, r, rnd, "imported")

			// People move, change role, gain or lose a second place.
			for range 100 {
				p := randomPerson(rnd, rnd.IntN(len(people)))
				if err := r.Put(ctx, p); err != nil {
					t.Fatal(err)
				}
			}
			moved := make([]Person, 150)
			for i := range moved {
				moved[i] = randomPerson(rnd, rnd.IntN(len(people)))
			}
			if _, err := r.Import(ctx, moved, false); err != nil {
				t.Fatal(err)
			}
			checkIndex(t, ctx, r, rnd, "changed")

			// Damage: lose sets, name people who do not fit; reindex.
			var keys []string
			if err := r.scan(ctx, ixPrefix+"*", func(ks []string) error { keys = append(keys, ks...); return nil }); err != nil {
				t.Fatal(err)
			}
			for _, k := range keys[:len(keys)/3] {
				rdb.Del(ctx, k)
			}
			for _, k := range keys[len(keys)/3 : len(keys)/2] {
				if isCatalogue(k) {
					rdb.SAdd(ctx, k, "d:nowhere")
				} else {
					rdb.SAdd(ctx, k, member(people[rnd.IntN(len(people))].Phone), "919999999999")
				}
			}
			before, _ := r.All(ctx)
			res, err := r.Reindex(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.People != len(people) || res.Removed == 0 {
				t.Errorf("reindex: %+v, want %d people and removals", res, len(people))
			}
			if after, _ := r.All(ctx); !reflect.DeepEqual(before, after) {
				t.Error("reindex changed people")
			}
			checkIndex(t, ctx, r, rnd, "reindexed")
			if again, err := r.Reindex(ctx, nil); err != nil || again.Removed != 0 {
				t.Errorf("second reindex: %+v %v, want nothing removed", again, err)
			}
		})
	}
}

// TestReindexMovesLegacyHashes: people kept as hashes (before packed
// records) are moved, indexed, and their hashes go.
func TestReindexMovesLegacyHashes(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBRoster, nil)
	rdb.HSet(ctx, legacyPrefix+"+919018159083", "name", "सरिता राजभर", "phone", "+919018159083", "role", "sabhasad",
		"district", "सोनभद्र", "body", "नगर पंचायत अनपरा", "ward", "1", "language", "hi",
		"also", `[{"Body":"नगर पंचायत ओबरा"}]`)
	rdb.HSet(ctx, legacyPrefix+"+919018159084", "name", "टूटा", "phone", "+919018159084", "role", "raja")
	rdb.SAdd(ctx, legacyPeople, "+919018159083", "+919018159084")
	r := New(rdb)
	res, err := r.Reindex(ctx, nil)
	if err != nil || res.Moved != 1 || res.People != 1 {
		t.Fatalf("reindex: %+v %v", res, err)
	}
	p, ok, err := r.Get(ctx, "9018159083")
	want := Person{Name: "सरिता राजभर", Phone: "+919018159083", Role: "sabhasad", Designation: "sabhasad", District: "सोनभद्र",
		Body: "नगर पंचायत अनपरा", Ward: "1", Language: "hi", Also: []Place{{Body: "नगर पंचायत ओबरा"}}}
	if err != nil || !ok || !reflect.DeepEqual(p, want) {
		t.Errorf("moved: %+v %v %v", p, ok, err)
	}
	f, _ := ParseFilter("body=नगर पंचायत ओबरा")
	if got, _ := r.Select(ctx, f); len(got) != 1 {
		t.Errorf("the moved person is not indexed: %v", got)
	}
	if n := rdb.Exists(ctx, legacyPrefix+"+919018159083", legacyPeople).Val(); n != 0 {
		t.Errorf("%d legacy keys left", n)
	}
	if n := rdb.Exists(ctx, legacyPrefix+"+919018159084").Val(); n != 1 {
		t.Error("a legacy hash that is no person was deleted")
	}
}

// FuzzPack: any person packs and unpacks to itself.
func FuzzPack(f *testing.F) {
	f.Add("सरिता राजभर", "नगर पंचायत अनपरा", "ज़िला 5 ₹ \x1f\x01 😀", "")
	f.Fuzz(func(t *testing.T, name, body, shg, also string) {
		p := Person{Name: name, Phone: "+919018159083", Role: "sabhasad", Designation: "sabhasad", Body: body, SHG: shg, Language: "hi"}
		if also != "" {
			p.Also = []Place{{Body: also, District: name}}
		}
		if !utf8Valid(name, body, shg, also) {
			t.Skip() // cells are cleaned text: valid UTF-8
		}
		got, ok := unpack(p.Phone, p.pack())
		if !ok || !reflect.DeepEqual(got, p) {
			t.Errorf("pack %+v: unpacked %+v %v", p, got, ok)
		}
	})
}

func TestPackIsCompact(t *testing.T) {
	p := Person{Name: "सरिता राजभर", Phone: "+919018159083", Role: "shg_member", Designation: "shg_member", Division: "मिर्जापुर",
		District: "सोनभद्र", Block: "म्योरपुर", Body: "ग्राम पंचायत खैराही", SHG: "लक्ष्मी स्वयं सहायता समूह", Cluster: "खैराही क्लस्टर", Language: "hi"}
	utf := len(p.Name + p.Role + p.Designation + p.Division + p.District + p.Block + p.Body + p.SHG + p.Cluster + p.Language)
	if n := len(p.pack()); n*2 > utf {
		t.Errorf("packed %d bytes, UTF-8 fields %d: want less than half", n, utf)
	}
}

func utf8Valid(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}
