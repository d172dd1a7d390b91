// Package roster reads the roster coordinators keep — one person per row,
// the columns of roster-sample.csv — and keeps it in Redis, keyed by phone.
package roster

import (
	"context"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/nyaruka/phonenumbers"
	"github.com/redis/go-redis/v9"
)

// Sample is the sample roster (invented people) the demo is seeded with.
//
//go:embed roster-sample.csv
var Sample []byte

// Person is one row of the roster.
type Person struct {
	Name, Phone, Role                     string // Phone in E.164
	Division, District, Block, Body, Ward string
	SHG, Cluster, Language                string
}

// RowError is a row that could not be read, with its line number in the file.
type RowError struct {
	Line   int
	Reason string
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// Roles a roster may give.
var roles = map[string]bool{
	"sabhasad": true, "parshad": true, "pradhan": true, "ward_member": true,
	"shg_member": true, "coordinator": true, "admin": true, "other": true,
}

// headers maps column names, English and Hindi, to Person fields.
var headers = map[string]string{
	"name": "name", "नाम": "name", "phone": "phone", "mobile": "phone", "मोबाइल": "phone", "फोन": "phone",
	"role": "role", "पद": "role", "division": "division", "मंडल": "division",
	"district": "district", "जिला": "district", "ज़िला": "district", "जनपद": "district",
	"block": "block", "ब्लॉक": "block", "विकासखंड": "block", "ब्लॉक/विकासखंड": "block",
	"body": "body", "निकाय": "body", "ward": "ward", "वार्ड": "ward",
	"shg": "shg", "समूह": "shg", "cluster": "cluster", "क्लस्टर": "cluster",
	"language": "language", "भाषा": "language",
}

// ParseCSV reads a roster. Good rows come back as people; each bad row
// comes back as a RowError with its line number, and the rest go on.
func ParseCSV(r io.Reader) ([]Person, []RowError, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("read roster header: %w", err)
	}
	cols := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if f, ok := headers[h]; ok {
			cols[f] = i
		}
	}
	for _, need := range []string{"name", "phone", "role"} {
		if _, ok := cols[need]; !ok {
			return nil, nil, fmt.Errorf("roster has no %q column", need)
		}
	}
	var people []Person
	var bad []RowError
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return people, bad, fmt.Errorf("read roster: %w", err)
			}
			bad = append(bad, RowError{Line: pe.StartLine, Reason: pe.Err.Error()})
			continue
		}
		line, _ := cr.FieldPos(0)
		get := func(f string) string {
			if i, ok := cols[f]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		p := Person{
			Name: get("name"), Role: strings.ToLower(get("role")), Division: get("division"), District: get("district"),
			Block: get("block"), Body: get("body"), Ward: get("ward"), SHG: get("shg"), Cluster: get("cluster"), Language: get("language"),
		}
		switch phone, ok := NormalizePhone(get("phone")); {
		case p.Name == "":
			bad = append(bad, RowError{Line: line, Reason: "name is missing"})
		case !ok:
			bad = append(bad, RowError{Line: line, Reason: fmt.Sprintf("phone %q is not an Indian mobile number", get("phone"))})
		case !roles[p.Role]:
			bad = append(bad, RowError{Line: line, Reason: fmt.Sprintf("unknown role %q", get("role"))})
		default:
			p.Phone = phone
			people = append(people, p)
		}
	}
	return people, bad, nil
}

// NormalizePhone writes an Indian number in E.164 (+91XXXXXXXXXX).
func NormalizePhone(s string) (string, bool) {
	num, err := phonenumbers.Parse(s, "IN")
	if err != nil || !phonenumbers.IsValidNumberForRegion(num, "IN") {
		return "", false
	}
	return phonenumbers.Format(num, phonenumbers.E164), true
}

const (
	personPrefix = "saathi:person:"
	peopleKey    = "saathi:people"
)

// Save writes people keyed by phone, in one round trip: saving a person
// again updates them, never duplicates them.
func Save(ctx context.Context, rdb redis.UniversalClient, people []Person) error {
	_, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, x := range people {
			p.HSet(ctx, personPrefix+x.Phone, map[string]any{
				"name": x.Name, "phone": x.Phone, "role": x.Role, "division": x.Division, "district": x.District,
				"block": x.Block, "body": x.Body, "ward": x.Ward, "shg": x.SHG, "cluster": x.Cluster, "language": x.Language,
			})
			p.SAdd(ctx, peopleKey, x.Phone)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save %d people: %w", len(people), err)
	}
	return nil
}

// Count is how many people the roster holds.
func Count(ctx context.Context, rdb redis.UniversalClient) (int64, error) {
	n, err := rdb.SCard(ctx, peopleKey).Result()
	if err != nil {
		return 0, fmt.Errorf("count people: %w", err)
	}
	return n, nil
}
