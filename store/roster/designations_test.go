package roster

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/store/storetest"
)

// The designations of the five programmes are all there, each
// its own, by every name the coordinators write.
func TestBuiltinDesignations(t *testing.T) {
	ds := BuiltinDesignations()
	for name, id := range map[string]string{
		"सभासद": "sabhasad", "पार्षद": "parshad", "अध्यक्ष": "chairman", "चेयरमैन": "chairman", "Chairman": "chairman",
		"नगर आयुक्त": "nagar_ayukt", "अपर नगर आयुक्त": "apar_nagar_ayukt", "अधिशासी अधिकारी": "eo", "E.O.": "eo",
		"प्रधान": "pradhan", "ग्राम प्रधान": "pradhan", "उप-प्रधान": "up_pradhan", "उप प्रधान": "up_pradhan",
		"ग्राम पंचायत सदस्य": "gp_member", "क्षेत्र पंचायत सदस्य": "bdc_member", "BDO": "bdo", "ADO (ISB)": "ado_isb",
		"ado-isb": "ado_isb", "DPRO": "dpro", "DMM": "dmm", "BMM": "bmm", "SHG सदस्य": "shg_member", "SHG अध्यक्ष": "shg_president",
		"SHG सचिव": "shg_secretary", "SHG कोषाध्यक्ष": "shg_treasurer", "CRP": "crp", "ISA": "isa",
		"MIS coordinator": "mis_coordinator", "एमआईएस समन्वयक": "mis_coordinator", "IEC Coordinator": "iec_coordinator",
		"State Coordinator": "state_coordinator", "जिला समन्वयक": "district_coordinator", "ज़िला समन्वयक": "district_coordinator",
		"shg_member": "shg_member", "ward member": "ward_member", "other": "other", "अन्य": "other",
	} {
		d, ok := ds.Lookup(name)
		if !ok || d.ID != id {
			t.Errorf("Lookup(%q) = %q %v, want %q", name, d.ID, ok, id)
		}
	}
	for _, grant := range []string{"समन्वयक", "coordinator", "admin", "एडमिन"} {
		if d, ok := ds.Lookup(grant); ok {
			t.Errorf("%q is a grant, not a designation, but reads as %s", grant, d.ID)
		}
	}
	for _, d := range ds.All() {
		if d.Hi == "" || d.En == "" {
			t.Errorf("%s lacks a label: %+v", d.ID, d)
		}
		if r, ok := ParseRole(d.Role); !ok || r == RoleCoordinator || r == RoleAdmin {
			t.Errorf("%s counts as role %q", d.ID, d.Role)
		}
	}
	if got := ds.Label("en", "eo"); got != "Executive Officer" {
		t.Errorf("Label(en, eo) = %q", got)
	}
}

// An operator's file relabels a designation by id and adds new ones; a
// name that would mean two designations, or a bad role, is refused.
func TestLoadDesignationsExtends(t *testing.T) {
	ds, err := LoadDesignations([]byte(`designations:
  - {id: je, hi: अवर अभियंता, en: Junior Engineer, kind: urban, aliases: [JE, जेई]}
  - {id: eo, hi: अधिशासी अधिकारी, en: EO, kind: urban, role: other, aliases: [ईओ साहब]}
`))
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := ds.Lookup("जेई"); !ok || d.ID != "je" || d.Role != RoleOther {
		t.Errorf("the added designation: %+v %v", d, ok)
	}
	if d, ok := ds.Lookup("ईओ साहब"); !ok || d.ID != "eo" || d.En != "EO" {
		t.Errorf("the relabelled designation: %+v %v", d, ok)
	}
	if _, ok := ds.Lookup("executive officer"); ok {
		t.Errorf("a replaced designation keeps its old aliases")
	}
	if n, m := len(ds.All()), len(BuiltinDesignations().All()); n != m+1 {
		t.Errorf("%d designations, want %d", n, m+1)
	}
	for _, bad := range []struct{ file, want string }{
		{"designations:\n  - {id: x, hi: प्रधान}\n", "names both"},
		{"designations:\n  - {id: x, hi: एक्स, role: coordinator}\n", "role"},
		{"designations:\n  - {hi: एक्स}\n", "no id"},
		{"designations:\n  - {id: x}\n", "no Hindi label"},
		{"designations:\n  - {id: x, hi: एक्स, colour: red}\n", "colour"},
	} {
		if _, err := LoadDesignations([]byte(bad.file)); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: error %v, want one saying %q", bad.file, err, bad.want)
		}
	}
}

// karmayogi is a roster the way Mission Karmayogi's sheets are: Hindi
// designations in a पद column, a separate अधिकार column for the
// coordinators, and an EO with the additional charge of a second body.
const karmayogi = `क्रम,नाम,मोबाइल,पद,अधिकार,मंडल,जनपद,निकाय
1,विनोद गुप्ता,9912845298,अधिशासी अधिकारी,,मिर्जापुर,सोनभद्र,नगर पंचायत अनपरा
2,विनोद गुप्ता,9912845298,अधिशासी अधिकारी,,मिर्जापुर,सोनभद्र,नगर पंचायत ओबरा
3,रीना वर्मा,9000000101,नगर आयुक्त,,लखनऊ,लखनऊ,नगर निगम लखनऊ
4,अजय सिंह,9000000102,चेयरमैन,,लखनऊ,लखनऊ,नगर पालिका परिषद संडीला
5,सुमन देवी,9000000103,MIS coordinator,समन्वयक,मिर्जापुर,,
6,बिना क्षेत्र,9000000104,,समन्वयक,,,
7,राजा,9000000105,राजा साहब,,लखनऊ,,
8,दूसरा नाम,9912845298,अधिशासी अधिकारी,,मिर्जापुर,सोनभद्र,नगर पंचायत दुद्धी
9,विनोद गुप्ता,9912845298,अधिशासी अधिकारी,,मिर्जापुर,सोनभद्र,नगर पंचायत अनपरा
10,कमला तिवारी,9000000106,राज्य समन्वयक,admin,,,
`

func TestParseDesignationsAndGrants(t *testing.T) {
	people, bad, err := ParseCSV(strings.NewReader(karmayogi))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, b := range bad {
		lines = append(lines, b.Hindi())
	}
	wantBad := []string{
		"पंक्ति 7: समन्वयक का क्षेत्र नहीं लिखा है: मंडल, जनपद, विकासखंड या निकाय लिखें",
		"पंक्ति 8: पद “राजा साहब” समझ नहीं आया। ये पद लिखे जा सकते हैं: " + BuiltinDesignations().Accepted("hi") + " (या समन्वयक, एडमिन)",
		"पंक्ति 9: मोबाइल नंबर 9912845298 पंक्ति 2 में पहले से है",  // another name
		"पंक्ति 10: मोबाइल नंबर 9912845298 पंक्ति 2 में पहले से है", // the same body again
	}
	if !reflect.DeepEqual(lines, wantBad) {
		t.Errorf("bad rows:\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(wantBad, "\n"))
	}
	want := []Person{
		{Name: "विनोद गुप्ता", Phone: "+919912845298", Role: RoleOther, Designation: "eo", Division: "मिर्जापुर", District: "सोनभद्र",
			Body: "नगर पंचायत अनपरा", Language: "hi", Also: []Place{{Division: "मिर्जापुर", District: "सोनभद्र", Body: "नगर पंचायत ओबरा"}}},
		{Name: "रीना वर्मा", Phone: "+919000000101", Role: RoleOther, Designation: "nagar_ayukt", Division: "लखनऊ", District: "लखनऊ", Body: "नगर निगम लखनऊ", Language: "hi"},
		{Name: "अजय सिंह", Phone: "+919000000102", Role: RoleOther, Designation: "chairman", Division: "लखनऊ", District: "लखनऊ", Body: "नगर पालिका परिषद संडीला", Language: "hi"},
		{Name: "सुमन देवी", Phone: "+919000000103", Role: RoleCoordinator, Designation: "mis_coordinator", Division: "मिर्जापुर", Language: "hi"},
		{Name: "कमला तिवारी", Phone: "+919000000106", Role: RoleAdmin, Designation: "state_coordinator", Language: "hi"},
	}
	if !reflect.DeepEqual(people, want) {
		t.Fatalf("people:\n%+v\nwant\n%+v", people, want)
	}
	if sc, ok := people[3].Scope(); !ok || sc != (Scope{LevelDivision, "मिर्जापुर"}) {
		t.Errorf("the MIS coordinator's scope: %v %v", sc, ok)
	}

	// Stored and read back, the second body and the designation stay.
	ctx := context.Background()
	r := New(storetest.Redis(t, storetest.DBRoster, nil))
	if _, err := r.Import(ctx, people, false); err != nil {
		t.Fatal(err)
	}
	eo, ok, err := r.Get(ctx, "9912845298")
	if err != nil || !ok || !reflect.DeepEqual(eo, want[0]) {
		t.Fatalf("stored EO: %+v %v %v", eo, ok, err)
	}
	if res, err := r.Import(ctx, people, false); err != nil || res.Unchanged != len(people) {
		t.Errorf("importing again: %+v %v", res, err)
	}

	// Filters and scopes find the EO at either body.
	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{"पद=अधिशासी अधिकारी|नगर आयुक्त|अध्यक्ष", []string{"रीना वर्मा", "अजय सिंह", "विनोद गुप्ता"}},
		{"निकाय=नगर पंचायत ओबरा", []string{"विनोद गुप्ता"}},
		{"designation=eo,body=नगर पंचायत अनपरा", []string{"विनोद गुप्ता"}},
		{"designation=MIS समन्वयक", []string{"सुमन देवी"}},
		{"पद=समन्वयक", []string{"सुमन देवी"}},
		{"role=other,मंडल=लखनऊ", []string{"रीना वर्मा", "अजय सिंह"}},
	} {
		f, err := ParseFilter(tc.filter)
		if err != nil {
			t.Fatalf("%s: %v", tc.filter, err)
		}
		got, err := r.Select(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range got {
			names = append(names, p.Name)
		}
		if !sameSet(names, tc.want) {
			t.Errorf("%s selects %v, want %v", tc.filter, names, tc.want)
		}
	}
	if !(Scope{LevelBody, "नगर पंचायत ओबरा"}).Contains(eo) {
		t.Errorf("the coordinator of the second body does not reach its EO")
	}
	if _, err := ParseFilter("पद=राजा"); err == nil || !strings.Contains(err.Error(), "Executive Officer") {
		t.Errorf("an unknown designation in a filter: %v, want the known ones listed", err)
	}
}

// An operator's designations are read by an import that is given them.
func TestParseOperatorDesignation(t *testing.T) {
	ds, err := LoadDesignations([]byte("designations:\n  - {id: je, hi: अवर अभियंता, en: Junior Engineer, aliases: [JE]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	file := "name,phone,designation,body\nक,9018159083,JE,नगर पंचायत अनपरा\n"
	if _, bad, _ := ParseCSV(strings.NewReader(file)); len(bad) != 1 {
		t.Fatalf("the built-in designations know JE: %v", bad)
	}
	people, bad, err := Limits{Designations: ds}.Parse(strings.NewReader(file), "r.csv")
	if err != nil || len(bad) > 0 || len(people) != 1 || people[0].Designation != "je" || people[0].Role != RoleOther {
		t.Fatalf("with the operator's designations: %+v %v %v", people, bad, err)
	}
	if f, err := ds.ParseFilter("पद=अवर अभियंता"); err != nil || !f.Match(people[0]) {
		t.Errorf("the operator's designation in a filter: %v %v", f, err)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		if m[x]--; m[x] < 0 {
			return false
		}
	}
	return true
}

// A coordinator sees an officer of two bodies from either, but has both
// in their scope only when both bodies are.
func TestScopeContainsAll(t *testing.T) {
	eo := Person{Name: "क", Role: RoleOther, Designation: "eo", District: "सोनभद्र", Body: "नगर पंचायत अनपरा",
		Also: []Place{{District: "सोनभद्र", Body: "नगर पंचायत ओबरा"}}}
	anpara, district := Scope{LevelBody, "नगर पंचायत अनपरा"}, Scope{LevelDistrict, "सोनभद्र"}
	if !anpara.Contains(eo) || anpara.ContainsAll(eo) {
		t.Errorf("the body's coordinator: sees %v, has all %v; want true, false", anpara.Contains(eo), anpara.ContainsAll(eo))
	}
	if !district.ContainsAll(eo) {
		t.Error("the district's coordinator does not have both bodies")
	}
}
