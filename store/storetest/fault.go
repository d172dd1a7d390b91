package storetest

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// ErrInjected is the error of a command Fault fails.
var ErrInjected = errors.New("injected redis failure")

// Fault is a go-redis hook that fails, without sending them, the commands
// and pipelines that touch a key of a failing user: a key of Saathi's
// ("saathi:…") with ":<user>" as one of its colon-separated parts. It makes
// Redis fail for one person only (or, with Down, for everyone). Add it with
// rdb.AddHook.
type Fault struct {
	mu    sync.Mutex
	users map[string]bool
	down  bool
	hits  int
}

// Down fails every command while on: Redis down for everyone.
func (f *Fault) Down(on bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = on
}

// Fail makes the commands on user's keys fail; Heal ends it.
func (f *Fault) Fail(user string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.users == nil {
		f.users = map[string]bool{}
	}
	f.users[user] = true
}

// Heal lets user's commands through again.
func (f *Fault) Heal(user string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.users, user)
}

// Hits is how many commands or pipelines were failed so far.
func (f *Fault) Hits() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits
}

func (f *Fault) fails(cmd redis.Cmder) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		f.hits++
		return true
	}
	if len(f.users) == 0 {
		return false
	}
	for _, a := range cmd.Args() {
		s, ok := a.(string)
		if !ok || !strings.HasPrefix(s, "saathi:") {
			continue
		}
		for _, part := range strings.Split(s, ":") {
			if f.users[part] {
				f.hits++
				return true
			}
		}
	}
	return false
}

// DialHook is part of redis.Hook.
func (f *Fault) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) { return next(ctx, network, addr) }
}

// ProcessHook is part of redis.Hook.
func (f *Fault) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if f.fails(cmd) {
			cmd.SetErr(ErrInjected)
			return ErrInjected
		}
		return next(ctx, cmd)
	}
}

// ProcessPipelineHook is part of redis.Hook.
func (f *Fault) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, c := range cmds {
			if f.fails(c) {
				for _, c := range cmds {
					c.SetErr(ErrInjected)
				}
				return ErrInjected
			}
		}
		return next(ctx, cmds)
	}
}
