package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// envWithout is the test's environment without the variables named.
func envWithout(names ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		drop := false
		for _, n := range names {
			drop = drop || k == n
		}
		if !drop {
			out = append(out, kv)
		}
	}
	return out
}

// Every command that changes data refuses to run without REDIS_URL: exit
// status 1, one line on stderr naming REDIS_URL, nothing on stdout, and
// nothing written (no file appears where it ran, and it never started an
// embedded Redis to report success into).
func TestWritersRefuseWithoutRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin, err := saathiBinary()
	if err != nil {
		t.Fatal(err)
	}
	roster := t.TempDir() + "/roster.csv"
	if err := os.WriteFile(roster, []byte("name,phone,role\nसरिता,9018159083,sabhasad\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"training", "add", "--title", "बैठक", "--venue", "सभागार", "--start", "2030-12-05T10:00", "--invite", "role=sabhasad"},
		{"training", "move", "t1", "--start", "2030-12-12T10:00"},
		{"training", "cancel", "t1"},
		{"broadcast", "--to", "role=pradhan", "--text", "कल बैठक है"},
		{"report", "open", "--period", "2030-12", "--due", "2030-12-07"},
		{"import", roster},
		{"training", "attend", "t1", "--day", "1", "--phone", "9018159083"},
		{"report", "target", "--period", "2030-12", "--set", "accounts=members", "--by", "2030-12-08"},
		{"links", "--to", "role=sabhasad", "-o", "links.xlsx"},
		{"links", "revoke", "9018159083"},
		{"roster", "reindex"},
		{"deadletters", "list"},
	} {
		dir := t.TempDir()
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = envWithout("REDIS_URL")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() == 0 {
			t.Errorf("%v without REDIS_URL: %v, want a non-zero exit", args, err)
			continue
		}
		lines := strings.Split(strings.TrimRight(stderr.String(), "\n"), "\n")
		if len(lines) != 1 || !strings.Contains(lines[0], "REDIS_URL") || stdout.Len() != 0 {
			t.Errorf("%v without REDIS_URL: stdout %q, stderr %q; want one line naming REDIS_URL", args, stdout.String(), stderr.String())
		}
		if strings.Contains(stderr.String(), "embedded") && !strings.Contains(lines[0], "import") {
			t.Errorf("%v started an embedded Redis: %q", args, stderr.String())
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%v wrote %v", args, entries)
		}
	}
}

// chat without REDIS_URL says once, in the user's language, that nothing
// is kept, and shows no log line in the conversation.
func TestChatSaysOnceThatNothingIsKept(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{{"", "बाहर निकलते ही सब मिट जाएगा"}, {"en", "Everything is gone when you leave"}} {
		args := []string{"chat", "--user", "e1"}
		if tc.lang != "" {
			args = append(args, "--lang", tc.lang)
		}
		out, err := runCmd(t, map[string]string{}, "नमस्ते\n", args...)
		if err != nil {
			t.Fatalf("chat: %v\n%s", err, out)
		}
		if strings.Count(out, tc.want) != 1 || strings.Contains(out, "level=") || strings.Contains(out, "msg=") {
			t.Fatalf("chat %v: want the notice once and no log line:\n%s", args, out)
		}
	}
}

// An unreachable Redis is one line, not go-redis's own lines first.
func TestUnreachableRedisIsOneLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin, err := saathiBinary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "training", "list")
	cmd.Env = append(envWithout("REDIS_URL"), "REDIS_URL=redis://"+freeAddr(t)+"/0")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err == nil {
		t.Fatal("training list with Redis down succeeded")
	}
	if lines := strings.Split(strings.TrimRight(stderr.String(), "\n"), "\n"); len(lines) != 1 || !strings.Contains(lines[0], "redis") {
		t.Fatalf("stderr %q, want one line", stderr.String())
	}
}
