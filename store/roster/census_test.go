package roster

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/saathi-bot/saathi/store/storetest"
)

// TestRepresentativesAsAFullCount: on random rosters (names spelt several
// ways, places missing levels, people of two places), the participants the
// index counts at each place under each parent, for every scope and level
// at or below it, are those a count over every record finds.
func TestRepresentativesAsAFullCount(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBRoster, nil)
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rdb.FlushDB(ctx)
			rnd := rand.New(rand.NewPCG(seed, 13))
			r := New(rdb)
			people := make([]Person, 400)
			for i := range people {
				people[i] = censusPerson(rnd, i)
			}
			if _, err := r.Import(ctx, people, false); err != nil {
				t.Fatal(err)
			}
			all, err := r.All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			scopes := []Scope{{Level: LevelAll}}
			for _, g := range censusGeography {
				scopes = append(scopes, Scope{LevelDivision, g.Division}, Scope{LevelDistrict, g.District})
				if g.Block != "" {
					scopes = append(scopes, Scope{LevelBlock, g.Block})
				}
				if g.Body != "" {
					scopes = append(scopes, Scope{LevelBody, g.Body})
				}
			}
			for _, sc := range scopes {
				for li, level := range levelsDown {
					if sc.Level != LevelAll && slices.Index(levelsDown, sc.Level) > li {
						continue // a scope is broken down by its own level or narrower ones
					}
					got, err := r.Representatives(ctx, sc, level)
					if err != nil {
						t.Fatal(err)
					}
					want := fullCount(all, sc, level)
					gotMap := map[[2]string]int{}
					for _, c := range got {
						k := [2]string{fold(c.Place), fold(c.Parent)}
						if _, dup := gotMap[k]; dup {
							t.Errorf("%s by %s: %q under %q twice", sc, level, c.Place, c.Parent)
						}
						gotMap[k] = c.People
					}
					for k, n := range want {
						if gotMap[k] != n {
							t.Errorf("%s by %s: %q under %q: %d, a full count says %d", sc, level, k[0], k[1], gotMap[k], n)
						}
					}
					for k, n := range gotMap {
						if _, ok := want[k]; !ok && n != 0 {
							t.Errorf("%s by %s: %q under %q: %d, a full count finds nobody", sc, level, k[0], k[1], n)
						}
					}
				}
			}
		})
	}
}

// censusGeography is a consistent map, as rosters have it: every body in
// one block (or, urban, in none), every block in one district, every
// district in one division, names spelt two ways; two gram panchayats of
// one name in two blocks of a district; block officers with no body.
var censusGeography = []Place{
	{Division: "मिर्जापुर", District: "सोनभद्र", Block: "म्योरपुर", Body: "ग्राम पंचायत रामपुर"},
	{Division: "मिर्ज़ापुर", District: "सोनभद्र", Block: "चोपन", Body: "ग्राम पंचायत रामपुर"},
	{Division: "मिर्जापुर", District: "सोनभद्र ", Block: "चोपन", Body: "ग्राम पंचायत खैराही"},
	{Division: "मिर्जापुर", District: "सोनभद्र", Body: "नगर पंचायत अनपरा"},
	{Division: "मिर्जापुर", District: "सोनभद्र", Block: "म्योरपुर"},
	{Division: "मिर्जापुर", District: "मिर्जापुर", Block: "मझवाँ", Body: "ग्राम पंचायत मैथा"},
	{Division: "मिर्जापुर", District: "मिर्जापुर", Body: "नगर पालिका परिषद चुनार"},
	{Division: "कानपुर", District: "कानपुर देहात", Block: "Akbarpur", Body: "ग्राम पंचायत रामपुर"},
	{Division: "कानपुर", District: "कानपुर देहात", Block: "akbarpur", Body: "ग्राम पंचायत बारा"},
	{Division: "कानपुर", District: "कानपुर नगर", Body: "नगर निगम कानपुर"},
}

// censusPerson is someone at a place of censusGeography, maybe with a
// second place in another division (a person's places in one part share
// its sets, which a count by sets cannot tell apart: see Representatives).
func censusPerson(r *rand.Rand, i int) Person {
	at := censusGeography[r.IntN(len(censusGeography))]
	p := Person{
		Name: fmt.Sprintf("व्यक्ति %d", i), Phone: fmt.Sprintf("+9191%08d", i), Role: pick(r, vocabRole),
		Division: at.Division, District: at.District, Block: at.Block, Body: at.Body, Ward: pick(r, vocabWard),
	}
	if r.IntN(3) == 0 {
		p.Role, p.Designation = "", pick(r, vocabDesig[:4])
	}
	if r.IntN(5) == 0 {
		for {
			if pl := censusGeography[r.IntN(len(censusGeography))]; fold(pl.Division) != fold(at.Division) {
				p.Also = []Place{pl}
				break
			}
		}
	}
	return p
}

// fullCount counts, over every record, the participants at each place at
// level (folded, with its parent) among the places of theirs inside sc.
func fullCount(all []Person, sc Scope, level string) map[[2]string]int {
	out := map[[2]string]int{}
	for _, p := range all {
		if !p.Participant() {
			continue
		}
		for _, c := range p.CountPlaces(sc, level) {
			out[[2]string{fold(c.Place), fold(c.Parent)}]++
		}
	}
	return out
}
