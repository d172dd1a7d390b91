package services_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/store/broadcast"
)

// fakePoster is a channel's Poster: the messages it holds, by id, and what
// was done to them.
type fakePoster struct {
	every, window time.Duration

	mu    sync.Mutex
	msgs  map[string]string
	log   []string // "post <id>", "edit <id>"
	users []string
}

func (p *fakePoster) Post(_ context.Context, user, text string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.msgs == nil {
		p.msgs = map[string]string{}
	}
	id := fmt.Sprintf("M%d", len(p.msgs)+1)
	p.msgs[id] = text
	p.log = append(p.log, "post "+id)
	p.users = append(p.users, user)
	return id, nil
}

func (p *fakePoster) Edit(_ context.Context, user, id, text string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.msgs[id]; !ok {
		return fmt.Errorf("no message %s", id)
	}
	p.msgs[id] = text
	p.log = append(p.log, "edit "+id)
	p.users = append(p.users, user)
	return nil
}

func (p *fakePoster) EditPace() (every, window time.Duration) { return p.every, p.window }

// did returns what was done since the last call.
func (p *fakePoster) did() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.log
	p.log = nil
	return out
}

func (p *fakePoster) reads(id string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.msgs[id]
}

// progressClock is the services' clock, moved by hand.
type progressClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *progressClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *progressClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// progressBroadcast creates a broadcast of total copies from a creator on
// channel, as broadcast.send does (its recipients' events are left out).
func (f *fixture) progressBroadcast(t *testing.T, channel string, total int) string {
	t.Helper()
	b, err := f.svc.Broadcasts.Create(f.ctx, broadcast.Broadcast{Text: "बैठक", Audience: "role=pradhan", CreatedBy: bmm,
		Channel: channel, User: "919417047187", Lang: "hi", Total: total, At: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return b.ID
}

func (f *fixture) deliver(t *testing.T, id string, phones ...string) {
	t.Helper()
	for _, p := range phones {
		if _, _, err := f.svc.Broadcasts.Record(f.ctx, id, p, broadcast.Sent); err != nil {
			t.Fatal(err)
		}
	}
}

func showProgress(t *testing.T, svc *services.Services) {
	t.Helper()
	if err := svc.ShowProgress(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) active(t *testing.T, id string) bool {
	t.Helper()
	ids, err := f.svc.Broadcasts.Active(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return slices.Contains(ids, id)
}

// TestProgressAtTheChannelsPace: a channel that wants edits at most every
// 30 s (WhatsApp) gets them so, and the final numbers at once; a message
// past the channel's edit window is followed by a new one.
func TestProgressAtTheChannelsPace(t *testing.T) {
	f := setup(t)
	clk := &progressClock{t: ist("2026-12-01 10:00")}
	f.svc.Now = clk.Now
	wa := &fakePoster{every: 30 * time.Second, window: 14 * time.Minute}
	f.svc.Posters["whatsapp"] = wa
	t0 := clk.Now()
	at := func(d time.Duration, want ...string) {
		t.Helper()
		clk.set(t0.Add(d))
		showProgress(t, f.svc)
		if got := wa.did(); !slices.Equal(got, want) {
			t.Fatalf("at +%v: %q, want %q", d, got, want)
		}
	}

	id := f.progressBroadcast(t, "whatsapp", 3)
	at(0, "post M1")
	if got := wa.reads("M1"); !strings.Contains(got, "3 में से 0 भेजे गए · 3 बाकी") {
		t.Fatalf("progress reads %q", got)
	}
	f.deliver(t, id, "+911")
	at(10 * time.Second) // too soon
	at(29 * time.Second)
	at(31*time.Second, "edit M1")
	at(40 * time.Second) // nothing new, and too soon
	f.deliver(t, id, "+912", "+913")
	at(45*time.Second, "edit M1") // the final numbers go at once
	if got := wa.reads("M1"); !strings.Contains(got, "3 में से 3 भेजे गए · 0 बाकी") {
		t.Fatalf("progress ends reading %q", got)
	}
	if f.active(t, id) {
		t.Fatal("finished broadcast still active")
	}
	at(time.Minute) // and it is left alone

	id = f.progressBroadcast(t, "whatsapp", 2)
	at(2*time.Minute, "post M2")
	f.deliver(t, id, "+911")
	at(16*time.Minute, "post M3") // M2 is past editing: a new message
	if got := wa.reads("M3"); !strings.Contains(got, "2 में से 1 भेजे गए · 1 बाकी") {
		t.Fatalf("new progress message reads %q", got)
	}
	f.deliver(t, id, "+912")
	at(16*time.Minute+time.Second, "edit M3")
	if got := wa.reads("M3"); !strings.Contains(got, "2 में से 2 भेजे गए · 0 बाकी") || f.active(t, id) {
		t.Fatalf("progress ends reading %q, active %v", got, f.active(t, id))
	}
	for _, u := range wa.users {
		if u != "919417047187" {
			t.Fatalf("progress went to %q, not the creator's chat", u)
		}
	}
}

// TestProgressWithoutPosterHere: a process without the creator's channel
// leaves a running broadcast to the process that has it, and does not
// finish a done one before that process has shown the final numbers; a
// broadcast whose channel no process shows progress on is finished a
// minute after nothing is pending, so the active list does not grow.
func TestProgressWithoutPosterHere(t *testing.T) {
	f := setup(t)
	clk := &progressClock{t: ist("2026-12-01 10:00")}
	t0 := clk.Now()
	telegramOnly := f.svc // no WhatsApp here
	telegramOnly.Now = clk.Now
	telegramOnly.Posters["telegram"] = &fakePoster{}
	withWhatsApp := services.New(f.rdb, f.cat, slog.New(slog.NewTextHandler(io.Discard, nil)))
	withWhatsApp.Now = clk.Now
	wa := &fakePoster{every: 30 * time.Second, window: 14 * time.Minute}
	withWhatsApp.Posters["whatsapp"] = wa

	running := f.progressBroadcast(t, "whatsapp", 2)
	f.deliver(t, running, "+911")
	clk.set(t0.Add(time.Hour))
	showProgress(t, telegramOnly)
	if !f.active(t, running) || len(wa.did()) != 0 {
		t.Fatal("a process without WhatsApp touched a running WhatsApp broadcast")
	}

	done := f.progressBroadcast(t, "whatsapp", 1)
	f.deliver(t, done, "+911")
	clk.set(t0.Add(2 * time.Hour))
	showProgress(t, telegramOnly) // first: must not steal it
	if !f.active(t, done) {
		t.Fatal("a process without WhatsApp finished a WhatsApp broadcast before its final numbers were shown")
	}
	clk.set(t0.Add(2*time.Hour + 3*time.Second))
	showProgress(t, withWhatsApp)
	if got := wa.did(); len(got) != 2 || got[0] != "post M1" || got[1] != "post M2" { // the running one's, and the done one's
		t.Fatalf("WhatsApp process did %q", got)
	}
	reads := wa.reads("M1") + "\n" + wa.reads("M2")
	if !strings.Contains(reads, "1 में से 1 भेजे गए · 0 बाकी") || !strings.Contains(reads, "2 में से 1 भेजे गए · 1 बाकी") || f.active(t, done) {
		t.Fatalf("progress messages read %q; done one active %v", reads, f.active(t, done))
	}

	orphan := f.progressBroadcast(t, "console", 2) // no process shows progress on the console
	f.deliver(t, orphan, "+911")
	clk.set(t0.Add(3 * time.Hour))
	showProgress(t, telegramOnly)
	showProgress(t, withWhatsApp)
	if !f.active(t, orphan) {
		t.Fatal("a broadcast with a copy pending was finished")
	}
	f.deliver(t, orphan, "+912")
	clk.set(t0.Add(4 * time.Hour))
	showProgress(t, telegramOnly)
	clk.set(t0.Add(4*time.Hour + 59*time.Second))
	showProgress(t, withWhatsApp)
	if !f.active(t, orphan) {
		t.Fatal("finished within the grace a poster has to show the final numbers")
	}
	clk.set(t0.Add(4*time.Hour + time.Minute))
	showProgress(t, withWhatsApp)
	if f.active(t, orphan) {
		t.Fatal("a done broadcast no one shows progress of stays active")
	}
	if !f.active(t, running) {
		t.Fatal("the running broadcast was finished")
	}
}
