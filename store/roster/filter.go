package roster

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Filter selects people by role and geography. Each field lists the values
// it accepts (any one of them will do); an empty field accepts everyone; a
// person must be accepted by every field. Values compare trimmed, without
// case and without nukta (ज़िला = जिला), Devanagari digits as Latin ones.
// The zero Filter selects everyone.
type Filter struct {
	Role        []string // role keys: sabhasad, shg_member, coordinator …
	Designation []string // designation ids: eo, nagar_ayukt, mis_coordinator …
	Division    []string
	District    []string
	Block       []string
	Body        []string
	Ward        []string
	SHG         []string
	Cluster     []string
	Phone       []string // E.164: a list of people
	// Not are terms that exclude: a place of a person that one of them
	// selects does not count ("-designation=अध्यक्ष"), each one key.
	Not []Filter
}

// filterKeys are the keys of a filter, in the order String writes them.
var filterKeys = []string{colRole, colDesignation, colDivision, colDistrict, colBlock, colBody, colWard, colSHG, colCluster, colPhone}

// field points at the values of key in f, or nil if key is no filter key.
func (f *Filter) field(key string) *[]string {
	switch key {
	case colRole:
		return &f.Role
	case colDesignation:
		return &f.Designation
	case colDivision:
		return &f.Division
	case colDistrict:
		return &f.District
	case colBlock:
		return &f.Block
	case colBody:
		return &f.Body
	case colWard:
		return &f.Ward
	case colSHG:
		return &f.SHG
	case colCluster:
		return &f.Cluster
	case colPhone:
		return &f.Phone
	}
	return nil
}

// personField is p's value for a filter key or scope level.
func personField(p Person, key string) string {
	switch key {
	case colRole:
		return p.Role
	case colDesignation:
		return p.Designation
	case colDivision:
		return p.Division
	case colDistrict:
		return p.District
	case colBlock:
		return p.Block
	case colBody:
		return p.Body
	case colWard:
		return p.Ward
	case colSHG:
		return p.SHG
	case colCluster:
		return p.Cluster
	case colPhone:
		return p.Phone
	}
	return ""
}

// ParseFilter reads a filter written as comma-separated key=value terms,
// with | between alternatives:
//
//	role=sabhasad|parshad,body=नगर पंचायत अनपरा
//	पद=अधिशासी अधिकारी|नगर आयुक्त,मंडल=मिर्जापुर
//
// Keys are role, designation, division, district, block, body, ward, shg,
// cluster and phone (a list of people: phone=9018159083|9131860913), or
// their Hindi names (पद, मंडल, जिला/जनपद, ब्लॉक/विकासखंड, निकाय, वार्ड,
// समूह, क्लस्टर, मोबाइल). Roles may be given in
// Hindi too; a designation by its id, label or alias in either language
// (the built-in designations: see Designations.ParseFilter), and
// designation=समन्वयक (a grant, not a designation) means role=coordinator.
// A key given twice adds alternatives. A term with "-" before its key
// excludes whom it names: "पद=अधिशासी अधिकारी|अध्यक्ष,-निकाय=नगर पंचायत
// चोपन". The empty string selects everyone. Values cannot contain "," or
// "|".
func ParseFilter(s string) (Filter, error) { return BuiltinDesignations().ParseFilter(s) }

// FilterError is a filter that could not be read: what is wrong, in
// English and in plain Hindi.
type FilterError struct {
	Filter  string
	Problem string
	hindi   string
}

func (e *FilterError) Error() string { return fmt.Sprintf("filter %q: %s", e.Filter, e.Problem) }

// Hindi is the problem in plain Hindi, without the filter.
func (e *FilterError) Hindi() string { return e.hindi }

// ParseFilter reads a filter as the package's ParseFilter does, naming
// designations from ds.
func (ds *Designations) ParseFilter(s string) (Filter, error) {
	var f Filter
	bad := func(hindi, format string, args ...any) (Filter, error) {
		return Filter{}, &FilterError{Filter: s, Problem: fmt.Sprintf(format, args...), hindi: hindi}
	}
	for term := range strings.SplitSeq(s, ",") {
		term = strings.TrimSpace(term)
		if term == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(term, "-"); ok {
			not, err := ds.ParseFilter(rest)
			if err != nil {
				return Filter{}, err
			}
			if len(not.Not) > 0 || not.String() == "" {
				return bad(fmt.Sprintf("%q समझ नहीं आया: किसी को छोड़ना हो तो आगे - लगाकर लिखें, जैसे “-designation=अध्यक्ष”", term), "%q: want -key=value", term)
			}
			f.Not = append(f.Not, not)
			continue
		}
		k, v, ok := strings.Cut(term, "=")
		if !ok {
			return bad(fmt.Sprintf("%q समझ नहीं आया: ऐसे लिखें, जैसे “role=sabhasad”", term), "%q is not key=value (e.g. role=sabhasad)", term)
		}
		key, known := headerNames[headerKey(k)]
		vals := f.field(key)
		if !known || vals == nil {
			return bad(fmt.Sprintf("%q से लोग नहीं चुने जाते। इनमें से लिखें: %s", strings.TrimSpace(k), strings.Join(filterKeys, "|")),
				"unknown key %q (keys: %s)", strings.TrimSpace(k), strings.Join(filterKeys, ", "))
		}
		for val := range strings.SplitSeq(v, "|") {
			val = clean(val)
			switch {
			case val == "":
				return bad(fmt.Sprintf("“%s=” के बाद कुछ लिखें", key), "%s has an empty value", key)
			case key == colRole:
				role, ok := ParseRole(val)
				if !ok {
					return bad(fmt.Sprintf("%q कोई भूमिका नहीं है, जैसे “role=sabhasad” लिखें", val), "unknown role %q", val)
				}
				val = role
			case key == colDesignation:
				if g, ok := parseGrant(val); ok { // पद=समन्वयक: the older role
					vals, val = &f.Role, g
					break
				}
				d, ok := ds.Lookup(val)
				if !ok {
					return bad(fmt.Sprintf("%q कोई पदनाम नहीं है। पदनाम ये हैं: %s", val, ds.Accepted("hi")), "unknown designation %q (known: %s)", val, ds.Accepted("en"))
				}
				val = d.ID
			case key == colWard:
				val = asciiDigits(val)
			case key == colPhone:
				phone, ok := NormalizePhone(val)
				if !ok {
					return bad(fmt.Sprintf("%q मोबाइल नंबर नहीं है", val), "%q is not a mobile number", val)
				}
				val = phone
			}
			if !slices.ContainsFunc(*vals, func(x string) bool { return fold(x) == fold(val) }) {
				*vals = append(*vals, val)
			}
			vals = f.field(key)
		}
	}
	return f, nil
}

// Match reports whether f selects p: p at any of their places (Person.Also).
func (f Filter) Match(p Person) bool { return f.matcher().match(p) }

// matcher is a filter made ready to match many people: its values read
// (a role in Hindi, a designation by its label) and folded once.
type matcher struct {
	keys []string
	vals [][]string // folded, per key
	not  []matcher  // Filter.Not
}

func (f Filter) matcher() matcher {
	var m matcher
	for _, not := range f.Not {
		m.not = append(m.not, not.matcher())
	}
	for _, key := range filterKeys {
		vals := *f.field(key)
		if len(vals) == 0 {
			continue
		}
		folded := make([]string, len(vals))
		for i, v := range vals {
			if r, ok := ParseRole(v); ok && key == colRole {
				v = r // a Filter built in code may name a role in Hindi
			}
			if d, ok := BuiltinDesignations().Lookup(v); ok && key == colDesignation {
				v = d.ID // or a designation by its label
			}
			folded[i] = fold(v)
		}
		m.keys, m.vals = append(m.keys, key), append(m.vals, folded)
	}
	return m
}

func (m matcher) match(p Person) bool {
	if len(m.keys) == 0 && len(m.not) == 0 {
		return true
	}
	return slices.ContainsFunc(p.atEach(), m.matchOne)
}

func (m matcher) matchOne(p Person) bool {
	for _, not := range m.not {
		if not.matchOne(p) {
			return false
		}
	}
	for i, key := range m.keys {
		if !slices.Contains(m.vals[i], fold(personField(p, key))) {
			return false
		}
	}
	return true
}

// String writes f as ParseFilter reads it, e.g.
// "role=sabhasad|parshad,body=नगर पंचायत अनपरा"; the zero Filter is "".
func (f Filter) String() string {
	var terms []string
	for _, key := range filterKeys {
		if vals := *f.field(key); len(vals) > 0 {
			terms = append(terms, key+"="+strings.Join(vals, "|"))
		}
	}
	for _, not := range f.Not {
		terms = append(terms, "-"+not.String())
	}
	return strings.Join(terms, ",")
}

// Scope levels, widest first.
const (
	LevelAll      = "all"
	LevelDivision = colDivision
	LevelDistrict = colDistrict
	LevelBlock    = colBlock
	LevelBody     = colBody
)

// Scope is the geography a coordinator may reach: everyone (Level "all"),
// or the people whose division, district, block or body is Value.
type Scope struct {
	Level, Value string
}

// Scope is the geography p may reach as a coordinator: everything for an
// admin; for a coordinator, the narrowest of body, block, district and
// division that p's row gives. ok is false for everyone else, and for a
// coordinator whose row gives no geography.
func (p Person) Scope() (s Scope, ok bool) {
	switch {
	case p.IsAdmin():
		return Scope{Level: LevelAll}, true
	case p.Role != RoleCoordinator:
		return Scope{}, false
	case p.Body != "":
		return Scope{LevelBody, p.Body}, true
	case p.Block != "":
		return Scope{LevelBlock, p.Block}, true
	case p.District != "":
		return Scope{LevelDistrict, p.District}, true
	case p.Division != "":
		return Scope{LevelDivision, p.Division}, true
	}
	return Scope{}, false
}

// Contains reports whether p is inside s. Names compare as in Filter.
//
// Only the scope's own level is compared: a block scope contains everyone
// whose block has that name, in whichever district. Names that repeat
// across districts (gram panchayats often do) are a known limit.
func (s Scope) Contains(p Person) bool {
	switch s.Level {
	case LevelAll:
		return true
	case LevelDivision, LevelDistrict, LevelBlock, LevelBody:
		return s.Value != "" && slices.ContainsFunc(p.atEach(), func(q Person) bool { return fold(personField(q, s.Level)) == fold(s.Value) })
	}
	return false
}

// narrower lists, for each level, the filter keys that pick places inside it.
var narrower = map[string][]string{
	LevelDivision: {colDistrict, colBlock, colBody, colWard, colSHG, colCluster},
	LevelDistrict: {colBlock, colBody, colWard, colSHG, colCluster},
	LevelBlock:    {colBody, colWard, colSHG, colCluster},
	LevelBody:     {colWard},
}

// Allows reports whether a coordinator of scope s may ask for f: f pins
// the scope's level to the scope's value (district=कानपुर देहात for that
// district), or leaves that level open but pins a narrower one
// (block=मैथा, body=…, ward=…). A filter that names another place at the
// scope's level, or only wider or non-geographic terms (role=sabhasad
// alone), is not allowed. An admin's scope allows everything.
//
// Allows is about what the coordinator asked for, not a guarantee: the
// data does not promise that a block of that name lies in the district.
// Always keep the selection to s.Contains — Roster.SelectIn does.
func (s Scope) Allows(f Filter) bool {
	if s.Level == LevelAll {
		return true
	}
	more, ok := narrower[s.Level]
	if !ok || s.Value == "" {
		return false
	}
	if vals := *f.field(s.Level); len(vals) > 0 {
		return !slices.ContainsFunc(vals, func(v string) bool { return fold(v) != fold(s.Value) })
	}
	return slices.ContainsFunc(more, func(key string) bool { return len(*f.field(key)) > 0 })
}

// String writes s as "all" or level=value, e.g. "block=मैथा".
func (s Scope) String() string {
	if s.Level == LevelAll {
		return LevelAll
	}
	return s.Level + "=" + s.Value
}

// fold is s for comparison: lower case, spaces trimmed and collapsed,
// without nukta (ज़ = ज), with chandrabindu as anusvara (ँ = ं), without
// zero-width joiners, Devanagari digits as Latin ones.
func fold(s string) string {
	if folded(s) {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case r == '\u093C', r == '\u200C', r == '\u200D', r == '\uFEFF':
			continue
		case r == '\u0901':
			r = '\u0902'
		case r >= '०' && r <= '९':
			r = '0' + (r - '०')
		case unicode.IsSpace(r):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return norm.NFC.String(b.String())
}

// folded tells whether fold(s) is s: lower-case ASCII letters, digits and
// punctuation, and Devanagari without nukta, chandrabindu or digits, with
// single spaces between words. Most names are; they are compared without
// the work.
func folded(s string) bool {
	return singleSpaced(s, func(r rune) bool {
		switch {
		case r > ' ' && r < 0x7F:
			return r < 'A' || r > 'Z'
		case r == 0x093C, r == 0x0901, r >= 0x0966 && r <= 0x096F, // nukta, chandrabindu, digits
			r == 0x0929, r == 0x0931, r == 0x0934, r >= 0x0958 && r <= 0x095F: // letters with a nukta
			return false
		}
		return r >= 0x0900 && r <= 0x097F
	})
}

// singleSpaced tells whether s is words of runes ok accepts with single
// spaces between them, none at the ends.
func singleSpaced(s string, ok func(rune) bool) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	space := false
	for _, r := range s {
		if r == ' ' {
			if space {
				return false
			}
			space = true
			continue
		}
		if !ok(r) {
			return false
		}
		space = false
	}
	return true
}
