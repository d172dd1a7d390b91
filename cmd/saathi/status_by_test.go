package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/store/storetest"
)

// TestTrainingStatusByPlace: officials imported by their Hindi designations
// (one of an operator's own, from SAATHI_FLOWS_DIR/designations) are
// invited by designation, and saathi training status breaks the count
// down by division, or by the level --by names, before or after the id.
func TestTrainingStatusByPlace(t *testing.T) {
	vars := map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}
	storetest.Redis(t, storetest.DBCommand, nil)
	dir := t.TempDir()
	flowsDir := filepath.Join(dir, "flows")
	if err := os.MkdirAll(filepath.Join(flowsDir, "designations"), 0o700); err != nil {
		t.Fatal(err)
	}
	je := "designations:\n  - {id: je, hi: अवर अभियंता, en: Junior Engineer, kind: urban, aliases: [JE]}\n"
	if err := os.WriteFile(filepath.Join(flowsDir, "designations", "je.yaml"), []byte(je), 0o600); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "officials.csv")
	rows := "नाम,मोबाइल,पद,मंडल,जनपद,निकाय\n" +
		"अरुण मिश्र,9000000201,अधिशासी अधिकारी,मिर्जापुर,सोनभद्र,नगर पंचायत अनपरा\n" +
		"गीता देवी,9000000202,नगर आयुक्त,मिर्जापुर,मिर्जापुर,नगर निगम मिर्जापुर\n" +
		"रीना वर्मा,9000000204,नगर आयुक्त,लखनऊ,लखनऊ,नगर निगम लखनऊ\n" +
		"सरिता राजभर,9000000210,सभासद,मिर्जापुर,सोनभद्र,नगर पंचायत अनपरा\n" +
		"मोहन लाल,9000000215,JE,लखनऊ,लखनऊ,नगर निगम लखनऊ\n"
	if err := os.WriteFile(file, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, vars, "", "import", file); err != nil || !strings.Contains(out, `line 6: unknown designation "JE"; these are known: Sabhasad`) {
		t.Fatalf("import without the operator's designations: %v\n%s", err, out)
	}
	vars["SAATHI_FLOWS_DIR"] = flowsDir
	if out, err := runCmd(t, vars, "", "import", file); err != nil || !strings.Contains(out, "5 imported (1 new, 0 updated, 4 unchanged)") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	spec := filepath.Join(dir, "t.yaml")
	if err := os.WriteFile(spec, []byte("title: कर्मयोगी\nvenue: लखनऊ\nstart: 2030-12-05T10:00\ninvite: \"पद=अधिशासी अधिकारी|नगर आयुक्त|JE\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, vars, "", "training", "add", "--file", spec)
	if err != nil || !strings.Contains(out, "4 invited") {
		t.Fatalf("training add: %v\n%s", err, out)
	}
	id, _, _ := strings.Cut(out, "\t")
	out, err = runCmd(t, vars, "", "training", "status", id)
	for _, want := range []string{"बुलाए गए 4 ·", "मंडल के हिसाब से:", "• मिर्जापुर: बुलाए 2 ·", "• लखनऊ: बुलाए 2 ·", "जवाब नहीं दिया: अरुण मिश्र, गीता देवी, मोहन लाल, रीना वर्मा"} {
		if err != nil || !strings.Contains(out, want) {
			t.Fatalf("training status lacks %q: %v\n%s", want, err, out)
		}
	}
	for _, args := range [][]string{{"training", "status", "--by", "जनपद", id}, {"training", "status", id, "--by", "district", "--lang", "en"}} {
		out, err = runCmd(t, vars, "", args...)
		for _, want := range []string{"• सोनभद्र: ", "• मिर्जापुर: ", "• लखनऊ: "} {
			if err != nil || !strings.Contains(out, want) {
				t.Fatalf("%v lacks %q: %v\n%s", args, want, err, out)
			}
		}
	}
	if !strings.Contains(out, "By district:") {
		t.Errorf("English status:\n%s", out)
	}
	if _, err := runCmd(t, vars, "", "training", "status", id, "--by", "ward"); err == nil || !strings.Contains(err.Error(), "want division, district, block or body") {
		t.Errorf("--by ward: %v", err)
	}
}
