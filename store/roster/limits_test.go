package roster

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/store/roster/rostertest"
)

// allocated runs f and returns the bytes it allocated.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func wantLimit(t *testing.T, err error, kind string, limit int64) *LimitError {
	t.Helper()
	var le *LimitError
	if !errors.As(err, &le) || le.Kind != kind || le.Limit != limit {
		t.Fatalf("error %v, want a %s limit of %d", err, kind, limit)
	}
	return le
}

// TestZipBombIsRefusedBeforeItIsUnpacked: a workbook of a few MB that
// unpacks to 900 MB is refused from its directory, in well under a second
// and without allocating what it would unpack to — from bytes in memory
// (the chat), from a plain stream, and from a file (the command line).
func TestZipBombIsRefusedBeforeItIsUnpacked(t *testing.T) {
	data, size := rostertest.ZipBomb(t)
	t.Logf("bomb: %d bytes packed, %d MB unpacked", len(data), size>>20)
	path := filepath.Join(t.TempDir(), "bomb.xlsx")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		parse func() error
	}{
		{"bytes", func() error { _, _, err := Parse(bytes.NewReader(data), "सूची.xlsx"); return err }},
		{"stream", func() error { _, _, err := Parse(io.MultiReader(bytes.NewReader(data)), "roster.csv"); return err }},
		{"file", func() error { _, _, err := ParseFile(path); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			start := time.Now()
			alloc := allocated(func() { err = tc.parse() })
			took := time.Since(start)
			le := wantLimit(t, err, LimitBytes, DefaultMaxBytes)
			if !strings.Contains(le.Hindi(), "50 MB") || !strings.Contains(err.Error(), "50 MB") {
				t.Errorf("the refusal does not name the limit: %q / %q", err, le.Hindi())
			}
			if alloc > 100<<20 {
				t.Errorf("refusing the bomb allocated %d MB", alloc>>20)
			}
			if took > time.Second { // the acceptance's bound; it takes about a millisecond
				t.Errorf("refusing the bomb took %v", took)
			}
		})
	}
}

// TestLyingZipHeaderReadsNoMoreThanItClaims: a sheet whose header claims
// 64 KB but that unpacks to 300 MB passes the directory check; reading it
// stops at the claimed size, so it fails as a broken file without
// unpacking the rest.
func TestLyingZipHeaderReadsNoMoreThanItClaims(t *testing.T) {
	sheet, _, crc := rostertest.Sheet(t, 300)
	data := rostertest.Workbook(t, sheet, 64<<10, crc)
	var err error
	alloc := allocated(func() { _, _, err = Parse(bytes.NewReader(data), "roster.xlsx") })
	if err == nil || !strings.Contains(err.Error(), "sheet1.xml is damaged") {
		t.Fatalf("a sheet larger than its header says: %v, want it refused as damaged", err)
	}
	if alloc > 100<<20 {
		t.Errorf("reading a lying sheet allocated %d MB", alloc>>20)
	}
}

// TestPackedTooTightlyIsRefused: a part within the size limit that
// unpacks to hundreds of times its packed size is not a real sheet.
func TestPackedTooTightlyIsRefused(t *testing.T) {
	sheet, size, crc := rostertest.Sheet(t, 4) // 4 MB of one repeated row, packed to a few KB
	_, _, err := Parse(bytes.NewReader(rostertest.Workbook(t, sheet, size, crc)), "roster.xlsx")
	le := wantLimit(t, err, LimitRatio, maxRatio)
	if !strings.Contains(le.Hindi(), fmt.Sprint(maxRatio)) {
		t.Errorf("Hindi refusal %q does not name the limit", le.Hindi())
	}
}

func BenchmarkRefuseZipBomb(b *testing.B) {
	data, _ := rostertest.ZipBomb(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := Parse(bytes.NewReader(data), "bomb.xlsx"); err == nil {
			b.Fatal("the bomb was read")
		}
	}
}

func TestTooManyRowsAreRefusedNamingTheLimit(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("name,phone,role\n")
	for i := range 150 {
		fmt.Fprintf(&csv, "व्यक्ति %d,90181%05d,sabhasad\n", i, i)
	}
	lim := Limits{MaxRows: 100}
	_, _, err := lim.Parse(strings.NewReader(csv.String()), "roster.csv")
	le := wantLimit(t, err, LimitRows, 100)
	if !strings.Contains(err.Error(), "more than 100 rows") || !strings.Contains(le.Hindi(), "100 से ज़्यादा पंक्तियाँ") {
		t.Errorf("refusal: %v / %s", err, le.Hindi())
	}

	// Within the limit, the file is read; blank lines do not count.
	people, bad, err := Limits{MaxRows: 151}.Parse(strings.NewReader(csv.String()+"\n\n\n"), "roster.csv")
	if err != nil || len(people) != 150 || len(bad) != 0 {
		t.Fatalf("at the limit: %d people, %v, %v", len(people), bad, err)
	}

	// A workbook too.
	f := excelize.NewFile()
	for i := 1; i <= 20; i++ {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i), &[]any{"नाम", "मोबाइल", "पद"}); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	_, _, err = Limits{MaxRows: 10}.Parse(bytes.NewReader(buf.Bytes()), "roster.xlsx")
	wantLimit(t, err, LimitRows, 10)
}

func TestTooLargeCSVIsRefusedNamingTheLimit(t *testing.T) {
	big := "name,phone,role\n" + strings.Repeat("सरिता राजभर,9018159083,sabhasad\n", 2000) // about 80 KB
	for _, r := range []io.Reader{strings.NewReader(big), io.MultiReader(strings.NewReader(big))} {
		_, _, err := Limits{MaxBytes: 64 << 10}.Parse(r, "roster.csv")
		le := wantLimit(t, err, LimitBytes, 64<<10)
		if !strings.Contains(le.Hindi(), "64 KB") {
			t.Errorf("Hindi refusal %q does not name the limit", le.Hindi())
		}
	}
	// The same file as UTF-16 ("Unicode text") is held to the limit as well.
	u16 := []byte{0xFF, 0xFE}
	for _, r := range big {
		u16 = append(u16, byte(r), byte(r>>8))
	}
	_, _, err := Limits{MaxBytes: 64 << 10}.Parse(io.MultiReader(bytes.NewReader(u16)), "roster.txt")
	wantLimit(t, err, LimitBytes, 64<<10)
}

// TestBadRowsStillImportTheGoodOnesWithTheirLines: streaming keeps what
// Parse did before — good rows in, bad rows reported by their line.
func TestBadRowsStillImportTheGoodOnesWithTheirLines(t *testing.T) {
	file := "सूची: अनपरा\n\nname,phone,role\nक,9018159083,sabhasad\nख,123,sabhasad\n\n\"ग \"x\",9131860913,sabhasad\nघ,9082462819,sabhasad\n"
	people, bad, err := Limits{MaxRows: 10}.Parse(strings.NewReader(file), "roster.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != 2 || people[0].Phone != "+919018159083" || people[1].Phone != "+919082462819" {
		t.Errorf("people %+v", people)
	}
	if len(bad) != 2 || bad[0].Line != 5 || bad[1].Line != 7 {
		t.Errorf("bad rows %+v, want lines 5 and 7", bad)
	}
}

// TestCellsAreCleaned: an imported cell, the header's too, loses what a
// typed answer loses.
func TestCellsAreCleaned(t *testing.T) {
	file := "na\u200Bme,\u202Ephone,role\x00,district\n\u200B,\u00A0,\uFEFF,\n\u202Eसरिता\x00 \x1b[31mराजभर\u200B,9018159083,sabhasad,\u2066सोनभद्र\u2069\n"
	people, bad, err := ParseCSV(strings.NewReader(file))
	if err != nil || len(bad) != 0 || len(people) != 1 {
		t.Fatalf("%+v %v %v", people, bad, err)
	}
	if p := people[0]; p.Name != "सरिता राजभर" || p.District != "सोनभद्र" {
		t.Errorf("cleaned to %+q, %+q", p.Name, p.District)
	}
}
