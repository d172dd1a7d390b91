package reports

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/locales"
)

// exportWords are the headers of an export in one language.
type exportWords struct {
	parent                                      map[string]string // a level's parent column
	expected, reported, members, meetings       string
	savings, accounts, accountsPct, loansCount  string
	loansAmount, nutrition, nutritionPct, issue string
	at                                          string
}

// words returns the headers in lang; ok is false for a language that is
// neither hi nor en.
func words(lang string) (w exportWords, ok bool) {
	switch lang {
	case "hi":
		return exportWords{
			parent:   map[string]string{LevelSHG: "क्लस्टर", LevelCluster: "ब्लॉक", LevelBlock: "ज़िला", LevelDistrict: "मंडल"},
			expected: "कुल समूह", reported: "रिपोर्ट दी", members: "सदस्य", meetings: "बैठकें",
			savings: "बचत (₹)", accounts: "बैंक खाते", accountsPct: "खाते %", loansCount: "क़र्ज़ (संख्या)",
			loansAmount: "क़र्ज़ (₹)", nutrition: "पोषण वाटिका (समूह)", nutritionPct: "पोषण वाटिका %",
			issue: "समस्या", at: "रिपोर्ट का समय",
		}, true
	case "en":
		return exportWords{
			parent:   map[string]string{LevelSHG: "Cluster", LevelCluster: "Block", LevelBlock: "District", LevelDistrict: "Division"},
			expected: "SHGs", reported: "Reported", members: "Members", meetings: "Meetings",
			savings: "Savings (₹)", accounts: "Bank accounts", accountsPct: "Accounts %", loansCount: "Loans (count)",
			loansAmount: "Loans (₹)", nutrition: "Nutrition gardens (SHGs)", nutritionPct: "Nutrition gardens %",
			issue: "Problem", at: "Reported at",
		}, true
	}
	return exportWords{}, false
}

// Export columns, from 1 (A): name, parent, SHGs expected, reported, then these.
const (
	colMembers = iota + 5
	colMeetings
	colSavings
	colAccounts
	colAccountsPct
	colLoansCount
	colLoansAmount
	colNutrition
	colNutritionPct
)

// rupeeFormat shows whole rupees grouped the Indian way (12,34,567).
const rupeeFormat = `[>=10000000]##\,##\,##\,##0;[>=100000]##\,##\,##0;##,##0`

// Export writes a roll-up as an Excel workbook with one sheet per level —
// समूह, क्लस्टर, ब्लॉक, ज़िला in Hindi ("hi"), SHG, Cluster, Block,
// District in English ("en") — and one row per row of t: name, parent,
// SHGs expected and reported, the sums, and the percentages as fractions
// formatted 0% (so they show as Text shows them). The SHG sheet adds the
// problem and the time of the report (IST); an SHG that has not reported
// has empty number cells. Each sheet has a bold, frozen header row and an
// autofilter; cells are numbers or text, never formulas.
func Export(w io.Writer, t Tables, lang string) error {
	wd, ok := words(lang)
	if !ok {
		return fmt.Errorf("export reports: language %q is not hi or en", lang)
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := writeSheets(f, t, lang, wd); err != nil {
		return fmt.Errorf("export reports for %s: %w", t.Period, err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("export reports for %s: %w", t.Period, err)
	}
	return nil
}

func writeSheets(f *excelize.File, t Tables, lang string, wd exportWords) error {
	head, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	})
	if err != nil {
		return err
	}
	rupees := rupeeFormat
	money, err := f.NewStyle(&excelize.Style{CustomNumFmt: &rupees})
	if err != nil {
		return err
	}
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 9}) // 0%
	if err != nil {
		return err
	}
	first := f.GetSheetName(0)
	for i, level := range Levels() {
		sheet := levelWords(level, lang)
		if i == 0 {
			if err := f.SetSheetName(first, sheet); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
		if err := writeSheet(f, sheet, level, t.Rows(level), wd, head, money, pct); err != nil {
			return fmt.Errorf("sheet %s: %w", sheet, err)
		}
	}
	return nil
}

func writeSheet(f *excelize.File, sheet, level string, rows []Row, wd exportWords, head, money, pct int) error {
	header := []any{sheet, wd.parent[level], wd.expected, wd.reported, wd.members, wd.meetings,
		wd.savings, wd.accounts, wd.accountsPct, wd.loansCount, wd.loansAmount, wd.nutrition, wd.nutritionPct}
	widths := []float64{34, 22, 10, 10, 10, 10, 14, 12, 10, 12, 14, 14, 14}
	shg := level == LevelSHG
	if shg {
		header = append(header, wd.issue, wd.at)
		widths = append(widths, 40, 18)
	}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return err
	}
	for i, r := range rows {
		vals := []any{r.Name, r.Parent, r.Expected, r.Reported, r.Members, r.Meetings, r.Savings, r.Accounts,
			r.AccountsPct / 100, r.LoansCount, r.LoansAmount, r.NutritionGroups, r.NutritionPct / 100}
		if shg {
			if r.Reported == 0 {
				for c := colMembers; c <= colNutritionPct; c++ {
					vals[c-1] = nil
				}
				vals = append(vals, nil, nil)
			} else {
				vals = append(vals, r.Problem, r.At.In(locales.IST).Format("2006-01-02 15:04"))
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
			return err
		}
	}
	last, err := excelize.ColumnNumberToName(len(header))
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", last+"1", head); err != nil {
		return err
	}
	if len(rows) > 0 {
		end := len(rows) + 1
		for _, c := range []struct{ col, style int }{
			{colSavings, money}, {colLoansAmount, money}, {colAccountsPct, pct}, {colNutritionPct, pct},
		} {
			name, err := excelize.ColumnNumberToName(c.col)
			if err != nil {
				return err
			}
			if err := f.SetCellStyle(sheet, name+"2", fmt.Sprintf("%s%d", name, end), c.style); err != nil {
				return err
			}
		}
		if err := f.AutoFilter(sheet, fmt.Sprintf("A1:%s%d", last, end), nil); err != nil {
			return err
		}
	}
	for i, wdth := range widths {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, col, col, wdth); err != nil {
			return err
		}
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}
