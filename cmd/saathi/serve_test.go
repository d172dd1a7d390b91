package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
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
		hold := h.holding && strings.HasSuffix(r.URL.Path, "/sendMessage")
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

func (h *holdingProxy) hold(on bool) {
	h.mu.Lock()
	h.holding = on
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
	sent = fake.WaitSent(t, 3, 15*time.Second) // welcome, then the name question
	if !strings.Contains(sent[2].Text, "आपका पूरा नाम") {
		t.Fatalf("conversation did not go on: %+v", sent[2])
	}
	time.Sleep(time.Second) // room for a wrong second delivery to show up
	if n := len(fake.Sent()); n != 3 {
		t.Fatalf("the fake got %d messages, want exactly 3: %+v", n, fake.Sent())
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
