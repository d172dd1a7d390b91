package training

import (
	"errors"
	"testing"
)

// Every problem Spec.Training and Validate find is said in Hindi too,
// for the coordinator's terminal.
func TestFieldErrorsHaveHindi(t *testing.T) {
	lat, bigLat, bigLon := 10.0, 91.0, 181.0
	specs := []Spec{
		{},
		{Title: "x", Venue: "y", Start: "कल", Days: 40, End: "5pm", Capacity: -1, Radius: -1, Lat: &lat},
		{Title: "x", Venue: "y", Start: "2030-01-01T10:00", End: "09:00", Lat: &bigLat, Lon: &bigLon, Reminders: []string{"sometime"}},
	}
	fields := map[string]bool{}
	for _, s := range specs {
		_, err := s.Training()
		j, ok := err.(interface{ Unwrap() []error })
		if !ok {
			t.Fatalf("%+v: %v, want joined field errors", s, err)
		}
		for _, e := range j.Unwrap() {
			var fe *FieldError
			if !errors.As(e, &fe) || fe.Hindi == "" {
				t.Errorf("%+v: %v has no Hindi", s, e)
				continue
			}
			fields[fe.Field] = true
		}
	}
	for _, f := range []string{"title", "venue", "start", "days", "end", "capacity", "radius", "lat", "lon", "reminders"} {
		if !fields[f] {
			t.Errorf("no problem with %s was made", f)
		}
	}
}
