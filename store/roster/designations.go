package roster

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// designationsYAML is the designations shipped with Saathi.
//
//go:embed designations.yaml
var designationsYAML []byte

// Designation is what a person is (सभासद, अधिशासी अधिकारी, MIS समन्वयक):
// what invitations, filters and breakdowns go by. What a person may do is
// a grant (Person.Role coordinator or admin), apart from it.
type Designation struct {
	ID      string   `yaml:"id"`
	Hi      string   `yaml:"hi"`
	En      string   `yaml:"en"`
	Aliases []string `yaml:"aliases"`
	// Kind is the kind of body or level it belongs to: urban, rural, shg,
	// block, district, division, state, programme.
	Kind string `yaml:"kind"`
	// Role is the older role key it counts as (sabhasad, parshad, pradhan,
	// ward_member, shg_member, other).
	Role string `yaml:"role"`
}

// Label is d's name in lang (hi unless en).
func (d Designation) Label(lang string) string {
	if lang == "en" && d.En != "" {
		return d.En
	}
	return d.Hi
}

// Designations is a set of designations, in the order they are offered.
// It is not changed once made, so one value may serve every goroutine.
type Designations struct {
	list  []Designation
	byKey map[string]int // designationKey of id, labels and aliases -> index
}

// builtinDesignations reads the shipped file once.
var builtinDesignations = sync.OnceValues(func() (*Designations, error) { return LoadDesignations() })

// BuiltinDesignations are the designations shipped with Saathi
// (store/roster/designations.yaml).
func BuiltinDesignations() *Designations {
	d, err := builtinDesignations()
	if err != nil {
		panic("roster: the built-in designations.yaml is broken: " + err.Error()) // a test catches it
	}
	return d
}

// LoadDesignations reads the built-in designations and then each extra
// file, in order: a designation whose id is known replaces it (its
// labels, aliases, kind and role), a new one is added at the end. A label
// or alias that would name two designations is an error, as is a
// designation without an id or a Hindi label, or with an unknown role.
func LoadDesignations(extra ...[]byte) (*Designations, error) {
	d := &Designations{byKey: map[string]int{}}
	for i, data := range append([][]byte{designationsYAML}, extra...) {
		var file struct {
			Designations []Designation `yaml:"designations"`
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&file); err != nil {
			return nil, fmt.Errorf("designations file %d: %w", i, err)
		}
		for _, x := range file.Designations {
			if err := d.add(x); err != nil {
				return nil, fmt.Errorf("designations file %d: %w", i, err)
			}
		}
	}
	return d, d.index()
}

// add puts x in the list, replacing a designation of the same id.
func (d *Designations) add(x Designation) error {
	x.ID = strings.TrimSpace(x.ID)
	switch {
	case x.ID == "":
		return fmt.Errorf("a designation has no id (%q)", x.Hi)
	case strings.ContainsAny(x.ID, ",|="):
		return fmt.Errorf("designation id %q: no , | or = in an id", x.ID)
	case strings.TrimSpace(x.Hi) == "":
		return fmt.Errorf("designation %s has no Hindi label (hi)", x.ID)
	}
	if x.Role == "" {
		x.Role = RoleOther
	}
	if r, ok := ParseRole(x.Role); !ok || r == RoleCoordinator || r == RoleAdmin {
		return fmt.Errorf("designation %s: role %q is none of sabhasad, parshad, pradhan, ward_member, shg_member, other", x.ID, x.Role)
	} else {
		x.Role = r
	}
	if i := slices.IndexFunc(d.list, func(y Designation) bool { return y.ID == x.ID }); i >= 0 {
		d.list[i] = x
		return nil
	}
	d.list = append(d.list, x)
	return nil
}

// index maps every id, label and alias to its designation.
func (d *Designations) index() error {
	d.byKey = map[string]int{}
	for i, x := range d.list {
		for _, name := range append([]string{x.ID, x.Hi, x.En}, x.Aliases...) {
			k := designationKey(name)
			if k == "" {
				continue
			}
			if j, dup := d.byKey[k]; dup && j != i {
				return fmt.Errorf("%q names both %s and %s", name, d.list[j].ID, x.ID)
			}
			d.byKey[k] = i
		}
	}
	return nil
}

// designationKey is a name for lookups: folded, without spaces, dots,
// hyphens, underscores or brackets ("ADO (ISB)" = "ado isb" = "ADO-ISB").
func designationKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '_', '-', '(', ')', '/', '।':
			return -1
		}
		return r
	}, fold(s))
}

// Lookup finds the designation an id, label or alias names, in either
// language.
func (d *Designations) Lookup(s string) (Designation, bool) {
	d = d.orBuiltin()
	i, ok := d.byKey[designationKey(s)]
	if !ok {
		return Designation{}, false
	}
	return d.list[i], true
}

// All lists the designations in their order.
func (d *Designations) All() []Designation { return slices.Clone(d.orBuiltin().list) }

// orBuiltin is d, or the built-in designations when d is nil: a nil
// *Designations works as the built-in ones.
func (d *Designations) orBuiltin() *Designations {
	if d == nil {
		return BuiltinDesignations()
	}
	return d
}

// Label is the label in lang of the designation id, or id itself when
// there is no such designation.
func (d *Designations) Label(lang, id string) string {
	if x, ok := d.Lookup(id); ok {
		return x.Label(lang)
	}
	return id
}

// Accepted lists every designation's label in lang, comma-separated: what
// a refusal tells the coordinator they may write.
func (d *Designations) Accepted(lang string) string {
	d = d.orBuiltin()
	names := make([]string, len(d.list))
	for i, x := range d.list {
		names[i] = x.Label(lang)
	}
	return strings.Join(names, ", ")
}

// grantNames maps what a grant column (or a legacy role cell) may say to
// the grants: coordinator and admin.
var grantNames = foldedKeys(roleKey, map[string]string{
	"coordinator": RoleCoordinator, "समन्वयक": RoleCoordinator, "coordinator grant": RoleCoordinator, "कोऑर्डिनेटर": RoleCoordinator,
	"admin": RoleAdmin, "एडमिन": RoleAdmin, "प्रशासक": RoleAdmin, "administrator": RoleAdmin,
})

// parseGrant reads a grant: coordinator or admin, in English or Hindi.
func parseGrant(s string) (string, bool) {
	g, ok := grantNames[roleKey(s)]
	return g, ok
}
