package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
	"github.com/saathi-bot/saathi/store/identity"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/storetest"
)

// Every command in a menu is one the bot understands: a flow's command or
// one of the engine's own, and every one has its text in every language.
func TestMenusNameCommandsTheBotKnows(t *testing.T) {
	set, cat, err := loadFlows("")
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{"/start": true, "/help": true, "/cancel": true, "/language": true} // flows/engine.go
	for _, id := range set.IDs() {
		for _, c := range set.Flow(id).Commands {
			known[c] = true
		}
	}
	for _, c := range slices.Concat(menuEveryone, menuCoordinator, menuAdmin) {
		if !known["/"+c] {
			t.Errorf("menu command /%s starts nothing", c)
		}
		for _, lang := range cat.Languages() {
			if !cat.Has(lang, "menu."+c) {
				t.Errorf("menu.%s has no %s text", c, lang)
			}
		}
	}
	ps := presences(cat)
	if len(ps) != 2 || ps[0].Lang != "" || ps[1].Lang != "en" {
		t.Fatalf("presences for %+v, want the default (hi) and en", ps)
	}
	if !strings.Contains(ps[0].Description, "साथी") || !strings.Contains(ps[1].Description, "Saathi") {
		t.Fatalf("descriptions: %q / %q", ps[0].Description, ps[1].Description)
	}
}

func commandNames(cmds []telegramtest.Command) []string {
	var out []string
	for _, c := range cmds {
		out = append(out, c.Command)
	}
	return out
}

// serve sets the menus for everyone (Hindi by default, English) and both
// descriptions, and a longer menu in each coordinator's and admin's chat;
// someone an admin makes a coordinator in chat gets it too, and loses it
// when an import makes them a sabhasad again.
func TestServeSetsMenusAndDescriptions(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	fake := telegramtest.NewServer(t)
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	ctx := context.Background()
	people, _, err := roster.ParseCSV(bytes.NewReader(roster.Sample))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := roster.New(rdb).Import(ctx, people, false); err != nil {
		t.Fatal(err)
	}
	const (
		adminChat = 5001 // कमला तिवारी, admin
		coordChat = 5002 // विनोद गुप्ता, coordinator
		newChat   = 5003 // सरिता राजभर, sabhasad
		otherChat = 5004 // राजेश सोनकर, sabhasad
	)
	ids := identity.New(rdb)
	for chat, phone := range map[int]string{adminChat: "+919760207764", coordChat: "+919912845298", newChat: "+919018159083", otherChat: "+919131860913"} {
		if err := ids.Link(ctx, "telegram", fmt.Sprint(chat), phone); err != nil {
			t.Fatal(err)
		}
	}
	addr := freeAddr(t)
	p := startServe(t, "REDIS_URL="+storetest.URL(t, storetest.DBCommand), "SAATHI_HTTP_ADDR="+addr,
		"TELEGRAM_BOT_TOKEN="+telegramtest.Token, "TELEGRAM_API_ENDPOINT="+fake.URL()+"/bot%s/%s", "TELEGRAM_POLL_TIMEOUT=1s")
	waitHTTP(t, "http://"+addr+"/readyz", 200)

	has := func(want ...string) func([]telegramtest.Command, bool) bool {
		return func(cmds []telegramtest.Command, set bool) bool {
			names := commandNames(cmds)
			for _, w := range want {
				if !slices.Contains(names, w) {
					return false
				}
			}
			return set
		}
	}
	everyone, ok := fake.WaitMenu("default", "", has("start", "trainings", "checkin", "stop"), 15*time.Second)
	if !ok || slices.Contains(commandNames(everyone), "new") {
		t.Fatalf("menu for everyone: %+v", everyone)
	}
	if everyone[0].Description != "शुरू करें" {
		t.Fatalf("the default menu is not in Hindi: %+v", everyone)
	}
	en, ok := fake.WaitMenu("default", "en", has("start", "trainings"), 15*time.Second)
	if !ok || en[0].Description != "Start" {
		t.Fatalf("English menu: %+v", en)
	}
	adminMenu, ok := fake.WaitMenu(fmt.Sprint("chat:", adminChat), "", has("new", "status", "broadcast", "coordinator"), 15*time.Second)
	if !ok || len(adminMenu) <= len(everyone) {
		t.Fatalf("admin's menu: %+v", adminMenu)
	}
	coordMenu, ok := fake.WaitMenu(fmt.Sprint("chat:", coordChat), "", has("start", "new", "status", "code", "report"), 15*time.Second)
	if !ok || slices.Contains(commandNames(coordMenu), "coordinator") {
		t.Fatalf("coordinator's menu: %+v", coordMenu)
	}
	for _, lang := range []string{"", "en"} {
		d, ok1 := fake.Description(lang)
		s, ok2 := fake.ShortDescription(lang)
		if !ok1 || !ok2 || d == "" || s == "" {
			t.Fatalf("descriptions for %q: %q %q", lang, d, s)
		}
	}
	if d, _ := fake.Description(""); !strings.Contains(d, "साथी") {
		t.Fatalf("default description is not Hindi: %q", d)
	}
	if _, set := fake.Menu(fmt.Sprint("chat:", otherChat), ""); set {
		t.Fatal("a sabhasad got a menu of their own")
	}

	// The admin makes सरिता a coordinator of सोनभद्र district, in chat.
	for _, msg := range []string{"/coordinator", "9018159083", "1", "सोनभद्र"} {
		n := len(fake.SentTo(adminChat))
		fake.PushText(adminChat, msg)
		waitSentTo(t, fake, adminChat, n+1)
	}
	if sent := fake.SentTo(adminChat); !strings.Contains(sent[len(sent)-1].Text, "सरिता") {
		t.Fatalf("make coordinator: %+v", sent[len(sent)-1])
	}
	if got, ok := fake.WaitMenu(fmt.Sprint("chat:", newChat), "", has("new", "status"), 15*time.Second); !ok {
		t.Fatalf("the new coordinator's menu: %+v", got)
	}

	// A coordinator on the roster who never wrote links their chat by
	// sharing their contact: their chat gets the longer menu within
	// seconds, not at the next full check (menuRecheck), since linking a
	// chat does not change the roster.
	const linkedChat = 5005 // सुनील वर्मा, coordinator, no chat yet
	fake.PushText(linkedChat, "नमस्ते")
	waitSentTo(t, fake, linkedChat, 1)
	fake.PushContact(linkedChat, "+919741374847", linkedChat)
	waitSentTo(t, fake, linkedChat, 2)
	if got, ok := fake.WaitMenu(fmt.Sprint("chat:", linkedChat), "", has("new", "status", "report"), 15*time.Second); !ok || slices.Contains(commandNames(got), "coordinator") {
		t.Fatalf("the coordinator who linked a chat has the menu %+v (set %v)", got, ok)
	}

	// An import makes her a sabhasad again: her chat loses its menu.
	if _, err := roster.New(rdb).Import(ctx, people[:1], false); err != nil {
		t.Fatal(err)
	}
	if got, ok := fake.WaitMenu(fmt.Sprint("chat:", newChat), "", func(_ []telegramtest.Command, set bool) bool { return !set }, 15*time.Second); !ok {
		t.Fatalf("her menu stayed after she stopped being a coordinator: %+v", got)
	}

	// A restart sends no chat's menu again: nothing changed (once serve
	// has noted the deletion it made).
	for deadline := time.Now().Add(15 * time.Second); rdb.HExists(ctx, "saathi:chatmenus", fmt.Sprint("telegram:", newChat)).Val(); {
		if time.Now().After(deadline) {
			t.Fatal("serve never noted that her menu is gone")
		}
		time.Sleep(20 * time.Millisecond)
	}
	calls := len(fake.MenuCalls())
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(t, 15*time.Second); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
	p = startServe(t, "REDIS_URL="+storetest.URL(t, storetest.DBCommand), "SAATHI_HTTP_ADDR="+addr,
		"TELEGRAM_BOT_TOKEN="+telegramtest.Token, "TELEGRAM_API_ENDPOINT="+fake.URL()+"/bot%s/%s", "TELEGRAM_POLL_TIMEOUT=1s")
	waitHTTP(t, "http://"+addr+"/readyz", 200)
	deadline := time.Now().Add(15 * time.Second)
	for len(fake.MenuCalls()) < calls+2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(menuPoll + time.Second) // room for a needless chat menu to show up
	for _, c := range fake.MenuCalls()[calls:] {
		if c.Scope != "default" {
			t.Errorf("after a restart, %s for %s again", c.Method, c.Scope)
		}
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.wait(t, 15*time.Second)
}

// waitSentTo waits until chat has n messages from the bot.
func waitSentTo(t *testing.T, fake *telegramtest.Server, chat int64, n int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for len(fake.SentTo(chat)) < n {
		if time.Now().After(deadline) {
			t.Fatalf("chat %d got %d messages, want %d: %+v", chat, len(fake.SentTo(chat)), n, fake.SentTo(chat))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// switchProxy forwards to the fake Bot API while on, and answers 502
// (as a proxy in front of an unreachable Telegram would) while off.
type switchProxy struct {
	url string
	on  atomic.Bool
}

func newSwitchProxy(t *testing.T, target string) *switchProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	forward := httputil.NewSingleHostReverseProxy(u)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &switchProxy{url: "http://" + ln.Addr().String()}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !p.on.Load() {
			http.Error(w, "telegram unreachable", http.StatusBadGateway)
			return
		}
		forward.ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return p
}

// Telegram out of reach at start: serve stays up, not ready, saying why;
// it keeps trying, and once Telegram answers it is ready and answers.
func TestServeWaitsForTelegram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	fake := telegramtest.NewServer(t)
	proxy := newSwitchProxy(t, fake.URL())
	storetest.Redis(t, storetest.DBCommand, nil)
	addr := freeAddr(t)
	p := startServe(t, "REDIS_URL="+storetest.URL(t, storetest.DBCommand), "SAATHI_HTTP_ADDR="+addr,
		"TELEGRAM_BOT_TOKEN="+telegramtest.Token, "TELEGRAM_API_ENDPOINT="+proxy.url+"/bot%s/%s", "TELEGRAM_POLL_TIMEOUT=1s")
	waitHTTP(t, "http://"+addr+"/healthz", 200)
	if body := waitHTTP(t, "http://"+addr+"/readyz", 503); !strings.HasPrefix(body, "telegram: ") {
		t.Fatalf("readyz says %q", body)
	}
	// Still trying, and still up, after a few failures.
	deadline := time.Now().Add(15 * time.Second)
	for strings.Count(p.stderr.String(), "telegram unreachable: trying again") < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("no retries in the log:\n%s", p.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	select {
	case <-p.done:
		t.Fatalf("serve exited: %v", p.err)
	default:
	}
	if metrics := waitHTTP(t, "http://"+addr+"/metrics", 200); !strings.Contains(metrics, "saathi_build_info{") {
		t.Errorf("metrics lack saathi_build_info")
	}
	proxy.on.Store(true)
	waitHTTP(t, "http://"+addr+"/readyz", 200)
	fake.PushText(1001, "नमस्ते")
	if sent := fake.WaitSent(t, 1, 15*time.Second); !strings.Contains(sent[0].Text, "मैं साथी हूँ") {
		t.Fatalf("telegram answered %+v", sent)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(t, 15*time.Second); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
}

// A token Telegram refuses is not retried: serve says so and exits.
func TestServeExitsOnARefusedToken(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	fake := telegramtest.NewServer(t)
	storetest.Redis(t, storetest.DBCommand, nil)
	p := startServe(t, "REDIS_URL="+storetest.URL(t, storetest.DBCommand), "SAATHI_HTTP_ADDR="+freeAddr(t),
		"TELEGRAM_BOT_TOKEN=1:wrong", "TELEGRAM_API_ENDPOINT="+fake.URL()+"/bot%s/%s")
	if err := p.wait(t, 15*time.Second); err == nil {
		t.Fatal("serve went on with a refused token")
	}
	if log := p.stderr.String(); !strings.Contains(log, "TELEGRAM_BOT_TOKEN") || !strings.Contains(log, "Unauthorized") {
		t.Fatalf("log:\n%s", log)
	}
}
