package roster

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
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
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	textclean "github.com/saathi-bot/saathi/flows/clean"
)

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
// language "hi" unless given; every cell is cleaned as typed text is (see
// package flows/clean). Each bad row comes back as a RowError naming
// everything wrong with it; the other rows are still read. A phone number
// that appears twice makes the later row bad. The error is for a file that
// cannot be read at all: not a roster, not text, a broken workbook, or one
// over the default Limits (a *LimitError).
func Parse(r io.Reader, name string) ([]Person, []RowError, error) {
	return Limits{}.Parse(r, name)
}

// ParseFile reads the roster file at path, as Parse.
func ParseFile(path string) ([]Person, []RowError, error) { return Limits{}.ParseFile(path) }

// ParseCSV reads a CSV roster, as Parse.
func ParseCSV(r io.Reader) ([]Person, []RowError, error) { return Parse(r, "roster.csv") }

// ParseXLSX reads the first sheet of an Excel workbook, as Parse.
func ParseXLSX(r io.Reader) ([]Person, []RowError, error) { return Parse(r, "roster.xlsx") }

// Limits bound what reading a roster may take, so that a hostile file (a
// zip bomb: a few MB that unpack to a GB) is refused before it is read
// into memory. A zero field takes its default.
type Limits struct {
	// MaxBytes bounds the file's size, and a workbook's size unpacked: its
	// parts together, as their headers say and as they are read.
	MaxBytes int64
	// MaxRows bounds the rows that have something in them.
	MaxRows int
	// Designations are the designations a file may name (nil: the
	// built-in ones). They are not a limit, but what reading goes by.
	Designations *Designations
}

// Default limits. 50 MB unpacked holds about 140,000 rows of five columns
// in a workbook (100,000 such rows: 36 MB unpacked, 1.9 MB packed).
const (
	DefaultMaxBytes = 50 << 20
	DefaultMaxRows  = 500_000
)

// A part of a workbook that unpacks to more than maxRatio times its packed
// size is a bomb, not a sheet (real sheets pack 5 to 20 times); parts under
// ratioFloor are not judged.
const (
	maxRatio   = 200
	ratioFloor = 1 << 20
)

func (l Limits) orDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxRows <= 0 {
		l.MaxRows = DefaultMaxRows
	}
	if l.Designations == nil {
		l.Designations = BuiltinDesignations()
	}
	return l
}

// Kinds of LimitError.
const (
	LimitBytes = "bytes" // the file, or a workbook unpacked, is larger than Limit bytes
	LimitRows  = "rows"  // more than Limit rows
	LimitRatio = "ratio" // a workbook part unpacks to more than Limit times its size
)

// LimitError is a file over one of the Limits: a refusal to tell whoever
// sent it, naming the limit, not a failure.
type LimitError struct {
	Kind  string
	Limit int64
}

func (e *LimitError) Error() string {
	switch e.Kind {
	case LimitRows:
		return fmt.Sprintf("more than %d rows: split the roster into smaller files", e.Limit)
	case LimitRatio:
		return fmt.Sprintf("a part of the workbook unpacks to more than %d times its size: this is not an ordinary spreadsheet", e.Limit)
	}
	return fmt.Sprintf("larger than %s unpacked: split the roster into smaller files", Size(e.Limit))
}

// Hindi is the refusal in plain Hindi.
func (e *LimitError) Hindi() string {
	switch e.Kind {
	case LimitRows:
		return fmt.Sprintf("फ़ाइल में %d से ज़्यादा पंक्तियाँ हैं। सूची को छोटी फ़ाइलों में बाँटकर भेजें।", e.Limit)
	case LimitRatio:
		return fmt.Sprintf("यह फ़ाइल खुलने पर अपने आकार से %d गुना से ज़्यादा फैल जाती है, यह आम Excel फ़ाइल नहीं है।", e.Limit)
	}
	return fmt.Sprintf("फ़ाइल खुलने पर %s से बड़ी हो जाती है। सूची को छोटी फ़ाइलों में बाँटकर भेजें।", Size(e.Limit))
}

// Size writes a number of bytes for people: "50 MB", "1.5 MB", "900 KB".
func Size(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', -1, 64) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// Parse reads a roster file within l, as the package's Parse. r is read
// from its start; one with random access (a file, bytes in memory) lets a
// workbook be checked without reading it all.
func (l Limits) Parse(r io.Reader, name string) ([]Person, []RowError, error) {
	people, bad, err := l.orDefaults().parse(r, name)
	if err != nil {
		return nil, nil, fmt.Errorf("read roster %s: %w", name, err)
	}
	slices.SortStableFunc(bad, func(a, b RowError) int { return a.Line - b.Line })
	return people, bad, nil
}

// ParseFile reads the roster file at path within l.
func (l Limits) ParseFile(path string) ([]Person, []RowError, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("open roster: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("open roster: %w", err)
	}
	return l.Parse(io.NewSectionReader(f, 0, st.Size()), filepath.Base(path))
}

var zipMagic = []byte("PK\x03\x04")

func (l Limits) parse(r io.Reader, name string) (people []Person, bad []RowError, err error) {
	err = l.rowsOf(r, name, func(rows iter.Seq2[row, error]) error {
		rd := &reader{l: l}
		if err := rd.read(rows); err != nil {
			return err
		}
		people, bad = rd.people, rd.bad
		return nil
	})
	return people, bad, err
}

// rowsOf opens the roster file r (named name) and calls use with its rows.
func (l Limits) rowsOf(r io.Reader, name string, use func(iter.Seq2[row, error]) error) error {
	br := bufio.NewReaderSize(&capped{r: r, limit: l.MaxBytes}, 64<<10)
	head, _ := br.Peek(8) // shorter for a short file
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case ext == ".xlsx" || ext == ".xlsm" || bytes.HasPrefix(head, zipMagic):
		ra, size, err := l.randomAccess(r, br)
		if err != nil {
			return err
		}
		wb, err := l.openWorkbook(ra, size)
		if err != nil {
			return err
		}
		defer wb.Close()
		rows, err := sheetRows(wb)
		if err != nil {
			return err
		}
		return use(rows)
	case ext == ".xls" || ext == ".ods" || bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return errors.New("old Excel (.xls) and OpenDocument files cannot be read: save the sheet as .xlsx or CSV UTF-8")
	}
	return use(csvRows(br))
}

// capped reads r up to limit bytes; past them it fails with a LimitError.
type capped struct {
	r           io.Reader
	limit, read int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.read > c.limit {
		return 0, &LimitError{Kind: LimitBytes, Limit: c.limit}
	}
	if left := c.limit - c.read + 1; int64(len(p)) > left { // one more byte tells a file over the limit
		p = p[:left]
	}
	n, err := c.r.Read(p)
	if c.read += int64(n); c.read > c.limit {
		return n, &LimitError{Kind: LimitBytes, Limit: c.limit}
	}
	return n, err
}

// randomAccess gives a workbook's bytes for reading at any offset: r
// itself when it can (a file, bytes in memory), else what br holds, read
// into memory up to the limit.
func (l Limits) randomAccess(r io.Reader, br *bufio.Reader) (io.ReaderAt, int64, error) {
	if ra, ok := r.(interface {
		io.ReaderAt
		Size() int64
	}); ok {
		if ra.Size() > l.MaxBytes {
			return nil, 0, &LimitError{Kind: LimitBytes, Limit: l.MaxBytes}
		}
		return ra, ra.Size(), nil
	}
	data, err := io.ReadAll(br)
	if err != nil {
		return nil, 0, err
	}
	return bytes.NewReader(data), int64(len(data)), nil
}

// openWorkbook checks the archive's parts against the limits from its
// directory, before anything is unpacked, and only then opens it. The
// directory could lie about a part's size: archive/zip stops reading a part
// at the size its header gives, so what is read stays within the limit,
// but the workbook would read as cut short. So each part is first unpacked
// into nothing, which finds a part longer than it says (or damaged).
func (l Limits) openWorkbook(ra io.ReaderAt, size int64) (*excelize.File, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	var total uint64
	for _, f := range zr.File {
		n := f.UncompressedSize64
		if n > uint64(l.MaxBytes) || total+n > uint64(l.MaxBytes) {
			return nil, &LimitError{Kind: LimitBytes, Limit: l.MaxBytes}
		}
		total += n
		if n > ratioFloor && n/max(f.CompressedSize64, 1) > maxRatio {
			return nil, &LimitError{Kind: LimitRatio, Limit: maxRatio}
		}
	}
	for _, f := range zr.File {
		if err := drain(f); err != nil {
			return nil, fmt.Errorf("open workbook: part %s is damaged: %w", f.Name, err)
		}
	}
	opts := excelize.Options{RawCellValue: true, UnzipSizeLimit: l.MaxBytes, UnzipXMLSizeLimit: min(l.MaxBytes, 16<<20)}
	wb, err := excelize.OpenReader(io.NewSectionReader(ra, 0, size), opts)
	if err != nil {
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	return wb, nil
}

// drain unpacks a part, keeping nothing: archive/zip checks its size and checksum.
func drain(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// row is one row of the file with its line (Excel row) number, or a row
// that could not be read.
type row struct {
	line  int
	cells []string
	bad   *RowError
}

// sheetRows streams the first sheet's rows, cells as stored (numbers
// unformatted), row i being Excel's row i.
func sheetRows(wb *excelize.File) (iter.Seq2[row, error], error) {
	sheets := wb.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("the workbook has no sheets")
	}
	rs, err := wb.Rows(sheets[0])
	if err != nil {
		return nil, fmt.Errorf("read sheet %q: %w", sheets[0], err)
	}
	return func(yield func(row, error) bool) {
		defer rs.Close()
		for line := 1; rs.Next(); line++ {
			cells, err := rs.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				yield(row{}, fmt.Errorf("read sheet %q: %w", sheets[0], err))
				return
			}
			if !yield(row{line: line, cells: cells}, nil) {
				return
			}
		}
		if err := rs.Error(); err != nil {
			yield(row{}, fmt.Errorf("read sheet %q: %w", sheets[0], err))
		}
	}, nil
}

// csvRows streams a CSV file's rows. A row the CSV reader rejects (a stray
// quote) is a bad row; reading goes on with the next one.
func csvRows(br *bufio.Reader) iter.Seq2[row, error] {
	return func(yield func(row, error) bool) {
		src := br
		if bom, _ := br.Peek(2); bytes.Equal(bom, []byte{0xFF, 0xFE}) || bytes.Equal(bom, []byte{0xFE, 0xFF}) {
			dec := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewDecoder()
			src = bufio.NewReaderSize(transform.NewReader(br, dec), 64<<10)
		}
		if bom, _ := src.Peek(3); bytes.Equal(bom, []byte("\uFEFF")) {
			_, _ = src.Discard(3)
		}
		first, _ := src.Peek(src.Size()) // the first line, to tell the separator
		cr := csv.NewReader(src)
		cr.Comma = sniffComma(first)
		cr.FieldsPerRecord = -1
		for {
			rec, err := cr.Read()
			var pe *csv.ParseError
			switch {
			case errors.Is(err, io.EOF):
				return
			case errors.As(err, &pe) && pe.Err != nil && !isLimit(pe.Err):
				bad := RowError{
					Line:   pe.StartLine,
					Reason: "cannot read this row: " + pe.Err.Error(),
					hindi:  `यह पंक्ति पढ़ी नहीं जा सकी (उद्धरण चिह्न " की गड़बड़ी)`,
				}
				if !yield(row{line: pe.StartLine, bad: &bad}, nil) {
					return
				}
				continue
			case err != nil:
				yield(row{}, err)
				return
			}
			for _, c := range rec {
				if !utf8.ValidString(c) {
					yield(row{}, errors.New("the file is not UTF-8 text: in Excel, save it as \"CSV UTF-8\" (or as .xlsx)"))
					return
				}
			}
			line, _ := cr.FieldPos(0)
			if !yield(row{line: line, cells: rec}, nil) {
				return
			}
		}
	}
}

func isLimit(err error) bool {
	var le *LimitError
	return errors.As(err, &le)
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

// Columns a roster may have: fields of Person.
const (
	colName  = "name"
	colPhone = "phone"
	colRole  = "role"
	// colDesignation is what a person is (designation, पद); colGrant what
	// they may do (grant, अधिकार): coordinator or admin.
	colDesignation = "designation"
	colGrant       = "grant"
	colDivision    = "division"
	colDistrict    = "district"
	colBlock       = "block"
	colBody        = "body"
	colWard        = "ward"
	colSHG         = "shg"
	colCluster     = "cluster"
	colLanguage    = "language"
	colGender      = "gender"
)

// headerNames maps column names, English and Hindi, keyed by headerKey,
// to columns.
var headerNames = foldedKeys(headerKey, map[string]string{
	"name": colName, "नाम": colName, "full name": colName, "पूरा नाम": colName,
	"phone": colPhone, "mobile": colPhone, "मोबाइल": colPhone, "फोन": colPhone, "फ़ोन": colPhone,
	"phone no": colPhone, "phone number": colPhone, "mobile no": colPhone, "mobile number": colPhone,
	"मोबाइल नंबर": colPhone, "मोबाइल नं": colPhone, "फोन नंबर": colPhone,
	"role": colRole, "भूमिका": colRole,
	"designation": colDesignation, "पद": colDesignation, "पदनाम": colDesignation, "post": colDesignation,
	"grant": colGrant, "अधिकार": colGrant, "rights": colGrant, "access": colGrant,
	"division": colDivision, "मंडल": colDivision, "मण्डल": colDivision,
	"district": colDistrict, "जिला": colDistrict, "ज़िला": colDistrict, "जनपद": colDistrict,
	"block": colBlock, "ब्लॉक": colBlock, "विकासखंड": colBlock, "विकासखण्ड": colBlock, "ब्लॉक/विकासखंड": colBlock,
	"body": colBody, "निकाय": colBody, "local body": colBody,
	"ward": colWard, "वार्ड": colWard, "ward no": colWard, "वार्ड नं": colWard, "वार्ड संख्या": colWard,
	"shg": colSHG, "समूह": colSHG, "shg name": colSHG, "समूह का नाम": colSHG,
	"cluster": colCluster, "क्लस्टर": colCluster,
	"language": colLanguage, "भाषा": colLanguage,
	"gender": colGender, "लिंग": colGender, "sex": colGender, "महिला/पुरुष": colGender, "स्त्री/पुरुष": colGender,
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

func roleKey(s string) string { return fold(roleSpaces.Replace(s)) }

// roleSpaces reads _ and - in a role as spaces (a Replacer is safe for
// concurrent use, and made once: building one costs more than using it).
var roleSpaces = strings.NewReplacer("_", " ", "-", " ")

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

// genders are what a gender cell may say: a woman, a man, or nothing
// (then the bot's texts are neutral).
var genders = foldedKeys(fold, map[string]string{
	"": "", "-": "",
	"f": GenderFemale, "female": GenderFemale, "woman": GenderFemale, "w": GenderFemale, "महिला": GenderFemale,
	"स्त्री": GenderFemale, "औरत": GenderFemale, "mahila": GenderFemale,
	"m": GenderMale, "male": GenderMale, "man": GenderMale, "पुरुष": GenderMale, "आदमी": GenderMale, "purush": GenderMale,
})

// ParseGender reads a gender cell (or a registration answer): f, female,
// महिला, स्त्री → GenderFemale; m, male, पुरुष → GenderMale; blank → "".
func ParseGender(s string) (string, bool) {
	g, ok := genders[fold(s)]
	return g, ok
}

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
	if national, ok := mobile(s); ok {
		return "+91" + national, true
	}
	if s == "" || strings.IndexFunc(s, unicode.IsLetter) >= 0 {
		return "", false // phonenumbers reads letters as digits (1-800-FLOWERS, 9.02E+09)
	}
	num, err := phonenumbers.Parse(s, "IN")
	if err != nil || !phonenumbers.IsValidNumberForRegion(num, "IN") {
		return "", false
	}
	return phonenumbers.Format(num, phonenumbers.E164), true
}

// mobile reads the two forms most cells have, 10 digits from 6 to 9 and
// the same after +91, without phonenumbers (a tenth of a millisecond a
// number, most of reading a large roster): every such number is a valid
// Indian mobile (a test holds phonenumbers to it).
func mobile(s string) (string, bool) {
	s = strings.TrimPrefix(s, "+91")
	if len(s) != 10 || s[0] < '6' || s[0] > '9' {
		return "", false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return "", false
		}
	}
	return s, true
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

// clean cleans a cell as typed text is cleaned: one line, NFC, no
// control or invisible characters, single spaces. A cell that is clean
// already (most are) is returned as it is, without the work.
func clean(s string) string {
	if plain(s) {
		return s
	}
	return textclean.Text(s, false)
}

// plain tells whether s is printable ASCII and Devanagari in NFC, with
// single spaces between words: text cleaning leaves it as it is.
func plain(s string) bool {
	return singleSpaced(s, func(r rune) bool { return r > ' ' && r < 0x7F || r >= 0x0900 && r <= 0x097F }) && norm.NFC.IsNormalString(s)
}

// reader reads a roster's rows: it finds the header — the first of the
// first ten non-blank rows that names the name, phone and role columns —
// and reads every row under it, as they come. A phone's later rows that
// are the same person at another body join its first (Person.Also).
//
// Without emit, it keeps everyone in people. With emit (a file read in
// batches), a person goes to emit as soon as they are complete: at once
// when held (rows per phoneKey, counted by a first pass) says theirs is
// the phone's only row, else after the phone's last row; people holds
// only those not yet complete.
type reader struct {
	l      Limits
	emit   func(Person) error
	held   map[uint64]int // phoneKey -> rows still to come, for phones of more than one row
	people []Person
	bad    []RowError

	cols  map[string]int // nil until the header is found
	first *row           // the first non-blank row, for the error if there is no header
	tried int
	seen  map[string]firstRow // E.164 -> its first row, with emit only for held phones
	lines map[uint64]int32    // with emit: the first line of each other phone
}

// header reads r, a row above the header or the header itself. ok is
// true once the header is found.
func (rd *reader) header(r row) (ok bool, err error) {
	if rd.first == nil {
		rd.first = &r
	}
	if c := columns(r.cells); c[colName] >= 0 && c[colPhone] >= 0 && (c[colRole] >= 0 || c[colDesignation] >= 0) {
		rd.cols = c
		return true, nil
	}
	if rd.tried++; rd.tried == 10 {
		return false, noHeader(*rd.first)
	}
	return false, nil
}

// rowsUnder calls fn with each row under the header, and its line.
func (l Limits) rowsUnder(rows iter.Seq2[row, error], rd *reader, fn func(r row) error) error {
	n := 0
	for r, err := range rows {
		if err != nil {
			return err
		}
		if r.bad == nil && blank(r.cells) {
			continue
		}
		if n++; n > l.MaxRows {
			return &LimitError{Kind: LimitRows, Limit: int64(l.MaxRows)}
		}
		switch {
		case r.bad != nil:
			rd.bad = append(rd.bad, *r.bad)
		case rd.cols == nil:
			if _, err := rd.header(r); err != nil {
				return err
			}
		default:
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	if rd.cols == nil {
		if rd.first == nil {
			return ErrEmptyFile
		}
		return noHeader(*rd.first)
	}
	return nil
}

// read reads every row.
func (rd *reader) read(rows iter.Seq2[row, error]) error {
	rd.seen = map[string]firstRow{}
	if rd.emit != nil {
		rd.lines = map[uint64]int32{}
	}
	byPhone := map[string]int{} // with emit: index in people of a held phone's person
	err := rd.l.rowsUnder(rows, rd, func(r row) error {
		p, rawPhone, probs := readPerson(r, rd.cols, rd.l.Designations)
		key := phoneKey(r.cells, rd.cols)
		left, held := rd.held[key]
		if held {
			rd.held[key] = left - 1
		}
		switch {
		case p.Phone == "":
		case rd.emit != nil && !held: // the phone's only row, unless phoneKey missed a form
			n, _ := strconv.ParseUint(p.Phone[1:], 10, 64)
			if line, dup := rd.lines[n]; dup {
				probs.add(fmt.Sprintf("phone %s is repeated: it is already on line %d", rawPhone, line),
					fmt.Sprintf("मोबाइल नंबर %s पंक्ति %d में पहले से है", rawPhone, line))
			} else {
				rd.lines[n] = int32(r.line)
			}
		default:
			if first, dup := rd.seen[p.Phone]; !dup {
				at := -1
				if len(probs.en) == 0 {
					at = len(rd.people)
				}
				rd.seen[p.Phone] = firstRow{line: r.line, at: at}
			} else if len(probs.en) == 0 && first.at >= 0 && rd.people[first.at].takes(p) {
				rd.people[first.at].Also = append(rd.people[first.at].Also, p.place())
				p = Person{} // taken
			} else {
				probs.add(fmt.Sprintf("phone %s is repeated: it is already on line %d", rawPhone, first.line),
					fmt.Sprintf("मोबाइल नंबर %s पंक्ति %d में पहले से है", rawPhone, first.line))
			}
		}
		if len(probs.en) > 0 {
			rd.bad = append(rd.bad, probs.rowError(r.line))
		} else if p.Phone != "" {
			if rd.emit != nil && !held {
				return rd.emit(p)
			}
			if rd.emit != nil {
				byPhone[p.Phone] = len(rd.people)
			}
			rd.people = append(rd.people, p)
		}
		if rd.emit != nil && held && left == 1 { // the phone's last row: its people are complete
			return rd.flush(key, byPhone)
		}
		return nil
	})
	if err != nil || rd.emit == nil {
		return err
	}
	for _, i := range slices.Sorted(maps.Values(byPhone)) { // none, when both passes counted alike
		if err := rd.emit(rd.people[i]); err != nil {
			return err
		}
	}
	return nil
}

// flush emits the held people of phoneKey key.
func (rd *reader) flush(key uint64, byPhone map[string]int) error {
	for phone, i := range byPhone {
		if phoneKeyOf(phone) != key {
			continue
		}
		if err := rd.emit(rd.people[i]); err != nil {
			return err
		}
		delete(byPhone, phone)
		delete(rd.seen, phone)
	}
	return nil
}

// phoneKey is a row's phone cell reduced to its last ten digits: the same
// for every form of one number (+91 98765 43210, 09876543210, 9.87654321E9),
// so that a first pass can count the rows of each phone. 0 for a cell
// with fewer digits, which is no phone.
func phoneKey(cells []string, cols map[string]int) uint64 {
	i := cols[colPhone]
	if i < 0 || i >= len(cells) {
		return 0
	}
	return phoneKeyOf(cleanNumber(cells[i]))
}

func phoneKeyOf(s string) uint64 {
	var digits [10]byte
	n := 0
	for i := len(s) - 1; i >= 0 && n < 10; i-- {
		if c := s[i]; c >= '0' && c <= '9' {
			n++
			digits[10-n] = c
		}
	}
	if n < 10 {
		return 0
	}
	k, _ := strconv.ParseUint(string(digits[:]), 10, 64)
	return k + 1 // never 0
}

// StreamFile reads the roster file at path within l, as ParseFile does,
// but gives its people to fn a batch (of at most batch) at a time, so that
// a file of a million rows is never in memory at once; total is about how
// many people the file has. It reads the file twice: first to count each
// phone's rows (a person of two bodies has two), then to read the people.
// It returns the bad rows, in order, once every batch is given; an error
// from fn stops it.
func (l Limits) StreamFile(path string, batch int, fn func(people []Person, total int) error) ([]RowError, error) {
	l = l.orDefaults()
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open roster: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("open roster: %w", err)
	}
	name := filepath.Base(path)
	sec := func() io.Reader { return io.NewSectionReader(f, 0, st.Size()) }
	// First pass: how many rows each phone has.
	counter := &reader{l: l}
	counts := map[uint64]int{}
	if err := l.rowsOf(sec(), name, func(rows iter.Seq2[row, error]) error {
		return l.rowsUnder(rows, counter, func(r row) error {
			counts[phoneKey(r.cells, counter.cols)]++
			return nil
		})
	}); err != nil {
		return nil, fmt.Errorf("read roster %s: %w", name, err)
	}
	total := len(counts)
	if counts[0] > 0 {
		total-- // rows without a phone
	}
	held := map[uint64]int{}
	for k, n := range counts {
		if n > 1 && k != 0 {
			held[k] = n
		}
	}
	clear(counts)
	// Second pass: the people, a batch at a time.
	buf := make([]Person, 0, batch)
	give := func() error {
		if len(buf) == 0 {
			return nil
		}
		err := fn(buf, total)
		buf = make([]Person, 0, batch) // fn may keep the batch
		return err
	}
	rd := &reader{l: l, held: held, emit: func(p Person) error {
		if buf = append(buf, p); len(buf) >= batch {
			return give()
		}
		return nil
	}}
	err = l.rowsOf(sec(), name, rd.read)
	if err == nil {
		err = give()
	}
	if err != nil {
		return nil, fmt.Errorf("read roster %s: %w", name, err)
	}
	slices.SortStableFunc(rd.bad, func(a, b RowError) int { return a.Line - b.Line })
	return rd.bad, nil
}

// firstRow is the first row of a phone: its line, and its person's index
// in the people read (-1 when that row was bad).
type firstRow struct{ line, at int }

// takes tells whether q, a later row of p's phone, is p at another body
// (an additional charge): the same name, designation and grant, and a
// body p does not hold yet.
func (p Person) takes(q Person) bool {
	if fold(p.Name) != fold(q.Name) || p.Designation != q.Designation || p.Role != q.Role || q.Body == "" {
		return false
	}
	for _, at := range p.atEach() {
		if fold(at.Body) == fold(q.Body) {
			return false
		}
	}
	return true
}

// noGrant are what a grant cell may say for none.
var noGrant = foldedKeys(roleKey, map[string]string{"-": "", "no": "", "none": "", "नहीं": "", "कोई नहीं": "", "0": ""})

// readPerson reads one row under the header, and its phone cell as
// written. The person's phone is the E.164 number, or "" when the row's is
// not one; a repeated phone is for the caller to find.
func readPerson(r row, cols map[string]int, ds *Designations) (Person, string, rowProblems) {
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
	grant, des := readPost(get(colRole), get(colDesignation), get(colGrant), ds, &probs)
	p.Designation = des.ID
	switch {
	case grant != "":
		p.Role = grant
	case des.ID != "":
		p.Role = des.Role
	}
	if _, ok := p.Scope(); p.Role == RoleCoordinator && !ok {
		probs.add("a coordinator needs a place: their division, district, block or body is their scope",
			"समन्वयक का क्षेत्र नहीं लिखा है: मंडल, जनपद, विकासखंड या निकाय लिखें")
	}
	if g, ok := ParseGender(get(colGender)); ok {
		p.Gender = g
	} else {
		probs.add(fmt.Sprintf("unknown gender %q (use female or male, or leave it empty)", get(colGender)),
			fmt.Sprintf("लिंग “%s” समझ नहीं आया (महिला या पुरुष लिखें, या खाली छोड़ें)", get(colGender)))
	}
	rawLang := get(colLanguage)
	if lang, ok := parseLanguage(rawLang); ok {
		p.Language = lang
	} else {
		probs.add(fmt.Sprintf("unknown language %q (use hi or en)", rawLang), fmt.Sprintf("भाषा “%s” समझ नहीं आई (hi या en लिखें)", rawLang))
	}
	return p, rawPhone, probs
}

// readPost reads a row's role, designation and grant cells. The role and
// designation cells may each hold a designation (by id, label or alias,
// in either language) or a grant (coordinator, admin — the older roles);
// the designation cell wins over the role cell. A row needs a designation
// or a grant.
func readPost(role, designation, grantCell string, ds *Designations, probs *rowProblems) (grant string, des Designation) {
	if grantCell != "" {
		if g, ok := parseGrant(grantCell); ok {
			grant = g
		} else if _, none := noGrant[roleKey(grantCell)]; !none {
			probs.add(fmt.Sprintf("unknown grant %q (use coordinator or admin, or leave it empty)", grantCell),
				fmt.Sprintf("अधिकार “%s” समझ नहीं आया (समन्वयक या एडमिन लिखें, या खाली छोड़ें)", grantCell))
		}
	}
	for _, cell := range []string{role, designation} {
		if cell == "" {
			continue
		}
		if g, ok := parseGrant(cell); ok {
			if grant == "" {
				grant = g
			}
			continue
		}
		d, ok := ds.Lookup(cell)
		if !ok {
			probs.add(fmt.Sprintf("unknown designation %q; these are known: %s (or coordinator, admin)", cell, ds.Accepted("en")),
				fmt.Sprintf("पद “%s” समझ नहीं आया। ये पद लिखे जा सकते हैं: %s (या समन्वयक, एडमिन)", cell, ds.Accepted("hi")))
			continue
		}
		des = d
	}
	if role == "" && designation == "" && grant == "" {
		probs.add("designation is missing", "पद नहीं लिखा है")
	}
	return grant, des
}

// noHeader explains a file whose first rows name no roster columns, by the
// first of them.
func noHeader(first row) error {
	cols := columns(first.cells)
	var missing []string
	for _, c := range []string{colName, colPhone, colRole} {
		if cols[c] < 0 && (c != colRole || cols[colDesignation] < 0) {
			missing = append(missing, c) // role: or designation (पद)
		}
	}
	list := strings.Join(missing, ", ")
	if i := strings.LastIndex(list, ", "); i >= 0 {
		list = list[:i] + " or " + list[i+2:]
	}
	return fmt.Errorf("no %s column: the first row must name the columns (name/नाम, phone/मोबाइल, role/पद, district/जिला …); line %d has %q",
		list, first.line, first.cells)
}

// columns maps the columns a header row names to their indexes; a column
// it does not name is -1, and the first of two same columns counts.
func columns(head []string) map[string]int {
	cols := map[string]int{colName: -1, colPhone: -1, colRole: -1, colDesignation: -1}
	for i, h := range head {
		c, ok := headerNames[headerKey(clean(h))]
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

// blank tells whether a row shows nothing: no cells, or only empty,
// spaces and invisible characters.
func blank(cells []string) bool {
	for _, c := range cells {
		if !textclean.Blank(c) {
			return false
		}
	}
	return true
}
