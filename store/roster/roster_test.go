package roster

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

var e164 = regexp.MustCompile(`^\+91[6-9][0-9]{9}$`)

// sample parses the embedded sample roster, which must have no bad rows.
func sample(t *testing.T) []Person {
	t.Helper()
	people, bad, err := Parse(bytes.NewReader(Sample), "roster-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 {
		t.Fatalf("sample roster has bad rows: %v", bad)
	}
	return people
}

// byName finds the sample person whose name starts with prefix.
func byName(t *testing.T, people []Person, prefix string) Person {
	t.Helper()
	for _, p := range people {
		if strings.HasPrefix(p.Name, prefix) {
			return p
		}
	}
	t.Fatalf("no %q in the sample", prefix)
	return Person{}
}

func TestSampleParses(t *testing.T) {
	people := sample(t)
	if len(people) != 53 {
		t.Fatalf("sample: %d people, want 53", len(people))
	}
	roles := map[string]int{}
	phones := map[string]bool{}
	for _, p := range people {
		if !e164.MatchString(p.Phone) {
			t.Errorf("%s: phone %q is not E.164", p.Name, p.Phone)
		}
		if phones[p.Phone] {
			t.Errorf("%s: phone %s twice", p.Name, p.Phone)
		}
		phones[p.Phone] = true
		if p.Language != "hi" {
			t.Errorf("%s: language %q", p.Name, p.Language)
		}
		roles[p.Role]++
	}
	want := map[string]int{"sabhasad": 20, "pradhan": 5, "shg_member": 24, "coordinator": 3, "admin": 1}
	for r, n := range want {
		if roles[r] != n {
			t.Errorf("%d %s, want %d", roles[r], r, n)
		}
	}
	// Each shape of number in the file: bare, leading 0, +91 with spaces, +91 without.
	for name, phone := range map[string]string{
		"सरिता राजभर": "+919018159083", "अनीता सिंह": "+919082462819", "राकेश प्रजापति": "+919518190937", "मनोज राजभर": "+919842684656",
	} {
		if p := byName(t, people, name); p.Phone != phone {
			t.Errorf("%s: phone %s, want %s", name, p.Phone, phone)
		}
	}
	if p := byName(t, people, "सीमा भारती"); !reflect.DeepEqual(p, Person{Name: "सीमा भारती", Phone: "+919620579868", Role: "pradhan", Designation: "pradhan", Division: "कानपुर",
		District: "कानपुर देहात", Block: "मैथा", Body: "ग्राम पंचायत सरवनखेड़ा", Language: "hi", Gender: GenderFemale}) {
		t.Errorf("सीमा भारती: %+v", p)
	}
	// The gender column is optional, in Hindi or English: महिला, पुरुष, blank.
	for name, g := range map[string]string{"राजेश सोनकर": GenderMale, "हरि मौर्य": "", "सुनील वर्मा (जिला मिशन प्रबंधक)": ""} {
		if p := byName(t, people, name); p.Gender != g {
			t.Errorf("%s: gender %q, want %q", name, p.Gender, g)
		}
	}
}

// TestGenderCells: what a gender cell may hold; anything else is the
// row's problem, named in both languages.
func TestGenderCells(t *testing.T) {
	for cell, want := range map[string]string{"F": GenderFemale, "female": GenderFemale, "महिला": GenderFemale, "स्त्री": GenderFemale,
		"M": GenderMale, "Male": GenderMale, "पुरुष": GenderMale, "": "", "-": ""} {
		if g, ok := ParseGender(cell); !ok || g != want {
			t.Errorf("ParseGender(%q) = %q, %v; want %q", cell, g, ok, want)
		}
	}
	csv := "name,phone,role,लिंग\nसरिता,9018159083,sabhasad,महिला\nराजेश,9131860913,sabhasad,x\n"
	people, bad, err := ParseCSV(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != 1 || people[0].Gender != GenderFemale {
		t.Errorf("people %+v, want सरिता, a woman", people)
	}
	if len(bad) != 1 || !strings.Contains(fmt.Sprint(bad), `gender "x"`) {
		t.Errorf("bad rows %+v, want राजेश's gender named", bad)
	}
}

func TestSampleImports(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBRoster, nil)
	r := New(rdb)
	people := sample(t)
	res, err := r.Import(ctx, people, false)
	if err != nil {
		t.Fatal(err)
	}
	if res != (Result{Added: 53}) {
		t.Fatalf("import: %+v", res)
	}
	if n, err := r.Count(ctx); err != nil || n != 53 {
		t.Fatalf("count: %d, %v", n, err)
	}
	all, err := r.All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 53 {
		t.Fatalf("all: %d people", len(all))
	}
	for _, want := range people {
		for _, phone := range []string{want.Phone, want.Phone[3:], "0" + want.Phone[3:]} {
			got, ok, err := r.Get(ctx, phone)
			if err != nil || !ok || !reflect.DeepEqual(got, want) {
				t.Fatalf("get %s: %+v %v %v, want %+v", phone, got, ok, err, want)
			}
		}
	}
}

// bad is a bad row of the generated roster.
type bad struct {
	line          int
	reason, hindi string
}

// generated is a 50-row roster with five bad rows, as cells (header first),
// and those bad rows.
func generated() ([][]string, []bad) {
	rows := [][]string{{"name", "phone", "role", "division", "district", "block", "body", "ward", "shg", "cluster", "language"}}
	roles := []string{"sabhasad", "पार्षद", "SHG सदस्य", "Pradhan", "ward member"}
	langs := []string{"hi", "en", "", "हिंदी"}
	for i := range 50 {
		digits := strconv.Itoa(9876500000 + 37*i)
		var phone string
		switch i % 4 {
		case 0:
			phone = "+91 " + digits[:5] + " " + digits[5:]
		case 1:
			phone = "0" + digits
		case 2:
			phone = asciiToDevanagari(digits)
		default:
			phone = digits
		}
		rows = append(rows, []string{
			fmt.Sprintf("व्यक्ति %02d", i+1), phone, roles[i%len(roles)], "मिर्जापुर", "सोनभद्र", "",
			fmt.Sprintf("नगर पंचायत %d", i%3), strconv.Itoa(i%12 + 1), "", "", langs[i%len(langs)],
		})
	}
	// Data row i is on line i+2: the header is line 1.
	rows[4][0] = ""          // line 5
	rows[11][1] = "12345"    // line 12
	rows[19][2] = "raja"     // line 20
	rows[30][1] = rows[2][1] // line 31 repeats line 3
	rows[43][1] = "  "       // line 44
	return rows, []bad{
		{5, "name is missing", "पंक्ति 5: नाम नहीं लिखा है"},
		{12, `phone "12345" is not a valid Indian number`, "पंक्ति 12: मोबाइल नंबर 12345 सही नहीं है"},
		{20, `unknown designation "raja"; these are known: ` + BuiltinDesignations().Accepted("en") + " (or coordinator, admin)",
			"पंक्ति 20: पद “raja” समझ नहीं आया। ये पद लिखे जा सकते हैं: " + BuiltinDesignations().Accepted("hi") + " (या समन्वयक, एडमिन)"},
		{31, "phone 09876500037 is repeated: it is already on line 3", "पंक्ति 31: मोबाइल नंबर 09876500037 पंक्ति 3 में पहले से है"},
		{44, "phone is missing", "पंक्ति 44: मोबाइल नंबर नहीं लिखा है"},
	}
}

func asciiToDevanagari(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '०' + (r - '0')
		}
		return r
	}, s)
}

func writeCSV(t *testing.T, rows [][]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// writeXLSX writes rows to the first sheet of a workbook, with phones made
// of digits only written as numbers (as Excel keeps them), and a second
// sheet that must be ignored.
func writeXLSX(t *testing.T, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	for i, r := range rows {
		for j, v := range r {
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				t.Fatal(err)
			}
			var val any = v
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && i > 0 && !strings.HasPrefix(v, "0") {
				val = n
			}
			if err := f.SetCellValue(sheet, cell, val); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := f.NewSheet("notes"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("notes", "A1", &[]any{"name", "phone", "role"}); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("notes", "A2", &[]any{"कोई और", 9999999999, "admin"}); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGeneratedRoster(t *testing.T) {
	rows, wantBad := generated()
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"roster.csv", writeCSV(t, rows)},
		{"roster.xlsx", writeXLSX(t, rows)},
		{"ROSTER.XLSX", writeXLSX(t, rows)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			rdb := storetest.Redis(t, storetest.DBRoster, nil)
			r := New(rdb)
			people, bads, err := Parse(bytes.NewReader(tc.data), tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if len(people) != 45 {
				t.Errorf("%d people, want 45", len(people))
			}
			if len(bads) != len(wantBad) {
				t.Fatalf("bad rows: %v, want %v", bads, wantBad)
			}
			for i, w := range wantBad {
				if got := bads[i]; got.Line != w.line || got.Reason != w.reason || got.Hindi() != w.hindi {
					t.Errorf("bad row %d:\n got %d %q %q\nwant %d %q %q", i, got.Line, got.Reason, got.Hindi(), w.line, w.reason, w.hindi)
				}
			}
			for _, p := range people {
				if !e164.MatchString(p.Phone) || p.Language == "" || p.Role == "" {
					t.Errorf("%+v", p)
				}
			}
			if p := people[1]; p.Phone != "+919876500037" || p.Role != "parshad" || p.Language != "en" || p.Ward != "2" {
				t.Errorf("second person: %+v", p)
			}
			if p := people[2]; p.Phone != "+919876500074" || p.Role != "shg_member" || p.Language != "hi" {
				t.Errorf("third person (Devanagari phone): %+v", p)
			}

			res, err := r.Import(ctx, people, false)
			if err != nil || res != (Result{Added: 45}) {
				t.Fatalf("import: %+v %v", res, err)
			}
			keys := rdb.DBSize(ctx).Val()
			if n, _ := r.Count(ctx); n != 45 {
				t.Errorf("%d people after import, want 45", n)
			}
			before, _ := r.All(ctx)

			again, _, err := Parse(bytes.NewReader(tc.data), tc.name)
			if err != nil {
				t.Fatal(err)
			}
			res, err = r.Import(ctx, again, false)
			if err != nil || res != (Result{Unchanged: 45}) {
				t.Fatalf("import again: %+v %v", res, err)
			}
			if n := rdb.DBSize(ctx).Val(); n != keys {
				t.Errorf("%d keys after importing again, had %d", n, keys)
			}
			after, _ := r.All(ctx)
			if !reflect.DeepEqual(before, after) {
				t.Errorf("importing again changed the roster")
			}
		})
	}
}

func TestImportCounts(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBRoster, nil)
	r := New(rdb)
	people := sample(t)
	if _, err := r.Import(ctx, people[:50], false); err != nil {
		t.Fatal(err)
	}
	changed := slices.Clone(people)
	changed[0].Ward = "11"
	changed[1].Name = "राजेश कुमार सोनकर"
	changed[2].Language = "en"

	// A dry run says what would change and writes nothing.
	res, err := r.Import(ctx, changed, true)
	if err != nil || res != (Result{Added: 3, Updated: 3, Unchanged: 47}) {
		t.Fatalf("dry run: %+v %v", res, err)
	}
	if p, _, _ := r.Get(ctx, people[0].Phone); p.Ward != "1" {
		t.Errorf("dry run wrote ward %q", p.Ward)
	}
	if n, _ := r.Count(ctx); n != 50 {
		t.Errorf("dry run: %d people, want 50", n)
	}

	res, err = r.Import(ctx, changed, false)
	if err != nil || res != (Result{Added: 3, Updated: 3, Unchanged: 47}) {
		t.Fatalf("import: %+v %v", res, err)
	}
	if p, _, _ := r.Get(ctx, people[0].Phone); p.Ward != "11" {
		t.Errorf("ward %q, want 11", p.Ward)
	}
	if n, _ := r.Count(ctx); n != 53 {
		t.Errorf("%d people, want 53", n)
	}

	// Importing again changes nothing.
	res, err = r.Import(ctx, changed, false)
	if err != nil || res != (Result{Unchanged: 53}) {
		t.Fatalf("import again: %+v %v", res, err)
	}
}

func TestImportDryRunWritesNothing(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBRoster, nil)
	res, err := New(rdb).Import(ctx, sample(t), true)
	if err != nil || res != (Result{Added: 53}) {
		t.Fatalf("dry run: %+v %v", res, err)
	}
	if n := rdb.DBSize(ctx).Val(); n != 0 {
		t.Fatalf("dry run left %d keys", n)
	}
}

func TestImportRejectsInvalidPeople(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBRoster, nil)
	r := New(rdb)
	good := Person{Name: "क", Phone: "9018159083", Role: "sabhasad"}
	for _, p := range []Person{
		{Name: "ख", Phone: "", Role: "sabhasad"},
		{Name: "ख", Phone: "9018159084", Role: "raja"},
		{Name: "ख", Phone: "9018159084", Role: "sabhasad", Language: "fr"},
	} {
		if _, err := r.Import(ctx, []Person{good, p}, false); err == nil {
			t.Errorf("import of %+v: no error", p)
		}
		if err := r.Put(ctx, p); err == nil {
			t.Errorf("put of %+v: no error", p)
		}
	}
	if n := rdb.DBSize(ctx).Val(); n != 0 {
		t.Fatalf("a failed import left %d keys", n)
	}
}

func TestImportIsFewRoundTrips(t *testing.T) {
	ctx := context.Background()
	rt := &store.RoundTrips{}
	rdb := storetest.Redis(t, storetest.DBRoster, rt)
	people := make([]Person, 10000)
	for i := range people {
		people[i] = Person{Name: fmt.Sprintf("व्यक्ति %d", i), Phone: strconv.Itoa(9100000000 + i), Role: "shg_member",
			District: "कानपुर देहात", Block: "मैथा", SHG: fmt.Sprintf("समूह %d", i/12), Cluster: fmt.Sprintf("मैथा-%d", i/120)}
	}
	r := New(rdb)
	// The first command of a client connects; count the import's own trips.
	if _, err := r.Import(ctx, people[:1], false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []Result{{Added: 9999, Unchanged: 1}, {Unchanged: 10000}} {
		n0, start := rt.Count(), time.Now()
		res, err := r.Import(ctx, people, false)
		if err != nil || res != want {
			t.Fatalf("import: %+v %v, want %+v", res, err, want)
		}
		trips := rt.Count() - n0
		t.Logf("10,000 people: %v, %+v, %d round trips", time.Since(start), res, trips)
		if maxTrips := int64(2*len(people)/ImportBatch + 2); trips > maxTrips { // a read and a write per batch, and the roster's version (markPlacesBuilt)
			t.Errorf("%d round trips, want at most %d", trips, maxTrips)
		}
	}
	if n, _ := r.Count(ctx); n != 10000 {
		t.Errorf("%d people", n)
	}
}

func TestPutGet(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBRoster, nil)
	r := New(rdb)
	p := Person{Name: "सरिता राजभर", Phone: "९०१८१५९०८३", Role: "सभासद", Body: "नगर पंचायत अनपरा", Ward: "1"}
	if err := r.Put(ctx, p); err != nil {
		t.Fatal(err)
	}
	want := p
	want.Phone, want.Role, want.Designation, want.Language = "+919018159083", "sabhasad", "sabhasad", "hi"
	for _, phone := range []string{"+919018159083", "9018159083", "090181 59083", "९०१८१५९०८३"} {
		got, ok, err := r.Get(ctx, phone)
		if err != nil || !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("get %s: %+v %v %v", phone, got, ok, err)
		}
	}
	for _, phone := range []string{"9131860913", "12345", ""} {
		if got, ok, err := r.Get(ctx, phone); err != nil || ok {
			t.Errorf("get %q: %+v %v %v, want nobody", phone, got, ok, err)
		}
	}
}

func TestParseHeaders(t *testing.T) {
	const row = "सरिता राजभर,9018159083,सभासद,मिर्जापुर,सोनभद्र,,नगर पंचायत अनपरा,1,,,\n"
	want := Person{Name: "सरिता राजभर", Phone: "+919018159083", Role: "sabhasad", Designation: "sabhasad", Division: "मिर्जापुर", District: "सोनभद्र",
		Body: "नगर पंचायत अनपरा", Ward: "1", Language: "hi"}
	for _, tc := range []struct{ name, file string }{
		{"english", "name,phone,role,division,district,block,body,ward,shg,cluster,language\n" + row},
		{"hindi", "नाम,मोबाइल,पद,मंडल,जिला,विकासखंड,निकाय,वार्ड,समूह,क्लस्टर,भाषा\n" + row},
		{"hindi variants", "नाम,फ़ोन,पद,मंडल,ज़िला,ब्लॉक / विकासखंड,निकाय,वार्ड,समूह,क्लस्टर,भाषा\n" + row},
		{"hindi फोन जनपद ब्लॉक", "नाम,फोन,पद,मंडल,जनपद,ब्लॉक,निकाय,वार्ड,समूह,क्लस्टर,भाषा\n" + row},
		{"case, spaces and BOM", "\uFEFF Name ,  MOBILE No. ,Role,Division,DISTRICT,Block,Body,Ward,SHG,Cluster,Language\n" + row},
		{"title row and blank line above", "सभासद सूची,,,\n\nname,phone,role,division,district,block,body,ward,shg,cluster,language\n" + row},
		{"unknown columns", "name,phone,role,division,district,block,body,ward,shg,cluster,language,remarks\n" + strings.TrimSuffix(row, "\n") + ",कुछ भी\n"},
		{"semicolons", strings.ReplaceAll("name,phone,role,division,district,block,body,ward,shg,cluster,language\n"+row, ",", ";")},
		{"tabs", strings.ReplaceAll("name,phone,role,division,district,block,body,ward,shg,cluster,language\n"+row, ",", "\t")},
		{"CRLF", strings.ReplaceAll("name,phone,role,division,district,block,body,ward,shg,cluster,language\n"+row, "\n", "\r\n")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			people, bad, err := Parse(strings.NewReader(tc.file), "x.csv")
			if err != nil || len(bad) > 0 {
				t.Fatalf("%v %v", bad, err)
			}
			if len(people) != 1 || !reflect.DeepEqual(people[0], want) {
				t.Fatalf("got %+v\nwant %+v", people, want)
			}
		})
	}
}

func TestParseUTF16(t *testing.T) {
	text := "नाम\tमोबाइल\tपद\nसरिता राजभर\t9018159083\tसभासद\n"
	b := []byte{0xFF, 0xFE}
	for _, r := range text { // all in the BMP
		b = append(b, byte(r), byte(r>>8))
	}
	people, bad, err := Parse(bytes.NewReader(b), "unicode.txt")
	if err != nil || len(bad) > 0 || len(people) != 1 || people[0].Phone != "+919018159083" || people[0].Name != "सरिता राजभर" {
		t.Fatalf("%+v %v %v", people, bad, err)
	}
}

func TestParseFileErrors(t *testing.T) {
	for _, tc := range []struct{ name, file, want string }{
		{"empty", "", "empty"},
		{"blank lines", "\n\n,,\n", "empty"},
		{"no phone column", "name,role\nक,sabhasad\n", "no phone column"},
		{"no header", "सरिता राजभर,9018159083,सभासद\n", "no name, phone or role column"},
		{"not UTF-8", "name,phone,role\n\xe0\xa4,9018159083,sabhasad\n", "CSV UTF-8"},
		{"old excel", "\xD0\xCF\x11\xE0rest", ".xls"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Parse(strings.NewReader(tc.file), "x.csv")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
	if _, _, err := Parse(strings.NewReader("name,phone,role\n"), "x.xlsx"); err == nil || !strings.Contains(err.Error(), "x.xlsx") {
		t.Errorf("a CSV named .xlsx: %v", err)
	}
	if _, _, err := ParseFile("testdata/no-such-file.csv"); err == nil {
		t.Errorf("missing file: no error")
	}
}

func TestParseRows(t *testing.T) {
	const head = "name,phone,role,ward,language\n"
	for _, tc := range []struct {
		name, rows string
		want       []string // the people's phones, or the bad rows as Hindi()
		hindi      bool
	}{
		{"devanagari digits", "क,९०१८१५९०८३,sabhasad,३,hi\n", []string{"+919018159083"}, false},
		{"hindi roles", "क,9018159083,पार्षद,,\nख,9131860913,समूह सदस्य,,\nग,9082462819,वार्ड सदस्य,,\nङ,9543231948,एडमिन,,\nच,9911862527,अन्य,,\nछ,9955597971,प्रधान,,\n",
			[]string{"+919018159083", "+919131860913", "+919082462819", "+919543231948", "+919911862527", "+919955597971"}, false},
		{"a coordinator without a place", "घ,9518190937,समन्वयक,,\nङ,9543231948,एडमिन,,\n", []string{"पंक्ति 2: समन्वयक का क्षेत्र नहीं लिखा है: मंडल, जनपद, विकासखंड या निकाय लिखें"}, true},
		{"blank rows skipped, lines kept", "\n,,,,\nक,9018159083,sabhasad,,\n\nख,123,sabhasad,,\n", []string{"पंक्ति 6: मोबाइल नंबर 123 सही नहीं है"}, true},
		{"everything wrong", ",12,king,,fr\n", []string{"पंक्ति 2: नाम नहीं लिखा है; मोबाइल नंबर 12 सही नहीं है; पद “king” समझ नहीं आया। ये पद लिखे जा सकते हैं: " + BuiltinDesignations().Accepted("hi") + " (या समन्वयक, एडमिन); भाषा “fr” समझ नहीं आई (hi या en लिखें)"}, true},
		{"missing role", "क,9018159083,,,\n", []string{"पंक्ति 2: पद नहीं लिखा है"}, true},
		{"duplicate in another form", "क,9018159083,sabhasad,,\nख,+91 90181 59083,sabhasad,,\n", []string{"पंक्ति 3: मोबाइल नंबर +91 90181 59083 पंक्ति 2 में पहले से है"}, true},
		{"stray quote", "क,9018159083,sabhasad,,\nख \"बड़े\",9131860913,sabhasad,,\nग,9082462819,sabhasad,,\n", []string{`पंक्ति 3: यह पंक्ति पढ़ी नहीं जा सकी (उद्धरण चिह्न " की गड़बड़ी)`}, true},
		{"multi-line cell keeps line numbers", "\"क\nख\",9018159083,sabhasad,,\nग,1,sabhasad,,\n", []string{"पंक्ति 4: मोबाइल नंबर 1 सही नहीं है"}, true},
		{"US number", "क,+1 202 555 0100,sabhasad,,\n", []string{"पंक्ति 2: मोबाइल नंबर +1 202 555 0100 सही नहीं है"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			people, bad, err := ParseCSV(strings.NewReader(head + tc.rows))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			if tc.hindi {
				for _, b := range bad {
					got = append(got, b.Hindi())
				}
			} else {
				if len(bad) > 0 {
					t.Fatalf("bad rows: %v", bad)
				}
				for _, p := range people {
					got = append(got, p.Phone)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
	people, _, _ := ParseCSV(strings.NewReader(head + "क,९०१८१५९०८३,सभासद,३,\n"))
	if len(people) != 1 || people[0].Ward != "3" || people[0].Role != "sabhasad" {
		t.Errorf("%+v", people)
	}
}

func TestNormalizePhone(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"9018159083", "+919018159083"},
		{"09018159083", "+919018159083"},
		{"+91 90181 59083", "+919018159083"},
		{"+919018159083", "+919018159083"},
		{"91-90181-59083", "+919018159083"},
		{"९०१८१५९०८३", "+919018159083"},
		{"+९१ ९०१८१ ५९०८३", "+919018159083"},
		{"9018159083.0", "+919018159083"},
		{"9.018159083E9", "+919018159083"},
		{"9.018159083e+09", "+919018159083"},
		{" 9018159083 ", "+919018159083"},
		{"12345", ""},
		{"", ""},
		{"abc", ""},
		{"901815908", ""},
		{"90181590833", ""},
		{"+1 202 555 0100", ""},
		{"9.02E+09", ""},
		{"9.01815908E9", ""},
		{"98765ABCDE", ""},
		{"9018159083 ext 12", ""},
		{"9.0181590830E9", "+919018159083"},
		{"9018159083.00", "+919018159083"},
	} {
		got, ok := NormalizePhone(tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestXLSXCells(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"सूची: नगर पंचायत अनपरा"},
		{"नाम", "मोबाइल", "पद", "वार्ड"},
		{"क", 9018159083, "सभासद", 1},
		{},
		{"ख", 9.131860913e9, "sabhasad", 2.0},
		{"ग", "9.082462819E9", "sabhasad", "3"},
		{"घ", "०९५१८१९०९३७", "sabhasad", "४"},
		{"ङ", 12345, "sabhasad", 5},
	}
	for i, r := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetCellStyle("Sheet1", "B3", "B8", mustStyle(t, f)); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	people, bad, err := Parse(&b, "anpara.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range people {
		got = append(got, p.Phone+" "+p.Ward)
	}
	if want := []string{"+919018159083 1", "+919131860913 2", "+919082462819 3", "+919518190937 4"}; !slices.Equal(got, want) {
		t.Errorf("people: %q, want %q", got, want)
	}
	if len(bad) != 1 || bad[0].Line != 8 {
		t.Errorf("bad rows %v, want line 8 (the Excel row)", bad)
	}
}

// mustStyle is a scientific number format, so that a formatted read would
// show 9.02E+09: the roster must read the stored number.
func mustStyle(t *testing.T, f *excelize.File) int {
	t.Helper()
	id, err := f.NewStyle(&excelize.Style{NumFmt: 11})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestParseFilter(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Filter
		str  string
	}{
		{"", Filter{}, ""},
		{"role=sabhasad", Filter{Role: []string{"sabhasad"}}, "role=sabhasad"},
		{"role=sabhasad,body=नगर पंचायत अनपरा", Filter{Role: []string{"sabhasad"}, Body: []string{"नगर पंचायत अनपरा"}}, "role=sabhasad,body=नगर पंचायत अनपरा"},
		{" role = sabhasad|पार्षद , ward=३ ", Filter{Role: []string{"sabhasad", "parshad"}, Ward: []string{"3"}}, "role=sabhasad|parshad,ward=3"},
		{"पद=प्रधान,विकासखंड=मैथा,जनपद=कानपुर देहात", Filter{Designation: []string{"pradhan"}, District: []string{"कानपुर देहात"}, Block: []string{"मैथा"}}, "designation=pradhan,district=कानपुर देहात,block=मैथा"},
		{"पद=अधिशासी अधिकारी|नगर आयुक्त|eo,role=other", Filter{Role: []string{"other"}, Designation: []string{"eo", "nagar_ayukt"}}, "role=other,designation=eo|nagar_ayukt"},
		{"designation=समन्वयक", Filter{Role: []string{"coordinator"}}, "role=coordinator"},
		{"ज़िला=सोनभद्र,मंडल=मिर्जापुर,निकाय=x,वार्ड=1,समूह=y,क्लस्टर=z", Filter{Division: []string{"मिर्जापुर"}, District: []string{"सोनभद्र"}, Body: []string{"x"}, Ward: []string{"1"}, SHG: []string{"y"}, Cluster: []string{"z"}},
			"division=मिर्जापुर,district=सोनभद्र,body=x,ward=1,shg=y,cluster=z"},
		{"role=sabhasad,Role=SABHASAD,role=pradhan", Filter{Role: []string{"sabhasad", "pradhan"}}, "role=sabhasad|pradhan"},
		{"District=सोनभद्र,BLOCK=मैथा,SHG=y", Filter{District: []string{"सोनभद्र"}, Block: []string{"मैथा"}, SHG: []string{"y"}}, "district=सोनभद्र,block=मैथा,shg=y"},
		{"मोबाइल=09018159083|9131860913", Filter{Phone: []string{"+919018159083", "+919131860913"}}, "phone=+919018159083|+919131860913"},
		// Exclusions: one key each, written after the terms that select.
		{"-पद=अध्यक्ष,मंडल=मिर्जापुर,-निकाय=x|y", Filter{Division: []string{"मिर्जापुर"}, Not: []Filter{{Designation: []string{"chairman"}}, {Body: []string{"x", "y"}}}},
			"division=मिर्जापुर,-designation=chairman,-body=x|y"},
	} {
		got, err := ParseFilter(tc.in)
		if err != nil {
			t.Errorf("ParseFilter(%q): %v", tc.in, err)
			continue
		}
		if got.String() != tc.str || fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("ParseFilter(%q) = %#v (%s), want %#v (%s)", tc.in, got, got, tc.want, tc.str)
		}
		if again, err := ParseFilter(got.String()); err != nil || again.String() != got.String() {
			t.Errorf("round trip of %q: %s, %v", got, again, err)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"colour=red", `unknown key "colour"`},
		{"role=sabhasad,gaon=x", `unknown key "gaon"`},
		{"name=क", `unknown key "name"`},
		{"phone=12345", `"12345" is not a mobile number`},
		{"role", `"role" is not key=value`},
		{"role=", "role has an empty value"},
		{"role=sabhasad|", "role has an empty value"},
		{"role=raja", `unknown role "raja"`},
		{"-पद=raja", `unknown designation "raja"`},
		{"--role=sabhasad", `want -key=value`},
		{"-", `want -key=value`},
	} {
		_, err := ParseFilter(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseFilter(%q): error %v, want one saying %s", tc.in, err, tc.want)
		}
	}
}

func TestFilterMatch(t *testing.T) {
	people := sample(t)
	for _, tc := range []struct {
		filter string
		n      int
	}{
		{"", 53},
		{"role=sabhasad", 20},
		{"role=sabhasad,body=नगर पंचायत अनपरा", 8},
		{"role=sabhasad|pradhan", 25},
		{"पद=सभासद,निकाय=  नगर  पंचायत अनपरा ", 8},
		{"role=SABHASAD,district=सोनभद्र", 14},
		{"block=सरवनखेड़ा", 6},
		{"block=सरवनखेडा", 6}, // without the nukta
		{"body=ग्राम पंचायत सरवनखेडा", 1},
		{"cluster=मैथा-1", 6},
		{"shg=दुर्गा स्वयं सहायता समूह (मैथा-2/1)", 3},
		{"district=सोनभद्र|बाराबंकी,ward=1", 3},
		{"ward=१", 3},
		{"district=लखनऊ", 0},
		{"role=coordinator,district=कानपुर देहात", 2},
		{"role=sabhasad,-body=नगर पंचायत अनपरा", 12},
		{"role=sabhasad,-body=नगर पंचायत अनपरा,-district=सोनभद्र", 6},
		{"-role=sabhasad", 33},
		{"मोबाइल=9018159083|+91 91318 60913", 2},
		{"phone=9018159083|9131860913,-ward=1", 1},
	} {
		f, err := ParseFilter(tc.filter)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, p := range people {
			if f.Match(p) {
				n++
			}
		}
		if n != tc.n {
			t.Errorf("%q matches %d, want %d", tc.filter, n, tc.n)
		}
	}
	// A Filter built in code may name roles in Hindi.
	f := Filter{Role: []string{"प्रधान"}, Block: []string{"मैथा"}}
	n := 0
	for _, p := range people {
		if f.Match(p) {
			n++
		}
	}
	if n != 5 {
		t.Errorf("%s matches %d, want 5", f, n)
	}
}

func TestSelect(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBRoster, nil)
	r := New(rdb)
	people := sample(t)
	if _, err := r.Import(ctx, people, false); err != nil {
		t.Fatal(err)
	}
	// Ward 10 must come after ward 8, not after ward 1.
	if err := r.Put(ctx, Person{Name: "अ नया", Phone: "9000000010", Role: "sabhasad", District: "सोनभद्र", Body: "नगर पंचायत अनपरा", Ward: "10"}); err != nil {
		t.Fatal(err)
	}
	f, _ := ParseFilter("role=sabhasad,body=नगर पंचायत अनपरा")
	got, err := r.Select(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	var wards []string
	for _, p := range got {
		wards = append(wards, p.Ward)
	}
	if want := []string{"1", "2", "3", "4", "5", "6", "7", "8", "10"}; !slices.Equal(wards, want) {
		t.Errorf("wards %v, want %v", wards, want)
	}

	f, _ = ParseFilter("district=सोनभद्र")
	got, err = r.Select(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, p := range got {
		order = append(order, p.Body+"/"+p.Ward+"/"+p.Name)
	}
	if len(got) != 16 || !slices.IsSortedFunc(got, func(a, b Person) int {
		if a.Body != b.Body {
			return strings.Compare(a.Body, b.Body)
		}
		return compareWards(a.Ward, b.Ward)
	}) {
		t.Errorf("%d people in order %v", len(got), order)
	}
	again, _ := r.Select(ctx, f)
	if !reflect.DeepEqual(got, again) {
		t.Errorf("two selects, two orders")
	}

	bmm, _ := byName(t, people, "विजय प्रजापति").Scope()
	eo, _ := byName(t, people, "विनोद गुप्ता").Scope()
	pradhans, _ := ParseFilter("role=pradhan")
	for _, tc := range []struct {
		scope Scope
		f     Filter
		n     int
	}{
		{bmm, pradhans, 5},
		{eo, pradhans, 0},
		{eo, Filter{}, 10},
		{Scope{Level: LevelAll}, pradhans, 5},
	} {
		got, err := r.SelectIn(ctx, tc.scope, tc.f)
		if err != nil || len(got) != tc.n {
			t.Errorf("SelectIn(%s, %s): %d people, %v; want %d", tc.scope, tc.f, len(got), err, tc.n)
		}
	}
}

func TestScope(t *testing.T) {
	people := sample(t)
	for _, tc := range []struct {
		name   string
		want   Scope
		ok     bool
		inside int // sample people in the scope
	}{
		{"सुनील वर्मा (जिला मिशन प्रबंधक)", Scope{LevelDistrict, "कानपुर देहात"}, true, 31},
		{"विजय प्रजापति (ब्लॉक मिशन मैनेजर)", Scope{LevelBlock, "मैथा"}, true, 18},
		{"विनोद गुप्ता (अधिशासी अधिकारी)", Scope{LevelBody, "नगर पंचायत अनपरा"}, true, 9},
		{"कमला तिवारी (राज्य समन्वयक)", Scope{Level: LevelAll}, true, 53},
		{"सरिता राजभर", Scope{}, false, 0},
		{"गीता सोनकर", Scope{}, false, 0},
	} {
		p := byName(t, people, tc.name)
		got, ok := p.Scope()
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: scope %v %v, want %v %v", tc.name, got, ok, tc.want, tc.ok)
			continue
		}
		if !ok {
			if p.IsCoordinator() || p.IsAdmin() || !p.Participant() {
				t.Errorf("%s: coordinator %v admin %v participant %v", tc.name, p.IsCoordinator(), p.IsAdmin(), p.Participant())
			}
			continue
		}
		if !p.IsCoordinator() || p.Participant() || p.IsAdmin() != (tc.want.Level == LevelAll) {
			t.Errorf("%s: coordinator %v admin %v participant %v", tc.name, p.IsCoordinator(), p.IsAdmin(), p.Participant())
		}
		n := 0
		for _, x := range people {
			if got.Contains(x) {
				n++
			}
		}
		if n != tc.inside || !got.Contains(p) {
			t.Errorf("%s: %d people in scope, want %d (and themselves)", tc.name, n, tc.inside)
		}
	}

	for _, p := range []Person{
		{Role: "coordinator"},
		{Role: "coordinator", Ward: "3", SHG: "x"},
	} {
		if s, ok := p.Scope(); ok {
			t.Errorf("coordinator without geography %+v has scope %v", p, s)
		}
	}
	if s, ok := (Person{Role: "coordinator", Division: "कानपुर"}).Scope(); !ok || s != (Scope{LevelDivision, "कानपुर"}) {
		t.Errorf("division coordinator: %v %v", s, ok)
	}
	// Nukta and spaces do not matter; an empty or unknown scope contains nobody.
	if !(Scope{LevelBlock, " सरवनखेडा "}).Contains(Person{Block: "सरवनखेड़ा"}) {
		t.Errorf("nukta-insensitive Contains failed")
	}
	for _, s := range []Scope{{}, {LevelBlock, ""}, {"village", "x"}} {
		if s.Contains(Person{Block: ""}) || s.Contains(Person{Block: "x"}) {
			t.Errorf("%+v contains someone", s)
		}
	}
}

func TestScopeAllows(t *testing.T) {
	district := Scope{LevelDistrict, "कानपुर देहात"}
	block := Scope{LevelBlock, "मैथा"}
	body := Scope{LevelBody, "नगर पंचायत अनपरा"}
	for _, tc := range []struct {
		scope  Scope
		filter string
		want   bool
	}{
		{Scope{Level: LevelAll}, "", true},
		{Scope{Level: LevelAll}, "district=सोनभद्र", true},
		{district, "district=कानपुर देहात", true},
		{district, "district=कानपुर  देहात,role=pradhan", true},
		{district, "block=मैथा", true},
		{district, "block=मैथा,role=shg_member", true},
		{district, "cluster=मैथा-1", true},
		{district, "district=सोनभद्र", false},
		{district, "district=कानपुर देहात|सोनभद्र", false},
		{district, "district=सोनभद्र,block=मैथा", false},
		{district, "role=pradhan", false},
		{district, "", false},
		{district, "division=कानपुर", false},
		{block, "block=मैथा", true},
		{block, "body=ग्राम पंचायत मैथा", true},
		{block, "shg=उन्नति स्वयं सहायता समूह (मैथा-1/1)", true},
		{block, "district=कानपुर देहात", false},
		{block, "block=रसूलाबाद", false},
		{body, "body=नगर पंचायत अनपरा,role=sabhasad", true},
		{body, "ward=3", true},
		{body, "body=नगर पंचायत चोपन", false},
		{body, "block=मैथा", false},
		{body, "role=sabhasad", false},
		{Scope{}, "", false},
		{Scope{LevelBlock, ""}, "ward=3", false},
	} {
		f, err := ParseFilter(tc.filter)
		if err != nil {
			t.Fatal(err)
		}
		if got := tc.scope.Allows(f); got != tc.want {
			t.Errorf("%s allows %q: %v, want %v", tc.scope, tc.filter, got, tc.want)
		}
	}
}

func TestFold(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"ज़िला", "जिला"},
		{"सरवनखेड़ा", "सरवनखेडा"},
		{"हाँ", "हां"},
		{"  Nagar   Panchayat ", "nagar panchayat"},
		{"वार्ड १२", "वार्ड 12"},
		{"\u095B", "ज"}, // precomposed ज़
	} {
		if fold(tc.a) != fold(tc.b) {
			t.Errorf("fold(%q) = %q, fold(%q) = %q", tc.a, fold(tc.a), tc.b, fold(tc.b))
		}
	}
	if fold("मैथा") == fold("मथा") {
		t.Errorf("fold drops vowel signs")
	}
}

// The lookup tables are keyed as their lookups key: a table entry that
// its own key function changes could never be found.
func TestLookupKeys(t *testing.T) {
	for k := range headerNames {
		if headerKey(k) != k {
			t.Errorf("header key %q is not in headerKey form", k)
		}
	}
	for _, name := range []string{"नाम", "मोबाइल", "फोन", "फ़ोन", "पद", "मंडल", "जिला", "ज़िला", "जनपद", "ब्लॉक", "विकासखंड", "ब्लॉक/विकासखंड", "निकाय", "वार्ड", "समूह", "क्लस्टर", "भाषा"} {
		if _, ok := headerNames[headerKey(name)]; !ok {
			t.Errorf("header %q is not known", name)
		}
	}
}

// A coordinator's file with fewer columns, or blank cells, loses nothing
// the roster already has.
func TestImportKeepsWhatABlankCellDoesNotSay(t *testing.T) {
	ctx := context.Background()
	r := New(storetest.Redis(t, storetest.DBRoster, nil))
	full := Person{Name: "सरिता राजभर", Phone: "+919018159083", Role: "sabhasad", Designation: "sabhasad", Division: "मिर्जापुर", District: "सोनभद्र", Body: "नगर पंचायत अनपरा", Ward: "1", Language: "hi"}
	if _, err := r.Import(ctx, []Person{full}, false); err != nil {
		t.Fatal(err)
	}
	people, bad, err := ParseCSV(strings.NewReader("नाम,मोबाइल,पद,वार्ड\nसरिता राजभर,9018159083,सभासद,\nसरिता राजभर,9018159083,सभासद,2\n"))
	if err != nil || len(bad) != 1 { // the same phone twice: the later row is reported
		t.Fatalf("parse: %v %v", bad, err)
	}
	res, err := r.Import(ctx, people, false)
	if err != nil || res.Unchanged != 1 {
		t.Fatalf("import: %+v %v, want unchanged", res, err)
	}
	got, _, _ := r.Get(ctx, full.Phone)
	if !reflect.DeepEqual(got, full) {
		t.Fatalf("after a narrower file: %+v, want %+v", got, full)
	}
	moved := full
	moved.Ward = "2"
	if res, _ := r.Import(ctx, []Person{{Name: full.Name, Phone: full.Phone, Role: "sabhasad", Ward: "2"}}, false); res.Updated != 1 {
		t.Fatalf("a changed ward: %+v", res)
	}
	if got, _, _ := r.Get(ctx, full.Phone); !reflect.DeepEqual(got, moved) {
		t.Fatalf("after a new ward: %+v, want %+v", got, moved)
	}
}
