package services_test

import (
	"testing"
	"time"
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
