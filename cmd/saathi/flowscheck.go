package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"

	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/locales"
)

// runFlows is "saathi flows check [DIR]": it checks the built-in flows and
// messages, with DIR's added, and names the file and step of every problem.
func runFlows(_ context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "check" {
		return usageHint("saathi flows check [DIR]")
	}
	fs, cfgOf := commandFlags(e, "flows check")
	lang := fs.String("lang", "hi", "language of what it prints: hi or en")
	if _, err := parseFlags(fs, cfgOf, args[1:]); err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usageHint("saathi flows check [DIR]")
	}
	var flowDirs, msgDirs []string
	if fs.NArg() == 1 {
		dir := fs.Arg(0)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return failUsage("cli.err_not_dir", "dir", dir)
		}
		flowDirs = append(flowDirs, dir)
		msgDirs = localesDirs(dir)
	}
	cat, err := locales.Load(dirFS(msgDirs)...)
	if err != nil {
		return fmt.Errorf("flows check: %w", err)
	}
	var problems flows.Problems
	set, err := flows.Load(dirFS(flowDirs)...)
	if err != nil {
		var ps flows.Problems
		if !errors.As(err, &ps) {
			return fmt.Errorf("flows check: %w", err)
		}
		problems = append(problems, ps...)
	}
	problems = append(problems, set.CheckMessages(cat)...)
	problems = append(problems, unknownCalls(set)...)
	problems = append(problems, missingTranslations(cat)...)
	for _, p := range problems {
		fmt.Fprintln(e.stdout, p)
	}
	_, wordProblems := locales.ReadWordLists(dirFS(msgDirs)...)
	_, tableProblems := locales.LoadTables(dirFS(msgDirs)...)
	langProblems := cat.WordFileLangs(dirFS(msgDirs)...)
	for _, p := range slices.Concat(wordProblems, tableProblems, langProblems) {
		fmt.Fprintln(e.stdout, cat.Problem(*lang, filepath.Join(fs.Arg(0), "locales"), p))
	}
	if n := len(problems) + len(wordProblems) + len(tableProblems) + len(langProblems); n > 0 {
		return fail("cli.err_flows_problems", nil, "n", strconv.Itoa(n))
	}
	fmt.Fprintln(e.stdout, cat.Text(*lang, "cli.flows_ok", map[string]string{"flows": strconv.Itoa(len(set.IDs())),
		"messages": strconv.Itoa(len(cat.IDs(locales.Default))), "langs": quoted(cat.Languages()...)}))
	return nil
}

// unknownCalls reports call steps naming a service that does not exist.
func unknownCalls(set *flows.Set) flows.Problems {
	known := map[string]bool{}
	for _, n := range services.Names() {
		known[n] = true
	}
	var ps flows.Problems
	calls := set.Calls()
	names := make([]string, 0, len(calls))
	for n := range calls {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if known[n] {
			continue
		}
		for _, p := range calls[n] {
			p.Msg = fmt.Sprintf("calls %q, which no service answers", n)
			ps = append(ps, p)
		}
	}
	return ps
}

// missingTranslations reports message ids that one language has and another lacks.
func missingTranslations(cat *locales.Catalog) flows.Problems {
	var ps flows.Problems
	langs := cat.Languages()
	for _, have := range langs {
		for _, id := range cat.IDs(have) {
			for _, lang := range langs {
				if !cat.Has(lang, id) {
					ps = append(ps, flows.Problem{File: cat.Source(have, id), Msg: fmt.Sprintf("message %q has no %q translation", id, lang)})
				}
			}
		}
	}
	return ps
}
