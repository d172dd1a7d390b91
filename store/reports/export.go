package reports

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/sheet"
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
// has empty number cells. Each sheet has a bold, frozen header row with
// filter buttons; cells are numbers or text, never formulas. Rows are
// written as they are made (sheet.Book streams them to disk), so the
// workbook's memory does not grow with them.
func Export(w io.Writer, t Tables, lang string) error {
	wd, ok := words(lang)
	if !ok {
		return fmt.Errorf("export reports: language %q is not hi or en", lang)
	}
	b, err := sheet.New()
	if err != nil {
		return fmt.Errorf("export reports for %s: %w", t.Period, err)
	}
	defer b.Close()
	if err := writeSheets(b, t, lang, wd); err != nil {
		return fmt.Errorf("export reports for %s: %w", t.Period, err)
	}
	if _, err := b.WriteTo(w); err != nil {
		return fmt.Errorf("export reports for %s: %w", t.Period, err)
	}
	return nil
}

func writeSheets(b *sheet.Book, t Tables, lang string, wd exportWords) error {
	rupees := rupeeFormat
	money, err := b.Style(&excelize.Style{CustomNumFmt: &rupees})
	if err != nil {
		return err
	}
	pct, err := b.Style(&excelize.Style{NumFmt: 9}) // 0%
	if err != nil {
		return err
	}
	for _, level := range Levels() {
		name := levelWords(level, lang)
		if err := writeSheet(b, name, level, t.Rows(level), wd, money, pct); err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
	}
	return nil
}

func writeSheet(b *sheet.Book, name, level string, rows []Row, wd exportWords, money, pct int) error {
	header := []string{name, wd.parent[level], wd.expected, wd.reported, wd.members, wd.meetings,
		wd.savings, wd.accounts, wd.accountsPct, wd.loansCount, wd.loansAmount, wd.nutrition, wd.nutritionPct}
	widths := []float64{34, 22, 10, 10, 10, 10, 14, 12, 10, 12, 14, 14, 14}
	shg := level == LevelSHG
	if shg {
		header = append(header, wd.issue, wd.at)
		widths = append(widths, 40, 18)
	}
	if err := b.Sheet(name, header, widths, "rollup_"+level); err != nil {
		return err
	}
	styled := func(v any, style int) any { return excelize.Cell{StyleID: style, Value: v} }
	for _, r := range rows {
		vals := []any{r.Name, r.Parent, r.Expected, r.Reported, r.Members, r.Meetings, styled(r.Savings, money), r.Accounts,
			styled(r.AccountsPct/100, pct), r.LoansCount, styled(r.LoansAmount, money), r.NutritionGroups, styled(r.NutritionPct/100, pct)}
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
		if err := b.Row(vals); err != nil {
			return err
		}
	}
	return nil
}
