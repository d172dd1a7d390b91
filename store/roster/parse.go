package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
	"github.com/xuri/excelize/v2"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// maxFileSize bounds what Parse reads: a roster of a whole state is a few MB.
const maxFileSize = 64 << 20

// RowError is a row that could not be read, with its line number as the
// coordinator sees it in Excel or in the CSV file (the header is line 1).
type RowError struct {
	Line   int
	Reason string // in English
	hindi  string // Reason in Hindi, without the line
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// Hindi is the error in short, plain Hindi, e.g.
// "पंक्ति 7: मोबाइल नंबर 12345 सही नहीं है".
func (e RowError) Hindi() string {
	if e.hindi == "" {
		return fmt.Sprintf("पंक्ति %d पढ़ी नहीं जा सकी", e.Line)
	}
	return fmt.Sprintf("पंक्ति %d: %s", e.Line, e.hindi)
}

// rowProblems gathers what is wrong with one row, in English and Hindi.
type rowProblems struct {
	en, hi []string
}

func (r *rowProblems) add(en, hi string) {
	r.en = append(r.en, en)
	r.hi = append(r.hi, hi)
}

func (r *rowProblems) rowError(line int) RowError {
	return RowError{Line: line, Reason: strings.Join(r.en, "; "), hindi: strings.Join(r.hi, "; ")}
}

// Parse reads a roster file. name chooses the format: an Excel workbook
// (.xlsx or .xlsm; its first sheet — or any file that is a zip archive) or
// CSV (any other name). Old .xls files are refused with a hint. A CSV may be
// UTF-8 (with or without a BOM) or UTF-16 with a BOM ("Unicode text"), and
// separated by commas, semicolons or tabs.
//
// The header row names the columns, in English or Hindi, in any case and
// order; name, phone and role are required, unknown columns are ignored.
// Up to ten rows above it (a title) are skipped, as are blank rows.
//
// Good rows come back as people, phone in E.164, role as its English key,
// language "hi" unless given. Each bad row comes back as a RowError naming
// everything wrong with it; the other rows are still read. A phone number
// that appears twice makes the later row bad. The error is for a file that
// cannot be read at all: not a roster, not text, a broken workbook.
func Parse(r io.Reader, name string) ([]Person, []RowError, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read roster %s: %w", name, err)
	}
	if len(data) > maxFileSize {
		return nil, nil, fmt.Errorf("read roster %s: larger than %d MB", name, maxFileSize>>20)
	}
	var rows []row
	var bad []RowError
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case ext == ".xlsx" || ext == ".xlsm" || bytes.HasPrefix(data, []byte("PK\x03\x04")):
		rows, err = xlsxRows(data)
	case ext == ".xls" || ext == ".ods" || bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		err = errors.New("old Excel (.xls) and OpenDocument files cannot be read: save the sheet as .xlsx or CSV UTF-8")
	default:
		rows, bad, err = csvRows(data)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read roster %s: %w", name, err)
	}
	people, more, err := readRows(rows)
	if err != nil {
		return nil, nil, fmt.Errorf("read roster %s: %w", name, err)
	}
	bad = append(bad, more...)
	slices.SortStableFunc(bad, func(a, b RowError) int { return a.Line - b.Line })
	return people, bad, nil
}

// ParseFile reads the roster file at path, as Parse.
func ParseFile(path string) ([]Person, []RowError, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("open roster: %w", err)
	}
	defer f.Close()
	return Parse(f, filepath.Base(path))
}

// ParseCSV reads a CSV roster, as Parse.
func ParseCSV(r io.Reader) ([]Person, []RowError, error) { return Parse(r, "roster.csv") }

// ParseXLSX reads the first sheet of an Excel workbook, as Parse.
func ParseXLSX(r io.Reader) ([]Person, []RowError, error) { return Parse(r, "roster.xlsx") }

// row is one row of the file with its line (Excel row) number.
type row struct {
	line  int
	cells []string
}

// csvRows splits a CSV file into rows. A row the CSV reader rejects (a
// stray quote) is a RowError; reading goes on with the next one.
func csvRows(data []byte) ([]row, []RowError, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewDecoder()
		utf8Data, err := dec.Bytes(data)
		if err != nil {
			return nil, nil, fmt.Errorf("decode UTF-16: %w", err)
		}
		data = utf8Data
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		return nil, nil, errors.New("the file is not UTF-8 text: in Excel, save it as \"CSV UTF-8\" (or as .xlsx)")
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sniffComma(data)
	cr.FieldsPerRecord = -1
	var rows []row
	var bad []RowError
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, bad, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, nil, err
			}
			bad = append(bad, RowError{
				Line:   pe.StartLine,
				Reason: "cannot read this row: " + pe.Err.Error(),
				hindi:  `यह पंक्ति पढ़ी नहीं जा सकी (उद्धरण चिह्न " की गड़बड़ी)`,
			})
			continue
		}
		line, _ := cr.FieldPos(0)
		rows = append(rows, row{line: line, cells: rec})
	}
}

// sniffComma picks the separator of the first line: comma, semicolon (Excel
// in some locales) or tab (Excel's "Unicode text").
func sniffComma(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	best, n := ',', bytes.Count(first, []byte(","))
	for _, c := range []rune{';', '\t'} {
		if k := bytes.Count(first, []byte(string(c))); k > n {
			best, n = c, k
		}
	}
	return best
}

// xlsxRows reads the first sheet of a workbook, cells as stored (numbers
// unformatted), row i being Excel's row i+1.
func xlsxRows(data []byte) ([]row, error) {
	opts := excelize.Options{RawCellValue: true, UnzipSizeLimit: 1 << 30}
	f, err := excelize.OpenReader(bytes.NewReader(data), opts)
	if err != nil {
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("the workbook has no sheets")
	}
	cells, err := f.GetRows(sheets[0], opts)
	if err != nil {
		return nil, fmt.Errorf("read sheet %q: %w", sheets[0], err)
	}
	rows := make([]row, len(cells))
	for i, c := range cells {
		rows[i] = row{line: i + 1, cells: c}
	}
	return rows, nil
}

// Columns a roster may have: fields of Person.
const (
	colName     = "name"
	colPhone    = "phone"
	colRole     = "role"
	colDivision = "division"
	colDistrict = "district"
	colBlock    = "block"
	colBody     = "body"
	colWard     = "ward"
	colSHG      = "shg"
	colCluster  = "cluster"
	colLanguage = "language"
)

// headerNames maps column names, English and Hindi, keyed by headerKey,
// to columns.
var headerNames = foldedKeys(headerKey, map[string]string{
	"name": colName, "नाम": colName, "full name": colName, "पूरा नाम": colName,
	"phone": colPhone, "mobile": colPhone, "मोबाइल": colPhone, "फोन": colPhone, "फ़ोन": colPhone,
	"phone no": colPhone, "phone number": colPhone, "mobile no": colPhone, "mobile number": colPhone,
	"मोबाइल नंबर": colPhone, "मोबाइल नं": colPhone, "फोन नंबर": colPhone,
	"role": colRole, "पद": colRole, "designation": colRole,
	"division": colDivision, "मंडल": colDivision, "मण्डल": colDivision,
	"district": colDistrict, "जिला": colDistrict, "ज़िला": colDistrict, "जनपद": colDistrict,
	"block": colBlock, "ब्लॉक": colBlock, "विकासखंड": colBlock, "विकासखण्ड": colBlock, "ब्लॉक/विकासखंड": colBlock,
	"body": colBody, "निकाय": colBody, "local body": colBody,
	"ward": colWard, "वार्ड": colWard, "ward no": colWard, "वार्ड नं": colWard, "वार्ड संख्या": colWard,
	"shg": colSHG, "समूह": colSHG, "shg name": colSHG, "समूह का नाम": colSHG,
	"cluster": colCluster, "क्लस्टर": colCluster,
	"language": colLanguage, "भाषा": colLanguage,
})

// headerKey is a column name without case, spaces, punctuation or nukta:
// " Mobile No. " and "mobileno" are one key, as are "ज़िला" and "जिला".
func headerKey(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '_' || r == '-' || r == ':' || r == '*' {
			return -1
		}
		return r
	}, fold(s))
}

// foldedKeys rekeys m by key(k), for lookups of forgiving input.
func foldedKeys(key func(string) string, m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[key(k)] = v
	}
	return out
}

// roleNames maps role names, English and Hindi, keyed by fold with _ and -
// read as spaces, to roles.
var roleNames = foldedKeys(roleKey, map[string]string{
	"sabhasad": RoleSabhasad, "सभासद": RoleSabhasad,
	"parshad": RoleParshad, "पार्षद": RoleParshad,
	"pradhan": RolePradhan, "प्रधान": RolePradhan, "ग्राम प्रधान": RolePradhan,
	"ward_member": RoleWardMember, "वार्ड सदस्य": RoleWardMember,
	"shg_member": RoleSHGMember, "SHG सदस्य": RoleSHGMember, "समूह सदस्य": RoleSHGMember, "स्वयं सहायता समूह सदस्य": RoleSHGMember,
	"coordinator": RoleCoordinator, "समन्वयक": RoleCoordinator,
	"admin": RoleAdmin, "एडमिन": RoleAdmin,
	"other": RoleOther, "अन्य": RoleOther,
})

func roleKey(s string) string {
	return fold(strings.NewReplacer("_", " ", "-", " ").Replace(s))
}

// ParseRole reads a role in English or Hindi ("पार्षद", "SHG सदस्य",
// "ward member") and returns its key ("parshad", "shg_member", "ward_member").
func ParseRole(s string) (string, bool) {
	r, ok := roleNames[roleKey(s)]
	return r, ok
}

// languages maps language names to codes.
var languages = foldedKeys(fold, map[string]string{
	"": "hi", "hi": "hi", "hindi": "hi", "हिंदी": "hi", "हिन्दी": "hi",
	"en": "en", "english": "en", "अंग्रेजी": "en", "इंग्लिश": "en",
})

func parseLanguage(s string) (string, bool) {
	l, ok := languages[fold(s)]
	return l, ok
}

// NormalizePhone writes an Indian number in E.164 (+91XXXXXXXXXX). It
// takes the forms rosters have: 10 digits, a leading 0 or +91, spaces and
// dashes, Devanagari digits, and what Excel makes of a number
// (9018159083.0, 9.018159083E9).
func NormalizePhone(s string) (string, bool) {
	s = cleanNumber(s)
	if s == "" || strings.IndexFunc(s, unicode.IsLetter) >= 0 {
		return "", false // phonenumbers reads letters as digits (1-800-FLOWERS, 9.02E+09)
	}
	num, err := phonenumbers.Parse(s, "IN")
	if err != nil || !phonenumbers.IsValidNumberForRegion(num, "IN") {
		return "", false
	}
	return phonenumbers.Format(num, phonenumbers.E164), true
}

// cleanNumber turns Devanagari digits into ASCII ones and a number Excel
// wrote as a float (9.018159083E9, 9018159083.0) into its digits. A float
// with fewer digits than its value (9.02E+09, Excel's display of a narrow
// column) is left as it is: its digits are lost.
func cleanNumber(s string) string {
	s = strings.TrimSpace(asciiDigits(s))
	if !strings.ContainsAny(s, ".eE") {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 1 || f >= 1e15 || f != float64(int64(f)) {
		return s
	}
	n := strconv.FormatInt(int64(f), 10)
	mantissa, _, _ := strings.Cut(strings.ToLower(s), "e")
	if digits := strings.TrimLeft(strings.Replace(mantissa, ".", "", 1), "0"); len(digits) < len(n) {
		return s
	}
	return n
}

// asciiDigits replaces Devanagari digits (०-९) with 0-9.
func asciiDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '०' && r <= '९' {
			return '0' + (r - '०')
		}
		return r
	}, s)
}

// clean trims a cell, collapses its spaces and puts it in NFC.
func clean(s string) string {
	return norm.NFC.String(strings.Join(strings.Fields(s), " "))
}

// readRows finds the header and reads every row under it.
func readRows(rows []row) ([]Person, []RowError, error) {
	head, cols, err := findHeader(rows)
	if err != nil {
		return nil, nil, err
	}
	var people []Person
	var bad []RowError
	seen := map[string]int{} // E.164 -> line
	for _, r := range rows[head+1:] {
		if blank(r.cells) {
			continue
		}
		get := func(col string) string {
			if i, ok := cols[col]; ok && i >= 0 && i < len(r.cells) {
				return clean(r.cells[i])
			}
			return ""
		}
		p := Person{
			Name: get(colName), Division: get(colDivision), District: get(colDistrict), Block: get(colBlock),
			Body: get(colBody), Ward: cleanNumber(get(colWard)), SHG: get(colSHG), Cluster: get(colCluster),
		}
		var probs rowProblems
		if p.Name == "" {
			probs.add("name is missing", "नाम नहीं लिखा है")
		}
		rawPhone := get(colPhone)
		phone, phoneOK := NormalizePhone(rawPhone)
		switch {
		case rawPhone == "":
			probs.add("phone is missing", "मोबाइल नंबर नहीं लिखा है")
		case !phoneOK:
			probs.add(fmt.Sprintf("phone %q is not a valid Indian number", rawPhone), fmt.Sprintf("मोबाइल नंबर %s सही नहीं है", rawPhone))
		default:
			p.Phone = phone
		}
		rawRole := get(colRole)
		role, roleOK := ParseRole(rawRole)
		switch {
		case rawRole == "":
			probs.add("role is missing", "पद नहीं लिखा है")
		case !roleOK:
			probs.add(fmt.Sprintf("unknown role %q (use sabhasad, parshad, pradhan, ward_member, shg_member, coordinator, admin or other)", rawRole),
				fmt.Sprintf("पद “%s” समझ नहीं आया", rawRole))
		default:
			p.Role = role
		}
		rawLang := get(colLanguage)
		if lang, ok := parseLanguage(rawLang); ok {
			p.Language = lang
		} else {
			probs.add(fmt.Sprintf("unknown language %q (use hi or en)", rawLang), fmt.Sprintf("भाषा “%s” समझ नहीं आई (hi या en लिखें)", rawLang))
		}
		if phoneOK {
			if first, dup := seen[phone]; dup {
				probs.add(fmt.Sprintf("phone %s is repeated: it is already on line %d", rawPhone, first),
					fmt.Sprintf("मोबाइल नंबर %s पंक्ति %d में पहले से है", rawPhone, first))
			} else {
				seen[phone] = r.line
			}
		}
		if len(probs.en) > 0 {
			bad = append(bad, probs.rowError(r.line))
			continue
		}
		people = append(people, p)
	}
	return people, bad, nil
}

// findHeader finds the header row — the first of the first ten non-blank
// rows that names the name, phone and role columns — and maps its columns.
func findHeader(rows []row) (int, map[string]int, error) {
	first := -1
	tried := 0
	for i, r := range rows {
		if blank(r.cells) {
			continue
		}
		if first < 0 {
			first = i
		}
		if cols := columns(r.cells); cols[colName] >= 0 && cols[colPhone] >= 0 && cols[colRole] >= 0 {
			return i, cols, nil
		}
		if tried++; tried == 10 {
			break
		}
	}
	if first < 0 {
		return 0, nil, errors.New("the file is empty")
	}
	cols := columns(rows[first].cells)
	var missing []string
	for _, c := range []string{colName, colPhone, colRole} {
		if cols[c] < 0 {
			missing = append(missing, c)
		}
	}
	list := strings.Join(missing, ", ")
	if i := strings.LastIndex(list, ", "); i >= 0 {
		list = list[:i] + " or " + list[i+2:]
	}
	return 0, nil, fmt.Errorf("no %s column: the first row must name the columns (name/नाम, phone/मोबाइल, role/पद, district/जिला …); line %d has %q",
		list, rows[first].line, rows[first].cells)
}

// columns maps the columns a header row names to their indexes; a column
// it does not name is -1, and the first of two same columns counts.
func columns(head []string) map[string]int {
	cols := map[string]int{colName: -1, colPhone: -1, colRole: -1}
	for i, h := range head {
		c, ok := headerNames[headerKey(h)]
		if !ok {
			continue
		}
		if j, seen := cols[c]; seen && j >= 0 {
			continue
		}
		cols[c] = i
	}
	return cols
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
