package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/storetest"
)

// TestRosterGenerateImportReindex: a made-up roster of several batches
// imports with nothing but the summary on a pipe; an import stopped
// half-way (here: records and index entries lost) finishes when run
// again; reindex repairs what the import does not see and says so in
// Hindi by default.
func TestRosterGenerateImportReindex(t *testing.T) {
	vars := map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	ctx := t.Context()
	file := filepath.Join(t.TempDir(), "big.csv")
	out, err := runCmd(t, vars, "", "roster", "generate", "--people", "2500", "-o", file)
	if err != nil || !strings.Contains(out, "2500 बनावटी लोग") {
		t.Fatalf("generate: %v\n%s", err, out)
	}
	out, err = runCmd(t, vars, "", "import", "--lang", "en", file)
	if err != nil || strings.TrimSpace(out) != "2500 imported (2500 new, 0 updated, 0 unchanged), 0 rows skipped" {
		t.Fatalf("import: %v\n%q", err, out) // no progress line on a pipe: the summary alone
	}

	// Half an import lost: some records gone, some index sets gone.
	r := roster.New(rdb)
	for _, k := range rdb.Keys(ctx, "saathi:p:*").Val()[:300] {
		rdb.Del(ctx, k)
	}
	for _, k := range rdb.Keys(ctx, "saathi:ix:*:y:*").Val()[:20] {
		rdb.Del(ctx, k)
	}
	out, err = runCmd(t, vars, "", "import", "--lang", "en", file)
	if err != nil || !strings.Contains(out, "2500 imported (300 new, 0 updated, 2200 unchanged)") {
		t.Fatalf("import again: %v\n%s", err, out)
	}
	out, err = runCmd(t, vars, "", "roster", "reindex")
	if err != nil || !strings.Contains(out, "2500 लोगों की खोज-सूची फिर से बनी।") {
		t.Fatalf("reindex: %v\n%s", err, out)
	}
	all, err := r.All(ctx)
	if err != nil || len(all) != 2500 {
		t.Fatalf("%d people, %v", len(all), err)
	}
	for _, p := range all[:50] { // everyone is found again by their body
		f := roster.Filter{Body: []string{p.Body}, District: []string{p.District}}
		if p.Body == "" {
			continue
		}
		got, err := r.Select(ctx, f)
		if err != nil || !containsPhone(got, p.Phone) {
			t.Fatalf("%s not found by %s after reindex: %v", p.Phone, f, err)
		}
	}
	out, err = runCmd(t, vars, "", "roster", "reindex", "--lang", "en")
	if err != nil || !strings.Contains(out, "indexes rebuilt for 2500 people: 0 moved from the old layout, 0 stale entries removed") ||
		!strings.Contains(out, "0 chat links checked: 0 chats put back with their person, 0 wrong links removed") {
		t.Fatalf("reindex again: %v\n%s", err, out)
	}
	if _, err := runCmd(t, vars, "", "roster", "grow"); err == nil {
		t.Error("roster grow: no error")
	}
	if _, err := runCmd(t, vars, "", "roster", "generate", "-o", file, "--people", "0"); err == nil {
		t.Error("generate of 0 people: no error")
	}
}

func containsPhone(people []roster.Person, phone string) bool {
	for _, p := range people {
		if p.Phone == phone {
			return true
		}
	}
	return false
}

// TestProgressLine: rows done, rows a second and time left, in the
// language asked; nothing at all when the output is no terminal.
func TestProgressLine(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang, want  string
		done, total int
		elapsed     time.Duration
	}{
		{"hi", "12,000 / 1,000,000 पंक्तियाँ · 6,000 हर सेकंड · लगभग 2 मिनट 45 सेकंड बाक़ी", 12000, 1000000, 2 * time.Second},
		{"en", "12,000 / 1,000,000 rows · 6,000 a second · about 2 min 45 s left", 12000, 1000000, 2 * time.Second},
		{"en", "900 / 1,000 rows · 900 a second · about 0 s left", 900, 1000, time.Second},
		{"hi", "5,000 लोग हो गए · 5,000 हर सेकंड", 5000, 0, time.Second},
	} {
		p := &progress{cat: cat, lang: tc.lang}
		if got := p.line(tc.done, tc.total, tc.elapsed); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.lang, got, tc.want)
		}
	}
	var buf bytes.Buffer
	p := newProgress(&buf, cat, "hi")
	p.update(10, 100)
	p.done()
	if buf.Len() != 0 {
		t.Errorf("on a buffer, progress wrote %q", buf.String())
	}
}
