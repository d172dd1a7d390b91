package console

import "testing"

func TestParseLocation(t *testing.T) {
	for _, tc := range []struct {
		in       string
		ok       bool
		lat, lon float64
	}{
		{"📍 24.1685,82.8013", true, 24.1685, 82.8013},
		{"loc 24.1685, 82.8013", true, 24.1685, 82.8013},
		{"location: 26.85,80.95", true, 26.85, 80.95},
		{"Location 26.85,80.95", true, 26.85, 80.95},
		{"लोकेशन", false, 0, 0},
		{"loc 200,1", false, 0, 0},
		{"24.1,82.8", false, 0, 0},
		{"lokesh", false, 0, 0},
	} {
		loc, ok := parseLocation(tc.in)
		if ok != tc.ok || ok && (loc.Lat != tc.lat || loc.Lon != tc.lon) {
			t.Errorf("parseLocation(%q) = %+v, %v", tc.in, loc, ok)
		}
	}
}
