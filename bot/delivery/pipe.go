package delivery

import (
	"context"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// pipe sends the single-key commands of many sends (a chat's check, hold
// and rest, the end of a send in the log) to Redis together: the commands
// given while one pipeline is in flight go in the next one. A command is
// not delayed when no other is in flight; under load (a broadcast at a
// thousand sends a second) many share one round trip, which saves the
// process the CPU of a round trip each.
//
// A command waits no longer than its pipeline; the order of two commands
// given by one goroutine, one after the other, is kept.
type pipe struct {
	rdb redis.UniversalClient

	mu      sync.Mutex
	next    *batch // collecting, nil when none
	running bool   // the flusher runs
}

// batch is the commands of one pipeline; done is closed once their
// replies (or the error that stopped them) are in.
type batch struct {
	cmds []redis.Cmder
	done chan struct{}
}

// pipeTimeout bounds one pipeline: a Redis that does not answer fails the
// commands in it after that, as a single command would.
const pipeTimeout = 5 * time.Second

// do adds cmds to the next pipeline and returns a channel closed when their
// replies are in (then each cmd's Err and Val tell).
func (p *pipe) do(cmds ...redis.Cmder) <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.next == nil {
		p.next = &batch{done: make(chan struct{})}
	}
	p.next.cmds = append(p.next.cmds, cmds...)
	done := p.next.done
	if !p.running {
		p.running = true
		go p.flush()
	}
	return done
}

// wait is do and then waiting for the replies, or for ctx to end, which
// gives ctx's error (the commands may still be carried out).
func (p *pipe) wait(ctx context.Context, cmds ...redis.Cmder) error {
	select {
	case <-p.do(cmds...):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// flush sends the pipelines one after the other while commands come.
func (p *pipe) flush() {
	for {
		p.mu.Lock()
		b := p.next
		p.next = nil
		if b == nil {
			p.running = false
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), pipeTimeout)
		// Each command keeps its own error: Pipelined's is the first of them.
		_, _ = p.rdb.Pipelined(ctx, func(pl redis.Pipeliner) error {
			for _, c := range b.cmds {
				_ = pl.Process(ctx, c)
			}
			return nil
		})
		cancel()
		close(b.done)
	}
}
