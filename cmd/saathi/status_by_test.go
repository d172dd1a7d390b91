package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/locales"
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
	if out, err := runCmd(t, vars, "", "import", "--lang", "en", file); err != nil || !strings.Contains(out, `line 6: unknown designation "JE"; these are known: Sabhasad`) {
		t.Fatalf("import without the operator's designations: %v\n%s", err, out)
	}
	vars["SAATHI_FLOWS_DIR"] = flowsDir
	if out, err := runCmd(t, vars, "", "import", "--lang", "en", file); err != nil || !strings.Contains(out, "5 imported (1 new, 0 updated, 4 unchanged)") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if out, err := runCmd(t, vars, "", "training", "status"); err != nil || !strings.Contains(out, "अभी न कोई प्रशिक्षण चल रहा है, न आगे का तय है।") {
		t.Errorf("training status with no training: %v\n%s", err, out)
	}
	spec := filepath.Join(dir, "t.yaml")
	if err := os.WriteFile(spec, []byte("title: कर्मयोगी\nvenue: लखनऊ\nstart: 2030-12-05T10:00\ninvite: \"पद=अधिशासी अधिकारी|नगर आयुक्त|JE\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, vars, "", "training", "add", "--lang", "en", "--file", spec)
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
	// No id: every running and upcoming training, added up by division.
	out, err = runCmd(t, vars, "", "training", "status")
	if want := "📊 चल रहे और आने वाले प्रशिक्षण, मंडल के हिसाब से:\n" +
		"• मिर्जापुर: चल रहे 0 · आने वाले 1 · बुलाए 2 · आएँगे 0 · हाज़िरी 0\n" +
		"• लखनऊ: चल रहे 0 · आने वाले 1 · बुलाए 2 · आएँगे 0 · हाज़िरी 0\n" +
		"कुल: चल रहे 0 · आने वाले 1 · बुलाए 4 · आएँगे 0 · हाज़िरी 0\n\n" +
		"किसी एक प्रशिक्षण की पूरी स्थिति: saathi training status ID"; err != nil || !strings.HasPrefix(out, want) {
		t.Errorf("training status without an id: %v\n%s\nwant it to start\n%s", err, out, want)
	}
	out, err = runCmd(t, vars, "", "training", "status", "--by", "district", "--lang", "en")
	for _, want := range []string{"📊 Running and upcoming trainings, by district:\n• लखनऊ: running 0 · upcoming 1 · invited 2 ·", "\n• सोनभद्र: running 0 · upcoming 1 · invited 1 ·", "\nTotal: running 0 · upcoming 1 · invited 4 · coming 0 · attended 0\n"} {
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("training status --by district --lang en lacks %q: %v\n%s", want, err, out)
		}
	}
	if out, err := runCmd(t, vars, "", "training", "status", id, "--by", "district", "more"); err == nil || strings.Contains(out, "📊") {
		t.Errorf("training status ID with a word after it: %v\n%s", err, out)
	}
	if _, err := runCmd(t, vars, "", "training", "status", id, "--by", "ward"); err == nil || !strings.Contains(err.Error(), "want division, district, block or body") {
		t.Errorf("--by ward: %v", err)
	}

	// The export's summary sheet, by district.
	xlsx := filepath.Join(dir, "k.xlsx")
	if out, err := runCmd(t, vars, "", "export", "--training", id, "--by", "जनपद", "-o", xlsx); err != nil || !strings.Contains(out, ": 4 पंक्तियाँ") {
		t.Fatalf("export: %v\n%s", err, out)
	}
	x, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sum, err := x.GetRows("सारांश")
	if err != nil {
		t.Fatal(err)
	}
	if len(sum) < 3 || len(sum[1]) != 2 || sum[1][0] != "तारीख़" || !strings.Contains(sum[1][1], "20") {
		t.Errorf("summary head (title, dates with the year): %q", sum)
	}
	for len(sum) > 0 && (len(sum[0]) == 0 || sum[0][0] != "जनपद") {
		sum = sum[1:] // the training's title, dates, venue, a blank row
	}
	want := [][]string{
		{"जनपद", "बुलाए गए", "आएँगे", "नहीं आएँगे", "पता नहीं", "जवाब नहीं", "प्रतीक्षा सूची", "दिन 1 हाज़िरी (" + locales.Date("hi", time.Date(2030, 12, 5, 10, 0, 0, 0, locales.IST), time.Now()) + ")", "राय दी", "औसत रेटिंग"},
		{"मिर्जापुर", "1", "0", "0", "0", "1", "0", "0", "0"},
		{"लखनऊ", "2", "0", "0", "0", "2", "0", "0", "0"},
		{"सोनभद्र", "1", "0", "0", "0", "1", "0", "0", "0"},
		{"कुल", "4", "0", "0", "0", "4", "0", "0", "0"},
		nil,
		{"निकाय: 3 को बुलाया, 0 से कोई आएगा, 0 से कोई आया"},
	}
	if !reflect.DeepEqual(sum, want) {
		t.Errorf("summary by district:\n%q\nwant\n%q", sum, want)
	}
	if rows, _ := x.GetRows("प्रशिक्षण"); len(rows) != 5 || rows[1][2] == "" || !strings.Contains(strings.Join(rows[0], ","), "पद,मंडल,जनपद,विकासखंड,निकाय") {
		t.Errorf("export rows %q", rows)
	}
}
