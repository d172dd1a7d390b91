package services_test

import (
	"strings"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/store/roster"
)

// TestRecordNoticeInTheCoordinatorsLanguage: a new problem reported in
// Hindi reaches an English-reading division coordinator with its kind in
// English, and a Hindi-reading one with it in Hindi.
func TestRecordNoticeInTheCoordinatorsLanguage(t *testing.T) {
	f := setup(t)
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	const en, hi = "+919000000401", "+919000000402"
	for _, p := range []roster.Person{
		{Name: "Rahul Mishra", Phone: en, Role: roster.RoleCoordinator, Division: "मिर्जापुर", Language: "en"},
		{Name: "राहुल मिश्रा", Phone: hi, Role: roster.RoleCoordinator, Division: "मिर्जापुर", Language: "hi"},
	} {
		if err := f.svc.Roster.Put(f.ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	res := f.call(t, tg("502"), "record.notify", now, map[string]string{
		"kind": "jjm_problem", "number": "3", "place": sonbhdr, "place_level": "district", "to": "division",
		"name": "सुमन देवी", "district": sonbhdr, "details": "चोपन में पानी गंदा आता है",
		"kind_label": "पानी की गुणवत्ता", "kind_label_msg": "jjm.kind_quality",
	})
	if res.Status != "ok" || res.Fields["told"] != "2" {
		t.Fatalf("record.notify: %s %q, want ok, told 2", res.Status, res.Fields)
	}
	want := map[string]string{en: f.cat.Text("en", "jjm.kind_quality", nil), hi: f.cat.Text("hi", "jjm.kind_quality", nil)}
	if want[en] == want[hi] {
		t.Fatalf("jjm.kind_quality reads %q in both languages", want[en])
	}
	got := map[string]string{}
	for _, ev := range f.published(t, "notice") {
		got[ev.Phone] = ev.Vars["text"]
	}
	for phone, label := range want {
		if !strings.Contains(got[phone], label) {
			t.Errorf("notice to %s %q lacks the kind %q", phone, got[phone], label)
		}
	}
	if strings.Contains(got[en], "गुणवत्ता") {
		t.Errorf("notice to the English reader has the Hindi kind: %q", got[en])
	}
}
