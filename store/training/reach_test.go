package training

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/identity"
	"github.com/saathi-bot/saathi/store/roster"
)

// ByPlaceReach counts each place's invitees on Telegram, on WhatsApp (one
// on both in each) and on neither; ByPlace counts no reach.
func TestByPlaceReach(t *testing.T) {
	tr := Training{Days: []Day{{}}}
	rows := []Row{{Phone: "a"}, {Phone: "b"}, {Phone: "c"}, {Phone: "d"}, {Phone: "e"}}
	people := map[string]roster.Person{
		"a": {Division: "मिर्जापुर"}, "b": {Division: "मिर्जापुर"}, "c": {Division: "लखनऊ"}, "d": {Division: "लखनऊ"},
		// e is not on the roster
	}
	chans := map[string][]string{"a": {"telegram", "whatsapp"}, "b": {"whatsapp"}, "e": {"telegram"}}
	var got []identity.Reach
	for _, pc := range ByPlaceReach(tr, rows, people, chans, roster.LevelDivision) {
		got = append(got, pc.Reach)
	}
	want := []identity.Reach{{Telegram: 1, WhatsApp: 2}, {None: 2}, {Telegram: 1}} // मिर्जापुर, लखनऊ, no place
	if !reflect.DeepEqual(got, want) {
		t.Errorf("reach by division %+v, want %+v", got, want)
	}
	for _, pc := range ByPlace(tr, rows, people, roster.LevelDivision) {
		if pc.Reach != (identity.Reach{}) {
			t.Errorf("ByPlace counted reach %+v at %q", pc.Reach, pc.Place)
		}
	}
}

// An export with channels looks them up a page at a time, never all the
// invitees at once, and says each one's reach after the answer; the
// summary has the counts by place. In English too.
func TestExportReachPaged(t *testing.T) {
	const n = 2*exportPage + 5
	tr := Training{ID: "t1", Title: "x", Days: []Day{{Start: time.Date(2026, 12, 5, 10, 0, 0, 0, locales.IST)}}}
	rows := make([]Row, n)
	people := map[string]roster.Person{}
	for i := range rows {
		ph := fmt.Sprintf("+9190000%05d", i)
		rows[i] = Row{Phone: ph, Status: StatusInvited}
		people[ph] = roster.Person{Name: fmt.Sprint(i), Phone: ph, Division: []string{"लखनऊ", "मिर्जापुर"}[i%2]}
	}
	channelsOf := func(i int) []string {
		return [][]string{{"telegram"}, {"whatsapp"}, nil, {"whatsapp", "telegram"}}[i%4]
	}
	for _, lang := range []string{"hi", "en"} {
		var pages []int
		o := ExportOptions{Now: tr.Days[0].Start, Channels: func(_ context.Context, phones []string) (map[string][]string, error) {
			pages = append(pages, len(phones))
			out := map[string][]string{}
			for _, ph := range phones {
				var i int
				fmt.Sscanf(ph[7:], "%d", &i)
				if cs := channelsOf(i); cs != nil {
					out[ph] = cs
				}
			}
			return out, nil
		}}
		var buf bytes.Buffer
		if err := o.ExportPaged(context.Background(), &buf, "xlsx", lang, tr, rows, func(_ context.Context, phones []string) (map[string]roster.Person, error) {
			out := map[string]roster.Person{}
			for _, ph := range phones {
				out[ph] = people[ph]
			}
			return out, nil
		}); err != nil {
			t.Fatal(err)
		}
		if want := []int{exportPage, exportPage, 5}; !reflect.DeepEqual(pages, want) {
			t.Errorf("%s: channels looked up in pages of %v, want %v", lang, pages, want)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		sheets := f.GetSheetList()
		got, err := f.GetRows(sheets[0])
		if err != nil {
			t.Fatal(err)
		}
		tx := exportTexts[lang]
		if got[0][colRSVP] != tx.rsvp || got[0][colRSVP+1] != tx.reach || got[0][colRSVP+2] != tx.reason {
			t.Errorf("%s header %q: want the reach column between the answer and the reason", lang, got[0])
		}
		for i, want := range []string{"Telegram", "WhatsApp", tx.notYet, "Telegram, WhatsApp", "Telegram"} {
			if c := got[1+i][colRSVP+1]; c != want {
				t.Errorf("%s row %d reach %q, want %q", lang, i+1, c, want)
			}
		}
		sum, err := f.GetRows(sheets[1])
		if err != nil {
			t.Fatal(err)
		}
		for len(sum) > 0 && (len(sum[0]) == 0 || sum[0][0] != tx.division) {
			sum = sum[1:]
		}
		// even rows are लखनऊ (channels of 0 and 2: Telegram, none), odd
		// मिर्जापुर (1 and 3: WhatsApp, both); 2005 rows: 1003 even, 1002 odd.
		want := [][]string{
			{tx.onTelegram, tx.onWhatsApp, tx.onNone},
			{"501", "1002", "0"},    // मिर्जापुर: i%4 == 1 (501), 3 (501)
			{"502", "0", "501"},     // लखनऊ: i%4 == 0 (502 of them), 2 (501)
			{"1003", "1002", "501"}, // the total
		}
		for i, w := range want {
			if len(sum) <= i || len(sum[i]) < 11 || !reflect.DeepEqual(sum[i][8:11], w) {
				t.Errorf("%s summary row %d %q, want reach %q", lang, i+1, sum[min(i, len(sum)-1)], w)
			}
		}
		f.Close()
	}
	// Without channels there is no reach column.
	var buf bytes.Buffer
	if err := (ExportOptions{Now: tr.Days[0].Start}).Export(&buf, "csv", "hi", tr, rows[:1], people); err != nil {
		t.Fatal(err)
	}
	head, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).Read()
	if err != nil || head[colRSVP+1] != exportTexts["hi"].reason {
		t.Errorf("head without channels %q (%v)", head, err)
	}
}
