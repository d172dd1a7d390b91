package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/store/broadcast"
	"github.com/saathi-bot/saathi/store/roster"
)

// runBroadcast is "saathi broadcast --to AUDIENCE --text TEXT" and
// "saathi broadcast status ID".
func runBroadcast(ctx context.Context, e env, args []string) error {
	if len(args) > 0 && args[0] == "status" {
		return runBroadcastStatus(ctx, e, args[1:])
	}
	fs, cfgOf := commandFlags(e, "broadcast")
	to := fs.String("to", "", "audience: a roster filter ('role=pradhan,block=मैथा') or 'training=ID[,segment=all|yes|silent]'")
	text := fs.String("text", "", "the message, sent as plain text")
	from := fs.String("from", "साथी", "whom the message is from, as recipients see it")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if *to == "" || *text == "" {
		return fmt.Errorf("%w: saathi broadcast --to AUDIENCE --text TEXT", errUsage)
	}
	aud, err := services.ParseAudience(*to)
	if err != nil {
		return fmt.Errorf("%w: --to: %v", errUsage, err)
	}
	a, err := openApp(ctx, cfg, newLogger(cfg, e.stderr), false, true)
	if err != nil {
		return err
	}
	defer a.Close()
	if a.embedded != nil {
		return errors.New("broadcast: REDIS_URL is not set: a broadcast needs the Redis `saathi serve` uses")
	}
	b, err := a.svc.Broadcast(ctx, roster.Scope{Level: roster.LevelAll}, aud, *text, *from, broadcast.Broadcast{CreatedBy: "cli"}, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "broadcast %s: %d recipients; `saathi broadcast status %s` shows its progress\n", b.ID, b.Total, b.ID)
	return nil
}

func runBroadcastStatus(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "broadcast status")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: saathi broadcast status ID", errUsage)
	}
	a, err := openApp(ctx, cfg, newLogger(cfg, e.stderr), false, true)
	if err != nil {
		return err
	}
	defer a.Close()
	b, c, err := a.svc.Broadcasts.Get(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "broadcast %s (%s), %s\n", b.ID, b.Audience, b.At.Format(time.RFC3339))
	fmt.Fprintf(e.stdout, "total %d · sent %d · pending %d · failed %d · blocked %d · no chat %d\n", c.Total, c.Sent, c.Pending(), c.Failed, c.Blocked, c.NoChat)
	un, err := a.svc.Broadcasts.Undelivered(ctx, b.ID)
	if err != nil {
		return err
	}
	for _, u := range un {
		fmt.Fprintf(e.stdout, "%s\t%s\n", u[0], u[1])
	}
	return nil
}
