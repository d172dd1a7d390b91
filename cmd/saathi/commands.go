package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/saathi-bot/saathi/locales"
)

// command is one command of the binary as typed after "saathi": it runs
// its arguments, or, when the first is one of its subcommands' names,
// that subcommand runs the rest. A command with subcommands and no run of
// its own is only their group (training, report …).
type command struct {
	name    string
	aliases []string
	run     func(context.Context, env, []string) error
	subs    []command
}

// commands is every command and subcommand of the binary: runCommand
// dispatches by it, and the tests enumerate it, so a command added here
// is one they run.
func commands() []command {
	return []command{
		{name: "demo", run: runDemo},
		{name: "chat", run: runChat},
		{name: "serve", run: runServe},
		{name: "import", run: runImport},
		{name: "roster", subs: []command{
			{name: "reindex", run: withSub(runRoster, "reindex")},
			{name: "generate", run: withSub(runRoster, "generate")},
		}},
		{name: "training", subs: []command{
			{name: "add", run: runTrainingAdd},
			{name: "list", run: runTrainingList},
			{name: "status", run: runTrainingStatus},
			{name: "move", run: runTrainingMove},
			{name: "cancel", run: runTrainingCancel},
			{name: "attend", run: runTrainingAttend},
		}},
		{name: "coverage", run: runCoverage},
		{name: "calendar", subs: []command{
			{name: "copy", run: withSub(runCalendar, "copy")},
		}},
		{name: "export", run: runExport},
		{name: "broadcast", run: runBroadcast, subs: []command{
			{name: "status", run: runBroadcastStatus},
		}},
		{name: "links", run: runLinks, subs: []command{
			{name: "revoke", run: runLinksRevoke},
		}},
		{name: "report", subs: []command{
			{name: "open", run: runReportOpen},
			{name: "target", run: runReportTarget},
			{name: "list", run: runReportList},
			{name: "status", run: runReportStatus},
			{name: "export", run: runReportExport},
		}},
		{name: "whatsapp", subs: []command{
			{name: "pair", run: runWhatsAppPair},
			{name: "status", run: runWhatsAppStatus},
		}},
		{name: "deadletters", subs: []command{
			{name: "list", run: withSub(runDeadLetters, "list")},
			{name: "retry", run: withSub(runDeadLetters, "retry")},
			{name: "drop", run: withSub(runDeadLetters, "drop")},
		}},
		{name: "flows", subs: []command{
			{name: "check", run: withSub(runFlows, "check")},
		}},
		{name: "bench", run: runBench},
		{name: "help", aliases: []string{"-h", "--help"}, run: runHelp, subs: []command{
			{name: "config", run: runHelpConfig},
		}},
		{name: "version", aliases: []string{"--version", "-version"}, run: runVersion},
	}
}

// withSub runs f with name before the arguments: a command that reads its
// subcommand's name itself.
func withSub(f func(context.Context, env, []string) error, name string) func(context.Context, env, []string) error {
	return func(ctx context.Context, e env, args []string) error {
		return f(ctx, e, append([]string{name}, args...))
	}
}

// find is the command of cmds named (or aliased) name.
func find(cmds []command, name string) (command, bool) {
	for _, c := range cmds {
		if c.name == name {
			return c, true
		}
		for _, a := range c.aliases {
			if a == name {
				return c, true
			}
		}
	}
	return command{}, false
}

// dispatch runs c with args: its subcommand named by args[0], else its own
// run; a group given no subcommand it has is a usage mistake naming them.
func (c command) dispatch(ctx context.Context, e env, path string, args []string) error {
	if len(args) > 0 {
		if sub, ok := find(c.subs, args[0]); ok {
			return sub.dispatch(ctx, e, path+" "+sub.name, args[1:])
		}
	}
	if c.run != nil {
		return c.run(ctx, e, args)
	}
	if len(args) > 0 && slices.Contains([]string{"-h", "-help", "--help"}, args[0]) {
		return printGroupHelp(e, path, args[1:])
	}
	names := make([]string, len(c.subs))
	for i, s := range c.subs {
		names[i] = s.name
	}
	return usageHint(path + " " + strings.Join(names, "|"))
}

// helpFlags is the flag set of "saathi help" and "saathi help config":
// only --lang, and no settings read, so a wrong one in the environment
// does not keep anyone from the help that names them.
func helpFlags(name string) (*flag.FlagSet, *string, func() (Config, error)) {
	fs := flag.NewFlagSet("saathi "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	lang := fs.String("lang", "hi", "language of the help: hi or en")
	fs.Usage = func() {}
	return fs, lang, func() (Config, error) { return Config{}, nil }
}

// runHelp is "saathi help": every command and what it does.
func runHelp(_ context.Context, e env, args []string) error {
	fs, lang, cfgOf := helpFlags("help")
	if _, err := parseFlags(fs, cfgOf, args); err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return failUsage("cli.err_unknown_command", "command", strconv.Quote(fs.Arg(0)), "help", "saathi help")
	}
	cat, err := locales.Load()
	if err != nil {
		return err
	}
	printUsage(e.stdout, cat, *lang)
	return nil
}

// runHelpConfig is "saathi help config": every setting, its variable and
// flag, default and meaning.
func runHelpConfig(_ context.Context, e env, args []string) error {
	fs, lang, cfgOf := helpFlags("help config")
	if _, err := parseFlags(fs, cfgOf, args); err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageHint("saathi help config [--lang hi|en]")
	}
	cat, err := locales.Load()
	if err != nil {
		return err
	}
	printSettings(e.stdout, cat, *lang)
	return nil
}

// printGroupHelp is "saathi training --help": the lines of saathi help
// of the group's commands, in --lang.
func printGroupHelp(e env, path string, args []string) error {
	cat, err := locales.Load()
	if err != nil {
		return err
	}
	lang := argLang(args)
	for _, c := range commandList {
		if strings.HasPrefix(c.syntax, path+" ") {
			fmt.Fprintf(e.stdout, "  %s\n      %s\n", c.syntax, cat.Text(lang, c.what, nil))
		}
	}
	return flag.ErrHelp
}
