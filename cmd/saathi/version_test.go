package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// git runs git in dir and returns its trimmed output.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.org")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// `saathi version` and `saathi --version` print the VCS revision go build
// stamped. Go stamps a build inside a git checkout whose .git is a
// directory (not a worktree's .git file), so the test copies the module's
// files as they are now into a fresh repository, commits them and builds
// there, as a release build would.
func TestVersionPrintsTheRevision(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	root := git(t, ".", "rev-parse", "--show-toplevel")
	files := git(t, root, "ls-files", "--cached", "--others", "--exclude-standard")
	dir := t.TempDir()
	for _, f := range strings.Split(files, "\n") {
		src := filepath.Join(root, f)
		buf, err := os.ReadFile(src)
		if os.IsNotExist(err) {
			continue // deleted, not yet committed
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), buf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git(t, dir, "init", "-q")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "release")
	rev := git(t, dir, "rev-parse", "HEAD")

	bin := filepath.Join(t.TempDir(), "saathi")
	build := exec.Command("go", "build", "-o", bin, "./cmd/saathi")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=true", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, arg := range []string{"version", "--version"} {
		out, err := exec.Command(bin, arg).CombinedOutput()
		if err != nil {
			t.Fatalf("saathi %s: %v\n%s", arg, err, out)
		}
		line := strings.TrimSpace(string(out))
		if strings.Count(line, "\n") != 0 || !strings.Contains(line, "revision "+rev+",") || strings.Contains(line, "modified") ||
			!strings.Contains(line, "CGO_ENABLED=0") || !strings.Contains(line, "committed 20") {
			t.Fatalf("saathi %s printed %q, want one line with revision %s", arg, line, rev)
		}
	}
}

// Without VCS information (this test binary's own build, -buildvcs=false)
// the line says so instead of printing an empty revision.
func TestVersionWithoutVCS(t *testing.T) {
	out, err := runCmd(t, map[string]string{}, "", "version")
	if err != nil || !strings.HasPrefix(out, "saathi ") || strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Fatalf("version: %v %q", err, out)
	}
	if b := readBuildInfo(); b.Revision == "" && !strings.Contains(out, "revision unknown") {
		t.Fatalf("no revision, and the line does not say so: %q", out)
	}
	if _, err := runCmd(t, map[string]string{}, "", "version", "extra"); err == nil {
		t.Fatal("version took an argument")
	}
}
