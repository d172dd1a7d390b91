package training

import (
	"context"
	"reflect"
	"testing"

	"github.com/saathi-bot/saathi/store/roster"
)

// ByPlace counts each invitee at their first place at the level asked,
// an urban body's officials (no block) at their body, and invitees of no
// place (not on the roster) last, with who came and their feedback; Bodies counts every body a person holds.
func TestByPlaceAndBodies(t *testing.T) {
	s := newStore(t)
	tr, p := scenario(t, s) // p[0..3] yes (p[3] waits), p[4], p[5] no, p[6] maybe, p[7] silent; p[0], p[1], p[6] came on day 1, p[0] on day 2
	rows, err := s.Rows(context.Background(), tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	people := map[string]roster.Person{
		p[0]: {Name: "क", Division: "मिर्जापुर", District: "सोनभद्र", Body: "नगर पंचायत अनपरा",
			Also: []roster.Place{{Division: "मिर्जापुर", District: "सोनभद्र", Body: "नगर पंचायत ओबरा"}}},
		p[1]: {Name: "ख", Division: "मिर्जापुर", District: "सोनभद्र", Block: "म्योरपुर", Body: "ग्राम पंचायत किरबिल"},
		p[4]: {Name: "ग", Division: "लखनऊ", District: "लखनऊ", Body: "नगर निगम लखनऊ"},
		p[6]: {Name: "घ", Division: "लखनऊ", District: "हरदोई", Body: "नगर पालिका परिषद संडीला"},
		p[7]: {Name: "ङ", Division: "लखनऊ", District: "हरदोई", Body: "नगर पालिका परिषद संडीला"},
		// p[2], p[3], p[5] are not on the roster
	}
	byDivision := ByPlace(tr, rows, people, roster.LevelDivision)
	want := []PlaceCount{
		{Place: "मिर्जापुर", Invited: 2, Yes: 2, Attended: []int{2, 1}, Came: 2,
			Feedback: 2, Ratings: [5]int{0, 0, 0, 1, 1}, Modules: []ModuleCount{{"बजट", 2}}},
		{Place: "लखनऊ", Invited: 3, No: 1, Maybe: 1, NoAnswer: 1, Attended: []int{1, 0}, Came: 1,
			Feedback: 1, Ratings: [5]int{0, 1, 0, 0, 0}, Modules: []ModuleCount{{"सीवेज", 1}}},
		{Place: "", Invited: 3, Yes: 1, Waitlist: 1, No: 1, Attended: []int{0, 0}},
	}
	if !reflect.DeepEqual(byDivision, want) {
		t.Errorf("by division:\n%+v\nwant\n%+v", byDivision, want)
	}
	if avg := byDivision[0].RatingAvg(); avg != 4.5 {
		t.Errorf("मिर्जापुर's average rating %v, want 4.5", avg)
	}
	if avg := byDivision[2].RatingAvg(); avg != 0 {
		t.Errorf("no feedback, average %v, want 0", avg)
	}
	var blocks []string
	for _, pc := range ByPlace(tr, rows, people, roster.LevelBlock) {
		blocks = append(blocks, pc.Place)
	}
	if want := []string{"नगर निगम लखनऊ", "नगर पंचायत अनपरा", "नगर पालिका परिषद संडीला", "म्योरपुर", ""}; !reflect.DeepEqual(blocks, want) {
		t.Errorf("by block: %q, want %q (bodies stand in for the block they lack)", blocks, want)
	}
	// Bodies: अनपरा and ओबरा (p[0]: yes, came), किरबिल (yes, came), लखनऊ
	// (no), संडीला (maybe and silent; p[6] came without saying yes).
	if inv, coming, came := Bodies(rows, people); inv != 5 || coming != 3 || came != 4 {
		t.Errorf("bodies: %d invited, %d coming, %d attended; want 5, 3, 4", inv, coming, came)
	}
}

func TestPlaceLevels(t *testing.T) {
	for in, want := range map[string]string{"मंडल": "division", "जनपद": "district", "जिला": "district", "विकासखंड": "block", "Block": "block", "निकाय": "body"} {
		if got, ok := roster.ParseLevel(in); !ok || got != want {
			t.Errorf("ParseLevel(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	if _, ok := roster.ParseLevel("ward"); ok {
		t.Error("ward is no level of a breakdown")
	}
	for sc, want := range map[roster.Scope]string{
		{Level: roster.LevelAll}: "division", {Level: roster.LevelDivision, Value: "x"}: "district",
		{Level: roster.LevelDistrict, Value: "x"}: "block", {Level: roster.LevelBlock, Value: "x"}: "body", {Level: roster.LevelBody, Value: "x"}: "body",
	} {
		if got := sc.Below(); got != want {
			t.Errorf("%v.Below() = %q, want %q", sc, got, want)
		}
	}
}
