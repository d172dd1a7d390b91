package console

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/flows"
)

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

func TestSendSavesDocuments(t *testing.T) {
	var out strings.Builder
	c := New(strings.NewReader(""), &out, "u1")
	c.FileDir = t.TempDir()
	err := c.Send(context.Background(), "u1", []flows.Reply{{Text: "अनपरा की सूची", File: &flows.File{Name: "../anpara.xlsx", Data: []byte("PK\x03\x04")}}})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(c.FileDir, "anpara.xlsx") // the name cannot leave FileDir
	data, err := os.ReadFile(path)
	if err != nil || string(data) != "PK\x03\x04" {
		t.Fatalf("saved %q, %v", data, err)
	}
	if !strings.Contains(out.String(), "🤖 अनपरा की सूची") || !strings.Contains(out.String(), "📎 "+path) {
		t.Fatalf("printed %q", out.String())
	}
}
