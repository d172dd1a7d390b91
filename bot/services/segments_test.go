package services_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// The attended segment is those checked in on any day (a coordinator's
// "absent" taking one out); "declined" and "not_sure" name the segments
// of those answers on the CLI.
func TestAttendedSegment(t *testing.T) {
	f := setup(t)
	tr := f.training(t, training.Spec{Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2026-12-10T10:00", Days: 2, Invite: "role=sabhasad,body=" + anpara, CreatedBy: eo})
	if _, err := f.svc.Trainings.CheckIn(f.ctx, tr.ID, sarita, 0, training.MethodCode, ist("2026-12-10 10:05")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Trainings.CheckIn(f.ctx, tr.ID, rajesh, 1, training.MethodCode, ist("2026-12-11 10:05")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Trainings.CheckIn(f.ctx, tr.ID, sarita, 1, training.MethodCode, ist("2026-12-11 10:06")); err != nil {
		t.Fatal(err)
	}
	a, err := services.ParseAudience(nil, "training="+tr.ID+",segment=attended")
	if err != nil {
		t.Fatal(err)
	}
	phones, _, firsts, err := f.svc.AudiencePreview(f.ctx, roster.Scope{Level: roster.LevelAll}, a, 5)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range firsts {
		got = append(got, p.Phone)
	}
	slices.Sort(got)
	want := []string{sarita, rajesh}
	slices.Sort(want)
	if n := len(phones); n != 2 || !slices.Equal(got, want) {
		t.Errorf("attended: %d %q, want %q (each once, from either day)", n, got, want)
	}
	for to, seg := range map[string]string{"declined": training.StatusNo, "not_sure": training.StatusMaybe, "present": "attended"} {
		a, err := services.ParseAudience(nil, "training="+tr.ID+",segment="+to)
		if err != nil || a.Segment != seg {
			t.Errorf("segment=%s: %+v %v, want segment %s", to, a, err, seg)
		}
	}
}

// A list read in English reports its rows in English; the phones it
// hands on are only the caller's area's, and a list forged into the
// conversation reaches nobody outside it either.
func TestListOfPhonesKeepsToTheArea(t *testing.T) {
	f := setup(t)
	f.link(t, tg("2003"), eo)
	f.svc.Files = map[string]services.Downloader{"telegram": files{"list": "mobile\n" + sarita + "\n" + hari + "\n12345\n"}}
	call := func(name string, args map[string]string) flows.CallResult {
		t.Helper()
		f.msg++
		res, err := f.svc.Call(f.ctx, name, flows.Call{Channel: "telegram", User: "2003", MsgID: fmt.Sprint("list", f.msg), Lang: "en",
			Now: ist("2026-12-01 10:00"), Args: args})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := call("audience.read_list", map[string]string{"file_id": "list", "file_name": "list.csv"})
	if res.Status != services.OK || res.Fields["list_phones"] != sarita {
		t.Fatalf("read_list: %+v", res)
	}
	for _, want := range []string{"1 person of the list found: सरिता राजभर.", "line 3: " + hari + " is the number of someone outside your area", "line 4: “12345” is not a mobile number"} {
		if !strings.Contains(res.Fields["report"], want) {
			t.Errorf("report lacks %q:\n%s", want, res.Fields["report"])
		}
	}
	if res := call("broadcast.preview", map[string]string{"target": "list", "phones": hari + "|" + manoj}); res.Status != services.None {
		t.Errorf("a forged list outside the area: %+v", res)
	}
	if res := call("broadcast.preview", map[string]string{"target": "list", "phones": sarita + "|" + hari}); res.Status != services.OK || res.Fields["count"] != "1" {
		t.Errorf("a list half outside the area: %+v", res)
	}
}

// In chat, प्रसारण offers every segment: "not sure", "declined" and
// "attended" reach exactly those, and the preview counts them.
func TestChatBroadcastSegments(t *testing.T) {
	f := setup(t)
	now := ist("2026-12-10 12:00")
	f.link(t, tg("2003"), eo)
	tr := f.training(t, training.Spec{Title: "AMRUT 2.0", Venue: "अनपरा", Start: "2026-12-10T10:00", Invite: "role=sabhasad,body=" + anpara, CreatedBy: eo})
	for phone, st := range map[string]string{sarita: training.StatusMaybe, rajesh: training.StatusNo, anita: training.StatusNo, laxmi: training.StatusYes} {
		if _, err := f.svc.Trainings.Answer(f.ctx, tr.ID, phone, st, "", ist("2026-12-05 10:00")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.Trainings.CheckIn(f.ctx, tr.ID, laxmi, 0, training.MethodCode, now); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		option, label string
		want          []string
	}{
		{"5", "पक्का नहीं", []string{sarita}},
		{"जिन्होंने मना किया", "मना किया", []string{anita, rajesh}},
		{"7", "प्रशिक्षण में आए", []string{laxmi}},
	} {
		before := len(f.published(t, "broadcast"))
		bc := f.stepper(t, tg("2003"))
		menu := bc.say("/broadcast", now)
		if !slices.ContainsFunc(menu[len(menu)-1].Options, func(o flows.Option) bool { return strings.Contains(o.Label, tc.label) }) {
			t.Fatalf("no option %q in %+v", tc.label, menu[len(menu)-1].Options)
		}
		bc.say(tc.option, now)
		bc.say("कल फिर मिलेंगे", now)
		preview := strings.Join(replyTexts(bc.say("नहीं", now)), "\n")
		if !strings.Contains(preview, fmt.Sprintf("%d लोगों को जाएगा", len(tc.want))) {
			t.Errorf("%s: preview %q", tc.label, preview)
		}
		bc.say("हाँ", now)
		var got []string
		for _, ev := range f.published(t, "broadcast")[before:] {
			got = append(got, ev.Phone)
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: the copies went to %q, want %q", tc.label, got, tc.want)
		}
	}
}
