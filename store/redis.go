package store

import (
	"context"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Open makes a client for a redis:// URL. It does not connect: commands
// connect (and reconnect) as needed. rt, when not nil, counts round trips.
func Open(url string, rt *RoundTrips) (*redis.Client, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL %q is not a redis:// URL: %w", redactURL(url), err)
	}
	opt.DisableIdentity = true // no CLIENT SETINFO: one round trip less per connection, and miniredis lacks it
	rdb := redis.NewClient(opt)
	if rt != nil {
		rdb.AddHook(rt)
	}
	return rdb, nil
}

// redactURL hides a password in a Redis URL for messages.
func redactURL(url string) string {
	opt, err := redis.ParseURL(url)
	if err != nil || opt.Password == "" {
		return url
	}
	return "redis://***@" + opt.Addr
}

// Embedded is an in-memory Redis inside this process (miniredis), for the
// demo and for trying Saathi without installing anything. Nothing in it
// survives a restart.
type Embedded struct {
	srv *miniredis.Miniredis
}

// StartEmbedded starts an in-memory Redis on a loopback port. Nothing in it
// is kept: the caller says so, to the user or in its log.
func StartEmbedded() (*Embedded, error) {
	srv := miniredis.NewMiniRedis()
	if err := srv.StartAddr("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("start embedded redis: %w", err)
	}
	return &Embedded{srv: srv}, nil
}

// URL is the redis:// URL of the embedded server.
func (e *Embedded) URL() string { return "redis://" + e.srv.Addr() }

// Close stops the embedded server.
func (e *Embedded) Close() { e.srv.Close() }

// RoundTrips is a go-redis hook that counts round trips to Redis: one per
// command, one per pipeline (however many commands it carries), and the
// time spent waiting for them.
type RoundTrips struct {
	n, took atomic.Int64
}

// Count is the number of round trips so far.
func (r *RoundTrips) Count() int64 { return r.n.Load() }

// Took is the time spent in round trips so far, added up (two at once on
// two connections count twice).
func (r *RoundTrips) Took() time.Duration { return time.Duration(r.took.Load()) }

// DialHook is part of redis.Hook.
func (r *RoundTrips) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) { return next(ctx, network, addr) }
}

// ProcessHook is part of redis.Hook.
func (r *RoundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		r.n.Add(1)
		start := time.Now()
		err := next(ctx, cmd)
		r.took.Add(int64(time.Since(start)))
		return err
	}
}

// ProcessPipelineHook is part of redis.Hook.
func (r *RoundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		r.n.Add(1)
		start := time.Now()
		err := next(ctx, cmds)
		r.took.Add(int64(time.Since(start)))
		return err
	}
}
