package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/roster"
)

// runImport is "saathi import [--dry-run] [--lang en|hi] FILE": it reads a
// roster (CSV or .xlsx), prints each bad row as "line N: reason" and adds
// or updates everyone else in Redis. Bad rows are a report, not a failure:
// the error is for a file that cannot be read at all, or a Redis that
// cannot be reached. Without REDIS_URL only a dry run is possible, and it
// checks the file alone.
func runImport(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "import")
	dryRun := fs.Bool("dry-run", false, "check the file and say what would change, writing nothing")
	lang := fs.String("lang", "en", "language of the report: en or hi")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: saathi import [--dry-run] [--lang en|hi] FILE", errUsage)
	}
	if *lang != "en" && *lang != "hi" {
		return fmt.Errorf("%w: --lang %q: want en or hi", errUsage, *lang)
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
		return fmt.Errorf("%w: import needs REDIS_URL (or --redis): an embedded Redis would forget the roster on exit; --dry-run checks the file without one", errUsage)
	}
	return importRoster(ctx, r, cfg.Import, fs.Arg(0), *dryRun, *lang, e.stdout)
}

// importRoster reads the roster file at path within lim, writes its bad
// rows to w and imports the good ones into r — or, with dryRun, says what
// would change. A nil r checks the file only. lang ("en" or "hi") is the
// report's language, and that of a refusal for a file over a limit.
func importRoster(ctx context.Context, r *roster.Roster, lim roster.Limits, path string, dryRun bool, lang string, w io.Writer) error {
	hi := lang == "hi"
	people, bad, err := lim.ParseFile(path)
	var le *roster.LimitError
	if errors.As(err, &le) && hi {
		return fmt.Errorf("import: %s: %s", path, le.Hindi())
	}
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	for _, b := range bad {
		if hi {
			fmt.Fprintln(w, b.Hindi())
		} else {
			fmt.Fprintln(w, b.Error())
		}
	}
	if r == nil {
		if hi {
			fmt.Fprintf(w, "%d पंक्तियाँ ठीक हैं, %d छूटेंगी (Redis से मिलान नहीं हुआ: REDIS_URL नहीं दिया)\n", len(people), len(bad))
		} else {
			fmt.Fprintf(w, "%d %s ok, %d %s skipped (not compared with Redis: REDIS_URL is not set)\n",
				len(people), rowsWord(len(people)), len(bad), rowsWord(len(bad)))
		}
		return nil
	}
	res, err := r.Import(ctx, people, dryRun)
	if err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	n := res.Added + res.Updated + res.Unchanged
	switch {
	case hi && dryRun:
		fmt.Fprintf(w, "जाँच: %d लोग जोड़े जाते (%d नए, %d बदले, %d पहले जैसे), %d पंक्तियाँ छूटतीं; कुछ लिखा नहीं गया\n", n, res.Added, res.Updated, res.Unchanged, len(bad))
	case hi:
		fmt.Fprintf(w, "%d लोग जोड़े गए (%d नए, %d बदले, %d पहले जैसे), %d पंक्तियाँ छूटीं\n", n, res.Added, res.Updated, res.Unchanged, len(bad))
	case dryRun:
		fmt.Fprintf(w, "dry run: %d would be imported (%d new, %d updated, %d unchanged), %d %s skipped; nothing was written\n",
			n, res.Added, res.Updated, res.Unchanged, len(bad), rowsWord(len(bad)))
	default:
		fmt.Fprintf(w, "%d imported (%d new, %d updated, %d unchanged), %d %s skipped\n",
			n, res.Added, res.Updated, res.Unchanged, len(bad), rowsWord(len(bad)))
	}
	return nil
}

// rowsWord is "row" or "rows", for n of them.
func rowsWord(n int) string {
	if n == 1 {
		return "row"
	}
	return "rows"
}
