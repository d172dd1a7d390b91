package locales

import (
	"strings"
	"testing"
	"time"
)

func load(t *testing.T) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestEveryMessageInEveryLanguage(t *testing.T) {
	c := load(t)
	langs := c.Languages()
	if strings.Join(langs, ",") != "en,hi" {
		t.Fatalf("languages = %v, want en and hi", langs)
	}
	for _, have := range langs {
		for _, id := range c.IDs(have) {
			for _, lang := range langs {
				if !c.Has(lang, id) {
					t.Errorf("message %q (in %s) is missing in %q", id, c.Source(have, id), lang)
				}
			}
		}
	}
}

func TestTextAndFallbacks(t *testing.T) {
	c := load(t)
	if got := c.Text("hi", "main.hello", map[string]string{"name": "सरिता"}); !strings.Contains(got, "सरिता जी") {
		t.Errorf("hi main.hello = %q", got)
	}
	if got := c.Text("en", "main.hello", map[string]string{"name": "Sarita"}); !strings.HasPrefix(got, "Hello Sarita") {
		t.Errorf("en main.hello = %q", got)
	}
	if got, want := c.Text("fr", "common.yes", nil), "हाँ"; got != want {
		t.Errorf("unknown language: %q, want Hindi %q", got, want)
	}
	if got := c.Text("hi", "no.such.id", nil); got != "no.such.id" {
		t.Errorf("unknown id renders %q, want the id", got)
	}
	// A field that is not set renders empty, never "<no value>".
	if got := c.Text("hi", "main.hello", nil); strings.Contains(got, "no value") {
		t.Errorf("missing field rendered as %q", got)
	}
}

func TestPlural(t *testing.T) {
	c := load(t)
	cases := []struct {
		lang  string
		count int
		want  string
	}{
		{"hi", 1, "अब बस 1 मौका बचा है।"},
		{"hi", 2, "अब 2 मौके बचे हैं।"},
		{"en", 1, "You have 1 try left."},
		{"en", 3, "You have 3 tries left."},
	}
	for _, tc := range cases {
		if got := c.Plural(tc.lang, "common.tries_left", tc.count, nil); got != tc.want {
			t.Errorf("Plural(%s, %d) = %q, want %q", tc.lang, tc.count, got, tc.want)
		}
	}
}

func TestHindiDates(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 12, 5, h, m, 0, 0, IST) }
	cases := []struct {
		lang string
		t    time.Time
		want string
	}{
		{"hi", at(10, 0), "शनिवार, 5 दिसंबर, सुबह 10 बजे"},
		{"hi", at(14, 30), "शनिवार, 5 दिसंबर, दोपहर 2:30 बजे"},
		{"hi", at(18, 0), "शनिवार, 5 दिसंबर, शाम 6 बजे"},
		{"hi", at(21, 15), "शनिवार, 5 दिसंबर, रात 9:15 बजे"},
		{"hi", at(0, 0), "शनिवार, 5 दिसंबर, रात 12 बजे"},
		{"en", at(10, 0), "Saturday, 5 December, 10 am"},
		{"en", at(14, 30), "Saturday, 5 December, 2:30 pm"},
		// A UTC instant is shown in IST: 04:30 UTC is 10:00 IST.
		{"hi", time.Date(2026, 12, 5, 4, 30, 0, 0, time.UTC), "शनिवार, 5 दिसंबर, सुबह 10 बजे"},
	}
	for _, tc := range cases {
		if got := DateTime(tc.lang, tc.t, at(9, 0)); got != tc.want {
			t.Errorf("DateTime(%s, %v) = %q, want %q", tc.lang, tc.t, got, tc.want)
		}
	}
}

// The year is written whenever the date is not in the year of the message
// (both taken in IST), and only then.
func TestDatesWriteAnotherYear(t *testing.T) {
	dec1 := time.Date(2026, 12, 1, 11, 0, 0, 0, IST)
	// 20:00 UTC on 31 December is already 1 January 2027 in IST.
	newYear := time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC)
	cases := []struct {
		lang   string
		t, now time.Time
		want   string
	}{
		{"hi", time.Date(2027, 4, 6, 10, 0, 0, 0, IST), dec1, "मंगलवार, 6 अप्रैल 2027"},
		{"en", time.Date(2027, 4, 6, 10, 0, 0, 0, IST), dec1, "Tuesday, 6 April 2027"},
		{"hi", time.Date(2025, 11, 30, 10, 0, 0, 0, IST), dec1, "रविवार, 30 नवंबर 2025"},
		{"hi", time.Date(2026, 12, 6, 10, 0, 0, 0, IST), dec1, "रविवार, 6 दिसंबर"},
		{"en", time.Date(2026, 12, 6, 10, 0, 0, 0, IST), dec1, "Sunday, 6 December"},
		{"hi", time.Date(2027, 1, 5, 10, 0, 0, 0, IST), newYear, "मंगलवार, 5 जनवरी"},
		{"hi", time.Date(2026, 12, 30, 10, 0, 0, 0, IST), newYear, "बुधवार, 30 दिसंबर 2026"},
	}
	for _, tc := range cases {
		if got := Date(tc.lang, tc.t, tc.now); got != tc.want {
			t.Errorf("Date(%s, %v, now %v) = %q, want %q", tc.lang, tc.t, tc.now, got, tc.want)
		}
	}
	got := DateTime("hi", time.Date(2027, 4, 6, 10, 0, 0, 0, IST), dec1)
	if want := "मंगलवार, 6 अप्रैल 2027, सुबह 10 बजे"; got != want {
		t.Errorf("DateTime = %q, want %q", got, want)
	}
}

func TestPhoneIsWrittenAsPeopleReadIt(t *testing.T) {
	for in, want := range map[string]string{
		"+919876512345": "98765 12345",
		"+9198765":      "+9198765",      // not a mobile number: as it is
		"+447700900123": "+447700900123", // foreign
		"9876512345":    "9876512345",
	} {
		if got := Phone(in); got != want {
			t.Errorf("Phone(%q) = %q, want %q", in, got, want)
		}
	}
}

// A list of one person, or one row left out, is said in the singular.
func TestListCountsSayOneInTheSingular(t *testing.T) {
	cat, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ lang, id, n, want string }{
		{"en", "audience.found", "1", "1 person of the list found: राम."},
		{"en", "audience.found", "3", "3 people of the list found: राम."},
		{"hi", "audience.found", "1", "सूची का 1 व्यक्ति मिला: राम।"},
		{"hi", "audience.found", "3", "सूची के 3 लोग मिले: राम।"},
		{"en", "audience.list_skipped", "1", "1 row of the list was left out:"},
		{"en", "audience.list_skipped", "2", "2 rows of the list were left out:"},
		{"hi", "audience.list_skipped", "1", "सूची की 1 पंक्ति छोड़ दी गई:"},
		{"hi", "audience.list_skipped", "2", "सूची की 2 पंक्तियाँ छोड़ दी गईं:"},
	} {
		got := cat.Text(tc.lang, tc.id, map[string]string{"count": tc.n, "n": tc.n, "names": "राम"})
		if got != tc.want {
			t.Errorf("%s %s with %s: %q, want %q", tc.lang, tc.id, tc.n, got, tc.want)
		}
	}
}
