// Command saathi is Saathi's one binary: the server, a terminal chat, the
// demo, the flow checker and the benchmark.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/locales"
)

// commandList is what "saathi help" lists: each command as it is typed,
// and the message of locales/cli.*.yaml that says what it does.
var commandList = []struct{ syntax, what string }{
	{"saathi demo", "cli.use_demo"},
	{"saathi chat --user ID [--lang hi|en]", "cli.use_chat"},
	{"saathi serve", "cli.use_serve"},
	{"saathi import [--dry-run] FILE", "cli.use_import"},
	{"saathi roster reindex", "cli.use_roster_reindex"},
	{"saathi roster generate --people 1000 -o F.csv", "cli.use_roster_generate"},
	{"saathi training add --title … --start 2026-12-05T10:00 --invite 'role=sabhasad,body=…'", "cli.use_training_add"},
	{"saathi training add --file CALENDAR.xlsx [--dry-run]", "cli.use_training_add_file"},
	{"saathi training list [--scope …] [--from 2027-04] [--to 2027-06] [--batch …]", "cli.use_training_list"},
	{"saathi training status [ID]", "cli.use_training_status"},
	{"saathi training move ID --start 2026-12-12T10:00 [--end 17:00]", "cli.use_training_move"},
	{"saathi training move --scope district=… --from 2027-04 --to 2027-09 [--reason …] [--dry-run]", "cli.use_training_move_scope"},
	{"saathi training cancel ID | --scope … [--reason …] [--dry-run]", "cli.use_training_cancel"},
	{"saathi training attend ID --day 1 --phone … [--absent]", "cli.use_training_attend"},
	{"saathi coverage --scope district=… [--level block|gp] [-o F.xlsx]", "cli.use_coverage"},
	{"saathi calendar copy --from 2027 --to 2028 [--scope …] -o F.xlsx", "cli.use_calendar_copy"},
	{"saathi export --training ID -o F.xlsx", "cli.use_export"},
	{"saathi broadcast --to 'role=pradhan,block=मैथा' --text … [--file schedule.pdf]", "cli.use_broadcast"},
	{"saathi broadcast status [-o F.csv] ID", "cli.use_broadcast_status"},
	{"saathi links --training ID -o F.xlsx [--unreached]", "cli.use_links"},
	{"saathi links revoke PHONE", "cli.use_links_revoke"},
	{"saathi report open --period 2026-12 --due 2026-12-07 [--scope block=मैथा]", "cli.use_report_open"},
	{"saathi report target --period 2026-12 --set accounts=members --by 2026-12-08 [--scope …]", "cli.use_report_target"},
	{"saathi report list", "cli.use_report_list"},
	{"saathi report status [--period 2026-12] [--level shg|cluster|block|district] [--scope …]", "cli.use_report_status"},
	{"saathi report export [--period 2026-12] -o R.xlsx [--scope …]", "cli.use_report_export"},
	{"saathi whatsapp pair [--phone 91XXXXXXXXXX]", "cli.use_whatsapp_pair"},
	{"saathi whatsapp status", "cli.use_whatsapp_status"},
	{"saathi deadletters list", "cli.use_deadletters_list"},
	{"saathi deadletters retry ID", "cli.use_deadletters_retry"},
	{"saathi deadletters drop ID", "cli.use_deadletters_drop"},
	{"saathi flows check [DIR]", "cli.use_flows_check"},
	{"saathi bench --users 100 [--roster 100000] [--redis URL]", "cli.use_bench"},
	{"saathi help", "cli.use_help"},
	{"saathi help config", "cli.use_help_config"},
	{"saathi version", "cli.use_version"},
}

// printUsage lists the commands, what each does in lang.
// usageColumn is where printUsage writes what a command does.
const usageColumn = 37

func printUsage(w io.Writer, cat *locales.Catalog, lang string) {
	fmt.Fprintln(w, cat.Text(lang, "cli.use_head", nil))
	fmt.Fprintln(w)
	for _, c := range commandList {
		what := cat.Text(lang, c.what, nil)
		if n := len([]rune(c.syntax)); n < usageColumn-3 {
			fmt.Fprintf(w, "  %s%s%s\n", c.syntax, strings.Repeat(" ", usageColumn-2-n), what)
		} else {
			fmt.Fprintf(w, "  %s\n%s%s\n", c.syntax, strings.Repeat(" ", usageColumn), what)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, cat.Text(lang, "cli.use_foot", map[string]string{"help": "“saathi <command> --help”", "lang": "“--lang en”", "config": "saathi help config"}))
}

// silentRedis drops go-redis's own log lines.
type silentRedis struct{}

func (silentRedis) Printf(context.Context, string, ...any) {}

// errUsage marks a command-line mistake (exit status 2).
var errUsage = errors.New("usage")

// env is the process environment of a command: its streams and variables.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	// go-redis prints every failed dial of its pool on its own; the error
	// it returns says the same once, and serve's /readyz and log say Redis
	// is down.
	redis.SetLogger(silentRedis{})
	if err := run(ctx, e, os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "saathi:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// run runs the command args name; its error is worded in the command's
// --lang (default hi), one line.
func run(ctx context.Context, e env, args []string) error {
	err := runCommand(ctx, e, args)
	if err == nil {
		return nil
	}
	cat, lerr := locales.Load()
	if lerr != nil {
		return errors.Join(err, lerr)
	}
	if h := (*helpAsked)(nil); errors.As(err, &h) {
		if err := printCommandHelp(e.stdout, h.fs, cat, argLang(args)); err != nil {
			return err
		}
		return flag.ErrHelp
	}
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return render(cat, argLang(args), err)
}

func runCommand(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		if cat, err := locales.Load(); err == nil {
			printUsage(e.stderr, cat, locales.Default)
		}
		return failUsage("cli.err_no_command", "help", "saathi help")
	}
	c, ok := find(commands(), args[0])
	if !ok {
		return failUsage("cli.err_unknown_command", "command", strconv.Quote(args[0]), "help", "saathi help")
	}
	return c.dispatch(ctx, e, "saathi "+c.name, args[1:])
}

// commandFlags makes the flag set of a command with every setting on it.
// Every command parses with it and parseFlags: flags before or after the
// arguments, -h or --help prints the command's flags to stdout (run), a bad
// flag or value is one line naming it (exit status 2).
func commandFlags(e env, name string) (*flag.FlagSet, func() (Config, error)) {
	fs := flag.NewFlagSet("saathi "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // a mistake is one line: parseFlags returns it
	cfg := configFlags(fs, e.getenv)
	fs.Usage = func() {} // the flag package calls it on every mistake
	return fs, cfg
}

// helpAsked is parseFlags's answer to -h or --help: run prints the
// command's help, in the --lang among its arguments, and main exits 0.
type helpAsked struct{ fs *flag.FlagSet }

func (h *helpAsked) Error() string { return flag.ErrHelp.Error() }
func (h *helpAsked) Unwrap() error { return flag.ErrHelp }

// helpValueName is how a flag's kind of value reads in Hindi help.
var helpValueName = map[string]string{"string": "…", "int": "संख्या", "float": "संख्या", "duration": "अवधि", "uint": "संख्या", "int64": "संख्या", "uint64": "संख्या"}

// printCommandHelp lists the command's own flags in lang, then points to
// the settings every command takes. A flag's English usage text is the
// code's; another language's is locales.FlagHelp's translation of it.
func printCommandHelp(w io.Writer, fs *flag.FlagSet, cat *locales.Catalog, lang string) error {
	translated, err := locales.FlagHelp(lang)
	if err != nil {
		return err
	}
	settingFlags := map[string]bool{}
	for _, s := range settings() {
		settingFlags[s.flag] = true
	}
	fmt.Fprintln(w, cat.Text(lang, "cli.help_usage", map[string]string{"command": fs.Name()}))
	fs.VisitAll(func(f *flag.Flag) {
		if settingFlags[f.Name] {
			return
		}
		name, use := flag.UnquoteUsage(f)
		if lang != "en" {
			if t, ok := translated[use]; ok {
				use = t
			}
			if n, ok := helpValueName[name]; ok {
				name = n
			}
		}
		line := "  --" + f.Name
		if name != "" {
			line += " " + name
		}
		fmt.Fprintf(w, "%s\n    \t%s", line, strings.ReplaceAll(use, "\n", "\n    \t"))
		if f.DefValue != "" && f.DefValue != "false" {
			fmt.Fprint(w, " "+cat.Text(lang, "cli.help_default", map[string]string{"value": strconv.Quote(f.DefValue)}))
		}
		fmt.Fprintln(w)
	})
	fmt.Fprintln(w, cat.Text(lang, "cli.help_settings", map[string]string{"examples": "--redis, --log-level …", "command": "saathi help config"}))
	return nil
}

// parseFlags parses args, flags and arguments in any order ("--" ends the
// flags), then the configuration; afterwards fs.Args() are the arguments.
// A bad flag or value is a usage error of one line; -h or --help is a
// *helpAsked (flag.ErrHelp), for run to print the command's help.
func parseFlags(fs *flag.FlagSet, cfg func() (Config, error), args []string) (Config, error) {
	var pos, rest []string
	if i := slices.Index(args, "--"); i >= 0 {
		args, rest = args[:i], args[i+1:]
	}
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return Config{}, &helpAsked{fs: fs}
			}
			return Config{}, &flagError{command: fs.Name(), err: err}
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if err := fs.Parse(append([]string{"--"}, append(pos, rest...)...)); err != nil {
		return Config{}, &flagError{command: fs.Name(), err: err}
	}
	return cfg()
}

// checkLang refuses a --lang other than hi or en.
func checkLang(lang string) error {
	if lang != "hi" && lang != "en" {
		return failUsage("cli.err_lang", "value", strconv.Quote(lang), "hi", `"hi"`, "en", `"en"`)
	}
	return nil
}
