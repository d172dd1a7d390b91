package roster

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/store/roster/rostertest"
)

// A list of phones is read from its column, found by its header (in
// Hindi or English, under a title) or as the only column of numbers;
// numbers are normalised; repeats, non-numbers and blanks are lines of
// their own, and nothing stops the good rows.
func TestPhones(t *testing.T) {
	for _, tc := range []struct {
		name, file, data string
	}{
		{"header in Hindi under a title", "सूची.csv",
			"मोबाइल नंबरों की सूची\nक्रम,नाम,मोबाइल नंबर (व्हाट्सएप),वार्ड नंबर\n1,सरिता,०९०१८१५९०८३,3\n2,राजेश,+91 91318 60913,4\n3,कोई,12345,5\n4,बिना नंबर,,6\n5,सरिता फिर,9018159083,3\n"},
		{"header नंबर", "list.csv", "नाम,नंबर\nसरिता,09018159083\nराजेश,+91 91318 60913\nकोई,12345\nबिना नंबर,\nसरिता फिर,9018159083\n"},
		{"the only column of numbers", "list.csv", "सरिता,अनपरा,09018159083\nराजेश,अनपरा,+91 91318 60913\nकोई,अनपरा,12345\nबिना नंबर,अनपरा,\nसरिता फिर,अनपरा,9018159083\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Limits{}.Phones(strings.NewReader(tc.data), tc.file)
			if err != nil {
				t.Fatal(err)
			}
			first := got[0].Line
			want := []PhoneLine{
				{Line: first, Cell: "09018159083", Phone: "+919018159083"},
				{Line: first + 1, Cell: "+91 91318 60913", Phone: "+919131860913"},
				{Line: first + 2, Cell: "12345"},
				{Line: first + 3},
				{Line: first + 4, Cell: "9018159083", Phone: "+919018159083", First: first},
			}
			if tc.name == "header in Hindi under a title" {
				want[0].Cell = "०९०१८१५९०८३"
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}

	// An Excel sheet: a number typed as a number, the header on line 1.
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"Name", "Mobile"})
	x.SetSheetRow("Sheet1", "A2", &[]any{"Sarita", 9018159083})
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := Limits{}.Phones(bytes.NewReader(buf.Bytes()), "list.xlsx")
	if err != nil || len(got) != 1 || got[0].Line != 2 || got[0].Phone != "+919018159083" {
		t.Errorf("xlsx: %+v %v", got, err)
	}

	// Sheets that are no list of phones.
	var nc *NoPhoneColumnError
	if _, err := (Limits{}).Phones(strings.NewReader("नाम,गाँव\nसरिता,अनपरा\n"), "a.csv"); !errors.As(err, &nc) || nc.Columns != 0 {
		t.Errorf("no phone column: %v", err)
	}
	if _, err := (Limits{}).Phones(strings.NewReader("9018159083,9131860913\n"), "a.csv"); !errors.As(err, &nc) || nc.Columns != 2 {
		t.Errorf("two columns of numbers, no header: %v", err)
	}
	if _, err := (Limits{}).Phones(strings.NewReader("\n ,\n"), "a.csv"); !errors.Is(err, ErrEmptyFile) {
		t.Errorf("an empty file: %v", err)
	}
	var le *LimitError
	if _, err := (Limits{MaxRows: 3}).Phones(strings.NewReader("मोबाइल\n9018159083\n9131860913\n9082462819\n"), "a.csv"); !errors.As(err, &le) || le.Kind != LimitRows {
		t.Errorf("over the rows: %v", err)
	}
	bomb, _ := rostertest.ZipBomb(t)
	if _, err := (Limits{}).Phones(bytes.NewReader(bomb), "list.xlsx"); !errors.As(err, &le) || le.Kind != LimitBytes {
		t.Errorf("a zip bomb: %v", err)
	}
}
