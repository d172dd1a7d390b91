// Package flowstest builds engines for tests in other packages.
package flowstest

import (
	"context"
	"fmt"
	"io/fs"
	"sync"
	"testing"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/locales"
)

// Engine returns an engine on the embedded flows and messages, with the
// given overlays (nil for none), or fails the test. Its services are a
// Newcomer; tests that need others use WithServices.
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
	return flows.NewEngine(set, cat).WithServices(&Newcomer{})
}

// Newcomer is an in-memory stand-in for Saathi's services, as they answer
// for people not on the roster: nobody is known, a shared own number is not
// on the roster (so registration follows), and registrations are kept
// (then the person is "pending"). Engine tests use it; the real services
// are tested on Redis in bot/services.
type Newcomer struct {
	mu         sync.Mutex
	Registered map[string]map[string]string // by channel:user
}

// Call implements flows.Services.
func (n *Newcomer) Call(_ context.Context, name string, c flows.Call) (flows.CallResult, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	chat := c.Channel + ":" + c.User
	switch name {
	case "person.lookup":
		if n.Registered[chat] != nil {
			return flows.CallResult{Status: "pending"}, nil
		}
		return flows.CallResult{Status: "not_found"}, nil
	case "person.link_contact":
		return flows.CallResult{Status: "not_found", Fields: map[string]string{"phone_known": "yes"}}, nil
	case "registration.submit":
		if n.Registered == nil {
			n.Registered = map[string]map[string]string{}
		}
		n.Registered[chat] = c.Args
		return flows.CallResult{Status: "ok"}, nil
	}
	return flows.CallResult{}, fmt.Errorf("newcomer services: no call %q", name)
}
