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
	"strings"
	"syscall"

	"github.com/redis/go-redis/v9"
)

const usage = `saathi — the chat side of capacity-building programmes

Usage:
  saathi demo                        talk to Saathi in Hindi, nothing to configure
  saathi chat --user ID [--lang hi|en]  a conversation in the terminal
  saathi serve                       run the bots and the HTTP server
  saathi import [--dry-run] FILE     import a roster (CSV or XLSX)
  saathi roster reindex              rebuild the roster's indexes from its people
  saathi roster generate --people N -o F.csv   a made-up roster, for benchmarks
  saathi training add --title … --start 2026-12-05T10:00 --invite 'role=sabhasad,body=…'
                                     schedule a training and invite people
  saathi training add --file CALENDAR.xlsx [--dry-run]   a calendar (xlsx, csv or yaml; docs/calendar.md):
                                     each row's code adds or updates one training, never twice
  saathi training list [--scope …] [--from 2027-04] [--to 2027-06] [--batch …]   place and counts
  saathi training status ID          who answered, came, and what they thought
  saathi training move ID --start 2026-12-12T10:00 [--end 17:00]   move it: reminders move, invitees are told
  saathi training move --scope district=… --from 2027-04 --to 2027-09 [--reason …] [--dry-run]
                                     move a place's trainings by months (or --shift 5mo)
  saathi training cancel ID | --scope … [--reason …] [--dry-run]   cancel: reminders go, invitees are told
  saathi coverage --scope district=… [--level block|gp] [-o F.xlsx]   who the trainings reach, by place
  saathi calendar copy --from 2027 --to 2028 [--scope …] -o F.xlsx   next year's calendar from this year's
  saathi training attend ID --day N --phone … [--absent]   correct one person's attendance
  saathi export --training ID -o F.xlsx   one row per invitee (xlsx or csv)
  saathi broadcast --to 'role=pradhan,block=मैथा' --text … [--file schedule.pdf]
                                     one message to many (or --to training=ID,segment=yes), with a document
  saathi broadcast status [-o F.csv] ID   sent / pending / failed / blocked, and who did not get it
  saathi report open --period 2026-12 --due 2026-12-07 [--scope block=मैथा]
                                     ask SHGs for a month's progress report (scope: all|division=…|district=…|block=…)
  saathi report target --period 2026-12 --set accounts=members --by 2026-12-08 [--scope …]
                                     a target: groups below it are reminded until then and listed
  saathi report list                 the report periods opened
  saathi report status [--period 2026-12] [--level shg|cluster|block|district] [--lang hi|en] [--scope …]
                                     who reported, and the totals
  saathi report export [--period 2026-12] -o R.xlsx [--lang hi|en] [--scope …]   one sheet per level
  saathi whatsapp pair [--phone 91XXXXXXXXXX]
                                     link the bot's WhatsApp number (QR code, or a code typed on the phone)
  saathi whatsapp status             is a WhatsApp number linked (WHATSAPP_DB)
  saathi deadletters list            messages set aside after their retries (id, channel, user, time, error)
  saathi deadletters retry ID        have a running serve apply one again; drop ID: forget it
  saathi flows check [DIR]           check the flow files (and DIR's)
  saathi bench --users N [--redis URL]  measure the message path
  saathi help config                 list every setting
  saathi version                     version, VCS revision and build of this binary (also --version)

Settings come from the environment and can be overridden by flags;
run "saathi <command> -h" to see them.
`

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

func run(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return fmt.Errorf("%w: no command", errUsage)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "demo":
		return runDemo(ctx, e, rest)
	case "chat":
		return runChat(ctx, e, rest)
	case "serve":
		return runServe(ctx, e, rest)
	case "flows":
		return runFlows(ctx, e, rest)
	case "bench":
		return runBench(ctx, e, rest)
	case "import":
		return runImport(ctx, e, rest)
	case "roster":
		return runRoster(ctx, e, rest)
	case "training":
		return runTraining(ctx, e, rest)
	case "export":
		return runExport(ctx, e, rest)
	case "coverage":
		return runCoverage(ctx, e, rest)
	case "calendar":
		return runCalendar(ctx, e, rest)
	case "broadcast":
		return runBroadcast(ctx, e, rest)
	case "report":
		return runReport(ctx, e, rest)
	case "whatsapp":
		return runWhatsApp(ctx, e, rest)
	case "deadletters":
		return runDeadLetters(ctx, e, rest)
	case "version", "--version", "-version":
		return runVersion(ctx, e, rest)
	case "links":
		return runLinks(ctx, e, rest)
	case "help", "-h", "--help":
		if len(rest) > 0 && rest[0] == "config" {
			printSettings(e.stdout)
			return nil
		}
		fmt.Fprint(e.stdout, usage)
		return nil
	}
	return fmt.Errorf("%w: unknown command %q; saathi help lists the commands", errUsage, cmd)
}

// commandFlags makes the flag set of a command with every setting on it.
// Every command parses with it and parseFlags: flags before or after the
// arguments, -h or --help prints the command's flags to stdout, and a bad
// flag or value is one line naming it (exit status 2).
func commandFlags(e env, name string) (*flag.FlagSet, func() (Config, error)) {
	fs := flag.NewFlagSet("saathi "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // a mistake is one line: parseFlags returns it
	cfg := configFlags(fs, e.getenv)
	fs.Usage = func() { printCommandHelp(e.stdout, fs) }
	return fs, cfg
}

// printCommandHelp lists the command's own flags, then points to the
// settings every command takes.
func printCommandHelp(w io.Writer, fs *flag.FlagSet) {
	settingFlags := map[string]bool{}
	for _, s := range settings() {
		settingFlags[s.flag] = true
	}
	fmt.Fprintf(w, "Usage: %s [flags] [arguments], flags before or after the arguments\n", fs.Name())
	fs.VisitAll(func(f *flag.Flag) {
		if settingFlags[f.Name] {
			return
		}
		name, use := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if name != "" {
			line += " " + name
		}
		fmt.Fprintf(w, "%s\n    \t%s", line, strings.ReplaceAll(use, "\n", "\n    \t"))
		if f.DefValue != "" && f.DefValue != "false" {
			fmt.Fprintf(w, " (default %q)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
	fmt.Fprintln(w, "Every setting is a flag too (--redis, --log-level …): saathi help config lists them.")
}

// parseFlags parses args, flags and arguments in any order ("--" ends the
// flags), then the configuration; afterwards fs.Args() are the arguments.
// A bad flag or value is a usage error of one line; -h or --help prints
// the command's help and returns flag.ErrHelp.
func parseFlags(fs *flag.FlagSet, cfg func() (Config, error), args []string) (Config, error) {
	help := fs.Usage
	fs.Usage = func() {} // the flag package calls it on every mistake
	defer func() { fs.Usage = help }()
	var pos, rest []string
	if i := slices.Index(args, "--"); i >= 0 {
		args, rest = args[:i], args[i+1:]
	}
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				help()
				return Config{}, err
			}
			return Config{}, fmt.Errorf("%w: %v; see %s --help", errUsage, err, fs.Name())
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if err := fs.Parse(append([]string{"--"}, append(pos, rest...)...)); err != nil {
		return Config{}, fmt.Errorf("%w: %v", errUsage, err)
	}
	return cfg()
}

// checkLang refuses a --lang other than hi or en.
func checkLang(lang string) error {
	if lang != "hi" && lang != "en" {
		return fmt.Errorf("%w: --lang %q: want hi or en", errUsage, lang)
	}
	return nil
}
