package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"strconv"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/identity"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/roster/rostergen"
)

// runRoster is "saathi roster reindex" (rebuild the roster's indexes from
// the people's records) and "saathi roster generate --people N -o FILE"
// (a made-up roster, as a CSV to import, for benchmarks).
func runRoster(ctx context.Context, e env, args []string) error {
	const use = "saathi roster reindex | saathi roster generate --people N -o FILE.csv"
	if len(args) == 0 {
		return usageHint(use)
	}
	sub := args[0]
	fs, cfgOf := commandFlags(e, "roster "+sub)
	lang := fs.String("lang", "hi", "language of what it prints: hi or en")
	var n *int
	var out *string
	switch sub {
	case "reindex":
	case "generate":
		n = fs.Int("people", 1000, "how many people")
		out = fs.String("o", "", "the CSV file to write")
	default:
		return usageHint(use)
	}
	cfg, err := parseFlags(fs, cfgOf, args[1:])
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageHint(use)
	}
	cat, err := locales.Load()
	if err != nil {
		return err
	}
	if sub == "generate" {
		if *n <= 0 || *out == "" {
			return usageHint("saathi roster generate --people 1000 -o FILE.csv")
		}
		if err := writeGenerated(*out, *n); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, cat.Text(*lang, "cli.roster_generated", map[string]string{"file": *out, "n": strconv.Itoa(*n)}))
		return nil
	}
	if cfg.RedisURL == "" {
		return fail("cli.err_needs_redis_roster", nil, "setting", "REDIS_URL", "flag", "--redis", "serve", "saathi serve")
	}
	rdb, err := store.Open(cfg.RedisURL, nil)
	if err != nil {
		return err
	}
	defer rdb.Close()
	pr := newProgress(e.stderr, cat, *lang)
	res, err := roster.New(rdb).Reindex(ctx, func(people int) { pr.update(people, 0) })
	pr.done()
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, cat.Text(*lang, "cli.reindex_done", map[string]string{
		"people": strconv.Itoa(res.People), "moved": strconv.Itoa(res.Moved), "removed": strconv.Itoa(res.Removed)}))
	chats, err := identity.New(rdb).Reindex(ctx) // each phone's chats, as the chats' own keys say
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, cat.Text(*lang, "cli.reindex_chats", map[string]string{
		"chats": strconv.Itoa(chats.Chats), "added": strconv.Itoa(chats.Added), "removed": strconv.Itoa(chats.Removed)}))
	return nil
}

// writeGenerated writes rostergen's n people as a roster CSV at path.
func writeGenerated(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("roster generate: %w", err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	_ = w.Write([]string{"name", "phone", "role", "designation", "division", "district", "block", "body", "ward", "shg", "cluster", "language"})
	for p := range rostergen.People(n, 1) {
		_ = w.Write([]string{p.Name, p.Phone, p.Role, p.Designation, p.Division, p.District, p.Block, p.Body, p.Ward, p.SHG, p.Cluster, p.Language})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("roster generate: %w", err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("roster generate: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("roster generate: %w", err)
	}
	return nil
}
