package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFlowsCheckFindsLoops: a flow file whose steps go round without
// asking fails the check, which names the file and the steps.
func TestFlowsCheckFindsLoops(t *testing.T) {
	dir := t.TempDir()
	loop := `
id: spin
commands: ["/spin"]
steps:
  - {id: hello, type: send, message: common.help, next: again}
  - {id: again, type: set, set: {x: "1"}, next: hello}
`
	if err := os.WriteFile(filepath.Join(dir, "spin.yaml"), []byte(loop), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, nil, "", "flows", "check", dir)
	if err == nil {
		t.Fatalf("flows check passed a looping flow:\n%s", out)
	}
	if want := "spin.yaml: step hello: loops without asking anything: hello → again → hello"; !strings.Contains(out, want) {
		t.Errorf("flows check output lacks %q:\n%s", want, out)
	}
}
