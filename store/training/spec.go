package training

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/saathi-bot/saathi/locales"
)

// MaxDays is the most days one training may have.
const MaxDays = 31

// DefaultEnd is the daily end time of a spec that does not give one.
const DefaultEnd = "17:00"

// Spec is a training as a coordinator writes it, on the command line or in
// a YAML file: a start date and time in IST, a number of consecutive days,
// and a daily end time. Spec.Training checks it and makes the Training.
type Spec struct {
	Title    string   `yaml:"title"`
	Topic    string   `yaml:"topic"`
	Venue    string   `yaml:"venue"`
	Lat      *float64 `yaml:"lat"` // optional; with Lon
	Lon      *float64 `yaml:"lon"`
	Start    string   `yaml:"start"` // "2026-12-05T10:00" (or "2026-12-05 10:00"), IST
	Days     int      `yaml:"days"`  // consecutive days; 0 means 1
	End      string   `yaml:"end"`   // daily end "17:00"; empty means DefaultEnd
	Batch    string   `yaml:"batch"`
	Capacity int      `yaml:"capacity"` // 0 = unlimited
	Modules  []string `yaml:"modules"`
	Invite   string   `yaml:"invite"`
	Radius   int      `yaml:"radius"` // metres; 0 means DefaultRadius
	// Code is the training's stable code in a calendar (see Training.Code).
	Code string `yaml:"code"`
	// Reminders: the reminder plan, e.g. [2d@10:00, eve, 2h]; empty: the default.
	Reminders []string `yaml:"reminders"`
	Note      string   `yaml:"note"` // travel or assembly point, shown in reminders
	// CreatedBy is not read from YAML: the caller says who creates.
	CreatedBy string `yaml:"-"`
}

// startLayouts are the forms Spec.Start may take, all read in IST.
var startLayouts = []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02 15:04:05"}

// Training checks the spec and makes the training it describes. Every
// problem is reported (joined), each a *FieldError naming its field. Each
// day starts at the start's clock time, on consecutive dates, and ends at
// End on the same date.
func (s Spec) Training() (Training, error) {
	var errs []error
	bad := func(field, hindi, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Problem: fmt.Sprintf(format, args...), Hindi: hindi})
	}
	t := Training{
		Title: strings.TrimSpace(s.Title), Topic: strings.TrimSpace(s.Topic), Venue: strings.TrimSpace(s.Venue),
		Batch: strings.TrimSpace(s.Batch), Modules: cleanList(s.Modules), Capacity: s.Capacity,
		Invite: strings.TrimSpace(s.Invite), Radius: s.Radius, CreatedBy: s.CreatedBy, Code: NormalizeCode(s.Code),
		Reminders: normalizedReminders(s.Reminders), Note: strings.TrimSpace(s.Note),
	}
	errs = append(errs, t.checkReminders()...)
	if t.Title == "" {
		bad("title", "प्रशिक्षण का नाम लिखें", "is required")
	}
	if t.Venue == "" {
		bad("venue", "जगह लिखें", "is required")
	}
	var start time.Time
	if strings.TrimSpace(s.Start) == "" {
		bad("start", "शुरू होने की तारीख़ और समय लिखें, जैसे 2026-12-05T10:00", "is required, as YYYY-MM-DDTHH:MM in IST (e.g. 2026-12-05T10:00)")
	} else {
		var err error
		start, err = parseStart(s.Start)
		if err != nil {
			bad("start", fmt.Sprintf("%q समझ नहीं आया। तारीख़ और समय ऐसे लिखें: 2026-12-05T10:00", s.Start), "%q is not YYYY-MM-DDTHH:MM in IST (e.g. 2026-12-05T10:00)", s.Start)
		}
	}
	days := s.Days
	switch {
	case days == 0:
		days = 1
	case days < 0 || days > MaxDays:
		bad("days", fmt.Sprintf("दिन 1 से %d तक हो सकते हैं, %d नहीं", MaxDays, s.Days), "must be between 1 and %d, not %d", MaxDays, s.Days)
	}
	end := strings.TrimSpace(s.End)
	if end == "" {
		end = DefaultEnd
	}
	endClock, err := time.Parse("15:04", end)
	if err != nil {
		bad("end", fmt.Sprintf("%q समझ नहीं आया। समय ऐसे लिखें: 17:00", s.End), "%q is not a time of day HH:MM (e.g. 17:00)", s.End)
	}
	if s.Capacity < 0 {
		bad("capacity", fmt.Sprintf("0 (कोई सीमा नहीं) या उससे ज़्यादा हो, %d नहीं", s.Capacity), "must be 0 (unlimited) or more, not %d", s.Capacity)
	}
	switch {
	case s.Radius < 0:
		bad("radius", fmt.Sprintf("0 (यानी %d मीटर) या उससे ज़्यादा हो, %d नहीं", DefaultRadius, s.Radius), "must be 0 (default %d m) or more, not %d", DefaultRadius, s.Radius)
	case s.Radius == 0:
		t.Radius = DefaultRadius
	}
	switch {
	case (s.Lat == nil) != (s.Lon == nil):
		bad("lat", "अक्षांश और देशांतर दोनों साथ दें, या दोनों छोड़ दें", "lat and lon go together: give both or neither")
	case s.Lat != nil:
		if math.IsNaN(*s.Lat) || *s.Lat < -90 || *s.Lat > 90 {
			bad("lat", fmt.Sprintf("-90 से 90 के बीच हो, %v नहीं", *s.Lat), "must be between -90 and 90, not %v", *s.Lat)
		}
		if math.IsNaN(*s.Lon) || *s.Lon < -180 || *s.Lon > 180 {
			bad("lon", fmt.Sprintf("-180 से 180 के बीच हो, %v नहीं", *s.Lon), "must be between -180 and 180, not %v", *s.Lon)
		}
		t.Lat, t.Lon, t.HasLocation = *s.Lat, *s.Lon, true
	}
	if !start.IsZero() && err == nil && days >= 1 && days <= MaxDays {
		for i := range days {
			d0 := start.AddDate(0, 0, i)
			d1 := time.Date(d0.Year(), d0.Month(), d0.Day(), endClock.Hour(), endClock.Minute(), 0, 0, locales.IST)
			if i == 0 && !d1.After(d0) {
				bad("end", fmt.Sprintf("दिन %s बजे ख़त्म होता, जो %s बजे की शुरुआत के बाद नहीं है", end, start.Format("15:04")), "the day ends at %s, not after it starts at %s", end, start.Format("15:04"))
				break
			}
			t.Days = append(t.Days, Day{Start: d0, End: d1})
		}
	}
	if len(errs) > 0 {
		return Training{}, errors.Join(errs...)
	}
	return t, nil
}

// parseStart reads a start date and time in IST.
func parseStart(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var err error
	for _, layout := range startLayouts {
		var t time.Time
		if t, err = time.ParseInLocation(layout, s, locales.IST); err == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

// SplitList splits a list from the command line or a chat answer, by commas
// ("जल आपूर्ति,सीवेज,बजट"), the Hindi full stop or line breaks (one item a
// line), trimming items and dropping empty and repeated ones.
func SplitList(s string) []string {
	return cleanList(strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '\n' || r == '\r' || r == '।' || r == '，'
	}))
}

// normalizedReminders is a plan as written, each reminder in the plan's
// own words (NormalizeReminder), so that "2 घंटे पहले" and "2h" are one.
func normalizedReminders(items []string) []string {
	items = cleanList(items)
	for i, x := range items {
		items[i] = NormalizeReminder(x)
	}
	return cleanList(items)
}

// cleanList trims items and drops empty and repeated ones.
func cleanList(items []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range items {
		x = strings.TrimSpace(x)
		if x == "" || seen[x] {
			continue
		}
		seen[x] = true
		out = append(out, x)
	}
	return out
}

// specFields are the keys a training may have in YAML.
var specFields = map[string]bool{
	"title": true, "topic": true, "venue": true, "lat": true, "lon": true, "start": true, "days": true,
	"end": true, "batch": true, "capacity": true, "modules": true, "invite": true, "radius": true, "code": true,
}

// LoadYAML reads trainings from YAML: one training (a mapping), a list of
// them, or several documents of either. Keys are those of Spec (title,
// topic, venue, lat, lon, start, days, end, batch, capacity, modules,
// invite, radius, code); an unknown key is an error, so a typo is not silently
// lost. Problems are reported for every training, each with its position
// and line.
func LoadYAML(r io.Reader) ([]Training, error) {
	rows, err := loadYAML(r)
	if err != nil {
		return nil, err
	}
	out := make([]Training, len(rows))
	for i, row := range rows {
		out[i] = row.Training
	}
	return out, nil
}

// loadYAML is LoadYAML giving each training with its line.
func loadYAML(r io.Reader) ([]CalendarRow, error) {
	dec := yaml.NewDecoder(r)
	var nodes []*yaml.Node
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read trainings yaml: %w", err)
		}
		if len(doc.Content) == 0 {
			continue
		}
		switch n := doc.Content[0]; n.Kind {
		case yaml.MappingNode:
			nodes = append(nodes, n)
		case yaml.SequenceNode:
			for _, item := range n.Content {
				if item.Kind != yaml.MappingNode {
					return nil, fmt.Errorf("read trainings yaml: line %d: a training is a mapping (title: ..., start: ...) but this is not", item.Line)
				}
				nodes = append(nodes, item)
			}
		default:
			return nil, fmt.Errorf("read trainings yaml: line %d: want a training or a list of trainings", n.Line)
		}
	}
	if len(nodes) == 0 {
		return nil, errors.New("read trainings yaml: no trainings in the file")
	}
	var out []CalendarRow
	var errs []error
	for i, n := range nodes {
		where := fmt.Sprintf("training %d (line %d)", i+1, n.Line)
		t, err := decodeSpec(n)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
			continue
		}
		out = append(out, CalendarRow{Line: n.Line, Training: t})
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("read trainings yaml: %w", errors.Join(errs...))
	}
	return out, nil
}

// decodeSpec reads one training mapping.
func decodeSpec(n *yaml.Node) (Training, error) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !specFields[k.Value] {
			return Training{}, &FieldError{Field: k.Value, Problem: fmt.Sprintf("unknown key at line %d", k.Line)}
		}
	}
	var s Spec
	if err := n.Decode(&s); err != nil {
		return Training{}, err
	}
	return s.Training()
}
