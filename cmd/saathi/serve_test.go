package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
	"github.com/saathi-bot/saathi/store/identity"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/storetest"
)

// saathiBinary builds the saathi command once per test run.
var saathiBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "saathi-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "saathi")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// process is a running `saathi serve`.
type process struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // its exit status, set before done closes
}

// wait returns the exit status, or fails the test after timeout.
func (p *process) wait(t *testing.T, timeout time.Duration) error {
	t.Helper()
	select {
	case <-p.done:
		return p.err
	case <-time.After(timeout):
		t.Fatalf("saathi did not exit within %v", timeout)
		return nil
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startServe(t *testing.T, vars ...string) *process {
	t.Helper()
	bin, err := saathiBinary()
	if err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: exec.Command(bin, "serve"), stderr: &syncBuffer{}, done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), vars...)
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("serve's log:\n%s", p.stderr.String())
		}
	})
	return p
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitHTTP polls url until it answers status, or fails the test.
func waitHTTP(t *testing.T, url string, status int) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == status {
				return string(body)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer %d (last: %v)", url, status, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// holdingProxy sits between saathi and the fake Bot API. While holding, it
// keeps sendMessage requests waiting and never forwards them: the reply is
// committed, its send is in flight, and the process can be killed right there.
type holdingProxy struct {
	srv     *http.Server
	url     string
	mu      sync.Mutex
	holding bool
	after   int // when > 0: start holding once this many sendMessage went through
	passed  int
	held    chan struct{}
	release chan struct{}
}

func newHoldingProxy(t *testing.T, target string) *holdingProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	forward := httputil.NewSingleHostReverseProxy(u)
	h := &holdingProxy{held: make(chan struct{}, 100), release: make(chan struct{})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h.url = "http://" + ln.Addr().String()
	h.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		send := strings.HasSuffix(r.URL.Path, "/sendMessage")
		if send && h.after > 0 && h.passed >= h.after {
			h.holding = true
		}
		hold := h.holding && send
		if send && !hold {
			h.passed++
		}
		h.mu.Unlock()
		if hold {
			h.held <- struct{}{}
			select {
			case <-h.release:
			case <-r.Context().Done():
			}
			http.Error(w, "held", http.StatusBadGateway)
			return
		}
		forward.ServeHTTP(w, r)
	})}
	go h.srv.Serve(ln)
	t.Cleanup(func() { h.srv.Close() })
	return h
}

// holdAfter lets n messages through, then holds the rest.
func (h *holdingProxy) holdAfter(n int) {
	h.mu.Lock()
	h.after = n
	h.mu.Unlock()
}

func (h *holdingProxy) hold(on bool) {
	h.mu.Lock()
	h.holding = on
	if !on {
		h.after = 0
	}
	h.mu.Unlock()
	if !on {
		close(h.release)
	}
}

func TestServeSIGKILLBetweenCommitAndSendLosesNoReply(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	fake := telegramtest.NewServer(t)
	proxy := newHoldingProxy(t, fake.URL())
	storetest.Redis(t, storetest.DBCommand, nil)
	addr := freeAddr(t)
	vars := []string{
		"REDIS_URL=" + storetest.URL(t, storetest.DBCommand),
		"TELEGRAM_BOT_TOKEN=" + telegramtest.Token,
		"TELEGRAM_API_ENDPOINT=" + proxy.url + "/bot%s/%s",
		"TELEGRAM_POLL_TIMEOUT=1s",
		"SAATHI_HTTP_ADDR=" + addr,
		"SAATHI_OUTBOX_GRACE=300ms",
		"SAATHI_LOG_LEVEL=debug",
	}
	first := startServe(t, vars...)
	waitHTTP(t, "http://"+addr+"/readyz", 200)

	proxy.hold(true)
	fake.PushText(1001, "नमस्ते")
	select {
	case <-proxy.held: // committed; the reply is on its way out
	case <-time.After(15 * time.Second):
		t.Fatal("the reply was never sent")
	}
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.wait(t, 15*time.Second)
	proxy.hold(false)
	if n := len(fake.Sent()); n != 0 {
		t.Fatalf("the fake got %d messages before the crash, want 0", n)
	}

	second := startServe(t, vars...)
	sent := fake.WaitSent(t, 1, 15*time.Second) // the first question: who are you?
	if !strings.Contains(sent[0].Text, "मैं साथी हूँ") || !strings.Contains(sent[0].Text, "अपना नंबर भेजें") {
		t.Fatalf("after restart: %+v", sent)
	}
	fake.PushText(1001, "9000000001")
	sent = fake.WaitSent(t, 2, 15*time.Second) // welcome and the name question, one message
	if !strings.Contains(sent[1].Text, "आपका पूरा नाम") {
		t.Fatalf("conversation did not go on: %+v", sent[1])
	}
	time.Sleep(time.Second) // room for a wrong second delivery to show up
	if n := len(fake.Sent()); n != 2 {
		t.Fatalf("the fake got %d messages, want exactly 2: %+v", n, fake.Sent())
	}

	// SIGTERM: a clean stop.
	if err := second.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := second.wait(t, 15*time.Second); err != nil {
		t.Fatalf("serve exited with %v after SIGTERM", err)
	}
	if !strings.Contains(second.stderr.String(), "stopped") {
		t.Fatalf("no clean stop in the log:\n%s", second.stderr.String())
	}
}

func TestServeNotReadyWhileRedisIsDown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	addr := freeAddr(t)
	p := startServe(t, "REDIS_URL=redis://"+freeAddr(t)+"/0", "SAATHI_HTTP_ADDR="+addr, "TELEGRAM_BOT_TOKEN=")
	waitHTTP(t, "http://"+addr+"/healthz", 200)
	if body := waitHTTP(t, "http://"+addr+"/readyz", 503); !strings.Contains(body, "redis") {
		t.Fatalf("readyz says %q", body)
	}
	metrics := waitHTTP(t, "http://"+addr+"/metrics", 200)
	for _, m := range []string{"saathi_transition_seconds_bucket", "saathi_delivery_seconds_bucket", "go_goroutines"} {
		if !strings.Contains(metrics, m) {
			t.Errorf("metrics lack %s", m)
		}
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.wait(t, 15*time.Second); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
}

// seedRecipients puts n sabhasads of one body on the roster, each with a
// Telegram chat (7000+i), and returns their chat ids.
func seedRecipients(t *testing.T, rdb *redis.Client, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	var people []roster.Person
	var chats []int64
	for i := range n {
		people = append(people, roster.Person{Name: fmt.Sprint("सदस्य ", i+1), Phone: fmt.Sprintf("+9198100%05d", i), Role: "sabhasad",
			District: "सोनभद्र", Body: "नगर पंचायत परीक्षा", Ward: fmt.Sprint(i + 1), Language: "hi"})
		chats = append(chats, int64(7000+i))
	}
	if _, err := roster.New(rdb).Import(ctx, people, false); err != nil {
		t.Fatal(err)
	}
	id := identity.New(rdb)
	for i, p := range people {
		if err := id.Link(ctx, "telegram", fmt.Sprint(chats[i]), p.Phone); err != nil {
			t.Fatal(err)
		}
	}
	return chats
}

// waitEveryChat waits until each chat got a message containing want.
func waitEveryChat(t *testing.T, fake *telegramtest.Server, chats []int64, want string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		missing := 0
		for _, c := range chats {
			got := false
			for _, m := range fake.SentTo(c) {
				if strings.Contains(m.Text, want) {
					got = true
				}
			}
			if !got {
				missing++
			}
		}
		if missing == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d chats never got %q", missing, len(chats), want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// exactlyOnce checks every chat got exactly one message, containing want.
func exactlyOnce(t *testing.T, fake *telegramtest.Server, chats []int64, want string) {
	t.Helper()
	for _, c := range chats {
		got := fake.SentTo(c)
		if len(got) != 1 || !strings.Contains(got[0].Text, want) {
			t.Fatalf("chat %d got %d messages: %+v", c, len(got), got)
		}
	}
}

func TestServeSIGKILLMidBroadcastDeliversEachOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	fake := telegramtest.NewServer(t)
	proxy := newHoldingProxy(t, fake.URL())
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	chats := seedRecipients(t, rdb, 60)
	url := storetest.URL(t, storetest.DBCommand)
	const text = "कल सुबह 11 बजे बैठक है"
	out, err := runCmd(t, map[string]string{"REDIS_URL": url}, "", "broadcast", "--lang", "en", "--to", "role=sabhasad,body=नगर पंचायत परीक्षा", "--text", text)
	if err != nil || !strings.Contains(out, "60 recipients") {
		t.Fatalf("broadcast: %v\n%s", err, out)
	}
	id := strings.Fields(out)[1]
	id = strings.TrimSuffix(id, ":")
	addr := freeAddr(t)
	vars := []string{
		"REDIS_URL=" + url, "TELEGRAM_BOT_TOKEN=" + telegramtest.Token,
		"TELEGRAM_API_ENDPOINT=" + proxy.url + "/bot%s/%s", "TELEGRAM_POLL_TIMEOUT=1s",
		"SAATHI_HTTP_ADDR=" + addr, "SAATHI_OUTBOX_GRACE=300ms", "SAATHI_EVENT_CLAIM_AFTER=1s", "TELEGRAM_RATE=40", "TELEGRAM_PAID_BROADCAST=true",
	}
	proxy.holdAfter(20)
	first := startServe(t, vars...)
	select {
	case <-proxy.held: // twenty copies out, the next ones on their way
	case <-time.After(20 * time.Second):
		t.Fatal("the broadcast never got going")
	}
	time.Sleep(300 * time.Millisecond) // the delivered ones are acknowledged
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.wait(t, 15*time.Second)
	proxy.hold(false)
	if n := len(fake.Sent()); n != 20 {
		t.Fatalf("the fake got %d messages before the crash, want 20", n)
	}

	startServe(t, vars...)
	waitEveryChat(t, fake, chats, text, 30*time.Second)
	time.Sleep(1500 * time.Millisecond) // room for a wrong second copy to show up
	exactlyOnce(t, fake, chats, text)
	out, err = runCmd(t, map[string]string{"REDIS_URL": url}, "", "broadcast", "status", "--lang", "en", id)
	if err != nil || !strings.Contains(out, "total 60 · sent 60 · pending 0") {
		t.Fatalf("broadcast status: %v\n%s", err, out)
	}
	// One of them blocks the bot before the next broadcast: the export names them.
	fake.Block(chats[7])
	out, err = runCmd(t, map[string]string{"REDIS_URL": url}, "", "broadcast", "--lang", "en", "--to", "role=sabhasad,body=नगर पंचायत परीक्षा", "--text", "दूसरा संदेश")
	if err != nil {
		t.Fatalf("second broadcast: %v\n%s", err, out)
	}
	second := strings.TrimSuffix(strings.Fields(out)[1], ":")
	waitEveryChat(t, fake, append(append([]int64{}, chats[:7]...), chats[8:]...), "दूसरा संदेश", 30*time.Second)
	file := filepath.Join(t.TempDir(), "failed.csv")
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err = runCmd(t, map[string]string{"REDIS_URL": url}, "", "broadcast", "status", "--lang", "en", "-o", file, second)
		if err == nil && strings.Contains(out, "pending 0") || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	csvData, _ := os.ReadFile(file)
	if !strings.Contains(out, "sent 59 · pending 0 · failed 0 · blocked 1") || !strings.Contains(string(csvData), "सदस्य 8,+919810000007,blocked") {
		t.Fatalf("status: %v\n%s\ncsv:\n%s", err, out, csvData)
	}
}

// Two processes on one Redis share two broadcasts to the same 60 people,
// against the strict fake held to TELEGRAM_RATE (20 a second, one a second
// to a chat): each copy once; the fake answers no 429 of its own, though a
// storm of injected ones (retry_after 1 s) pauses both processes on the
// way; no one-second window holds more than 20 sends; and no chat gets its
// two copies closer than a second, though each process may hold one.
func TestTwoServesShareABroadcastThrough429s(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	fake := telegramtest.NewServer(t)
	limits := telegramtest.TelegramLimits
	limits.Overall = 20
	fake.SetLimits(limits)
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	chats := seedRecipients(t, rdb, 60)
	url := storetest.URL(t, storetest.DBCommand)
	vars := func() []string {
		return []string{
			"REDIS_URL=" + url, "TELEGRAM_BOT_TOKEN=" + telegramtest.Token,
			"TELEGRAM_API_ENDPOINT=" + fake.URL() + "/bot%s/%s", "TELEGRAM_POLL_TIMEOUT=1s",
			"SAATHI_HTTP_ADDR=" + freeAddr(t), "SAATHI_OUTBOX_GRACE=300ms", "SAATHI_EVENT_CLAIM_AFTER=1s", "TELEGRAM_RATE=20",
		}
	}
	a, b := startServe(t, vars()...), startServe(t, vars()...)
	fake.FailNext("sendMessage", 429, 1, 8)
	texts := []string{"प्रशिक्षण की जगह बदल गई है", "प्रशिक्षण अब 11 बजे शुरू होगा"}
	for _, text := range texts {
		if out, err := runCmd(t, map[string]string{"REDIS_URL": url}, "", "broadcast", "--lang", "en", "--to", "role=sabhasad,body=नगर पंचायत परीक्षा", "--text", text); err != nil {
			t.Fatalf("broadcast: %v\n%s", err, out)
		}
	}
	for _, text := range texts {
		waitEveryChat(t, fake, chats, text, 40*time.Second)
	}
	time.Sleep(1500 * time.Millisecond) // a copy too many would come now
	for _, c := range chats {
		got := fake.SentTo(c)
		if len(got) != 2 || strings.Contains(got[0].Text, texts[0]) == strings.Contains(got[1].Text, texts[0]) {
			t.Fatalf("chat %d got %d messages, want one of each broadcast: %+v", c, len(got), got)
		}
	}
	if n := fake.RateLimited(); n != 0 {
		t.Errorf("the strict fake answered 429 %d times for going over its limits", n)
	}
	if gap, n := fake.MinChatGap(); n != len(chats) || gap < time.Second {
		t.Errorf("%d gaps between two messages to one chat, the shortest %v: want %d, none under 1s", n, gap, len(chats))
	}
	var times []time.Time
	for _, m := range fake.Sent() {
		times = append(times, m.At)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	for i := 20; i < len(times); i++ {
		if d := times[i].Sub(times[i-20]); d < time.Second {
			t.Fatalf("21 messages within %v from %v: the limit of 20/s was not kept", d, times[i-20])
		}
	}
	for _, p := range []*process{a, b} {
		if !strings.Contains(p.stderr.String(), "rate limited") && !strings.Contains(p.stderr.String(), "telegram bot ready") {
			t.Fatalf("a process did not run:\n%s", p.stderr.String())
		}
	}
}

// serve with WhatsApp configured but not reachable (no network here, and a
// made-up device): Telegram goes on answering, /readyz says WhatsApp is not
// ready and why, and SIGTERM stops it cleanly.
func TestServeRunsTelegramWhileWhatsAppIsDown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	fake := telegramtest.NewServer(t)
	storetest.Redis(t, storetest.DBCommand, nil)
	addr := freeAddr(t)
	p := startServe(t,
		"REDIS_URL="+storetest.URL(t, storetest.DBCommand),
		"TELEGRAM_BOT_TOKEN="+telegramtest.Token,
		"TELEGRAM_API_ENDPOINT="+fake.URL()+"/bot%s/%s",
		"TELEGRAM_POLL_TIMEOUT=1s",
		"SAATHI_HTTP_ADDR="+addr,
		"WHATSAPP_DB="+pairedStore(t),
	)
	waitHTTP(t, "http://"+addr+"/healthz", 200)
	body := waitHTTP(t, "http://"+addr+"/readyz", 503)
	if !strings.HasPrefix(body, "whatsapp: ") {
		t.Fatalf("readyz says %q", body)
	}
	t.Logf("readyz: %s", body)
	if metrics := waitHTTP(t, "http://"+addr+"/metrics", 200); !strings.Contains(metrics, `saathi_channel_connected{channel="whatsapp"} 0`) {
		t.Errorf("metrics do not say WhatsApp is down:\n%s", metrics)
	}
	fake.PushText(1001, "नमस्ते")
	if sent := fake.WaitSent(t, 1, 15*time.Second); !strings.Contains(sent[0].Text, "मैं साथी हूँ") {
		t.Fatalf("telegram answered %+v", sent)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(t, 15*time.Second); err != nil {
		t.Fatalf("serve exited with %v after SIGTERM", err)
	}
	if log := p.stderr.String(); !strings.Contains(log, "whatsapp: connecting") || !strings.Contains(log, "stopped") {
		t.Fatalf("log:\n%s", log)
	}
}

// An unpaired WHATSAPP_DB (never paired, or logged out before a restart)
// does not take Telegram down: serve goes on, /readyz says what to do, and
// the admins hear of it on Telegram.
func TestServeGoesOnWithoutAnUnpairedWhatsApp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	fake := telegramtest.NewServer(t)
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	people, _, err := roster.ParseCSV(bytes.NewReader(roster.Sample))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := roster.New(rdb).Import(context.Background(), people, false); err != nil {
		t.Fatal(err)
	}
	const adminChat = 5001 // कमला तिवारी, admin
	if err := identity.New(rdb).Link(context.Background(), "telegram", fmt.Sprint(adminChat), "+919760207764"); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	p := startServe(t, "REDIS_URL="+storetest.URL(t, storetest.DBCommand), "SAATHI_HTTP_ADDR="+addr,
		"TELEGRAM_BOT_TOKEN="+telegramtest.Token, "TELEGRAM_API_ENDPOINT="+fake.URL()+"/bot%s/%s", "TELEGRAM_POLL_TIMEOUT=1s",
		"WHATSAPP_DB="+filepath.Join(t.TempDir(), "wa.db"))
	if body := waitHTTP(t, "http://"+addr+"/readyz", 503); !strings.Contains(body, "whatsapp: not paired: run saathi whatsapp pair") {
		t.Fatalf("readyz says %q", body)
	}
	waitEveryChat(t, fake, []int64{adminChat}, "WhatsApp बंद हो गया", 15*time.Second)
	fake.PushText(1001, "नमस्ते")
	waitEveryChat(t, fake, []int64{1001}, "मैं साथी हूँ", 15*time.Second)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(t, 15*time.Second); err != nil {
		t.Fatalf("serve exited with %v after SIGTERM", err)
	}
}

// A broadcast from the command line can carry a document: every chat gets
// it once, with the text as its caption, and it is uploaded to Telegram once.
func TestBroadcastFromTheCommandLineWithAFile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	fake := telegramtest.NewServer(t)
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	chats := seedRecipients(t, rdb, 4)
	url := storetest.URL(t, storetest.DBCommand)
	pdf := filepath.Join(t.TempDir(), "कार्यक्रम.pdf")
	content := []byte("%PDF-1.4 दिसंबर का कार्यक्रम")
	if err := os.WriteFile(pdf, content, 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"REDIS_URL": url}
	if out, err := runCmd(t, vars, "", "broadcast", "--lang", "en", "--to", "body=नगर पंचायत परीक्षा", "--text", "अगले हफ़्ते का कार्यक्रम", "--file", filepath.Join(t.TempDir(), "none.pdf")); err == nil || !strings.Contains(err.Error(), "none.pdf") {
		t.Fatalf("a missing file: %v\n%s", err, out)
	}
	out, err := runCmd(t, vars, "", "broadcast", "--lang", "en", "--to", "body=नगर पंचायत परीक्षा", "--text", "अगले हफ़्ते का कार्यक्रम", "--file", pdf)
	if err != nil || !strings.Contains(out, "4 recipients") {
		t.Fatalf("broadcast: %v\n%s", err, out)
	}
	startServe(t, "REDIS_URL="+url, "TELEGRAM_BOT_TOKEN="+telegramtest.Token, "TELEGRAM_API_ENDPOINT="+fake.URL()+"/bot%s/%s",
		"TELEGRAM_POLL_TIMEOUT=1s", "SAATHI_HTTP_ADDR="+freeAddr(t))
	waitEveryChat(t, fake, chats, "अगले हफ़्ते का कार्यक्रम", 20*time.Second)
	exactlyOnce(t, fake, chats, "अगले हफ़्ते का कार्यक्रम")
	for _, c := range chats {
		m := fake.SentTo(c)[0]
		if m.Document != "कार्यक्रम.pdf" || !bytes.Equal(m.DocumentData, content) {
			t.Errorf("chat %d got document %q holding %q", c, m.Document, m.DocumentData)
		}
	}
	if n := fake.Uploads(); n != 1 {
		t.Errorf("%d uploads for 4 chats, want 1", n)
	}
}
