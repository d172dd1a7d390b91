package roster

import (
	"context"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/saathi-bot/saathi/store/storetest"
)

// TestPlaceNames: the distinct names at each level, kept by import and Put
// and filled once from the people for a roster written before they were.
func TestPlaceNames(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBRoster, nil)
	r := New(rdb)
	if _, err := r.Import(ctx, sample(t), false); err != nil {
		t.Fatal(err)
	}
	check := func(level string, want ...string) {
		t.Helper()
		got, err := r.PlaceNames(ctx, level)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s names %q, want %q", level, got, want)
		}
	}
	districts := []string{"कानपुर देहात", "बाराबंकी", "सोनभद्र"}
	check(LevelDistrict, districts...)
	if err := r.Put(ctx, Person{Name: "नई सदस्य", Phone: "9000000777", Role: "shg_member", District: "मीरजापुर", Block: "छानबे"}); err != nil {
		t.Fatal(err)
	}
	check(LevelDistrict, append(districts, "मीरजापुर")...)
	blocks, err := r.PlaceNames(ctx, LevelBlock)
	if err != nil || !slices.Contains(blocks, "छानबे") || !slices.Contains(blocks, "मैथा") {
		t.Errorf("blocks %q %v, want मैथा and छानबे among them", blocks, err)
	}

	// A roster written before the names were kept: filled from the people.
	if err := rdb.Del(ctx, placeNamesBuilt, placeNamesPrefix+LevelDistrict, placeNamesPrefix+LevelBody).Err(); err != nil {
		t.Fatal(err)
	}
	check(LevelDistrict, append(districts, "मीरजापुर")...)
	bodies, err := r.PlaceNames(ctx, LevelBody)
	if err != nil || !slices.Contains(bodies, "नगर पंचायत अनपरा") {
		t.Errorf("bodies %q %v, want नगर पंचायत अनपरा among them", bodies, err)
	}

	// By district: a district's bodies, not another's; the district as
	// typed with a nukta or not; none for a district not on the roster.
	in := func(level, district string) []string {
		t.Helper()
		got, err := r.PlaceNamesIn(ctx, level, district)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := in(LevelBody, "सोनभद्र"); !slices.Contains(got, "नगर पंचायत अनपरा") || slices.Contains(got, "नगर पंचायत देवा") {
		t.Errorf("bodies in सोनभद्र %q, want नगर पंचायत अनपरा and not नगर पंचायत देवा (बाराबंकी)", got)
	}
	if got := in(LevelBody, "बाराबंकी"); !slices.Contains(got, "नगर पंचायत देवा") || slices.Contains(got, "नगर पंचायत अनपरा") {
		t.Errorf("bodies in बाराबंकी %q, want नगर पंचायत देवा and not नगर पंचायत अनपरा", got)
	}
	if got := in(LevelBlock, "मीरज़ापुर"); !slices.Equal(got, []string{"छानबे"}) {
		t.Errorf("blocks in मीरज़ापुर (मीरजापुर on the roster) %q, want [छानबे]", got)
	}
	if got := in(LevelBody, "लखनऊ"); len(got) != 0 {
		t.Errorf("bodies in लखनऊ (no district of the roster) %q, want none", got)
	}
	if _, err := r.PlaceNamesIn(ctx, LevelDistrict, "सोनभद्र"); err == nil {
		t.Error("district names in a district: no error, want one")
	}

	// A roster whose names were kept before the sets by district (its
	// marker was "built"): filled once more, by district too.
	if err := rdb.Rename(ctx, placeNamesBuilt, placeNamesPrefix+"built").Err(); err != nil {
		t.Fatal(err)
	}
	if err := rdb.Del(ctx, inKey(LevelDistrict, "बाराबंकी", LevelBody)).Err(); err != nil {
		t.Fatal(err)
	}
	if got := in(LevelBody, "बाराबंकी"); !slices.Contains(got, "नगर पंचायत देवा") {
		t.Errorf("bodies in बाराबंकी after the upgrade %q, want नगर पंचायत देवा among them", got)
	}

	if _, err := r.PlaceNames(ctx, "ward"); err == nil {
		t.Error("ward names: no error, want one (not a level of places)")
	}
}

// TestPlacesAndWhereAsAFullScan: on random rosters, the places at a level
// inside a scope and the geography above a named place are what reading
// every person would give.
func TestPlacesAndWhereAsAFullScan(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBRoster, nil)
	r := New(rdb)
	rnd := rand.New(rand.NewPCG(14, 16))
	var people []Person
	for i := range 300 {
		people = append(people, randomPerson(rnd, i))
	}
	if _, err := r.Import(ctx, people, false); err != nil {
		t.Fatal(err)
	}
	all, err := r.All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for range 150 {
		sc, level := randomScope(rnd), pick(rnd, levelsDown)
		got, err := r.PlacesIn(ctx, sc, level)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{}
		for _, p := range all {
			for _, at := range p.atEach() {
				if v := at.At(level); v != "" && (sc.Level == LevelAll || fold(personField(at, sc.Level)) == fold(sc.Value)) {
					want[v] = true
				}
			}
		}
		slices.Sort(got)
		if w := slices.Sorted(maps.Keys(want)); !slices.Equal(got, w) {
			t.Errorf("places at %s in %s: %q, want %q", level, sc, got, w)
		}
	}
	names := map[string][]string{
		LevelDivision: vocabDivision, LevelDistrict: vocabDistrict, LevelBlock: vocabBlock, LevelBody: vocabBody,
	}
	for _, level := range levelsDown {
		for _, name := range append(names[level], "कहीं नहीं") {
			got, ok, err := r.Where(ctx, level, name)
			if err != nil {
				t.Fatal(err)
			}
			var there []Person // where someone at a place of that name stands
			for _, p := range all {
				for _, at := range p.atEach() {
					if fold(at.At(level)) != fold(name) || fold(name) == "" {
						continue
					}
					q := Person{Division: at.Division, District: at.District, Block: at.Block, Body: at.Body}
					switch level {
					case LevelDivision:
						q.District, q.Block, q.Body = "", "", ""
					case LevelDistrict:
						q.Block, q.Body = "", ""
					case LevelBlock:
						q.Body = ""
					}
					there = append(there, q)
				}
			}
			if ok != (len(there) > 0) || ok && !slices.ContainsFunc(there, func(q Person) bool { return reflect.DeepEqual(q, got) }) {
				t.Errorf("where is %s %q: %+v %v, want one of %+v", level, name, got, ok, there)
			}
			places := func(q Person) int {
				return len(slices.DeleteFunc([]string{q.Division, q.District, q.Block, q.Body}, func(s string) bool { return s == "" }))
			}
			for _, q := range there {
				if ok && places(q) > places(got) {
					t.Errorf("where is %s %q: %+v, but %+v names more places", level, name, got, q)
					break
				}
			}
		}
	}
	if _, err := r.PlacesIn(ctx, Scope{Level: LevelAll}, "ward"); err == nil {
		t.Error("places at ward: no error, want one")
	}
}
