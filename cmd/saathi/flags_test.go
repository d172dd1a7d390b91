package main

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/store/storetest"
)

// subcommands is every command and subcommand of the binary.
var subcommands = [][]string{
	{"demo"}, {"chat"}, {"serve"}, {"import"}, {"export"}, {"bench"}, {"version"},
	{"training", "add"}, {"training", "list"}, {"training", "status"}, {"training", "move"}, {"training", "cancel"},
	{"broadcast"}, {"broadcast", "status"},
	{"report", "open"}, {"report", "list"}, {"report", "status"}, {"report", "export"},
	{"whatsapp", "pair"}, {"whatsapp", "status"},
	{"deadletters", "list"}, {"deadletters", "retry"}, {"deadletters", "drop"},
	{"flows", "check"}, {"links"}, {"links", "revoke"},
}

// Every subcommand given a flag it does not know says so in one line,
// naming the flag and how to get help, and exits 2; --help prints its
// flags to stdout and exits 0.
func TestEveryCommandRefusesABadFlagInOneLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin, err := saathiBinary()
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range subcommands {
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
			if len(lines) != 1 || stdout.Len() != 0 || !strings.Contains(lines[0], "no-such-flag") {
				t.Errorf("%v %v: stdout %q, stderr %q; want one line naming the flag", sub, bad, stdout.String(), stderr.String())
			}
		}
		cmd := exec.Command(bin, append(append([]string{}, sub...), "--help")...)
		out, err := cmd.Output()
		if err != nil || !strings.HasPrefix(string(out), "Usage: saathi "+strings.Join(sub, " ")+" ") || strings.Contains(string(out), "--telegram-token") {
			t.Errorf("%v --help: %v\n%s", sub, err, out)
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
