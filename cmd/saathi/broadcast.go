package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/broadcast"
	"github.com/saathi-bot/saathi/store/roster"
)

// badFilter is the failure of a filter given with flag: a ward with no
// body is told how to write it, anything else as not clear.
func badFilter(flag string, err error) error {
	if errors.Is(err, roster.ErrWardWithoutBody) {
		return failUsage("cli.err_ward_needs_body", "flag", flag)
	}
	return &failure{id: "cli.err_bad_audience", data: map[string]string{"flag": flag}, cause: err, usage: true}
}

// runBroadcast is "saathi broadcast --to AUDIENCE --text TEXT".
func runBroadcast(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "broadcast")
	to := fs.String("to", "", "audience: a roster filter ('role=pradhan,block=मैथा,-designation=अध्यक्ष') or 'training=ID[,segment=all|yes|maybe|no|silent|attended]' (maybe: not sure; no: declined)")
	text := fs.String("text", "", "the message, sent as plain text (the file's caption with --file)")
	file := fs.String("file", "", "a document or photo to send with it, such as the schedule (PDF, XLSX, JPG …; at most 10 MB)")
	from := fs.String("from", "साथी", "whom the message is from, as recipients see it")
	hold := fs.Duration("hold", services.DefaultHold, "how long a copy waits for a recipient who has not written to Saathi yet: they get it if they first write within this")
	lang := fs.String("lang", "hi", "language of what it prints: hi or en")
	dryRun := fs.Bool("dry-run", false, "send nothing: say how many it would reach, and the first few names")
	phones := fs.String("phones", "", "a sheet (CSV or XLSX) whose column of mobile numbers is the list of people (with --to: those of them it selects)")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if *hold <= 0 {
		return failUsage("cli.err_positive", "flag", "--hold")
	}
	links := "" // how to get the links of those with no chat yet
	if *to != "" && *phones == "" {
		links = "saathi links --to '" + *to + "' --unreached -o links.xlsx"
	}
	if *to, err = withPhones(*to, *phones, cfg.Import, *lang, e.stderr); err != nil {
		return err
	}
	if *to == "" || *text == "" && !*dryRun {
		return usageHint("saathi broadcast --to AUDIENCE | --phones FILE --text TEXT [--file FILE] [--dry-run]")
	}
	aud, err := services.ParseAudience(cfg.Import.Designations, *to)
	if err != nil {
		return badFilter("--to", err)
	}
	if *dryRun {
		return broadcastDryRun(ctx, e, cfg, aud, links, *hold, *lang)
	}
	a, err := openWriter(ctx, cfg, cliLogger(e, cfg), "broadcast")
	if err != nil {
		return err
	}
	defer a.Close()
	now := time.Now()
	creator := broadcast.Broadcast{CreatedBy: "cli", Expires: now.Add(*hold)}
	if *file != "" {
		if creator.FileID, err = keepFile(ctx, a, *file); err != nil {
			return err
		}
		creator.FileName = filepath.Base(*file)
	}
	b, err := a.svc.Broadcast(ctx, roster.Scope{Level: roster.LevelAll}, aud, *text, *from, creator, now)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, a.cat.Text(*lang, "cli.broadcast_sent", map[string]string{"id": b.ID, "total": strconv.Itoa(b.Total), "command": "saathi broadcast status " + b.ID}))
	if b.OptedOut > 0 {
		fmt.Fprintln(e.stdout, a.cat.Text(*lang, "cli.broadcast_opted_out", map[string]string{"n": strconv.Itoa(b.OptedOut)}))
	}
	return nil
}

// broadcastFirst is how many names a dry run shows.
const broadcastFirst = 5

// broadcastDryRun says whom a broadcast to aud would reach, sending
// nothing: how many, the first names, and how many of them get it now on
// Telegram and on WhatsApp and how many only if they first write within
// hold, by division, and how to get the links of those (links, the
// command for a roster filter's; a training's is made here).
func broadcastDryRun(ctx context.Context, e env, cfg Config, aud services.Audience, links string, hold time.Duration, lang string) error {
	a, err := openReader(ctx, e, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	all := roster.Scope{Level: roster.LevelAll}
	phones, optedOut, firsts, err := a.svc.AudiencePreview(ctx, all, aud, broadcastFirst)
	if err != nil {
		return err
	}
	n := len(phones)
	fmt.Fprintln(e.stdout, a.cat.Text(lang, "cli.broadcast_dry_run", firstNames(n, firsts)))
	if optedOut > 0 {
		fmt.Fprintln(e.stdout, a.cat.Text(lang, "cli.broadcast_dry_run_opted_out", map[string]string{"n": strconv.Itoa(optedOut)}))
	}
	if n == 0 {
		return nil
	}
	if aud.Training != "" {
		links = "saathi links --training " + aud.Training + " --unreached -o links.xlsx"
	}
	now := time.Now()
	reach, err := a.svc.ReachPreview(ctx, lang, phones, all.Below(), now.Add(hold), now, links)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, reach)
	return nil
}

// firstNames is the data of a dry run's line: n people, the names of
// firsts, and how many more there are.
func firstNames(n int, firsts []roster.Person) map[string]string {
	names := make([]string, len(firsts))
	for i, p := range firsts {
		names[i] = p.Name
	}
	more := ""
	if n > len(firsts) {
		more = strconv.Itoa(n - len(firsts))
	}
	return map[string]string{"n": strconv.Itoa(n), "names": strings.Join(names, ", "), "more": more}
}

// keepFile reads a file to send with a broadcast and keeps it in Redis,
// where every channel's sender finds it, and returns its id.
func keepFile(ctx context.Context, a *app, path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", fail("cli.err_file_read", err, "flag", "--file", "file", path)
	}
	if st.Size() > store.MaxKeptFile {
		return "", fail("cli.err_file_big", nil, "flag", "--file", "file", path, "size", strconv.FormatFloat(float64(st.Size())/(1<<20), 'f', 1, 64)+" MB", "max", strconv.Itoa(store.MaxKeptFile>>20)+" MB")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fail("cli.err_file_read", err, "flag", "--file", "file", path)
	}
	if len(data) == 0 {
		return "", fail("cli.err_file_empty", nil, "flag", "--file", "file", path)
	}
	id, err := a.svc.KeptFiles.Put(ctx, data)
	if err != nil {
		return "", fmt.Errorf("--file %s: %w", path, err)
	}
	return id, nil
}

func runBroadcastStatus(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "broadcast status")
	out := fs.String("o", "", "also write those who did not get it to this CSV file (name, phone, what happened), for Excel")
	lang := fs.String("lang", "hi", "language of what it prints: hi or en")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageHint("saathi broadcast status [-o FILE.csv] [--lang hi|en] ID")
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, cliLogger(e, cfg), false, true)
	if err != nil {
		return err
	}
	defer a.Close()
	b, c, err := a.svc.Broadcasts.Get(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	say := func(id string, data map[string]string) { fmt.Fprintln(e.stdout, a.cat.Text(*lang, id, data)) }
	n := strconv.Itoa
	say("cli.broadcast_head", map[string]string{"id": b.ID, "audience": "“" + b.Audience + "”", "at": b.At.In(locales.IST).Format("2006-01-02 15:04 IST")})
	say("cli.broadcast_counts", map[string]string{"total": n(c.Total), "sent": n(c.Sent), "pending": n(c.Pending()),
		"failed": n(c.Failed), "blocked": n(c.Blocked), "nochat": n(c.NoChat)})
	if out := b.OptedOutWith(c); out > 0 {
		say("cli.broadcast_opted_out_count", map[string]string{"n": n(out)})
	}
	if c.NoChat > 0 && b.Expires.Unix() > 0 {
		say("cli.broadcast_held_until", map[string]string{"until": b.Expires.In(locales.IST).Format("2006-01-02 15:04 IST")})
	}
	un, err := a.svc.Broadcasts.Undelivered(ctx, b.ID)
	if err != nil {
		return err
	}
	if *out == "" { // with -o the rows go to the file only
		for _, u := range un {
			fmt.Fprintf(e.stdout, "%s\t%s\n", u[0], a.cat.Text(*lang, "cli.outcome_"+u[1], nil))
		}
	}
	if *out != "" {
		if err := writeUndelivered(ctx, a, *lang, *out, un); err != nil {
			return err
		}
		say("cli.rows_written", map[string]string{"file": *out, "n": n(len(un))})
	}
	return nil
}

// writeUndelivered writes the recipients a broadcast did not reach as CSV
// with a byte-order mark, so that Excel shows Devanagari.
func writeUndelivered(ctx context.Context, a *app, lang, path string, un [][2]string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write undelivered: %w", err)
	}
	defer f.Close()
	f.WriteString("\ufeff")
	w := csv.NewWriter(f)
	w.Write(strings.Split(a.cat.Text(lang, "cli.undelivered_head", nil), "\t"))
	why := func(outcome string) string { return a.cat.Text(lang, "cli.outcome_"+outcome, nil) }
	for _, u := range un {
		p, _, err := a.svc.Roster.Get(ctx, u[0])
		if err != nil {
			return err
		}
		w.Write([]string{p.Name, u[0], why(u[1])})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("write undelivered: %w", err)
	}
	return f.Close()
}
