package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/store/storetest"
)

// training add --dry-run counts and names whom it would invite (by
// --invite, by a --phones list, or both) and creates nothing; a list's
// bad rows are named by line, and a sheet without a phone column is
// explained, in --lang.
func TestTrainingAddDryRun(t *testing.T) {
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	importSample(t, rdb)
	vars := map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}
	dir := t.TempDir()
	list := filepath.Join(dir, "सूची.csv")
	if err := os.WriteFile(list, []byte("क्रम,नाम,फ़ोन नंबर\n1,सरिता,09018159083\n2,राजेश,+91 91318 60913\n3,कोई,12345\n4,सरिता फिर,९०१८१५९०८३\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	add := []string{"training", "add", "--dry-run", "--title", "जाँच प्रशिक्षण", "--venue", "अनपरा", "--start", "2026-12-20T10:00"}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--invite", "role=sabhasad,body=नगर पंचायत अनपरा,-ward=1"}, []string{"जाँच: प्रशिक्षण बनाया नहीं गया। निमंत्रण 7 लोगों को जाता: ", " और 2 लोग।"}},
		{[]string{"--phones", list}, []string{"निमंत्रण 2 लोगों को जाता: सरिता राजभर, राजेश सोनकर।", "सूची की 2 पंक्तियाँ छोड़ दी गईं", "पंक्ति 4: “12345” मोबाइल नंबर नहीं है", "पंक्ति 5: ९०१८१५९०८३ पंक्ति 2 में पहले आ चुका है"}},
		{[]string{"--phones", list, "--invite", "ward=2"}, []string{"निमंत्रण 1 लोगों को जाता: राजेश सोनकर।"}},
		{[]string{"--phones", list, "--lang", "en"}, []string{"Dry run: no training was created. The invitation would go to 2 people: सरिता राजभर, राजेश सोनकर.", "line 4: “12345” is not a mobile number"}},
	} {
		out, err := runCmd(t, vars, "", append(add, tc.args...)...)
		if err != nil {
			t.Fatalf("%q: %v\n%s", tc.args, err, out)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%q: no %q in:\n%s", tc.args, w, out)
			}
		}
	}
	if n := rdb.ZCard(t.Context(), "saathi:training:index").Val(); n != 0 {
		t.Fatalf("dry runs created %d trainings", n)
	}
	names := filepath.Join(dir, "नाम.csv")
	if err := os.WriteFile(names, []byte("नाम,गाँव\nसरिता,अनपरा\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd(t, vars, "", "broadcast", "--dry-run", "--phones", names); err == nil || !strings.Contains(err.Error(), "मोबाइल नंबरों का कॉलम नहीं मिला") {
		t.Errorf("a sheet without phones: %v", err)
	}
}
