package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// levelWords is a level's name in lang: "ब्लॉक" in Hindi, "Block" in
// English; "" for an unknown level.
func levelWords(level, lang string) string {
	hi := map[string]string{LevelSHG: "समूह", LevelCluster: "क्लस्टर", LevelBlock: "ब्लॉक", LevelDistrict: "ज़िला"}
	en := map[string]string{LevelSHG: "SHG", LevelCluster: "Cluster", LevelBlock: "Block", LevelDistrict: "District"}
	if lang == "en" {
		return en[level]
	}
	return hi[level]
}

// ParseLevel reads a level in English or Hindi (shg, समूह, cluster,
// क्लस्टर, block, ब्लॉक, विकासखंड, district, ज़िला, जिला, जनपद).
func ParseLevel(s string) (string, bool) {
	switch fold(s) {
	case "shg", "समूह":
		return LevelSHG, true
	case "cluster", "क्लस्टर", "ग्राम संगठन":
		return LevelCluster, true
	case "block", "ब्लॉक", "विकासखंड", "विकासखण्ड":
		return LevelBlock, true
	case "district", "जिला", "जनपद":
		return LevelDistrict, true
	}
	return "", false
}

// Rupees writes an amount the Indian way, in lakhs and crores:
// ₹1,23,456, ₹12,34,56,789, -₹500.
func Rupees(n int64) string {
	sign := ""
	u := uint64(n)
	if n < 0 {
		sign, u = "-", uint64(-(n+1))+1
	}
	s := strconv.FormatUint(u, 10)
	if len(s) > 3 {
		head, tail := s[:len(s)-3], s[len(s)-3:]
		var parts []string
		for len(head) > 2 {
			parts = append([]string{head[len(head)-2:]}, parts...)
			head = head[:len(head)-2]
		}
		s = strings.Join(append(append([]string{head}, parts...), tail), ",")
	}
	return sign + "₹" + s
}

// Percent rounds a percentage to a whole number, as Text shows it and as
// Excel's 0% format does (halves away from zero).
func Percent(pct float64) int { return int(math.Round(pct)) }

// monthName is a period's month and year, "दिसंबर 2026" or "December 2026";
// a period that is no month comes back as it is.
func monthName(period, lang string) string {
	t, err := time.Parse("2006-01", period)
	if err != nil {
		return period
	}
	if lang == "en" {
		return t.Format("January 2006")
	}
	months := [...]string{"जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर"}
	return fmt.Sprintf("%s %d", months[t.Month()-1], t.Year())
}

// maxProblemText is how much of an SHG's problem a chat line shows.
const maxProblemText = 60

// Text writes the rows of one level of a roll-up for a chat, in Hindi
// ("hi") or English ("en"), numbers in Latin digits, rupees the Indian
// way: a title line, then one line per row, e.g.
//
//	मैथा: 4 में से 2 समूहों ने रिपोर्ट दी · खाते 9/12 (75%) · बचत ₹4,500 · क़र्ज़ 1 (₹10,000) · पोषण वाटिका 1/2
//
// An SHG line gives its own numbers (or says that no report came), with
// the start of its problem. level "" is LevelBlock. SHGs that reported
// but are not on the roster are named at the end.
func Text(t Tables, lang, level string) string {
	if level == "" {
		level = LevelBlock
	}
	if lang != "en" {
		lang = "hi"
	}
	var b strings.Builder
	name := levelWords(level, lang)
	if name == "" {
		name = level
	}
	if lang == "en" {
		if level != LevelSHG {
			name = strings.ToLower(name)
		}
		fmt.Fprintf(&b, "Progress reports, %s — by %s", monthName(t.Period, lang), name)
	} else {
		fmt.Fprintf(&b, "प्रगति रिपोर्ट, %s — %s के हिसाब से", monthName(t.Period, lang), name)
	}
	rows := t.Rows(level)
	if len(rows) == 0 {
		if lang == "en" {
			b.WriteString("\nNo groups here.")
		} else {
			b.WriteString("\nयहाँ कोई समूह नहीं है।")
		}
	}
	for _, r := range rows {
		b.WriteString("\n")
		b.WriteString(line(r, lang))
	}
	if len(t.Unknown) > 0 {
		if lang == "en" {
			b.WriteString("\nReported but not on the roster: ")
		} else {
			b.WriteString("\nरिपोर्ट आई, पर सूची में नहीं: ")
		}
		b.WriteString(strings.Join(t.Unknown, ", "))
	}
	return b.String()
}

// line is one row of Text.
func line(r Row, lang string) string {
	en := lang == "en"
	name := r.Name
	if name == "" {
		name = "(बिना क्लस्टर)"
		if en {
			name = "(no cluster)"
		}
	}
	var parts []string
	add := func(hi, english string, args ...any) {
		if en {
			parts = append(parts, fmt.Sprintf(english, args...))
		} else {
			parts = append(parts, fmt.Sprintf(hi, args...))
		}
	}
	if r.Level == LevelSHG {
		if r.Reported == 0 {
			add("रिपोर्ट नहीं आई", "no report")
			return name + ": " + parts[0]
		}
		add("सदस्य %d", "members %d", r.Members)
		add("बैठकें %d", "meetings %d", r.Meetings)
	} else {
		switch {
		case r.Reported == 0:
			add("%d में से किसी समूह ने रिपोर्ट नहीं दी", "none of %d groups reported", r.Expected)
			return name + ": " + parts[0]
		case r.Reported == r.Expected && r.Expected > 1:
			add("सभी %d समूहों ने रिपोर्ट दी", "all %d groups reported", r.Expected)
		case r.Reported == 1:
			add("%d में से 1 समूह ने रिपोर्ट दी", "1 of %d groups reported", r.Expected)
		case en:
			parts = append(parts, fmt.Sprintf("%d of %d groups reported", r.Reported, r.Expected))
		default:
			parts = append(parts, fmt.Sprintf("%d में से %d समूहों ने रिपोर्ट दी", r.Expected, r.Reported))
		}
	}
	add("खाते %d/%d (%d%%)", "accounts %d/%d (%d%%)", r.Accounts, r.Members, Percent(r.AccountsPct))
	add("बचत %s", "savings %s", Rupees(r.Savings))
	if r.LoansCount > 0 {
		add("क़र्ज़ %d (%s)", "loans %d (%s)", r.LoansCount, Rupees(r.LoansAmount))
	} else {
		add("क़र्ज़ 0", "loans 0")
	}
	if r.Level == LevelSHG {
		if r.NutritionGroups > 0 {
			add("पोषण वाटिका: हाँ", "nutrition garden: yes")
		} else {
			add("पोषण वाटिका: नहीं", "nutrition garden: no")
		}
		if p := strings.Join(strings.Fields(r.Problem), " "); p != "" {
			if utf8.RuneCountInString(p) > maxProblemText {
				p = string([]rune(p)[:maxProblemText]) + "…"
			}
			add("समस्या: %s", "problem: %s", p)
		}
	} else {
		add("पोषण वाटिका %d/%d", "nutrition gardens %d/%d", r.NutritionGroups, r.Reported)
	}
	return name + ": " + strings.Join(parts, " · ")
}
