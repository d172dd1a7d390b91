package services_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/roster/rostertest"
)

// tooLarge is a channel whose files are all over the size asked for.
type tooLarge struct{}

func (tooLarge) Download(_ context.Context, id string, max int64) ([]byte, error) {
	return nil, fmt.Errorf("download %s: more than %d bytes: %w", id, max, bot.ErrFileTooLarge)
}

// TestRosterFileOverALimitIsRefusedNamingIt: a roster sent in chat that
// is over a limit — the chat's file size, the rows, the unpacked size — is
// refused with a message in the coordinator's language that names the
// limit, and nothing is imported; through the real import flow too.
func TestRosterFileOverALimitIsRefusedNamingIt(t *testing.T) {
	f := setup(t)
	f.link(t, tg("2003"), eo)
	var rows strings.Builder
	rows.WriteString(rosterHeader)
	for i := range 20 {
		fmt.Fprintf(&rows, "व्यक्ति %d,+9198111%05d,sabhasad,मिर्जापुर,सोनभद्र,,%s,9,,,hi\n", i, i, anpara)
	}
	f.svc.Files = map[string]services.Downloader{"telegram": files{"rows": rows.String()}, "big": tooLarge{}}
	before, err := f.svc.Roster.All(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	importAs := func(t *testing.T, channel, file, lang string) flows.CallResult {
		t.Helper()
		f.msg++
		res, err := f.svc.Call(f.ctx, "roster.import_document", flows.Call{Channel: channel, User: "2003", MsgID: fmt.Sprint("imp", f.msg), Lang: lang,
			Now: ist("2026-12-01 10:00"), Args: map[string]string{"file_id": file, "file_name": "सूची.csv"}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	f.link(t, chat{"big", "2003"}, eo)

	for _, tc := range []struct {
		name, channel, lang string
		limits              roster.Limits
		want                string
	}{
		{"rows", "telegram", "hi", roster.Limits{MaxRows: 10}, "इस फ़ाइल में 10 से ज़्यादा पंक्तियाँ हैं"},
		{"rows in English", "telegram", "en", roster.Limits{MaxRows: 10}, "more than 10 rows"},
		{"unpacked size", "telegram", "hi", roster.Limits{MaxBytes: 2 << 10}, "2 KB से बड़ी हो जाती है"},
		{"chat file size", "big", "hi", roster.Limits{}, "यह फ़ाइल 5 MB से बड़ी है"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.svc.ImportLimits = tc.limits
			file := "rows"
			res := importAs(t, tc.channel, file, tc.lang)
			if res.Status != services.TooBig || !strings.Contains(res.Fields["reason"], tc.want) {
				t.Errorf("import: %+v, want %s naming %q", res, services.TooBig, tc.want)
			}
		})
	}
	after, err := f.svc.Roster.All(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("a refused file changed the roster: %d people, then %d", len(before), len(after))
	}

	// The flow a document starts shows the refusal.
	f.svc.ImportLimits = roster.Limits{MaxRows: 10}
	eng := flowstest.Engine(t, nil, nil).WithServices(f.svc)
	res, err := eng.Step(f.ctx, flows.State{}, flows.Input{Channel: "telegram", User: "2003", ID: "doc1", Media: "document",
		File: &flows.File{ID: "rows", Name: "सूची.csv"}}, ist("2026-12-01 10:00"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Replies) != 1 || !strings.Contains(res.Replies[0].Text, "10 से ज़्यादा पंक्तियाँ") {
		t.Errorf("replies %+v", res.Replies)
	}

	// Within the limits, the same file is imported.
	f.svc.ImportLimits = roster.Limits{}
	if res := importAs(t, "telegram", "rows", "hi"); res.Status != services.OK || !strings.Contains(res.Fields["report"], "20 लोग") {
		t.Errorf("import within the limits: %+v", res)
	}
}

// bytesFiles is a Downloader of fixed binary files, by file id.
type bytesFiles map[string][]byte

func (fs bytesFiles) Download(_ context.Context, id string, max int64) ([]byte, error) {
	data, ok := fs[id]
	if !ok || int64(len(data)) > max {
		return nil, fmt.Errorf("no file %q within %d bytes", id, max)
	}
	return data, nil
}

// TestZipBombSentInChatIsRefused: a 3 MB workbook that unpacks to 900 MB,
// sent by a coordinator, is refused naming the 50 MB limit, within the
// acceptance's bounds of a second and 100 MB allocated.
func TestZipBombSentInChatIsRefused(t *testing.T) {
	f := setup(t)
	f.link(t, tg("2003"), eo)
	bomb, _ := rostertest.ZipBomb(t)
	f.svc.Files = map[string]services.Downloader{"telegram": bytesFiles{"bomb": bomb}}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	res, err := f.svc.Call(f.ctx, "roster.import_document", flows.Call{Channel: "telegram", User: "2003", MsgID: "bomb", Lang: "hi",
		Now: ist("2026-12-01 10:00"), Args: map[string]string{"file_id": "bomb", "file_name": "सूची.xlsx"}})
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != services.TooBig || !strings.Contains(res.Fields["reason"], "50 MB") {
		t.Errorf("bomb: %+v", res)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 100<<20 {
		t.Errorf("refusing the bomb allocated %d MB", alloc>>20)
	}
	if took > time.Second { // the acceptance's bound; it takes milliseconds
		t.Errorf("refusing the bomb took %v", took)
	}
}
