package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
	"github.com/saathi-bot/saathi/store/training"
)

// TestTrainingAttendCorrectsADayOver: saathi training attend marks an
// invitee present on a day already over, says so in Hindi, changes
// nothing the second time, refuses someone not invited, and the export
// shows the entry as the coordinator's.
func TestTrainingAttendCorrectsADayOver(t *testing.T) {
	vars := map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	if out, err := runCmd(t, vars, "", "import", "../../store/roster/roster-sample.csv"); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	out, err := runCmd(t, vars, "", "training", "add", "--title", "AMRUT 2.0 प्रशिक्षण", "--venue", "अनपरा",
		"--start", "2026-11-20T10:00", "--days", "2", "--invite", "role=sabhasad,body=नगर पंचायत अनपरा")
	if err != nil {
		t.Fatalf("training add: %v\n%s", err, out)
	}
	id, _, _ := strings.Cut(out, "\t")
	out, err = runCmd(t, vars, "", "training", "attend", id, "--day", "2", "--phone", "90181 59083", "--by", "विनोद गुप्ता")
	if err != nil || !strings.HasPrefix(out, id+"\tAMRUT 2.0 प्रशिक्षण\tदिन 2\t+919018159083 की हाज़िरी लगा दी\n") {
		t.Fatalf("training attend: %v\n%q", err, out)
	}
	out, err = runCmd(t, vars, "", "training", "attend", "--lang", "en", id, "--day", "2", "--phone", "9018159083")
	if err != nil || !strings.Contains(out, "was already present; nothing changed\n") {
		t.Fatalf("training attend again: %v\n%q", err, out)
	}
	// Mistakes, said in Hindi (and in English with --lang en).
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{id, "--day", "1", "--phone", "9703423667"}, "+919703423667 को «AMRUT 2.0 प्रशिक्षण» (" + id + ") में बुलाया नहीं गया है"},
		{[]string{id, "--day", "3", "--phone", "9018159083"}, "प्रशिक्षण " + id + " 2 दिन का है, उसमें दिन 3 नहीं है"},
		{[]string{id, "--day", "3", "--phone", "9018159083", "--lang", "en"}, "--day 3: training " + id + " has 2 day(s)"},
		{[]string{"t0000000", "--day", "1", "--phone", "9018159083"}, `"t0000000" नाम का कोई प्रशिक्षण नहीं है`},
		{[]string{id, "--day", "1", "--phone", "12345"}, `--phone "12345" मोबाइल नंबर नहीं है`},
	} {
		if _, err := runCmd(t, vars, "", append([]string{"training", "attend"}, tc.args...)...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("training attend %q: %v, want %q", tc.args, err, tc.want)
		}
	}
	// Her experience, a voice note kept as a file: the export writes it beside itself.
	ref, err := store.NewFiles(rdb).Keep(context.Background(), []byte("OggS सरिता का अनुभव"))
	if err != nil {
		t.Fatal(err)
	}
	if err := training.New(rdb).SaveFeedback(context.Background(), id, "+919018159083", training.Feedback{Rating: 5, Experience: "बजट बनाना सीखा",
		ExperienceFile: ref, ExperienceFileName: "voice.ogg", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "x.csv")
	if out, err := runCmd(t, vars, "", "export", "--training", id, "-o", file); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	data, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(data), ",,,\"समन्वयक ने लगाई: विनोद गुप्ता, 2026-") {
		t.Fatalf("export: %v\n%s", err, data)
	}
	rel := "x-files/919018159083-" + strings.TrimPrefix(ref, "sha256:")[:12] + ".ogg"
	if !strings.Contains(string(data), ",बजट बनाना सीखा,"+rel) {
		t.Fatalf("export has no experience and its file %s:\n%s", rel, data)
	}
	if voice, err := os.ReadFile(filepath.Join(filepath.Dir(file), rel)); err != nil || string(voice) != "OggS सरिता का अनुभव" {
		t.Fatalf("the voice note beside the export: %q, %v", voice, err)
	}
}
