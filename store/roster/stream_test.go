package roster

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestStreamFileReadsAsParseFile: read in small batches, a file gives the
// people and bad rows ParseFile gives — a person of several bodies joined
// from rows far apart, a repeated phone refused, whatever the phone's form
// — and no batch is larger than asked.
func TestStreamFileReadsAsParseFile(t *testing.T) {
	rows, _ := generated()
	r := rand.New(rand.NewPCG(14, 1))
	forms := []func(string) string{
		func(d string) string { return d },
		func(d string) string { return "+91 " + d[:5] + " " + d[5:] },
		func(d string) string { return "0" + d },
		asciiToDevanagari,
	}
	for i := range 200 { // officers of one to three bodies, rows shuffled in
		digits := fmt.Sprint(9100000000 + i)
		name := fmt.Sprintf("अधिकारी %d", i)
		for b := range 1 + i%3 {
			rows = append(rows, []string{name, forms[r.IntN(len(forms))](digits), "अधिशासी अधिकारी", "मिर्जापुर", "सोनभद्र", "",
				fmt.Sprintf("नगर पंचायत %d", (i+b)%7), "", "", "", "hi"})
		}
		if i%17 == 0 { // the same phone for someone else: refused
			rows = append(rows, []string{"कोई और", digits, "sabhasad", "", "सोनभद्र", "", "नगर पंचायत 1", "3", "", "", "hi"})
		}
	}
	body := rows[1:]
	r.Shuffle(len(body), func(i, j int) { body[i], body[j] = body[j], body[i] })
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"roster.csv", writeCSV(t, rows)},
		{"roster.xlsx", writeXLSX(t, rows)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.name)
			if err := os.WriteFile(path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			want, wantBad, err := ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var got []Person
			batches := 0
			gotBad, err := Limits{}.StreamFile(path, 7, func(people []Person, total int) error {
				if len(people) > 7 || total < len(want) {
					t.Errorf("a batch of %d, total %d", len(people), total)
				}
				batches++
				got = append(got, people...)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			byPhone := func(a, b Person) int { return strings.Compare(a.Phone, b.Phone) }
			slices.SortFunc(want, byPhone)
			slices.SortFunc(got, byPhone)
			for i := range got {
				slices.SortFunc(got[i].Also, func(a, b Place) int { return strings.Compare(a.Body, b.Body) })
			}
			for i := range want {
				slices.SortFunc(want[i].Also, func(a, b Place) int { return strings.Compare(a.Body, b.Body) })
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("streamed %d people, parsed %d; differ", len(got), len(want))
			}
			if !reflect.DeepEqual(gotBad, wantBad) {
				t.Errorf("bad rows streamed:\n%v\nparsed:\n%v", gotBad, wantBad)
			}
			if batches < len(want)/7 {
				t.Errorf("%d batches for %d people", batches, len(want))
			}
			if n := len(want); n < 240 {
				t.Errorf("only %d people: the file is not what the test means", n)
			}
		})
	}
}
