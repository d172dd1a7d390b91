package services_test

import (
	"strings"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/roster"
)

// TestPlaceMatchWithinTheDistrict: a body typed at registration is matched
// among the bodies of the district already chosen, not the whole roster's;
// a district the roster has no places in matches among all of them.
func TestPlaceMatchWithinTheDistrict(t *testing.T) {
	f := setup(t)
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	c := tg("501")
	for _, tc := range []struct {
		within, text, status, body string
	}{
		{"बाराबंकी", "deva", "ok", "नगर पंचायत देवा"},
		{"सोनभद्र", "deva", "none", "deva"}, // देवा is बाराबंकी's: kept as typed, not taken
		{"सोनभद्र", "chopan", "ok", chopan},
		{"सोनभद्र", "anpra", "ok", anpara},
		{"लखनऊ", "deva", "ok", "नगर पंचायत देवा"}, // no places of लखनऊ on the roster
		{"", "deva", "ok", "नगर पंचायत देवा"},
	} {
		res := f.call(t, c, "place.match", now, map[string]string{
			"level": "block|body", "text": tc.text, "save": "body", "within": tc.within,
		})
		body, saved := res.Fields["body"]
		if !saved {
			body = tc.text
		}
		if res.Status != tc.status || body != tc.body {
			t.Errorf("%q within %q: %s, body %q; want %s, %q (fields %q)", tc.text, tc.within, res.Status, body, tc.status, tc.body, res.Fields)
		}
	}
	// A block of another district is neither taken nor offered.
	res := f.call(t, c, "place.match", now, map[string]string{"level": "block|body", "text": "मैथा", "save": "body", "within": "बाराबंकी"})
	if res.Status == "ok" || res.Fields["place_choices"] != "" || res.Fields["place_guess"] != "" {
		t.Errorf("मैथा (कानपुर देहात's) within बाराबंकी: %s %q, want nothing taken or offered", res.Status, res.Fields)
	}
}

// TestPlaceMatchReadsTheNamesOnceAWhile: a place typed as the roster has it
// is matched from the names read a moment ago, with no round trip;
// anything else asks the sets' sizes first, so a place the roster gained
// since is still found; after half a minute even an exact match asks.
func TestPlaceMatchReadsTheNamesOnceAWhile(t *testing.T) {
	f := setup(t)
	var rt store.RoundTrips
	f.rdb.AddHook(&rt)
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	c := tg("502")
	match := func(at time.Time, text string) (status, district string, trips int64) {
		t.Helper()
		before := rt.Count()
		res := f.call(t, c, "place.match", at, map[string]string{"level": "district", "text": text, "save": "district"})
		return res.Status, res.Fields["district"], rt.Count() - before
	}
	if st, d, n := match(now, sonbhdr); st != "ok" || d != sonbhdr || n == 0 {
		t.Fatalf("first %s: %s %q in %d round trips, want ok %s read from Redis", sonbhdr, st, d, n, sonbhdr)
	}
	if st, d, n := match(now.Add(time.Second), "सोनभद्र"); st != "ok" || d != sonbhdr || n != 0 {
		t.Errorf("%s again a second later: %s %q in %d round trips, want ok with none", sonbhdr, st, d, n)
	}
	// Not a place: the sets' sizes are asked (one round trip), the names not read again.
	if st, _, n := match(now.Add(1500*time.Millisecond), "कुछ नहीं पता"); st != "none" || n != 1 {
		t.Errorf("no place a moment later: %s in %d round trips, want none in one", st, n)
	}
	people, errs, err := roster.ParseCSV(strings.NewReader(rosterHeader + "गीता देवी,9000000777,sabhasad,चित्रकूट धाम,महोबा,कबरई,नगर पंचायत कबरई,3,,,hi\n"))
	if err != nil || len(errs) > 0 {
		t.Fatal(err, errs)
	}
	if _, err := f.svc.Roster.Import(f.ctx, people, false); err != nil {
		t.Fatal(err)
	}
	if st, d, n := match(now.Add(2*time.Second), "महोबा"); st != "ok" || d != "महोबा" || n == 0 {
		t.Errorf("महोबा, new on the roster: %s %q in %d round trips, want ok महोबा read again", st, d, n)
	}
	if st, _, n := match(now.Add(time.Minute), sonbhdr); st != "ok" || n == 0 {
		t.Errorf("%s a minute later: %s in %d round trips, want the names read again", sonbhdr, st, n)
	}
}
