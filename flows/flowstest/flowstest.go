// Package flowstest builds engines for tests in other packages.
package flowstest

import (
	"io/fs"
	"testing"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/locales"
)

// Engine returns an engine on the embedded flows and messages, with the
// given overlays (nil for none), or fails the test.
func Engine(t testing.TB, extraFlows, extraMsgs fs.FS) *flows.Engine {
	t.Helper()
	var fl, ms []fs.FS
	if extraFlows != nil {
		fl = append(fl, extraFlows)
	}
	if extraMsgs != nil {
		ms = append(ms, extraMsgs)
	}
	cat, err := locales.Load(ms...)
	if err != nil {
		t.Fatalf("loading messages: %v", err)
	}
	set, err := flows.Load(fl...)
	if err != nil {
		t.Fatalf("loading flows: %v", err)
	}
	if ps := set.CheckMessages(cat); len(ps) > 0 {
		t.Fatalf("flows use missing messages: %v", ps)
	}
	return flows.NewEngine(set, cat)
}
