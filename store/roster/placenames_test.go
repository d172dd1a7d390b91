package roster

import (
	"context"
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
	if err := rdb.Del(ctx, placeNamesKey(LevelBody, "बाराबंकी")).Err(); err != nil {
		t.Fatal(err)
	}
	if got := in(LevelBody, "बाराबंकी"); !slices.Contains(got, "नगर पंचायत देवा") {
		t.Errorf("bodies in बाराबंकी after the upgrade %q, want नगर पंचायत देवा among them", got)
	}

	if _, err := r.PlaceNames(ctx, "ward"); err == nil {
		t.Error("ward names: no error, want one (not a level of places)")
	}
}
