package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
)

// runDeadLetters is "saathi deadletters list|retry ID|drop ID [--lang hi|en]":
// the inbound messages the dispatcher set aside after their retries.
func runDeadLetters(ctx context.Context, e env, args []string) error {
	const use = "saathi deadletters list|retry ID|drop ID"
	if len(args) == 0 {
		return usageHint(use)
	}
	sub := args[0]
	switch sub {
	case "list", "retry", "drop":
	default:
		return usageHint(use)
	}
	fs, cfgOf := commandFlags(e, "deadletters "+sub)
	lang := fs.String("lang", "hi", "language of what it prints: hi or en")
	cfg, err := parseFlags(fs, cfgOf, args[1:])
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	var id string
	switch {
	case sub == "list" && fs.NArg() > 0:
		return usageHint("saathi deadletters list")
	case sub != "list" && fs.NArg() != 1:
		return usageHint("saathi deadletters " + sub + " ID")
	case sub != "list":
		id = fs.Arg(0)
	}
	a, err := openReader(ctx, e, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	dl := store.NewDeadLetters(a.rdb)
	switch sub {
	case "retry":
		if err := dl.Retry(ctx, id); err != nil {
			return deadLetterErr(sub, id, err)
		}
		fmt.Fprintln(e.stdout, a.cat.Text(*lang, "cli.deadletter_queued", map[string]string{"id": id, "command": "saathi serve"}))
		return nil
	case "drop":
		if err := dl.Drop(ctx, id); err != nil {
			return deadLetterErr(sub, id, err)
		}
		fmt.Fprintln(e.stdout, a.cat.Text(*lang, "cli.deadletter_dropped", map[string]string{"id": id}))
		return nil
	}
	letters, err := dl.List(ctx, 0)
	if err != nil {
		return err
	}
	if len(letters) == 0 {
		fmt.Fprintln(e.stdout, a.cat.Text(*lang, "cli.deadletters_none", nil))
		return nil
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, a.cat.Text(*lang, "cli.deadletters_head", nil))
	for _, l := range letters {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\n", l.ID, l.Input.Channel, bot.MaskUser(l.Input.User),
			l.At.In(locales.IST).Format("2006-01-02 15:04:05"), l.Attempts, clip(oneLine(errors.New(l.Error)), 120))
	}
	return w.Flush()
}

// deadLetterErr words a failed retry or drop in one line.
func deadLetterErr(sub, id string, err error) error {
	if errors.Is(err, store.ErrNoLetter) {
		return fail("cli.err_no_letter", nil, "id", strconv.Quote(id), "command", "saathi deadletters list")
	}
	return fmt.Errorf("deadletters %s: %w", sub, err)
}

// clip shortens s to at most n runes, marking the cut with "…".
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
