package roster

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrEmptyFile is a sheet with nothing in it.
var ErrEmptyFile = errors.New("the file is empty")

// PhoneLine is one row of a list of mobile numbers: its line as the sender
// sees it (Excel's row number, the CSV file's line), the cell of the
// phone column as written, and the number in E.164 — "" when the cell is
// not a mobile number. First is the line the same number was on before (0:
// none), Unread a row the CSV reader could not read.
type PhoneLine struct {
	Line   int
	Cell   string
	Phone  string
	First  int
	Unread bool
}

// NoPhoneColumnError is a sheet in which no column is named as mobile
// numbers (मोबाइल, फ़ोन, mobile, phone, नंबर …) and not exactly one column
// holds them: Columns is how many do (0 or more than 1).
type NoPhoneColumnError struct{ Columns int }

func (e *NoPhoneColumnError) Error() string {
	if e.Columns > 1 {
		return fmt.Sprintf("%d columns hold mobile numbers and none is headed mobile/मोबाइल: name the one to use", e.Columns)
	}
	return "no column of mobile numbers: head it mobile/मोबाइल, or send a sheet with one"
}

// phoneHeaders are more names of a phone column than a roster's header
// takes (there "नंबर" alone could be any number; in a list of phones it
// is the phone), keyed by headerKey.
var phoneHeaders = foldedKeys(headerKey, map[string]string{
	"नंबर": colPhone, "नम्बर": colPhone, "number": colPhone, "mob": colPhone, "mob no": colPhone,
	"मोबाइल नम्बर": colPhone, "फ़ोन नंबर": colPhone, "फोन नम्बर": colPhone, "contact": colPhone, "contact no": colPhone,
	"contact number": colPhone, "संपर्क": colPhone, "संपर्क नंबर": colPhone, "संपर्क सूत्र": colPhone,
	"whatsapp": colPhone, "whatsapp no": colPhone, "whatsapp number": colPhone, "व्हाट्सएप": colPhone, "व्हाट्सऐप": colPhone,
	"व्हाट्सएप नंबर": colPhone, "मो": colPhone, "मो नं": colPhone, "cell": colPhone, "cell no": colPhone,
})

// phoneWords are the words a header naming a phone column may contain
// ("मोबाइल नंबर (व्हाट्सएप)"), keyed by headerKey.
var phoneWords = []string{"mobile", "phone", "whatsapp", "मोबाइल", "फोन", "व्हाट्सएप", "व्हाट्सऐप"}

// phoneHeader tells whether a header cell names a column of phones:
// exactly ("मोबाइल", "Phone No."), or by a word it contains ("मोबाइल
// नंबर (व्हाट्सएप)"), which a title may contain too.
func phoneHeader(cell string) (exact, named bool) {
	k := headerKey(clean(cell))
	if k == "" {
		return false, false
	}
	if headerNames[k] == colPhone || phoneHeaders[k] == colPhone {
		return true, true
	}
	for _, w := range phoneWords {
		if strings.Contains(k, headerKey(w)) {
			return false, true
		}
	}
	return false, false
}

// Phones reads the column of mobile numbers of a sheet — an Excel
// workbook's first sheet or a CSV file, read as Table reads them, within
// l's limits — as one PhoneLine a row below its header. The column is the
// one whose header (in the first ten rows) names phones, or else the only
// column in which any cell is a mobile number, from the first row that
// has one. Every number is normalised as the roster's are (+91, a leading
// 0, spaces, Devanagari digits). A row with nothing in that column but
// something elsewhere is a line without a number. Errors: ErrEmptyFile, a
// *NoPhoneColumnError, a *LimitError, or a file that cannot be read.
func (l Limits) Phones(r io.Reader, name string) ([]PhoneLine, error) {
	var rows []TableRow
	err := l.Table(r, name, func(tr TableRow) error {
		rows = append(rows, tr)
		return nil
	})
	if err != nil {
		return nil, err
	}
	col, from := phoneColumn(rows)
	if col < 0 {
		return nil, &NoPhoneColumnError{Columns: from}
	}
	var out []PhoneLine
	first := map[string]int{}
	for _, tr := range rows[from:] {
		if tr.Bad != nil {
			out = append(out, PhoneLine{Line: tr.Line, Unread: true})
			continue
		}
		pl := PhoneLine{Line: tr.Line}
		if col < len(tr.Cells) {
			pl.Cell = tr.Cells[col]
		}
		if p, ok := NormalizePhone(pl.Cell); ok {
			pl.Phone = p
			if line, seen := first[p]; seen {
				pl.First = line
			} else {
				first[p] = tr.Line
			}
		}
		out = append(out, pl)
	}
	return out, nil
}

// phoneColumn finds the phone column of rows and the index of the first
// row of numbers: the first column, in the first ten rows, whose header
// names phones and under which a cell is a mobile number (a title naming
// them has none under it); else the first one headed exactly so; else
// the only column in which a cell is a mobile number. Without one, col
// is -1 and from the number of columns that hold a mobile number.
func phoneColumn(rows []TableRow) (col, from int) {
	head := rows[:min(len(rows), 10)]
	numberUnder := func(i, j int) bool {
		for _, tr := range rows[i+1:] {
			if j < len(tr.Cells) {
				if _, ok := NormalizePhone(tr.Cells[j]); ok {
					return true
				}
			}
		}
		return false
	}
	exactCol, exactFrom := -1, 0
	for i, tr := range head {
		if tr.Bad != nil {
			continue
		}
		for j, c := range tr.Cells {
			exact, named := phoneHeader(c)
			if named && numberUnder(i, j) {
				return j, i + 1
			}
			if exact && exactCol < 0 {
				exactCol, exactFrom = j, i+1
			}
		}
	}
	if exactCol >= 0 {
		return exactCol, exactFrom
	}
	firstRow := map[int]int{} // column -> the first row in which it holds a number
	for i, tr := range rows {
		for j, c := range tr.Cells {
			if _, seen := firstRow[j]; !seen {
				if _, ok := NormalizePhone(c); ok {
					firstRow[j] = i
				}
			}
		}
	}
	if len(firstRow) != 1 {
		return -1, len(firstRow)
	}
	for j, i := range firstRow {
		return j, i
	}
	return -1, 0
}
