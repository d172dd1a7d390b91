package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/broadcast"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/storetest"
)

// What a Hindi command-line line may hold in Latin letters besides what a
// Hindi message may (locales.EnglishWords), each left out before the scan:
// the commands, flags and settings to type as they are, placeholders in
// capitals, ids, file names, addresses and @usernames, values in quotes,
// and the keys of Ctrl-C.
var (
	cliCommand     = regexp.MustCompile(`\bsaathi\b( [a-z][a-z|-]*)*`)
	cliOptional    = regexp.MustCompile(`\[[^\]]*\]|\b[a-z]+(\|[a-z]+)+\b`)
	cliFlag        = regexp.MustCompile(`(^|[\s(\[|])-{1,2}[a-z][a-z-]*`)
	cliSetting     = regexp.MustCompile(`\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b`)
	cliPlaceholder = regexp.MustCompile(`\b[0-9]*[A-Z]{2,}\b`)
	cliIdentifier  = regexp.MustCompile(`\b[a-z]+[0-9][a-z0-9]*\b`) // a training's or broadcast's id
	cliPathLike    = regexp.MustCompile(`\S*[/.@:]\S*[A-Za-z]\S*|\S*[A-Za-z]\S*[/.@]\S*`)
	cliQuoted      = regexp.MustCompile(`"[^"]*"|“[^”]*”|'[^']*'`)
	cliKeyValue    = regexp.MustCompile(`\S*[A-Za-z]\S*=\S*`)                // scope=value, as typed
	cliDateTime    = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}\b`) // 2026-12-12T10:00
	cliDuration    = regexp.MustCompile(`\b\d+(mo|w|d|h|m|s)\b`)             // --shift 5mo, --hold 2h
	cliKeys        = []string{"Ctrl", "C"}
)

// englishInCLI are the English words of a line a command printed in Hindi.
func englishInCLI(line string) []string {
	for _, re := range []*regexp.Regexp{cliQuoted, cliDateTime, cliDuration, cliKeyValue, cliPathLike, cliOptional, cliCommand, cliFlag, cliSetting, cliPlaceholder, cliIdentifier} {
		line = re.ReplaceAllString(line, " ")
	}
	return locales.EnglishWords(line, cliKeys...)
}

// The scan itself finds English, and leaves out what is typed as it is.
func TestEnglishInCLIFindsEnglish(t *testing.T) {
	for line, want := range map[string]string{
		"links for 2 people (Telegram @saathi_bot, WhatsApp 919876543210)":      "links for people",
		`SAATHI_LOG_LEVEL "loud": want one of "debug", "info"`:                  "want one of",
		"आदेश ऐसे लिखें: saathi links --training ID | --to FILTER -o FILE.xlsx": "",
		"डेटाबेस (redis://127.0.0.1:1/0) से नहीं जुड़ पाए":                      "",
		"इंतज़ार… (रोकने के लिए Ctrl-C)":                                        "",
		"आदेश ऐसे लिखें: saathi coverage --scope district=… [--level block|gp]": "",
		"ऐसे लिखें: 2026-12-12T10:00, not like this":                            "not like this",
		"block=मैथा or district":                                                "or district",
		"--shift 5mo, mo":                                                       "mo",
	} {
		if got := strings.Join(englishInCLI(line), " "); got != want {
			t.Errorf("englishInCLI(%q) = %q, want %q", line, got, want)
		}
	}
}

// Every line these commands print, and every error they end with, is
// Hindi by default and with --lang hi: links and links revoke, whatsapp
// status and pair, flows check, bench, and the mistakes every command can
// meet (a bad flag or value, a missing setting, Redis out of reach).
func TestCommandLinesAreHindi(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	importSample(t, rdb)
	// A broadcast one copy of which was blocked, one stopped (opted out).
	bs := broadcast.New(rdb)
	b, err := bs.Create(ctx, broadcast.Broadcast{Text: "कल बैठक है", Audience: "body=नगर पंचायत अनपरा", CreatedBy: "cli", Total: 3, At: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	for phone, outcome := range map[string]string{"+919018159083": broadcast.Blocked, "+919131860913": broadcast.Stopped, "+919082462819": broadcast.Sent} {
		if _, _, err := bs.Record(ctx, b.ID, phone, outcome); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	url := storetest.URL(t, storetest.DBCommand)
	withRedis := map[string]string{"REDIS_URL": url, "TELEGRAM_BOT_USERNAME": "saathi_bot"}
	fresh := map[string]string{"WHATSAPP_DB": filepath.Join(dir, "fresh.db")}
	paired := map[string]string{"WHATSAPP_DB": pairedStore(t)}
	broken := filepath.Join(dir, "broken")
	if err := os.MkdirAll(broken, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "bad.yaml"), []byte("id: bad\nsteps:\n  - {id: a, type: send, message: nosuch.message, next: nowhere}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		vars    map[string]string
		args    []string
		failing bool
		// outputOnly: only the error is Hindi's to check; the lines before
		// it are the flow checker's problems, named in the flows' terms.
		errorOnly bool
	}{
		{withRedis, []string{"links", "--to", "body=नगर पंचायत अनपरा", "-o", filepath.Join(dir, "l.xlsx")}, false, false},
		{withRedis, []string{"links", "revoke", "9018159083", "--lang", "hi"}, false, false},
		{withRedis, []string{"links", "--to", "body=नगर पंचायत अनपरा"}, true, false},
		{withRedis, []string{"links", "-o", filepath.Join(dir, "l.xlsx")}, true, false},
		{withRedis, []string{"links", "revoke", "12345"}, true, false},
		{nil, []string{"links", "--to", "body=नगर पंचायत अनपरा", "-o", filepath.Join(dir, "l.xlsx")}, true, false},
		{fresh, []string{"whatsapp", "status"}, false, false},
		{paired, []string{"whatsapp", "status", "--lang", "hi"}, false, false},
		{paired, []string{"whatsapp", "pair"}, false, false},
		{fresh, []string{"whatsapp", "pair", "--phone", "12"}, true, false},
		{fresh, []string{"whatsapp", "pair", "--connect-timeout", "0s"}, true, false},
		{nil, []string{"whatsapp", "status"}, true, false},
		{nil, []string{"whatsapp", "link"}, true, false},
		{nil, []string{"flows", "check"}, false, false},
		{nil, []string{"flows", "check", broken}, true, true},
		{nil, []string{"flows", "check", filepath.Join(dir, "nosuch")}, true, false},
		{withRedis, []string{"bench", "--users", "2", "--concurrency", "2"}, false, false},
		{withRedis, []string{"broadcast", "status", b.ID}, false, false},
		{withRedis, []string{"broadcast", "--dry-run", "--to", "role=sabhasad,-body=नगर पंचायत अनपरा"}, false, false},
		{withRedis, []string{"broadcast", "--dry-run", "--to", "role=sabhasad,ward=5"}, true, false}, // a ward needs its body
		{nil, []string{"training", "add", "--title", "x", "--venue", "y", "--start", "2030-12-05T10:00", "--invite", "वार्ड=5"}, true, false},
		{withRedis, []string{"bench", "--users", "0"}, true, false},
		{withRedis, []string{"bench", "--users", "many"}, true, false},
		{nil, []string{"bench", "--no-such-flag"}, true, false},
		{nil, []string{"training", "list", "--lang"}, true, false},
		{nil, []string{"training", "list", "--lang", "xx"}, true, false},
		{nil, []string{"training", "add", "--title", "x", "--venue", "y", "--start", "2030-12-05T10:00", "--invite", "role=sabhasad"}, true, false},
		{nil, []string{"training", "status", "--redis", "redis://127.0.0.1:1/0", "t1"}, true, false},
		{withRedis, []string{"training", "status", "nosuch"}, true, false},
		{map[string]string{"SAATHI_LOG_LEVEL": "loud"}, []string{"flows", "check"}, true, false},
		{map[string]string{"SAATHI_SEEN_TTL": "soon"}, []string{"flows", "check"}, true, false},
		{map[string]string{"SAATHI_IMPORT_MAX_BYTES": "big"}, []string{"flows", "check"}, true, false},
		{nil, []string{"nosuch"}, true, false},
		{nil, []string{}, true, false},
	}
	for _, c := range cases {
		out, err := runCmd(t, c.vars, "", c.args...)
		if (err != nil) != c.failing {
			t.Errorf("%v: error %v, want failing %v\n%s", c.args, err, c.failing, out)
			continue
		}
		var lines []string
		if !c.errorOnly {
			lines = strings.Split(strings.TrimSpace(out), "\n")
		}
		if err != nil {
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("%v: the error is more than one line: %q", c.args, msg)
			}
			// A cause from below (the network's words) follows the Hindi.
			msg, _, _ = strings.Cut(msg, ": dial tcp")
			lines = append(lines, msg)
		}
		for _, l := range lines {
			if strings.Trim(l, " ▀▄█") == "" {
				continue
			}
			if strings.HasPrefix(l, "  saathi ") { // saathi help: a command as typed, then what it does
				r := []rune(l)
				if len(r) <= usageColumn || r[usageColumn-1] != ' ' {
					continue // a long command on a line of its own
				}
				l = string(r[usageColumn:])
			}
			l = strings.ReplaceAll(l, b.ID, " ") // an id, as typed
			if en := englishInCLI(l); len(en) > 0 {
				t.Errorf("%v: English %q in %q", c.args, en, l)
			}
		}
	}
}

// broadcast --dry-run counts and names, and queues nothing.
func TestBroadcastDryRun(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	importSample(t, rdb)
	vars := map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}
	out, err := runCmd(t, vars, "", "broadcast", "--dry-run", "--to", "role=sabhasad,-body=नगर पंचायत अनपरा")
	if err != nil || !strings.Contains(out, "जाँच: यह संदेश 12 लोगों को जाता: ") || !strings.Contains(out, " और 7 लोग। कुछ भेजा नहीं गया।") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	if strings.Contains(out, "सरिता राजभर") { // of नगर पंचायत अनपरा, left out
		t.Errorf("the dry run names someone the filter excludes:\n%s", out)
	}
	if n := rdb.Exists(ctx, "saathi:events").Val(); n != 0 {
		t.Fatal("a dry run queued copies")
	}
	// A list of people: the column of mobile numbers of a sheet.
	list := filepath.Join(t.TempDir(), "list.csv")
	if err := os.WriteFile(list, []byte("\ufeffनाम,मोबाइल\nसरिता,09018159083\nराजेश,+91 91318 60913\nकोई,नंबर नहीं\nसरिता फिर,9018159083\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, vars, "", "broadcast", "--dry-run", "--phones", list); err != nil || !strings.Contains(out, "यह संदेश 2 लोगों को जाता: सरिता राजभर, राजेश सोनकर।") {
		t.Fatalf("dry run of a list: %v\n%s", err, out)
	}
	if out, err := runCmd(t, vars, "", "broadcast", "--dry-run", "--phones", list, "--to", "ward=2"); err != nil || !strings.Contains(out, "यह संदेश 1 लोगों को जाता: राजेश सोनकर।") {
		t.Fatalf("dry run of a list and a filter: %v\n%s", err, out)
	}
	if _, err := runCmd(t, nil, "", "broadcast", "--dry-run", "--to", "role=sabhasad"); err == nil || !strings.Contains(err.Error(), "REDIS_URL") {
		t.Fatalf("a dry run without REDIS_URL: %v", err)
	}
}

// importSample puts the sample roster in rdb.
func importSample(t *testing.T, rdb *redis.Client) {
	t.Helper()
	people, _, err := roster.ParseCSV(bytes.NewReader(roster.Sample))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := roster.New(rdb).Import(context.Background(), people, false); err != nil {
		t.Fatal(err)
	}
}
