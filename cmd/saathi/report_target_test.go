package main

import (
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/store/storetest"
)

// TestReportTargetCommand: saathi report target sets a target on a period
// opened, in Hindi words too, says it back in Hindi, and refuses an
// unknown indicator, a goal it cannot read and a period not opened.
func TestReportTargetCommand(t *testing.T) {
	vars := map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}
	storetest.Redis(t, storetest.DBCommand, nil)
	if out, err := runCmd(t, vars, "", "import", "../../store/roster/roster-sample.csv"); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if out, err := runCmd(t, vars, "", "report", "open", "--period", "2026-12", "--due", "2026-12-05", "--scope", "district=कानपुर देहात"); err != nil {
		t.Fatalf("report open: %v\n%s", err, out)
	}
	out, err := runCmd(t, vars, "", "report", "target", "--period", "2026-12", "--set", "खाते=सदस्य", "--by", "2026-12-08", "--scope", "block=मैथा")
	if err != nil || !strings.HasPrefix(out, "2026-12\tblock=मैथा\tलक्ष्य: मंगलवार, 8 दिसंबर तक सभी सदस्यों के बैंक खाते खुल जाएँ।\n") {
		t.Fatalf("report target: %v\n%q", err, out)
	}
	// No group has reported: all four of मैथा are behind, in report status.
	out, err = runCmd(t, vars, "", "report", "status", "--period", "2026-12", "--scope", "district=कानपुर देहात")
	if err != nil || !strings.Contains(out, "🎯 लक्ष्य से पीछे (4 समूह) — लक्ष्य: मंगलवार, 8 दिसंबर तक सभी सदस्यों के बैंक खाते खुल जाएँ।\n• उन्नति स्वयं सहायता समूह (मैथा-1/1): रिपोर्ट नहीं आई") {
		t.Fatalf("report status: %v\n%s", err, out)
	}
	for _, tc := range []struct{ set, period, want, lang string }{
		{"पेड़=5", "2026-12", "want an indicator", "en"},
		{"meetings=members", "2026-12", "only accounts or loans", "en"},
		{"meetings=0", "2026-12", "1 or more", "en"},
		{"meetings=0", "2026-12", `--set "meetings=0" समझ नहीं आया। सूचक=लक्ष्य लिखें`, "hi"},
		{"accounts=members", "2027-01", "2027-01 की रिपोर्ट अभी खुली नहीं है। पहले चलाएँ: saathi report open --period 2027-01", "hi"},
	} {
		if _, err := runCmd(t, vars, "", "report", "target", "--period", tc.period, "--set", tc.set, "--by", "2026-12-08", "--lang", tc.lang); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("--set %s --period %s: %v, want %q", tc.set, tc.period, err, tc.want)
		}
	}
}
