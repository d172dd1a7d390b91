package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/roster"
)

// runImport is "saathi import [--dry-run] [--lang hi|en] FILE": it reads a
// roster (CSV or .xlsx), prints each bad row as "line N: reason" and adds
// or updates everyone else in Redis. Bad rows are a report, not a failure:
// the error is for a file that cannot be read at all, or a Redis that
// cannot be reached. Without REDIS_URL only a dry run is possible, and it
// checks the file alone.
func runImport(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "import")
	dryRun := fs.Bool("dry-run", false, "check the file and say what would change, writing nothing")
	lang := fs.String("lang", "hi", "language of the report: hi or en")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageHint("saathi import [--dry-run] [--lang hi|en] FILE")
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	cat, err := locales.Load()
	if err != nil {
		return err
	}
	var r *roster.Roster
	switch {
	case cfg.RedisURL != "":
		rdb, err := store.Open(cfg.RedisURL, nil)
		if err != nil {
			return err
		}
		defer rdb.Close()
		r = roster.New(rdb)
	case !*dryRun:
		return failUsage("cli.err_import_needs_redis", "setting", "REDIS_URL", "flag", "--redis", "dry", "--dry-run")
	}
	return importRoster(ctx, r, cat, cfg.Import, fs.Arg(0), *dryRun, *lang, e.stdout, e.stderr)
}

// importRoster reads the roster file at path within lim, writes its bad
// rows to w and imports the good ones into r — or, with dryRun, says what
// would change. A nil r checks the file only. lang ("hi" or "en") is the
// report's language (its lines from cat), and that of a refusal for a
// file over a limit. The file is read and imported a batch at a time
// (roster.ImportBatch people), so that neither this process nor Redis
// holds it whole; a progress line goes to tty while it runs when tty is a
// terminal.
func importRoster(ctx context.Context, r *roster.Roster, cat *locales.Catalog, lim roster.Limits, path string, dryRun bool, lang string, w, tty io.Writer) error {
	hi := lang == "hi"
	pr := newProgress(tty, cat, lang)
	var res roster.Result
	read := 0
	bad, err := lim.StreamFile(path, roster.ImportBatch, func(people []roster.Person, total int) error {
		read += len(people)
		if r != nil {
			got, err := r.ImportWith(ctx, people, roster.ImportOptions{DryRun: dryRun})
			res.Added, res.Updated, res.Unchanged = res.Added+got.Added, res.Updated+got.Updated, res.Unchanged+got.Unchanged
			if err != nil {
				return err
			}
		}
		pr.update(read, total)
		return nil
	})
	pr.done()
	if err != nil {
		if done := res.Added + res.Updated + res.Unchanged; done > 0 {
			return fail("cli.err_import_stopped", err, "file", path, "n", strconv.Itoa(done))
		}
		if errors.Is(err, os.ErrNotExist) {
			return fail("cli.err_file_missing", nil, "file", path)
		}
		return fail("cli.err_import_file", err, "file", path) // a file over a limit: its Hindi (causeIn)
	}
	for _, b := range bad {
		if hi {
			fmt.Fprintln(w, b.Hindi())
		} else {
			fmt.Fprintln(w, b.Error())
		}
	}
	if r == nil {
		fmt.Fprintln(w, cat.Text(lang, "cli.import_checked", map[string]string{
			"n": strconv.Itoa(read), "skipped": strconv.Itoa(len(bad)), "setting": "REDIS_URL"}))
		return nil
	}
	id := "cli.import_done"
	if dryRun {
		id = "cli.import_dry_run"
	}
	fmt.Fprintln(w, cat.Text(lang, id, map[string]string{
		"n":       strconv.Itoa(res.Added + res.Updated + res.Unchanged),
		"added":   strconv.Itoa(res.Added),
		"updated": strconv.Itoa(res.Updated), "unchanged": strconv.Itoa(res.Unchanged),
		"skipped": strconv.Itoa(len(bad)),
	}))
	return nil
}
