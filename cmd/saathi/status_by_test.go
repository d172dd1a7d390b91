package main

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/identity"
	"github.com/saathi-bot/saathi/store/storetest"
)

// TestTrainingStatusByPlace: officials imported by their Hindi designations
// (one of an operator's own, from SAATHI_FLOWS_DIR/designations) are
// invited by designation, and saathi training status breaks the count
// down by division, or by the level --by names, before or after the id,
// with who can be reached on Telegram, on WhatsApp and not yet, and how
// to get the links of those not yet; the export and a broadcast's dry
// run say the same.
func TestTrainingStatusByPlace(t *testing.T) {
	vars := map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
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
	// अरुण has written on Telegram, रीना on WhatsApp; गीता and मोहन not yet.
	ids := identity.New(rdb)
	if err := ids.Link(context.Background(), "telegram", "4001", "+919000000201"); err != nil {
		t.Fatal(err)
	}
	if err := ids.Link(context.Background(), "whatsapp", "919000000204", "+919000000204"); err != nil {
		t.Fatal(err)
	}
	out, err = runCmd(t, vars, "", "training", "status", id)
	for _, want := range []string{
		"बुलाए गए 4 ·", "\nपहुँच: Telegram पर 1 · WhatsApp पर 1 · अभी नहीं 2\n", "मंडल के हिसाब से:",
		"• मिर्जापुर: बुलाए 2 · आएँगे 0 · नहीं 0 · पता नहीं 0 · जवाब नहीं 2\n   पहुँच: Telegram पर 1 · WhatsApp पर 0 · अभी नहीं 1\n",
		"• लखनऊ: बुलाए 2 · आएँगे 0 · नहीं 0 · पता नहीं 0 · जवाब नहीं 2\n   पहुँच: Telegram पर 0 · WhatsApp पर 1 · अभी नहीं 1\n",
		"जवाब नहीं दिया: अरुण मिश्र, गीता देवी, मोहन लाल, रीना वर्मा\n",
		"जिन 2 लोगों तक अभी नहीं पहुँचे, उनके निजी लिंक के लिए लिखें: saathi links --training " + id + " --unreached -o links.xlsx\n",
	} {
		if err != nil || !strings.Contains(out, want) {
			t.Fatalf("training status lacks %q: %v\n%s", want, err, out)
		}
	}
	// The dry runs say until when copies wait: a week from now (or --hold),
	// to the minute, which may turn while they run.
	either := func(out string, want func(now time.Time) string, before time.Time) bool {
		return strings.Contains(out, want(before)) || strings.Contains(out, want(time.Now()))
	}
	before := time.Now()
	out, err = runCmd(t, vars, "", "broadcast", "--dry-run", "--to", "training="+id)
	if want := func(now time.Time) string {
		return "अभी मिलेगा: Telegram पर 1 · WhatsApp पर 1\n" +
			"2 लोग अभी साथी से नहीं जुड़े। उनके लिए संदेश " + locales.DateTime("hi", now.Add(7*24*time.Hour), now) + " तक रुका रहेगा: तब तक वे पहली बार लिखें, तो उन्हें मिल जाएगा।\n" +
			"मंडल के हिसाब से:\n" +
			"• मिर्जापुर: Telegram पर 1 · WhatsApp पर 0 · अभी नहीं 1\n" +
			"• लखनऊ: Telegram पर 0 · WhatsApp पर 1 · अभी नहीं 1\n" +
			"जिन 2 लोगों तक अभी नहीं पहुँचे, उनके निजी लिंक के लिए लिखें: saathi links --training " + id + " --unreached -o links.xlsx\n"
	}; err != nil || !either(out, want, before) {
		t.Fatalf("broadcast --dry-run: %v\n%s\nwant it to end\n%s", err, out, want(before))
	}
	before = time.Now()
	out, err = runCmd(t, vars, "", "broadcast", "--dry-run", "--lang", "en", "--hold", "48h", "--to", "पद=नगर आयुक्त")
	if want := func(now time.Time) string {
		return "Gets it now: on Telegram 0 · on WhatsApp 1\n" +
			"1 person has not written to Saathi yet. It waits for them until " + locales.DateTime("en", now.Add(48*time.Hour), now) + ": if they first write by then, they get it.\n" +
			"By division:\n" +
			"• मिर्जापुर: on Telegram 0 · on WhatsApp 0 · not yet 1\n" +
			"• लखनऊ: on Telegram 0 · on WhatsApp 1 · not yet 0\n" +
			"For the personal links of the 1 person not reached yet: saathi links --to 'पद=नगर आयुक्त' --unreached -o links.xlsx\n"
	}; err != nil || !either(out, want, before) {
		t.Fatalf("broadcast --dry-run --to: %v\n%s\nwant it to end\n%s", err, out, want(before))
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
	if _, err := runCmd(t, vars, "", "training", "status", id, "--by", "ward"); err == nil || !strings.Contains(err.Error(), `--by का मान "ward" नहीं हो सकता। इनमें से एक लिखें: division|district|block|body`) {
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
		{"जनपद", "बुलाए गए", "आएँगे", "नहीं आएँगे", "पता नहीं", "जवाब नहीं", "प्रतीक्षा सूची", "दिन 1 हाज़िरी (" + locales.Date("hi", time.Date(2030, 12, 5, 10, 0, 0, 0, locales.IST), time.Now()) + ")",
			"Telegram पर", "WhatsApp पर", "अभी किसी पर नहीं", "राय दी", "औसत रेटिंग"},
		{"मिर्जापुर", "1", "0", "0", "0", "1", "0", "0", "0", "0", "1", "0"},
		{"लखनऊ", "2", "0", "0", "0", "2", "0", "0", "0", "1", "1", "0"},
		{"सोनभद्र", "1", "0", "0", "0", "1", "0", "0", "1", "0", "0", "0"},
		{"कुल", "4", "0", "0", "0", "4", "0", "0", "1", "1", "2", "0"},
		nil,
		{"निकाय: 3 को बुलाया, 0 से कोई आएगा, 0 से कोई आया"},
	}
	if !reflect.DeepEqual(sum, want) {
		t.Errorf("summary by district:\n%q\nwant\n%q", sum, want)
	}
	rows2, _ := x.GetRows("प्रशिक्षण")
	if len(rows2) != 5 || rows2[1][2] == "" || !strings.Contains(strings.Join(rows2[0], ","), "पद,मंडल,जनपद,विकासखंड,निकाय,वार्ड,जवाब,पहुँच,न आने का कारण") {
		t.Fatalf("export rows %q", rows2)
	}
	reach := map[string]string{}
	for _, r := range rows2[1:] {
		reach[r[0]] = r[9]
	}
	if want := map[string]string{"अरुण मिश्र": "Telegram", "रीना वर्मा": "WhatsApp", "गीता देवी": "अभी नहीं", "मोहन लाल": "अभी नहीं"}; !reflect.DeepEqual(reach, want) {
		t.Errorf("the export's reach column %v, want %v", reach, want)
	}
}
