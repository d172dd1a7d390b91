package match_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/flows/match"
	"github.com/saathi-bot/saathi/locales"
)

// TestUnderstand plays the replies of testdata/understand/*.tsv, written
// the way people type them, through the readers, and checks that at least
// 98 % are understood, that no yes / no / not sure is taken for another and
// that no number, rating, code, reason or date is misread (a misread would
// be acted on; a re-ask is only slower).
//
// Columns: kind, input, expected. Expected values by kind:
//   - number, money: the number; "~" for a reply that must be asked again
//     for an exact number (approximation, range, bound, fraction, two
//     numbers); "?" for no number at all.
//   - rating: 1..5 or "?".
//   - yesno: yes, no, maybe or "?" (ask again); "no|reason" also checks the
//     reason kept with the no.
//   - reason: the reason's value in locales/words, or "?" (ask from the list).
//   - code: the digits; "none" for no digits (no try used up); "?" unclear.
//   - checkin: yes if the reply asks to check in, else no.
//   - command: help, cancel, language, english, hindi, or "-" for none.
//   - language: en, hi or "-".
//   - phone: the number in E.164 ("+919876543210"), or "?" for none.
//   - date_future, date_past: YYYY-MM-DD, or "?", asked on Tuesday 1
//     December 2026 at 10:00 IST.
//   - place_district, place_block, place_body: matched against the names of
//     places.<level>.txt: the name (taken, or confirmed with one yes), *a|b
//     offered as choices, "?" nothing close. Only a name taken without a
//     question is acted on: taking the wrong one is a misread.
func TestUnderstand(t *testing.T) {
	lex, err := locales.LoadWords()
	if err != nil {
		t.Fatal(err)
	}
	places := readPlaces(t)
	cases := readCases(t)
	if len(cases) < 1000 {
		t.Errorf("%d replies in testdata/understand; want at least 1000", len(cases))
	}
	type tally struct{ total, ok, misread int }
	kinds := map[string]*tally{}
	var all tally
	for _, c := range cases {
		got, misread := c.run(lex, places)
		k := kinds[c.kind]
		if k == nil {
			k = &tally{}
			kinds[c.kind] = k
		}
		k.total++
		all.total++
		switch {
		case got == c.want:
			k.ok++
			all.ok++
		case misread:
			k.misread++
			all.misread++
			t.Errorf("%s: %s %q read as %q, want %q: a misread", c.at, c.kind, c.input, got, c.want)
		default:
			t.Logf("%s: %s %q not understood: got %q, want %q", c.at, c.kind, c.input, got, c.want)
		}
	}
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-12s %6s %6s %6s %8s\n", "kind", "total", "ok", "misread", "understood")
	for _, n := range names {
		k := kinds[n]
		fmt.Fprintf(&b, "%-12s %6d %6d %6d %9.1f%%\n", n, k.total, k.ok, k.misread, 100*float64(k.ok)/float64(k.total))
	}
	fmt.Fprintf(&b, "%-12s %6d %6d %6d %9.1f%%", "all", all.total, all.ok, all.misread, 100*float64(all.ok)/float64(all.total))
	t.Log(b.String())
	if all.total > 0 && float64(all.ok) < 0.98*float64(all.total) {
		t.Errorf("understood %d of %d (%.1f%%); want at least 98%%", all.ok, all.total, 100*float64(all.ok)/float64(all.total))
	}
}

type understandCase struct {
	at, kind, input, want string
}

func readCases(t *testing.T) []understandCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "understand", "*.tsv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/understand/*.tsv: %v", err)
	}
	var cases []understandCase
	for _, f := range files {
		for _, r := range flowstest.Rows(t, f) {
			cases = append(cases, understandCase{r.At, r.Cols[0], r.Cols[1], r.Cols[2]})
		}
	}
	return cases
}

// readPlaces reads the names of testdata/understand/places.<level>.txt.
func readPlaces(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, level := range []string{"district", "block", "body"} {
		buf, err := os.ReadFile(filepath.Join("testdata", "understand", "places."+level+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(buf), "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
				out[level] = append(out[level], line)
			}
		}
	}
	return out
}

// asked is when the replies are read: Tuesday 1 December 2026, 10:00 IST.
var asked = time.Date(2026, 12, 1, 10, 0, 0, 0, time.FixedZone("IST", 5*3600+30*60))

// run reads the reply with the reader of its kind, and says what it got
// and whether that is a misread: a different value that would be acted on.
func (c understandCase) run(lex match.Lexicon, places map[string][]string) (got string, misread bool) {
	switch c.kind {
	case "place_district", "place_block", "place_body":
		kind, found := match.Place(c.input, places[strings.TrimPrefix(c.kind, "place_")])
		switch kind {
		case match.PlaceExact, match.PlaceNear:
			got = found[0]
		case match.PlaceMany:
			slices.Sort(found)
			got = "*" + strings.Join(found, "|")
		default:
			got = "?"
		}
		if want, ok := strings.CutPrefix(c.want, "*"); ok { // choices in any order
			names := strings.Split(want, "|")
			slices.Sort(names)
			c.want = "*" + strings.Join(names, "|")
		}
		// Taking a name that was not meant is acted on; a name offered
		// to confirm or choose is not.
		return got, kind == match.PlaceExact && got != c.want

	case "number", "money":
		n := match.ReadNumber(c.input)
		switch n.Kind {
		case match.Exact:
			got = strconv.FormatInt(n.Value, 10)
		case match.NoNumber:
			got = "?"
		default:
			got = "~"
		}
		return got, n.Kind == match.Exact && got != c.want
	case "phone":
		p, ok := match.Phone(c.input)
		if !ok {
			return "?", false
		}
		return p, p != c.want
	case "rating":
		v, ok := match.Rating(c.input)
		if !ok {
			return "?", false
		}
		got = strconv.Itoa(v)
		return got, got != c.want
	case "yesno":
		a, reason := match.YesNoReason(c.input)
		got = map[match.Answer]string{match.Yes: "yes", match.No: "no", match.Maybe: "maybe", match.Unknown: "?"}[a]
		wantAnswer, _, withReason := strings.Cut(c.want, "|")
		misread = got != "?" && got != wantAnswer
		if withReason && got == "no" {
			got += "|" + reason
		}
		return got, misread
	case "reason":
		v, ok := lex.Match("reasons", c.input)
		if !ok {
			return "?", false
		}
		return v, v != c.want
	case "code":
		code, kind := match.CheckinCode(c.input)
		switch kind {
		case match.NoCode:
			return "none", c.want != "none" && c.want != "?"
		case match.CodeUnclear:
			return "?", false
		}
		return code, code != c.want
	case "checkin":
		if match.IsCheckin(c.input) {
			return "yes", c.want != "yes"
		}
		return "no", false
	case "command":
		cmd, ok := match.Command(c.input)
		if !ok {
			return "-", false
		}
		return cmd, cmd != c.want
	case "language":
		l, ok := match.Language(c.input)
		if !ok {
			return "-", false
		}
		return l, l != c.want
	case "date_future", "date_past":
		dir := match.Future
		if c.kind == "date_past" {
			dir = match.Past
		}
		d, ok := match.DateIn(c.input, asked, dir)
		if !ok {
			return "?", false
		}
		got = d.Format("2006-01-02")
		return got, got != c.want
	}
	return "unknown kind " + c.kind, true
}
