package main

import (
	"bytes"
	"errors"
	"flag"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/storetest"
)

// leaves is every command of the table that runs (a group's name alone
// does not), as typed after "saathi".
func leaves(cmds []command, path []string) [][]string {
	var out [][]string
	for _, c := range cmds {
		p := append(slices.Clip(path), c.name)
		if c.run != nil {
			out = append(out, p)
		}
		out = append(out, leaves(c.subs, p)...)
	}
	return out
}

// groups is every command of the table that only groups subcommands.
func groups(cmds []command, path []string) [][]string {
	var out [][]string
	for _, c := range cmds {
		p := append(slices.Clip(path), c.name)
		if c.run == nil {
			out = append(out, p)
		}
		out = append(out, groups(c.subs, p)...)
	}
	return out
}

// The table the tests enumerate is the one saathi help lists: every
// command that runs has a line of its own, and every line names one.
func TestHelpListsEveryCommand(t *testing.T) {
	word := regexp.MustCompile(`^[a-z]+$`)
	listed := map[string]bool{}
	for _, c := range commandList {
		var words []string
		for _, w := range strings.Fields(c.syntax)[1:] {
			if !word.MatchString(w) {
				break
			}
			words = append(words, w)
		}
		listed[strings.Join(words, " ")] = true
	}
	for _, l := range leaves(commands(), nil) {
		if !listed[strings.Join(l, " ")] {
			t.Errorf("saathi help does not list saathi %s", strings.Join(l, " "))
		}
		delete(listed, strings.Join(l, " "))
	}
	for l := range listed {
		t.Errorf("saathi help lists saathi %s, which is no command", l)
	}
}

// Every subcommand given a flag it does not know says so in one line,
// naming the flag, how the command is written and how to get help, and
// exits 2; --help prints its
// flags to stdout and exits 0.
func TestEveryCommandRefusesABadFlagInOneLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin, err := saathiBinary()
	if err != nil {
		t.Fatal(err)
	}
	all := leaves(commands(), nil)
	if len(all) < 30 {
		t.Fatalf("the table has %d commands: %v", len(all), all)
	}
	for _, sub := range all {
		for _, bad := range [][]string{{"--no-such-flag"}, {"ID", "--no-such-flag"}} {
			cmd := exec.Command(bin, append(append([]string{}, sub...), bad...)...)
			cmd.Env = envWithout("REDIS_URL")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 2 {
				t.Errorf("%v %v: %v, want exit status 2\nstderr: %s", sub, bad, err, stderr.String())
				continue
			}
			lines := strings.Split(strings.TrimRight(stderr.String(), "\n"), "\n")
			if len(lines) != 1 || stdout.Len() != 0 || !strings.Contains(lines[0], "no-such-flag") || !strings.Contains(lines[0], commandSyntax("saathi "+strings.Join(sub, " "))) {
				t.Errorf("%v %v: stdout %q, stderr %q; want one line naming the flag", sub, bad, stdout.String(), stderr.String())
			}
		}
		cmd := exec.Command(bin, append(append([]string{}, sub...), "--help", "--lang", "en")...)
		out, err := cmd.Output()
		if err != nil || !strings.HasPrefix(string(out), "Usage: saathi "+strings.Join(sub, " ")+" ") || strings.Contains(string(out), "--telegram-token") {
			t.Errorf("%v --help: %v\n%s", sub, err, out)
		}
	}
}

// A group's name alone, or with a flag, is one line naming its commands
// (exit 2); with --help it lists them (exit 0).
func TestEveryGroupSaysItsCommands(t *testing.T) {
	for _, g := range groups(commands(), nil) {
		c, _ := find(commands(), g[0])
		for _, s := range g[1:] {
			c, _ = find(c.subs, s)
		}
		for _, args := range [][]string{nil, {"--no-such-flag"}, {"nosuch"}} {
			out, err := runCmd(t, nil, "", append(slices.Clip(g), args...)...)
			if !errors.Is(err, errUsage) || strings.Contains(err.Error(), "\n") || out != "" {
				t.Errorf("%v %v: %v, output %q; want one usage line", g, args, err, out)
				continue
			}
			for _, sub := range c.subs {
				if !strings.Contains(err.Error(), sub.name) {
					t.Errorf("%v %v: %q does not name %s", g, args, err, sub.name)
				}
			}
		}
		out, err := runCmd(t, nil, "", append(slices.Clip(g), "--help")...)
		if !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%v --help: %v", g, err)
		}
		for _, sub := range c.subs {
			if !strings.Contains(out, "saathi "+strings.Join(g, " ")+" "+sub.name) {
				t.Errorf("%v --help does not list %s:\n%s", g, sub.name, out)
			}
		}
	}
}

// Every command's --help is Hindi by default, every flag's line too
// (locales/flaghelp), and English with --lang en; every translation is of
// a flag some command has.
func TestEveryCommandHelpFollowsLang(t *testing.T) {
	hi, err := locales.FlagHelp("hi")
	if err != nil {
		t.Fatal(err)
	}
	appendedDefault := regexp.MustCompile(` \(default "[^"]*"\)$`)
	used := map[string]bool{}
	for _, sub := range leaves(commands(), nil) {
		out, err := runCmd(t, nil, "", append(slices.Clip(sub), "--help")...)
		if !errors.Is(err, flag.ErrHelp) || !strings.HasPrefix(out, "ऐसे लिखें: saathi "+strings.Join(sub, " ")+" ") {
			t.Errorf("%v --help: %v\n%s", sub, err, out)
		}
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			if en := englishInCLI(l); len(en) > 0 {
				t.Errorf("%v --help: English %q in %q", sub, en, l)
			}
		}
		out, err = runCmd(t, nil, "", append(slices.Clip(sub), "-h", "--lang", "en")...)
		if !errors.Is(err, flag.ErrHelp) || !strings.HasPrefix(out, "Usage: saathi "+strings.Join(sub, " ")+" ") {
			t.Errorf("%v -h --lang en: %v\n%s", sub, err, out)
		}
		for _, l := range strings.Split(out, "\n") {
			if use, ok := strings.CutPrefix(l, "    \t"); ok {
				used[appendedDefault.ReplaceAllString(use, "")] = true
			}
		}
	}
	for en := range hi {
		if !used[en] {
			t.Errorf("locales/flaghelp/hi.yaml translates %q, which no flag says", en)
		}
	}
}

// Flags may come after the arguments, as the README writes them.
func TestFlagsAfterArguments(t *testing.T) {
	storetest.Redis(t, storetest.DBCommand, nil)
	vars := map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}
	for _, args := range [][]string{
		{"training", "status", "t0000000", "--lang", "en"},
		{"training", "status", "--lang", "en", "t0000000"},
		{"broadcast", "status", "b0000000", "-o", t.TempDir() + "/x.csv"},
	} {
		_, err := runCmd(t, vars, "", args...)
		if err == nil || errors.Is(err, errUsage) {
			t.Errorf("%v: %v, want the command to run (and find nothing)", args, err)
		}
	}
}
